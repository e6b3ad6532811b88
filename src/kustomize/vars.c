/*
 * Vars and replacements: values copied from one object's field into others.
 *
 * Vars (legacy): `$(NAME)` in the fields listed by the varReference field specs is
 * replaced, once at the top of the build, by the field (fieldref.fieldpath, default
 * metadata.name) of the object the var's objref names; a string that is exactly one
 * reference takes the value's type. `$$` escapes a dollar, unknown names stay as written.
 *
 * Replacements: per kustomization, a source field (selected object, fieldPath, optional
 * delimiter/index) is copied into target fields (select/reject selectors, fieldPaths with
 * `[key=value]` filters, `*` wildcards and indexes, optional create).
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

/* ---- field paths: "a.b[0].c", "a.[k=v].b", "a.*.b", "a.[key.with.dots]", "a\.b" ----------*/

#define MAX_SEGS 64

static size_t split_fieldpath(struct arena *a, const char *fp, char **segs)
{
	/* kyaml's PathSplitter: split at '.', where "\." is a dot inside a key */
	size_t cap = strlen(fp) + 1;
	char *parts[MAX_SEGS];
	size_t np = 0;
	char *cur = arena_alloc(a, cap);
	size_t o = 0;
	for (const char *p = fp; np < MAX_SEGS; p++) {
		if (*p == '\\' && p[1] == '.') {
			cur[o++] = '.';
			p++;
		} else if (*p == '.' || !*p) {
			cur[o] = '\0';
			parts[np++] = cur;
			if (!*p)
				break;
			cur = arena_alloc(a, cap);
			o = 0;
		} else {
			cur[o++] = *p;
		}
	}
	/* kyaml's SmarterPathSplitter: a part opening a bracket runs to the part that closes
	 * it; "[name=value]" stays a list selector, "[key.with.dots]" becomes the key */
	size_t n = 0;
	for (size_t i = 0; i < np && n < MAX_SEGS; i++) {
		char *e = parts[i];
		size_t el = strlen(e);
		if (e[0] == '[' && (el < 2 || e[el - 1] != ']')) {
			struct buf b = BUF_INIT;
			buf_adds(&b, e);
			while (i + 1 < np) {
				i++;
				buf_addch(&b, '.');
				buf_adds(&b, parts[i]);
				size_t pl = strlen(parts[i]);
				if (pl && parts[i][pl - 1] == ']')
					break;
			}
			const char *s = b.ptr;
			size_t sl = b.len;
			if (!memchr(s, '=', sl)) {
				while (sl && (*s == '[' || *s == ']')) {
					s++;
					sl--;
				}
				while (sl && (s[sl - 1] == '[' || s[sl - 1] == ']'))
					sl--;
			}
			segs[n++] = arena_strndup(a, s, sl);
			buf_release(&b);
			continue;
		}
		if (!*e)
			continue;
		/* "key[name=value]": the key, then the selector */
		char *br = strchr(e, '[');
		if (br && br > e && e[el - 1] == ']' && n + 1 < MAX_SEGS) {
			segs[n++] = arena_strndup(a, e, (size_t)(br - e));
			segs[n++] = br;
			continue;
		}
		segs[n++] = e;
	}
	return n;
}

static bool is_index(const char *s, size_t *out)
{
	if (!*s)
		return false;
	size_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000000)
			return false;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return true;
}

typedef int (*path_fn)(void *ud, struct doc_node **slot);

struct pathwalk {
	struct arena *a;
	char **segs;
	size_t n;
	bool create;
	int create_kind;
	path_fn fn;
	void *ud;
};

static int pw(struct pathwalk *w, struct doc_node **slot, size_t i)
{
	struct doc_node *cur = *slot;
	if (i == w->n)
		return w->fn(w->ud, slot);
	const char *seg = w->segs[i];
	bool last = i + 1 == w->n;
	if (!cur)
		return 0;
	size_t bidx;
	if (seg[0] == '[' && cur->kind == DOC_SEQ && seg[strlen(seg) - 1] == ']' &&
	    is_index(arena_strndup(w->a, seg + 1, strlen(seg) - 2), &bidx)) {
		if (bidx < cur->u.seq.len)
			return pw(w, &cur->u.seq.items[bidx], i + 1);
		return 0;
	}
	if (seg[0] == '[') {
		/* [key=value] over a sequence */
		if (cur->kind != DOC_SEQ)
			return 0;
		const char *eq = strchr(seg, '=');
		size_t sl = strlen(seg);
		if (!eq || seg[sl - 1] != ']')
			return err_set(ERR_INVALID, "invalid field path segment '%s'", seg);
		char *key = arena_strndup(w->a, seg + 1, (size_t)(eq - seg - 1));
		char *val = arena_strndup(w->a, eq + 1, (size_t)(seg + sl - 1 - eq - 1));
		bool found = false;
		for (size_t k = 0; k < cur->u.seq.len; k++) {
			const char *v = kust_scalar(doc_map_get(cur->u.seq.items[k], key));
			if (v && !strcmp(v, val)) {
				found = true;
				int rc = pw(w, &cur->u.seq.items[k], i + 1);
				if (rc)
					return rc;
			}
		}
		if (!found && w->create) {
			struct doc_node *m = doc_new_map(w->a);
			doc_map_set(w->a, m, key, kust_str(w->a, val));
			doc_seq_push(w->a, cur, m);
			return pw(w, &cur->u.seq.items[cur->u.seq.len - 1], i + 1);
		}
		return 0;
	}
	if (cur->kind == DOC_SEQ) {
		size_t idx;
		if (!strcmp(seg, "*")) {
			for (size_t k = 0; k < cur->u.seq.len; k++) {
				int rc = pw(w, &cur->u.seq.items[k], i + 1);
				if (rc)
					return rc;
			}
			return 0;
		}
		if (is_index(seg, &idx)) {
			if (idx < cur->u.seq.len)
				return pw(w, &cur->u.seq.items[idx], i + 1);
			return 0;
		}
		return 0;
	}
	if (cur->kind == DOC_NULL && w->create) {
		cur = doc_new_map(w->a);
		*slot = cur;
	}
	if (cur->kind != DOC_MAP)
		return 0;
	if (!strcmp(seg, "*")) {
		for (size_t k = 0; k < cur->u.map.len; k++) {
			int rc = pw(w, &cur->u.map.items[k].value, i + 1);
			if (rc)
				return rc;
		}
		return 0;
	}
	for (size_t k = 0; k < cur->u.map.len; k++)
		if (!strcmp(cur->u.map.items[k].key, seg))
			return pw(w, &cur->u.map.items[k].value, i + 1);
	if (!w->create)
		return 0;
	const char *next = last ? NULL : w->segs[i + 1];
	size_t dummy;
	struct doc_node *nn = last ? doc_new(w->a, (enum doc_kind)w->create_kind)
			     : (next[0] == '[' || is_index(next, &dummy)) ? doc_new_seq(w->a)
									  : doc_new_map(w->a);
	doc_map_set(w->a, cur, seg, nn);
	for (size_t k = 0; k < cur->u.map.len; k++)
		if (!strcmp(cur->u.map.items[k].key, seg))
			return pw(w, &cur->u.map.items[k].value, i + 1);
	return 0;
}

static int walk_fieldpath(struct arena *a, struct doc_node **root, const char *fp, bool create,
			  int create_kind, path_fn fn, void *ud)
{
	char *segs[MAX_SEGS];
	size_t n = split_fieldpath(a, fp, segs);
	struct pathwalk w = { a, segs, n, create, create_kind, fn, ud };
	return pw(&w, root, 0);
}

static int get_first(void *ud, struct doc_node **slot)
{
	struct doc_node **out = ud;
	if (!*out)
		*out = *slot;
	return 0;
}

/* ---- vars --------------------------------------------------------------------------------*/

bool kust_objref_matches(struct arena *a, const struct doc_node *ref, const struct kust_id *id)
{
	struct kust_gvk g;
	const char *av = kust_scalar(kust_json_field(ref, "apiVersion"));
	if (av) {
		kust_split_apiversion(av, &g.group, &g.version, a);
	} else {
		g.group = kust_scalar(kust_json_field(ref, "group"));
		g.version = kust_scalar(kust_json_field(ref, "version"));
		if (!g.group)
			g.group = "";
		if (!g.version)
			g.version = "";
	}
	g.kind = kust_scalar(kust_json_field(ref, "kind"));
	if (!g.kind)
		g.kind = "";
	const char *name = kust_scalar(kust_json_field(ref, "name"));
	const char *ns = kust_scalar(kust_json_field(ref, "namespace"));
	if (!kust_gvk_selected(&id->gvk, &g) || !name || strcmp(name, id->name))
		return false;
	if (ns && *ns && !kust_ns_equal(ns, id->ns))
		return false;
	return true;
}

struct expand {
	struct arena *a;
	struct doc_node **vals;
	const char **names;
	size_t n;
};

static const struct doc_node *lookup_var(struct expand *x, const char *name, size_t len)
{
	for (size_t i = 0; i < x->n; i++)
		if (strlen(x->names[i]) == len && !strncmp(x->names[i], name, len))
			return x->vals[i];
	return NULL;
}

static int expand_scalar(void *ud, struct doc_node **slot)
{
	struct expand *x = ud;
	struct doc_node *n = *slot;
	if (!n)
		return 0;
	if (n->kind == DOC_SEQ || n->kind == DOC_MAP) {
		size_t len = n->kind == DOC_SEQ ? n->u.seq.len : n->u.map.len;
		for (size_t i = 0; i < len; i++)
			expand_scalar(ud, n->kind == DOC_SEQ ? &n->u.seq.items[i] : &n->u.map.items[i].value);
		return 0;
	}
	if (n->kind != DOC_STR)
		return 0;
	const char *s = n->u.str.ptr;
	/* exactly one reference keeps the value's type */
	size_t sl = strlen(s);
	if (sl > 3 && s[0] == '$' && s[1] == '(' && s[sl - 1] == ')' && !memchr(s + 2, ')', sl - 3) &&
	    !memchr(s + 2, '$', sl - 3)) {
		const struct doc_node *v = lookup_var(x, s + 2, sl - 3);
		if (v) {
			*slot = doc_clone(x->a, v);
			(*slot)->style = DOC_STYLE_ANY;
			return 0;
		}
	}
	if (!strchr(s, '$'))
		return 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sl; i++) {
		if (s[i] == '$' && i + 1 < sl && s[i + 1] == '$') {
			buf_addch(&b, '$');
			i++;
			continue;
		}
		if (s[i] == '$' && i + 1 < sl && s[i + 1] == '(') {
			const char *close = strchr(s + i + 2, ')');
			if (close) {
				const struct doc_node *v = lookup_var(x, s + i + 2, (size_t)(close - s - i - 2));
				const char *vs = kust_scalar(v);
				if (vs) {
					buf_adds(&b, vs);
					i = (size_t)(close - s);
					continue;
				}
			}
		}
		buf_addch(&b, s[i]);
	}
	if (strcmp(b.ptr, s))
		*slot = kust_str_like(x->a, b.ptr, *slot);
	buf_release(&b);
	return 0;
}

static int fs_expand(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	(void)parent;
	(void)key;
	return expand_scalar(ud, slot);
}

int kust_resolve_vars(struct kust_ctx *c, struct kust_acc *acc)
{
	struct arena *a = c->a;
	if (!acc->nvars)
		return 0;
	struct expand x = { a, arena_alloc(a, acc->nvars * sizeof(struct doc_node *)),
			    arena_alloc(a, acc->nvars * sizeof(char *)), 0 };
	for (size_t i = 0; i < acc->nvars; i++) {
		const struct doc_node *v = acc->vars[i];
		const char *name = kust_scalar(kust_json_field(v, "name"));
		const struct doc_node *ref = kust_json_field(v, "objref");
		const char *fp = kust_scalar(kust_json_field(kust_json_field(v, "fieldref"), "fieldPath"));
		if (!name)
			return err_set(ERR_INVALID, "vars: a var needs a name");
		if (!fp)
			fp = "metadata.name";
		struct kust_res *found = NULL;
		int matches = 0;
		(void)ref;
		for (size_t j = 0; j < acc->rm.len; j++) {
			if (kust_strv_has(&acc->rm.v[j]->refvars, name)) {
				found = acc->rm.v[j];
				matches++;
			}
		}
		if (matches > 1)
			return err_set(ERR_INVALID, "found %d resId matches for var %s (unable to disambiguate)",
				       matches, name);
		if (!found)
			return err_set(ERR_NOTFOUND, "var '%s' cannot be mapped to a field in the set of known resources", name);
		struct doc_node *val = NULL;
		struct doc_node *root = found->node;
		walk_fieldpath(a, &root, fp, false, DOC_NULL, get_first, &val);
		if (!val)
			return err_set(ERR_NOTFOUND, "field specified in var '%s' not found in corresponding resource", name);
		x.names[x.n] = name;
		x.vals[x.n++] = val;
	}
	for (size_t i = 0; i < acc->rm.len; i++)
		for (size_t j = 0; j < acc->cfg->varref.len; j++)
			kust_fs_apply(a, acc->rm.v[i]->node, &acc->cfg->varref.v[j], DOC_NULL, fs_expand, &x);
	return 0;
}

/* ---- replacements ------------------------------------------------------------------------*/

static bool id_selected(const struct kust_selector *s, const struct kust_id *id)
{
	if (!kust_gvk_selected(&id->gvk, &s->gvk))
		return false;
	if (s->name && *s->name && strcmp(s->name, id->name))
		return false;
	if (s->ns && *s->ns && !kust_ns_equal(s->ns, id->ns))
		return false;
	return true;
}

static int res_selected(struct arena *a, const struct kust_selector *s, const struct kust_res *r,
			bool *out)
{
	*out = false;
	struct kust_id cur = kust_res_id(a, r);
	bool m = id_selected(s, &cur);
	for (size_t k = 0; !m && k < r->nprev; k++)
		m = id_selected(s, &r->prev[k]);
	if (!m)
		return 0;
	const struct doc_node *md = doc_map_get(r->node, "metadata");
	int rc;
	if (s->label_selector && *s->label_selector &&
	    ((rc = kust_label_selector_match(s->label_selector, doc_map_get(md, "labels"), &m)) || !m))
		return rc;
	if (s->annotation_selector && *s->annotation_selector &&
	    ((rc = kust_label_selector_match(s->annotation_selector, doc_map_get(md, "annotations"), &m)) || !m))
		return rc;
	*out = true;
	return 0;
}

struct put {
	struct arena *a;
	const struct doc_node *value;
	const char *delimiter;
	long index;
};

static int put_value(void *ud, struct doc_node **slot)
{
	struct put *p = ud;
	if (p->delimiter && *p->delimiter) {
		const char *cur = kust_scalar(*slot);
		const char *val = kust_scalar(p->value);
		if (!cur || !val)
			return err_set(ERR_INVALID, "delimiter option can only be used with scalar nodes");
		/* split cur, replace part index (out of range: prepend or append) */
		size_t dl = strlen(p->delimiter);
		struct buf out = BUF_INIT;
		const char *parts[256];
		size_t lens[256], np = 0;
		const char *s = cur;
		for (;;) {
			const char *e = strstr(s, p->delimiter);
			if (np == 256)
				break;
			parts[np] = s;
			lens[np++] = e ? (size_t)(e - s) : strlen(s);
			if (!e)
				break;
			s = e + dl;
		}
		if (p->index < 0) {
			buf_adds(&out, val);
			buf_adds(&out, p->delimiter);
			buf_adds(&out, cur);
		} else if ((size_t)p->index >= np) {
			buf_adds(&out, cur);
			buf_adds(&out, p->delimiter);
			buf_adds(&out, val);
		} else {
			for (size_t i = 0; i < np; i++) {
				if (i)
					buf_adds(&out, p->delimiter);
				if ((long)i == p->index)
					buf_adds(&out, val);
				else
					buf_add(&out, parts[i], lens[i]);
			}
		}
		*slot = kust_str_like(p->a, out.ptr, *slot);
		buf_release(&out);
		return 0;
	}
	*slot = doc_clone(p->a, p->value);
	return 0;
}

static long opt_index(const struct doc_node *opts)
{
	const struct doc_node *n = doc_map_get(opts, "index");
	int64_t v = 0;
	if (n && n->kind == DOC_INT && doc_int64(n, &v) == 0)
		return (long)v;
	return 0;
}

static int apply_replacement(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *rep)
{
	struct arena *a = c->a;
	const struct doc_node *src = doc_map_get(rep, "source");
	struct kust_selector ss;
	kust_selector_parse(a, src, &ss);
	const char *fp = kust_scalar(doc_map_get(src, "fieldPath"));
	if (!fp)
		fp = "metadata.name";
	struct kust_res *found = NULL;
	int rc, n = 0;
	for (size_t i = 0; i < acc->rm.len; i++) {
		bool m;
		if ((rc = res_selected(a, &ss, acc->rm.v[i], &m)))
			return rc;
		if (m) {
			found = acc->rm.v[i];
			n++;
		}
	}
	if (n > 1)
		return err_set(ERR_INVALID, "multiple matches for selector %s", kust_gvk_string(a, &ss.gvk));
	if (!found)
		return err_set(ERR_NOTFOUND, "nothing selected by %s", kust_gvk_string(a, &ss.gvk));
	struct doc_node *value = NULL;
	struct doc_node *root = found->node;
	walk_fieldpath(a, &root, fp, false, DOC_NULL, get_first, &value);
	if (!value) {
		struct kust_id fid = kust_res_id(a, found);
		return err_set(ERR_NOTFOUND, "fieldPath `%s` is missing for replacement source %s", fp,
			       kust_id_string(a, &fid));
	}
	const struct doc_node *sopts = doc_map_get(src, "options");
	const char *sdelim = kust_scalar(doc_map_get(sopts, "delimiter"));
	if (sdelim && *sdelim) {
		const char *s = kust_scalar(value);
		if (!s)
			return err_set(ERR_INVALID, "delimiter option can only be used with scalar nodes");
		long idx = opt_index(sopts);
		size_t dl = strlen(sdelim);
		const char *p = s;
		for (long i = 0; i < idx && p; i++) {
			p = strstr(p, sdelim);
			if (p)
				p += dl;
		}
		if (!p || idx < 0)
			return err_set(ERR_INVALID, "options.index %ld is out of bounds for value %s", idx, s);
		const char *e = strstr(p, sdelim);
		value = kust_str(a, e ? arena_strndup(a, p, (size_t)(e - p)) : p);
	}
	const struct doc_node *targets = doc_map_get(rep, "targets");
	for (size_t t = 0; targets && targets->kind == DOC_SEQ && t < targets->u.seq.len; t++) {
		const struct doc_node *tg = targets->u.seq.items[t];
		struct kust_selector sel;
		kust_selector_parse(a, doc_map_get(tg, "select"), &sel);
		const struct doc_node *rejects = doc_map_get(tg, "reject");
		const struct doc_node *fps = doc_map_get(tg, "fieldPaths");
		const struct doc_node *topts = doc_map_get(tg, "options");
		const struct doc_node *cr = doc_map_get(topts, "create");
		bool create = cr && cr->kind == DOC_BOOL && cr->u.boolean;
		struct put p = { a, value, kust_scalar(doc_map_get(topts, "delimiter")), opt_index(topts) };
		for (size_t i = 0; i < acc->rm.len; i++) {
			struct kust_res *r = acc->rm.v[i];
			bool m;
			if ((rc = res_selected(a, &sel, r, &m)))
				return rc;
			for (size_t j = 0; m && rejects && rejects->kind == DOC_SEQ && j < rejects->u.seq.len; j++) {
				struct kust_selector rs;
				bool rj;
				kust_selector_parse(a, rejects->u.seq.items[j], &rs);
				if ((rc = res_selected(a, &rs, r, &rj)))
					return rc;
				if (rj)
					m = false;
			}
			if (!m)
				continue;
			for (size_t k = 0; fps && fps->kind == DOC_SEQ && k < fps->u.seq.len; k++) {
				const char *tfp = kust_scalar(fps->u.seq.items[k]);
				if (!tfp)
					continue;
				struct doc_node *rt = r->node;
				if ((rc = walk_fieldpath(a, &rt, tfp, create, value->kind, put_value, &p)) ||
				    (rc = kust_budget(c)))
					return rc;
			}
		}
	}
	return 0;
}

int kust_replacements(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_acc *acc,
		      const struct doc_node *list)
{
	int rc;
	for (size_t i = 0; i < list->u.seq.len; i++) {
		const struct doc_node *it = list->u.seq.items[i];
		const char *path = kust_scalar(doc_map_get(it, "path"));
		if (path) {
			struct doc_stream st = { 0 };
			rc = kust_load_yaml(c, ldr, path, &st);
			if (rc)
				return rc;
			for (size_t d = 0; d < st.len; d++) {
				const struct doc_node *doc = st.docs[d];
				if (doc->kind == DOC_SEQ) {
					for (size_t k = 0; k < doc->u.seq.len; k++)
						if ((rc = apply_replacement(c, acc, doc->u.seq.items[k])))
							return rc;
				} else if ((rc = apply_replacement(c, acc, doc))) {
					return rc;
				}
			}
			continue;
		}
		if ((rc = apply_replacement(c, acc, it)))
			return rc;
	}
	return 0;
}
