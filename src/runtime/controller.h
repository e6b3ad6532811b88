/*
 * Controllers and the manager that runs them: source -> handler -> work queue -> reconcile,
 * as controller-runtime and Flux's controllers do it.
 *
 * A controller is a table entry (struct rt_controller): the kind it reconciles, a reconcile
 * callback, an optional finalize callback, and extra watches on other kinds with a mapping
 * function. The manager (struct rt_manager) runs any number of them in one process:
 *
 *  - one shared informer per kind (informer.h), whatever number of controllers watch it;
 *  - one work queue per controller (queue.h), --concurrent workers each;
 *  - leader election (leader.h) when asked: nothing reconciles before the Lease is held;
 *  - /metrics on metrics_addr and /healthz, /readyz on health_addr (http.h, metrics.h);
 *  - SIGTERM/SIGINT handling is the caller's: set *stop and rt_manager_run returns after
 *    in-flight reconciles finish and the Lease is released.
 *
 * What the manager does around each reconcile of an object, keyed "namespace/name":
 *
 *  1. Takes the object from the informer cache (gone: nothing to do) and clones it into a
 *     fresh arena, freed when the reconcile ends; logs carry controller, controllerGroup,
 *     controllerKind, name, namespace and a fresh reconcileID (a UUID).
 *  2. Deleted (deletionTimestamp set): calls finalize (when the controller has one) and then
 *     removes the finalizer ("finalizers.fluxcd.io", or the controller's own); an error
 *     retries with backoff.
 *  3. Adds the finalizer when the controller has a finalize callback.
 *  4. spec.suspend true: no reconcile; logs "Reconciliation is suspended for this object",
 *     gotk_suspend_status = 1; nothing requeued (a change to the object wakes it up).
 *  5. Calls reconcile. The callback changes the clone's status (conditions.h helpers) and
 *     says what happens next through struct rt_result.
 *  6. Records the reconcile.fluxcd.io/requestedAt annotation's value in
 *     status.lastHandledReconcileAt; on success (and on RT_STALLED) sets
 *     status.observedGeneration = metadata.generation (unless the kind's status has no such
 *     field); then, only when status differs from
 *     what the API server has, writes it with a PUT to the status subresource (retried on a
 *     409 after re-reading the object).
 *  7. Schedules the next run: RT_SUCCESS at spec.interval plus up to 5% jitter (or
 *     res.requeue_after_ms when set), RT_REQUEUE after res.requeue_after_ms (default
 *     --requeue-dependency), RT_RETRY with per-object exponential backoff, RT_STALLED not at
 *     all. Records gotk_reconcile_duration_seconds and gotk_reconcile_condition.
 *
 * An update event queues the object when its generation changes, when
 * reconcile.fluxcd.io/requestedAt changes, when deletion starts, or when a finalizer list
 * changes (Flux's predicates: GenerationChangedPredicate or ReconcileRequestedPredicate);
 * status-only updates (our own writes) do not.
 */
#ifndef TIDE_RUNTIME_CONTROLLER_H
#define TIDE_RUNTIME_CONTROLLER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime/informer.h" /* struct rt_object, for mapping functions */
#include "util/log.h"

struct arena;
struct doc_node;
struct kube_client;
struct rt_http;
struct rt_informer;
struct rt_manager;
struct rt_mapper;
struct rt_metrics;
struct rt_object;
struct rt_reconcile;

#define RT_FINALIZER "finalizers.fluxcd.io"

/* ---- What a controller returns --------------------------------------------------------*/

enum rt_outcome {
	RT_SUCCESS,  /* done: run again at spec.interval (or requeue_after_ms when > 0) */
	RT_REQUEUE,  /* not an error, try again later (dependency not ready) */
	RT_RETRY,    /* failed: try again with backoff */
	RT_STALLED,  /* failed in a way retrying cannot fix: wait for the object to change */
};

struct rt_result {
	enum rt_outcome outcome; /* RT_SUCCESS when the callback leaves it */
	int64_t requeue_after_ms;
};

/* Reconciles rt_object_doc(r). Returning an error code (< 0, with err_set's message) means
 * RT_RETRY whatever res says: the manager logs "Reconciler error" with the message and,
 * when the callback left Ready not False, marks Ready=False with reason
 * ReconciliationFailed and the message. */
typedef int (*rt_reconcile_fn)(struct rt_reconcile *r, struct rt_result *res);

/* Cleans up for an object being deleted. 0: the manager removes the finalizer; < 0: retried
 * with backoff. */
typedef int (*rt_finalize_fn)(struct rt_reconcile *r);

/* ---- Watches on other kinds ------------------------------------------------------------*/

/* Called for every add/update/delete of a watched object (old is NULL except for updates).
 * Decides which of the controller's objects to queue: rt_map_each walks the controller's
 * own cached objects, rt_map_enqueue queues one. Runs on the informer's thread: be quick. */
typedef void (*rt_map_fn)(struct rt_mapper *m, const struct rt_object *old,
			  const struct rt_object *obj);

struct rt_watch {
	const char *api_version; /* "source.toolkit.fluxcd.io/v1" */
	const char *kind;        /* "GitRepository" */
	rt_map_fn map;
	const void *ud;          /* for map, through rt_map_watch; may be NULL */
};

/* Queues ns/name of the mapper's controller. */
void rt_map_enqueue(struct rt_mapper *m, const char *ns, const char *name);
/* Calls fn for each object of the mapper's controller's kind in the cache (see
 * rt_informer_each). */
int rt_map_each(struct rt_mapper *m, int (*fn)(void *ud, const struct rt_object *obj), void *ud);
/* The controller's data (struct rt_controller.setup's *data). */
void *rt_map_data(struct rt_mapper *m);
/* The watch entry the mapping function was called for (its kind and ud), so that one
 * function can serve several watches. */
const struct rt_watch *rt_map_watch(struct rt_mapper *m);

/* ---- The controller table entry --------------------------------------------------------*/

struct rt_controller {
	const char *name;      /* "gitrepository": flags, queue and metrics label, logs */
	const char *group;     /* "source.toolkit.fluxcd.io" */
	const char *version;   /* "v1" */
	const char *kind;      /* "GitRepository" */
	const char *component; /* "source-controller": Events' reportingController */
	rt_reconcile_fn reconcile;
	rt_finalize_fn finalize;        /* NULL: no finalizer is added */
	const char *finalizer;          /* the finalizer's name; NULL: RT_FINALIZER */
	/* The kind's status has no observedGeneration (source-watcher's ArtifactGenerator
	 * reads its conditions' instead): the manager does not write one. */
	bool no_observed_generation;
	const struct rt_watch *watches; /* extra watches, ending with a {0} entry; may be NULL */
	/* Optional per-process state made before informers start (e.g. artifact storage and its
	 * file server on the manager's storage options) and freed after everything stopped. */
	int (*setup)(struct rt_manager *m, void **data);
	void (*teardown)(void *data);
};

/* ---- Inside a reconcile ----------------------------------------------------------------*/

/* The object being reconciled: a mutable clone in the reconcile's arena. Change status
 * here; the manager writes it afterwards. */
struct doc_node *rt_object_doc(struct rt_reconcile *r);
/* The arena freed when the reconcile ends. */
struct arena *rt_arena(struct rt_reconcile *r);
/* The manager's client. */
struct kube_client *rt_client(struct rt_reconcile *r);
struct rt_manager *rt_manager(struct rt_reconcile *r);
/* The controller's data (struct rt_controller.setup's *data). */
void *rt_data(struct rt_reconcile *r);
const char *rt_reconcile_id(struct rt_reconcile *r);
const char *rt_namespace(struct rt_reconcile *r);
const char *rt_name(struct rt_reconcile *r);

/* Logs msg with the reconcile's fields (controller, controllerGroup, controllerKind, name,
 * namespace, reconcileID) followed by the key, value pairs given, ending with NULL. */
void rt_log(struct rt_reconcile *r, enum log_level level, const char *msg, ...)
	__attribute__((sentinel));

/* Records an Event about the object (events.h), as the controller's component.
 * annotations: NULL or NULL-terminated key, value pairs. */
void rt_eventf(struct rt_reconcile *r, const char *type, const char *reason,
	       const char *const *annotations, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Writes the object's status now (when changed), e.g. after marking Reconciling at the
 * start of a long reconcile, as Flux's controllers patch status mid-way. */
int rt_write_status(struct rt_reconcile *r);

/* Another object, for reading: from a shared informer's cache when one watches that kind
 * (a controller's extra watches), else with a GET. The copy is in the reconcile's arena.
 * ERR_NOTFOUND when it does not exist. */
int rt_get(struct rt_reconcile *r, const char *api_version, const char *kind, const char *ns,
	   const char *name, struct doc_node **out);

/* ---- The manager -----------------------------------------------------------------------*/

struct rt_manager_opts {
	struct kube_client *client;  /* borrowed; must outlive the manager */
	const char *namespace;       /* runtime namespace: the Lease, and watches unless
				      * watch_all_namespaces */
	bool watch_all_namespaces;
	const char *watch_label_selector; /* NULL = everything */
	int concurrent;              /* workers per controller; 0 = 4 */
	int64_t requeue_dependency_ms; /* 0 = 30 s */
	double interval_jitter;      /* fraction added to spec.interval; 0 = 0.05 */
	const char *metrics_addr;    /* NULL or "" = no metrics server; ":8080" */
	const char *health_addr;     /* NULL or "" = none; ":9440" */
	bool leader_election;
	const char *leader_election_id; /* Lease name; NULL = "tide-controller-leader-election" */
	int64_t lease_duration_ms, renew_deadline_ms, retry_period_ms; /* 0 = 35 s, 30 s, 5 s */
};

/* A manager (opts is copied: strings must outlive the manager). */
int rt_manager_new(struct rt_manager **out, const struct rt_manager_opts *opts);

/* Adds a controller (before rt_manager_run). c is borrowed (the table entries are static).
 * ERR_INVALID when a field is missing or the name is taken. */
int rt_manager_add(struct rt_manager *m, const struct rt_controller *c);

/* Runs until *stop is set or leadership is lost: setup callbacks, HTTP servers, leader
 * election, informers (waiting for their first sync; /readyz then says ok), workers.
 * Returns 0 after a stop, ERR_UNAVAIL when leadership was lost, or the first setup /
 * listen error. Then everything is stopped: in-flight reconciles finish, the Lease is
 * released, teardown callbacks run. */
int rt_manager_run(struct rt_manager *m, const atomic_int *stop);

void rt_manager_free(struct rt_manager *m);

const struct rt_manager_opts *rt_manager_opts(const struct rt_manager *m);
struct rt_metrics *rt_manager_metrics(struct rt_manager *m);
/* The shared informer for a kind the manager watches (a controller's kind or a watch), or
 * NULL. Valid while rt_manager_run runs. */
struct rt_informer *rt_manager_informer(struct rt_manager *m, const char *api_version,
					const char *kind);
/* Queues key ("ns/name") for the controller named name. */
void rt_manager_enqueue(struct rt_manager *m, const char *controller, const char *key);

#endif
