/* sprig's list functions (src/template/sprig_lists.c), against what sprig v3.3 gives in Helm
 * (the conformance cases sprig-list, sprig-first-last-rest-initial, sprig-chunk ...). */
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

TEST(list_and_tuple)
{
	CHECK_STR(call("list", 4, I(1), S("a"), B(true), F(2.5)), "[1 a true 2.5]");
	CHECK_STR(call("list", 0), "[]");
	CHECK_STR(type_of_last(), "[]interface {}");
	CHECK_STR(call("tuple", 2, I(1), I(2)), "[1 2]");
	CHECK_STR(call("list", 2, L(2, I(1), I(2)), D(1, "k", S("v"))), "[[1 2] map[k:v]]");
}

TEST(append_prepend)
{
	struct tv *l = L(2, I(1), I(2));
	CHECK_STR(call("append", 2, l, I(3)), "[1 2 3]");
	CHECK_STR(call("prepend", 2, l, I(0)), "[0 1 2]");
	CHECK_STR(call("push", 2, l, S("p")), "[1 2 p]");
	CHECK_INT(l->u.list.len, 2); /* the input is never changed */
	CHECK_STR(call("mustAppend", 2, S("abc"), S("d")), "ERR:Cannot push on type string");
	CHECK_STR(call("prepend", 2, I(1), S("d")), "ERR:Cannot prepend on type int");
	CHECK_STR(call("append", 2, MISSING, S("d")),
		  "ERR:runtime error: invalid memory address or nil pointer dereference");
}

TEST(first_last_rest_initial)
{
	struct tv *l = L(3, I(1), I(2), I(3));
	CHECK_STR(call("first", 1, l), "1");
	CHECK_STR(call("last", 1, l), "3");
	CHECK_STR(call("first", 1, L(0)), "<nil>");
	CHECK_STR(call("rest", 1, l), "[2 3]");
	CHECK_STR(call("initial", 1, l), "[1 2]");
	CHECK_STR(call("rest", 1, L(0)), "[]");
	CHECK_STR(call("initial", 1, L(0)), "[]");
	CHECK_STR(call("rest", 1, L(1, I(1))), "[]");
	CHECK_STR(call("first", 1, S("abc")), "ERR:Cannot find first on type string");
	CHECK_STR(call("first", 1, MISSING),
		  "ERR:runtime error: invalid memory address or nil pointer dereference");
	CHECK_STR(call("mustLast", 1, D(0)), "ERR:Cannot find last on type map");
	CHECK_STR(call("rest", 1, F(1)), "ERR:Cannot find rest on type float64");
	/* []uint8 is a slice: its items are uint8 */
	CHECK_STR(call("first", 1, tv_bytes(A, "AB", 2)), "65");
	CHECK_STR(type_of_last(), "uint8");
}

TEST(reverse_uniq_without_has)
{
	CHECK_STR(call("reverse", 1, L(3, I(1), I(2), I(3))), "[3 2 1]");
	CHECK_STR(call("reverse", 1, L(0)), "[]");
	CHECK_STR(call("uniq", 1, L(7, I(1), I(1), I(2), S("1"), I(2), S("a"), S("a"))), "[1 2 1 a]");
	CHECK_STR(call("uniq", 1, L(2, L(1, I(1)), L(1, I(1)))), "[[1]]");
	CHECK_STR(call("uniq", 1, L(5, F(1), F(1), S("1"), S("b"), S("b"))), "[1 1 b]");
	CHECK_STR(call("without", 2, L(4, I(1), I(2), I(3), I(2)), I(2)), "[1 3]");
	CHECK_STR(call("without", 3, L(3, S("a"), S("b"), S("c")), S("a"), S("c")), "[b]");
	CHECK_STR(call("without", 2, L(2, I(1), I(2)), S("1")), "[1 2]");
	CHECK_STR(call("has", 2, I(2), L(2, I(1), I(2))), "true");
	CHECK_STR(call("has", 2, S("2"), L(2, I(1), I(2))), "false");
	CHECK_STR(call("has", 2, I(1), L(2, F(1), F(2))), "false");
	CHECK_STR(call("has", 2, F(1), L(2, F(1), F(2))), "true");
	CHECK_STR(call("has", 2, I(1), MISSING), "false");
	CHECK_STR(call("has", 2, I(1), S("x")), "ERR:Cannot find has on type string");
	CHECK_STR(call("mustUniq", 1, I(1)), "ERR:Cannot find uniq on type int");
}

TEST(compact_concat)
{
	CHECK_STR(call("compact", 1, L(9, I(1), I(0), S(""), MISSING, S("a"), B(false), L(0), B(true), F(0))),
		  "[1 a true]");
	CHECK_STR(call("mustCompact", 1, L(2, I(0), I(1))), "[1]");
	CHECK_STR(call("compact", 1, S("x")), "ERR:Cannot compact on type string");
	CHECK_STR(call("concat", 4, L(1, I(1)), L(2, I(2), I(3)), L(0), L(2, S("x"), S("z"))),
		  "[1 2 3 x z]");
	CHECK_STR(call("concat", 2, L(1, L(1, I(1))), L(1, I(2))), "[[1] 2]");
	CHECK_STR(call("concat", 0), "[]");
	CHECK_STR(call("concat", 2, L(1, I(1)), S("x")), "ERR:Cannot concat type string as list");
}

TEST(slice)
{
	struct tv *l = L(4, I(1), I(2), I(3), I(4));
	CHECK_STR(call("slice", 3, l, I(1), I(3)), "[2 3]");
	CHECK_STR(call("slice", 2, l, I(2)), "[3 4]");
	CHECK_STR(call("slice", 1, l), "[1 2 3 4]");
	CHECK_STR(call("slice", 2, L(2, I(1), I(2)), I(2)), "[]");
	CHECK_STR(call("slice", 3, L(3, I(1), I(2), I(3)), I(2), I(5)),
		  "ERR:reflect.Value.Slice: slice index out of bounds");
	CHECK_STR(call("slice", 3, l, I(3), I(1)), "ERR:reflect.Value.Slice: slice index out of bounds");
	CHECK_STR(call("slice", 2, L(0), I(5)), "<nil>");
	/* indices through cast.ToInt */
	CHECK_STR(call("mustSlice", 3, l, S("1"), F(2.9)), "[2]");
	CHECK_STR(call("slice", 2, S("abc"), I(1)), "ERR:list should be type of slice or array but string");
	/* the input's type is kept */
	struct tv *ss = L(3, S("a"), S("b"), S("c"));
	ss->type = "[]string";
	CHECK_STR(call("slice", 2, ss, I(1)), "[b c]");
	CHECK_STR(type_of_last(), "[]string");
	CHECK_STR(call("slice", 3, tv_bytes(A, "hello", 5), I(1), I(3)), "[101 108]");
	CHECK_STR(type_of_last(), "[]uint8");
}

TEST(chunk)
{
	CHECK_STR(call("chunk", 2, I(2), L(5, I(1), I(2), I(3), I(4), I(5))), "[[1 2] [3 4] [5]]");
	CHECK_STR(type_of_last(), "[][]interface {}");
	CHECK_STR(call("chunk", 2, I(3), L(2, I(1), I(2))), "[[1 2]]");
	CHECK_STR(call("chunk", 2, I(2), L(0)), "[]");
	CHECK_STR(call("mustChunk", 2, I(1), L(2, I(1), I(2))), "[[1] [2]]");
	CHECK_STR(call("chunk", 2, I(0), L(2, I(1), I(2))), "ERR:runtime error: makeslice: len out of range");
	CHECK_STR(call("chunk", 2, I(0), L(0)), "ERR:runtime error: makeslice: len out of range");
	CHECK_STR(call("chunk", 2, I(-2), L(1, I(1))), "[[1]]");
	CHECK_STR(call("chunk", 2, I(-2), L(2, I(1), I(2))), "[]");
	CHECK_STR(call("chunk", 2, I(-2), L(3, I(1), I(2), I(3))), "[]");
	CHECK_STR(call("chunk", 2, I(2), S("ab")), "ERR:Cannot chunk type string");
}

TEST(join_sort_to_strings)
{
	CHECK_STR(call("join", 2, S(","), L(3, S("a"), S("b"), S("c"))), "a,b,c");
	CHECK_STR(call("join", 2, S("-"), L(3, I(1), F(2.5), B(true))), "1-2.5-true");
	CHECK_STR(call("join", 2, S(","), L(0)), "");
	CHECK_STR(call("join", 2, S(","), S("notalist")), "notalist");
	CHECK_STR(call("join", 2, S("+"), L(3, S("a"), MISSING, S("b"))), "a+b");
	CHECK_STR(call("join", 2, S(","), MISSING), "");
	CHECK_STR(call("join", 2, S(","), L(3, F(1), S("two"), F(3.5))), "1,two,3.5");
	CHECK_STR(call("join", 2, S(","), F(1000000)), "1e+06");
	CHECK_STR(call("sortAlpha", 1, L(6, S("b"), S("A"), S("a"), S("10"), S("2"), S("_"))), "[10 2 A _ a b]");
	CHECK_STR(type_of_last(), "[]string");
	CHECK_STR(call("sortAlpha", 1, L(3, I(10), I(9), I(100))), "[10 100 9]");
	CHECK_STR(call("sortAlpha", 1, S("x")), "[x]");
	CHECK_STR(call("sortAlpha", 1, MISSING), "[<nil>]");
	CHECK_STR(call("toStrings", 1, L(4, I(1), S("a"), F(2.5), B(true))), "[1 a 2.5 true]");
	CHECK_STR(type_of_last(), "[]string");
	CHECK_STR(call("toStrings", 1, L(3, I(1), MISSING, I(2))), "[1 2]");
	CHECK_STR(call("toStrings", 1, MISSING), "[]");
	CHECK_STR(call("toStrings", 1, I(5)), "[5]");
}

/* uniq stays linear: 200,000 items, half of them repeats; equal maps in any key order,
 * -0 and 0, nil and a missing value are one item each. */
TEST(uniq_long_and_deep)
{
	struct tv *l = tv_list(A, 200000);
	for (int i = 0; i < 200000; i++)
		tv_list_push(A, l, I(i % 100000));
	call("uniq", 1, l);
	CHECK_INT(last_out->u.list.len, 100000);
	struct tv *m1 = D(2, "a", I(1), "b", L(1, S("x")));
	struct tv *m2 = D(2, "b", L(1, S("x")), "a", I(1));
	CHECK_STR(call("uniq", 1, L(6, m1, m2, F(0), F(-0.0), NIL, MISSING)), "[map[a:1 b:[x]] 0 <nil>]");
	CHECK_STR(call("uniq", 1, L(3, I(1), tv_int_typed(A, 1, "int64"), F(1))), "[1 1 1]");
	CHECK_INT(last_out->u.list.len, 3);
}

int main(void)
{
	setup();
	RUN(list_and_tuple);
	RUN(append_prepend);
	RUN(first_last_rest_initial);
	RUN(reverse_uniq_without_has);
	RUN(compact_concat);
	RUN(slice);
	RUN(chunk);
	RUN(join_sort_to_strings);
	RUN(uniq_long_and_deep);
	teardown();
	return test_done();
}
