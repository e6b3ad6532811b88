/* sprig's encodings, digests and random strings (src/template/sprig_encoding.c), against
 * what Go's encoding/base64, base32, crypto and sprig print. */
#include "test.h"

#include <ctype.h>
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
	const struct tfunc_table *t = &tfuncs_sprig_encoding;
	for (size_t i = 0; i < t->len; i++)
		if (!strcmp(t->funcs[i].name, name))
			return &t->funcs[i];
	return NULL;
}

/* Calls name with one string argument; the result string, or "ERR:<message>". */
static const char *call_s(const char *name, const char *arg)
{
	const struct tfunc *f = find(name);
	if (!f)
		return "NOFUNC";
	struct tv *args[1] = {arg ? tv_str(A, arg) : NULL};
	struct tv *out = NULL;
	int rc = f->impl(&X, args, arg ? 1 : 0, &out);
	if (rc)
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	return out->u.s.ptr;
}

static const char *call_i(const char *name, long long n, int *rc)
{
	const struct tfunc *f = find(name);
	struct tv *args[1] = {tv_int(A, n)};
	struct tv *out = NULL;
	*rc = f->impl(&X, args, 1, &out);
	return *rc ? texec_message(&X) : out->u.s.ptr;
}

TEST(base64)
{
	CHECK_STR(call_s("b64enc", "hello"), "aGVsbG8=");
	CHECK_STR(call_s("b64enc", ""), "");
	CHECK_STR(call_s("b64enc", "\xc3\xa9?>"), "w6k/Pg==");
	CHECK_STR(call_s("b64dec", "aGVsbG8="), "hello");
	CHECK_STR(call_s("b64dec", "aGk="), "hi");
	CHECK_STR(call_s("b64dec", "aGVs\nbG8="), "hello");
	CHECK_STR(call_s("b64dec", "!!notbase64"), "illegal base64 data at input byte 0");
	CHECK_STR(call_s("b64dec", "aGVsbG8"), "illegal base64 data at input byte 4");
	CHECK_STR(call_s("b64dec", "aGk"), "illegal base64 data at input byte 0");
	CHECK_STR(call_s("b64dec", "aGk=x"), "illegal base64 data at input byte 4");
	CHECK_STR(call_s("b64dec", "aG=="), "h");
	CHECK_STR(call_s("b64dec", "aG="), "illegal base64 data at input byte 3");
	CHECK_STR(call_s("b64dec", "a==="), "illegal base64 data at input byte 1");
	CHECK_STR(call_s("b64dec", "aGVsbG8_"), "illegal base64 data at input byte 7");
	CHECK_STR(call_s("b64dec", ""), "");
}

TEST(base32)
{
	CHECK_STR(call_s("b32enc", "hello"), "NBSWY3DP");
	CHECK_STR(call_s("b32enc", "h"), "NA======");
	CHECK_STR(call_s("b32enc", "hi"), "NBUQ====");
	CHECK_STR(call_s("b32enc", "hey"), "NBSXS===");
	CHECK_STR(call_s("b32enc", "heyo"), "NBSXS3Y=");
	CHECK_STR(call_s("b32dec", "NBSWY3DP"), "hello");
	CHECK_STR(call_s("b32dec", "NA======"), "h");
	CHECK_STR(call_s("b32dec", "NBSXS3Y="), "heyo");
	CHECK_STR(call_s("b32dec", "not base32!"), "illegal base32 data at input byte 0");
	CHECK_STR(call_s("b32dec", "NBSWY3D"), "illegal base32 data at input byte 0");
	CHECK_STR(call_s("b32dec", "NA====="), "illegal base32 data at input byte 7");
}

TEST(digests)
{
	CHECK_STR(call_s("sha1sum", "hello"), "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
	CHECK_STR(call_s("sha256sum", "hello"),
		  "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
	CHECK_STR(call_s("sha512sum", ""),
		  "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
		  "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
	CHECK_STR(call_s("adler32sum", "hello"), "103547413");
	CHECK_STR(call_s("adler32sum", ""), "1");
}

static int all_in(const char *s, const char *set)
{
	return strspn(s, set) == strlen(s);
}

TEST(random_strings)
{
	int rc;
	const char *s = call_i("randAlphaNum", 12, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(strlen(s), 12);
	CHECK(all_in(s, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
	s = call_i("randAlpha", 8, &rc);
	CHECK(strlen(s) == 8 && all_in(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
	s = call_i("randNumeric", 6, &rc);
	CHECK(strlen(s) == 6 && all_in(s, "0123456789"));
	s = call_i("randAscii", 200, &rc);
	CHECK_INT(strlen(s), 200);
	for (const char *p = s; *p; p++)
		CHECK(*p >= 32 && *p <= 126);
	CHECK_STR(call_i("randAlphaNum", 0, &rc), "");
	CHECK_STR(call_i("randAlphaNum", -3, &rc), "");
	call_i("randAlpha", 1LL << 40, &rc);
	CHECK_INT(rc, ERR_TOOBIG);
	s = call_i("randBytes", 12, &rc);
	CHECK_INT(rc, 0);
	CHECK_INT(strlen(s), 16);
	CHECK_STR(call_i("randBytes", 0, &rc), "");
	call_i("randBytes", -1, &rc);
	CHECK_INT(rc, ERR_INVALID);
	CHECK_STR(texec_message(&X), "runtime error: makeslice: len out of range");
	call_i("randBytes", 1LL << 40, &rc);
	CHECK_INT(rc, ERR_TOOBIG);
}

TEST(uuid)
{
	const char *a = call_s("uuidv4", NULL), *b = call_s("uuidv4", NULL);
	REQUIRE(strlen(a) == 36);
	CHECK(strcmp(a, b) != 0);
	CHECK(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
	CHECK(a[14] == '4');
	CHECK(strchr("89ab", a[19]) != NULL);
	for (int i = 0; i < 36; i++)
		CHECK(a[i] == '-' || isdigit((unsigned char)a[i]) || (a[i] >= 'a' && a[i] <= 'f'));
}

TEST(no_network)
{
	CHECK_STR(call_s("getHostByName", "localhost"), "");
}

/* Go's %v of what fromJson gives (maps sorted by key; floats as %g is enough here). */
static void show(struct buf *b, const struct tv *v)
{
	switch (v->kind) {
	case TV_NIL: buf_adds(b, "<nil>"); break;
	case TV_BOOL: buf_adds(b, v->u.b ? "true" : "false"); break;
	case TV_FLOAT: buf_addf(b, "%g", v->u.f); break;
	case TV_STRING: buf_add(b, v->u.s.ptr, v->u.s.len); break;
	case TV_LIST:
		buf_addch(b, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				buf_addch(b, ' ');
			show(b, v->u.list.items[i]);
		}
		buf_addch(b, ']');
		break;
	case TV_MAP: {
		struct tv_pair **ps = tv_map_sorted(A, v);
		buf_adds(b, "map[");
		for (size_t i = 0; i < v->u.map.len; i++) {
			if (i)
				buf_addch(b, ' ');
			buf_addf(b, "%s:", ps[i]->key);
			show(b, ps[i]->value);
		}
		buf_addch(b, ']');
		break;
	}
	default: buf_adds(b, "?");
	}
}

static const char *from_json(const char *s)
{
	const struct tfunc *f = find("mustFromJson");
	struct tv *args[1] = {tv_str(A, s)}, *out = NULL;
	if (f->impl(&X, args, 1, &out))
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	struct buf b = BUF_INIT;
	show(&b, out);
	char *r = arena_strndup(A, b.ptr, b.len);
	buf_release(&b);
	return r;
}

#define J(in, want) CHECK_STR(from_json(in), want)

TEST(json_decode)
{
	J("{bad", "ERR:invalid character 'b' looking for beginning of object key string");
	J("1.", "ERR:invalid character ' ' after decimal point in numeric literal");
	J("tru", "ERR:invalid character ' ' in literal true (expecting 'e')");
	J("\"abc", "ERR:unexpected end of JSON input");
	J("{", "ERR:unexpected end of JSON input");
	J("", "ERR:unexpected end of JSON input");
	J("  ", "ERR:unexpected end of JSON input");
	J("[1,]", "ERR:invalid character ']' looking for beginning of value");
	J("{\"a\" 1}", "ERR:invalid character '1' after object key");
	J("{\"a\":1 \"b\"}", "ERR:invalid character '\"' after object key:value pair");
	J("[1 2]", "ERR:invalid character '2' after array element");
	J("1 2", "ERR:invalid character '2' after top-level value");
	J("-", "ERR:invalid character ' ' in numeric literal");
	J("01", "ERR:invalid character '1' after top-level value");
	J("1e", "ERR:invalid character ' ' in exponent of numeric literal");
	J("1e+", "ERR:invalid character ' ' in exponent of numeric literal");
	J("\"\\x\"", "ERR:invalid character 'x' in string escape code");
	J("\"\\u12g4\"", "ERR:invalid character 'g' in \\u hexadecimal character escape");
	J("\"a\tb\"", "ERR:invalid character '\\t' in string literal");
	J("nul", "ERR:invalid character ' ' in literal null (expecting 'l')");
	J("falsy", "ERR:invalid character 'y' in literal false (expecting 'e')");
	J("[\x01]", "ERR:invalid character '\\x01' looking for beginning of value");
	J("\xff", "ERR:invalid character 'ÿ' looking for beginning of value");
	J("'a'", "ERR:invalid character '\\'' looking for beginning of value");
	J("\\", "ERR:invalid character '\\\\' looking for beginning of value");
	J("{\"a\":1}", "map[a:1]");
	J("[1,2]", "[1 2]");
	J("\"str\"", "str");
	J("1", "1");
	J("null", "<nil>");
	J("[]", "[]");
	J("{}", "map[]");
	J(" [ ] ", "[]");
	J("1.5e3", "1500");
	J("{\"a\":}", "ERR:invalid character '}' looking for beginning of value");
	/* what Go reads and the doc parser alone would not */
	J("{\"a\":1,\"a\":2}", "map[a:2]");
	J("\"\\ude15x\\ud83d\\ude00\"", "\xef\xbf\xbdx\xf0\x9f\x98\x80");
	J("\"\xff\"", "\xef\xbf\xbd");
	J("5E322", "ERR:json: cannot unmarshal number 5E322 into Go value of type float64");
	/* fromJson drops the error and gives nil */
	const struct tfunc *f = find("fromJson");
	struct tv *args[1] = {tv_str(A, "{bad")}, *out = NULL;
	CHECK_INT(f->impl(&X, args, 1, &out), 0);
	CHECK_INT(out->kind, TV_NIL);
}

static const char *to_json(const char *name, struct tv *v)
{
	const struct tfunc *f = find(name);
	struct tv *args[1] = {v}, *out = NULL;
	if (f->impl(&X, args, 1, &out))
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	return out->u.s.ptr;
}

TEST(json_encode)
{
	struct tv *html = tv_str(A, "<a href=\"x\">&</a>");
	CHECK_STR(to_json("toJson", html), "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\"");
	CHECK_STR(to_json("toPrettyJson", html), to_json("toJson", html));
	CHECK_STR(to_json("toRawJson", html), "\"<a href=\\\"x\\\">&</a>\"");
	struct tv *m = tv_map_new(A), *l = tv_list(A, 3);
	tv_list_push(A, l, tv_float(A, 1));
	tv_list_push(A, l, tv_float(A, 2.5));
	tv_list_push(A, l, tv_str(A, "\xe2\x80\xa8"));
	tv_map_set(A, m, "k", tv_str(A, "<>"));
	tv_map_set(A, m, "b", l);
	CHECK_STR(to_json("toJson", m), "{\"b\":[1,2.5,\"\\u2028\"],\"k\":\"\\u003c\\u003e\"}");
	CHECK_STR(to_json("mustToPrettyJson", m),
		  "{\n  \"b\": [\n    1,\n    2.5,\n    \"\\u2028\"\n  ],\n  \"k\": \"\\u003c\\u003e\"\n}");
	CHECK_STR(to_json("mustToRawJson", m), "{\"b\":[1,2.5,\"\\u2028\"],\"k\":\"<>\"}");
	CHECK_STR(to_json("toPrettyJson", tv_list(A, 0)), "[]");
	CHECK_STR(to_json("toPrettyJson", tv_map_new(A)), "{}");
	CHECK_STR(to_json("toJson", &tv_nil_value), "null");
	CHECK_STR(to_json("toJson", tv_float(A, 1e21)), "1e+21");
	CHECK_STR(to_json("toJson", tv_float(A, 1e6)), "1000000");
}

int main(void)
{
	A = arena_new();
	texec_init_standalone(&X, A, NULL);
	RUN(base64);
	RUN(base32);
	RUN(digests);
	RUN(random_strings);
	RUN(uuid);
	RUN(no_network);
	RUN(json_decode);
	RUN(json_encode);
	texec_release(&X);
	arena_free(A);
	return test_done();
}
