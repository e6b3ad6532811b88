/* Helm's YAML output (src/helm/toyaml.c): toYaml as sigs.k8s.io/yaml prints it and
 * toYamlPretty as yaml.v3 does. The table's expected texts are what go-yaml v2 (through
 * encoding/json, as sigs.k8s.io/yaml marshals) and v3 (indent 2) print for the same values
 * read from JSON (numbers float64, as Helm's values are); the rest checks Go types the
 * JSON form cannot carry, objects, and the caps. */
#include "test.h"

#include <math.h>

#include "doc/doc.h"
#include "helm/render_int.h"
#include "template/template_int.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int helm_to_yaml_pretty(struct texec *x, struct buf *out, const struct tv *v);

struct ycase {
	const char *name, *json, *v2, *v3;
};

static const struct ycase cases[] = {
	{ "string_quoting", "{\"t\": \"true\", \"yesval\": \"yes\", \"on_\": \"on\", \"one\": \"1\", \"f\": \"1.5\", \"e\": \"\", \"nul\": \"null\", \"tilde\": \"~\", \"colon\": \"a: b\", \"dash\": \"- x\", \"star\": \"*x\", \"at\": \"@x\", \"lead\": \" lead\", \"hex\": \"0x10\", \"oct\": \"0755\", \"exp\": \"1e3\", \"plain\": \"hello world\", \"hash\": \"a #b\"}",
	  "at: '@x'\ncolon: 'a: b'\ndash: '- x'\ne: \"\"\nexp: \"1e3\"\nf: \"1.5\"\nhash: 'a #b'\nhex: \"0x10\"\nlead: ' lead'\nnul: \"null\"\noct: \"0755\"\non_: \"on\"\none: \"1\"\nplain: hello world\nstar: '*x'\nt: \"true\"\ntilde: \"~\"\nyesval: \"yes\"\n",
	  "at: '@x'\ncolon: 'a: b'\ndash: '- x'\ne: \"\"\nexp: \"1e3\"\nf: \"1.5\"\nhash: 'a #b'\nhex: \"0x10\"\nlead: ' lead'\nnul: \"null\"\noct: \"0755\"\non_: \"on\"\none: \"1\"\nplain: hello world\nstar: '*x'\nt: \"true\"\ntilde: \"~\"\nyesval: \"yes\"\n" },
	{ "yaml11_words", "{\"y\": \"y\", \"N\": \"N\", \"Off\": \"Off\", \"TRUE\": \"TRUE\", \"n\": null, \"merge\": \"<<\", \"big\": \"1e400\", \"us\": \"1_000\", \"b60\": \"1:20\", \"date\": \"2001-12-14\", \"ts\": \"2001-12-14T21:59:43.10-05:00\", \"notdate\": \"2001-13-14\", \"inf\": \".inf\", \"neg\": \"-.Inf\", \"dot\": \".5\", \"plus\": \"+1\", \"o8\": \"08\", \"x\": \"0x\", \"bin\": \"0b101\"}",
	  "\"N\": \"N\"\n\"Off\": \"Off\"\n\"TRUE\": \"TRUE\"\nb60: \"1:20\"\nbig: 1e400\nbin: \"0b101\"\ndate: \"2001-12-14\"\ndot: \".5\"\ninf: \".inf\"\nmerge: <<\n\"n\": null\nneg: \"-.Inf\"\nnotdate: 2001-13-14\no8: \"08\"\nplus: \"+1\"\nts: \"2001-12-14T21:59:43.10-05:00\"\nus: \"1_000\"\nx: 0x\n\"y\": \"y\"\n",
	  "\"N\": \"N\"\n\"Off\": \"Off\"\n\"TRUE\": \"TRUE\"\nb60: \"1:20\"\nbig: 1e400\nbin: \"0b101\"\ndate: \"2001-12-14\"\ndot: \".5\"\ninf: \".inf\"\nmerge: <<\n\"n\": null\nneg: \"-.Inf\"\nnotdate: 2001-13-14\no8: \"08\"\nplus: \"+1\"\nts: \"2001-12-14T21:59:43.10-05:00\"\nus: \"1_000\"\nx: 0x\n\"y\": \"y\"\n" },
	{ "multiline", "{\"text\": \"line1\\nline2\\n\", \"noTrail\": \"x\\ny\", \"trailSpace\": \"x \\ny\", \"keep\": \"a\\n\\n\", \"lead\": \"\\nx\", \"indented\": \"  two\\nlines\", \"crlf\": \"a\\r\\nb\"}",
	  "crlf: \"a\\r\\nb\"\nindented: |2-\n    two\n  lines\nkeep: |+\n  a\n\nlead: |2-\n\n  x\nnoTrail: |-\n  x\n  y\ntext: |\n  line1\n  line2\ntrailSpace: \"x \\ny\"\n",
	  "crlf: \"a\\r\\nb\"\nindented: |2-\n    two\n  lines\nkeep: |+\n  a\n\nlead: |2-\n  x\nnoTrail: |-\n  x\n  y\ntext: |\n  line1\n  line2\ntrailSpace: \"x \\ny\"\n" },
	{ "numbers", "{\"big\": 12345678901, \"mill\": 1000000, \"f\": 1.5, \"neg\": -3, \"exp\": 1000, \"small\": 1e-06, \"tiny\": 1.2345e-07, \"e21\": 1e+21, \"e20\": 1e+20, \"p63\": 9223372036854775808, \"p64\": 18446744073709551616, \"frac\": 1234567.5, \"negz\": -0.0, \"huge\": 1e+300}",
	  "big: 12345678901\ne20: 1e+20\ne21: 1e+21\nexp: 1000\nf: 1.5\nfrac: 1.2345675e+06\nhuge: 1e+300\nmill: 1000000\nneg: -3\nnegz: 0\np63: 9223372036854776000\np64: 1.8446744073709552e+19\nsmall: 1e-06\ntiny: 1.2345e-07\n",
	  "big: 1.2345678901e+10\ne20: 1e+20\ne21: 1e+21\nexp: 1000\nf: 1.5\nfrac: 1.2345675e+06\nhuge: 1e+300\nmill: 1e+06\nneg: -3\nnegz: -0\np63: 9.223372036854776e+18\np64: 1.8446744073709552e+19\nsmall: 1e-06\ntiny: 1.2345e-07\n" },
	{ "nested", "{\"zeta\": 1, \"alpha\": {\"list\": [1, \"two\", {\"k\": \"v\", \"j\": \"w\"}], \"empty\": {}, \"emptyList\": [], \"nul\": null}, \"str\": \"text\", \"deep\": [[[\"x\"], []], [{\"a\": [{\"b\": 1}]}]]}",
	  "alpha:\n  empty: {}\n  emptyList: []\n  list:\n  - 1\n  - two\n  - j: w\n    k: v\n  nul: null\ndeep:\n- - - x\n  - []\n- - a:\n    - b: 1\nstr: text\nzeta: 1\n",
	  "alpha:\n  empty: {}\n  emptyList: []\n  list:\n    - 1\n    - two\n    - j: w\n      k: v\n  nul: null\ndeep:\n  - - - x\n    - []\n  - - a:\n        - b: 1\nstr: text\nzeta: 1\n" },
	{ "key_order", "{\"a10\": 1, \"a2\": 2, \"a1\": 3, \"B\": 4, \"b\": 5, \"_x\": 6, \"1\": 7, \"10\": 8, \"2\": 9, \"z9\": 10, \"z10\": 11, \"\\u00e9\": 12}",
	  "_x: 6\n\"1\": 7\n\"2\": 9\n\"10\": 8\nB: 4\na1: 3\na2: 2\na10: 1\nb: 5\nz9: 10\nz10: 11\né: 12\n",
	  "_x: 6\n\"1\": 7\n\"2\": 9\n\"10\": 8\nB: 4\na1: 3\na2: 2\na10: 1\nb: 5\nz9: 10\nz10: 11\né: 12\n" },
	{ "long_strings", "{\"plain\": \"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\", \"single\": \"#lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\", \"double\": \"tab\\tlorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\", \"key lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\": \"v\", \"seq\": [\"lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\"]}",
	  "double: \"tab\\tlorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod\n  tempor incididunt ut labore et dolore\"\n? key lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore et dolore lorem ipsum dolor sit amet consectetur adipiscing\n  elit sed do eiusmod tempor incididunt ut labore et dolore\n: v\nplain: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore et dolore\nseq:\n- lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt\n  ut labore et dolore\nsingle: '#lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore et dolore'\n",
	  "double: \"tab\\tlorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\"\n? key lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\n: v\nplain: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\nseq:\n  - lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore\nsingle: '#lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore'\n" },
	{ "unicode", "{\"u\": \"\\u00fcn\\u00efcode\", \"cjk\": \"\\u65e5\\u672c\", \"nbsp\": \"\\u00a0nbsp\", \"emoji\": \"emoji \\ud83d\\ude00\", \"sep\": \"a\\u2028b\", \"bom\": \"x\\ufeffy\", \"ctl\": \"ctl\\u0001\"}",
	  "bom: \"x\\uFEFFy\"\ncjk: 日本\nctl: \"ctl\\x01\"\nemoji: \"emoji \\U0001F600\"\nnbsp:  nbsp\nsep: 'a   b'\nu: ünïcode\n",
	  "bom: \"x\\uFEFFy\"\ncjk: 日本\nctl: \"ctl\\x01\"\nemoji: \"emoji \\U0001F600\"\nnbsp:  nbsp\nsep: 'a   b'\nu: ünïcode\n" },
	{ "root_scalar", "\"hello\"",
	  "hello\n",
	  "hello\n" },
	{ "root_multiline", "\"a\\nb\"",
	  "|-\n  a\n  b\n",
	  "|-\n  a\n  b\n" },
	{ "root_list", "[1, \"a\", null, true, {\"k\": [1, 2]}]",
	  "- 1\n- a\n- null\n- true\n- k:\n  - 1\n  - 2\n",
	  "- 1\n- a\n- null\n- true\n- k:\n    - 1\n    - 2\n" },
	{ "root_empty_map", "{}",
	  "{}\n",
	  "{}\n" },
	{ "root_empty_list", "[]",
	  "[]\n",
	  "[]\n" },
	{ "root_null", "null",
	  "null\n",
	  "null\n" },
	{ "root_quoted", "\"yes\"",
	  "\"yes\"\n",
	  "\"yes\"\n" },
};

static struct tv *from_json(struct arena *a, const char *json)
{
	struct doc_node *d;
	if (doc_parse_json(a, "t", json, strlen(json), NULL, &d))
		return NULL;
	struct tv *v;
	return tv_from_doc(a, d, 0, &v) ? NULL : v;
}

TEST(table_matches_go_yaml)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct texec x;
		texec_init_standalone(&x, a, NULL);
		struct tv *v = from_json(a, cases[i].json);
		REQUIRE(v);
		struct buf b = BUF_INIT;
		CHECK_INT(helm_to_yaml(&x, &b, v), 0);
		if (strcmp(b.ptr, cases[i].v2))
			printf("#   case %s (toYaml)\n", cases[i].name);
		CHECK_STR(b.ptr, cases[i].v2);
		buf_reset(&b);
		CHECK_INT(helm_to_yaml_pretty(&x, &b, v), 0);
		if (strcmp(b.ptr, cases[i].v3))
			printf("#   case %s (toYamlPretty)\n", cases[i].name);
		CHECK_STR(b.ptr, cases[i].v3);
		buf_release(&b);
		texec_release(&x);
		arena_free(a);
	}
}

static const char *yaml_of(struct texec *x, struct tv *v, bool pretty, int *rc)
{
	struct buf b = BUF_INIT;
	*rc = pretty ? helm_to_yaml_pretty(x, &b, v) : helm_to_yaml(x, &b, v);
	char *s = arena_strndup(texec_arena(x), b.ptr, b.len);
	buf_release(&b);
	return s;
}

/* Go ints print as themselves in both; a set value's int64 too. */
TEST(go_ints_and_bools)
{
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "i", tv_int(a, 1000000));
	tv_map_set(a, m, "i64", tv_int_typed(a, -9223372036854775807LL - 1, "int64"));
	tv_map_set(a, m, "u", tv_uint(a, 18446744073709551615ULL, "uint64"));
	tv_map_set(a, m, "b", tv_bool(false));
	int rc;
	CHECK_STR(yaml_of(&x, m, false, &rc), "b: false\ni: 1000000\ni64: -9223372036854775808\nu: 18446744073709551615\n");
	CHECK_INT(rc, 0);
	CHECK_STR(yaml_of(&x, m, true, &rc), "b: false\ni: 1000000\ni64: -9223372036854775808\nu: 18446744073709551615\n");
	texec_release(&x);
	arena_free(a);
}

static struct tv *obj_data(struct texec *x, const struct tv *self)
{
	(void)self;
	struct arena *a = texec_arena(x);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "Name", tv_str(a, "c"));
	tv_map_set(a, m, "IsRoot", tv_bool(true));
	return m;
}

static const struct tv_object_type obj_type = { "*chart.Metadata", NULL, obj_data, NULL };
static const struct tv_object_type opaque_type = { "engine.files", NULL, NULL, NULL };

TEST(objects_bytes_and_invalid_utf8)
{
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "chart", tv_object(a, &obj_type, NULL));
	tv_map_set(a, m, "opaque", tv_object(a, &opaque_type, NULL));
	tv_map_set(a, m, "bytes", tv_bytes(a, "hi!", 3));
	tv_map_set(a, m, "bad", tv_strn(a, "a\xffz", 3));
	tv_map_set(a, m, "missing", &tv_invalid_value);
	int rc;
	CHECK_STR(yaml_of(&x, m, false, &rc),
		  "bad: a\xef\xbf\xbdz\nbytes: aGkh\nchart:\n  IsRoot: true\n  Name: c\nmissing: null\nopaque: {}\n");
	CHECK_INT(rc, 0);
	texec_release(&x);
	arena_free(a);
}

TEST(errors_are_json_s)
{
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *l = tv_list(a, 2);
	tv_list_push(a, l, tv_str(a, "x"));
	tv_list_push(a, l, tv_float(a, NAN));
	struct buf b = BUF_INIT;
	buf_adds(&b, "kept");
	CHECK_INT(helm_to_yaml(&x, &b, l), ERR_INVALID);
	CHECK_STR(texec_message(&x), "error marshaling into JSON: json: unsupported value: NaN");
	CHECK_STR(b.ptr, "kept"); /* nothing of the failed document */
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "k", tv_str(a, "del\x7f"));
	CHECK_INT(helm_to_yaml(&x, &b, m), ERR_INVALID);
	CHECK_STR(texec_message(&x), "error converting JSON to YAML: yaml: control characters are not allowed");
	/* yaml.v3 takes it: a double-quoted escape */
	buf_reset(&b);
	CHECK_INT(helm_to_yaml_pretty(&x, &b, m), 0);
	CHECK_STR(b.ptr, "k: \"del\\x7F\"\n");
	buf_release(&b);
	texec_release(&x);
	arena_free(a);
}

/* A map holding itself, and a map holding the same map twice at every level: both end
 * with ERR_TOOBIG rather than recursing or writing without end. */
TEST(cycles_and_blowup_are_capped)
{
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "self", m);
	struct buf b = BUF_INIT;
	CHECK_INT(helm_to_yaml(&x, &b, m), ERR_TOOBIG);
	CHECK(strstr(texec_message(&x), "encountered a cycle") != NULL);
	CHECK_INT(b.len, 0);
	struct tv *v = tv_str(a, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	for (int i = 0; i < 40; i++) {
		struct tv *n = tv_map_new(a);
		tv_map_set(a, n, "a", v);
		tv_map_set(a, n, "b", v);
		v = n;
	}
	struct buf capped;
	buf_init(&capped, 1 << 20); /* the buffer's cap, when it has one, bounds toYaml's */
	CHECK_INT(helm_to_yaml(&x, &capped, v), ERR_TOOBIG);
	CHECK_STR(texec_message(&x), "toYaml: output larger than 1048576 bytes");
	CHECK_INT(capped.len, 0);
	buf_release(&capped);
	buf_release(&b);
	texec_release(&x);
	arena_free(a);
}

/* The values of helm-toyaml-* conformance cases, read as Helm reads values.yaml. */
TEST(conformance_values)
{
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	static const char values[] = "m:\n  zeta: 1\n  alpha:\n    list: [1, \"two\", {k: v}]\n"
				     "    empty: {}\n    emptyList: []\n    nul: null\n  str: text\n"
				     "s: {on_: on, yes_: \"yes\", n: 0755}\n";
	struct doc_stream st = { 0 };
	REQUIRE(doc_parse_yaml(a, "values.yaml", values, sizeof(values) - 1, NULL, &st) == 0);
	struct tv *v;
	REQUIRE(tv_from_doc(a, st.docs[0], TV_FROM_DOC_YAML11, &v) == 0);
	int rc;
	CHECK_STR(yaml_of(&x, tv_map_get(v, "m"), false, &rc),
		  "alpha:\n  empty: {}\n  emptyList: []\n  list:\n  - 1\n  - two\n  - k: v\n  nul: null\n"
		  "str: text\nzeta: 1\n");
	CHECK_STR(yaml_of(&x, tv_map_get(v, "s"), false, &rc), "\"false\": 493\non_: true\nyes_: \"yes\"\n" /* n is false as a YAML 1.1 key */);
	texec_release(&x);
	arena_free(a);
}

int main(void)
{
	RUN(table_matches_go_yaml);
	RUN(go_ints_and_bools);
	RUN(objects_bytes_and_invalid_utf8);
	RUN(errors_are_json_s);
	RUN(cycles_and_blowup_are_capped);
	RUN(conformance_values);
	return test_done();
}
