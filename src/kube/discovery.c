/*
 * Discovery and the REST mapper (see mapper.h). The cache is a list of group-versions (from
 * /api and /apis, with each group's preferred version) and, per group-version fetched so
 * far, its resources (subresources like "pods/status" are left out). Everything lives in
 * one arena owned by the mapper and is only ever added to, so a struct kube_resource handed
 * out stays valid until the mapper is freed; a refresh replaces a group-version's array but
 * not the entries it pointed to. One mutex guards it all, held across discovery requests
 * (they are few and cached).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/client_impl.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DISCOVERY_MAX_BYTES (16u << 20)

struct resource_entry {
	struct kube_resource r;
	const char **short_names;
	size_t n_short;
};

struct group_version {
	const char *group;
	const char *version;
	bool preferred;
	bool fetched;
	struct resource_entry **items;
	size_t len, cap;
};

struct mapper {
	pthread_mutex_t lock;
	struct arena *a;
	bool groups_loaded;
	struct group_version *gvs;
	size_t len, cap;
};

struct mapper *mapper_new(void)
{
	struct mapper *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	m->a = arena_new();
	return m;
}

void mapper_free(struct mapper *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	arena_free(m->a);
	free(m);
}

/* GETs path and parses the JSON response into a. */
static int get_json(struct doc_node **out, struct kube_client *c, struct arena *a,
		    const char *path)
{
	struct buf b = BUF_INIT;
	struct kube_request req = { .method = "GET", .path = path };
	int rc = kube_request(&b, c, &req, NULL);
	if (rc == 0) {
		struct doc_limits lim = { .max_bytes = DISCOVERY_MAX_BYTES };
		rc = doc_parse_json(a, path, b.ptr, b.len, &lim, out);
	}
	buf_release(&b);
	return rc;
}

static struct group_version *gv_find(struct mapper *m, const char *group, const char *version)
{
	for (size_t i = 0; i < m->len; i++)
		if (strcmp(m->gvs[i].group, group) == 0 && strcmp(m->gvs[i].version, version) == 0)
			return &m->gvs[i];
	return NULL;
}

static struct group_version *gv_add(struct mapper *m, const char *group, const char *version)
{
	struct group_version *gv = gv_find(m, group, version);
	if (gv)
		return gv;
	m->gvs = arena_grow(m->a, m->gvs, &m->cap, m->len + 1, sizeof(*m->gvs));
	gv = &m->gvs[m->len++];
	memset(gv, 0, sizeof(*gv));
	gv->group = arena_strdup(m->a, group);
	gv->version = arena_strdup(m->a, version);
	return gv;
}

/* Loads (or reloads) the list of group-versions. Keeps what was fetched for each. */
static int load_groups(struct mapper *m, struct kube_client *c)
{
	struct arena *tmp = arena_new();
	struct doc_node *api = NULL, *apis = NULL;
	int rc = get_json(&api, c, tmp, "/api");
	if (rc < 0)
		goto done;
	if ((rc = get_json(&apis, c, tmp, "/apis")) < 0)
		goto done;
	for (size_t i = 0; i < m->len; i++)
		m->gvs[i].preferred = false;
	const struct doc_node *versions = doc_get(api, "versions");
	if (versions && versions->kind == DOC_SEQ)
		for (size_t i = 0; i < versions->u.seq.len; i++) {
			const struct doc_node *v = versions->u.seq.items[i];
			if (v->kind == DOC_STR)
				gv_add(m, "", v->u.str.ptr)->preferred = i == 0;
		}
	const struct doc_node *groups = doc_get(apis, "groups");
	if (groups && groups->kind == DOC_SEQ)
		for (size_t i = 0; i < groups->u.seq.len; i++) {
			const struct doc_node *g = groups->u.seq.items[i];
			const char *name = doc_get_str(g, "name");
			const char *pref = doc_get_str(g, "preferredVersion.version");
			const struct doc_node *vs = doc_get(g, "versions");
			if (!name || !vs || vs->kind != DOC_SEQ)
				continue;
			for (size_t j = 0; j < vs->u.seq.len; j++) {
				const char *v = doc_get_str(vs->u.seq.items[j], "version");
				if (!v)
					continue;
				struct group_version *gv = gv_add(m, name, v);
				gv->preferred = pref ? strcmp(pref, v) == 0 : j == 0;
			}
		}
	m->groups_loaded = true;
done:
	arena_free(tmp);
	return rc;
}

static const char *dup_or_empty(struct arena *a, const char *s)
{
	return arena_strdup(a, s ? s : "");
}

/* Fetches the resources of one group-version. ERR_NOTFOUND when the server has no such
 * group-version (404). */
static int load_resources(struct mapper *m, struct kube_client *c, struct group_version *gv)
{
	struct arena *tmp = arena_new();
	struct doc_node *list = NULL;
	char *path = gv->group[0] ? xasprintf("/apis/%s/%s", gv->group, gv->version)
				  : xasprintf("/api/%s", gv->version);
	int rc = get_json(&list, c, tmp, path);
	if (rc < 0)
		goto done;
	const struct doc_node *rs = doc_get(list, "resources");
	gv->items = NULL;
	gv->len = gv->cap = 0;
	if (rs && rs->kind == DOC_SEQ)
		for (size_t i = 0; i < rs->u.seq.len; i++) {
			const struct doc_node *r = rs->u.seq.items[i];
			const char *name = doc_get_str(r, "name");
			const char *kind = doc_get_str(r, "kind");
			if (!name || !kind || strchr(name, '/'))
				continue;
			struct resource_entry *e = arena_alloc(m->a, sizeof(*e));
			e->r.group = gv->group;
			e->r.version = gv->version;
			e->r.resource = arena_strdup(m->a, name);
			e->r.kind = arena_strdup(m->a, kind);
			const char *sing = doc_get_str(r, "singularName");
			if (sing && *sing) {
				e->r.singular = arena_strdup(m->a, sing);
			} else {
				/* older servers leave singularName empty: lowercase kind */
				char *s = arena_strdup(m->a, kind);
				for (char *p = s; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p - 'A' + 'a');
				e->r.singular = s;
			}
			const struct doc_node *ns = doc_get(r, "namespaced");
			e->r.namespaced = ns && ns->kind == DOC_BOOL && ns->u.boolean;
			const struct doc_node *sn = doc_get(r, "shortNames");
			if (sn && sn->kind == DOC_SEQ && sn->u.seq.len) {
				e->short_names = arena_alloc(m->a, sn->u.seq.len * sizeof(char *));
				for (size_t j = 0; j < sn->u.seq.len; j++)
					if (sn->u.seq.items[j]->kind == DOC_STR)
						e->short_names[e->n_short++] = dup_or_empty(
							m->a, sn->u.seq.items[j]->u.str.ptr);
			}
			gv->items = arena_grow(m->a, gv->items, &gv->cap, gv->len + 1,
					       sizeof(*gv->items));
			gv->items[gv->len++] = e;
		}
	gv->fetched = true;
done:
	free(path);
	arena_free(tmp);
	return rc;
}

static const struct group_version *preferred(struct mapper *m, const char *group)
{
	for (size_t i = 0; i < m->len; i++)
		if (m->gvs[i].preferred && strcmp(m->gvs[i].group, group) == 0)
			return &m->gvs[i];
	return NULL;
}

static const struct kube_resource *find_kind(const struct group_version *gv, const char *kind)
{
	for (size_t i = 0; gv && i < gv->len; i++)
		if (strcmp(gv->items[i]->r.kind, kind) == 0)
			return &gv->items[i]->r;
	return NULL;
}

/* Loads the group-versions on first use, or again with refresh. */
static int need_groups(struct mapper *m, struct kube_client *c, bool refresh)
{
	if (m->groups_loaded && !refresh)
		return 0;
	int rc = load_groups(m, c);
	return rc < 0 ? rc : 0;
}

/* One lookup pass; *out NULL when not found (with rc 0). */
static int lookup_kind(const struct kube_resource **out, struct mapper *m, struct kube_client *c,
		       const char *group, const char *version, const char *kind, bool refresh)
{
	*out = NULL;
	int rc = need_groups(m, c, refresh);
	if (rc < 0)
		return rc;
	struct group_version *gv;
	if (version)
		gv = gv_find(m, group, version);
	else
		gv = (struct group_version *)preferred(m, group);
	if (!gv)
		return 0;
	if (!gv->fetched || refresh) {
		rc = load_resources(m, c, gv);
		if (rc == ERR_NOTFOUND) {
			err_clear();
			return 0;
		}
		if (rc < 0)
			return rc;
	}
	*out = find_kind(gv, kind);
	return 0;
}

int kube_mapper_find(const struct kube_resource **out, struct kube_client *c,
		     const char *api_version, const char *kind)
{
	struct mapper *m = c->sh->mapper;
	char *group = NULL;
	const char *version = NULL;
	const char *slash = api_version ? strchr(api_version, '/') : NULL;
	if (slash) {
		group = xstrndup(api_version, (size_t)(slash - api_version));
		version = slash + 1;
	} else if (api_version && api_version[0] >= 'v' && api_version[0] <= 'v' &&
		   api_version[1] >= '0' && api_version[1] <= '9') {
		group = xstrdup(""); /* "v1": the core group */
		version = api_version;
	} else {
		group = xstrdup(api_version ? api_version : "");
	}
	pthread_mutex_lock(&m->lock);
	int rc = lookup_kind(out, m, c, group, version, kind, false);
	if (rc == 0 && !*out)
		rc = lookup_kind(out, m, c, group, version, kind, true);
	pthread_mutex_unlock(&m->lock);
	if (rc == 0 && !*out) {
		if (version)
			rc = err_set(ERR_NOTFOUND, "no matches for kind \"%s\" in version \"%s\"",
				     kind, api_version);
		else
			rc = err_set(ERR_NOTFOUND, "no matches for kind \"%s\" in group \"%s\"",
				     kind, group);
	}
	free(group);
	return rc;
}

static bool entry_matches(const struct resource_entry *e, const char *name)
{
	if (strcasecmp(e->r.resource, name) == 0 || strcasecmp(e->r.singular, name) == 0 ||
	    strcasecmp(e->r.kind, name) == 0)
		return true;
	for (size_t i = 0; i < e->n_short; i++)
		if (strcasecmp(e->short_names[i], name) == 0)
			return true;
	return false;
}

/* Searches every group-version (preferred ones first, core first), fetching as needed. */
static int search_name(const struct kube_resource **out, struct mapper *m, struct kube_client *c,
		       const char *name, const char *group, const char *version, bool refresh)
{
	*out = NULL;
	int rc = need_groups(m, c, refresh);
	if (rc < 0)
		return rc;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m->len; i++) {
			struct group_version *gv = &m->gvs[i];
			if (group && strcmp(gv->group, group) != 0)
				continue;
			if (version && strcmp(gv->version, version) != 0)
				continue;
			if (version && pass == 1)
				break;
			if (!version && (pass == 0) != gv->preferred)
				continue;
			if (!gv->fetched || refresh) {
				rc = load_resources(m, c, gv);
				if (rc < 0) {
					/* an aggregated API that is down: skip it, as kubectl does */
					err_clear();
					continue;
				}
			}
			for (size_t j = 0; j < gv->len; j++)
				if (entry_matches(gv->items[j], name)) {
					*out = &gv->items[j]->r;
					return 0;
				}
		}
	return 0;
}

int kube_mapper_find_name(const struct kube_resource **out, struct kube_client *c,
			  const char *name)
{
	struct mapper *m = c->sh->mapper;
	char *base = xstrdup(name);
	const char *group = NULL, *version = NULL;
	char *dot = strchr(base, '.');
	char *vdup = NULL;
	if (dot) {
		*dot = '\0';
		group = dot + 1;
		/* "<name>.<version>.<group>" when the first part looks like a version */
		char *dot2 = strchr(group, '.');
		if (dot2 && group[0] == 'v' && group[1] >= '0' && group[1] <= '9') {
			vdup = xstrndup(group, (size_t)(dot2 - group));
			version = vdup;
			group = dot2 + 1;
		}
	}
	pthread_mutex_lock(&m->lock);
	int rc = search_name(out, m, c, base, group, version, false);
	if (rc == 0 && !*out)
		rc = search_name(out, m, c, base, group, version, true);
	pthread_mutex_unlock(&m->lock);
	if (rc == 0 && !*out)
		rc = err_set(ERR_NOTFOUND, "the server doesn't have a resource type \"%s\"", name);
	free(vdup);
	free(base);
	return rc;
}

void kube_mapper_reset(struct kube_client *c)
{
	struct mapper *m = c->sh->mapper;
	pthread_mutex_lock(&m->lock);
	m->groups_loaded = false;
	for (size_t i = 0; i < m->len; i++)
		m->gvs[i].fetched = false;
	pthread_mutex_unlock(&m->lock);
}
