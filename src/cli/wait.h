/* Polling a Flux object until it is Ready, shared by the verbs that wait (create, resume,
 * reconcile), as flux's isObjectReadyConditionFunc does every two seconds. */
#ifndef TIDE_CLI_WAIT_H
#define TIDE_CLI_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct doc_node;
struct kube_client;
struct kube_resource;

/* The time now as Go's time.RFC3339Nano prints it in UTC, for reconcile.fluxcd.io/requestedAt. */
void cli_requested_at(char *out, size_t len);

/* True once Ready is True for the current generation; *message is the Ready message. */
bool cli_is_ready(const struct doc_node *obj, const char **message);

/* Polls ns/name until cli_is_ready or the deadline (ERR_TIMEOUT "context deadline exceeded").
 * A missing object is waited for. *obj (may be NULL) receives the last object read. */
int cli_wait_ready(struct kube_client *c, const struct kube_resource *r, const char *ns,
		   const char *name, int64_t deadline, const char **message,
		   struct doc_node **obj, struct arena *a);

/* Watches r in ns (or all namespaces) from "now, with every existing object as ADDED", as
 * client-go's Watch without a resourceVersion does, calling fn for each event (bookmarks
 * skipped), re-watching from the last resourceVersion whenever the server closes the stream
 * (from scratch again after a 410), until deadline (CLOCK_MONOTONIC ms). Returns ERR_TIMEOUT
 * at the deadline, fn's non-zero result, or the watch's error. */
struct kube_event;
int cli_watch(struct kube_client *c, const struct kube_resource *r, const char *ns,
	      bool all_namespaces, const char *field_selector, const char *label_selector,
	      int64_t deadline, int (*fn)(void *ud, struct kube_event *ev), void *ud);

#endif
