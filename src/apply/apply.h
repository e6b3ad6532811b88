/*
 * The apply engine: staged server-side apply of a set of objects, drift detection without
 * writes, prune by inventory and health checks (kstatus), as fluxcd/pkg/ssa's
 * ResourceManager does for the kustomize-controller. One type, struct apply_manager
 * (manager.c), with files named by verb: apply.c (one stage), staged.c (the staged apply),
 * diff.c (the unchanged decision, drift, apply_diff), prune.c (delete), wait.c (health);
 * normalize.c and cleanup.c prepare what is sent; inventory.c (ids, inventory diff),
 * changeset.c (entries, sorting, printing).
 *
 *   struct apply_manager *m;
 *   apply_manager_new(&m, client, &(struct apply_opts){ .owner_name = "app",
 *                                                       .owner_namespace = "flux-system" });
 *   struct apply_changeset cs = { 0 };
 *   rc = apply_all_staged(&cs, m, arena, objs, n);   // prints nothing; errors in err_msg()
 *   apply_changeset_format(&buf, &cs, true);         // "Deployment/default/app configured"
 *   apply_manager_free(m);
 *
 * Everything a call returns (entries, subjects, ids, objects) lives in the arena the caller
 * passes. A manager is not thread-safe: one reconcile uses it at a time.
 *
 * The unchanged decision (diff.c). Flux decides whether to apply an object with a
 * server-side dry-run apply and a comparison of its result with the live object: one
 * PATCH per object on every reconcile even when nothing changed. tide reads the live
 * objects instead (one LIST per kind and namespace when several objects share them, else a
 * GET) and skips both the dry-run and the apply when, for the desired object D (normalised
 * and labelled as it would be sent) and the live object L:
 *   1. every field of D is in L with an equal value (maps: D's keys are a subset of L's;
 *      lists: same length, items compared in order the same way; scalars: equal), and
 *   2. L's managedFields entry of our field manager (operation Apply, no subresource, same
 *      apiVersion as D) owns exactly D's fields: no more (an apply would remove a field we
 *      stopped sending) and no less (an apply would take ownership of it).
 * Then an apply would leave L as it is, so none is sent. Otherwise the object goes through
 * Flux's dry-run and diff, so the rule can only send requests Flux would send, never skip an
 * apply Flux would make. Its limits (objects that get a dry-run on every reconcile, which
 * then finds no drift, as Flux's does):
 *   - values the server normalises (a quantity "0.5" stored as "500m", an integer sent as a
 *     string);
 *   - lists whose items the server reorders or merges;
 *   - atomic values (owned whole) the server adds defaults into, such as a StatefulSet's
 *     volumeClaimTemplates: an atomic value must equal the live one, since an apply
 *     replaces it whole.
 * When a dry-run finds no drift but our managedFields entry would change (fields taken over
 * from another manager), the object is applied once (reported unchanged, as Flux reports it)
 * so that the rule holds from then on. When in doubt (no managedFields, a null value, an
 * encoding not understood) the dry-run decides. The same text is in docs/differences.md.
 * The apply is concurrent: reads, dry-runs and applies of a stage run on up to
 * apply_opts.concurrency threads (the client is thread-safe; its rate limit applies).
 *
 * Stages (staged.c), as ApplyAllStaged: (1) CustomResourceDefinitions, Namespaces and
 * ClusterRoles ("cluster definitions"), then a wait until they are ready (CRDs Established,
 * discovery refreshed so the new kinds map); (2) kinds whose name ends in "Class"
 * (StorageClass, IngressClass, ...); (3) everything else. Each stage is first validated
 * with a server-side dry-run apply of the objects that need a write; when one fails,
 * nothing of that stage is applied and the error names it:
 *   "Deployment/default/app dry-run failed (Invalid): <server message>".
 * Objects already in the cluster in the desired state are not dry-run or applied.
 */
#ifndef TIDE_APPLY_APPLY_H
#define TIDE_APPLY_APPLY_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct doc_node;
struct kube_client;

/* Flux's defaults. */
#define APPLY_FIELD_MANAGER "kustomize-controller"
#define APPLY_OWNER_GROUP "kustomize.toolkit.fluxcd.io"

/* ---- Objects and change sets -----------------------------------------------------------*/

/* What identifies an object, as cli-utils' ObjMetadata plus the version. Strings are
 * borrowed (arena). namespace is "" for cluster-scoped objects. */
struct apply_ref {
	const char *group;     /* "" for the core group */
	const char *version;   /* "v1" */
	const char *kind;
	const char *namespace;
	const char *name;
};

enum apply_action {
	APPLY_CREATED,
	APPLY_CONFIGURED,
	APPLY_UNCHANGED,
	APPLY_DELETED,
	APPLY_SKIPPED,
	APPLY_UNKNOWN,
};

/* "created", "configured", "unchanged", "deleted", "skipped", "unknown" (Flux's words). */
const char *apply_action_name(enum apply_action action);

/* Whether Flux counts the action as a change (created, configured, deleted). */
bool apply_action_changed(enum apply_action action);

struct apply_entry {
	struct apply_ref ref;
	const char *subject;      /* "Kind/namespace/name" or "Kind/name", as Flux prints */
	enum apply_action action;
	/* When the live object carried the owner labels of another owner (Flux takes the object
	 * over silently; tide does the same but says so): "<namespace>/<name>" of that owner.
	 * NULL otherwise. */
	const char *previous_owner;
};

/* A change set: entries in the order they were decided. Arrays live in the arena passed to
 * the call that filled it; zero-initialise before the first use. */
struct apply_changeset {
	struct apply_entry *items;
	size_t len, cap;
};

void apply_changeset_add(struct arena *a, struct apply_changeset *cs,
			 const struct apply_entry *e);

/* Appends "<subject> <action>\n" for each entry (only changed ones when changed_only), as
 * Flux's ChangeSet.String() and the kustomize-controller's change log print them; without the
 * last newline. */
void apply_changeset_format(struct buf *out, const struct apply_changeset *cs, bool changed_only);

/* "Kind/namespace/name" or "Kind/name" (cluster-scoped), in a. */
const char *apply_subject(struct arena *a, const struct apply_ref *ref);

/* Fills ref from obj's apiVersion, kind, metadata.namespace and metadata.name (borrowed from
 * obj; the group is copied into a). ERR_INVALID when apiVersion, kind or name is missing. */
int apply_ref_of(struct apply_ref *ref, struct arena *a, const struct doc_node *obj);

/* Flux's order of objects (ssa sort.go `less`): <0, 0, >0. */
int apply_ref_cmp(const struct apply_ref *x, const struct apply_ref *y);

/* Sorts objects (doc_node pointers) in Flux's reconcile order (ssa.ReconcileOrder: CRDs,
 * Namespaces, ClusterRoles, ... , webhooks last; then group, kind, namespace, name). Stable.
 * apply_sort_refs sorts refs the same way. */
void apply_sort_objects(struct doc_node **objs, size_t n);
void apply_sort_refs(struct apply_ref *refs, size_t n);

/* ---- The manager -----------------------------------------------------------------------*/

struct apply_opts {
	const char *field_manager;   /* NULL = "kustomize-controller" */
	const char *owner_group;     /* label prefix; NULL = "kustomize.toolkit.fluxcd.io" */
	/* The owner whose labels <group>/name and <group>/namespace are stamped on every
	 * applied object, and required on every pruned one. NULL name = stamp nothing, and
	 * prune requires no labels. */
	const char *owner_name;
	const char *owner_namespace;
	/* Recreate an object when the API server rejects the apply because an immutable field
	 * changed (Flux's spec.force). The annotation or label <group>/force: enabled forces
	 * one object. */
	bool force;
	long wait_interval_ms;       /* stage waits; 0 = 2 s (Flux's WaitInterval) */
	long wait_timeout_ms;        /* stage waits; 0 = 60 s (Flux's WaitTimeout) */
	/* Requests of one step in flight at once (Flux's --concurrent-ssa); 0 = 8, at most 32. */
	int concurrency;
	/* Decide the unchanged objects by dry-run apply and comparison, as Flux does, instead
	 * of the read-only rule above (for cross-checks and benchmarks). */
	bool dry_run_diff;
};

struct apply_manager;

/* A manager applying through c (borrowed: must outlive the manager; impersonation is the
 * client's business). opts is copied (its strings must outlive the manager). */
int apply_manager_new(struct apply_manager **out, struct kube_client *c,
		      const struct apply_opts *opts);
void apply_manager_free(struct apply_manager *m);

/* How many write requests (POST, PUT, PATCH, DELETE, dry-run included) the manager has sent;
 * for tests and benchmarks. */
unsigned long apply_manager_writes(const struct apply_manager *m);

/* ---- Apply (apply.c, staged.c) ---------------------------------------------------------
 * objs: the desired objects (a built set); they are changed in place (owner labels stamped,
 * namespace-less cluster-scoped objects normalised), so pass copies if you need the
 * originals. Namespaced objects must carry metadata.namespace (ERR_INVALID otherwise: the
 * kustomize-controller sets the target namespace before applying).
 *
 * Per object, as Flux's ApplyAll: the annotation (or label) <group>/reconcile: disabled or
 * <group>/ssa: Ignore on the desired or the live object skips it (action skipped);
 * <group>/ssa: IfNotPresent on the desired object skips it when it exists. Before applying
 * an existing object, Flux's metadata cleanup removes the kubectl.kubernetes.io/
 * last-applied-configuration annotation and the managedFields entries of "kubectl" (Apply,
 * Update), "before-first-apply" (Update) and our field manager (Update), so fields removed
 * from the source are removed from the cluster; <group>/ssa: Merge on either object exempts
 * it from the cleanup. Entries are
 * appended to out in apply order (stage by stage, each sorted as apply_sort_objects).
 *
 * Errors: the first failure stops; what was decided so far stays in out. Messages as Flux:
 *   "<subject> dry-run failed: <msg>", "<subject> apply failed: <msg>",
 *   "<subject> immutable field detected, failed to delete object: <msg>",
 *   "timeout waiting for: [...]" (stage wait). */
int apply_all_staged(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		     struct doc_node **objs, size_t n);

/* One stage: the same, without staging or waiting. */
int apply_all(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
	      struct doc_node **objs, size_t n);

/* ---- Diff (diff.c) ---------------------------------------------------------------------*/

/* Whether applying desired over live (the object as read from the cluster, with
 * metadata.managedFields) would change nothing, by the rule at the top of this file.
 * field_manager NULL = "kustomize-controller". Pure: no requests. */
bool apply_is_unchanged(const struct doc_node *desired, const struct doc_node *live,
			const char *field_manager);

/* What `tide diff` needs: for each object, the action an apply would take (created,
 * configured, unchanged, skipped) without changing the cluster (a dry-run apply where the
 * unchanged rule does not hold; no staging, no metadata cleanup). Entries are appended to out
 * sorted as apply_sort_objects; (*live)[i] and (*merged)[i] belong to the i-th entry appended:
 * the live and the dry-run result for configured objects, NULL and the dry-run result for
 * created ones, NULL otherwise; all in a. Secrets' data is not masked here. Errors as
 * apply_all's dry-run errors. objs are normalised and labelled in place as by apply_all. */
int apply_diff(struct apply_changeset *out, struct doc_node ***live, struct doc_node ***merged,
	       struct apply_manager *m, struct arena *a, struct doc_node **objs, size_t n);

/* ---- Inventory (inventory.c) -----------------------------------------------------------
 * Flux's status.inventory: entries {id: "<namespace>_<name>_<group>_<kind>", v: "<version>"},
 * in change-set order (as inventory.AddChangeSet). */

struct apply_inventory_entry {
	const char *id;
	const char *version;
};

struct apply_inventory {
	struct apply_inventory_entry *items;
	size_t len, cap;
};

/* "<namespace>_<name>_<group>_<kind>" (cli-utils ObjMetadata.String()), in a. */
const char *apply_inventory_id(struct arena *a, const struct apply_ref *ref);
/* Parses an id and version into ref (strings in a). ERR_INVALID for a malformed id. Names
 * never contain '_' (RBAC names may contain ':', which cli-utils writes as "__"; handled). */
int apply_inventory_parse(struct apply_ref *ref, struct arena *a, const char *id,
			  const char *version);

/* Appends one entry per change-set entry (every action, as Flux: skipped objects stay in the
 * inventory so they are not pruned). */
void apply_inventory_add_changeset(struct arena *a, struct apply_inventory *inv,
				   const struct apply_changeset *cs);

/* Reads status.inventory ({entries: [{id, v}]}) from node (the inventory mapping; NULL or
 * empty = empty inventory). ERR_INVALID for a malformed one. */
int apply_inventory_from_doc(struct apply_inventory *inv, struct arena *a,
			     const struct doc_node *node);
/* The inventory as {entries: [{id, v}, ...]} in a. */
struct doc_node *apply_inventory_to_doc(struct arena *a, const struct apply_inventory *inv);

/* Every entry of inv as a ref, sorted as apply_sort_refs (Flux's inventory.List: what the
 * kustomize-controller deletes when a Kustomization with prune is deleted). ERR_INVALID for a
 * malformed id. */
int apply_inventory_refs(struct apply_ref **out, size_t *n, struct arena *a,
			 const struct apply_inventory *inv);

/* The objects in old and not in new (by id, version from old), sorted as
 * apply_sort_refs (Flux's inventory.Diff). */
int apply_inventory_diff(struct apply_ref **out, size_t *n, struct arena *a,
			 const struct apply_inventory *old_inv,
			 const struct apply_inventory *new_inv);

/* ---- Prune (prune.c) -------------------------------------------------------------------*/

/* Deletes refs (the stale objects from apply_inventory_diff), in reverse apply order, with
 * Background propagation, as Flux's DeleteAll with the kustomize-controller's options.
 * Per object: gone already -> deleted; live labels not those of the manager's owner (when it
 * has one), or <group>/prune: disabled, <group>/reconcile: disabled or <group>/ssa: Ignore in
 * its metadata -> skipped; already being deleted (deletionTimestamp) -> deleted without a
 * new request. Failures are collected: "delete failed, errors: <subject> delete failed:
 * <msg>;..." and the entry is "unknown"; the others go on. */
int apply_delete_all(struct apply_changeset *out, struct apply_manager *m, struct arena *a,
		     const struct apply_ref *refs, size_t n);

/* ---- Health (wait.c) -------------------------------------------------------------------
 * kstatus (fluxcd/cli-utils kstatus/status) computed from one object. */

enum apply_status {
	APPLY_STATUS_CURRENT,       /* "Current" */
	APPLY_STATUS_IN_PROGRESS,   /* "InProgress" */
	APPLY_STATUS_FAILED,        /* "Failed" */
	APPLY_STATUS_TERMINATING,   /* "Terminating" */
	APPLY_STATUS_NOT_FOUND,     /* "NotFound" */
	APPLY_STATUS_UNKNOWN,       /* "Unknown" */
};

/* "Current", "InProgress", ... as kstatus names them. */
const char *apply_status_name(enum apply_status s);

/* The status of obj (a live object) and, in *message (in a, may be NULL), kstatus's message
 * ("Deployment generation is 2, but latest observed generation is 1", "Ready: 1/3", ...).
 * Rules for Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, Pod, PersistentVolumeClaim,
 * Service, CustomResourceDefinition, Namespace, PodDisruptionBudget; any other kind by its
 * observedGeneration and Ready/Reconciling/Stalled conditions (generic rule); a
 * deletionTimestamp means Terminating. */
enum apply_status apply_status_of(const struct doc_node *obj, struct arena *a,
				  const char **message);

struct apply_wait_opts {
	long interval_ms;   /* 0 = 5 s (Flux's health check interval) */
	long timeout_ms;    /* 0 = 60 s */
	bool fail_fast;     /* stop as soon as one object is Failed */
	/* Objects whose NotFound counts as Current: Jobs with spec.ttlSecondsAfterFinished, which
	 * the TTL controller may delete before a poll sees them finished (Flux's JobsWithTTL). */
	const struct apply_ref *gone_ok;
	size_t n_gone_ok;
};

/* Polls refs (GET each not yet Current, first at once, then every interval) until all are
 * Current, or all are Current or Failed, or (fail_fast) one is Failed, or the timeout. Errors
 * as Flux's WaitForSet words them, objects in refs' order: ERR_TIMEOUT "timeout waiting for:
 * [Deployment/default/app status: 'InProgress', ...]", ERR_GENERIC "failed early due to
 * stalled resources: [Job/default/j status: 'Failed']"; "can't determine status for <subject>"
 * for an object that could not be read. */
int apply_wait(struct apply_manager *m, struct arena *a, const struct apply_ref *refs, size_t n,
	       const struct apply_wait_opts *opts);

/* The refs of a change set's entries that are not skipped (what the kustomize-controller
 * health-checks with spec.wait), in a. */
void apply_changeset_refs(struct apply_ref **out, size_t *n, struct arena *a,
			  const struct apply_changeset *cs, bool without_skipped);

#endif
