/*
 * Values as helm computes them: values files (loader.LoadValues: every YAML document of a
 * file merged, YAML 1.1 scalars through JSON), -f merging (loader.MergeMaps), and the
 * values a render sees (chartutil.ProcessDependencies then CoalesceValues: aliases,
 * conditions and tags, import-values, defaults under user values, subcharts scoped under
 * their names with `global` copied down). The functions follow helm's Go line by line,
 * including its quirks (a null in user values deletes a default; parent values win over
 * imported ones), because users' charts depend on them. Go iterates maps in random order;
 * where helm's result depends on that order, tide uses insertion order.
 */
#include "helm/values.h"

#include <stdio.h>
#include <string.h>

#include "doc/doc.h"
#include "helm/chart.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/semver.h"
#include "util/banned.h"

static bool is_table(const struct tv *v)
{
	return v && v->kind == TV_MAP;
}

static bool is_nil(const struct tv *v)
{
	return !v || v->kind == TV_NIL;
}

/* ---- Reading ---------------------------------------------------------------------- */

/* The scalar text a key or value had, for the one sigs.k8s.io/yaml message that shows it. */
static const char *scalar_text(const struct doc_node *n)
{
	if (!n)
		return "<nil>";
	if (n->kind == DOC_NULL)
		return "<nil>";
	if (n->kind == DOC_BOOL)
		return n->u.boolean ? "true" : "false";
	if (n->kind == DOC_SEQ || n->kind == DOC_MAP)
		return NULL;
	return n->u.str.ptr;
}

/* A plain key that YAML 1.1 reads as null fails the whole file in sigs.k8s.io/yaml. */
static int find_null_key(const struct doc_node *n, int depth)
{
	if (!n || depth > 300)
		return 0;
	if (n->kind == DOC_SEQ) {
		for (size_t i = 0; i < n->u.seq.len; i++) {
			int rc = find_null_key(n->u.seq.items[i], depth + 1);
			if (rc)
				return rc;
		}
	} else if (n->kind == DOC_MAP) {
		for (size_t i = 0; i < n->u.map.len; i++) {
			const struct doc_pair *p = &n->u.map.items[i];
			if (p->key_style == DOC_STYLE_PLAIN &&
			    (p->key_kind == DOC_NULL || !strcmp(p->key, "~") || !strcmp(p->key, "null") ||
			     !strcmp(p->key, "Null") || !strcmp(p->key, "NULL") || !*p->key)) {
				const char *v = scalar_text(p->value);
				return err_set(ERR_INVALID, "error converting YAML to JSON: unsupported map "
							    "key of type: %%!s(<nil>), key: <nil>, value: %s",
					       v ? v : "map[]");
			}
			int rc = find_null_key(p->value, depth + 1);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static struct tv *merge_maps(struct arena *a, const struct tv *x, const struct tv *y)
{
	struct tv *out = tv_map_new(a);
	for (size_t i = 0; x && i < x->u.map.len; i++)
		tv_map_setn(a, out, x->u.map.items[i].key, x->u.map.items[i].keylen, x->u.map.items[i].value);
	for (size_t i = 0; i < y->u.map.len; i++) {
		const struct tv_pair *p = &y->u.map.items[i];
		if (is_table(p->value)) {
			struct tv *bv = tv_map_getn(out, p->key, p->keylen);
			if (is_table(bv)) {
				tv_map_setn(a, out, p->key, p->keylen, merge_maps(a, bv, p->value));
				continue;
			}
		}
		tv_map_setn(a, out, p->key, p->keylen, p->value);
	}
	return out;
}

/* The doc parser's "'NAME': line N: PROBLEM while CONTEXT" (lines numbered as yaml.v2
 * numbers them, doc_limits.yaml_v2_error_lines) in yaml.v2's words, "yaml: line N: PROBLEM". */
const char *helm_yaml_v2_message(struct arena *a, const char *msg)
{
	const char *p = msg;
	if (*p == '\'') {
		const char *q = strstr(p, "': ");
		if (q)
			p = q + 3;
	}
	char *out = arena_sprintf(a, "yaml: %s", p);
	char *w = strstr(out, " while ");
	if (w)
		*w = '\0';
	return out;
}

/* helm's LoadValues (every document merged, messages prefixed "cannot unmarshal yaml
 * document: "), or sigs.k8s.io/yaml's Unmarshal into a map (first_only: the first document,
 * the parser's message alone). */
static int read_values(struct arena *a, const char *name, const char *data, size_t len,
		       bool first_only, struct tv **out)
{
	const char *prefix = first_only ? "" : "cannot unmarshal yaml document: ";
	struct tv *values = tv_map_new(a);
	*out = values;
	struct doc_stream st = { 0 };
	struct doc_limits lim = { 0 };
	lim.duplicate_keys_last_wins = true;
	lim.yaml_v2_error_lines = true;
	int rc = doc_parse_yaml(a, name, data, len, &lim, &st);
	if (rc)
		return err_set(rc, "%serror converting YAML to JSON: %s", prefix,
			       helm_yaml_v2_message(a, err_msg()));
	for (size_t i = 0; i < st.len && !(first_only && i > 0); i++) {
		const struct doc_node *d = st.docs[i];
		if (!d || d->kind == DOC_NULL)
			continue;
		if (d->kind != DOC_MAP) {
			const char *what = d->kind == DOC_SEQ ? "array" : d->kind == DOC_BOOL ? "bool"
					   : d->kind == DOC_STR && d->style != DOC_STYLE_PLAIN ? "string"
					   : d->kind == DOC_INT || d->kind == DOC_FLOAT ? "number" : "string";
			return err_set(ERR_INVALID, "%serror unmarshaling JSON: while decoding JSON: "
						    "json: cannot unmarshal %s into Go value of type "
						    "map[string]interface {}", prefix, what);
		}
		if ((rc = find_null_key(d, 0)))
			return err_set(rc, "%s%s", prefix, err_msg());
		struct tv *m;
		if ((rc = tv_from_doc(a, d, TV_FROM_DOC_YAML11, &m)))
			return err_set(rc, "%s%s", prefix, err_msg());
		values = merge_maps(a, values, m);
	}
	*out = values;
	return 0;
}

int helm_values_read(struct arena *a, const char *name, const char *data, size_t len,
		     struct tv **out)
{
	return read_values(a, name, data, len, false, out);
}

int helm_values_read_first(struct arena *a, const char *name, const char *data, size_t len,
			   struct tv **out)
{
	return read_values(a, name, data, len, true, out);
}

void helm_values_merge(struct arena *a, struct tv *dest, const struct tv *src)
{
	struct tv *m = merge_maps(a, dest, src);
	dest->u.map = m->u.map;
}

/* ---- Coalescing (pkg/chart/common/util/coalesce.go) -------------------------------- */

static struct tv *copy_map_shallow(struct arena *a, const struct tv *m)
{
	struct tv *out = tv_map_new(a);
	for (size_t i = 0; i < m->u.map.len; i++)
		tv_map_setn(a, out, m->u.map.items[i].key, m->u.map.items[i].keylen, m->u.map.items[i].value);
	return out;
}

static struct tv *coalesce_tables(struct arena *a, struct tv *dst, struct tv *src, bool merge)
{
	if (!src)
		return dst;
	if (!dst)
		return src;
	size_t n = src->u.map.len;
	bool *nonnil = arena_alloc(a, (n + 1) * sizeof *nonnil);
	const char **keys = arena_alloc(a, (n + 1) * sizeof *keys);
	for (size_t i = 0; i < n; i++) {
		nonnil[i] = !is_nil(src->u.map.items[i].value);
		keys[i] = src->u.map.items[i].key;
	}
	for (size_t i = 0; i < dst->u.map.len; i++)
		if (is_nil(dst->u.map.items[i].value))
			tv_map_setn(a, src, dst->u.map.items[i].key, dst->u.map.items[i].keylen, &tv_nil_value);
	for (size_t i = 0; i < src->u.map.len; i++) {
		const struct tv_pair *p = &src->u.map.items[i];
		bool orig_nonnil = false;
		for (size_t k = 0; k < n; k++)
			if (keys[k] == p->key || !strcmp(keys[k], p->key)) {
				orig_nonnil = nonnil[k];
				break;
			}
		struct tv *dv = tv_map_getn(dst, p->key, p->keylen);
		if (dv && !merge && is_nil(dv) && orig_nonnil) {
			tv_map_delete(dst, p->key);
		} else if (!dv) {
			tv_map_setn(a, dst, p->key, p->keylen, p->value);
		} else if (is_table(p->value)) {
			if (is_table(dv))
				coalesce_tables(a, dv, p->value, merge);
			/* else helm warns "cannot overwrite table with non table" */
		}
	}
	return dst;
}

static bool child_chart_merge_true(const struct helm_chart *c, const char *key, bool merge)
{
	for (size_t i = 0; i < c->ndependencies; i++)
		if (!strcmp(c->dependencies[i]->metadata.name, key))
			return true;
	return merge;
}

static void coalesce_values(struct arena *a, const struct helm_chart *c, struct tv *v, bool merge)
{
	struct tv *vc = tv_deep_copy(a, c->values ? c->values : tv_map_new(a));
	for (size_t i = 0; i < vc->u.map.len; i++) {
		const struct tv_pair *p = &vc->u.map.items[i];
		struct tv *value = tv_map_getn(v, p->key, p->keylen);
		if (value) {
			if (is_nil(value) && !merge) {
				tv_map_delete(v, p->key);
			} else if (is_table(value)) {
				if (is_table(p->value))
					coalesce_tables(a, value, p->value,
							child_chart_merge_true(c, p->key, merge));
				/* else helm warns "skipped value ...: Not a table." */
			}
		} else {
			tv_map_setn(a, v, p->key, p->keylen, p->value);
		}
	}
}

static void coalesce_globals(struct arena *a, struct tv *dest, const struct tv *src)
{
	struct tv *dg, *sg;
	struct tv *d = tv_map_get(dest, "global");
	if (!d)
		dg = tv_map_new(a);
	else if (is_table(d))
		dg = d;
	else
		return; /* helm: "skipping globals because destination global is not a table" */
	struct tv *s = tv_map_get(src, "global");
	if (!s)
		sg = tv_map_new(a);
	else if (is_table(s))
		sg = s;
	else
		return;
	for (size_t i = 0; i < sg->u.map.len; i++) {
		const struct tv_pair *p = &sg->u.map.items[i];
		struct tv *dv = tv_map_getn(dg, p->key, p->keylen);
		if (is_table(p->value)) {
			struct tv *vv = copy_map_shallow(a, p->value);
			if (!dv) {
				tv_map_setn(a, dg, p->key, p->keylen, vv);
			} else if (is_table(dv)) {
				coalesce_tables(a, vv, dv, true);
				tv_map_setn(a, dg, p->key, p->keylen, vv);
			}
		} else if (dv && is_table(dv)) {
			/* helm: "key %s is table. Skipping" */
		} else {
			tv_map_setn(a, dg, p->key, p->keylen, p->value);
		}
	}
	tv_map_set(a, dest, "global", dg);
}

/* Go's %t of a value that is not a bool, as helm's "type mismatch" message prints it. */
static const char *go_t(struct arena *a, const struct tv *v)
{
	switch (v->kind) {
	case TV_BOOL: return v->u.b ? "true" : "false";
	case TV_NIL: return "%!t(<nil>)";
	case TV_STRING: return arena_sprintf(a, "%%!t(string=%s)", v->u.s.ptr);
	case TV_INT: return arena_sprintf(a, "%%!t(%s=%lld)", tv_type_name(v), (long long)v->u.i);
	case TV_FLOAT: return arena_sprintf(a, "%%!t(float64=%g)", v->u.f);
	default: return arena_sprintf(a, "%%!t(%s)", tv_type_name(v));
	}
}

static int coalesce(struct arena *a, const struct helm_chart *c, struct tv *dest, bool merge);

static int coalesce_deps(struct arena *a, const struct helm_chart *c, struct tv *dest, bool merge)
{
	for (size_t i = 0; i < c->ndependencies; i++) {
		const struct helm_chart *sub = c->dependencies[i];
		const char *name = sub->metadata.name;
		struct tv *cur = tv_map_get(dest, name);
		if (!cur) {
			cur = tv_map_new(a);
			tv_map_set(a, dest, name, cur);
		} else if (!is_table(cur)) {
			return err_set(ERR_INVALID, "type mismatch on %s: %s", name, go_t(a, cur));
		}
		coalesce_globals(a, cur, dest);
		int rc = coalesce(a, sub, cur, merge);
		if (rc)
			return rc;
	}
	return 0;
}

static int coalesce(struct arena *a, const struct helm_chart *c, struct tv *dest, bool merge)
{
	coalesce_values(a, c, dest, merge);
	return coalesce_deps(a, c, dest, merge);
}

static int coalesce_copy(struct arena *a, const struct helm_chart *c, const struct tv *vals,
			 bool merge, struct tv **out)
{
	struct tv *v = vals ? tv_deep_copy(a, vals) : tv_map_new(a);
	*out = v;
	return coalesce(a, c, v, merge);
}

/* ---- Dependencies (pkg/chart/v2/util/dependencies.go) ------------------------------ */

static bool compatible_range(const char *constraint, const char *version)
{
	struct semver v;
	if (!version || semver_parse(version, &v))
		return false;
	struct semver_constraint *sc;
	if (semver_constraint_parse(constraint && *constraint ? constraint : "*", &sc))
		return false;
	bool ok = semver_constraint_check(sc, &v) == 1;
	semver_constraint_free(sc);
	return ok;
}

/* Values.Table: the map at a dotted path, or NULL. */
static struct tv *table_at(const struct tv *v, const char *path)
{
	const char *p = path;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		struct tv *next = tv_map_getn(v, p, n);
		if (!is_table(next))
			return NULL;
		v = next;
		if (!dot)
			return (struct tv *)v;
		p = dot + 1;
	}
}

/* Values.PathValue: a non-table value at a dotted path, or NULL. */
static struct tv *path_value(struct arena *a, const struct tv *v, const char *path)
{
	if (!*path)
		return NULL;
	const char *dot = strrchr(path, '.');
	const struct tv *t = v;
	const char *key = path;
	if (dot) {
		t = table_at(v, arena_strndup(a, path, (size_t)(dot - path)));
		key = dot + 1;
		if (!t)
			return NULL;
	}
	struct tv *r = tv_map_get(t, key);
	return r && !is_table(r) ? r : NULL;
}

static struct helm_chart *alias_dependency(struct arena *a, struct helm_chart *parent,
					   struct helm_chart **charts, size_t n,
					   const struct helm_dependency *dep)
{
	for (size_t i = 0; i < n; i++) {
		struct helm_chart *c = charts[i];
		if (!c || strcmp(c->metadata.name, dep->name ? dep->name : ""))
			continue;
		if (!compatible_range(dep->version, c->metadata.version))
			continue;
		struct helm_chart *out = arena_alloc(a, sizeof *out);
		*out = *c;
		out->parent = parent;
		out->metadata.dependencies = c->metadata.dependencies
			? arena_alloc(a, (c->metadata.ndependencies + 1) * sizeof *c->metadata.dependencies)
			: NULL;
		for (size_t k = 0; k < c->metadata.ndependencies; k++)
			out->metadata.dependencies[k] = c->metadata.dependencies[k];
		out->dependencies = arena_alloc(a, (c->ndependencies + 1) * sizeof *out->dependencies);
		for (size_t k = 0; k < c->ndependencies; k++) {
			struct helm_chart *cpy = arena_alloc(a, sizeof *cpy);
			*cpy = *c->dependencies[k];
			cpy->parent = out;
			out->dependencies[k] = cpy;
		}
		if (dep->alias && *dep->alias)
			out->metadata.name = dep->alias;
		return out;
	}
	return NULL;
}

static void process_tags(struct helm_metadata *md, const struct tv *cvals)
{
	const struct tv *vt = table_at(cvals, "tags");
	if (!vt)
		return;
	for (size_t i = 0; i < md->ndependencies; i++) {
		struct helm_dependency *r = &md->dependencies[i];
		bool has_true = false, has_false = false;
		for (size_t k = 0; k < r->ntags; k++) {
			const struct tv *b = tv_map_get(vt, r->tags[k]);
			if (b && b->kind == TV_BOOL) {
				if (b->u.b)
					has_true = true;
				else
					has_false = true;
			}
		}
		if (!has_true && has_false)
			r->enabled = false;
		else
			r->enabled = true;
	}
}

static void process_conditions(struct arena *a, struct helm_metadata *md, const struct tv *cvals,
			       const char *cpath)
{
	for (size_t i = 0; i < md->ndependencies; i++) {
		struct helm_dependency *r = &md->dependencies[i];
		const char *cond = r->condition ? r->condition : "";
		while (*cond == ' ' || *cond == '\t' || *cond == '\n' || *cond == '\r')
			cond++;
		size_t cl = strlen(cond);
		while (cl && (cond[cl - 1] == ' ' || cond[cl - 1] == '\t' || cond[cl - 1] == '\n' ||
			      cond[cl - 1] == '\r'))
			cl--;
		const char *p = cond, *end = cond + cl;
		while (p <= end && cl) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *e = comma ? comma : end;
			if (e > p) {
				char *path = arena_sprintf(a, "%s%.*s", cpath, (int)(e - p), p);
				const struct tv *vv = path_value(a, cvals, path);
				if (vv && vv->kind == TV_BOOL) {
					r->enabled = vv->u.b;
					break;
				}
			}
			if (!comma)
				break;
			p = comma + 1;
		}
	}
}

static int process_enabled(struct arena *a, struct helm_chart *c, const struct tv *v, const char *path)
{
	struct helm_metadata *md = &c->metadata;
	if (!md->dependencies)
		return 0;
	size_t cap = c->ndependencies + md->ndependencies + 1, n = 0;
	struct helm_chart **deps = arena_alloc(a, cap * sizeof *deps);
	for (size_t i = 0; i < c->ndependencies; i++) {
		struct helm_chart *existing = c->dependencies[i];
		bool matched = false;
		for (size_t k = 0; k < md->ndependencies && !matched; k++) {
			const struct helm_dependency *req = &md->dependencies[k];
			matched = req->name && !strcmp(existing->metadata.name, req->name) &&
				  compatible_range(req->version, existing->metadata.version);
		}
		if (!matched)
			deps[n++] = existing;
	}
	for (size_t k = 0; k < md->ndependencies; k++) {
		struct helm_dependency *req = &md->dependencies[k];
		struct helm_chart *d = alias_dependency(a, c, c->dependencies, c->ndependencies, req);
		if (d)
			deps[n++] = d;
		if (req->alias && *req->alias)
			req->name = req->alias;
	}
	c->dependencies = deps;
	c->ndependencies = n;
	for (size_t k = 0; k < md->ndependencies; k++)
		md->dependencies[k].enabled = true;
	struct tv *cvals;
	int rc = coalesce_copy(a, c, v, false, &cvals);
	if (rc)
		return rc;
	process_tags(md, cvals);
	process_conditions(a, md, cvals, path);
	size_t keep = 0;
	for (size_t i = 0; i < c->ndependencies; i++) {
		bool removed = false;
		for (size_t k = 0; k < md->ndependencies && !removed; k++)
			removed = !md->dependencies[k].enabled &&
				  !strcmp(md->dependencies[k].name ? md->dependencies[k].name : "",
					  c->dependencies[i]->metadata.name);
		if (!removed)
			c->dependencies[keep++] = c->dependencies[i];
	}
	c->ndependencies = keep;
	size_t mkeep = 0;
	struct helm_dependency *mdeps = arena_alloc(a, (md->ndependencies + 1) * sizeof *mdeps);
	for (size_t k = 0; k < md->ndependencies; k++) {
		const struct helm_dependency *r = &md->dependencies[k];
		bool removed = false;
		for (size_t j = 0; j < md->ndependencies && !removed; j++)
			removed = !md->dependencies[j].enabled &&
				  !strcmp(md->dependencies[j].name ? md->dependencies[j].name : "",
					  r->name ? r->name : "");
		if (!removed)
			mdeps[mkeep++] = *r;
	}
	for (size_t i = 0; i < c->ndependencies; i++) {
		struct helm_chart *t = c->dependencies[i];
		char *sub = arena_sprintf(a, "%s%s.", path, t->metadata.name);
		if ((rc = process_enabled(a, t, cvals, sub)))
			return rc;
	}
	md->dependencies = mdeps;
	md->ndependencies = mkeep;
	return 0;
}

static struct tv *path_to_map(struct arena *a, const char *path, struct tv *data)
{
	if (!strcmp(path, "."))
		return data;
	/* strings.Split(path, "."), innermost last */
	struct tv *cur = data;
	size_t len = strlen(path);
	size_t end = len;
	for (size_t i = len + 1; i-- > 0;) {
		if (i == 0 || path[i - 1] == '.') {
			struct tv *m = tv_map_new(a);
			tv_map_setn(a, m, path + i, end - i, cur);
			cur = m;
			end = i ? i - 1 : 0;
		}
	}
	return cur;
}

static const char *go_v(struct arena *a, const struct tv *v)
{
	if (!v || v->kind == TV_NIL || v->kind == TV_INVALID)
		return "<nil>";
	switch (v->kind) {
	case TV_STRING: return v->u.s.ptr;
	case TV_BOOL: return v->u.b ? "true" : "false";
	case TV_INT: return arena_sprintf(a, "%lld", (long long)v->u.i);
	case TV_FLOAT: return arena_sprintf(a, "%g", v->u.f);
	default: return "";
	}
}

static int process_import_values(struct arena *a, struct helm_chart *c)
{
	if (!c->metadata.dependencies)
		return 0;
	struct tv *cvals;
	int rc = coalesce_copy(a, c, NULL, true, &cvals);
	if (rc)
		return rc;
	struct tv *b = tv_map_new(a);
	for (size_t k = 0; k < c->metadata.ndependencies; k++) {
		const struct helm_dependency *r = &c->metadata.dependencies[k];
		if (!r->import_values)
			continue;
		struct tv *ivs;
		if (tv_from_doc(a, r->import_values, 0, &ivs) || ivs->kind != TV_LIST)
			continue;
		for (size_t i = 0; i < ivs->u.list.len; i++) {
			const struct tv *iv = ivs->u.list.items[i];
			if (is_table(iv)) {
				const char *child = go_v(a, tv_map_get(iv, "child"));
				const char *parent = go_v(a, tv_map_get(iv, "parent"));
				struct tv *vv = table_at(cvals, arena_sprintf(a, "%s.%s", r->name, child));
				if (!vv)
					continue; /* helm warns "ImportValues missing table from chart" */
				b = coalesce_tables(a, b, path_to_map(a, parent, tv_deep_copy(a, vv)), true);
			} else if (iv->kind == TV_STRING) {
				struct tv *vm = table_at(cvals, arena_sprintf(a, "%s.exports.%s", r->name,
									       iv->u.s.ptr));
				if (!vm)
					continue;
				b = coalesce_tables(a, b, tv_deep_copy(a, vm), true);
			}
		}
	}
	c->values = coalesce_tables(a, tv_deep_copy(a, cvals), b, true);
	return 0;
}

static int process_import_tree(struct arena *a, struct helm_chart *c)
{
	for (size_t i = 0; i < c->ndependencies; i++) {
		int rc = process_import_tree(a, c->dependencies[i]);
		if (rc)
			return rc;
	}
	return process_import_values(a, c);
}

int helm_values_coalesce(struct arena *a, struct helm_chart *chart, struct tv *user,
			 struct tv **out)
{
	struct tv *u = user ? user : tv_map_new(a);
	int rc = process_enabled(a, chart, u, "");
	if (rc)
		return rc;
	if ((rc = process_import_tree(a, chart)))
		return rc;
	return coalesce_copy(a, chart, u, false, out);
}
