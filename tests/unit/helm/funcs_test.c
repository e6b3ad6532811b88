/* Helm's own template functions (src/helm/funcs.c) run through the template engine with a
 * render state, as helm_render() registers them (without sprig): include and its
 * per-name limit, tpl and its error forms, required, fail, the YAML/JSON/TOML converters
 * with the errors Helm puts in an "Error" key, lookup without and with a cluster. Expected
 * texts are those of the helm-* conformance cases (helm v4.1.4) where one exists. */
#include "test.h"

#include "doc/doc.h"
#include "helm/render_int.h"
#include "template/template.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

struct run {
	struct arena *a;
	struct helm_render_state st;
	struct tset *set;
	struct buf out;
	int rc;
	const char *err;
};

static void run_init(struct run *r)
{
	memset(r, 0, sizeof(*r));
	r->a = arena_new();
	r->st.arena = r->a;
	r->set = tset_new(r->a, "gotpl", NULL);
	r->st.set = r->set;
	tset_add_funcs(r->set, &helm_funcs_table);
	tset_set_userdata(r->set, &r->st);
	tset_set_missing(r->set, TMISSING_ZERO);
	r->out = (struct buf)BUF_INIT;
}

static void run_release(struct run *r)
{
	buf_release(&r->out);
	tset_free(r->set);
	arena_free(r->a);
}

/* Parses helpers (may be NULL) and text as "t.yaml", executes it with data; the output, or
 * NULL with r->err set. */
static const char *exec_with(struct run *r, const char *helpers, const char *text, struct tv *data)
{
	err_clear();
	buf_reset(&r->out);
	if (helpers && tset_parse(r->set, "_helpers.tpl", helpers, strlen(helpers))) {
		r->err = arena_strdup(r->a, err_msg());
		return NULL;
	}
	if ((r->rc = tset_parse(r->set, "t.yaml", text, strlen(text)))) {
		r->err = arena_strdup(r->a, err_msg());
		return NULL;
	}
	if ((r->rc = tset_execute(r->set, "t.yaml", data ? data : tv_map_new(r->a), &r->out))) {
		r->err = arena_strdup(r->a, err_msg());
		return NULL;
	}
	r->err = NULL;
	return r->out.ptr;
}

static const char *exec1(const char *text, struct tv *data, const char **err)
{
	static struct arena *keep;
	struct run r;
	run_init(&r);
	if (!data) { /* Helm's dot: .Values is always a map */
		data = tv_map_new(r.a);
		tv_map_set(r.a, data, "Values", tv_map_new(r.a));
	}
	const char *got = exec_with(&r, NULL, text, data);
	if (!keep)
		keep = arena_new();
	got = got ? arena_strdup(keep, got) : NULL;
	*err = r.err ? arena_strdup(keep, r.err) : NULL;
	run_release(&r);
	return got;
}

static struct tv *yaml_values(struct arena *a, const char *y)
{
	struct doc_stream st = { 0 };
	if (doc_parse_yaml(a, "values.yaml", y, strlen(y), NULL, &st) || !st.len)
		return NULL;
	struct tv *v;
	return tv_from_doc(a, st.docs[0], TV_FROM_DOC_YAML11, &v) ? NULL : v;
}

#define CHECK_EXEC(text, want)                                                              \
	do {                                                                                \
		const char *err_;                                                           \
		const char *got_ = exec1(text, NULL, &err_);                                \
		if (!got_)                                                                  \
			printf("#   error: %s\n", err_);                                        \
		CHECK_STR(got_, want);                                                      \
	} while (0)

#define CHECK_EXEC_ERR(text, want)                                                          \
	do {                                                                                \
		const char *err_;                                                           \
		const char *got_ = exec1(text, NULL, &err_);                                \
		CHECK(got_ == NULL);                                                        \
		CHECK_STR(err_, want);                                                      \
	} while (0)

TEST(include_renders_and_pipes)
{
	struct run r;
	run_init(&r);
	struct tv *d = tv_map_new(r.a), *v = tv_map_new(r.a);
	tv_map_set(r.a, v, "a", tv_str(r.a, "A"));
	tv_map_set(r.a, d, "v", v);
	const char *got = exec_with(&r, "{{ define \"x\" }}[{{ .a }}]{{ end }}{{ define \"y\" }}{{ include \"x\" . }}{{ include \"x\" . }}{{ end }}",
			"{{ include \"y\" .v }} {{ include \"x\" .v | printf \"%q\" }}", d);
	CHECK_STR(got, "[A][A] \"[A]\"");
	CHECK_INT(*helm_include_count(&r.st, "x"), 0); /* back to 0 after each include */
	run_release(&r);
}

TEST(include_missing_and_nested_errors)
{
	struct run r;
	run_init(&r);
	CHECK(exec_with(&r, NULL, "a: {{ include \"nope\" . }}", NULL) == NULL);
	CHECK_STR(r.err, "template: t.yaml:1:6: executing \"t.yaml\" at <include \"nope\" .>: error calling "
			 "include: template: no template \"nope\" associated with template \"gotpl\"");
	run_release(&r);
}

TEST(include_recursion_limit)
{
	struct run r;
	run_init(&r);
	CHECK(exec_with(&r, "{{ define \"loop\" }}{{ include \"loop\" . }}{{ end }}", "a: {{ include \"loop\" . }}", NULL) == NULL);
	/* Helm's limit, not the engine's depth cap; the innermost message is past what
	 * err_msg() keeps of a 1,000-deep chain, so render.c finds it by the name */
	CHECK_INT(r.rc, ERR_INVALID);
	CHECK(r.st.include_limit_name && !strcmp(r.st.include_limit_name, "loop"));
	CHECK_INT(*helm_include_count(&r.st, "loop"), 0);
	run_release(&r);
}

TEST(tpl_renders_and_its_errors)
{
	struct run r;
	run_init(&r);
	struct tv *d = yaml_values(r.a, "Values: {name: world, tmpl: 'hi {{ .Values.name }}'}\n");
	REQUIRE(d);
	CHECK_STR(exec_with(&r, NULL, "{{ tpl .Values.tmpl . }}|{{ tpl \"{{ .missing }}x\" . }}", d), "hi world|x");
	/* defines made by tpl's text are seen there, and gone afterwards */
	CHECK_STR(exec_with(&r, NULL, "{{ tpl \"{{ define \\\"d\\\" }}D{{ end }}{{ include \\\"d\\\" . }}\" . }}", d), "D");
	run_release(&r);
	CHECK_EXEC_ERR("a: {{ tpl \"{{ .Values.x.y.z }}\" . }}",
		       "template: t.yaml:1:6: executing \"t.yaml\" at <tpl \"{{ .Values.x.y.z }}\" .>: error calling tpl: "
		       "error during tpl function execution for \"{{ .Values.x.y.z }}\": template: gotpl:1:10: executing "
		       "\"gotpl\" at <.Values.x.y.z>: nil pointer evaluating interface {}.y");
	CHECK_EXEC_ERR("a: {{ tpl \"{{ if }}\" . }}",
		       "template: t.yaml:1:6: executing \"t.yaml\" at <tpl \"{{ if }}\" .>: error calling tpl: "
		       "cannot parse template \"{{ if }}\": template: gotpl:1: missing value for if");
	const char *err;
	CHECK(exec1("a: {{ tpl \"{{ fail \\\"from tpl\\\" }}\" . }}", NULL, &err) == NULL);
	CHECK(err && strstr(err, HELM_WARN_START "from tpl" HELM_WARN_END));
}

TEST(required_and_fail)
{
	const char *err;
	CHECK(exec1("a: {{ required \"value a is required\" .Values.a }}", NULL, &err) == NULL);
	CHECK(err && strstr(err, "error calling required: " HELM_WARN_START "value a is required" HELM_WARN_END));
	CHECK(exec1("{{ required \"empty\" \"\" }}", NULL, &err) == NULL);
	CHECK(err && strstr(err, HELM_WARN_START "empty" HELM_WARN_END));
	CHECK_EXEC("{{ required \"x\" 0 }} {{ required \"x\" false }} {{ required \"x\" \"v\" }}", "0 false v");
	CHECK(exec1("{{ fail \"boom\" }}", NULL, &err) == NULL);
	CHECK(err && strstr(err, "error calling fail: " HELM_WARN_START "boom" HELM_WARN_END));
	/* lint mode: neither fails */
	struct run r;
	run_init(&r);
	r.st.lint_mode = true;
	CHECK_STR(exec_with(&r, NULL, "[{{ required \"x\" .nope }}][{{ fail \"y\" }}]", NULL), "[][]");
	run_release(&r);
}

TEST(to_yaml_family)
{
	struct run r;
	run_init(&r);
	struct tv *d = yaml_values(r.a, "m:\n  list: [1, {k: v, j: w}]\n  nested: {l: [a]}\n  s: \"yes\"\n");
	REQUIRE(d);
	CHECK_STR(exec_with(&r, NULL, "{{ toYaml .m }}\n--\n{{ toYamlPretty .m }}\n--\n{{ mustToYaml .m.s }}", d),
		  "list:\n- 1\n- j: w\n  k: v\nnested:\n  l:\n  - a\ns: \"yes\"\n--\n"
		  "list:\n  - 1\n  - j: w\n    k: v\nnested:\n  l:\n    - a\ns: \"yes\"\n--\n\"yes\"");
	CHECK_STR(exec_with(&r, NULL, "[{{ toYaml \"str\" }}] [{{ toYaml 1 }}] [{{ toYaml 1.5 }}] [{{ toYaml true }}] [{{ toYaml .missing }}]", d),
		  "[str] [1] [1.5] [true] [null]");
	run_release(&r);
}

TEST(from_yaml_family)
{
	CHECK_EXEC("{{ $m := fromYaml \"a: 1\\nb: [x, 2]\\nc: {d: true}\\ne: yes\\nf: 0755\\n\" }}{{ $m }} {{ printf \"%T\" $m.a }} {{ $m.c.d }}",
		   "map[a:1 b:[x 2] c:map[d:true] e:true f:493] float64 true");
	CHECK_EXEC("{{ fromYaml \"- 1\\n- 2\" }}",
		   "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]");
	CHECK_EXEC("{{ (fromYaml \"a: [unclosed\").Error }}",
		   "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'");
	CHECK_EXEC("{{ fromYaml \"\" }} {{ fromYaml \"just a string\" }}",
		   "map[] map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}]");
	CHECK_EXEC("{{ fromYaml \"a: 1\\n---\\nb: 2\\n\" }}", "map[a:1]");
	CHECK_EXEC("{{ fromYamlArray \"- 1\\n- a\\n- {k: v}\" }} {{ printf \"%T\" (fromYamlArray \"[1]\") }}",
		   "[1 a map[k:v]] []interface {}");
	CHECK_EXEC("{{ fromYamlArray \"a: 1\" }}",
		   "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]");
	CHECK_EXEC("{{ fromYamlArray \"\" }}", "[]");
}

TEST(json_family)
{
	CHECK_EXEC("{{ $m := fromJson \"{\\\"a\\\": 1, \\\"b\\\": [true, null], \\\"c\\\": {\\\"d\\\": \\\"x\\\"}}\" }}{{ $m }} {{ printf \"%T\" $m.a }} {{ $m.c.d }}",
		   "map[a:1 b:[true <nil>] c:map[d:x]] float64 x");
	CHECK_EXEC("{{ (fromJson \"{bad\").Error }}", "invalid character 'b' looking for beginning of object key string");
	CHECK_EXEC("{{ fromJson \"\" }}", "map[Error:unexpected end of JSON input]");
	CHECK_EXEC("{{ fromJson \"[1, 2]\" }}", "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]");
	CHECK_EXEC("{{ fromJson \"{} x\" }}", "map[Error:invalid character 'x' after top-level value]");
	CHECK_EXEC("{{ fromJson \"{\\\"a\\\" 1}\" }}", "map[Error:invalid character '1' after object key]");
	CHECK_EXEC("{{ fromJson \"[tru]\" }}", "map[Error:invalid character ']' in literal true (expecting 'e')]");
	CHECK_EXEC("{{ fromJsonArray \"[1, \\\"a\\\", {\\\"k\\\": null}]\" }}", "[1 a map[k:<nil>]]");
	CHECK_EXEC("{{ fromJsonArray \"{\\\"a\\\": 1}\" }}", "[json: cannot unmarshal object into Go value of type []interface {}]");
	CHECK_EXEC("{{ fromJsonArray \"[1,\" }}", "[unexpected end of JSON input]");
	struct run r;
	run_init(&r);
	struct tv *d = yaml_values(r.a, "m: {z: 1, a: [x, {k: v}], h: \"<b>&</b>\"}\nbig: 12345678901\nf: 1.5\ne: 1e-7\nneg: -0.0\n");
	REQUIRE(d);
	CHECK_STR(exec_with(&r, NULL, "{{ toJson .m }} {{ toJson .missing }} {{ toJson \"s\" }} {{ mustToJson .big }} {{ toJson .e }} {{ toJson .neg }}", d),
		  "{\"a\":[\"x\",{\"k\":\"v\"}],\"h\":\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\",\"z\":1} null \"s\" 12345678901 1e-7 -0");
	CHECK_STR(exec_with(&r, NULL, "{{ .m | toJson | fromJson | toYaml | fromYaml | toJson }}", d),
		  "{\"a\":[\"x\",{\"k\":\"v\"}],\"h\":\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\",\"z\":1}");
	run_release(&r);
}

TEST(toml_family)
{
	struct run r;
	run_init(&r);
	struct tv *d = yaml_values(r.a, "name: x\nport: 80\nratio: 0.5\nflag: true\nlist: [1, 2]\ntable:\n  key: v\n  nested: {deep: 1}\n");
	REQUIRE(d);
	CHECK_STR(exec_with(&r, NULL, "{{ toToml . }}", d),
		  "flag = true\nlist = [1.0, 2.0]\nname = \"x\"\nport = 80.0\nratio = 0.5\n\n[table]\n  key = \"v\"\n  [table.nested]\n    deep = 1.0\n");
	run_release(&r);
	CHECK_EXEC("{{ $t := fromToml \"a = 1\\nb = \\\"s\\\"\\n[tbl]\\nc = [1, 2]\\n\" }}{{ $t }} {{ printf \"%T\" $t.a }}",
		   "map[a:1 b:s tbl:map[c:[1 2]]] int64");
	CHECK_EXEC("{{ (fromToml \"bad = = toml\").Error }}",
		   "toml: line 1 (last key \"bad\"): expected value but found '=' instead");
	CHECK_EXEC("{{ $t := fromToml \"# c\\n[[srv]]\\nname = 'a'\\n[[srv]]\\nname = \\\"\\\"\\\"b\\\"\\\"\\\"\\n[x.y]\\nz = {q = 1.5, r = [true]}\\n\" }}{{ $t }}",
		   "map[srv:[map[name:a] map[name:b]] x:map[y:map[z:map[q:1.5 r:[true]]]]]");
}

static int fake_lookup(void *ctx, struct texec *x, const char *api_version, const char *kind,
		       const char *namespace, const char *name, struct tv **out)
{
	(void)ctx;
	struct arena *a = texec_arena(x);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "apiVersion", tv_str(a, api_version));
	tv_map_set(a, m, "kind", tv_str(a, kind));
	tv_map_set(a, m, "ns", tv_str(a, namespace));
	tv_map_set(a, m, "name", tv_str(a, name));
	*out = m;
	return 0;
}

TEST(lookup_and_dns)
{
	CHECK_EXEC("{{ $s := lookup \"v1\" \"Secret\" \"default\" \"my-secret\" }}{{ $s }} {{ len $s }} {{ printf \"%T\" $s }} {{ if $s }}found{{ else }}not-found{{ end }}",
		   "map[] 0 map[string]interface {} not-found");
	CHECK_EXEC("[{{ getHostByName \"example.com\" }}]", "[]");
	struct run r;
	run_init(&r);
	r.st.lookup = fake_lookup;
	CHECK_STR(exec_with(&r, NULL, "{{ lookup \"v1\" \"ConfigMap\" \"ns\" \"cm\" }}", NULL),
		  "map[apiVersion:v1 kind:ConfigMap name:cm ns:ns]");
	run_release(&r);
}

int main(void)
{
	RUN(include_renders_and_pipes);
	RUN(include_missing_and_nested_errors);
	RUN(include_recursion_limit);
	RUN(tpl_renders_and_its_errors);
	RUN(required_and_fail);
	RUN(to_yaml_family);
	RUN(from_yaml_family);
	RUN(json_family);
	RUN(toml_family);
	RUN(lookup_and_dns);
	return test_done();
}
