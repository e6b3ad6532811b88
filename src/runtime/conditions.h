/*
 * Status conditions as fluxcd/pkg/runtime/conditions handles them, on the object document
 * itself (status.conditions, a list of metav1.Condition: type, status, observedGeneration,
 * lastTransitionTime, reason, message).
 *
 *  - rt_cond_set keeps lastTransitionTime unless status, reason or message changed, and
 *    always sets observedGeneration to the object's metadata.generation;
 *  - messages longer than 32768 bytes are cut to 32765 and "..." (Flux's cap);
 *  - conditions are kept sorted as Flux sorts them for kubectl: Stalled, Reconciling, Ready
 *    first, then the others by highest observedGeneration, then by type;
 *  - Reconciling and Stalled are "abnormal-true": present only when True
 *    (rt_cond_mark_reconciling deletes Stalled, rt_cond_mark_stalled deletes Reconciling).
 *
 * Changes allocate in the arena passed (the reconcile's). Times are RFC 3339 seconds in UTC,
 * "2026-11-25T06:30:00Z". Not thread-safe (a document belongs to one reconcile).
 */
#ifndef TIDE_RUNTIME_CONDITIONS_H
#define TIDE_RUNTIME_CONDITIONS_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct doc_node;

/* Condition types (fluxcd/pkg/apis/meta). */
#define RT_COND_READY "Ready"
#define RT_COND_RECONCILING "Reconciling"
#define RT_COND_STALLED "Stalled"
#define RT_COND_HEALTHY "Healthy"

/* Generic reasons (fluxcd/pkg/apis/meta); kinds add their own beside them. */
#define RT_REASON_SUCCEEDED "Succeeded"
#define RT_REASON_FAILED "Failed"
#define RT_REASON_PROGRESSING "Progressing"
#define RT_REASON_PROGRESSING_WITH_RETRY "ProgressingWithRetry"
#define RT_REASON_SUSPENDED "Suspended"
#define RT_REASON_DEPENDENCY_NOT_READY "DependencyNotReady"
#define RT_REASON_INVALID_PATH "InvalidPath"
#define RT_REASON_INVALID_URL "InvalidURL"
#define RT_REASON_ARTIFACT_FAILED "ArtifactFailed"
#define RT_REASON_BUILD_FAILED "BuildFailed"
#define RT_REASON_HEALTH_CHECK_FAILED "HealthCheckFailed"
#define RT_REASON_PRUNE_FAILED "PruneFailed"
#define RT_REASON_RECONCILIATION_SUCCEEDED "ReconciliationSucceeded"
#define RT_REASON_RECONCILIATION_FAILED "ReconciliationFailed"

/* The annotation `flux reconcile` sets, and the status field recording the value handled. */
#define RT_ANNOTATION_REQUESTED_AT "reconcile.fluxcd.io/requestedAt"
#define RT_STATUS_LAST_HANDLED "lastHandledReconcileAt"

/* A condition as read from a document. Strings are borrowed from it ("" when missing). */
struct rt_condition {
	const char *type;
	const char *status; /* "True", "False", "Unknown" */
	const char *reason;
	const char *message;
	const char *last_transition_time;
	int64_t observed_generation;
};

/* Reads condition type of obj. Returns false when obj has no such condition. */
bool rt_cond_get(const struct doc_node *obj, const char *type, struct rt_condition *out);
/* Whether condition type is present with status "True" / "False" / "Unknown". */
bool rt_cond_is_true(const struct doc_node *obj, const char *type);
bool rt_cond_is_false(const struct doc_node *obj, const char *type);
bool rt_cond_is_unknown(const struct doc_node *obj, const char *type);
/* Ready=True and its observedGeneration equal to metadata.generation. */
bool rt_cond_is_ready(const struct doc_node *obj);

/* Sets condition type (status "True", "False" or "Unknown") as described above, creating
 * status and status.conditions when missing. The message is printf-style. */
void rt_cond_set(struct arena *a, struct doc_node *obj, const char *type, const char *status,
		 const char *reason, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void rt_cond_mark_true(struct arena *a, struct doc_node *obj, const char *type,
		       const char *reason, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void rt_cond_mark_false(struct arena *a, struct doc_node *obj, const char *type,
			const char *reason, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void rt_cond_mark_unknown(struct arena *a, struct doc_node *obj, const char *type,
			  const char *reason, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Reconciling=True, and Stalled deleted (fluxcd/pkg MarkReconciling). */
void rt_cond_mark_reconciling(struct arena *a, struct doc_node *obj, const char *reason,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Stalled=True, and Reconciling deleted (fluxcd/pkg MarkStalled). */
void rt_cond_mark_stalled(struct arena *a, struct doc_node *obj, const char *reason,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Removes condition type; returns whether it was there. */
bool rt_cond_delete(struct doc_node *obj, const char *type);

/* Sets what rt_cond_set uses as "now" (seconds since the epoch); 0 = the real clock. For
 * tests. Process-wide. */
void rt_cond_set_clock(int64_t now);

#endif
