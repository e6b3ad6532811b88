/* sprig's dict functions (src/template/sprig_dicts.c), against what sprig v3.3 gives in Helm
 * (the conformance cases sprig-dict-get, sprig-merge, sprig-mergeoverwrite, sprig-dig ...). */
#include "test.h"

#include <stdarg.h>
#include <string.h>

#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static struct arena *A;
static struct texec X;

static const struct tfunc *find(const char *name)
{
	const struct tfunc_table *tables[] = { &tfuncs_sprig_strings, &tfuncs_sprig_lists,
					       &tfuncs_sprig_dicts };
	for (size_t t = 0; t < 3; t++)
		for (size_t i = 0; i < tables[t]->len; i++)
			if (!strcmp(tables[t]->funcs[i].name, name))
				return &tables[t]->funcs[i];
	return NULL;
}

/* Argument makers. */
static struct tv *S(const char *s) { return tv_str(A, s); }
static struct tv *I(long long i) { return tv_int(A, i); }
static struct tv *F(double f) { return tv_float(A, f); }
static struct tv *B(bool b) { return tv_bool(b); }
#define NIL (&tv_nil_value)
#define MISSING (&tv_invalid_value)

static struct tv *L(size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	struct tv *l = tv_list(A, n);
	for (size_t i = 0; i < n; i++)
		tv_list_push(A, l, va_arg(ap, struct tv *));
	va_end(ap);
	return l;
}

/* D(n, k1, v1, ...): a map of n pairs. */
static struct tv *D(size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	struct tv *m = tv_map_new(A);
	for (size_t i = 0; i < n; i++) {
		const char *k = va_arg(ap, const char *);
		tv_map_set(A, m, k, va_arg(ap, struct tv *));
	}
	va_end(ap);
	return m;
}

static struct tv *last_out;

/* Calls name with n arguments; the result as %v prints it, or "ERR:<message>". */
static const char *callv(const char *name, size_t n, struct tv **args)
{
	const struct tfunc *f = find(name);
	if (!f)
		return "NOFUNC";
	struct tv *out = NULL;
	int rc = f->impl(&X, args, n, &out);
	if (rc)
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	last_out = out;
	struct buf b = BUF_INIT;
	tfmt_value(&b, out);
	const char *s = arena_strndup(A, b.ptr, b.len);
	buf_release(&b);
	return s;
}

static const char *call(const char *name, size_t n, ...)
{
	va_list ap;
	va_start(ap, n);
	struct tv *args[16];
	for (size_t i = 0; i < n; i++)
		args[i] = va_arg(ap, struct tv *);
	va_end(ap);
	return callv(name, n, args);
}

static const char *type_of_last(void)
{
	return tv_type_name(last_out);
}

static void setup(void)
{
	A = arena_new();
	texec_init_standalone(&X, A, NULL);
}

static void teardown(void)
{
	texec_release(&X);
	arena_free(A);
}

TEST(dict_get)
{
	CHECK_STR(call("dict", 4, S("b"), I(2), S("a"), I(1)), "map[a:1 b:2]");
	CHECK_STR(type_of_last(), "map[string]interface {}");
	CHECK_STR(call("dict", 0), "map[]");
	CHECK_STR(call("dict", 1, S("k")), "map[k:]");
	CHECK_STR(call("dict", 4, I(1), I(2), B(true), S("t")), "map[1:2 true:t]");
	CHECK_STR(call("dict", 4, S("a"), I(1), S("a"), I(2)), "map[a:2]");
	CHECK_STR(call("dict", 2, MISSING, I(1)), "map[<nil>:1]");
	struct tv *d = D(2, "a", I(1), "b", D(1, "c", S("deep")));
	CHECK_STR(call("get", 2, d, S("a")), "1");
	CHECK_STR(call("get", 2, d, S("missing")), "");
	CHECK_STR(call("get", 2, tv_map_get(d, "b"), S("c")), "deep");
	CHECK_STR(call("get", 2, NIL, S("c")), "");
}

TEST(set_unset_haskey)
{
	struct tv *d = D(1, "a", I(1));
	CHECK_STR(call("set", 3, d, S("b"), I(2)), "map[a:1 b:2]");
	CHECK(last_out == d); /* in place */
	CHECK_STR(call("unset", 2, d, S("a")), "map[b:2]");
	CHECK_STR(call("unset", 2, d, S("nope")), "map[b:2]");
	CHECK_STR(call("set", 3, NIL, S("b"), I(2)), "ERR:assignment to entry in nil map");
	struct tv *v = D(2, "nul", NIL, "m", D(1, "k", S("")));
	v->type = "common.Values";
	CHECK_STR(call("hasKey", 2, v, S("nul")), "true");
	CHECK_STR(call("hasKey", 2, v, S("x")), "false");
	CHECK_STR(call("hasKey", 2, tv_map_get(v, "m"), S("k")), "true");
	CHECK_STR(call("hasKey", 2, D(1, "a", MISSING), S("a")), "true");
}

TEST(pluck_keys_values_pick_omit)
{
	CHECK_STR(call("pluck", 4, S("a"), D(1, "a", I(1)), D(1, "b", I(2)), D(1, "a", I(3))), "[1 3]");
	CHECK_STR(call("pluck", 2, S("x"), D(0)), "[]");
	CHECK_STR(call("keys", 1, D(3, "b", I(1), "a", I(2), "c", I(3))), "[a b c]");
	CHECK_STR(type_of_last(), "[]string");
	CHECK_STR(call("keys", 2, D(1, "x", I(1)), D(1, "y", I(2))), "[x y]");
	CHECK_STR(call("keys", 1, D(0)), "[]");
	CHECK_STR(call("values", 1, D(3, "b", S("B"), "a", S("A"), "c", S("C"))), "[A B C]");
	CHECK_STR(call("values", 1, D(0)), "[]");
	struct tv *d = D(3, "a", I(1), "b", I(2), "c", I(3));
	CHECK_STR(call("pick", 4, d, S("a"), S("c"), S("zz")), "map[a:1 c:3]");
	CHECK_STR(call("omit", 2, d, S("a")), "map[b:2 c:3]");
	CHECK_STR(call("pick", 1, d), "map[]");
	CHECK_STR(call("omit", 1, d), "map[a:1 b:2 c:3]");
	CHECK(last_out != d);
}

TEST(dig)
{
	struct tv *d = D(1, "a", D(1, "b", D(1, "c", S("found"))));
	CHECK_STR(call("dig", 5, S("a"), S("b"), S("c"), S("dflt"), d), "found");
	CHECK_STR(call("dig", 5, S("a"), S("x"), S("c"), S("dflt"), d), "dflt");
	CHECK_STR(call("dig", 3, S("a"), S("dflt"), d), "map[b:map[c:found]]");
	struct tv *v = D(1, "a", I(1));
	v->type = "common.Values";
	CHECK_STR(call("dig", 3, S("a"), S("dflt"), v),
		  "ERR:interface conversion: interface {} is common.Values, not map[string]interface {}");
	CHECK_STR(call("dig", 3, S("a"), S("dflt"), MISSING),
		  "ERR:interface conversion: interface {} is nil, not map[string]interface {}");
	CHECK_STR(call("dig", 3, I(1), S("dflt"), d),
		  "ERR:interface conversion: interface {} is int, not string");
	CHECK_STR(call("dig", 4, S("a"), S("b"), S("dflt"), D(1, "a", S("x"))),
		  "ERR:interface conversion: interface {} is string, not map[string]interface {}");
	CHECK_STR(call("dig", 2, S("dflt"), d), "ERR:dig needs at least three arguments");
}

TEST(merge)
{
	struct tv *dst = D(2, "a", I(1), "n", D(1, "x", I(1)));
	struct tv *src = D(3, "a", I(2), "b", I(2), "n", D(2, "x", I(2), "y", I(2)));
	CHECK_STR(call("merge", 2, dst, src), "map[a:1 b:2 n:map[x:1 y:2]]");
	CHECK_STR(call("get", 2, dst, S("b")), "2"); /* dst changed in place */
	CHECK_STR(call("merge", 3, D(1, "a", I(1)), D(2, "a", I(2), "b", I(2)), D(2, "b", I(3), "c", I(3))),
		  "map[a:1 b:2 c:3]");
	CHECK_STR(call("merge", 2, D(1, "l", L(1, I(1))), D(1, "l", L(2, I(2), I(3)))), "map[l:[1]]");
	/* holes are filled: empty values and nil */
	CHECK_STR(call("merge", 2, D(4, "s", S(""), "i", I(0), "b", B(false), "z", NIL),
		       D(4, "s", S("x"), "i", I(5), "b", B(true), "z", I(1))),
		  "map[b:true i:5 s:x z:1]");
	CHECK_STR(call("merge", 2, D(1, "a", I(1)), D(1, "a", NIL)), "map[a:1]");
	CHECK_STR(call("merge", 2, D(1, "l", L(0)), D(1, "l", L(1, I(1)))), "map[l:[1]]");
	CHECK_STR(call("merge", 2, D(1, "a", S("x")), D(1, "a", D(1, "k", I(1)))), "map[a:x]");
	CHECK_STR(call("mustMerge", 2, NIL, D(1, "a", I(1))), "map[a:1]");
	CHECK_STR(call("merge", 1, D(1, "a", I(1))), "map[a:1]");
}

TEST(merge_overwrite)
{
	CHECK_STR(call("mergeOverwrite", 3, D(2, "a", I(1), "n", D(2, "x", I(1), "z", I(1))),
		       D(2, "a", I(2), "n", D(1, "x", I(2))), D(1, "a", I(3))),
		  "map[a:3 n:map[x:2 z:1]]");
	CHECK_STR(call("mergeOverwrite", 2, D(1, "l", L(2, I(1), I(2))), D(1, "l", L(1, I(3)))),
		  "map[l:[3]]");
	CHECK_STR(call("mergeOverwrite", 2,
		       D(4, "s", S("keep"), "i", I(1), "b", B(true), "n", D(1, "x", I(1))),
		       D(4, "s", S(""), "i", I(0), "b", B(false), "n", D(0))),
		  "map[b:false i:0 n:map[x:1] s:]");
	CHECK_STR(call("mustMergeOverwrite", 2, D(1, "a", I(1)), D(1, "a", NIL)), "map[a:<nil>]");
	CHECK_STR(call("mergeOverwrite", 2, D(1, "a", S("x")), D(1, "a", D(1, "k", I(1)))),
		  "map[a:map[k:1]]");
	/* mergeOverwrite (deepCopy base) over */
	struct tv *base = D(2, "a", F(1), "nest", D(2, "x", F(1), "z", F(1)));
	struct tv *over = D(2, "a", F(2), "nest", D(1, "z", F(2)));
	CHECK_STR(call("mergeOverwrite", 2, tv_deep_copy(A, base), over), "map[a:2 nest:map[x:1 z:2]]");
	CHECK_STR(call("merge", 2, over, base), "map[a:2 nest:map[x:1 z:2]]");
}

TEST(deep_copy)
{
	struct tv *orig = D(2, "n", D(1, "x", I(1)), "l", L(2, I(1), I(2)));
	CHECK_STR(call("deepCopy", 1, orig), "map[l:[1 2] n:map[x:1]]");
	struct tv *copy = last_out;
	call("set", 3, tv_map_get(copy, "n"), S("x"), I(99));
	CHECK_STR(call("deepCopy", 1, orig), "map[l:[1 2] n:map[x:1]]");
	CHECK_STR(call("deepCopy", 1, copy), "map[l:[1 2] n:map[x:99]]");
	CHECK_STR(call("deepCopy", 1, S("str")), "str");
	CHECK_STR(call("mustDeepCopy", 1, L(1, I(1))), "[1]");
	CHECK_STR(call("deepCopy", 1, MISSING), "ERR:reflect: call of reflect.Value.Type on zero Value");
}

/* Generated by a Go 1.19 program running dario.cat/mergo v1.0.1's Merge and
 * MergeWithOverwrite as sprig calls them: { dst sample (-1: absent), src sample,
 * overwrite, dst has another key, result as %v }. */
static const struct { int d, s, ow, extra; const char *out; } genmerge[] = {
	{ -1, 0, 0, 0, "map[]" },
	{ -1, 0, 0, 1, "map[z:1]" },
	{ -1, 0, 1, 0, "map[a:<nil>]" },
	{ -1, 0, 1, 1, "map[a:<nil> z:1]" },
	{ -1, 1, 0, 0, "map[a:]" },
	{ -1, 1, 0, 1, "map[a: z:1]" },
	{ -1, 1, 1, 0, "map[a:]" },
	{ -1, 1, 1, 1, "map[a: z:1]" },
	{ -1, 2, 0, 0, "map[a:x]" },
	{ -1, 2, 0, 1, "map[a:x z:1]" },
	{ -1, 2, 1, 0, "map[a:x]" },
	{ -1, 2, 1, 1, "map[a:x z:1]" },
	{ -1, 3, 0, 0, "map[a:0]" },
	{ -1, 3, 0, 1, "map[a:0 z:1]" },
	{ -1, 3, 1, 0, "map[a:0]" },
	{ -1, 3, 1, 1, "map[a:0 z:1]" },
	{ -1, 4, 0, 0, "map[a:1]" },
	{ -1, 4, 0, 1, "map[a:1 z:1]" },
	{ -1, 4, 1, 0, "map[a:1]" },
	{ -1, 4, 1, 1, "map[a:1 z:1]" },
	{ -1, 5, 0, 0, "map[a:false]" },
	{ -1, 5, 0, 1, "map[a:false z:1]" },
	{ -1, 5, 1, 0, "map[a:false]" },
	{ -1, 5, 1, 1, "map[a:false z:1]" },
	{ -1, 6, 0, 0, "map[a:true]" },
	{ -1, 6, 0, 1, "map[a:true z:1]" },
	{ -1, 6, 1, 0, "map[a:true]" },
	{ -1, 6, 1, 1, "map[a:true z:1]" },
	{ -1, 7, 0, 0, "map[a:[]]" },
	{ -1, 7, 0, 1, "map[a:[] z:1]" },
	{ -1, 7, 1, 0, "map[a:[]]" },
	{ -1, 7, 1, 1, "map[a:[] z:1]" },
	{ -1, 8, 0, 0, "map[a:[1]]" },
	{ -1, 8, 0, 1, "map[a:[1] z:1]" },
	{ -1, 8, 1, 0, "map[a:[1]]" },
	{ -1, 8, 1, 1, "map[a:[1] z:1]" },
	{ -1, 9, 0, 0, "map[a:map[]]" },
	{ -1, 9, 0, 1, "map[a:map[] z:1]" },
	{ -1, 9, 1, 0, "map[a:map[]]" },
	{ -1, 9, 1, 1, "map[a:map[] z:1]" },
	{ -1, 10, 0, 0, "map[a:map[k:1]]" },
	{ -1, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ -1, 10, 1, 0, "map[a:map[k:1]]" },
	{ -1, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ -1, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ -1, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ -1, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ -1, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ -1, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ -1, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ -1, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ -1, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 0, 0, 0, 0, "map[a:<nil>]" },
	{ 0, 0, 0, 1, "map[a:<nil> z:1]" },
	{ 0, 0, 1, 0, "map[a:<nil>]" },
	{ 0, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 0, 1, 0, 0, "map[a:]" },
	{ 0, 1, 0, 1, "map[a: z:1]" },
	{ 0, 1, 1, 0, "map[a:]" },
	{ 0, 1, 1, 1, "map[a: z:1]" },
	{ 0, 2, 0, 0, "map[a:x]" },
	{ 0, 2, 0, 1, "map[a:x z:1]" },
	{ 0, 2, 1, 0, "map[a:x]" },
	{ 0, 2, 1, 1, "map[a:x z:1]" },
	{ 0, 3, 0, 0, "map[a:0]" },
	{ 0, 3, 0, 1, "map[a:0 z:1]" },
	{ 0, 3, 1, 0, "map[a:0]" },
	{ 0, 3, 1, 1, "map[a:0 z:1]" },
	{ 0, 4, 0, 0, "map[a:1]" },
	{ 0, 4, 0, 1, "map[a:1 z:1]" },
	{ 0, 4, 1, 0, "map[a:1]" },
	{ 0, 4, 1, 1, "map[a:1 z:1]" },
	{ 0, 5, 0, 0, "map[a:false]" },
	{ 0, 5, 0, 1, "map[a:false z:1]" },
	{ 0, 5, 1, 0, "map[a:false]" },
	{ 0, 5, 1, 1, "map[a:false z:1]" },
	{ 0, 6, 0, 0, "map[a:true]" },
	{ 0, 6, 0, 1, "map[a:true z:1]" },
	{ 0, 6, 1, 0, "map[a:true]" },
	{ 0, 6, 1, 1, "map[a:true z:1]" },
	{ 0, 7, 0, 0, "map[a:[]]" },
	{ 0, 7, 0, 1, "map[a:[] z:1]" },
	{ 0, 7, 1, 0, "map[a:[]]" },
	{ 0, 7, 1, 1, "map[a:[] z:1]" },
	{ 0, 8, 0, 0, "map[a:[1]]" },
	{ 0, 8, 0, 1, "map[a:[1] z:1]" },
	{ 0, 8, 1, 0, "map[a:[1]]" },
	{ 0, 8, 1, 1, "map[a:[1] z:1]" },
	{ 0, 9, 0, 0, "map[a:map[]]" },
	{ 0, 9, 0, 1, "map[a:map[] z:1]" },
	{ 0, 9, 1, 0, "map[a:map[]]" },
	{ 0, 9, 1, 1, "map[a:map[] z:1]" },
	{ 0, 10, 0, 0, "map[a:map[k:1]]" },
	{ 0, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 0, 10, 1, 0, "map[a:map[k:1]]" },
	{ 0, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 0, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 0, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 0, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 0, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 0, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 0, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 0, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 0, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 1, 0, 0, 0, "map[a:]" },
	{ 1, 0, 0, 1, "map[a: z:1]" },
	{ 1, 0, 1, 0, "map[a:<nil>]" },
	{ 1, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 1, 1, 0, 0, "map[a:]" },
	{ 1, 1, 0, 1, "map[a: z:1]" },
	{ 1, 1, 1, 0, "map[a:]" },
	{ 1, 1, 1, 1, "map[a: z:1]" },
	{ 1, 2, 0, 0, "map[a:x]" },
	{ 1, 2, 0, 1, "map[a:x z:1]" },
	{ 1, 2, 1, 0, "map[a:x]" },
	{ 1, 2, 1, 1, "map[a:x z:1]" },
	{ 1, 3, 0, 0, "map[a:0]" },
	{ 1, 3, 0, 1, "map[a:0 z:1]" },
	{ 1, 3, 1, 0, "map[a:0]" },
	{ 1, 3, 1, 1, "map[a:0 z:1]" },
	{ 1, 4, 0, 0, "map[a:1]" },
	{ 1, 4, 0, 1, "map[a:1 z:1]" },
	{ 1, 4, 1, 0, "map[a:1]" },
	{ 1, 4, 1, 1, "map[a:1 z:1]" },
	{ 1, 5, 0, 0, "map[a:false]" },
	{ 1, 5, 0, 1, "map[a:false z:1]" },
	{ 1, 5, 1, 0, "map[a:false]" },
	{ 1, 5, 1, 1, "map[a:false z:1]" },
	{ 1, 6, 0, 0, "map[a:true]" },
	{ 1, 6, 0, 1, "map[a:true z:1]" },
	{ 1, 6, 1, 0, "map[a:true]" },
	{ 1, 6, 1, 1, "map[a:true z:1]" },
	{ 1, 7, 0, 0, "map[a:[]]" },
	{ 1, 7, 0, 1, "map[a:[] z:1]" },
	{ 1, 7, 1, 0, "map[a:[]]" },
	{ 1, 7, 1, 1, "map[a:[] z:1]" },
	{ 1, 8, 0, 0, "map[a:[1]]" },
	{ 1, 8, 0, 1, "map[a:[1] z:1]" },
	{ 1, 8, 1, 0, "map[a:[1]]" },
	{ 1, 8, 1, 1, "map[a:[1] z:1]" },
	{ 1, 9, 0, 0, "map[a:map[]]" },
	{ 1, 9, 0, 1, "map[a:map[] z:1]" },
	{ 1, 9, 1, 0, "map[a:map[]]" },
	{ 1, 9, 1, 1, "map[a:map[] z:1]" },
	{ 1, 10, 0, 0, "map[a:map[k:1]]" },
	{ 1, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 1, 10, 1, 0, "map[a:map[k:1]]" },
	{ 1, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 1, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 1, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 1, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 1, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 1, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 1, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 1, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 1, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 2, 0, 0, 0, "map[a:x]" },
	{ 2, 0, 0, 1, "map[a:x z:1]" },
	{ 2, 0, 1, 0, "map[a:<nil>]" },
	{ 2, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 2, 1, 0, 0, "map[a:x]" },
	{ 2, 1, 0, 1, "map[a:x z:1]" },
	{ 2, 1, 1, 0, "map[a:]" },
	{ 2, 1, 1, 1, "map[a: z:1]" },
	{ 2, 2, 0, 0, "map[a:x]" },
	{ 2, 2, 0, 1, "map[a:x z:1]" },
	{ 2, 2, 1, 0, "map[a:x]" },
	{ 2, 2, 1, 1, "map[a:x z:1]" },
	{ 2, 3, 0, 0, "map[a:x]" },
	{ 2, 3, 0, 1, "map[a:x z:1]" },
	{ 2, 3, 1, 0, "map[a:0]" },
	{ 2, 3, 1, 1, "map[a:0 z:1]" },
	{ 2, 4, 0, 0, "map[a:x]" },
	{ 2, 4, 0, 1, "map[a:x z:1]" },
	{ 2, 4, 1, 0, "map[a:1]" },
	{ 2, 4, 1, 1, "map[a:1 z:1]" },
	{ 2, 5, 0, 0, "map[a:x]" },
	{ 2, 5, 0, 1, "map[a:x z:1]" },
	{ 2, 5, 1, 0, "map[a:false]" },
	{ 2, 5, 1, 1, "map[a:false z:1]" },
	{ 2, 6, 0, 0, "map[a:x]" },
	{ 2, 6, 0, 1, "map[a:x z:1]" },
	{ 2, 6, 1, 0, "map[a:true]" },
	{ 2, 6, 1, 1, "map[a:true z:1]" },
	{ 2, 7, 0, 0, "map[a:x]" },
	{ 2, 7, 0, 1, "map[a:x z:1]" },
	{ 2, 7, 1, 0, "map[a:[]]" },
	{ 2, 7, 1, 1, "map[a:[] z:1]" },
	{ 2, 8, 0, 0, "map[a:x]" },
	{ 2, 8, 0, 1, "map[a:x z:1]" },
	{ 2, 8, 1, 0, "map[a:[1]]" },
	{ 2, 8, 1, 1, "map[a:[1] z:1]" },
	{ 2, 9, 0, 0, "map[a:x]" },
	{ 2, 9, 0, 1, "map[a:x z:1]" },
	{ 2, 9, 1, 0, "map[a:map[]]" },
	{ 2, 9, 1, 1, "map[a:map[] z:1]" },
	{ 2, 10, 0, 0, "map[a:x]" },
	{ 2, 10, 0, 1, "map[a:x z:1]" },
	{ 2, 10, 1, 0, "map[a:map[k:1]]" },
	{ 2, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 2, 11, 0, 0, "map[a:x]" },
	{ 2, 11, 0, 1, "map[a:x z:1]" },
	{ 2, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 2, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 2, 12, 0, 0, "map[a:x]" },
	{ 2, 12, 0, 1, "map[a:x z:1]" },
	{ 2, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 2, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 3, 0, 0, 0, "map[a:0]" },
	{ 3, 0, 0, 1, "map[a:0 z:1]" },
	{ 3, 0, 1, 0, "map[a:<nil>]" },
	{ 3, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 3, 1, 0, 0, "map[a:]" },
	{ 3, 1, 0, 1, "map[a: z:1]" },
	{ 3, 1, 1, 0, "map[a:]" },
	{ 3, 1, 1, 1, "map[a: z:1]" },
	{ 3, 2, 0, 0, "map[a:x]" },
	{ 3, 2, 0, 1, "map[a:x z:1]" },
	{ 3, 2, 1, 0, "map[a:x]" },
	{ 3, 2, 1, 1, "map[a:x z:1]" },
	{ 3, 3, 0, 0, "map[a:0]" },
	{ 3, 3, 0, 1, "map[a:0 z:1]" },
	{ 3, 3, 1, 0, "map[a:0]" },
	{ 3, 3, 1, 1, "map[a:0 z:1]" },
	{ 3, 4, 0, 0, "map[a:1]" },
	{ 3, 4, 0, 1, "map[a:1 z:1]" },
	{ 3, 4, 1, 0, "map[a:1]" },
	{ 3, 4, 1, 1, "map[a:1 z:1]" },
	{ 3, 5, 0, 0, "map[a:false]" },
	{ 3, 5, 0, 1, "map[a:false z:1]" },
	{ 3, 5, 1, 0, "map[a:false]" },
	{ 3, 5, 1, 1, "map[a:false z:1]" },
	{ 3, 6, 0, 0, "map[a:true]" },
	{ 3, 6, 0, 1, "map[a:true z:1]" },
	{ 3, 6, 1, 0, "map[a:true]" },
	{ 3, 6, 1, 1, "map[a:true z:1]" },
	{ 3, 7, 0, 0, "map[a:[]]" },
	{ 3, 7, 0, 1, "map[a:[] z:1]" },
	{ 3, 7, 1, 0, "map[a:[]]" },
	{ 3, 7, 1, 1, "map[a:[] z:1]" },
	{ 3, 8, 0, 0, "map[a:[1]]" },
	{ 3, 8, 0, 1, "map[a:[1] z:1]" },
	{ 3, 8, 1, 0, "map[a:[1]]" },
	{ 3, 8, 1, 1, "map[a:[1] z:1]" },
	{ 3, 9, 0, 0, "map[a:map[]]" },
	{ 3, 9, 0, 1, "map[a:map[] z:1]" },
	{ 3, 9, 1, 0, "map[a:map[]]" },
	{ 3, 9, 1, 1, "map[a:map[] z:1]" },
	{ 3, 10, 0, 0, "map[a:map[k:1]]" },
	{ 3, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 3, 10, 1, 0, "map[a:map[k:1]]" },
	{ 3, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 3, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 3, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 3, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 3, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 3, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 3, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 3, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 3, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 4, 0, 0, 0, "map[a:1]" },
	{ 4, 0, 0, 1, "map[a:1 z:1]" },
	{ 4, 0, 1, 0, "map[a:<nil>]" },
	{ 4, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 4, 1, 0, 0, "map[a:1]" },
	{ 4, 1, 0, 1, "map[a:1 z:1]" },
	{ 4, 1, 1, 0, "map[a:]" },
	{ 4, 1, 1, 1, "map[a: z:1]" },
	{ 4, 2, 0, 0, "map[a:1]" },
	{ 4, 2, 0, 1, "map[a:1 z:1]" },
	{ 4, 2, 1, 0, "map[a:x]" },
	{ 4, 2, 1, 1, "map[a:x z:1]" },
	{ 4, 3, 0, 0, "map[a:1]" },
	{ 4, 3, 0, 1, "map[a:1 z:1]" },
	{ 4, 3, 1, 0, "map[a:0]" },
	{ 4, 3, 1, 1, "map[a:0 z:1]" },
	{ 4, 4, 0, 0, "map[a:1]" },
	{ 4, 4, 0, 1, "map[a:1 z:1]" },
	{ 4, 4, 1, 0, "map[a:1]" },
	{ 4, 4, 1, 1, "map[a:1 z:1]" },
	{ 4, 5, 0, 0, "map[a:1]" },
	{ 4, 5, 0, 1, "map[a:1 z:1]" },
	{ 4, 5, 1, 0, "map[a:false]" },
	{ 4, 5, 1, 1, "map[a:false z:1]" },
	{ 4, 6, 0, 0, "map[a:1]" },
	{ 4, 6, 0, 1, "map[a:1 z:1]" },
	{ 4, 6, 1, 0, "map[a:true]" },
	{ 4, 6, 1, 1, "map[a:true z:1]" },
	{ 4, 7, 0, 0, "map[a:1]" },
	{ 4, 7, 0, 1, "map[a:1 z:1]" },
	{ 4, 7, 1, 0, "map[a:[]]" },
	{ 4, 7, 1, 1, "map[a:[] z:1]" },
	{ 4, 8, 0, 0, "map[a:1]" },
	{ 4, 8, 0, 1, "map[a:1 z:1]" },
	{ 4, 8, 1, 0, "map[a:[1]]" },
	{ 4, 8, 1, 1, "map[a:[1] z:1]" },
	{ 4, 9, 0, 0, "map[a:1]" },
	{ 4, 9, 0, 1, "map[a:1 z:1]" },
	{ 4, 9, 1, 0, "map[a:map[]]" },
	{ 4, 9, 1, 1, "map[a:map[] z:1]" },
	{ 4, 10, 0, 0, "map[a:1]" },
	{ 4, 10, 0, 1, "map[a:1 z:1]" },
	{ 4, 10, 1, 0, "map[a:map[k:1]]" },
	{ 4, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 4, 11, 0, 0, "map[a:1]" },
	{ 4, 11, 0, 1, "map[a:1 z:1]" },
	{ 4, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 4, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 4, 12, 0, 0, "map[a:1]" },
	{ 4, 12, 0, 1, "map[a:1 z:1]" },
	{ 4, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 4, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 5, 0, 0, 0, "map[a:false]" },
	{ 5, 0, 0, 1, "map[a:false z:1]" },
	{ 5, 0, 1, 0, "map[a:<nil>]" },
	{ 5, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 5, 1, 0, 0, "map[a:]" },
	{ 5, 1, 0, 1, "map[a: z:1]" },
	{ 5, 1, 1, 0, "map[a:]" },
	{ 5, 1, 1, 1, "map[a: z:1]" },
	{ 5, 2, 0, 0, "map[a:x]" },
	{ 5, 2, 0, 1, "map[a:x z:1]" },
	{ 5, 2, 1, 0, "map[a:x]" },
	{ 5, 2, 1, 1, "map[a:x z:1]" },
	{ 5, 3, 0, 0, "map[a:0]" },
	{ 5, 3, 0, 1, "map[a:0 z:1]" },
	{ 5, 3, 1, 0, "map[a:0]" },
	{ 5, 3, 1, 1, "map[a:0 z:1]" },
	{ 5, 4, 0, 0, "map[a:1]" },
	{ 5, 4, 0, 1, "map[a:1 z:1]" },
	{ 5, 4, 1, 0, "map[a:1]" },
	{ 5, 4, 1, 1, "map[a:1 z:1]" },
	{ 5, 5, 0, 0, "map[a:false]" },
	{ 5, 5, 0, 1, "map[a:false z:1]" },
	{ 5, 5, 1, 0, "map[a:false]" },
	{ 5, 5, 1, 1, "map[a:false z:1]" },
	{ 5, 6, 0, 0, "map[a:true]" },
	{ 5, 6, 0, 1, "map[a:true z:1]" },
	{ 5, 6, 1, 0, "map[a:true]" },
	{ 5, 6, 1, 1, "map[a:true z:1]" },
	{ 5, 7, 0, 0, "map[a:[]]" },
	{ 5, 7, 0, 1, "map[a:[] z:1]" },
	{ 5, 7, 1, 0, "map[a:[]]" },
	{ 5, 7, 1, 1, "map[a:[] z:1]" },
	{ 5, 8, 0, 0, "map[a:[1]]" },
	{ 5, 8, 0, 1, "map[a:[1] z:1]" },
	{ 5, 8, 1, 0, "map[a:[1]]" },
	{ 5, 8, 1, 1, "map[a:[1] z:1]" },
	{ 5, 9, 0, 0, "map[a:map[]]" },
	{ 5, 9, 0, 1, "map[a:map[] z:1]" },
	{ 5, 9, 1, 0, "map[a:map[]]" },
	{ 5, 9, 1, 1, "map[a:map[] z:1]" },
	{ 5, 10, 0, 0, "map[a:map[k:1]]" },
	{ 5, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 5, 10, 1, 0, "map[a:map[k:1]]" },
	{ 5, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 5, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 5, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 5, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 5, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 5, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 5, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 5, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 5, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 6, 0, 0, 0, "map[a:true]" },
	{ 6, 0, 0, 1, "map[a:true z:1]" },
	{ 6, 0, 1, 0, "map[a:<nil>]" },
	{ 6, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 6, 1, 0, 0, "map[a:true]" },
	{ 6, 1, 0, 1, "map[a:true z:1]" },
	{ 6, 1, 1, 0, "map[a:]" },
	{ 6, 1, 1, 1, "map[a: z:1]" },
	{ 6, 2, 0, 0, "map[a:true]" },
	{ 6, 2, 0, 1, "map[a:true z:1]" },
	{ 6, 2, 1, 0, "map[a:x]" },
	{ 6, 2, 1, 1, "map[a:x z:1]" },
	{ 6, 3, 0, 0, "map[a:true]" },
	{ 6, 3, 0, 1, "map[a:true z:1]" },
	{ 6, 3, 1, 0, "map[a:0]" },
	{ 6, 3, 1, 1, "map[a:0 z:1]" },
	{ 6, 4, 0, 0, "map[a:true]" },
	{ 6, 4, 0, 1, "map[a:true z:1]" },
	{ 6, 4, 1, 0, "map[a:1]" },
	{ 6, 4, 1, 1, "map[a:1 z:1]" },
	{ 6, 5, 0, 0, "map[a:true]" },
	{ 6, 5, 0, 1, "map[a:true z:1]" },
	{ 6, 5, 1, 0, "map[a:false]" },
	{ 6, 5, 1, 1, "map[a:false z:1]" },
	{ 6, 6, 0, 0, "map[a:true]" },
	{ 6, 6, 0, 1, "map[a:true z:1]" },
	{ 6, 6, 1, 0, "map[a:true]" },
	{ 6, 6, 1, 1, "map[a:true z:1]" },
	{ 6, 7, 0, 0, "map[a:true]" },
	{ 6, 7, 0, 1, "map[a:true z:1]" },
	{ 6, 7, 1, 0, "map[a:[]]" },
	{ 6, 7, 1, 1, "map[a:[] z:1]" },
	{ 6, 8, 0, 0, "map[a:true]" },
	{ 6, 8, 0, 1, "map[a:true z:1]" },
	{ 6, 8, 1, 0, "map[a:[1]]" },
	{ 6, 8, 1, 1, "map[a:[1] z:1]" },
	{ 6, 9, 0, 0, "map[a:true]" },
	{ 6, 9, 0, 1, "map[a:true z:1]" },
	{ 6, 9, 1, 0, "map[a:map[]]" },
	{ 6, 9, 1, 1, "map[a:map[] z:1]" },
	{ 6, 10, 0, 0, "map[a:true]" },
	{ 6, 10, 0, 1, "map[a:true z:1]" },
	{ 6, 10, 1, 0, "map[a:map[k:1]]" },
	{ 6, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 6, 11, 0, 0, "map[a:true]" },
	{ 6, 11, 0, 1, "map[a:true z:1]" },
	{ 6, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 6, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 6, 12, 0, 0, "map[a:true]" },
	{ 6, 12, 0, 1, "map[a:true z:1]" },
	{ 6, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 6, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 7, 0, 0, 0, "map[a:[]]" },
	{ 7, 0, 0, 1, "map[a:[] z:1]" },
	{ 7, 0, 1, 0, "map[a:<nil>]" },
	{ 7, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 7, 1, 0, 0, "map[a:]" },
	{ 7, 1, 0, 1, "map[a: z:1]" },
	{ 7, 1, 1, 0, "map[a:]" },
	{ 7, 1, 1, 1, "map[a: z:1]" },
	{ 7, 2, 0, 0, "map[a:x]" },
	{ 7, 2, 0, 1, "map[a:x z:1]" },
	{ 7, 2, 1, 0, "map[a:x]" },
	{ 7, 2, 1, 1, "map[a:x z:1]" },
	{ 7, 3, 0, 0, "map[a:0]" },
	{ 7, 3, 0, 1, "map[a:0 z:1]" },
	{ 7, 3, 1, 0, "map[a:0]" },
	{ 7, 3, 1, 1, "map[a:0 z:1]" },
	{ 7, 4, 0, 0, "map[a:1]" },
	{ 7, 4, 0, 1, "map[a:1 z:1]" },
	{ 7, 4, 1, 0, "map[a:1]" },
	{ 7, 4, 1, 1, "map[a:1 z:1]" },
	{ 7, 5, 0, 0, "map[a:false]" },
	{ 7, 5, 0, 1, "map[a:false z:1]" },
	{ 7, 5, 1, 0, "map[a:false]" },
	{ 7, 5, 1, 1, "map[a:false z:1]" },
	{ 7, 6, 0, 0, "map[a:true]" },
	{ 7, 6, 0, 1, "map[a:true z:1]" },
	{ 7, 6, 1, 0, "map[a:true]" },
	{ 7, 6, 1, 1, "map[a:true z:1]" },
	{ 7, 7, 0, 0, "map[a:[]]" },
	{ 7, 7, 0, 1, "map[a:[] z:1]" },
	{ 7, 7, 1, 0, "map[a:[]]" },
	{ 7, 7, 1, 1, "map[a:[] z:1]" },
	{ 7, 8, 0, 0, "map[a:[1]]" },
	{ 7, 8, 0, 1, "map[a:[1] z:1]" },
	{ 7, 8, 1, 0, "map[a:[1]]" },
	{ 7, 8, 1, 1, "map[a:[1] z:1]" },
	{ 7, 9, 0, 0, "map[a:map[]]" },
	{ 7, 9, 0, 1, "map[a:map[] z:1]" },
	{ 7, 9, 1, 0, "map[a:map[]]" },
	{ 7, 9, 1, 1, "map[a:map[] z:1]" },
	{ 7, 10, 0, 0, "map[a:map[k:1]]" },
	{ 7, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 7, 10, 1, 0, "map[a:map[k:1]]" },
	{ 7, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 7, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 7, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 7, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 7, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 7, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 7, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 7, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 7, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 8, 0, 0, 0, "map[a:[1]]" },
	{ 8, 0, 0, 1, "map[a:[1] z:1]" },
	{ 8, 0, 1, 0, "map[a:<nil>]" },
	{ 8, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 8, 1, 0, 0, "map[a:[1]]" },
	{ 8, 1, 0, 1, "map[a:[1] z:1]" },
	{ 8, 1, 1, 0, "map[a:]" },
	{ 8, 1, 1, 1, "map[a: z:1]" },
	{ 8, 2, 0, 0, "map[a:[1]]" },
	{ 8, 2, 0, 1, "map[a:[1] z:1]" },
	{ 8, 2, 1, 0, "map[a:x]" },
	{ 8, 2, 1, 1, "map[a:x z:1]" },
	{ 8, 3, 0, 0, "map[a:[1]]" },
	{ 8, 3, 0, 1, "map[a:[1] z:1]" },
	{ 8, 3, 1, 0, "map[a:0]" },
	{ 8, 3, 1, 1, "map[a:0 z:1]" },
	{ 8, 4, 0, 0, "map[a:[1]]" },
	{ 8, 4, 0, 1, "map[a:[1] z:1]" },
	{ 8, 4, 1, 0, "map[a:1]" },
	{ 8, 4, 1, 1, "map[a:1 z:1]" },
	{ 8, 5, 0, 0, "map[a:[1]]" },
	{ 8, 5, 0, 1, "map[a:[1] z:1]" },
	{ 8, 5, 1, 0, "map[a:false]" },
	{ 8, 5, 1, 1, "map[a:false z:1]" },
	{ 8, 6, 0, 0, "map[a:[1]]" },
	{ 8, 6, 0, 1, "map[a:[1] z:1]" },
	{ 8, 6, 1, 0, "map[a:true]" },
	{ 8, 6, 1, 1, "map[a:true z:1]" },
	{ 8, 7, 0, 0, "map[a:[1]]" },
	{ 8, 7, 0, 1, "map[a:[1] z:1]" },
	{ 8, 7, 1, 0, "map[a:[]]" },
	{ 8, 7, 1, 1, "map[a:[] z:1]" },
	{ 8, 8, 0, 0, "map[a:[1]]" },
	{ 8, 8, 0, 1, "map[a:[1] z:1]" },
	{ 8, 8, 1, 0, "map[a:[1]]" },
	{ 8, 8, 1, 1, "map[a:[1] z:1]" },
	{ 8, 9, 0, 0, "map[a:[1]]" },
	{ 8, 9, 0, 1, "map[a:[1] z:1]" },
	{ 8, 9, 1, 0, "map[a:map[]]" },
	{ 8, 9, 1, 1, "map[a:map[] z:1]" },
	{ 8, 10, 0, 0, "map[a:[1]]" },
	{ 8, 10, 0, 1, "map[a:[1] z:1]" },
	{ 8, 10, 1, 0, "map[a:map[k:1]]" },
	{ 8, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 8, 11, 0, 0, "map[a:[1]]" },
	{ 8, 11, 0, 1, "map[a:[1] z:1]" },
	{ 8, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 8, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 8, 12, 0, 0, "map[a:[1]]" },
	{ 8, 12, 0, 1, "map[a:[1] z:1]" },
	{ 8, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 8, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 9, 0, 0, 0, "map[a:map[]]" },
	{ 9, 0, 0, 1, "map[a:map[] z:1]" },
	{ 9, 0, 1, 0, "map[a:<nil>]" },
	{ 9, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 9, 1, 0, 0, "map[a:]" },
	{ 9, 1, 0, 1, "map[a: z:1]" },
	{ 9, 1, 1, 0, "map[a:]" },
	{ 9, 1, 1, 1, "map[a: z:1]" },
	{ 9, 2, 0, 0, "map[a:x]" },
	{ 9, 2, 0, 1, "map[a:x z:1]" },
	{ 9, 2, 1, 0, "map[a:x]" },
	{ 9, 2, 1, 1, "map[a:x z:1]" },
	{ 9, 3, 0, 0, "map[a:0]" },
	{ 9, 3, 0, 1, "map[a:0 z:1]" },
	{ 9, 3, 1, 0, "map[a:0]" },
	{ 9, 3, 1, 1, "map[a:0 z:1]" },
	{ 9, 4, 0, 0, "map[a:1]" },
	{ 9, 4, 0, 1, "map[a:1 z:1]" },
	{ 9, 4, 1, 0, "map[a:1]" },
	{ 9, 4, 1, 1, "map[a:1 z:1]" },
	{ 9, 5, 0, 0, "map[a:false]" },
	{ 9, 5, 0, 1, "map[a:false z:1]" },
	{ 9, 5, 1, 0, "map[a:false]" },
	{ 9, 5, 1, 1, "map[a:false z:1]" },
	{ 9, 6, 0, 0, "map[a:true]" },
	{ 9, 6, 0, 1, "map[a:true z:1]" },
	{ 9, 6, 1, 0, "map[a:true]" },
	{ 9, 6, 1, 1, "map[a:true z:1]" },
	{ 9, 7, 0, 0, "map[a:[]]" },
	{ 9, 7, 0, 1, "map[a:[] z:1]" },
	{ 9, 7, 1, 0, "map[a:[]]" },
	{ 9, 7, 1, 1, "map[a:[] z:1]" },
	{ 9, 8, 0, 0, "map[a:[1]]" },
	{ 9, 8, 0, 1, "map[a:[1] z:1]" },
	{ 9, 8, 1, 0, "map[a:[1]]" },
	{ 9, 8, 1, 1, "map[a:[1] z:1]" },
	{ 9, 9, 0, 0, "map[a:map[]]" },
	{ 9, 9, 0, 1, "map[a:map[] z:1]" },
	{ 9, 9, 1, 0, "map[a:map[]]" },
	{ 9, 9, 1, 1, "map[a:map[] z:1]" },
	{ 9, 10, 0, 0, "map[a:map[k:1]]" },
	{ 9, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 9, 10, 1, 0, "map[a:map[k:1]]" },
	{ 9, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 9, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 9, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 9, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 9, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 9, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 9, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 9, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 9, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 10, 0, 0, 0, "map[a:map[k:1]]" },
	{ 10, 0, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 0, 1, 0, "map[a:<nil>]" },
	{ 10, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 10, 1, 0, 0, "map[a:map[k:1]]" },
	{ 10, 1, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 1, 1, 0, "map[a:]" },
	{ 10, 1, 1, 1, "map[a: z:1]" },
	{ 10, 2, 0, 0, "map[a:map[k:1]]" },
	{ 10, 2, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 2, 1, 0, "map[a:x]" },
	{ 10, 2, 1, 1, "map[a:x z:1]" },
	{ 10, 3, 0, 0, "map[a:map[k:1]]" },
	{ 10, 3, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 3, 1, 0, "map[a:0]" },
	{ 10, 3, 1, 1, "map[a:0 z:1]" },
	{ 10, 4, 0, 0, "map[a:map[k:1]]" },
	{ 10, 4, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 4, 1, 0, "map[a:1]" },
	{ 10, 4, 1, 1, "map[a:1 z:1]" },
	{ 10, 5, 0, 0, "map[a:map[k:1]]" },
	{ 10, 5, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 5, 1, 0, "map[a:false]" },
	{ 10, 5, 1, 1, "map[a:false z:1]" },
	{ 10, 6, 0, 0, "map[a:map[k:1]]" },
	{ 10, 6, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 6, 1, 0, "map[a:true]" },
	{ 10, 6, 1, 1, "map[a:true z:1]" },
	{ 10, 7, 0, 0, "map[a:map[k:1]]" },
	{ 10, 7, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 7, 1, 0, "map[a:[]]" },
	{ 10, 7, 1, 1, "map[a:[] z:1]" },
	{ 10, 8, 0, 0, "map[a:map[k:1]]" },
	{ 10, 8, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 8, 1, 0, "map[a:[1]]" },
	{ 10, 8, 1, 1, "map[a:[1] z:1]" },
	{ 10, 9, 0, 0, "map[a:map[k:1]]" },
	{ 10, 9, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 9, 1, 0, "map[a:map[k:1]]" },
	{ 10, 9, 1, 1, "map[a:map[k:1] z:1]" },
	{ 10, 10, 0, 0, "map[a:map[k:1]]" },
	{ 10, 10, 0, 1, "map[a:map[k:1] z:1]" },
	{ 10, 10, 1, 0, "map[a:map[k:1]]" },
	{ 10, 10, 1, 1, "map[a:map[k:1] z:1]" },
	{ 10, 11, 0, 0, "map[a:map[k:1 m:]]" },
	{ 10, 11, 0, 1, "map[a:map[k:1 m:] z:1]" },
	{ 10, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 10, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 10, 12, 0, 0, "map[a:map[k:1 m:y]]" },
	{ 10, 12, 0, 1, "map[a:map[k:1 m:y] z:1]" },
	{ 10, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 10, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 11, 0, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 0, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 0, 1, 0, "map[a:<nil>]" },
	{ 11, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 11, 1, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 1, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 1, 1, 0, "map[a:]" },
	{ 11, 1, 1, 1, "map[a: z:1]" },
	{ 11, 2, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 2, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 2, 1, 0, "map[a:x]" },
	{ 11, 2, 1, 1, "map[a:x z:1]" },
	{ 11, 3, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 3, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 3, 1, 0, "map[a:0]" },
	{ 11, 3, 1, 1, "map[a:0 z:1]" },
	{ 11, 4, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 4, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 4, 1, 0, "map[a:1]" },
	{ 11, 4, 1, 1, "map[a:1 z:1]" },
	{ 11, 5, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 5, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 5, 1, 0, "map[a:false]" },
	{ 11, 5, 1, 1, "map[a:false z:1]" },
	{ 11, 6, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 6, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 6, 1, 0, "map[a:true]" },
	{ 11, 6, 1, 1, "map[a:true z:1]" },
	{ 11, 7, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 7, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 7, 1, 0, "map[a:[]]" },
	{ 11, 7, 1, 1, "map[a:[] z:1]" },
	{ 11, 8, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 8, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 8, 1, 0, "map[a:[1]]" },
	{ 11, 8, 1, 1, "map[a:[1] z:1]" },
	{ 11, 9, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 9, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 9, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 9, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 10, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 10, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 10, 1, 0, "map[a:map[k:1 m:]]" },
	{ 11, 10, 1, 1, "map[a:map[k:1 m:] z:1]" },
	{ 11, 11, 0, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 11, 0, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 11, 1, 0, "map[a:map[k:map[j:2] m:]]" },
	{ 11, 11, 1, 1, "map[a:map[k:map[j:2] m:] z:1]" },
	{ 11, 12, 0, 0, "map[a:map[k:map[i:3 j:2] m:y]]" },
	{ 11, 12, 0, 1, "map[a:map[k:map[i:3 j:2] m:y] z:1]" },
	{ 11, 12, 1, 0, "map[a:map[k:map[i:3 j:2] m:y]]" },
	{ 11, 12, 1, 1, "map[a:map[k:map[i:3 j:2] m:y] z:1]" },
	{ 12, 0, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 0, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 0, 1, 0, "map[a:<nil>]" },
	{ 12, 0, 1, 1, "map[a:<nil> z:1]" },
	{ 12, 1, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 1, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 1, 1, 0, "map[a:]" },
	{ 12, 1, 1, 1, "map[a: z:1]" },
	{ 12, 2, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 2, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 2, 1, 0, "map[a:x]" },
	{ 12, 2, 1, 1, "map[a:x z:1]" },
	{ 12, 3, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 3, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 3, 1, 0, "map[a:0]" },
	{ 12, 3, 1, 1, "map[a:0 z:1]" },
	{ 12, 4, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 4, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 4, 1, 0, "map[a:1]" },
	{ 12, 4, 1, 1, "map[a:1 z:1]" },
	{ 12, 5, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 5, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 5, 1, 0, "map[a:false]" },
	{ 12, 5, 1, 1, "map[a:false z:1]" },
	{ 12, 6, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 6, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 6, 1, 0, "map[a:true]" },
	{ 12, 6, 1, 1, "map[a:true z:1]" },
	{ 12, 7, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 7, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 7, 1, 0, "map[a:[]]" },
	{ 12, 7, 1, 1, "map[a:[] z:1]" },
	{ 12, 8, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 8, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 8, 1, 0, "map[a:[1]]" },
	{ 12, 8, 1, 1, "map[a:[1] z:1]" },
	{ 12, 9, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 9, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 9, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 9, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 10, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 10, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 10, 1, 0, "map[a:map[k:1 m:y]]" },
	{ 12, 10, 1, 1, "map[a:map[k:1 m:y] z:1]" },
	{ 12, 11, 0, 0, "map[a:map[k:map[i:3 j:2] m:y]]" },
	{ 12, 11, 0, 1, "map[a:map[k:map[i:3 j:2] m:y] z:1]" },
	{ 12, 11, 1, 0, "map[a:map[k:map[i:3 j:2] m:]]" },
	{ 12, 11, 1, 1, "map[a:map[k:map[i:3 j:2] m:] z:1]" },
	{ 12, 12, 0, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 12, 0, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
	{ 12, 12, 1, 0, "map[a:map[k:map[i:3] m:y]]" },
	{ 12, 12, 1, 1, "map[a:map[k:map[i:3] m:y] z:1]" },
};

static struct tv *sample(int i)
{
	switch (i) {
	case 0: return NIL;
	case 1: return S("");
	case 2: return S("x");
	case 3: return I(0);
	case 4: return I(1);
	case 5: return B(false);
	case 6: return B(true);
	case 7: return L(0);
	case 8: return L(1, I(1));
	case 9: return D(0);
	case 10: return D(1, "k", I(1));
	case 11: return D(2, "k", D(1, "j", I(2)), "m", S(""));
	case 12: return D(2, "k", D(1, "i", I(3)), "m", S("y"));
	}
	return NIL;
}

/* Every pair of sample values under one key, merged both ways, against mergo itself. */
TEST(merge_generated_against_mergo)
{
	size_t bad = 0;
	for (size_t i = 0; i < sizeof(genmerge) / sizeof(genmerge[0]); i++) {
		struct tv *dst = D(0);
		if (genmerge[i].d >= 0)
			tv_map_set(A, dst, "a", sample(genmerge[i].d));
		if (genmerge[i].extra)
			tv_map_set(A, dst, "z", I(1));
		struct tv *src = D(1, "a", sample(genmerge[i].s));
		const char *got = call(genmerge[i].ow ? "mergeOverwrite" : "merge", 2, dst, src);
		if (strcmp(got, genmerge[i].out) != 0 && bad++ < 20)
			printf("#   d=%d s=%d ow=%d extra=%d: got [%s] want [%s]\n", genmerge[i].d,
			       genmerge[i].s, genmerge[i].ow, genmerge[i].extra, got, genmerge[i].out);
	}
	CHECK_INT(bad, 0);
}

int main(void)
{
	setup();
	RUN(dict_get);
	RUN(set_unset_haskey);
	RUN(pluck_keys_values_pick_omit);
	RUN(dig);
	RUN(merge);
	RUN(merge_overwrite);
	RUN(deep_copy);
	RUN(merge_generated_against_mergo);
	teardown();
	return test_done();
}
