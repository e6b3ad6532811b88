/*
 * Kubernetes Events (core/v1 Event) about the objects a controller reconciles, written as
 * Flux's controllers write them through client-go's event recorder:
 *
 *   involvedObject {apiVersion, kind, namespace, name, uid, resourceVersion},
 *   type "Normal" | "Warning", reason (Flux's: "ReconciliationSucceeded", "Progressing",
 *   "GitOperationFailed", ...), message, source.component and reportingComponent /
 *   reportingController = the controller's name ("source-controller",
 *   "kustomize-controller"), reportingInstance = the pod's hostname, firstTimestamp,
 *   lastTimestamp, count, and metadata.annotations (Flux puts the revision there as
 *   "<group>/revision", e.g. "source.toolkit.fluxcd.io/revision").
 *
 * Aggregation: an event equal to an earlier one (same object, type, reason and message) is
 * not created again; the earlier Event's count is incremented and lastTimestamp updated
 * (PATCH), as client-go's EventCorrelator does. Events are named "<object>.<hex nanos>" in
 * the object's namespace. Failures to record an event are logged, never returned: events
 * are best effort.
 * Thread-safe.
 */
#ifndef TIDE_RUNTIME_EVENTS_H
#define TIDE_RUNTIME_EVENTS_H

struct doc_node;
struct kube_client;
struct rt_recorder;

#define RT_EVENT_NORMAL "Normal"
#define RT_EVENT_WARNING "Warning"

/* A recorder writing through c (which must outlive it) as component ("source-controller").
 * instance is the reportingInstance (NULL = the host name). */
struct rt_recorder *rt_recorder_new(struct kube_client *c, const char *component,
				    const char *instance);
void rt_recorder_free(struct rt_recorder *r);

/* Records an event about obj (a whole object document: apiVersion, kind, metadata).
 * annotations is NULL or a NULL-terminated list of key, value pairs for the Event's
 * metadata.annotations. The message is printf-style. */
void rt_event(struct rt_recorder *r, const struct doc_node *obj, const char *type,
	      const char *reason, const char *const *annotations, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Events created and aggregated so far (for tests and metrics). */
unsigned long rt_recorder_created(struct rt_recorder *r);
unsigned long rt_recorder_aggregated(struct rt_recorder *r);

#endif
