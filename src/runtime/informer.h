/*
 * Shared informers: one LIST+WATCH per resource kind, feeding an in-memory cache of the
 * objects keyed "namespace/name" (or "name" for cluster-scoped kinds) and a list of event
 * handlers. Like client-go's reflector + store:
 *
 *  - starts with a LIST, then WATCHes from its resourceVersion, resuming each new watch from
 *    the last resourceVersion seen (bookmarks included);
 *  - on 410 Gone it LISTs again and replaces the cache, telling handlers about objects that
 *    appeared, changed or vanished meanwhile;
 *  - on any other failure (API server restarting, dropped connection, 5xx) it retries with
 *    exponential backoff (200 ms doubling to 30 s, reset after a watch that delivered
 *    events), so it survives API server restarts.
 *
 * Cached objects are immutable and reference-counted (struct rt_object): take a reference
 * (rt_object_ref) to keep one past the call that handed it out, and copy (doc_clone) into
 * your own arena before changing anything.
 * Thread-safe: the informer runs on its own thread; handlers are called on that thread, in
 * event order, and must not block for long (they normally add keys to a work queue).
 */
#ifndef TIDE_RUNTIME_INFORMER_H
#define TIDE_RUNTIME_INFORMER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct doc_node;
struct kube_client;
struct kube_resource;
struct rt_informer;

/* One cached object: a document in its own arena, with the fields everyone needs. */
struct rt_object {
	atomic_int refs;
	struct arena *arena;
	struct doc_node *doc;     /* the whole object, as the API server sent it */
	const char *key;          /* "ns/name" or "name" */
	const char *namespace;    /* "" for cluster-scoped objects */
	const char *name;
	const char *uid;
	const char *resource_version;
	int64_t generation;       /* metadata.generation, 0 when absent */
	bool deleting;            /* metadata.deletionTimestamp is set */
};

/* Takes a reference; returns o. */
struct rt_object *rt_object_ref(struct rt_object *o);
/* Drops a reference; the last one frees the object. NULL is allowed. */
void rt_object_unref(struct rt_object *o);
/* Makes an object from doc, taking ownership of arena (which holds doc). refs = 1. */
struct rt_object *rt_object_new(struct arena *arena, struct doc_node *doc);

enum rt_event_type { RT_EVENT_ADD, RT_EVENT_UPDATE, RT_EVENT_DELETE };

/* An event handler. For RT_EVENT_UPDATE old is the previous cached version (else NULL);
 * obj is the new object (for RT_EVENT_DELETE the last version known). Both are borrowed
 * for the call. */
typedef void (*rt_event_fn)(void *ud, enum rt_event_type type, const struct rt_object *old,
			    const struct rt_object *obj);

struct rt_informer_opts {
	const char *namespace;      /* the namespace to watch; NULL with all_namespaces */
	bool all_namespaces;        /* every namespace (cluster-scoped kinds ignore both) */
	const char *label_selector; /* --watch-label-selector, or NULL */
	long watch_timeout_s;       /* server-side timeout of each watch; 0 = 5-10 min random */
	int64_t max_backoff_ms;     /* retry cap; 0 = 30 s */
};

/* An informer for resource r (borrowed from the client's discovery cache) through client c
 * (which must outlive it). opts is copied. Nothing happens before rt_informer_start. */
int rt_informer_new(struct rt_informer **out, struct kube_client *c,
		    const struct kube_resource *r, const struct rt_informer_opts *opts);

/* Registers a handler (before rt_informer_start). Handlers registered later than the first
 * LIST do not get the initial ADD events. */
void rt_informer_add_handler(struct rt_informer *inf, rt_event_fn fn, void *ud);

/* Starts the informer's thread. ERR_GENERIC if the thread cannot be made. */
int rt_informer_start(struct rt_informer *inf);

/* Whether the first LIST has filled the cache. */
bool rt_informer_synced(struct rt_informer *inf);
/* Waits until synced, stop is set, or timeout_ms passes (< 0: no timeout). Returns 0 when
 * synced, ERR_TIMEOUT otherwise (with the last LIST error in the message, if any). */
int rt_informer_wait_synced(struct rt_informer *inf, const atomic_int *stop, int64_t timeout_ms);

/* The cached object with key "ns/name" ("name" for cluster-scoped kinds), with a reference
 * the caller drops (rt_object_unref); NULL when absent. */
struct rt_object *rt_informer_get(struct rt_informer *inf, const char *key);

/* Calls fn for every cached object, under the cache's read lock (fn must not call back into
 * the informer). Objects are borrowed for the call; take a reference to keep one. Stops
 * early and returns fn's value when it returns non-zero. */
typedef int (*rt_each_fn)(void *ud, const struct rt_object *obj);
int rt_informer_each(struct rt_informer *inf, rt_each_fn fn, void *ud);

/* Objects in the cache. */
size_t rt_informer_len(struct rt_informer *inf);
/* LISTs done so far (1 after the first sync; more after 410 Gone or long outages). */
unsigned long rt_informer_lists(struct rt_informer *inf);
/* The resource this informer watches. */
const struct kube_resource *rt_informer_resource(struct rt_informer *inf);

/* Stops the thread (the watch ends within about a second) and waits for it. */
void rt_informer_stop(struct rt_informer *inf);
/* Stops if needed and frees the informer and its cache. NULL is allowed. */
void rt_informer_free(struct rt_informer *inf);

#endif
