/* sprig's string, regex, path and URL functions (src/template/sprig_strings.c), against
 * the conformance cases (sprig-trim, sprig-regexreplaceall, sprig-url ...) and what Go 1.19's
 * strings, path, regexp and net/url print for the same inputs. */
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

static const char *s1(const char *name, const char *a) { return call(name, 1, S(a)); }
static const char *s2(const char *name, const char *a, const char *b)
{
	return call(name, 2, S(a), S(b));
}
static const char *is(const char *name, long long i, const char *a)
{
	return call(name, 2, I(i), S(a));
}

TEST(case_changes)
{
	CHECK_STR(s1("upper", "abc \xc3\xa9 \xc3\x9f"), "ABC \xc3\x89 \xc3\x9f");
	CHECK_STR(s1("lower", "ABC \xc3\x89"), "abc \xc3\xa9");
	CHECK_STR(s1("upper", "abc \xc3\xa9 \xc3\x9f \xc7\x86 \xef\xac\x80 \xff"),
		  "ABC \xc3\x89 \xc3\x9f \xc7\x84 \xef\xac\x80 \xef\xbf\xbd");
	CHECK_STR(s1("lower", "ABC \xc3\x89 \xc7\x84 \xc4\xb0"), "abc \xc3\xa9 \xc7\x86 i");
	CHECK_STR(s1("swapcase", "Hello World"), "hELLO wORLD");
	CHECK_STR(s1("swapcase", "ABCdef 123"), "abcDEF 123");
	CHECK_STR(s1("title", "hello world-foo bar_baz o'neil"), "Hello World-Foo Bar_baz O'Neil");
	CHECK_STR(s1("title", "ALREADY UPPER"), "ALREADY UPPER");
	CHECK_STR(s1("title", "\xc7\x86" "emal \xc3\x9f" "a \xc3\xa9" "a \xff" "ab 1st"),
		  "\xc7\x85" "emal \xc3\x9f" "a \xc3\x89" "a \xef\xbf\xbd" "ab 1st");
	CHECK_STR(s1("untitle", "Hello World ABC"), "hello world aBC");
}

TEST(case_styles)
{
	CHECK_STR(s1("snakecase", "FirstName"), "first_name");
	CHECK_STR(s1("snakecase", "HTTPServer"), "http_server");
	CHECK_STR(s1("snakecase", "already_snake"), "already_snake");
	CHECK_STR(s1("snakecase", "with space"), "with_space");
	CHECK_STR(s1("snakecase", "ABC123def"), "abc_123def");
	CHECK_STR(s1("snakecase", "kebab-case"), "kebab_case");
	CHECK_STR(s1("snakecase", "NoHTTPS"), "no_https");
	CHECK_STR(s1("snakecase", "HTTP20xOK"), "http_20x_ok");
	CHECK_STR(s1("snakecase", "Duration2m3s"), "duration_2m3s");
	CHECK_STR(s1("snakecase", "Bld4Floor3rd"), "bld4_floor_3rd");
	CHECK_STR(s1("snakecase", "http2xx"), "http_2xx");
	CHECK_STR(s1("snakecase", ""), "");
	CHECK_STR(s1("camelcase", "http_server"), "HttpServer");
	CHECK_STR(s1("camelcase", "first_name_x"), "FirstNameX");
	CHECK_STR(s1("camelcase", "already"), "Already");
	CHECK_STR(s1("camelcase", "with space"), "WithSpace");
	CHECK_STR(s1("camelcase", "kebab-case"), "KebabCase");
	CHECK_STR(s1("camelcase", "_lead"), "_Lead");
	CHECK_STR(s1("camelcase", "_complex__case_"), "_Complex_Case_");
	CHECK_STR(s1("kebabcase", "FirstName"), "first-name");
	CHECK_STR(s1("kebabcase", "HTTPServer"), "http-server");
	CHECK_STR(s1("kebabcase", "snake_case"), "snake-case");
	CHECK_STR(s1("kebabcase", "With Space"), "with-space");
}

TEST(trims)
{
	CHECK_STR(s1("trim", "  \t a b \n "), "a b");
	CHECK_STR(s1("trim", "\xc2\xa0\xe2\x80\x83 a b \xc2\x85\n"), "a b");
	CHECK_STR(s2("trimAll", "$", "$$a$b$"), "a$b");
	CHECK_STR(s2("trimAll", "xy", "xyaxyx"), "a");
	CHECK_STR(s2("trimAll", "\xc3\xa9", "\xc3\xa9\xc3\xa9" "a\xc3\xa9"), "a");
	CHECK_STR(s2("trimAll", "\xff", "\xff" "a\xff"), "a");
	CHECK_STR(s2("trimAll", "", " a "), " a ");
	CHECK_STR(s2("trimall", "-", "-x-"), "x");
	CHECK_STR(s2("trimPrefix", "-", "--a-"), "-a-");
	CHECK_STR(s2("trimSuffix", "-", "-a--"), "-a-");
	CHECK_STR(s2("trimPrefix", "$", "$5.00"), "5.00");
	CHECK_STR(s1("nospace", " a b\tc\nd  e "), "abcde");
	CHECK_STR(s1("nospace", "abc"), "abc");
}

TEST(abbrev_initials_trunc_substr)
{
	CHECK_STR(is("abbrev", 5, "hello world"), "he...");
	CHECK_STR(is("abbrev", 20, "hello world"), "hello world");
	CHECK_STR(is("abbrev", 3, "hello"), "hello");
	CHECK_STR(is("abbrev", 4, "hello"), "h...");
	CHECK_STR(call("abbrevboth", 3, I(5), I(10), S("1234 5678 9123")), "...5678...");
	CHECK_STR(call("abbrevboth", 3, I(1), I(5), S("1234 5678 9123")), "1234 5678 9123");
	CHECK_STR(call("abbrevboth", 3, I(10), I(7), S("abcdefghijklmno")), "...k...");
	CHECK_STR(call("abbrevboth", 3, I(12), I(7), S("abcdefghijklmno")), "...lmno");
	CHECK_STR(s1("initials", "First Try"), "FT");
	CHECK_STR(s1("initials", "hello big  world"), "hbw");
	CHECK_STR(s1("initials", ""), "");
	CHECK_STR(s1("initials", "\xc3\xa9t\xc3\xa9"), "\xc3\x83"); /* goutils reads bytes */
	CHECK_STR(is("trunc", 3, "abcdef"), "abc");
	CHECK_STR(is("trunc", -3, "abcdef"), "def");
	CHECK_STR(is("trunc", 10, "abc"), "abc");
	CHECK_STR(is("trunc", 0, "abc"), "");
	CHECK_STR(is("trunc", -10, "abc"), "abc");
	CHECK_STR(call("substr", 3, I(1), I(3), S("abcdef")), "bc");
	CHECK_STR(call("substr", 3, I(0), I(100), S("abc")), "abc");
	CHECK_STR(call("substr", 3, I(2), I(-1), S("abcdef")), "cdef");
	CHECK_STR(call("substr", 3, I(-1), I(2), S("abcdef")), "ab");
	CHECK_STR(call("substr", 3, I(3), I(3), S("abcdef")), "");
	CHECK_STR(call("substr", 3, I(-1), I(100), S("abc")),
		  "ERR:runtime error: slice bounds out of range [:100] with length 3");
	CHECK_STR(call("substr", 3, I(-1), I(-5), S("abc")),
		  "ERR:runtime error: slice bounds out of range [:-5]");
	CHECK_STR(call("substr", 3, I(5), I(2), S("abcdef")),
		  "ERR:runtime error: slice bounds out of range [5:2]");
	CHECK_STR(call("substr", 3, I(5), I(-1), S("abc")),
		  "ERR:runtime error: slice bounds out of range [5:3]");
}

TEST(repeat_replace_contains_plural)
{
	CHECK_STR(is("repeat", 3, "ab"), "ababab");
	CHECK_STR(is("repeat", 0, "z"), "");
	CHECK_STR(is("repeat", -1, "z"), "ERR:strings: negative Repeat count");
	CHECK(strncmp(is("repeat", 1LL << 40, "ab"), "ERR:repeat: result of more than", 31) == 0);
	CHECK_INT(X.code, ERR_TOOBIG);
	CHECK_STR(call("replace", 3, S("a"), S("b"), S("banana")), "bbnbnb");
	CHECK_STR(call("replace", 3, S("."), S("-"), S("x.y.z")), "x-y-z");
	CHECK_STR(call("replace", 3, S(""), S("-"), S("abc")), "-a-b-c-");
	CHECK_STR(call("replace", 3, S(""), S("-"), S("\xc3\xa9")), "-\xc3\xa9-");
	CHECK_STR(call("replace", 3, S("na"), S(""), S("banana")), "ba");
	CHECK_STR(s2("contains", "ell", "hello"), "true");
	CHECK_STR(s2("contains", "xyz", "hello"), "false");
	CHECK_STR(s2("contains", "", ""), "true");
	CHECK_STR(s2("hasPrefix", "he", "hello"), "true");
	CHECK_STR(s2("hasSuffix", "lo", "hello"), "true");
	CHECK_STR(s2("hasPrefix", "", "x"), "true");
	CHECK_STR(s2("hasSuffix", "H", "hello"), "false");
	CHECK_STR(call("plural", 3, S("one"), S("many"), I(1)), "one");
	CHECK_STR(call("plural", 3, S("one"), S("many"), I(0)), "many");
}

TEST(quote_cat_indent)
{
	CHECK_STR(call("quote", 1, S("with \"quotes\" and \\")), "\"with \\\"quotes\\\" and \\\\\"");
	CHECK_STR(call("quote", 1, S("tab\there")), "\"tab\\there\"");
	CHECK_STR(call("quote", 3, I(1), F(2.5), B(true)), "\"1\" \"2.5\" \"true\"");
	CHECK_STR(call("quote", 1, MISSING), "");
	CHECK_STR(call("quote", 3, S("a"), MISSING, S("b")), "\"a\" \"b\"");
	CHECK_STR(call("quote", 1, F(1000000)), "\"1e+06\"");
	CHECK_STR(call("squote", 1, S("it's")), "'it's'");
	CHECK_STR(call("squote", 2, I(1), S("b")), "'1' 'b'");
	CHECK_STR(call("squote", 1, NIL), "");
	CHECK_STR(call("cat", 3, S("a"), I(1), S("b")), "a 1 b");
	CHECK_STR(call("cat", 3, S("x"), MISSING, S("y")), "x y");
	CHECK_STR(call("cat", 0), "");
	CHECK_STR(call("cat", 2, L(2, I(1), I(2)), S("z")), "[1 2] z");
	CHECK_STR(is("indent", 4, "x\ny\n\nz"), "    x\n    y\n    \n    z");
	CHECK_STR(is("indent", 2, "a\n"), "  a\n  ");
	CHECK_STR(is("nindent", 4, "x\ny"), "\n    x\n    y");
	CHECK_STR(is("indent", -1, "x"), "ERR:strings: negative Repeat count");
	CHECK(strncmp(is("indent", 1LL << 40, "x"), "ERR:indent: result", 18) == 0);
}

TEST(splits)
{
	CHECK_STR(s2("split", "/", "a/b/c"), "map[_0:a _1:b _2:c]");
	CHECK_STR(type_of_last(), "map[string]string");
	CHECK_STR(s2("splitList", ",", "a,b,,c"), "[a b  c]");
	CHECK_STR(type_of_last(), "[]string");
	CHECK_STR(s2("splitList", ",", ""), "[]");
	CHECK_INT(last_out->u.list.len, 1);
	CHECK_STR(s2("splitList", "", "abc"), "[a b c]");
	CHECK_STR(s2("splitList", "", ""), "[]");
	CHECK_INT(last_out->u.list.len, 0);
	CHECK_STR(call("splitn", 3, S("/"), I(2), S("a/b/c")), "map[_0:a _1:b/c]");
	CHECK_STR(call("splitn", 3, S("/"), I(0), S("a/b/c")), "map[]");
	CHECK_STR(call("splitn", 3, S(""), I(2), S("abc")), "map[_0:a _1:bc]");
}

TEST(wrap_shuffle)
{
	CHECK_STR(is("wrap", 5, "aaa bbb ccc ddddddddd e"), "aaa\nbbb\nccc\nddddddddd\ne");
	CHECK_STR(call("wrapWith", 3, I(5), S("|"), S("aaa bbb ccc")), "aaa|bbb|ccc");
	CHECK_STR(call("wrapWith", 3, I(3), S("|"), S("abcdefgh")), "abc|def|gh");
	CHECK_STR(is("wrap", 0, "a b"), "a\nb");
	CHECK_STR(is("wrap", 10, ""), "");
	CHECK_STR(s1("shuffle", "aaaa"), "aaaa");
	CHECK_INT(strlen(s1("shuffle", "abc\xc3\xa9")), 5);
	const char *sh = s1("shuffle", "abc");
	CHECK(strchr(sh, 'a') && strchr(sh, 'b') && strchr(sh, 'c') && strlen(sh) == 3);
}

TEST(regex_match_find)
{
	CHECK_STR(s2("regexMatch", "^[a-z]+$", "abc"), "true");
	CHECK_STR(s2("regexMatch", "^[a-z]+$", "abc1"), "false");
	CHECK_STR(s2("regexMatch", "(?i)^ABC$", "abc"), "true");
	CHECK_STR(s2("regexMatch", "^\\d{3}$", "123"), "true");
	CHECK_STR(s2("regexMatch", "(?s)a.b", "a\nb"), "true");
	CHECK_STR(s2("regexMatch", "a.b", "a\nb"), "false");
	CHECK_STR(s2("regexMatch", "[", "a"), "false");
	CHECK_STR(s2("mustRegexMatch", "[", "a"), "ERR:error parsing regexp: missing closing ]: `[`");
	CHECK_STR(s2("mustRegexMatch", "a(?=b)", "ab"),
		  "ERR:error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
	CHECK_STR(s2("regexFind", "[0-9]+", "ab123cd456"), "123");
	CHECK_STR(s2("regexFind", "x", "abc"), "");
	CHECK_STR(s2("regexFind", "a|ab", "ab"), "a");
	CHECK_STR(s2("regexFind", "(?U)a+", "aaa"), "a");
	CHECK_STR(s2("mustRegexFind", "b+", "abbbc"), "bbb");
	CHECK_STR(call("regexFindAll", 3, S("[0-9]+"), S("a1b22c333"), I(-1)), "[1 22 333]");
	CHECK_STR(type_of_last(), "[]string");
	CHECK_STR(call("regexFindAll", 3, S("[0-9]+"), S("a1b22c333"), I(2)), "[1 22]");
	CHECK_STR(call("regexFindAll", 3, S("[0-9]+"), S("a1b22c333"), I(0)), "[]");
	CHECK_STR(call("regexFindAll", 3, S("x"), S("abc"), I(-1)), "[]");
	CHECK_STR(call("regexFindAll", 3, S(""), S("abc"), I(-1)), "[   ]");
	CHECK_INT(last_out->u.list.len, 4);
	CHECK_STR(call("regexFindAll", 3, S("a*"), S("baaacada"), I(-1)), "[ aaa a a]");
	CHECK_STR(call("regexFindAll", 3, S("\xc3\xa9|"), S("\xc3\xa9" "a\xc3\xa9"), I(-1)),
		  "[\xc3\xa9 \xc3\xa9]");
	CHECK_STR(call("regexFindAll", 3, S("(?m)^[a-z]+$"), S("one\ntwo\nthree"), I(-1)),
		  "[one two three]");
	CHECK_STR(call("regexFindAll", 3, S("("), S("x"), I(-1)),
		  "ERR:regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
	CHECK_STR(call("regexFindAll", 3, S("(\n"), S("x"), I(-1)),
		  "ERR:regexp: Compile(\"(\\n\"): error parsing regexp: missing closing ): `(\n`");
	CHECK_STR(call("mustRegexFindAll", 3, S("b"), S("abcb"), I(-1)), "[b b]");
}

TEST(regex_replace_split_quote)
{
	CHECK_STR(call("regexReplaceAll", 3, S("a(x*)b"), S("-ab-axxb-"), S("${1}W")), "-W-xxW-");
	CHECK_STR(call("regexReplaceAll", 3, S("a(x*)b"), S("-ab-axxb-"), S("$1W")), "---");
	CHECK_STR(call("regexReplaceAll", 3, S("a(x*)b"), S("-ab-axxb-"), S("$$1$")), "-$1$-$1$-");
	CHECK_STR(call("regexReplaceAll", 3, S("a(x*)b"), S("-ab-axxb-"), S("${1")), "-${1-${1-");
	CHECK_STR(call("regexReplaceAll", 3, S("(?P<first>\\w+) (?P<last>\\w+)"), S("John Smith"),
		       S("$last, $first")), "Smith, John");
	CHECK_STR(call("regexReplaceAll", 3, S("[aeiou]"), S("education"), S("")), "dctn");
	CHECK_STR(call("regexReplaceAll", 3, S("^"), S("x"), S(">")), ">x");
	CHECK_STR(call("regexReplaceAll", 3, S("x*"), S("abc"), S("-")), "-a-b-c-");
	CHECK_STR(call("regexReplaceAll", 3, S("a|"), S("baaac"), S("-")), "-b---c-");
	CHECK_STR(call("regexReplaceAll", 3, S("("), S("x"), S("y")),
		  "ERR:regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
	CHECK_STR(call("mustRegexReplaceAll", 3, S("b"), S("abc"), S("X")), "aXc");
	CHECK_STR(call("regexReplaceAllLiteral", 3, S("a(x*)b"), S("-ab-axxb-"), S("${1}")), "-${1}-${1}-");
	CHECK_STR(call("regexReplaceAllLiteral", 3, S("\\."), S("a.b.c"), S("$")), "a$b$c");
	CHECK_STR(call("mustRegexReplaceAllLiteral", 3, S("b"), S("abc"), S("$0")), "a$0c");
	CHECK_STR(call("regexSplit", 3, S("[,;] *"), S("a, b;c,  d"), I(-1)), "[a b c d]");
	CHECK_STR(call("regexSplit", 3, S(","), S("a,b,c"), I(2)), "[a b,c]");
	CHECK_STR(call("regexSplit", 3, S(","), S("a,b,c,d"), I(3)), "[a b c,d]");
	CHECK_STR(call("regexSplit", 3, S("z"), S("abc"), I(-1)), "[abc]");
	CHECK_STR(call("regexSplit", 3, S(""), S("abc"), I(-1)), "[a b c]");
	CHECK_STR(call("regexSplit", 3, S("x*"), S("axbxxc"), I(-1)), "[a b c]");
	CHECK_STR(call("regexSplit", 3, S("a"), S(""), I(-1)), "[]");
	CHECK_INT(last_out->u.list.len, 1);
	CHECK_STR(call("regexSplit", 3, S(""), S(""), I(-1)), "[]");
	CHECK_INT(last_out->u.list.len, 0);
	CHECK_STR(call("mustRegexSplit", 3, S("b"), S("abc"), I(-1)), "[a c]");
	CHECK_STR(s1("regexQuoteMeta", "1.2.3+[x]{}^$|\\?*()"),
		  "1\\.2\\.3\\+\\[x\\]\\{\\}\\^\\$\\|\\\\\\?\\*\\(\\)");
}

TEST(paths)
{
	CHECK_STR(s1("base", "/a/b/c.txt"), "c.txt");
	CHECK_STR(s1("dir", "/a/b/c.txt"), "/a/b");
	CHECK_STR(s1("ext", "c.tar.gz"), ".gz");
	CHECK_STR(s1("clean", "/a/../b//c/"), "/b/c");
	CHECK_STR(s1("isAbs", "/x"), "true");
	CHECK_STR(s1("isAbs", "x"), "false");
	const char *clean[][2] = { { "", "." }, { "/", "/" }, { "a/b/../../..", ".." },
				   { "/../a", "/a" }, { "a//b/./c/", "a/b/c" }, { "../../x", "../../x" },
				   { "./", "." }, { "abc/..", "." }, { "/a/b/c/../../../..", "/" } };
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		CHECK_STR(s1("osClean", clean[i][0]), clean[i][1]);
	const char *bde[][4] = { { "", ".", ".", "" }, { "/", "/", "/", "" }, { "a", "a", ".", "" },
				 { "/a/b/", "b", "/a/b", "" }, { "a/b", "b", "a", "" },
				 { "//", "/", "/", "" }, { "x/a.b/c", "c", "x/a.b", "" } };
	for (size_t i = 0; i < sizeof(bde) / sizeof(bde[0]); i++) {
		CHECK_STR(s1("base", bde[i][0]), bde[i][1]);
		CHECK_STR(s1("osDir", bde[i][0]), bde[i][2]);
		CHECK_STR(s1("ext", bde[i][0]), bde[i][3]);
	}
}

static const char *url_fields(const char *u)
{
	const char *r = s1("urlParse", u);
	if (!strncmp(r, "ERR:", 4))
		return r;
	const char *keys[] = { "scheme", "host", "hostname", "path", "query", "fragment",
			       "userinfo", "opaque" };
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < 8; i++)
		buf_addf(&b, "%s%s", i ? "|" : "", tv_map_get(last_out, keys[i])->u.s.ptr);
	const char *s = arena_strdup(A, b.ptr);
	buf_release(&b);
	return s;
}

TEST(url_parse)
{
	CHECK_STR(url_fields("https://user:pw@example.com:8443/p/a?x=1&y=2#frag"),
		  "https|example.com:8443|example.com|/p/a|x=1&y=2|frag|user:pw|");
	CHECK_STR(s1("urlParse", "http://h"),
		  "map[fragment: host:h hostname:h opaque: path: query: scheme:http userinfo:]");
	CHECK_STR(url_fields("mailto:me@x.org"), "mailto|||||||me@x.org");
	CHECK_STR(url_fields("/a b?c#d%20e"), "|||/a b|c|d e||");
	CHECK_STR(url_fields("http://[::1]:80/x"), "http|[::1]:80|::1|/x||||");
	CHECK_STR(url_fields("a:b/c"), "a|||||||b/c");
	CHECK_STR(url_fields("//host/p"), "|host|host|/p||||");
	CHECK_STR(url_fields("http://us%20er:p@ss@h/"), "http|h|h|/|||us%20er:p%40ss|");
	CHECK_STR(url_fields("HTTP://X/\xc3\xa9?"), "http|X|X|/\xc3\xa9||||");
	CHECK_STR(url_fields("*"), "|||*||||");
	CHECK_STR(url_fields("http://h/p%2Fq"), "http|h|h|/p/q||||");
	CHECK_STR(url_fields("http://a b.com/"),
		  "ERR:unable to parse url: parse \"http://a b.com/\": invalid character \" \" in host name");
	CHECK_STR(url_fields("http://x/%zz"),
		  "ERR:unable to parse url: parse \"http://x/%zz\": invalid URL escape \"%zz\"");
	CHECK_STR(url_fields("1http://x"),
		  "ERR:unable to parse url: parse \"1http://x\": first path segment in URL cannot contain colon");
	CHECK_STR(url_fields(":foo"), "ERR:unable to parse url: parse \":foo\": missing protocol scheme");
	CHECK_STR(url_fields("http://u@h:port/"),
		  "ERR:unable to parse url: parse \"http://u@h:port/\": invalid port \":port\" after host");
}

TEST(url_join)
{
	CHECK_STR(call("urlJoin", 1, D(4, "scheme", S("http"), "host", S("h:1"), "path", S("/x"),
				    "query", S("a=b"))), "http://h:1/x?a=b");
	CHECK_STR(call("urlJoin", 1, D(1, "path", S("a:b"))), "./a:b");
	CHECK_STR(call("urlJoin", 1, D(2, "host", S("h"), "path", S("p q"))), "//h/p%20q");
	CHECK_STR(call("urlJoin", 1, D(3, "scheme", S("s"), "opaque", S("o"), "fragment", S("f g#"))),
		  "s:o#f%20g%23");
	CHECK_STR(call("urlJoin", 1, D(2, "scheme", S("http"), "path", S("/x"))), "http:///x");
	CHECK_STR(call("urlJoin", 1, D(1, "host", S("h \xc3\xa9"))), "//h%20%C3%A9");
	CHECK_STR(call("urlJoin", 1, D(3, "scheme", S("http"), "userinfo", S("a%40b:c%3Ad"), "host", S("h"))),
		  "http://a%40b:c%3Ad@h");
	CHECK_STR(call("urlJoin", 1, D(1, "host", I(1))),
		  "ERR:unable to parse host key, must be of type string, but int found");
	CHECK_STR(call("urlJoin", 1, D(0)), "");
}

int main(void)
{
	setup();
	RUN(case_changes);
	RUN(case_styles);
	RUN(trims);
	RUN(abbrev_initials_trunc_substr);
	RUN(repeat_replace_contains_plural);
	RUN(quote_cat_indent);
	RUN(splits);
	RUN(wrap_shuffle);
	RUN(regex_match_find);
	RUN(regex_replace_split_quote);
	RUN(paths);
	RUN(url_parse);
	RUN(url_join);
	teardown();
	return test_done();
}
