/*
 * The REST verbs: URL building, request bodies and response parsing for get, list, create,
 * update, apply, patch and delete (see client.h). Objects go out as compact JSON emitted
 * from the document tree and come back parsed into the caller's arena, capped at the
 * client's body limit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/client_impl.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_escape.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DEFAULT_PAGE 500

/* Percent-encodes s for a path segment or query value (RFC 3986 unreserved kept). */
static void add_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~' ||
		    ch == ':')
			buf_addch(b, (char)ch);
		else {
			buf_addch(b, '%');
			buf_addch(b, hex[ch >> 4]);
			buf_addch(b, hex[ch & 15]);
		}
	}
}

void kube_resource_path(struct buf *out, const struct kube_resource *r, const char *ns,
			const char *name)
{
	if (r->group[0])
		buf_addf(out, "/apis/%s/%s", r->group, r->version);
	else
		buf_addf(out, "/api/%s", r->version);
	if (r->namespaced && ns && *ns) {
		buf_adds(out, "/namespaces/");
		add_escaped(out, ns);
	}
	buf_addch(out, '/');
	buf_adds(out, r->resource);
	if (name) {
		buf_addch(out, '/');
		add_escaped(out, name);
	}
}

static void add_param(struct buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	buf_addch(b, strchr(b->ptr, '?') ? '&' : '?');
	buf_adds(b, key);
	buf_addch(b, '=');
	add_escaped(b, value);
}

static void add_write_params(struct buf *b, const struct kube_opts *o, const char *def_manager)
{
	if (o && o->dry_run)
		add_param(b, "dryRun", "All");
	const char *fm = o && o->field_manager ? o->field_manager : def_manager;
	add_param(b, "fieldManager", fm);
}

static const char *ns_or_default(struct kube_client *c, const struct kube_resource *r,
				 const char *ns)
{
	if (!r->namespaced)
		return NULL;
	return ns && *ns ? ns : kube_client_namespace(c);
}

static int parse_response(struct doc_node **out, struct kube_client *c, struct arena *a,
			  const struct buf *body, const char *what)
{
	if (!out)
		return 0;
	*out = NULL;
	if (body->len == 0)
		return 0;
	struct doc_limits lim = { .max_bytes = c->sh->max_body, .max_depth = 512,
				  .max_nodes = (size_t)-1 >> 1 };
	return doc_parse_json(a, what, body->ptr, body->len, &lim, out);
}

/* One request whose response is an object. */
static int do_object(struct doc_node **out, struct kube_client *c, struct arena *a,
		     const char *method, const char *path, const char *ctype, const char *body,
		     size_t len, bool idempotent)
{
	struct buf resp = BUF_INIT;
	struct kube_request req = { .method = method, .path = path, .content_type = ctype,
				    .body = body, .body_len = len, .idempotent = idempotent };
	int rc = kube_request(&resp, c, &req, NULL);
	if (rc == 0)
		rc = parse_response(out, c, a, &resp, path);
	buf_release(&resp);
	return rc;
}

int kube_get(struct doc_node **out, struct kube_client *c, struct arena *a,
	     const struct kube_resource *r, const char *ns, const char *name,
	     const struct kube_opts *o)
{
	struct buf path = BUF_INIT;
	kube_resource_path(&path, r, ns_or_default(c, r, ns), name);
	if (o && o->subresource)
		buf_addf(&path, "/%s", o->subresource);
	if (o)
		add_param(&path, "resourceVersion", o->resource_version);
	int rc = do_object(out, c, a, "GET", path.ptr, NULL, NULL, 0, true);
	buf_release(&path);
	return rc;
}

/* Gives item apiVersion and kind in front, as kubectl prints list items. */
static void set_type(struct arena *a, struct doc_node *item, struct doc_node *apiv,
		     struct doc_node *kind)
{
	if (!item || item->kind != DOC_MAP || doc_map_get(item, "kind"))
		return;
	size_t n = item->u.map.len;
	struct doc_pair *p = arena_alloc(a, (n + 2) * sizeof(*p));
	p[0] = (struct doc_pair){ "apiVersion", 10, DOC_STR, 0, apiv };
	p[1] = (struct doc_pair){ "kind", 4, DOC_STR, 0, kind };
	if (n)
		memcpy(p + 2, item->u.map.items, n * sizeof(*p));
	item->u.map.items = p;
	item->u.map.len = item->u.map.cap = n + 2;
}

int kube_list(struct doc_node **out, struct kube_client *c, struct arena *a,
	      const struct kube_resource *r, const char *ns, bool all_namespaces,
	      const struct kube_opts *o)
{
	struct buf path = BUF_INIT, resp = BUF_INIT;
	char *cont = NULL;
	int rc = 0;
	long limit = o && o->limit > 0 ? o->limit : DEFAULT_PAGE;
	struct doc_node *list = doc_new_map(a);
	struct doc_node *items = doc_new_seq(a);
	char *apiv = r->group[0] ? arena_sprintf(a, "%s/%s", r->group, r->version)
				 : arena_strdup(a, r->version);
	struct doc_node *apiv_node = doc_new_str(a, apiv);
	struct doc_node *kind_node = doc_new_str(a, r->kind);
	doc_map_set(a, list, "apiVersion", doc_new_str(a, "v1"));
	doc_map_set(a, list, "kind", doc_new_str(a, "List"));
	struct doc_node *meta = doc_new_map(a);
	doc_map_set(a, list, "metadata", meta);
	doc_map_set(a, list, "items", items);
	for (int page = 0;; page++) {
		buf_reset(&path);
		buf_reset(&resp);
		kube_resource_path(&path, r, all_namespaces ? NULL : ns_or_default(c, r, ns), NULL);
		char lim[32];
		snprintf(lim, sizeof(lim), "%ld", limit);
		add_param(&path, "limit", lim);
		add_param(&path, "continue", cont);
		if (o) {
			add_param(&path, "labelSelector", o->label_selector);
			add_param(&path, "fieldSelector", o->field_selector);
			if (page == 0)
				add_param(&path, "resourceVersion", o->resource_version);
		}
		struct kube_request req = { .method = "GET", .path = path.ptr };
		if ((rc = kube_request(&resp, c, &req, NULL)) < 0)
			goto done;
		struct doc_node *pl = NULL;
		if ((rc = parse_response(&pl, c, a, &resp, path.ptr)) < 0)
			goto done;
		if (!pl || pl->kind != DOC_MAP) {
			rc = err_set(ERR_INVALID, "%s: expected a list object", path.ptr);
			goto done;
		}
		const char *lk = doc_get_str(pl, "kind");
		const char *lv = doc_get_str(pl, "apiVersion");
		if (lk && page == 0)
			doc_map_set(a, list, "kind", doc_new_str(a, lk));
		if (lv && page == 0)
			doc_map_set(a, list, "apiVersion", doc_new_str(a, lv));
		struct doc_node *pitems = doc_map_get(pl, "items");
		if (pitems && pitems->kind == DOC_SEQ)
			for (size_t i = 0; i < pitems->u.seq.len; i++) {
				set_type(a, pitems->u.seq.items[i], apiv_node, kind_node);
				doc_seq_push(a, items, pitems->u.seq.items[i]);
			}
		const char *rv = doc_get_str(pl, "metadata.resourceVersion");
		if (rv)
			doc_map_set(a, meta, "resourceVersion", doc_new_str(a, rv));
		const char *next = doc_get_str(pl, "metadata.continue");
		free(cont);
		cont = next && *next ? xstrdup(next) : NULL;
		if (cont && o && o->first_page_only) {
			doc_map_set(a, meta, "continue", doc_new_str(a, cont));
			break;
		}
		if (!cont)
			break;
	}
	*out = list;
done:
	free(cont);
	buf_release(&path);
	buf_release(&resp);
	return rc;
}

/* The resource, namespace and name that obj's apiVersion, kind and metadata name. */
static int object_target(const struct kube_resource **r, const char **ns, const char **name,
			 struct kube_client *c, const struct doc_node *obj, bool need_name)
{
	if (!obj || obj->kind != DOC_MAP)
		return err_set(ERR_INVALID, "object is not a mapping");
	const char *apiv = doc_get_str(obj, "apiVersion");
	const char *kind = doc_get_str(obj, "kind");
	*name = doc_get_str(obj, "metadata.name");
	if (!apiv || !kind)
		return err_set(ERR_INVALID, "object has no apiVersion or kind");
	if (need_name && (!*name || !**name))
		return err_set(ERR_INVALID, "%s has no metadata.name", kind);
	int rc = kube_mapper_find(r, c, apiv, kind);
	if (rc < 0)
		return rc;
	*ns = ns_or_default(c, *r, doc_get_str(obj, "metadata.namespace"));
	return 0;
}

/* A POST of obj to its collection (create), or a PUT to the object itself, or to
 * o->subresource under it (update: idempotent, so retried). */
static int send_object(struct doc_node **out, struct kube_client *c, struct arena *a,
		       const struct doc_node *obj, const struct kube_opts *o, bool update)
{
	const struct kube_resource *r;
	const char *ns, *name;
	int rc = object_target(&r, &ns, &name, c, obj, update);
	if (rc < 0)
		return rc;
	struct buf path = BUF_INIT, body = BUF_INIT;
	kube_resource_path(&path, r, ns, update ? name : NULL);
	if (update && o && o->subresource)
		buf_addf(&path, "/%s", o->subresource);
	add_write_params(&path, o, NULL);
	doc_emit_json(&body, obj, 0);
	rc = do_object(out, c, a, update ? "PUT" : "POST", path.ptr, "application/json", body.ptr,
		       body.len, update);
	buf_release(&path);
	buf_release(&body);
	return rc;
}

int kube_create(struct doc_node **out, struct kube_client *c, struct arena *a,
		const struct doc_node *obj, const struct kube_opts *o)
{
	return send_object(out, c, a, obj, o, false);
}

int kube_update(struct doc_node **out, struct kube_client *c, struct arena *a,
		const struct doc_node *obj, const struct kube_opts *o)
{
	return send_object(out, c, a, obj, o, true);
}

static const char *patch_ctype(enum kube_patch_type t)
{
	switch (t) {
	case KUBE_PATCH_JSON: return "application/json-patch+json";
	case KUBE_PATCH_STRATEGIC: return "application/strategic-merge-patch+json";
	case KUBE_PATCH_APPLY: return "application/apply-patch+yaml";
	case KUBE_PATCH_MERGE: default: return "application/merge-patch+json";
	}
}

static int patch_path(struct buf *path, struct kube_client *c, const struct kube_resource *r,
		      const char *ns, const char *name, enum kube_patch_type type,
		      const struct kube_opts *o)
{
	kube_resource_path(path, r, ns_or_default(c, r, ns), name);
	if (o && o->subresource)
		buf_addf(path, "/%s", o->subresource);
	add_write_params(path, o, type == KUBE_PATCH_APPLY ? "tide" : NULL);
	if (type == KUBE_PATCH_APPLY && o && o->force)
		add_param(path, "force", "true");
	return 0;
}

int kube_patch(struct doc_node **out, struct kube_client *c, struct arena *a,
	       const struct kube_resource *r, const char *ns, const char *name,
	       enum kube_patch_type type, const char *body, size_t len,
	       const struct kube_opts *o)
{
	struct buf path = BUF_INIT;
	patch_path(&path, c, r, ns, name, type, o);
	bool idem = type == KUBE_PATCH_APPLY || type == KUBE_PATCH_MERGE;
	int rc = do_object(out, c, a, "PATCH", path.ptr, patch_ctype(type), body, len, idem);
	buf_release(&path);
	return rc;
}

int kube_apply(struct doc_node **out, struct kube_client *c, struct arena *a,
	       const struct doc_node *obj, const struct kube_opts *o)
{
	const struct kube_resource *r;
	const char *ns, *name;
	int rc = object_target(&r, &ns, &name, c, obj, true);
	if (rc < 0)
		return rc;
	struct buf body = BUF_INIT;
	doc_emit_json(&body, obj, 0);
	rc = kube_patch(out, c, a, r, ns, name, KUBE_PATCH_APPLY, body.ptr, body.len, o);
	buf_release(&body);
	return rc;
}

int kube_delete(struct doc_node **out, struct kube_client *c, struct arena *a,
		const struct kube_resource *r, const char *ns, const char *name,
		const struct kube_opts *o)
{
	struct buf path = BUF_INIT, body = BUF_INIT;
	kube_resource_path(&path, r, ns_or_default(c, r, ns), name);
	/* the server reads DeleteOptions from the body when there is one, ignoring the query */
	buf_adds(&body, "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"");
	if (o && o->dry_run)
		buf_adds(&body, ",\"dryRun\":[\"All\"]");
	if (o && o->propagation) {
		buf_adds(&body, ",\"propagationPolicy\":");
		json_escape(&body, o->propagation, strlen(o->propagation));
	}
	if (o && (o->precondition_uid || o->precondition_rv)) {
		struct doc_node *pre = NULL;
		struct arena *tmp = arena_new();
		pre = doc_new_map(tmp);
		if (o->precondition_uid)
			doc_map_set(tmp, pre, "uid", doc_new_str(tmp, o->precondition_uid));
		if (o->precondition_rv)
			doc_map_set(tmp, pre, "resourceVersion",
				    doc_new_str(tmp, o->precondition_rv));
		buf_adds(&body, ",\"preconditions\":");
		doc_emit_json(&body, pre, 0);
		arena_free(tmp);
	}
	buf_addch(&body, '}');
	int rc = do_object(out, c, a, "DELETE", path.ptr, "application/json", body.ptr, body.len,
			   true);
	buf_release(&path);
	buf_release(&body);
	return rc;
}
