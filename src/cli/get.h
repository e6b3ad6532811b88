/* Reading Flux objects for the verbs, and the row summary `flux get` prints for each. */
#ifndef TIDE_CLI_GET_H
#define TIDE_CLI_GET_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct cli_kind;
struct buf;
struct cli_globals;
struct doc_node;
struct table;

/* Appends s with every 40-128 digit lower-case hex word cut to 8 characters. */
void truncate_hex(struct buf *out, const char *s);

/* The Ready condition's status and message, or "False" / "waiting to be reconciled". */
void flux_status_and_message(const struct doc_node *obj, const char **status, const char **message);

/* Adds obj's row (NAMESPACE first when with_namespace; NAME as "<kind>/<name>" when
 * with_kind, as `flux get all` prints it) to t. */
void flux_summarise(struct table *t, const struct cli_kind *k, const struct doc_node *obj,
		    bool with_namespace, bool with_kind);

struct get_result {
	struct doc_node **items; /* in the arena */
	size_t len;
	const char *namespace_quoted; /* "\"flux-system\"", for messages */
};

/* Lists objects of kind k (one by name when name is not NULL; those matching label_selector
 * when not NULL) in g's namespace, or in all namespaces with -A. Errors carry the API
 * server's message. */
int get_list(struct get_result *out, struct arena *a, const struct cli_globals *g,
	     const struct cli_kind *k, const char *name, const char *label_selector);

struct kube_client;
struct kube_resource;
/* Connects to g's cluster and finds k's resource (ERR_NOTFOUND, naming `tide install`, when
 * the CRD is missing). On success the caller owns *c (kube_client_free). */
int get_resource(struct kube_client **c, const struct kube_resource **r, const struct cli_globals *g,
		 const struct cli_kind *k);

#endif
