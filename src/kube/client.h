/*
 * The Kubernetes REST client: one struct kube_client per (cluster, identity), safe to share
 * between threads. All clients made from one another (kube_client_impersonate) share one
 * HTTP/2 connection pool, one rate limiter and one discovery cache.
 *
 * Objects are documents (doc/doc.h) allocated in an arena the caller passes; what a verb
 * returns through *out lives in that arena. Errors carry the API server's Status (see
 * status.h for the mapping): ERR_NOTFOUND, ERR_CONFLICT, ERR_GONE, ERR_INVALID, ERR_AUTH,
 * ERR_TIMEOUT, ERR_TOOBIG, ERR_UNAVAIL (unreachable server, 5xx after retries), with the
 * server's message, or one line naming the server and the cause for connection and TLS
 * failures.
 *
 *   struct kube_config *cfg;  struct kube_client *c;  const struct kube_resource *r;
 *   kube_config_load(&cfg, &(struct kube_config_opts){ .context = ctx });
 *   kube_client_new(&c, cfg, NULL);
 *   kube_mapper_find(&r, c, "v1", "ConfigMap");
 *   kube_get(&obj, c, arena, r, "default", "x", NULL);
 */
#ifndef TIDE_KUBE_CLIENT_H
#define TIDE_KUBE_CLIENT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct doc_node;
struct kube_config;
struct kube_client;

struct kube_client_opts {
	double qps;               /* requests a second; 0 = 50; < 0 = unlimited */
	int burst;                /* 0 = 100 */
	long connect_timeout_ms;  /* 0 = 10 s */
	long timeout_ms;          /* per request, not watches; 0 = 60 s */
	size_t max_body;          /* response body cap; 0 = 256 MiB */
	int max_retries;          /* 0 = 4; < 0 = none */
	long max_backoff_ms;      /* retry backoff cap; 0 = 5 s */
	const char *user_agent;   /* 0 = "tide/<version>" */
	const char *impersonate_user;          /* Impersonate-User, or NULL */
	const char *const *impersonate_groups; /* NULL-terminated, or NULL */
};

/* A client for cfg (copied: cfg may be freed after). opts may be NULL. ERR_INVALID for an
 * unusable configuration (bad server URL); connection problems appear on the first call. */
int kube_client_new(struct kube_client **out, const struct kube_config *cfg,
		    const struct kube_client_opts *opts);

/* A client acting as user (and groups, NULL-terminated, may be NULL) through the
 * Impersonate-* headers, sharing base's connections, rate limiter and discovery cache.
 * Used for "system:serviceaccount:<ns>:<name>". Free it with kube_client_free; base must
 * outlive it. */
int kube_client_impersonate(struct kube_client **out, struct kube_client *base,
			    const char *user, const char *const *groups);

void kube_client_free(struct kube_client *c);

/* Whether this process may write now; consulted before every attempt of a request that is
 * not a GET and not for coordination.k8s.io (the Lease itself). */
typedef bool (*kube_write_gate_fn)(void *ud);

/* Installs gate for c and every client sharing its connections (impersonating ones): while
 * it returns false, writes fail with ERR_GENERIC before anything is sent. The controller
 * passes leader election's validity check, so that a reconcile in flight when the process
 * was paused past its lease does not write after another replica has taken over. NULL
 * removes it. */
void kube_client_set_write_gate(struct kube_client *c, kube_write_gate_fn gate, void *ud);

/* The configuration's default namespace ("default" when the context names none). */
const char *kube_client_namespace(const struct kube_client *c);
/* The server URL, "https://host:port". */
const char *kube_client_server(const struct kube_client *c);

/* ---- Raw requests ---------------------------------------------------------------------*/

struct kube_request {
	const char *method;       /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *path;         /* "/api/v1/namespaces/x/configmaps?limit=5", escaped */
	const char *content_type; /* for the body; NULL = application/json */
	const char *body;
	size_t body_len;
	bool idempotent;          /* may be retried after 5xx or a dropped connection */
};

/* Sends req (rate-limited, retried as described in transport.c) and appends the response
 * body to out. A 2xx status returns 0; any other status returns the Status's error code
 * (and *status_out, when not NULL, gets the HTTP status either way). */
int kube_request(struct buf *out, struct kube_client *c, const struct kube_request *req,
		 long *status_out);

/* Like kube_request, but hands the body of a 2xx response to sink as it arrives (a pod's log
 * with follow=true, say) instead of collecting it, with no overall timeout and no retry.
 * sink returns 0 to go on or an error code to stop (returned from here). When stop is not
 * NULL, setting *stop ends the transfer and returns 0. */
int kube_request_stream(struct kube_client *c, const struct kube_request *req,
			int (*sink)(void *ud, const char *data, size_t n), void *ud,
			const atomic_int *stop, long *status_out);

/* ---- Resources ------------------------------------------------------------------------*/

/* What discovery knows of one resource. Owned by the client's cache, valid until the last
 * client sharing it is freed. */
struct kube_resource {
	const char *group;    /* "" for the core group */
	const char *version;  /* "v1" */
	const char *resource; /* plural: "configmaps" */
	const char *kind;     /* "ConfigMap" */
	const char *singular; /* "configmap" */
	bool namespaced;
};

/* Options for the verbs below; each field says which verbs read it. NULL = all defaults. */
struct kube_opts {
	bool dry_run;               /* writes: dryRun=All, the server persists nothing */
	const char *field_manager;  /* writes; apply defaults to "tide" */
	bool force;                 /* apply: take fields owned by other managers */
	const char *subresource;    /* get, update, patch: "status" */
	/* list, watch */
	const char *label_selector;
	const char *field_selector;
	long limit;                 /* list page size; 0 = 500 */
	bool first_page_only;       /* list: stop after one page; the list's metadata.continue
	                               then says whether there was more */
	const char *resource_version;
	/* delete */
	const char *propagation;    /* "Foreground", "Background", "Orphan", or NULL */
	const char *precondition_uid;
	const char *precondition_rv;
};

/* ns: for namespaced resources, the namespace (NULL = the client's default namespace);
 * ignored for cluster-scoped ones. */

/* GET one object (or its subresource). ERR_NOTFOUND when it does not exist. */
int kube_get(struct doc_node **out, struct kube_client *c, struct arena *a,
	     const struct kube_resource *r, const char *ns, const char *name,
	     const struct kube_opts *o);

/* LIST, following `continue` tokens page by page (o->limit items a page) into one
 * "<Kind>List" document: {apiVersion, kind, metadata: {resourceVersion}, items: [...]},
 * each item with apiVersion and kind set. all_namespaces lists across namespaces. With
 * o->first_page_only, one page, and metadata.continue set when the server had more. */
int kube_list(struct doc_node **out, struct kube_client *c, struct arena *a,
	      const struct kube_resource *r, const char *ns, bool all_namespaces,
	      const struct kube_opts *o);

/* POST obj. Its apiVersion and kind choose the resource, metadata.namespace the namespace.
 * ERR_CONFLICT when it exists already. */
int kube_create(struct doc_node **out, struct kube_client *c, struct arena *a,
		const struct doc_node *obj, const struct kube_opts *o);

/* PUT obj (or its o->subresource). ERR_CONFLICT when metadata.resourceVersion is stale. */
int kube_update(struct doc_node **out, struct kube_client *c, struct arena *a,
		const struct doc_node *obj, const struct kube_opts *o);

/* Server-side apply: PATCH with application/apply-patch+yaml, fieldManager (default
 * "tide") and force. Creates the object when missing. ERR_CONFLICT on a field-manager
 * conflict without force (the message lists the conflicts, as the server words them). */
int kube_apply(struct doc_node **out, struct kube_client *c, struct arena *a,
	       const struct doc_node *obj, const struct kube_opts *o);

enum kube_patch_type {
	KUBE_PATCH_MERGE,     /* application/merge-patch+json (RFC 7386) */
	KUBE_PATCH_JSON,      /* application/json-patch+json (RFC 6902) */
	KUBE_PATCH_STRATEGIC, /* application/strategic-merge-patch+json (built-in kinds) */
	KUBE_PATCH_APPLY,     /* application/apply-patch+yaml */
};

/* PATCH name with body (JSON text, or YAML for KUBE_PATCH_APPLY). */
int kube_patch(struct doc_node **out, struct kube_client *c, struct arena *a,
	       const struct kube_resource *r, const char *ns, const char *name,
	       enum kube_patch_type type, const char *body, size_t len,
	       const struct kube_opts *o);

/* DELETE name, with o->propagation and preconditions. *out (may be NULL) receives what the
 * server returned: the object while finalizers run, or a Status. ERR_NOTFOUND when gone. */
int kube_delete(struct doc_node **out, struct kube_client *c, struct arena *a,
		const struct kube_resource *r, const char *ns, const char *name,
		const struct kube_opts *o);

/* The URL path of a resource's collection or object: "/apis/g/v/namespaces/ns/plural/name"
 * (name may be NULL; ns NULL = cluster-wide). Appended to out, escaped. */
void kube_resource_path(struct buf *out, const struct kube_resource *r, const char *ns,
			const char *name);

#endif
