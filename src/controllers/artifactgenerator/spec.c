/*
 * The typed ArtifactGenerator (source-watcher api/v1beta1 ArtifactGeneratorSpec): sources,
 * artifacts with their copy operations, commonMetadata and pathPattern decoded once, the
 * inventory read back from status, and validateSpec, the checks the controller makes before
 * anything is fetched (each a terminal error: retrying cannot fix the spec).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "controllers/artifactgenerator/ag.h"
#include "controllers/common/fields.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

static const char *str(const struct doc_node *n, const char *path)
{
	const char *s = field_str(n, path);
	return s ? s : "";
}

static size_t seq_len(const struct doc_node *n)
{
	return n && n->kind == DOC_SEQ ? n->u.seq.len : 0;
}

static void decode_copy(struct arena *a, const struct doc_node *n, struct ag_copy *c)
{
	c->from = str(n, "from");
	c->to = str(n, "to");
	field_str_list(a, n, "exclude", &c->exclude, &c->nexclude);
	const char *s = str(n, "strategy");
	c->strategy = !strcmp(s, "Merge") ? AG_MERGE : !strcmp(s, "Extract") ? AG_EXTRACT : AG_OVERWRITE;
}

static void decode_output(struct arena *a, const struct doc_node *n, struct ag_output *o)
{
	memset(o, 0, sizeof(*o));
	o->name = str(n, "name");
	o->revision = str(n, "revision");
	o->origin_revision = str(n, "originRevision");
	const struct doc_node *copy = doc_map_get(n, "copy");
	o->ncopy = seq_len(copy);
	o->copy = arena_alloc(a, (o->ncopy ? o->ncopy : 1) * sizeof(*o->copy));
	for (size_t i = 0; i < o->ncopy; i++)
		decode_copy(a, copy->u.seq.items[i], &o->copy[i]);
}

void ag_init(struct ag *g, struct rt_reconcile *r)
{
	memset(g, 0, sizeof(*g));
	g->r = r;
	g->ctl = rt_data(r);
	g->a = rt_arena(r);
	g->obj = rt_object_doc(r);
	g->ns = rt_namespace(r);
	g->name = rt_name(r);
	g->uid = str(g->obj, "metadata.uid");
	doc_int64(doc_get(g->obj, "metadata.generation"), &g->generation);

	struct ag_spec *s = &g->spec;
	const struct doc_node *sources = doc_get(g->obj, "spec.sources");
	s->nsources = seq_len(sources);
	s->sources = arena_alloc(g->a, (s->nsources ? s->nsources : 1) * sizeof(*s->sources));
	for (size_t i = 0; i < s->nsources; i++) {
		const struct doc_node *n = sources->u.seq.items[i];
		struct ag_source *src = &s->sources[i];
		memset(src, 0, sizeof(*src));
		src->alias = str(n, "alias");
		src->kind = str(n, "kind");
		src->name = str(n, "name");
		src->namespace = *str(n, "namespace") ? str(n, "namespace") : g->ns;
	}
	const struct doc_node *arts = doc_get(g->obj, "spec.artifacts");
	s->noutputs = seq_len(arts);
	s->outputs = arena_alloc(g->a, (s->noutputs ? s->noutputs : 1) * sizeof(*s->outputs));
	for (size_t i = 0; i < s->noutputs; i++)
		decode_output(g->a, arts->u.seq.items[i], &s->outputs[i]);
	s->path_pattern = str(g->obj, "spec.pathPattern");
	s->labels = doc_get(g->obj, "spec.commonMetadata.labels");
	s->annotations = doc_get(g->obj, "spec.commonMetadata.annotations");

	const struct doc_node *inv = doc_get(g->obj, "status.inventory");
	g->ninventory = seq_len(inv);
	g->inventory = arena_alloc(g->a, (g->ninventory ? g->ninventory : 1) * sizeof(*g->inventory));
	for (size_t i = 0; i < g->ninventory; i++) {
		const struct doc_node *n = inv->u.seq.items[i];
		/* copied: status is rewritten during the reconcile */
		g->inventory[i] = (struct ag_ref){ arena_strdup(g->a, str(n, "name")),
						   arena_strdup(g->a, str(n, "namespace")),
						   arena_strdup(g->a, str(n, "digest")),
						   arena_strdup(g->a, str(n, "filename")) };
	}
}

void ag_release(struct ag *g)
{
	if (g->tmp)
		fs_rm_rf(g->tmp);
	free(g->tmp);
	g->tmp = NULL;
}

bool ag_disabled(const struct ag *g)
{
	const struct doc_node *an = doc_get(g->obj, "metadata.annotations");
	const struct doc_node *v = doc_map_get(an, AG_ANNOTATION_RECONCILE);
	return v && v->kind == DOC_STR && !strcasecmp(v->u.str.ptr, "disabled");
}

bool ag_in_inventory(const struct ag_ref *inv, size_t n, const char *name, const char *ns,
		     const char *digest)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(inv[i].name, name) && !strcmp(inv[i].namespace, ns) && !strcmp(inv[i].digest, digest))
			return true;
	return false;
}

struct ag_source *ag_source_find(const struct ag *g, const char *alias)
{
	for (size_t i = 0; i < g->spec.nsources; i++)
		if (!strcmp(g->spec.sources[i].alias, alias))
			return &g->spec.sources[i];
	return NULL;
}

int ag_validate(const struct ag *g, const char **reason)
{
	const struct ag_spec *s = &g->spec;
	*reason = AG_REASON_VALIDATION;
	for (size_t i = 0; i < s->nsources; i++) {
		const struct ag_source *src = &s->sources[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->sources[j].alias, src->alias))
				return err_set(ERR_INVALID, "duplicate source alias '%s' found", src->alias);
		if (ag_no_cross_namespace_refs && strcmp(src->namespace, g->ns)) {
			*reason = AG_REASON_ACCESS_DENIED;
			return err_set(ERR_INVALID, "cross-namespace reference to source %s/%s/%s is not allowed",
				       src->kind, src->namespace, src->name);
		}
	}
	for (size_t i = 0; i < s->noutputs; i++) {
		const struct ag_output *o = &s->outputs[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->outputs[j].name, o->name))
				return err_set(ERR_INVALID, "duplicate artifact name '%s' found", o->name);
		if (!*s->path_pattern) {
			const char *e = ag_dns_subdomain_errors(g->a, o->name);
			if (e)
				return err_set(ERR_INVALID, "artifact name %s is not a valid Kubernetes object name: %s",
					       ag_quote(g->a, o->name), e);
		}
		if (*o->revision && !ag_source_find(g, o->revision + (o->revision[0] == '@')))
			return err_set(ERR_INVALID, "artifact %s revision source alias '%s' not found", o->name,
				       o->revision + (o->revision[0] == '@'));
	}
	return 0;
}
