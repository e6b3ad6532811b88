/*
 * sprig's list functions (sprig v3.3 list.go, plus join/sortAlpha/toStrings from
 * strings.go): list/tuple, append/push/prepend, first/last/rest/initial, reverse, uniq,
 * without, has, compact, slice, concat, chunk, and their must* twins.
 *
 * sprig works through reflect, so every slice or array kind is a list here: []interface{},
 * []string from splitList, []uint8 from .Files.GetBytes. Results are new []interface{}
 * lists (sprig copies; the input is never changed), except slice, which keeps the input's
 * type as reflect's Value.Slice does. The plain names panic where the must* ones return an
 * error; text/template turns both into "error calling NAME: ...", so the two share one
 * implementation and one message. Equality (uniq, without, has) is reflect.DeepEqual:
 * an int 1 is not a float64 1, as Go decides.
 *
 * sprig's slice replaces text/template's builtin of the same name: it is registered here.
 */
#include "template/sprig.h"
#include "template/sprig_text.h"
#include "template/template_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static struct tv *new_list(struct texec *x, size_t n)
{
	struct tv *l = tv_list(texec_arena(x), n);
	l->type = "[]interface {}";
	return l;
}

static void push(struct texec *x, struct tv *l, struct tv *v)
{
	tv_list_push(texec_arena(x), l, v);
}

/* The items of a list argument, or sprig's "Cannot ... on type KIND" failure. */
static int need_list(struct texec *x, const struct tv *v, const char *msg, struct tv ***items,
		     size_t *n)
{
	if (sprig_list_items(x, v, items, n))
		return 0;
	return sprig_kind_fail(x, msg, v);
}

static int f_list(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv *l = new_list(x, nargs);
	for (size_t i = 0; i < nargs; i++)
		push(x, l, args[i]);
	*out = l;
	return 0;
}

static int f_push(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot push on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, n + 1);
	for (size_t i = 0; i < n; i++)
		push(x, l, items[i]);
	push(x, l, args[1]);
	*out = l;
	return 0;
}

static int f_prepend(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot prepend on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, n + 1);
	push(x, l, args[1]);
	for (size_t i = 0; i < n; i++)
		push(x, l, items[i]);
	*out = l;
	return 0;
}

/* first and last give a nil interface for an empty list (printed as "<no value>", which
 * Helm blanks). */
static int f_first(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find first on type %s", &items, &n);
	if (rc)
		return rc;
	*out = n ? items[0] : &tv_nil_value;
	return 0;
}

static int f_last(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find last on type %s", &items, &n);
	if (rc)
		return rc;
	*out = n ? items[n - 1] : &tv_nil_value;
	return 0;
}

/* rest and initial of an empty list are a nil []interface{}: it prints as []. */
static int f_rest(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find rest on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, n);
	for (size_t i = 1; i < n; i++)
		push(x, l, items[i]);
	*out = l;
	return 0;
}

static int f_initial(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find initial on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, n);
	for (size_t i = 0; i + 1 < n; i++)
		push(x, l, items[i]);
	*out = l;
	return 0;
}

static int f_reverse(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find reverse on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, n);
	for (size_t i = n; i > 0; i--)
		push(x, l, items[i - 1]);
	*out = l;
	return 0;
}

static int f_compact(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot compact on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, 0);
	for (size_t i = 0; i < n; i++)
		if (!sprig_empty(items[i]))
			push(x, l, items[i]);
	*out = l;
	return 0;
}

static bool in_list(struct tv *const *hay, size_t n, const struct tv *needle)
{
	for (size_t i = 0; i < n; i++)
		if (tv_deep_equal(hay[i], needle))
			return true;
	return false;
}

/*
 * A hash that agrees with reflect.DeepEqual as tv_deep_equal decides it: equal values hash
 * alike (all nils together, maps whatever their order), so uniq keeps a table of the kept
 * items and stays linear on a tenant's long list where sprig's scan is quadratic.
 */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t bytes_hash(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return h;
}

static uint64_t deep_hash(const struct tv *v, int depth)
{
	if (tv_is_nil(v))
		return 1;
	const char *t = tv_type_name(v);
	uint64_t h = mix(bytes_hash(t, strlen(t)), v->kind);
	if (depth > 64)
		return h; /* deeper levels only refine: equal values still hash alike */
	switch ((enum tv_kind)v->kind) {
	case TV_BOOL: return mix(h, v->u.b);
	case TV_INT: return mix(h, (uint64_t)v->u.i);
	case TV_UINT: return mix(h, v->u.u);
	case TV_FLOAT: {
		double f = v->u.f == 0 ? 0 : v->u.f; /* -0 == 0 */
		uint64_t bits;
		memcpy(&bits, &f, sizeof(bits));
		return mix(h, bits);
	}
	case TV_STRING:
	case TV_BYTES: return mix(h, bytes_hash(v->u.s.ptr, v->u.s.len));
	case TV_LIST:
		for (size_t i = 0; i < v->u.list.len; i++)
			h = mix(h, deep_hash(v->u.list.items[i], depth + 1));
		return h;
	case TV_MAP: {
		uint64_t sum = 0;
		for (size_t i = 0; i < v->u.map.len; i++) {
			const struct tv_pair *p = &v->u.map.items[i];
			sum += mix(bytes_hash(p->key, p->keylen), deep_hash(p->value, depth + 1));
		}
		return mix(h, sum);
	}
	case TV_OBJECT: return mix(h, (uint64_t)(uintptr_t)v->u.obj.data);
	case TV_FUNC: return mix(h, (uint64_t)(uintptr_t)v->u.fn);
	case TV_INVALID:
	case TV_NIL: break;
	}
	return h;
}

static int f_uniq(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find uniq on type %s", &items, &n);
	if (rc)
		return rc;
	struct arena *a = texec_arena(x);
	struct tv *l = new_list(x, 0);
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	size_t *slot = arena_alloc(a, cap * sizeof(*slot)); /* kept index + 1, 0 = empty */
	uint64_t *hashes = arena_alloc(a, (n ? n : 1) * sizeof(*hashes));
	for (size_t i = 0; i < n; i++) {
		uint64_t h = deep_hash(items[i], 0);
		size_t s = h & (cap - 1);
		bool dup = false;
		for (; slot[s]; s = (s + 1) & (cap - 1)) {
			size_t k = slot[s] - 1;
			if (hashes[k] == h && tv_deep_equal(l->u.list.items[k], items[i])) {
				dup = true;
				break;
			}
		}
		if (dup)
			continue;
		hashes[l->u.list.len] = h;
		slot[s] = l->u.list.len + 1;
		push(x, l, items[i]);
	}
	*out = l;
	return 0;
}

static int f_without(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[0], "Cannot find without on type %s", &items, &n);
	if (rc)
		return rc;
	struct tv *l = new_list(x, 0);
	for (size_t i = 0; i < n; i++)
		if (!in_list(args + 1, nargs - 1, items[i]))
			push(x, l, items[i]);
	*out = l;
	return 0;
}

/* has NEEDLE LIST: a nil list has nothing (sprig checks it before the kind). */
static int f_has(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	if (tv_is_nil(args[1])) {
		*out = tv_bool(false);
		return 0;
	}
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[1], "Cannot find has on type %s", &items, &n);
	if (rc)
		return rc;
	*out = tv_bool(in_list(items, n, args[0]));
	return 0;
}

/*
 * slice LIST [START [END]]: reflect's Value.Slice on the list, so the result keeps its type
 * ([]string stays []string, []uint8 stays bytes). Indices go through cast.ToInt; an empty
 * list gives nil whatever the indices, as sprig checks the length first.
 */
static int f_slice(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	const struct tv *v = args[0];
	struct tv **items;
	size_t n;
	if (!sprig_list_items(x, v, &items, &n))
		return sprig_kind_fail(x, "list should be type of slice or array but %s", v);
	if (n == 0) {
		*out = &tv_nil_value;
		return 0;
	}
	int64_t start = nargs > 1 ? sprig_to_int(args[1]) : 0;
	int64_t end = nargs > 2 ? sprig_to_int(args[2]) : (int64_t)n;
	/* reflect checks against the capacity, which for sprig's lists is their length. */
	if (start < 0 || end < start || end > (int64_t)n)
		return texec_fail(x, "reflect.Value.Slice: slice index out of bounds");
	struct arena *a = texec_arena(x);
	if (v->kind == TV_BYTES) {
		struct tv *b = tv_bytes(a, v->u.s.ptr + start, (size_t)(end - start));
		b->type = v->type;
		*out = b;
		return 0;
	}
	struct tv *l = tv_list(a, (size_t)(end - start));
	l->type = v->type ? v->type : "[]interface {}";
	for (int64_t i = start; i < end; i++)
		tv_list_push(a, l, items[i]);
	*out = l;
	return 0;
}

/* concat LISTS...: a nil []interface{} when no list has items, which still prints []. */
static int f_concat(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	struct tv *l = new_list(x, 0);
	for (size_t i = 0; i < nargs; i++) {
		struct tv **items;
		size_t n;
		int rc = need_list(x, args[i], "Cannot concat type %s as list", &items, &n);
		if (rc)
			return rc;
		for (size_t j = 0; j < n; j++)
			push(x, l, items[j]);
	}
	*out = l;
	return 0;
}

/*
 * chunk SIZE LIST: sprig computes the chunk count in floating point,
 * floor((len-1)/size)+1, and the last chunk's length as fmod(len, size) (size when 0), so
 * a size of 0 or below gives Go's makeslice panic or an odd but defined result; both are
 * reproduced rather than "fixed".
 */
static int f_chunk(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	int64_t size = args[0]->u.i;
	struct tv **items;
	size_t n;
	int rc = need_list(x, args[1], "Cannot chunk type %s", &items, &n);
	if (rc)
		return rc;
	double csf = floor(((double)n - 1) / (double)size) + 1;
	if (!(csf >= 0) || csf > (double)n + 1)
		return texec_fail(x, "runtime error: makeslice: len out of range");
	size_t cs = (size_t)csf;
	struct arena *a = texec_arena(x);
	struct tv *res = tv_list(a, cs);
	res->type = "[][]interface {}";
	for (size_t i = 0; i < cs; i++) {
		int64_t clen = size;
		if (i == cs - 1) {
			clen = (int64_t)floor(fmod((double)n, (double)size));
			if (clen == 0)
				clen = size;
		}
		if (clen < 0)
			return texec_fail(x, "runtime error: makeslice: len out of range");
		struct tv *c = new_list(x, (size_t)clen);
		for (int64_t j = 0; j < clen; j++) {
			uint64_t ix = (uint64_t)i * (uint64_t)size + (uint64_t)j;
			if (ix >= n)
				return texec_fail(x, "reflect: slice index out of range");
			push(x, c, items[ix]);
		}
		tv_list_push(a, res, c);
	}
	*out = res;
	return 0;
}

static int str_cmp(const void *pa, const void *pb)
{
	const struct tv *a = *(struct tv *const *)pa, *b = *(struct tv *const *)pb;
	size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	int c = memcmp(a->u.s.ptr, b->u.s.ptr, n);
	if (c)
		return c;
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len;
}

/* sortAlpha: lists through strslice, sorted by bytes; anything else a one-item list of
 * its strval (so nil gives ["<nil>"], unlike join's []). */
static int f_sort_alpha(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)nargs;
	struct tv **items;
	size_t n;
	struct tv *l;
	if (sprig_list_items(x, args[0], &items, &n)) {
		struct tv *s = sprig_strslice(x, args[0]);
		l = tv_list(texec_arena(x), s->u.list.len);
		for (size_t i = 0; i < s->u.list.len; i++)
			tv_list_push(texec_arena(x), l, s->u.list.items[i]);
		if (l->u.list.len > 1)
			qsort(l->u.list.items, l->u.list.len, sizeof(struct tv *), str_cmp);
	} else {
		l = tv_list(texec_arena(x), 1);
		tv_list_push(texec_arena(x), l, sprig_strval_tv(x, args[0]));
	}
	l->type = "[]string";
	*out = l;
	return 0;
}

static int f_join(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *sep = args[0];
	struct tv *s = sprig_strslice(x, args[1]);
	struct buf b = BUF_INIT;
	b.max = SPRIG_STR_MAX;
	for (size_t i = 0; i < s->u.list.len; i++) {
		if (i)
			buf_add(&b, sep->u.s.ptr, sep->u.s.len);
		buf_add(&b, s->u.list.items[i]->u.s.ptr, s->u.list.items[i]->u.s.len);
	}
	if (b.err) {
		buf_release(&b);
		return sprig_check_size(x, "join", SPRIG_STR_MAX + 1);
	}
	*out = tv_strn(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return 0;
}

static int f_to_strings(struct texec *x, struct tv *const *args, size_t nargs,
			struct tv **out)
{
	(void)nargs;
	*out = sprig_strslice(x, args[0]);
	return 0;
}

static const struct tfunc funcs[] = {
	{"tuple", f_list, "a*", "l"},
	{"list", f_list, "a*", "l"},
	{"append", f_push, "aa", "le"},
	{"push", f_push, "aa", "le"},
	{"mustAppend", f_push, "aa", "le"},
	{"mustPush", f_push, "aa", "le"},
	{"prepend", f_prepend, "aa", "le"},
	{"mustPrepend", f_prepend, "aa", "le"},
	{"first", f_first, "a", "ae"},
	{"mustFirst", f_first, "a", "ae"},
	{"rest", f_rest, "a", "le"},
	{"mustRest", f_rest, "a", "le"},
	{"last", f_last, "a", "ae"},
	{"mustLast", f_last, "a", "ae"},
	{"initial", f_initial, "a", "le"},
	{"mustInitial", f_initial, "a", "le"},
	{"reverse", f_reverse, "a", "le"},
	{"mustReverse", f_reverse, "a", "le"},
	{"uniq", f_uniq, "a", "le"},
	{"mustUniq", f_uniq, "a", "le"},
	{"without", f_without, "aa*", "le"},
	{"mustWithout", f_without, "aa*", "le"},
	{"has", f_has, "aa", "be"},
	{"mustHas", f_has, "aa", "be"},
	{"slice", f_slice, "aa*", "ae"},
	{"mustSlice", f_slice, "aa*", "ae"},
	{"concat", f_concat, "a*", "ae"},
	{"chunk", f_chunk, "ia", "ae"},
	{"mustChunk", f_chunk, "ia", "ae"},
	{"compact", f_compact, "a", "le"},
	{"mustCompact", f_compact, "a", "le"},
	{"join", f_join, "sa", "se"},
	{"sortAlpha", f_sort_alpha, "a", "S"},
	{"toStrings", f_to_strings, "a", "S"},
};

const struct tfunc_table tfuncs_sprig_lists = {funcs, sizeof(funcs) / sizeof(funcs[0])};
