/*
 * values.schema.json validation, as helm v4 does it with santhosh-tekuri/jsonschema v6:
 * the schema is interpreted directly from its document tree (no compile step), errors form
 * the same tree v6 builds (a group per schema with several failures, `$ref` nodes that
 * vanish when they hold one cause, allOf/anyOf/oneOf nodes holding their branches' errors)
 * and are printed as v6 prints them ("- at '/path': got string, want integer", nested
 * causes indented two spaces), under helm's "values don't meet the specifications ..."
 * heading, chart by chart and subchart by subchart.
 *
 * Covered: type, enum, const, properties, patternProperties, additionalProperties,
 * required, min/maxProperties, items (array and 2020-12 prefixItems forms),
 * additionalItems, min/maxItems, uniqueItems, contains, min/maxLength, pattern (Go
 * syntax through util/regex), minimum/maximum, exclusiveMinimum/Maximum, multipleOf,
 * not, allOf, anyOf, oneOf, if/then/else, dependentRequired, $ref to "#..." pointers
 * (definitions, $defs); drafts 4-7 ignore a $ref's siblings as v6 does. format is not
 * asserted (v6's default). NEEDSWORK: remote and $id-relative $refs are taken as `true`
 * (helm would fetch them); unevaluatedProperties/Items are not checked. Go iterates
 * object properties in random order; tide reports them in key order.
 */
#include "helm/values.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "helm/chart.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/regex.h"
#include "util/banned.h"

#define MAX_DEPTH 200

enum vkind { VK_LEAF, VK_GROUP, VK_REF };

struct verr {
	enum vkind kind;
	const char *loc; /* JSON pointer of the instance */
	const char *msg;
	struct verr **causes;
	size_t ncauses, cap;
};

struct vctx {
	struct arena *a;
	const struct doc_node *root;
	int draft; /* 4, 6, 7, 2019, 2020 */
	int depth;
	int fatal; /* a schema error (bad pattern, ref cycle): rc */
	const char *fatal_msg;
};

static const char *quote(struct arena *a, const char *s, size_t n);

/* A pattern v6 would refuse when compiling the schema: the first one is reported. */
static void bad_pattern(struct vctx *x, const char *pattern)
{
	if (!x->fatal) {
		x->fatal = ERR_INVALID;
		x->fatal_msg = arena_sprintf(x->a, "jsonschema: invalid regex %s: %s",
					     quote(x->a, pattern, strlen(pattern)), err_msg());
	}
}

struct errs {
	struct verr **items;
	size_t len, cap;
};

static void push(struct arena *a, struct errs *e, struct verr *v)
{
	if (!v)
		return;
	e->items = arena_grow(a, e->items, &e->cap, e->len + 1, sizeof *e->items);
	e->items[e->len++] = v;
}

static struct verr *leaf(struct vctx *x, const char *loc, const char *msg)
{
	struct verr *v = arena_alloc(x->a, sizeof *v);
	v->kind = VK_LEAF;
	v->loc = loc;
	v->msg = msg;
	return v;
}

static struct verr *with_causes(struct vctx *x, const char *loc, const char *msg, struct errs *e)
{
	struct verr *v = leaf(x, loc, msg);
	v->causes = e->items;
	v->ncauses = e->len;
	return v;
}

/* Go's %q turned into single quotes, as v6 quotes. */
static const char *quote(struct arena *a, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '\'');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\'')
			buf_adds(&b, "\\'");
		else if (c == '\\')
			buf_adds(&b, "\\\\");
		else if (c == '\n')
			buf_adds(&b, "\\n");
		else if (c == '\t')
			buf_adds(&b, "\\t");
		else if (c == '\r')
			buf_adds(&b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(&b, "\\x%02x", c);
		else
			buf_addch(&b, (char)c);
	}
	buf_addch(&b, '\'');
	char *r = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static const char *child_loc(struct arena *a, const char *loc, const char *tok)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, loc);
	buf_addch(&b, '/');
	for (const char *p = tok; *p; p++) {
		if (*p == '~')
			buf_adds(&b, "~0");
		else if (*p == '/')
			buf_adds(&b, "~1");
		else
			buf_addch(&b, *p);
	}
	char *r = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

/* Digits with English grouping, as golang.org/x/text/message prints numbers. */
static void group_digits(struct buf *b, const char *s)
{
	const char *p = s;
	if (*p == '-')
		buf_addch(b, *p++);
	size_t n = strspn(p, "0123456789");
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addch(b, ',');
		buf_addch(b, p[i]);
	}
	buf_adds(b, p + n);
}

/* %v of a float64 (strconv 'g' shortest, exponent past 1e21), then grouped. */
static const char *num_text(struct arena *a, double f)
{
	char tmp[64];
	if (f == floor(f) && fabs(f) < 1e21) {
		snprintf(tmp, sizeof tmp, "%.0f", f);
	} else {
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(tmp, sizeof tmp, "%.*g", prec, f);
			if (strtod(tmp, NULL) == f)
				break;
		}
	}
	struct buf b = BUF_INIT;
	if (strchr(tmp, 'e'))
		buf_adds(&b, tmp);
	else
		group_digits(&b, tmp);
	char *r = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static const char *int_text(struct arena *a, long long v)
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%lld", v);
	struct buf b = BUF_INIT;
	group_digits(&b, tmp);
	char *r = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

/* ---- Values as JSON sees them -------------------------------------------------------- */

static bool is_num(const struct tv *v)
{
	return v && (v->kind == TV_INT || v->kind == TV_UINT || v->kind == TV_FLOAT);
}

static double num_of(const struct tv *v)
{
	return v->kind == TV_INT ? (double)v->u.i : v->kind == TV_UINT ? (double)v->u.u : v->u.f;
}

static const char *json_type(const struct tv *v)
{
	if (!v || v->kind == TV_NIL || v->kind == TV_INVALID)
		return "null";
	switch (v->kind) {
	case TV_BOOL: return "boolean";
	case TV_INT:
	case TV_UINT:
	case TV_FLOAT: return "number";
	case TV_STRING: return "string";
	case TV_LIST: return "array";
	case TV_MAP: return "object";
	default: return "string";
	}
}

static bool is_integer(const struct tv *v)
{
	if (v->kind != TV_FLOAT)
		return true;
	return isfinite(v->u.f) && v->u.f == floor(v->u.f);
}

static bool json_equal(const struct tv *x, const struct tv *y)
{
	if (is_num(x) && is_num(y))
		return num_of(x) == num_of(y);
	const char *tx = json_type(x), *ty = json_type(y);
	if (strcmp(tx, ty))
		return false;
	switch (x->kind) {
	case TV_NIL: return true;
	case TV_BOOL: return x->u.b == y->u.b;
	case TV_STRING: return x->u.s.len == y->u.s.len && !memcmp(x->u.s.ptr, y->u.s.ptr, x->u.s.len);
	case TV_LIST:
		if (x->u.list.len != y->u.list.len)
			return false;
		for (size_t i = 0; i < x->u.list.len; i++)
			if (!json_equal(x->u.list.items[i], y->u.list.items[i]))
				return false;
		return true;
	case TV_MAP:
		if (x->u.map.len != y->u.map.len)
			return false;
		for (size_t i = 0; i < x->u.map.len; i++) {
			const struct tv *o = tv_map_getn(y, x->u.map.items[i].key, x->u.map.items[i].keylen);
			if (!o || !json_equal(x->u.map.items[i].value, o))
				return false;
		}
		return true;
	default: return true;
	}
}

/* v6's display(): strings quoted, collections "value", the rest as %v (schema numbers
 * are json.Number, so their text as written). */
static const char *display(struct arena *a, const struct doc_node *n)
{
	switch ((enum doc_kind)n->kind) {
	case DOC_STR: return quote(a, n->u.str.ptr, n->u.str.len);
	case DOC_SEQ:
	case DOC_MAP: return "value";
	case DOC_NULL: return "<nil>";
	case DOC_BOOL: return n->u.boolean ? "true" : "false";
	default: return n->u.str.ptr;
	}
}

static struct tv *schema_value(struct vctx *x, const struct doc_node *n)
{
	struct tv *v;
	if (tv_from_doc(x->a, n, 0, &v))
		return &tv_nil_value;
	return v;
}

static bool schema_num(const struct doc_node *n, double *out)
{
	if (!n || (n->kind != DOC_INT && n->kind != DOC_FLOAT))
		return false;
	*out = strtod(n->u.str.ptr, NULL);
	return true;
}

/* ---- $ref ----------------------------------------------------------------------------- */

static const struct doc_node *resolve_ref(struct vctx *x, const char *ref)
{
	if (ref[0] != '#')
		return NULL;
	const struct doc_node *n = x->root;
	const char *p = ref + 1;
	if (*p == '\0')
		return n;
	if (*p != '/')
		return NULL;
	while (*p == '/') {
		p++;
		struct buf tok = BUF_INIT;
		while (*p && *p != '/') {
			if (*p == '~' && p[1] == '0') {
				buf_addch(&tok, '~');
				p += 2;
			} else if (*p == '~' && p[1] == '1') {
				buf_addch(&tok, '/');
				p += 2;
			} else if (*p == '%' && p[1] && p[2]) {
				char hex[3] = { p[1], p[2], 0 };
				buf_addch(&tok, (char)strtol(hex, NULL, 16));
				p += 3;
			} else {
				buf_addch(&tok, *p++);
			}
		}
		const struct doc_node *next = NULL;
		if (n->kind == DOC_MAP) {
			next = doc_map_get(n, tok.ptr);
		} else if (n->kind == DOC_SEQ) {
			char *end;
			unsigned long i = strtoul(tok.ptr, &end, 10);
			if (*end == '\0' && i < n->u.seq.len)
				next = n->u.seq.items[i];
		}
		buf_release(&tok);
		if (!next)
			return NULL;
		n = next;
	}
	return n;
}

/* ---- Validation ----------------------------------------------------------------------- */

static struct verr *validate(struct vctx *x, const struct doc_node *s, const struct tv *v,
			     const char *loc);

static struct verr *combine(struct vctx *x, const char *loc, struct errs *e)
{
	if (e->len == 0)
		return NULL;
	if (e->len == 1)
		return e->items[0];
	struct verr *g = with_causes(x, loc, "validation failed", e);
	g->kind = VK_GROUP;
	return g;
}

static struct verr *validate_ref(struct vctx *x, const char *ref, const struct tv *v, const char *loc)
{
	const struct doc_node *target = resolve_ref(x, ref);
	if (!target)
		return NULL; /* NEEDSWORK: remote refs */
	struct verr *err = validate(x, target, v, loc);
	if (!err)
		return NULL;
	struct errs e = { 0 };
	if (err->kind == VK_GROUP) {
		e.items = err->causes;
		e.len = err->ncauses;
	} else {
		push(x->a, &e, err);
	}
	struct verr *r = with_causes(x, loc, "validation failed", &e);
	r->kind = VK_REF;
	return r;
}

static const char *joined_quoted(struct vctx *x, const char **names, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_adds(&b, ", ");
		buf_adds(&b, quote(x->a, names[i], strlen(names[i])));
	}
	char *r = arena_strndup(x->a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static void missing_props(struct vctx *x, const struct tv *obj, const struct doc_node *req,
			  const char ***out, size_t *n)
{
	*n = 0;
	*out = arena_alloc(x->a, (req->u.seq.len + 1) * sizeof **out);
	for (size_t i = 0; i < req->u.seq.len; i++) {
		const struct doc_node *r = req->u.seq.items[i];
		if (r->kind == DOC_STR && !tv_map_get(obj, r->u.str.ptr))
			(*out)[(*n)++] = r->u.str.ptr;
	}
}

static void obj_validate(struct vctx *x, const struct doc_node *s, const struct tv *obj,
			 const char *loc, struct errs *e)
{
	double lim;
	if (schema_num(doc_map_get(s, "minProperties"), &lim) && (double)obj->u.map.len < lim)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "minProperties: got %s, want %s",
							 int_text(x->a, (long long)obj->u.map.len),
							 int_text(x->a, (long long)lim))));
	if (schema_num(doc_map_get(s, "maxProperties"), &lim) && (double)obj->u.map.len > lim)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "maxProperties: got %s, want %s",
							 int_text(x->a, (long long)obj->u.map.len),
							 int_text(x->a, (long long)lim))));
	const struct doc_node *req = doc_map_get(s, "required");
	if (req && req->kind == DOC_SEQ) {
		const char **miss;
		size_t n;
		missing_props(x, obj, req, &miss, &n);
		if (n == 1)
			push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "missing property %s",
								 quote(x->a, miss[0], strlen(miss[0])))));
		else if (n > 1)
			push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "missing properties %s",
								 joined_quoted(x, miss, n))));
	}
	const struct doc_node *props = doc_map_get(s, "properties");
	const struct doc_node *pats = doc_map_get(s, "patternProperties");
	const struct doc_node *addl = doc_map_get(s, "additionalProperties");
	struct tv_pair **sorted = tv_map_sorted(x->a, obj);
	const char **extra = arena_alloc(x->a, (obj->u.map.len + 1) * sizeof *extra);
	size_t nextra = 0;
	for (size_t i = 0; i < obj->u.map.len; i++) {
		const struct tv_pair *p = sorted[i];
		bool evaluated = false;
		const struct doc_node *ps = props && props->kind == DOC_MAP ? doc_map_get(props, p->key) : NULL;
		const char *cl = NULL;
		if (ps) {
			evaluated = true;
			cl = child_loc(x->a, loc, p->key);
			push(x->a, e, validate(x, ps, p->value, cl));
		}
		for (size_t k = 0; pats && pats->kind == DOC_MAP && k < pats->u.map.len; k++) {
			struct regex *re;
			if (regex_compile(&re, pats->u.map.items[k].key, 0)) {
				bad_pattern(x, pats->u.map.items[k].key);
				continue;
			}
			bool m = false;
			regex_match(re, p->key, p->keylen, &m);
			regex_free(re);
			if (m) {
				evaluated = true;
				if (!cl)
					cl = child_loc(x->a, loc, p->key);
				push(x->a, e, validate(x, pats->u.map.items[k].value, p->value, cl));
			}
		}
		if (!evaluated && addl) {
			if (addl->kind == DOC_BOOL) {
				if (!addl->u.boolean)
					extra[nextra++] = p->key;
			} else {
				push(x->a, e, validate(x, addl, p->value, child_loc(x->a, loc, p->key)));
			}
		}
	}
	if (nextra)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "additional properties %s not allowed",
							 joined_quoted(x, extra, nextra))));
	const struct doc_node *dr = doc_map_get(s, "dependentRequired");
	for (size_t k = 0; x->draft >= 2019 && dr && dr->kind == DOC_MAP && k < dr->u.map.len; k++) {
		const struct doc_pair *p = &dr->u.map.items[k];
		if (!tv_map_get(obj, p->key) || !p->value || p->value->kind != DOC_SEQ)
			continue;
		const char **miss;
		size_t n;
		missing_props(x, obj, p->value, &miss, &n);
		if (n)
			push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "properties %s required, if %s exists",
								 joined_quoted(x, miss, n),
								 quote(x->a, p->key, p->keylen))));
	}
}

static void arr_validate(struct vctx *x, const struct doc_node *s, const struct tv *arr,
			 const char *loc, struct errs *e)
{
	size_t len = arr->u.list.len;
	double lim;
	if (schema_num(doc_map_get(s, "minItems"), &lim) && (double)len < lim)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "minItems: got %s, want %s",
							 int_text(x->a, (long long)len), int_text(x->a, (long long)lim))));
	if (schema_num(doc_map_get(s, "maxItems"), &lim) && (double)len > lim)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "maxItems: got %s, want %s",
							 int_text(x->a, (long long)len), int_text(x->a, (long long)lim))));
	const struct doc_node *u = doc_map_get(s, "uniqueItems");
	if (u && u->kind == DOC_BOOL && u->u.boolean && len > 1) {
		bool done = false;
		for (size_t i = 0; i < len && !done; i++)
			for (size_t j = i + 1; j < len && !done; j++)
				if (json_equal(arr->u.list.items[i], arr->u.list.items[j])) {
					push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "items at %zu and %zu are equal", i, j)));
					done = true;
				}
	}
	const struct doc_node *items = doc_map_get(s, "items");
	size_t evaluated = 0;
	if (x->draft < 2020) {
		if (items && items->kind == DOC_SEQ) {
			evaluated = items->u.seq.len < len ? items->u.seq.len : len;
			for (size_t i = 0; i < evaluated; i++)
				push(x->a, e, validate(x, items->u.seq.items[i], arr->u.list.items[i],
						       child_loc(x->a, loc, arena_sprintf(x->a, "%zu", i))));
		} else if (items) {
			for (size_t i = 0; i < len; i++)
				push(x->a, e, validate(x, items, arr->u.list.items[i],
						       child_loc(x->a, loc, arena_sprintf(x->a, "%zu", i))));
			evaluated = len;
		}
		const struct doc_node *ai = doc_map_get(s, "additionalItems");
		if (ai && ai->kind == DOC_BOOL) {
			if (!ai->u.boolean && evaluated != len)
				push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "last %zu additionalItem(s) not allowed",
									 len - evaluated)));
		} else if (ai) {
			for (size_t i = evaluated; i < len; i++)
				push(x->a, e, validate(x, ai, arr->u.list.items[i],
						       child_loc(x->a, loc, arena_sprintf(x->a, "%zu", i - evaluated))));
		}
	} else {
		const struct doc_node *pre = doc_map_get(s, "prefixItems");
		if (pre && pre->kind == DOC_SEQ) {
			evaluated = pre->u.seq.len < len ? pre->u.seq.len : len;
			for (size_t i = 0; i < evaluated; i++)
				push(x->a, e, validate(x, pre->u.seq.items[i], arr->u.list.items[i],
						       child_loc(x->a, loc, arena_sprintf(x->a, "%zu", i))));
		}
		if (items)
			for (size_t i = evaluated; i < len; i++)
				push(x->a, e, validate(x, items, arr->u.list.items[i],
						       child_loc(x->a, loc, arena_sprintf(x->a, "%zu", i - evaluated))));
	}
	const struct doc_node *contains = doc_map_get(s, "contains");
	if (contains && !doc_map_get(s, "minContains")) {
		struct errs ce = { 0 };
		size_t matched = 0;
		for (size_t i = 0; i < len; i++) {
			struct verr *r = validate(x, contains, arr->u.list.items[i],
						  child_loc(x->a, loc, arena_sprintf(x->a, "%zu", i)));
			if (r)
				push(x->a, &ce, r);
			else
				matched++;
		}
		if (!matched)
			push(x->a, e, with_causes(x, loc, "no items match contains schema", &ce));
	}
}

static size_t rune_count(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

static void str_validate(struct vctx *x, const struct doc_node *s, const struct tv *v,
			 const char *loc, struct errs *e)
{
	double lim;
	size_t n = rune_count(v->u.s.ptr, v->u.s.len);
	if (schema_num(doc_map_get(s, "minLength"), &lim) && (double)n < lim)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "minLength: got %s, want %s",
							 int_text(x->a, (long long)n), int_text(x->a, (long long)lim))));
	if (schema_num(doc_map_get(s, "maxLength"), &lim) && (double)n > lim)
		push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "maxLength: got %s, want %s",
							 int_text(x->a, (long long)n), int_text(x->a, (long long)lim))));
	const struct doc_node *pat = doc_map_get(s, "pattern");
	if (pat && pat->kind == DOC_STR) {
		struct regex *re;
		if (regex_compile(&re, pat->u.str.ptr, 0)) {
			bad_pattern(x, pat->u.str.ptr);
			return;
		}
		bool m = false;
		int rc = regex_match(re, v->u.s.ptr, v->u.s.len, &m);
		regex_free(re);
		if (rc) {
			x->fatal = rc;
			return;
		}
		if (!m)
			push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "%s does not match pattern %s",
								 quote(x->a, v->u.s.ptr, v->u.s.len),
								 quote(x->a, pat->u.str.ptr, pat->u.str.len))));
	}
}

static void num_validate(struct vctx *x, const struct doc_node *s, const struct tv *v,
			 const char *loc, struct errs *e)
{
	double f = num_of(v), lim;
	static const struct {
		const char *kw;
		int cmp; /* fail when: -1 f<lim, 1 f>lim, -2 f<=lim, 2 f>=lim */
	} checks[] = { { "minimum", -1 }, { "maximum", 1 }, { "exclusiveMinimum", -2 },
		       { "exclusiveMaximum", 2 } };
	for (size_t i = 0; i < 4; i++) {
		if (!schema_num(doc_map_get(s, checks[i].kw), &lim))
			continue;
		bool bad = checks[i].cmp == -1 ? f < lim : checks[i].cmp == 1 ? f > lim
			   : checks[i].cmp == -2 ? f <= lim : f >= lim;
		if (bad)
			push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "%s: got %s, want %s", checks[i].kw,
								 num_text(x->a, f), num_text(x->a, lim))));
	}
	if (schema_num(doc_map_get(s, "multipleOf"), &lim) && lim != 0) {
		double q = f / lim;
		if (fabs(q - nearbyint(q)) > 1e-9 * fmax(1.0, fabs(q)))
			push(x->a, e, leaf(x, loc, arena_sprintf(x->a, "multipleOf: got %s, want %s",
								 num_text(x->a, f), num_text(x->a, lim))));
	}
}

static bool type_matches(const char *want, const struct tv *v)
{
	const char *t = json_type(v);
	if (!strcmp(want, t))
		return true;
	return !strcmp(want, "integer") && !strcmp(t, "number") && is_integer(v);
}

static void cond_validate(struct vctx *x, const struct doc_node *s, const struct tv *v,
			  const char *loc, struct errs *e)
{
	const struct doc_node *n = doc_map_get(s, "not");
	if (n && !validate(x, n, v, loc))
		push(x->a, e, leaf(x, loc, "not failed"));
	const char *kws[] = { "allOf", "anyOf", "oneOf" };
	for (int k = 0; k < 3; k++) {
		const struct doc_node *list = doc_map_get(s, kws[k]);
		if (!list || list->kind != DOC_SEQ || !list->u.seq.len)
			continue;
		struct errs sub = { 0 };
		long matched = -1;
		size_t nmatched = 0;
		for (size_t i = 0; i < list->u.seq.len; i++) {
			struct verr *r = validate(x, list->u.seq.items[i], v, loc);
			if (r) {
				if (k != 2 || matched == -1)
					push(x->a, &sub, r);
			} else {
				nmatched++;
				if (k == 1)
					break;
				if (k == 2) {
					if (matched == -1) {
						matched = (long)i;
					} else {
						push(x->a, e, leaf(x, loc, arena_sprintf(x->a,
							"oneOf failed, subschemas %ld, %zu matched", matched, i)));
						break;
					}
				}
			}
		}
		if (k == 0 && sub.len)
			push(x->a, e, with_causes(x, loc, "allOf failed", &sub));
		else if (k == 1 && !nmatched)
			push(x->a, e, with_causes(x, loc, "anyOf failed", &sub));
		else if (k == 2 && matched == -1)
			push(x->a, e, with_causes(x, loc, "oneOf failed, none matched", &sub));
	}
	const struct doc_node *iff = doc_map_get(s, "if");
	if (iff) {
		const struct doc_node *branch = !validate(x, iff, v, loc) ? doc_map_get(s, "then")
									     : doc_map_get(s, "else");
		if (branch)
			push(x->a, e, validate(x, branch, v, loc));
	}
}

static struct verr *validate(struct vctx *x, const struct doc_node *s, const struct tv *v,
			     const char *loc)
{
	if (!s)
		return NULL;
	if (s->kind == DOC_BOOL)
		return s->u.boolean ? NULL : leaf(x, loc, "false schema");
	if (s->kind != DOC_MAP)
		return NULL;
	if (++x->depth > MAX_DEPTH) {
		x->depth--;
		x->fatal = ERR_TOOBIG;
		return leaf(x, loc, "schema nested too deep or $ref cycle");
	}
	struct verr *out = NULL;
	const struct doc_node *type = doc_map_get(s, "type");
	if (type && (type->kind == DOC_STR || (type->kind == DOC_SEQ && type->u.seq.len))) {
		bool ok = false;
		struct buf want = BUF_INIT;
		if (type->kind == DOC_STR) {
			ok = type_matches(type->u.str.ptr, v);
			buf_adds(&want, type->u.str.ptr);
		} else {
			for (size_t i = 0; i < type->u.seq.len; i++) {
				const struct doc_node *t = type->u.seq.items[i];
				if (t->kind != DOC_STR)
					continue;
				ok |= type_matches(t->u.str.ptr, v);
				if (want.len)
					buf_adds(&want, " or ");
				buf_adds(&want, t->u.str.ptr);
			}
		}
		if (!ok)
			out = leaf(x, loc, arena_sprintf(x->a, "got %s, want %s", json_type(v), want.ptr));
		buf_release(&want);
		if (out)
			goto done;
	}
	const struct doc_node *cst = doc_map_get(s, "const");
	if (cst && !json_equal(v, schema_value(x, cst))) {
		out = leaf(x, loc, cst->kind == DOC_SEQ || cst->kind == DOC_MAP
					   ? "const failed"
					   : arena_sprintf(x->a, "value must be %s", display(x->a, cst)));
		goto done;
	}
	const struct doc_node *en = doc_map_get(s, "enum");
	if (en && en->kind == DOC_SEQ) {
		bool matched = false, primitive = true;
		for (size_t i = 0; i < en->u.seq.len; i++) {
			const struct doc_node *it = en->u.seq.items[i];
			primitive &= it->kind != DOC_SEQ && it->kind != DOC_MAP;
			if (!matched && json_equal(v, schema_value(x, it)))
				matched = true;
		}
		if (!matched) {
			if (!primitive) {
				out = leaf(x, loc, "enum failed");
			} else if (en->u.seq.len == 1) {
				out = leaf(x, loc, arena_sprintf(x->a, "value must be %s",
								 display(x->a, en->u.seq.items[0])));
			} else {
				struct buf b = BUF_INIT;
				for (size_t i = 0; i < en->u.seq.len; i++) {
					if (i)
						buf_adds(&b, ", ");
					buf_adds(&b, display(x->a, en->u.seq.items[i]));
				}
				out = leaf(x, loc, arena_sprintf(x->a, "value must be one of %s", b.ptr));
				buf_release(&b);
			}
			goto done;
		}
	}
	struct errs e = { 0 };
	const struct doc_node *ref = doc_map_get(s, "$ref");
	if (ref && ref->kind == DOC_STR) {
		struct verr *r = validate_ref(x, ref->u.str.ptr, v, loc);
		if (x->draft < 2019) {
			out = r;
			goto done;
		}
		push(x->a, &e, r);
	}
	if (v && v->kind == TV_MAP)
		obj_validate(x, s, v, loc, &e);
	else if (v && v->kind == TV_LIST)
		arr_validate(x, s, v, loc, &e);
	else if (v && v->kind == TV_STRING)
		str_validate(x, s, v, loc, &e);
	else if (is_num(v))
		num_validate(x, s, v, loc, &e);
	if (x->draft >= 2019) {
		const struct doc_node *dref = doc_map_get(s, "$dynamicRef");
		if (dref && dref->kind == DOC_STR)
			push(x->a, &e, validate_ref(x, dref->u.str.ptr, v, loc));
	}
	cond_validate(x, s, v, loc, &e);
	out = combine(x, loc, &e);
done:
	x->depth--;
	return out;
}

static void display_err(struct buf *b, const struct verr *e, int indent)
{
	bool skip = e->kind == VK_REF && e->ncauses == 1;
	if (!skip) {
		if (indent > 0) {
			buf_addch(b, '\n');
			for (int i = 0; i < indent - 1; i++)
				buf_adds(b, "  ");
			buf_adds(b, "- ");
		}
		indent++;
		buf_adds(b, "at '");
		buf_adds(b, e->loc);
		buf_adds(b, "': ");
		buf_adds(b, e->msg);
	}
	for (size_t i = 0; i < e->ncauses; i++)
		display_err(b, e->causes[i], indent);
}

static int draft_of(const struct doc_node *root)
{
	const char *sch = doc_get_str(root, "$schema");
	if (!sch)
		return 2020;
	if (strstr(sch, "draft-04"))
		return 4;
	if (strstr(sch, "draft-06"))
		return 6;
	if (strstr(sch, "draft-07"))
		return 7;
	if (strstr(sch, "2019-09"))
		return 2019;
	return 2020;
}

/* ValidateAgainstSingleSchema: the causes under the root, or "" when valid. */
static int validate_single(struct arena *a, const struct helm_chart *c, const struct tv *values,
			   struct buf *out)
{
	struct doc_node *root;
	if (doc_parse_json(a, "values.schema.json", c->schema, c->schema_len, NULL, &root)) {
		buf_addf(out, "%s\n", err_msg());
		return 0;
	}
	struct vctx x = { a, root, draft_of(root), 0, 0, NULL };
	struct verr *err = validate(&x, root, values, "");
	if (x.fatal == ERR_TOOBIG) {
		return err_set(ERR_TOOBIG, "values.schema.json of '%s': nested too deep or a $ref cycle",
			       c->metadata.name);
	}
	if (x.fatal && x.fatal_msg) {
		buf_addf(out, "%s\n", x.fatal_msg);
		return 0;
	}
	if (x.fatal)
		return err_set(x.fatal, "values.schema.json of '%s': %s", c->metadata.name, err_msg());
	if (!err)
		return 0;
	size_t ncauses = 1;
	struct verr *const *causes = &err;
	if (err->kind == VK_GROUP) {
		causes = err->causes;
		ncauses = err->ncauses;
	}
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < ncauses; i++)
		display_err(&b, causes[i], 1);
	/* the root line helm trims is not written; drop the first newline */
	buf_adds(out, b.ptr[0] == '\n' ? b.ptr + 1 : b.ptr);
	buf_addch(out, '\n');
	buf_release(&b);
	return 0;
}

static int validate_tree(struct arena *a, const struct helm_chart *c, const struct tv *values,
			 struct buf *sb, int depth)
{
	if (depth > 64)
		return 0;
	if (c->schema) {
		struct buf one = BUF_INIT;
		int rc = validate_single(a, c, values, &one);
		if (rc) {
			buf_release(&one);
			return rc;
		}
		if (one.len)
			buf_addf(sb, "%s:\n%s", c->metadata.name, one.ptr);
		buf_release(&one);
	}
	for (size_t i = 0; i < c->ndependencies; i++) {
		const struct helm_chart *sub = c->dependencies[i];
		const struct tv *raw = tv_map_get(values, sub->metadata.name);
		if (!raw || raw->kind == TV_NIL)
			continue;
		if (raw->kind != TV_MAP) {
			buf_addf(sb, "%s:\ninvalid type for values: expected object (map), got %s\n",
				 sub->metadata.name, tv_type_name(raw));
			continue;
		}
		int rc = validate_tree(a, sub, raw, sb, depth + 1);
		if (rc)
			return rc;
	}
	return 0;
}

int helm_values_validate(struct arena *a, const struct helm_chart *chart, const struct tv *values)
{
	struct buf sb = BUF_INIT;
	int rc = validate_tree(a, chart, values, &sb, 0);
	if (!rc && sb.len)
		rc = err_set(ERR_INVALID, "values don't meet the specifications of the schema(s) in the "
					  "following chart(s):\n%s", sb.ptr);
	buf_release(&sb);
	return rc;
}
