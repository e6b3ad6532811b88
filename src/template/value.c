/*
 * Template values (value.h): constructors, lists and maps with a hash index once they
 * grow, Go's type and kind names, truth, deep copy and equality, and the two bridges to
 * the document tree: values files read as Helm reads them (YAML -> JSON -> interface{},
 * numbers float64) and values written back as encoding/json marshals them.
 */
#include "template/value.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "template/template.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

struct tv tv_invalid_value = { .kind = TV_INVALID };
struct tv tv_nil_value = { .kind = TV_NIL };
struct tv tv_true_value = { .kind = TV_BOOL, .u.b = true };
struct tv tv_false_value = { .kind = TV_BOOL, .u.b = false };

struct tv *tv_new(struct arena *a, enum tv_kind kind)
{
	struct tv *v = arena_alloc8(a, sizeof(*v));
	v->kind = (uint8_t)kind;
	return v;
}

struct tv *tv_bool(bool b)
{
	return b ? &tv_true_value : &tv_false_value;
}

struct tv *tv_int(struct arena *a, int64_t i)
{
	struct tv *v = tv_new(a, TV_INT);
	v->u.i = i;
	return v;
}

struct tv *tv_int_typed(struct arena *a, int64_t i, const char *type)
{
	struct tv *v = tv_int(a, i);
	v->type = type;
	return v;
}

struct tv *tv_uint(struct arena *a, uint64_t u, const char *type)
{
	struct tv *v = tv_new(a, TV_UINT);
	v->u.u = u;
	v->type = type;
	return v;
}

struct tv *tv_float(struct arena *a, double f)
{
	struct tv *v = tv_new(a, TV_FLOAT);
	v->u.f = f;
	return v;
}

struct tv *tv_strn(struct arena *a, const char *s, size_t len)
{
	struct tv *v = tv_new(a, TV_STRING);
	v->u.s.ptr = arena_strndup(a, s, len);
	v->u.s.len = len;
	return v;
}

struct tv *tv_str(struct arena *a, const char *s)
{
	return tv_strn(a, s, strlen(s));
}

struct tv *tv_str_borrow(struct arena *a, const char *s, size_t len)
{
	struct tv *v = tv_new(a, TV_STRING);
	v->u.s.ptr = s;
	v->u.s.len = len;
	return v;
}

struct tv *tv_bytes(struct arena *a, const void *p, size_t len)
{
	struct tv *v = tv_new(a, TV_BYTES);
	v->u.s.ptr = arena_strndup(a, p, len);
	v->u.s.len = len;
	return v;
}

struct tv *tv_list(struct arena *a, size_t cap_hint)
{
	struct tv *v = tv_new(a, TV_LIST);
	if (cap_hint) {
		v->u.list.items = arena_alloc8(a, cap_hint * sizeof(struct tv *));
		v->u.list.cap = cap_hint;
	}
	return v;
}

struct tv *tv_map_new(struct arena *a)
{
	return tv_new(a, TV_MAP);
}

struct tv *tv_object(struct arena *a, const struct tv_object_type *ops, void *data)
{
	struct tv *v = tv_new(a, TV_OBJECT);
	v->u.obj.ops = ops;
	v->u.obj.data = data;
	return v;
}

void tv_list_push(struct arena *a, struct tv *list, struct tv *item)
{
	if (list->u.list.len == list->u.list.cap)
		list->u.list.items = arena_grow(a, list->u.list.items, &list->u.list.cap,
						list->u.list.len + 1, sizeof(struct tv *));
	list->u.list.items[list->u.list.len++] = item;
}

/* ---- Maps ----------------------------------------------------------------------------
 * Small maps are scanned; from INDEX_MIN entries on an open-addressing index of positions
 * (+1, 0 = empty) keeps lookups constant, so a 200,000-key values file stays linear. */
enum { INDEX_MIN = 16 };

static uint64_t key_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool key_eq(const struct tv_pair *p, const char *k, size_t n)
{
	return p->keylen == n && memcmp(p->key, k, n) == 0;
}

static void index_insert(struct tv_map *m, size_t pos)
{
	size_t mask = m->index_cap - 1;
	size_t i = key_hash(m->items[pos].key, m->items[pos].keylen) & mask;
	while (m->index[i])
		i = (i + 1) & mask;
	m->index[i] = (uint32_t)(pos + 1);
}

static void index_rebuild(struct arena *a, struct tv_map *m)
{
	size_t want = INDEX_MIN * 2;
	while (want < m->len * 2 + 2)
		want *= 2;
	m->index = arena_alloc(a, want * sizeof(uint32_t));
	m->index_cap = want;
	for (size_t i = 0; i < m->len; i++)
		index_insert(m, i);
}

static long map_find(const struct tv_map *m, const char *k, size_t n)
{
	if (!m->index) {
		for (size_t i = 0; i < m->len; i++)
			if (key_eq(&m->items[i], k, n))
				return (long)i;
		return -1;
	}
	size_t mask = m->index_cap - 1;
	for (size_t i = key_hash(k, n) & mask; m->index[i]; i = (i + 1) & mask) {
		size_t pos = m->index[i] - 1;
		if (key_eq(&m->items[pos], k, n))
			return (long)pos;
	}
	return -1;
}

struct tv *tv_map_getn(const struct tv *map, const char *key, size_t keylen)
{
	if (!map || map->kind != TV_MAP)
		return NULL;
	long i = map_find(&map->u.map, key, keylen);
	return i < 0 ? NULL : map->u.map.items[i].value;
}

struct tv *tv_map_get(const struct tv *map, const char *key)
{
	return tv_map_getn(map, key, strlen(key));
}

void tv_map_setn(struct arena *a, struct tv *map, const char *key, size_t keylen,
		 struct tv *value)
{
	struct tv_map *m = &map->u.map;
	long i = map_find(m, key, keylen);
	if (i >= 0) {
		m->items[i].value = value;
		return;
	}
	if (m->len == m->cap)
		m->items = arena_grow(a, m->items, &m->cap, m->len + 1, sizeof(*m->items));
	struct tv_pair *p = &m->items[m->len++];
	p->key = arena_strndup(a, key, keylen);
	p->keylen = keylen;
	p->value = value;
	if (m->index && m->len * 2 + 2 <= m->index_cap)
		index_insert(m, m->len - 1);
	else if (m->len >= INDEX_MIN)
		index_rebuild(a, m);
}

void tv_map_set(struct arena *a, struct tv *map, const char *key, struct tv *value)
{
	tv_map_setn(a, map, key, strlen(key), value);
}

bool tv_map_delete(struct tv *map, const char *key)
{
	if (!map || map->kind != TV_MAP)
		return false;
	struct tv_map *m = &map->u.map;
	long i = map_find(m, key, strlen(key));
	if (i < 0)
		return false;
	memmove(&m->items[i], &m->items[i + 1], (m->len - (size_t)i - 1) * sizeof(*m->items));
	m->len--;
	if (m->index) {
		/* Positions moved: rebuild in place (same capacity, still large enough). */
		memset(m->index, 0, m->index_cap * sizeof(uint32_t));
		for (size_t j = 0; j < m->len; j++)
			index_insert(m, j);
	}
	return true;
}

static int pair_cmp(const void *pa, const void *pb)
{
	const struct tv_pair *a = *(struct tv_pair *const *)pa, *b = *(struct tv_pair *const *)pb;
	size_t n = a->keylen < b->keylen ? a->keylen : b->keylen;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return a->keylen < b->keylen ? -1 : a->keylen > b->keylen;
}

struct tv_pair **tv_map_sorted(struct arena *a, const struct tv *map)
{
	size_t n = map->u.map.len;
	struct tv_pair **out = arena_alloc8(a, (n ? n : 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = &map->u.map.items[i];
	if (n > 1)
		qsort(out, n, sizeof(*out), pair_cmp);
	return out;
}

/* ---- Inspecting ------------------------------------------------------------------- */
const char *tv_type_name(const struct tv *v)
{
	if (v->type)
		return v->type;
	switch ((enum tv_kind)v->kind) {
	case TV_INVALID:
	case TV_NIL: return "<nil>";
	case TV_BOOL: return "bool";
	case TV_INT: return "int";
	case TV_UINT: return "uint";
	case TV_FLOAT: return "float64";
	case TV_STRING: return "string";
	case TV_BYTES: return "[]uint8";
	case TV_LIST: return "[]interface {}";
	case TV_MAP: return "map[string]interface {}";
	case TV_OBJECT: return v->u.obj.ops->name;
	case TV_FUNC: return "func";
	}
	return "<nil>";
}

const char *tv_kind_name(const struct tv *v)
{
	switch ((enum tv_kind)v->kind) {
	case TV_INVALID:
	case TV_NIL: return "invalid";
	case TV_BOOL: return "bool";
	case TV_INT:
		if (v->type && strncmp(v->type, "int", 3) == 0)
			return v->type;
		return "int";
	case TV_UINT:
		if (v->type && strncmp(v->type, "uint", 4) == 0)
			return v->type;
		return "uint";
	case TV_FLOAT:
		return v->type && strcmp(v->type, "float32") == 0 ? "float32" : "float64";
	case TV_STRING:
		return "string";
	case TV_BYTES:
	case TV_LIST: return "slice";
	case TV_MAP: return "map";
	case TV_OBJECT: return v->u.obj.ops->name[0] == '*' ? "ptr" : "struct";
	case TV_FUNC: return "func";
	}
	return "invalid";
}

bool tv_is_nil(const struct tv *v)
{
	return !v || v->kind == TV_INVALID || v->kind == TV_NIL;
}

bool tv_truth(const struct tv *v)
{
	if (!v)
		return false;
	switch ((enum tv_kind)v->kind) {
	case TV_INVALID:
	case TV_NIL: return false;
	case TV_BOOL: return v->u.b;
	case TV_INT: return v->u.i != 0;
	case TV_UINT: return v->u.u != 0;
	case TV_FLOAT: return v->u.f != 0;
	case TV_STRING:
	case TV_BYTES: return v->u.s.len != 0;
	case TV_LIST: return v->u.list.len != 0;
	case TV_MAP: return v->u.map.len != 0;
	case TV_OBJECT:
	case TV_FUNC: return true;
	}
	return false;
}

struct tv *tv_deep_copy(struct arena *a, const struct tv *v)
{
	if (!v)
		return NULL;
	if (v->kind == TV_LIST) {
		struct tv *c = tv_list(a, v->u.list.len);
		c->type = v->type;
		for (size_t i = 0; i < v->u.list.len; i++)
			c->u.list.items[i] = tv_deep_copy(a, v->u.list.items[i]);
		c->u.list.len = v->u.list.len;
		return c;
	}
	if (v->kind == TV_MAP) {
		struct tv *c = tv_map_new(a);
		c->type = v->type;
		for (size_t i = 0; i < v->u.map.len; i++) {
			const struct tv_pair *p = &v->u.map.items[i];
			tv_map_setn(a, c, p->key, p->keylen, tv_deep_copy(a, p->value));
		}
		return c;
	}
	return (struct tv *)v;
}

bool tv_deep_equal(const struct tv *a, const struct tv *b)
{
	if (a == b)
		return true;
	if (!a || !b)
		return false;
	if (tv_is_nil(a) || tv_is_nil(b))
		return tv_is_nil(a) && tv_is_nil(b);
	if (a->kind != b->kind || strcmp(tv_type_name(a), tv_type_name(b)) != 0)
		return false;
	switch ((enum tv_kind)a->kind) {
	case TV_BOOL: return a->u.b == b->u.b;
	case TV_INT: return a->u.i == b->u.i;
	case TV_UINT: return a->u.u == b->u.u;
	case TV_FLOAT: return a->u.f == b->u.f;
	case TV_STRING:
	case TV_BYTES:
		return a->u.s.len == b->u.s.len && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
	case TV_LIST:
		if (a->u.list.len != b->u.list.len)
			return false;
		for (size_t i = 0; i < a->u.list.len; i++)
			if (!tv_deep_equal(a->u.list.items[i], b->u.list.items[i]))
				return false;
		return true;
	case TV_MAP:
		if (a->u.map.len != b->u.map.len)
			return false;
		for (size_t i = 0; i < a->u.map.len; i++) {
			const struct tv_pair *p = &a->u.map.items[i];
			struct tv *o = tv_map_getn(b, p->key, p->keylen);
			if (!o || !tv_deep_equal(p->value, o))
				return false;
		}
		return true;
	case TV_OBJECT: return a->u.obj.data == b->u.obj.data && a->u.obj.ops == b->u.obj.ops;
	case TV_FUNC: return a->u.fn == b->u.fn;
	case TV_INVALID:
	case TV_NIL: return true;
	}
	return false;
}

/* ---- From documents --------------------------------------------------------------- */

/* goyaml.v2's resolve() for a plain scalar, as Helm reads values files. */
static bool yaml11_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE",
					   "on", "On", "ON" };
	static const char *const no[] = { "n", "N", "no", "No", "NO", "false", "False", "FALSE",
					  "off", "Off", "OFF" };
	/* every keyword is 1 to 5 letters starting with one of these: most keys are not */
	if (!strchr("yYnNtTfFoO", s[0]) || strnlen(s, 6) > 5)
		return false;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		if (strcmp(s, yes[i]) == 0)
			return *out = true, true;
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		if (strcmp(s, no[i]) == 0)
			return *out = false, true;
	return false;
}

static bool yaml11_null(const char *s)
{
	return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	       strcmp(s, "NULL") == 0;
}

/* yaml.v2's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml11_float_syntax(const char *p)
{
	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		if (!(*++p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	} else {
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* strconv.ParseFloat(s, 64) of a decimal text (yaml11_float_syntax, or one starting with
 * '.'): false for a range error, which yaml.v2 leaves a string. */
static bool yaml11_parse_float(struct arena *a, const char *s, struct tv **out)
{
	char *end;
	errno = 0;
	double f = strtod(s, &end);
	if (*end || end == s || (errno == ERANGE && isinf(f)))
		return false;
	*out = tv_float(a, f);
	return true;
}

/* A plain scalar's number as yaml.v2's resolve() finds it: only a text starting with a
 * sign, a digit or '.' can be one (resolveTable's hint). .inf and .nan in their listed
 * spellings; a text starting with '.' is strconv.ParseFloat's (no underscores); else, with
 * underscores removed, strconv.ParseInt(s, 0, 64) (so 0755 is octal, 0x1f hex, 0b101 and
 * 0o17 too), then ParseUint, then ParseFloat when the text has yamlStyleFloat's shape.
 * Returns false when it is not a number. Everything becomes float64 on the way through
 * JSON anyway, except with TV_FROM_DOC_INT64. */
static bool yaml11_number(struct arena *a, const char *text, bool want_int64, struct tv **out)
{
	size_t n = strlen(text);
	if (n == 0 || n > 400 || !strchr("+-0123456789.", text[0]))
		return false;
	static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" };
	static const char *const ninfs[] = { "-.inf", "-.Inf", "-.INF" };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN" };
	for (size_t i = 0; i < 6; i++)
		if (strcmp(text, infs[i]) == 0)
			return *out = tv_float(a, INFINITY), true;
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(text, ninfs[i]) == 0)
			return *out = tv_float(a, -INFINITY), true;
		if (strcmp(text, nans[i]) == 0)
			return *out = tv_float(a, NAN), true;
	}
	if (text[0] == '.')
		return !strchr(text, '_') && yaml11_float_syntax(text) && yaml11_parse_float(a, text, out);
	char *s = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (text[i] != '_')
			s[k++] = text[i];
	s[k] = 0;
	const char *p = s;
	bool neg = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return false;
	/* Integers: decimal, 0x, 0b, 0o, leading-0 octal (Go's base prefix rules for base 0). */
	int base = 10;
	const char *digits = p;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, digits = p + 2;
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		base = 2, digits = p + 2;
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		base = 8, digits = p + 2;
	else if (p[0] == '0' && p[1])
		base = 8, digits = p + 1;
	bool is_int = *digits != 0;
	for (const char *q = digits; *q && is_int; q++) {
		int d = (*q >= '0' && *q <= '9') ? *q - '0'
			: (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10
			: (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10 : 99;
		if (d >= base)
			is_int = false;
	}
	if (is_int) {
		errno = 0;
		unsigned long long u = strtoull(digits, NULL, base);
		if (errno == 0 && (u <= (unsigned long long)INT64_MAX || (neg && u == (unsigned long long)INT64_MAX + 1))) {
			int64_t i = neg ? (int64_t)(0 - u) : (int64_t)u;
			*out = want_int64 ? tv_int_typed(a, i, "int64") : tv_float(a, (double)i);
			return true;
		}
		if (errno == 0 && !neg) {
			*out = want_int64 ? tv_uint(a, u, "uint64") : tv_float(a, (double)u);
			return true;
		}
	}
	return yaml11_float_syntax(s) && yaml11_parse_float(a, s, out);
}

/* A JSON/YAML 1.2 number text as json.Unmarshal reads it into interface{}: float64. */
static struct tv *number_value(struct arena *a, const struct doc_node *n, unsigned flags)
{
	const char *s = n->u.str.ptr;
	if (n->kind == DOC_INT && (flags & TV_FROM_DOC_INT64)) {
		int64_t i;
		if (doc_int64(n, &i) == 0)
			return tv_int_typed(a, i, "int64");
	}
	struct tv *v;
	if (yaml11_number(a, s, false, &v))
		return v;
	return tv_float(a, strtod(s, NULL));
}

static int scalar_key(struct arena *a, const struct doc_pair *p, unsigned flags,
		      const char **key, size_t *keylen)
{
	*key = p->key;
	*keylen = p->keylen;
	if (!(flags & TV_FROM_DOC_YAML11) || p->key_style != DOC_STYLE_PLAIN)
		return p->key_kind == DOC_NULL && p->key_style == DOC_STYLE_PLAIN
			       ? err_set(ERR_INVALID, "null map key")
			       : 0;
	bool b;
	if (yaml11_null(p->key))
		return err_set(ERR_INVALID, "error converting YAML to JSON: yaml: invalid map key: <nil>");
	if (yaml11_bool(p->key, &b)) {
		*key = b ? "true" : "false";
		*keylen = strlen(*key);
		return 0;
	}
	struct tv *num;
	if (yaml11_number(a, p->key, true, &num) && num->kind != TV_FLOAT) {
		/* An integer key is written back as its decimal form. */
		char *s = num->kind == TV_INT ? arena_sprintf(a, "%lld", (long long)num->u.i)
					      : arena_sprintf(a, "%llu", (unsigned long long)num->u.u);
		*key = s;
		*keylen = strlen(s);
	}
	return 0;
}

int tv_from_doc(struct arena *a, const struct doc_node *n, unsigned flags, struct tv **out)
{
	if (!n) {
		*out = &tv_nil_value;
		return 0;
	}
	bool plain11 = (flags & TV_FROM_DOC_YAML11) && n->style == DOC_STYLE_PLAIN && !n->tag &&
		       (n->kind == DOC_STR || n->kind == DOC_INT || n->kind == DOC_FLOAT ||
			n->kind == DOC_BOOL || n->kind == DOC_NULL);
	if (plain11 && n->kind != DOC_BOOL) {
		const char *s = n->kind == DOC_NULL ? (n->u.str.ptr ? n->u.str.ptr : "") : n->u.str.ptr;
		bool b;
		struct tv *num;
		if (yaml11_null(s))
			return *out = &tv_nil_value, 0;
		if (yaml11_bool(s, &b))
			return *out = tv_bool(b), 0;
		if (yaml11_number(a, s, (flags & TV_FROM_DOC_INT64) != 0, &num))
			return *out = num, 0;
		*out = tv_strn(a, s, strlen(s));
		return 0;
	}
	switch ((enum doc_kind)n->kind) {
	case DOC_NULL: *out = &tv_nil_value; return 0;
	case DOC_BOOL: *out = tv_bool(n->u.boolean); return 0;
	case DOC_INT:
	case DOC_FLOAT: *out = number_value(a, n, flags); return 0;
	case DOC_STR: *out = tv_str_borrow(a, n->u.str.ptr, n->u.str.len); return 0;
	case DOC_SEQ: {
		struct tv *l = tv_list(a, n->u.seq.len);
		for (size_t i = 0; i < n->u.seq.len; i++) {
			int rc = tv_from_doc(a, n->u.seq.items[i], flags, &l->u.list.items[i]);
			if (rc)
				return rc;
		}
		l->u.list.len = n->u.seq.len;
		*out = l;
		return 0;
	}
	case DOC_MAP: {
		struct tv *m = tv_map_new(a);
		for (size_t i = 0; i < n->u.map.len; i++) {
			const char *key;
			size_t keylen;
			int rc = scalar_key(a, &n->u.map.items[i], flags, &key, &keylen);
			if (rc)
				return rc;
			struct tv *v;
			if ((rc = tv_from_doc(a, n->u.map.items[i].value, flags, &v)))
				return rc;
			tv_map_setn(a, m, key, keylen, v);
		}
		*out = m;
		return 0;
	}
	}
	*out = &tv_nil_value;
	return 0;
}

/* ---- To documents ------------------------------------------------------------------ */

/* The shortest decimal that reads back as f (strconv's shortest form), digits and the
 * decimal exponent: f = 0.d1d2... * 10^exp. */
static void shortest_digits(double f, char *digits, int *ndigits, int *exp10)
{
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	/* tmp is d.ddddde[+-]XX */
	int nd = 0;
	const char *p = tmp;
	if (*p == '-')
		p++;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = 0;
	*ndigits = nd;
	*exp10 = (int)strtol(p + 1, NULL, 10) + 1;
}

/* encoding/json's float64 text: 'f' form, or 'e' form for |f| < 1e-6 or >= 1e21, with
 * "e-07" shortened to "e-7". */
static char *json_float(struct arena *a, double f)
{
	if (f == 0)
		return arena_strdup(a, signbit(f) ? "-0" : "0");
	char d[24];
	int nd, e;
	shortest_digits(f, d, &nd, &e);
	struct buf b = BUF_INIT;
	if (f < 0)
		buf_addch(&b, '-');
	double abs = fabs(f);
	if (abs < 1e-6 || abs >= 1e21) {
		buf_addch(&b, d[0]);
		if (nd > 1) {
			buf_addch(&b, '.');
			buf_add(&b, d + 1, (size_t)nd - 1);
		}
		int x = e - 1;
		buf_addf(&b, "e%c%d", x < 0 ? '-' : '+', x < 0 ? -x : x);
	} else if (e <= 0) {
		buf_adds(&b, "0.");
		buf_addnch(&b, '0', (size_t)-e);
		buf_add(&b, d, (size_t)nd);
	} else if (e >= nd) {
		buf_add(&b, d, (size_t)nd);
		buf_addnch(&b, '0', (size_t)(e - nd));
	} else {
		buf_add(&b, d, (size_t)e);
		buf_addch(&b, '.');
		buf_add(&b, d + e, (size_t)(nd - e));
	}
	char *s = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return s;
}

static struct doc_node *number_node(struct arena *a, enum doc_kind kind, char *text)
{
	struct doc_node *d = doc_new(a, kind);
	d->u.str.ptr = text;
	d->u.str.len = strlen(text);
	return d;
}

static int to_doc(struct texec *x, struct arena *a, const struct tv *v, int depth,
		  struct doc_node **out)
{
	if (depth > 10000)
		return err_set(ERR_TOOBIG, "json: unsupported value: encountered a cycle");
	switch ((enum tv_kind)v->kind) {
	case TV_INVALID:
	case TV_NIL: *out = doc_new_null(a); return 0;
	case TV_BOOL: *out = doc_new_bool(a, v->u.b); return 0;
	case TV_INT: *out = doc_new_int(a, v->u.i); return 0;
	case TV_UINT:
		*out = number_node(a, DOC_INT, arena_sprintf(a, "%llu", (unsigned long long)v->u.u));
		return 0;
	case TV_FLOAT:
		if (isnan(v->u.f) || isinf(v->u.f))
			return err_set(ERR_INVALID, "json: unsupported value: %s",
				       isnan(v->u.f) ? "NaN" : v->u.f > 0 ? "+Inf" : "-Inf");
		{
			char *t = json_float(a, v->u.f);
			*out = number_node(a, strpbrk(t, ".e") ? DOC_FLOAT : DOC_INT, t);
		}
		return 0;
	case TV_STRING: *out = doc_new_strn(a, v->u.s.ptr, v->u.s.len); return 0;
	case TV_BYTES: {
		struct buf b = BUF_INIT;
		base64_encode(&b, v->u.s.ptr, v->u.s.len);
		*out = doc_new_strn(a, b.ptr, b.len);
		buf_release(&b);
		return 0;
	}
	case TV_LIST: {
		struct doc_node *s = doc_new_seq(a);
		for (size_t i = 0; i < v->u.list.len; i++) {
			struct doc_node *item;
			int rc = to_doc(x, a, v->u.list.items[i], depth + 1, &item);
			if (rc)
				return rc;
			doc_seq_push(a, s, item);
		}
		*out = s;
		return 0;
	}
	case TV_MAP: {
		struct doc_node *m = doc_new_map(a);
		struct tv_pair **sorted = tv_map_sorted(a, v);
		for (size_t i = 0; i < v->u.map.len; i++) {
			struct doc_node *item;
			int rc = to_doc(x, a, sorted[i]->value, depth + 1, &item);
			if (rc)
				return rc;
			doc_map_set_shared(a, m, sorted[i]->key, item);
		}
		*out = m;
		return 0;
	}
	case TV_OBJECT: {
		struct tv *data = v->u.obj.ops->to_data ? v->u.obj.ops->to_data(x, v) : NULL;
		if (!data) {
			*out = doc_new_map(a);
			return 0;
		}
		return to_doc(x, a, data, depth + 1, out);
	}
	case TV_FUNC:
		return err_set(ERR_INVALID, "json: unsupported type: %s", tv_type_name(v));
	}
	*out = doc_new_null(a);
	return 0;
}

int tv_to_doc(struct texec *x, struct arena *a, const struct tv *v, struct doc_node **out)
{
	return to_doc(x, a, v, 0, out);
}
