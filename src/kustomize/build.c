/*
 * Targets and the build: accumulating a kustomization (resources, generators, components,
 * transformers, in kustomize's order), and the steps that run once at the top (name
 * hashes, name references, vars, local-config removal, sort). See kust.h for the
 * pipeline; kustomize's api/internal/target/kusttarget.go is the reference.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

#define KUST_MAX_DEPTH 64

static int accumulate_target(struct kust_ctx *c, const struct kust_loader *ldr,
			     const struct kust_file *k, struct kust_acc *acc, int depth);

static void acc_init(struct kust_ctx *c, struct kust_acc *acc)
{
	memset(acc, 0, sizeof(*acc));
	acc->cfg = arena_alloc(c->a, sizeof(*acc->cfg));
	kust_tconfig_merge(c->a, acc->cfg, c->builtin);
}

static int add_var(struct kust_ctx *c, struct kust_acc *acc, struct doc_node *v)
{
	const char *name = kust_scalar(doc_map_get(v, "name"));
	for (size_t i = 0; i < acc->nvars; i++) {
		const char *o = kust_scalar(doc_map_get(acc->vars[i], "name"));
		if (name && o && !strcmp(name, o))
			return err_set(ERR_INVALID, "var '%s' already encountered", name);
	}
	if (acc->nvars == acc->cap_vars)
		acc->vars = arena_grow(c->a, acc->vars, &acc->cap_vars, acc->nvars + 1, sizeof(*acc->vars));
	acc->vars[acc->nvars++] = v;
	return 0;
}

/* A var of this kustomization: the object it names is looked up now, among the objects
 * accumulated so far, and remembers the var (kustomize's MergeVars). */
static int declare_var(struct kust_ctx *c, struct kust_acc *acc, struct doc_node *v)
{
	const char *name = kust_scalar(kust_json_field(v, "name"));
	const struct doc_node *ref = kust_json_field(v, "objref");
	if (!name)
		return err_set(ERR_INVALID, "vars: a var needs a name");
	struct kust_res *found = NULL;
	int matches = 0;
	for (size_t j = 0; j < acc->rm.len; j++) {
		struct kust_res *r = acc->rm.v[j];
		struct kust_id cur = kust_res_id(c->a, r);
		bool m = kust_objref_matches(c->a, ref, &cur);
		for (size_t k = 0; !m && k < r->nprev; k++)
			m = kust_objref_matches(c->a, ref, &r->prev[k]);
		if (m) {
			found = r;
			matches++;
		}
	}
	if (matches > 1)
		return err_set(ERR_INVALID, "found %d resId matches for var %s (unable to disambiguate)",
			       matches, name);
	if (found)
		kust_strv_push(c->a, &found->refvars, name);
	return add_var(c, acc, v);
}

static int merge_acc(struct kust_ctx *c, struct kust_acc *dst, struct kust_acc *src)
{
	int rc;
	if ((rc = kust_resmap_append_many(c->a, &dst->rm, src->rm.v, src->rm.len)))
		return rc;
	kust_tconfig_merge(c->a, dst->cfg, src->cfg);
	for (size_t i = 0; i < src->nvars; i++)
		if ((rc = add_var(c, dst, src->vars[i])))
			return rc;
	return 0;
}

static bool is_list_kind(const char *k)
{
	size_t n = k ? strlen(k) : 0;
	return n >= 4 && !strcmp(k + n - 4, "List");
}

static int add_object(struct kust_ctx *c, const char *name, struct doc_node *d, struct kust_resmap *out)
{
	if (d->kind != DOC_MAP)
		return err_set(ERR_INVALID, "'%s': expected an object (a mapping), got a %s", name,
			       doc_kind_name(d->kind));
	const char *kind = kust_scalar(doc_map_get(d, "kind"));
	const struct doc_node *items = doc_map_get(d, "items");
	if (is_list_kind(kind) && items && items->kind == DOC_SEQ) {
		for (size_t i = 0; i < items->u.seq.len; i++) {
			int rc = add_object(c, name, items->u.seq.items[i], out);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (is_list_kind(kind) && items && items->kind == DOC_NULL)
		return 0;
	if (!kind || !*kind)
		return err_set(ERR_INVALID, "'%s': missing kind in object", name);
	struct doc_node *md = doc_map_get(d, "metadata");
	/* kustomize's reader clears an annotations field with nothing in it (`annotations:`,
	 * `annotations: {}`): kyaml's ClearEmptyAnnotations after it strips its own index
	 * annotations (kio/byteio_reader.go). Empty labels are kept. */
	struct doc_node *an = doc_map_get(md, "annotations");
	if (an && ((an->kind == DOC_MAP && !an->u.map.len) || an->kind == DOC_NULL)) {
		doc_map_delete(md, "annotations");
		an = NULL;
	}
	/* Annotations come out as strings written from their source text (8080, true, 0x1F ->
	 * "8080", "true", "0x1F"): kustomize sets them back as a map[string]string after its
	 * build annotations are removed. Labels are not rewritten: `a: 0` and `g: 0x1F` stay
	 * numbers (0, 31), as kubectl prints them. */
	for (size_t i = 0; an && an->kind == DOC_MAP && i < an->u.map.len; i++) {
		struct doc_node *v = an->u.map.items[i].value;
		if (v && (v->kind == DOC_INT || v->kind == DOC_FLOAT || v->kind == DOC_BOOL))
			an->u.map.items[i].value = kust_str(c->a, kust_scalar(v));
	}
	kust_resmap_push(c->a, out, kust_res_new(c->a, d));
	return 0;
}

int kust_parse_resources(struct kust_ctx *c, const char *name, const char *data, size_t len,
			 struct kust_resmap *out)
{
	struct doc_stream st = { 0 };
	int rc = doc_parse_yaml(c->a, name, data, len, NULL, &st);
	if (rc == ERR_INVALID)
		return err_wrap(rc, "MalformedYAMLError");
	if (rc)
		return rc;
	for (size_t i = 0; i < st.len; i++) {
		if (st.docs[i]->kind == DOC_NULL)
			continue;
		if ((rc = add_object(c, name, st.docs[i], out)))
			return rc;
	}
	return 0;
}

static bool is_remote(const char *p)
{
	return strstr(p, "://") || !strncmp(p, "github.com/", 11) || !strncmp(p, "git@", 4) ||
	       !strncmp(p, "gitlab.com/", 11) || !strncmp(p, "bitbucket.org/", 14);
}

/* The openapi field: a builtin schema version or a schema file, not both.
 * NEEDSWORK: custom schemas are accepted but not used for merge keys yet. */
static int check_openapi(const struct kust_file *k);

/* The openapi field of a kustomization: the first one met (the top first) chooses the
 * schema for the whole build, as kustomize's SetSchema without reset does. */
static int choose_schema(struct kust_ctx *c, const struct kust_loader *ldr, const struct kust_file *k)
{
	int rc = check_openapi(k);
	if (rc || c->schema_set || !k->openapi)
		return rc;
	const char *path = kust_scalar(doc_map_get(k->openapi, "path"));
	c->schema_set = true;
	if (!path)
		return 0;
	struct doc_stream st = { 0 };
	rc = kust_load_yaml(c, ldr, path, &st);
	if (rc)
		return rc;
	c->schema = st.len ? st.docs[0] : NULL;
	return 0;
}

static int check_openapi(const struct kust_file *k)
{
	const char *version = kust_scalar(doc_map_get(k->openapi, "version"));
	const char *path = kust_scalar(doc_map_get(k->openapi, "path"));
	if (version && path)
		return err_set(ERR_INVALID, "builtin version and custom schema provided, cannot use both");
	if (version && strcmp(version, "v1.21.2"))
		return err_set(ERR_UNSUPPORTED, "the specified OpenAPI version is not built into the binary: %s", version);
	return 0;
}

static int accumulate_dir(struct kust_ctx *c, const struct kust_loader *ldr, const char *rel,
			  const char *abs, struct kust_acc *acc, bool component, int depth)
{
	struct kust_loader sub;
	int rc = kust_loader_sub(c, ldr, abs, &sub);
	if (rc)
		return rc;
	sub.origin = kust_path_join(c->a, ldr->origin ? ldr->origin : "", rel);
	if (depth >= KUST_MAX_DEPTH)
		return err_set(ERR_TOOBIG, "'%s': kustomizations nested too deeply", abs);
	struct kust_file *k = arena_alloc(c->a, sizeof(*k));
	if ((rc = kust_file_load(c, &sub, k)))
		return err_wrap(rc, "couldn't make target for path '%s'", abs);
	if ((rc = choose_schema(c, &sub, k)))
		return rc;
	bool is_comp = !strcmp(k->kind, "Component");
	if (component && !is_comp)
		return err_set(ERR_INVALID, "accumulateDirectory: \"expected kind 'Component' for path '%s' but got '%s'\"",
			       abs, k->kind);
	if (!component && is_comp)
		return err_set(ERR_INVALID, "expected kind != 'Component' for path '%s'", abs);
	if (component)
		return accumulate_target(c, &sub, k, acc, depth + 1);
	struct kust_acc subacc;
	acc_init(c, &subacc);
	if ((rc = accumulate_target(c, &sub, k, &subacc, depth + 1)))
		return rc;
	return merge_acc(c, acc, &subacc);
}

/* Resources of consecutive files, appended to the accumulation in one go: checking each
 * file's objects against everything accumulated so far costs O(n) per append, O(n^2) over a
 * tree of many files. */
struct pending {
	struct kust_resmap rm;
	const char **paths; /* per file */
	size_t *starts;     /* per file: its first object in rm */
	size_t nfiles, cap_paths, cap_starts;
};

static void pending_add(struct kust_ctx *c, struct pending *p, const char *path, const struct kust_resmap *rm)
{
	p->paths = arena_grow(c->a, p->paths, &p->cap_paths, p->nfiles + 1, sizeof(*p->paths));
	p->starts = arena_grow(c->a, p->starts, &p->cap_starts, p->nfiles + 1, sizeof(*p->starts));
	p->paths[p->nfiles] = path;
	p->starts[p->nfiles++] = p->rm.len;
	for (size_t j = 0; j < rm->len; j++)
		kust_resmap_push(c->a, &p->rm, rm->v[j]);
}

/* Appends what is pending; an error names the file of the first object refused, as if
 * the files had been appended one by one (the same checks in the same order). */
static int pending_flush(struct kust_ctx *c, struct pending *p, struct kust_acc *acc)
{
	size_t before = acc->rm.len;
	int rc = p->rm.len ? kust_resmap_append_many(c->a, &acc->rm, p->rm.v, p->rm.len) : 0;
	if (rc) {
		size_t bad = acc->rm.len - before, f = 0;
		while (f + 1 < p->nfiles && p->starts[f + 1] <= bad)
			f++;
		rc = err_wrap(rc, "accumulating resources: merging resources from '%s'", p->paths[f]);
	}
	p->rm.len = 0;
	p->nfiles = 0;
	return rc;
}

static int accumulate_resources(struct kust_ctx *c, const struct kust_loader *ldr,
				const struct doc_node *list, struct kust_acc *acc, int depth)
{
	struct pending pend = { 0 };
	for (size_t i = 0; list && i < list->u.seq.len; i++) {
		const char *path = kust_scalar(list->u.seq.items[i]);
		int rc;
		/* an error of this entry comes after any error of the files before it */
		if (!path || is_remote(path)) {
			if ((rc = pending_flush(c, &pend, acc)))
				return rc;
		}
		if (!path)
			return err_set(ERR_INVALID, "accumulating resources: entries must be strings");
		if (is_remote(path))
			return err_set(ERR_UNSUPPORTED, "accumulating resources: '%s': remote resources are not supported", path);
		const char *abs = NULL;
		if (kust_is_dir(c, ldr, path, &abs)) {
			if ((rc = pending_flush(c, &pend, acc)))
				return rc;
			if ((rc = accumulate_dir(c, ldr, path, abs, acc, false, depth)))
				return err_wrap(rc, "accumulating resources");
			continue;
		}
		struct buf b = BUF_INIT;
		rc = kust_load_file(c, ldr, path, &b, &abs);
		if (rc) {
			buf_release(&b);
			int frc = pending_flush(c, &pend, acc);
			if (frc)
				return frc;
			if (rc == ERR_NOTFOUND)
				return err_wrap(rc, "accumulating resources: accumulation err='accumulating resources from '%s'", path);
			return err_wrap(rc, "accumulating resources");
		}
		struct kust_resmap rm = { 0 };
		rc = kust_parse_resources(c, abs, b.ptr, b.len, &rm);
		buf_release(&b);
		if (!rc)
			rc = kust_budget(c);
		if (rc) {
			int frc = pending_flush(c, &pend, acc);
			return frc ? frc : err_wrap(rc, "accumulating resources");
		}
		struct kust_origin *o = NULL;
		if (c->build_metadata) {
			o = arena_alloc(c->a, sizeof(*o));
			o->path = kust_path_join(c->a, ldr->origin ? ldr->origin : "", path);
		}
		for (size_t j = 0; j < rm.len; j++)
			rm.v[j]->origin = o;
		pending_add(c, &pend, path, &rm);
	}
	return pending_flush(c, &pend, acc);
}

static int accumulate_components(struct kust_ctx *c, const struct kust_loader *ldr,
				 const struct doc_node *list, struct kust_acc *acc, int depth)
{
	for (size_t i = 0; list && i < list->u.seq.len; i++) {
		const char *path = kust_scalar(list->u.seq.items[i]);
		const char *abs = NULL;
		if (!path)
			return err_set(ERR_INVALID, "accumulating components: entries must be strings");
		if (!kust_is_dir(c, ldr, path, &abs))
			return err_set(ERR_INVALID, "accumulating components: loader.New \"must build at directory: '%s'\"",
				       abs ? abs : path);
		int rc = accumulate_dir(c, ldr, path, abs, acc, true, depth);
		if (rc)
			return err_wrap(rc, "accumulating components");
	}
	return 0;
}

static int load_configurations(struct kust_ctx *c, const struct kust_loader *ldr,
			       const struct kust_file *k, struct kust_acc *acc)
{
	for (size_t i = 0; k->configurations && i < k->configurations->u.seq.len; i++) {
		const char *path = kust_scalar(k->configurations->u.seq.items[i]);
		if (!path)
			continue;
		struct doc_stream st = { 0 };
		int rc = kust_load_yaml(c, ldr, path, &st);
		for (size_t j = 0; !rc && j < st.len; j++)
			rc = kust_tconfig_merge_doc(c->a, acc->cfg, st.docs[j], path);
		if (rc)
			return rc;
	}
	return kust_load_crds(c, ldr, k->crds, acc->cfg);
}

static int accumulate_target(struct kust_ctx *c, const struct kust_loader *ldr,
			     const struct kust_file *k, struct kust_acc *acc, int depth)
{
	int rc;
	if ((rc = accumulate_resources(c, ldr, k->resources, acc, depth)))
		return rc;
	if ((rc = load_configurations(c, ldr, k, acc)))
		return rc;
	if ((rc = kust_run_generators(c, ldr, k, acc)))
		return rc;
	/* kustomize inflates charts only with --enable-helm, by running the helm binary, which
	 * fetches charts from the network: tide does neither (docs/differences.md). */
	const struct doc_node *charts = doc_map_get(k->root, "helmCharts");
	const struct doc_node *inflate = doc_map_get(k->root, "helmChartInflationGenerator");
	if ((charts && charts->kind == DOC_SEQ && charts->u.seq.len) ||
	    (inflate && inflate->kind == DOC_SEQ && inflate->u.seq.len))
		return err_set(ERR_UNSUPPORTED, "'%s': helmCharts are not supported (kustomize's --enable-helm runs helm); use a HelmRelease",
			       kust_path_join(c->a, ldr->root, k->filename ? k->filename : "kustomization.yaml"));
	if (k->generators && (rc = kust_custom_generators(c, ldr, k, acc)))
		return rc;
	if ((rc = accumulate_components(c, ldr, k->components, acc, depth)))
		return rc;
	if ((rc = kust_run_transformers(c, ldr, k, acc)))
		return rc;
	for (size_t i = 0; k->vars && i < k->vars->u.seq.len; i++)
		if ((rc = declare_var(c, acc, k->vars->u.seq.items[i])))
			return err_wrap(rc, "merging vars");
	return 0;
}

static int add_hashes(struct kust_ctx *c, struct kust_acc *acc)
{
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		if (!r->needs_hash)
			continue;
		char h[11];
		int rc = kust_hash_object(c->a, r->node, h);
		if (rc)
			return rc;
		kust_res_store_prev(c->a, r);
		kust_res_set_name(c->a, r, arena_sprintf(c->a, "%s-%s", kust_res_name(r), h));
	}
	return 0;
}

static void drop_local_config(struct kust_acc *acc)
{
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		const struct doc_node *an = doc_map_get(doc_map_get(r->node, "metadata"), "annotations");
		const char *v = kust_scalar(doc_map_get(an, "config.kubernetes.io/local-config"));
		if (v && !strcmp(v, "true"))
			r->deleted = true;
	}
	kust_resmap_remove_deleted(&acc->rm);
}

static void set_annotation(struct arena *a, struct doc_node *obj, const char *key, const char *val)
{
	struct doc_node *md = doc_map_child(a, obj, "metadata", DOC_MAP);
	doc_map_set(a, doc_map_child(a, md, "annotations", DOC_MAP), key, kust_str(a, val));
}

static void add_build_annotations(struct kust_ctx *c, struct kust_acc *acc)
{
	if (!c->origin_annos && !c->transformer_annos)
		return;
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		struct buf b = BUF_INIT;
		if (c->origin_annos && r->origin) {
			kust_origin_yaml(&b, r->origin, "", false);
			set_annotation(c->a, r->node, "config.kubernetes.io/origin", b.ptr);
			buf_reset(&b);
		}
		if (c->transformer_annos && r->ntransforms) {
			for (size_t t = 0; t < r->ntransforms; t++)
				kust_origin_yaml(&b, r->transforms[t], "", true);
			set_annotation(c->a, r->node, "alpha.config.kubernetes.io/transformations", b.ptr);
		}
		buf_release(&b);
	}
}

static int apply_sort(struct kust_ctx *c, const struct kust_file *k, struct kust_acc *acc)
{
	if (k->sort_options) {
		const char *order = kust_scalar(doc_map_get(k->sort_options, "order"));
		const struct doc_node *lso = doc_map_get(k->sort_options, "legacySortOptions");
		if (!order || (strcmp(order, "legacy") && strcmp(order, "fifo")))
			return err_set(ERR_INVALID, "the field 'sortOptions.order' must be one of [fifo, legacy]");
		if (!strcmp(order, "fifo")) {
			if (lso && lso->kind != DOC_NULL)
				return err_set(ERR_INVALID, "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'");
			return 0;
		}
		kust_sort_legacy(c->a, &acc->rm, lso);
		return 0;
	}
	if (c->opt->reorder != KUST_REORDER_NONE)
		kust_sort_legacy(c->a, &acc->rm, NULL);
	return 0;
}

int kust_budget(const struct kust_ctx *c)
{
	if (arena_used(c->a) <= c->mem_limit)
		return 0;
	size_t max = c->opt->max_memory ? c->opt->max_memory : KUST_MAX_MEMORY_DEFAULT;
	return err_set(ERR_TOOBIG, "the build uses more than %zu MiB of memory (--max-build-memory)",
		       max >> 20);
}

int kust_build(struct arena *a, const char *dir, const struct kust_options *opt,
	       struct doc_node ***out, size_t *len)
{
	*out = NULL;
	*len = 0;
	struct kust_options defaults = KUST_OPTIONS_INIT;
	struct kust_ctx c = { a, opt ? opt : &defaults, NULL };
	size_t max = c.opt->max_memory ? c.opt->max_memory : KUST_MAX_MEMORY_DEFAULT;
	/* Relative to what the arena already holds: a reconcile's arena is shared. */
	c.mem_limit = arena_used(a) > SIZE_MAX - max ? SIZE_MAX : arena_used(a) + max;
	c.builtin = kust_tconfig_builtin(a);
	int rc = 0;
	char *real = realpath(dir, NULL);
	struct stat st;
	if (!real || stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(real);
		return err_set(ERR_NOTFOUND, "must build at directory: not a valid directory: '%s'", dir);
	}
	struct kust_loader ldr = { arena_strdup(a, real), "", NULL };
	free(real);
	if (c.opt->confine_root) {
		struct kust_loader none = { "/", "", NULL };
		if ((rc = kust_loader_sub(&c, &none, ldr.root, &ldr)))
			return rc;
		ldr.parent = NULL;
		ldr.origin = "";
	}
	struct kust_file k;
	rc = kust_file_load(&c, &ldr, &k);
	if (rc || (rc = choose_schema(&c, &ldr, &k)))
		return rc;
	for (size_t i = 0; k.build_metadata && i < k.build_metadata->u.seq.len; i++) {
		const char *m = kust_scalar(k.build_metadata->u.seq.items[i]);
		c.build_metadata = true;
		if (m && !strcmp(m, "originAnnotations"))
			c.origin_annos = true;
		else if (m && !strcmp(m, "transformerAnnotations"))
			c.transformer_annos = true;
	}
	struct kust_acc acc;
	acc_init(&c, &acc);
	if ((rc = accumulate_target(&c, &ldr, &k, &acc, 0)) || (rc = kust_budget(&c)))
		return rc;
	if ((rc = add_hashes(&c, &acc)))
		return rc;
	if ((rc = kust_fix_name_references(&c, &acc)) || (rc = kust_budget(&c)))
		return rc;
	if ((rc = kust_resolve_vars(&c, &acc)) || (rc = kust_budget(&c)))
		return rc;
	drop_local_config(&acc);
	if ((rc = apply_sort(&c, &k, &acc)))
		return rc;
	add_build_annotations(&c, &acc);
	struct doc_node **docs = arena_alloc(a, (acc.rm.len + 1) * sizeof(*docs));
	for (size_t i = 0; i < acc.rm.len; i++)
		docs[i] = acc.rm.v[i]->node;
	*out = docs;
	*len = acc.rm.len;
	return 0;
}

int kust_build_yaml(const char *dir, const struct kust_options *opt, struct buf *out)
{
	struct arena *a = arena_new();
	struct doc_node **docs;
	size_t n;
	int rc = kust_build(a, dir, opt, &docs, &n);
	/* kustomize prints each resource through JSON and sigs.k8s.io/yaml (Resource.AsYAML):
	 * keys in yaml.v2 order, styles chosen afresh, comments gone, numbers as JSON leaves them. */
	if (!rc)
		doc_emit_yaml_stream(out, docs, n, DOC_EMIT_SORT_KEYS | DOC_EMIT_NO_STYLE | DOC_EMIT_NO_COMMENTS | DOC_EMIT_JSON_SCALARS);
	arena_free(a);
	return rc;
}

int kust_build_write(const char *dir, const struct kust_options *opt, FILE *f)
{
	struct arena *a = arena_new();
	struct doc_node **docs;
	size_t n;
	int rc = kust_build(a, dir, opt, &docs, &n);
	/* One document at a time: the whole stream never sits in memory beside the objects. */
	struct buf b = BUF_INIT;
	for (size_t i = 0; !rc && i < n; i++) {
		buf_reset(&b);
		if (i)
			buf_add(&b, "---\n", 4);
		doc_emit_yaml(&b, docs[i], DOC_EMIT_SORT_KEYS | DOC_EMIT_NO_STYLE | DOC_EMIT_NO_COMMENTS | DOC_EMIT_JSON_SCALARS);
		if (fwrite(b.ptr, 1, b.len, f) != b.len)
			rc = err_set(ERR_IO, "writing the output: %s", strerror(errno));
	}
	if (!rc && fflush(f))
		rc = err_set(ERR_IO, "writing the output: %s", strerror(errno));
	buf_release(&b);
	arena_free(a);
	return rc;
}

int kust_parse_load_restrictor(const char *s, bool *none)
{
	if (!strcmp(s, "LoadRestrictionsRootOnly") || !strcmp(s, "rootOnly")) {
		*none = false;
		return 0;
	}
	if (!strcmp(s, "LoadRestrictionsNone") || !strcmp(s, "none")) {
		*none = true;
		return 0;
	}
	return err_set(ERR_INVALID, "illegal flag value --load-restrictor %s; legal values: [LoadRestrictionsRootOnly LoadRestrictionsNone]", s);
}

int kust_parse_reorder(const char *s, enum kust_reorder *out)
{
	if (!strcmp(s, "legacy")) {
		*out = KUST_REORDER_LEGACY;
		return 0;
	}
	if (!strcmp(s, "none")) {
		*out = KUST_REORDER_NONE;
		return 0;
	}
	if (!strcmp(s, "unspecified") || !*s) {
		*out = KUST_REORDER_UNSPECIFIED;
		return 0;
	}
	return err_set(ERR_INVALID, "illegal flag value --reorder %s; legal values: [legacy none]", s);
}
