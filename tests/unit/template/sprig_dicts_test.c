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
	teardown();
	return test_done();
}
