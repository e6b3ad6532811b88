/* Helm values (src/helm/values.h): values files, -f merging, the --set family against the
 * cases of helm's own pkg/strvals parser tests, coalescing with subcharts, globals,
 * conditions, tags, aliases and import-values, and values.schema.json validation with
 * helm v4's messages. */
#include "test.h"
#include "fixture.h"

#include <dirent.h>

#include "helm/chart.h"
#include "helm/values.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

/* A compact JSON-like form with Go types visible: 1 for int64, 1f for float64. */
static void show(struct buf *b, struct arena *a, const struct tv *v)
{
	if (!v || v->kind == TV_NIL) {
		buf_adds(b, "null");
		return;
	}
	switch (v->kind) {
	case TV_BOOL: buf_adds(b, v->u.b ? "true" : "false"); break;
	case TV_INT: buf_addf(b, "%lld", (long long)v->u.i); break;
	case TV_FLOAT: buf_addf(b, "%gf", v->u.f); break;
	case TV_STRING: buf_addf(b, "\"%s\"", v->u.s.ptr); break;
	case TV_LIST:
		buf_addch(b, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				buf_addch(b, ',');
			show(b, a, v->u.list.items[i]);
		}
		buf_addch(b, ']');
		break;
	case TV_MAP: {
		struct tv_pair **ps = tv_map_sorted(a, v);
		buf_addch(b, '{');
		for (size_t i = 0; i < v->u.map.len; i++) {
			if (i)
				buf_addch(b, ',');
			buf_addf(b, "%s:", ps[i]->key);
			show(b, a, ps[i]->value);
		}
		buf_addch(b, '}');
		break;
	}
	default: buf_adds(b, "?");
	}
}

static char shown[8192];

static const char *str(struct arena *a, const struct tv *v)
{
	struct buf b = BUF_INIT;
	show(&b, a, v);
	snprintf(shown, sizeof shown, "%s", b.ptr);
	buf_release(&b);
	return shown;
}

struct set_case {
	enum helm_set_kind kind;
	const char *arg, *want; /* want NULL: an error */
};

static const struct set_case set_cases[] = {
	/* helm's TestParseSet */
	{ HELM_SET_STRING, "long_int_string=1234567890", "{long_int_string:\"1234567890\"}" },
	{ HELM_SET_STRING, "boolean=true", "{boolean:\"true\"}" },
	{ HELM_SET_STRING, "is_null=null", "{is_null:\"null\"}" },
	{ HELM_SET_STRING, "zero=0", "{zero:\"0\"}" },
	{ HELM_SET, "name1=value1,,,,name2=value2,", NULL },
	{ HELM_SET, "name1=,name2=value2", "{name1:\"\",name2:\"value2\"}" },
	{ HELM_SET, "leading_zeros=00009", "{leading_zeros:\"00009\"}" },
	{ HELM_SET, "zero_int=0", "{zero_int:0}" },
	{ HELM_SET, "long_int=1234567890", "{long_int:1234567890}" },
	{ HELM_SET, "boolean=true", "{boolean:true}" },
	{ HELM_SET, "is_null=null", "{is_null:null}" },
	{ HELM_SET, "name1,name2=", NULL },
	{ HELM_SET, "name1,name2=value2", NULL },
	{ HELM_SET, "name1,name2=value2\\", NULL },
	{ HELM_SET, "name1,name2", NULL },
	{ HELM_SET, "name1=one\\,two,name2=three\\,four", "{name1:\"one,two\",name2:\"three,four\"}" },
	{ HELM_SET, "name1=one\\=two,name2=three\\=four", "{name1:\"one=two\",name2:\"three=four\"}" },
	{ HELM_SET, "name1=one two three,name2=three two one",
	  "{name1:\"one two three\",name2:\"three two one\"}" },
	{ HELM_SET, "outer.inner=value", "{outer:{inner:\"value\"}}" },
	{ HELM_SET, "outer.middle.inner=value", "{outer:{middle:{inner:\"value\"}}}" },
	{ HELM_SET, "outer.inner1=value,outer.inner2=value2", "{outer:{inner1:\"value\",inner2:\"value2\"}}" },
	{ HELM_SET, "name1.name2", NULL },
	{ HELM_SET, "name1.name2,name1.name3", NULL },
	{ HELM_SET, "name1.name2=", "{name1:{name2:\"\"}}" },
	{ HELM_SET, "name1.=name2", NULL },
	{ HELM_SET, "name1.,name2", NULL },
	{ HELM_SET, "name1={value1,value2}", "{name1:[\"value1\",\"value2\"]}" },
	{ HELM_SET, "name1={value1,value2},name2={value1,value2}",
	  "{name1:[\"value1\",\"value2\"],name2:[\"value1\",\"value2\"]}" },
	{ HELM_SET, "name1={1021,902}", "{name1:[1021,902]}" },
	{ HELM_SET, "name1.name2={value1,value2}", "{name1:{name2:[\"value1\",\"value2\"]}}" },
	{ HELM_SET, "name1={1021,902", NULL },
	{ HELM_SET, "list[0]=foo", "{list:[\"foo\"]}" },
	{ HELM_SET, "list[0].foo=bar", "{list:[{foo:\"bar\"}]}" },
	{ HELM_SET, "list[0].foo=bar,list[0].hello=world", "{list:[{foo:\"bar\",hello:\"world\"}]}" },
	{ HELM_SET, "list[0].foo=bar,list[-30].hello=world", NULL },
	{ HELM_SET, "list[0]=foo,list[1]=bar", "{list:[\"foo\",\"bar\"]}" },
	{ HELM_SET, "list[0]=foo,list[1]=bar,", "{list:[\"foo\",\"bar\"]}" },
	{ HELM_SET, "list[0]=foo,list[3]=bar", "{list:[\"foo\",null,null,\"bar\"]}" },
	{ HELM_SET, "list[0]=foo,list[-20]=bar", NULL },
	{ HELM_SET, "illegal[0]name.foo=bar", NULL },
	{ HELM_SET, "noval[0]", "{noval:[]}" },
	{ HELM_SET, "noval[0]=", "{noval:[\"\"]}" },
	{ HELM_SET, "nested[0][0]=1", "{nested:[[1]]}" },
	{ HELM_SET, "nested[1][1]=1", "{nested:[null,[null,1]]}" },
	{ HELM_SET, "name1.name2[0].foo=bar,name1.name2[1].foo=bar",
	  "{name1:{name2:[{foo:\"bar\"},{foo:\"bar\"}]}}" },
	{ HELM_SET, "name1.name2[1].foo=bar,name1.name2[0].foo=bar",
	  "{name1:{name2:[{foo:\"bar\"},{foo:\"bar\"}]}}" },
	{ HELM_SET, "name1.name2[1].foo=bar", "{name1:{name2:[null,{foo:\"bar\"}]}}" },
	{ HELM_SET, "]={}].", NULL },
	{ HELM_SET, "list[65537]=x", NULL },
	{ HELM_SET, "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.A.B.C.D.E.F=x", NULL },
	/* the corpus' typing case */
	{ HELM_SET, "a=true,b=1,c=0x10,d=null,e=1.5,f=012,g=False,h=1e3,z=0",
	  "{a:true,b:1,c:\"0x10\",d:null,e:\"1.5\",f:\"012\",g:false,h:\"1e3\",z:0}" },
	{ HELM_SET, "big=12345678901234567890,neg=-5", "{big:\"12345678901234567890\",neg:-5}" },
	{ HELM_SET, "dotted\\.key=d,esc=a\\,b,csv={x,y,z}", "{csv:[\"x\",\"y\",\"z\"],dotted.key:\"d\",esc:\"a,b\"}" },
	/* --set-json */
	{ HELM_SET_JSON, "obj={\"n\":1,\"l\":[1,\"a\",null],\"m\":{\"k\":true}}",
	  "{obj:{l:[1f,\"a\",null],m:{k:true},n:1f}}" },
	{ HELM_SET_JSON, "num=2", "{num:2f}" },
	{ HELM_SET_JSON, "a=,b=\"x\"", "{a:null,b:\"x\"}" },
	{ HELM_SET_JSON, "{\"a\":{\"b\":1}}", "{a:{b:1f}}" },
	{ HELM_SET_JSON, "list[1]={\"x\":1}", "{list:[null,{x:1f}]}" },
	{ HELM_SET_JSON, "a={bad", NULL },
	/* --set-literal */
	{ HELM_SET_LITERAL, "name=value1,value2", "{name:\"value1,value2\"}" },
	{ HELM_SET_LITERAL, "a.b=x\\,y=z", "{a:{b:\"x\\,y=z\"}}" },
	{ HELM_SET_LITERAL, "list[1]=true", "{list:[null,\"true\"]}" },
};

TEST(set_table)
{
	for (size_t i = 0; i < sizeof set_cases / sizeof *set_cases; i++) {
		const struct set_case *c = &set_cases[i];
		struct arena *a = arena_new();
		struct tv *m = tv_map_new(a);
		int rc = helm_values_apply_set(a, m, c->kind, c->arg);
		if (!c->want) {
			if (rc != ERR_INVALID)
				printf("#   %s: want an error, got %s\n", c->arg, str(a, m));
			CHECK_INT(rc, ERR_INVALID);
		} else {
			if (rc)
				printf("#   %s: %s\n", c->arg, err_msg());
			CHECK_INT(rc, 0);
			if (strcmp(str(a, m), c->want))
				printf("#   %s\n#   got  %s\n#   want %s\n", c->arg, shown, c->want);
			CHECK_STR(str(a, m), c->want);
		}
		arena_free(a);
	}
}

TEST(set_messages)
{
	struct arena *a = arena_new();
	struct tv *m = tv_map_new(a);
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET, "replicaCount"), ERR_INVALID);
	CHECK_STR(err_msg(), "failed parsing --set data: key \"replicaCount\" has no value");
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET, "a=1,"), 0);
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET, "a.b=1"), ERR_INVALID);
	CHECK_STR(err_msg(), "failed parsing --set data: unable to parse key: interface conversion: "
			     "interface {} is int64, not map[string]interface {}");
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET_STRING, "x[a]=1"), ERR_INVALID);
	CHECK_STR(err_msg(), "failed parsing --set-string data: error parsing index: strconv.Atoi: "
			     "parsing \"a\": invalid syntax");
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET, "k,"), ERR_INVALID);
	CHECK_STR(err_msg(), "failed parsing --set data: key \"k\" has no value (cannot end with ,)");
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET_JSON, "{nope"), ERR_INVALID);
	CHECK_STR(err_msg(), "failed parsing --set-json data JSON: {nope");
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET_FILE, "f=/nonexistent/x"), ERR_INVALID);
	CHECK_STR(err_msg(), "failed parsing --set-file data: open /nonexistent/x: no such file or directory");
	char *dir = fixture_tmpdir("hvalues");
	fixture_write(dir, "f.txt", "line1\nline2\n");
	char *arg = xasprintf("cfg=%s/f.txt", dir);
	CHECK_INT(helm_values_apply_set(a, m, HELM_SET_FILE, arg), 0);
	CHECK_STR(tv_map_get(m, "cfg")->u.s.ptr, "line1\nline2\n");
	free(arg);
	fixture_rmdir(dir);
	arena_free(a);
}

TEST(values_files)
{
	struct arena *a = arena_new();
	struct tv *v;
	const char *y = "a: 1\nb: yes\nc: 0755\nm: {x: 1}\n---\nm: {z: 2}\nd: ~\n";
	REQUIRE(helm_values_read(a, "v.yaml", y, strlen(y), &v) == 0);
	CHECK_STR(str(a, v), "{a:1f,b:true,c:493f,d:null,m:{x:1f,z:2f}}");
	/* what yaml.v2's resolve() leaves a string: no sign, digit or '.' first, a '.' text
	 * with an underscore, a hex float, a signed NaN (helm v4.1.4's kindOf says string) */
	y = "a: _1\nb: 0x1p3\nc: -.nan\nd: ._5\ne: 1_0\nf: .5\ng: +.5e1\nh: 0o17\ni: -.Inf\nj: 1e400\n";
	REQUIRE(helm_values_read(a, "v.yaml", y, strlen(y), &v) == 0);
	CHECK_STR(str(a, v), "{a:\"_1\",b:\"0x1p3\",c:\"-.nan\",d:\"._5\",e:10f,f:0.5f,g:5f,h:15f,"
			     "i:-inff,j:\"1e400\"}");
	REQUIRE(helm_values_read(a, "v.yaml", "", 0, &v) == 0);
	CHECK_STR(str(a, v), "{}");
	CHECK_INT(helm_values_read(a, "v.yaml", "- a\n", 4, &v), ERR_INVALID);
	CHECK_INT(helm_values_read(a, "v.yaml", "null: 1\n", 8, &v), ERR_INVALID);
	CHECK(strstr(err_msg(), "unsupported map key of type: %!s(<nil>), key: <nil>, value: 1") != NULL);
	struct tv *x, *yv;
	helm_values_read(a, "x", "a: {b: 1, c: 2}\nl: [1]\n", 22, &x);
	helm_values_read(a, "y", "a: {b: 3}\nl: [2]\n", 17, &yv);
	helm_values_merge(a, x, yv);
	CHECK_STR(str(a, x), "{a:{b:3f,c:2f},l:[2f]}");
	arena_free(a);
}

static struct helm_chart *chart_dir(struct arena *a, const char *const *files)
{
	char *dir = fixture_tmpdir("hvalues");
	for (size_t i = 0; files[i]; i += 2)
		fixture_write(dir, files[i], files[i + 1]);
	struct helm_chart *c = NULL;
	if (helm_chart_load(a, dir, NULL, &c))
		printf("#   load: %s\n", err_msg());
	fixture_rmdir(dir);
	return c;
}

TEST(coalesce_subcharts)
{
	static const char *const files[] = {
		"Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\ndependencies:\n"
			      "- name: sub\n  version: 0.1.0\n  condition: sub.enabled\n"
			      "- name: other\n  version: 0.1.0\n  tags: [extras]\n"
			      "- name: sub\n  version: 0.1.0\n  alias: second\n"
			      "  import-values:\n  - child: exports.net\n    parent: imported\n  - data\n",
		"values.yaml", "keep: 1\ndrop: 2\nglobal:\n  g: parent\n  m: {a: 1}\nsub:\n  enabled: true\n"
			       "  x: from-parent\ntags:\n  extras: false\n",
		"charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"charts/sub/values.yaml", "x: sub-default\ndflt: d\nglobal:\n  m: {b: 2}\n  own: 1\n"
					  "exports:\n  net: {port: 8080}\n  data: {level: debug}\n",
		"charts/other/Chart.yaml", "apiVersion: v2\nname: other\nversion: 0.1.0\n",
		NULL,
	};
	struct arena *a = arena_new();
	struct helm_chart *c = chart_dir(a, files);
	REQUIRE(c);
	struct tv *user;
	helm_values_read(a, "u", "drop: null\nsecond: {x: two}\n", 28, &user);
	struct tv *v;
	REQUIRE(helm_values_coalesce(a, c, user, &v) == 0);
	CHECK_INT(c->ndependencies, 2); /* other disabled by its tag */
	CHECK(tv_map_get(v, "drop") == NULL);
	CHECK_STR(str(a, tv_map_get(v, "imported")), "{port:8080f}");
	CHECK_STR(str(a, tv_map_get(v, "level")), "\"debug\"");
	struct tv *sub = tv_map_get(v, "sub");
	REQUIRE(sub);
	CHECK_STR(str(a, tv_map_get(sub, "x")), "\"from-parent\"");
	CHECK_STR(str(a, tv_map_get(sub, "dflt")), "\"d\"");
	CHECK_STR(str(a, tv_map_get(sub, "global")), "{g:\"parent\",m:{a:1f,b:2f},own:1f}");
	struct tv *second = tv_map_get(v, "second");
	REQUIRE(second);
	CHECK_STR(str(a, tv_map_get(second, "x")), "\"two\"");
	CHECK_STR(str(a, tv_map_get(second, "dflt")), "\"d\"");

	/* a condition that turns the subchart off */
	c = chart_dir(a, files);
	helm_values_read(a, "u", "sub: {enabled: false}\n", 22, &user);
	REQUIRE(helm_values_coalesce(a, c, user, &v) == 0);
	CHECK_INT(c->ndependencies, 1);
	CHECK_STR(c->dependencies[0]->metadata.name, "second");

	/* a subchart's key that is not a map */
	c = chart_dir(a, files);
	helm_values_read(a, "u", "second: 3\n", 10, &user);
	CHECK_INT(helm_values_coalesce(a, c, user, &v), ERR_INVALID);
	CHECK_STR(err_msg(), "type mismatch on second: %!t(float64=3)");
	arena_free(a);
}

TEST(schema_messages)
{
	static const char *const files[] = {
		"Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"values.schema.json",
		"{\"$schema\": \"https://json-schema.org/draft-07/schema#\", \"type\": \"object\","
		"\"required\": [\"name\"], \"properties\": {"
		"\"replicas\": {\"type\": \"integer\", \"minimum\": 1},"
		"\"mode\": {\"enum\": [\"a\", \"b\"]},"
		"\"tag\": {\"type\": \"string\", \"pattern\": \"^v[0-9]+$\", \"maxLength\": 5},"
		"\"port\": {\"$ref\": \"#/definitions/port\"},"
		"\"any\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"boolean\"}]},"
		"\"strict\": {\"type\": \"object\", \"additionalProperties\": false,"
		" \"properties\": {\"k\": {}}}},"
		"\"definitions\": {\"port\": {\"type\": \"integer\", \"maximum\": 65535}}}",
		NULL,
	};
	struct arena *a = arena_new();
	struct helm_chart *c = chart_dir(a, files);
	REQUIRE(c);
	struct tv *v;
	helm_values_read(a, "u", "name: x\nreplicas: 2\nmode: a\ntag: v1\nport: 80\nany: true\n", 55, &v);
	CHECK_INT(helm_values_validate(a, c, v), 0);
	struct {
		const char *values, *want;
	} cases[] = {
		{ "replicas: 1", "- at '': missing property 'name'" },
		{ "name: x\nreplicas: 0", "- at '/replicas': minimum: got 0, want 1" },
		{ "name: x\nreplicas: many", "- at '/replicas': got string, want integer" },
		{ "name: x\nreplicas: 1.5", "- at '/replicas': got number, want integer" },
		{ "name: x\nmode: c", "- at '/mode': value must be one of 'a', 'b'" },
		{ "name: x\ntag: x1", "- at '/tag': 'x1' does not match pattern '^v[0-9]+$'" },
		{ "name: x\ntag: v123456", "- at '/tag': maxLength: got 7, want 5" },
		{ "name: x\nport: 70000", "- at '/port': maximum: got 70,000, want 65,535" },
		{ "name: x\nany: 1", "- at '/any': anyOf failed\n  - at '/any': got number, want string\n"
				     "  - at '/any': got number, want boolean" },
		{ "name: x\nstrict: {k: 1, z: 2}", "- at '/strict': additional properties 'z' not allowed" },
		{ "replicas: 0", "- at '': missing property 'name'\n- at '/replicas': minimum: got 0, want 1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		helm_values_read(a, "u", cases[i].values, strlen(cases[i].values), &v);
		CHECK_INT(helm_values_validate(a, c, v), ERR_INVALID);
		char *want = xasprintf("values don't meet the specifications of the schema(s) in the "
				       "following chart(s):\nc:\n%s\n", cases[i].want);
		CHECK_STR(err_msg(), want);
		free(want);
	}
	/* a pattern Go refuses fails the chart, as v6 fails to compile the schema */
	static const char *const bad[] = {
		"Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n",
		"values.schema.json", "{\"properties\": {\"a\": {\"pattern\": \"(?=x)\"}}}",
		NULL,
	};
	c = chart_dir(a, bad);
	REQUIRE(c);
	helm_values_read(a, "u", "a: x\n", 5, &v);
	CHECK_INT(helm_values_validate(a, c, v), ERR_INVALID);
	CHECK(strstr(err_msg(), "c:\njsonschema: invalid regex '(?=x)': ") != NULL);
	arena_free(a);
}

/* Every corpus case, values as `helm template` builds them from its args (-f files, then
 * --set-json, --set, --set-string, --set-file, --set-literal, as helm orders them),
 * coalesced and validated: the schema cases fail with their expected lines, every other
 * case passes. */
static const char *CORPUS = "../shared/conformance/helm";

static bool takes_value(const char *f)
{
	static const char *const v[] = { "--api-versions", "--kube-version", "--namespace", "-n",
					 "--show-only", "-s", "--set", "--set-file", "--set-json",
					 "--set-literal", "--set-string", "--values", "-f", NULL };
	for (size_t i = 0; v[i]; i++)
		if (!strcmp(f, v[i]))
			return true;
	return false;
}

static int run_case(const char *layer, const char *name, int *checked)
{
	char *dir = xasprintf("%s/%s/%s", CORPUS, layer, name);
	char *args = fixture_read(dir, "args");
	char *want = fixture_read(dir, "expected-error.txt");
	int bad = 0;
	struct arena *a = arena_new();
	char *chart_path = xasprintf("%s/chart", dir);
	struct helm_chart *c;
	if (!args || helm_chart_load(a, chart_path, NULL, &c))
		goto out; /* chart_test covers load errors */
	const char *lines[256];
	size_t n = 0;
	for (char *p = args; *p && n < 256;) {
		char *e = strchr(p, '\n');
		if (e)
			*e = '\0';
		lines[n++] = p;
		if (!e)
			break;
		p = e + 1;
	}
	struct tv *user = tv_map_new(a);
	bool skip = false;
	static const struct {
		const char *flag;
		enum helm_set_kind kind;
	} order[] = { { "--set-json", HELM_SET_JSON }, { "--set", HELM_SET },
		      { "--set-string", HELM_SET_STRING }, { "--set-file", HELM_SET_FILE },
		      { "--set-literal", HELM_SET_LITERAL } };
	for (size_t i = 1; i < n; i++) {
		if (!strcmp(lines[i], "--skip-schema-validation"))
			skip = true;
		if ((!strcmp(lines[i], "-f") || !strcmp(lines[i], "--values")) && i + 1 < n) {
			char *text = fixture_read(dir, lines[i + 1]);
			struct tv *v;
			if (!text || helm_values_read(a, lines[i + 1], text, strlen(text), &v)) {
				printf("#   %s: -f %s: %s\n", name, lines[i + 1], err_msg());
				bad = 1;
			} else {
				helm_values_merge(a, user, v);
			}
			free(text);
		}
		if (takes_value(lines[i]))
			i++;
	}
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd) || chdir(dir))
		goto out;
	int set_rc = 0;
	for (size_t k = 0; k < 5; k++)
		for (size_t i = 1; i + 1 < n; i++) {
			if (!strcmp(lines[i], order[k].flag) && !set_rc)
				set_rc = helm_values_apply_set(a, user, order[k].kind, lines[i + 1]);
			if (takes_value(lines[i]))
				i++;
		}
	if (chdir(cwd))
		abort();
	if (set_rc) {
		if (!want || !strstr(err_msg(), "failed parsing")) {
			printf("#   %s: %s\n", name, err_msg());
			bad = 1;
		}
		goto out;
	}
	struct tv *vals;
	if (helm_values_coalesce(a, c, user, &vals)) {
		printf("#   %s: coalesce: %s\n", name, err_msg());
		bad = 1;
		goto out;
	}
	(*checked)++;
	int rc = skip ? 0 : helm_values_validate(a, c, vals);
	bool want_schema = want && strstr(want, "values don't meet");
	if (!want_schema && rc) {
		printf("#   %s: unexpected schema failure: %s\n", name, err_msg());
		bad = 1;
	} else if (want_schema && !rc) {
		printf("#   %s: schema validation passed, want an error\n", name);
		bad = 1;
	} else if (want_schema) {
		for (char *p = want; *p;) {
			char *e = strchr(p, '\n');
			if (e)
				*e = '\0';
			if (*p && !strstr(err_msg(), p)) {
				printf("#   %s: missing line [%s] in:\n%s\n", name, p, err_msg());
				bad = 1;
			}
			if (!e)
				break;
			p = e + 1;
		}
	}
out:
	free(chart_path);
	arena_free(a);
	free(args);
	free(want);
	free(dir);
	return bad;
}

TEST(corpus_values_and_schemas)
{
	const char *layers[] = { "cases", "cases-template" };
	int checked = 0, bad = 0;
	for (int l = 0; l < 2; l++) {
		char *dir = xasprintf("%s/%s", CORPUS, layers[l]);
		DIR *d = opendir(dir);
		free(dir);
		if (!d) {
			printf("#   no corpus: skipped\n");
			return;
		}
		struct dirent *de;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				bad += run_case(layers[l], de->d_name, &checked);
		closedir(d);
	}
	printf("#   %d cases coalesced and validated\n", checked);
	CHECK_INT(bad, 0);
	CHECK(checked > 300);
}

int main(void)
{
	RUN(set_table);
	RUN(set_messages);
	RUN(values_files);
	RUN(coalesce_subcharts);
	RUN(schema_messages);
	RUN(corpus_values_and_schemas);
	return test_done();
}
