/* The Helm renderer (src/helm/render.h) and its objects: manifests split as releaseutil
 * splits them, helm template's output (hooks, tests, --show-only), and small charts in a
 * temporary directory rendered whole: order, scopes, .Release/.Chart/.Capabilities/.Files,
 * subcharts and globals, NOTES.txt, kind order, CRDs, and helm's error wording. */
#include "test.h"
#include "fixture.h"

#include "helm/chart.h"
#include "helm/render.h"
#include "helm/render_int.h"
#include "template/template_int.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

static const char *join_docs(struct arena *a, const char *text)
{
	const char **docs;
	size_t n = helm_split_manifests(a, text, strlen(text), &docs);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_addf(&b, "[%s]", docs[i]);
	const char *s = arena_strdup(a, b.ptr ? b.ptr : "");
	buf_release(&b);
	return s;
}

TEST(split_manifests)
{
	struct arena *a = arena_new();
	CHECK_STR(join_docs(a, "a: 1\n---\nb: 2\n"), "[a: 1][b: 2]");
	CHECK_STR(join_docs(a, "---\na: 1\n---   \n\n---\nb: 2"), "[a: 1][---\nb: 2]"); /* as Go splits it */
	CHECK_STR(join_docs(a, "\n\n  a: 1  \n\n"), "[a: 1]");
	CHECK_STR(join_docs(a, "# only a comment\n"), "[# only a comment]");
	CHECK_STR(join_docs(a, "a: |\n  x---y\n---b: 1"), "[a: |\n  x---y][b: 1]");
	CHECK_STR(join_docs(a, "   \n"), "");
	arena_free(a);
}

TEST(template_output_hooks_and_show_only)
{
	struct arena *a = arena_new();
	struct helm_hook hooks[] = {
		{ "c/templates/job.yaml", "kind: Job", "Job", "j", 0, false },
		{ "c/templates/test.yaml", "kind: Pod", "Pod", "t", 0, true },
	};
	struct helm_manifest_part parts[] = { { "c/templates/cm.yaml", "kind: ConfigMap", 15 } };
	struct helm_release_render r = { parts, 1, 0, hooks, 2, "", false };
	CHECK_STR(helm_release_manifest(a, &r), "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n");
	struct helm_template_options o = { 0 };
	struct buf out = BUF_INIT;
	CHECK_INT(helm_template_output(a, &r, &o, &out), 0);
	CHECK_STR(out.ptr, "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n"
			   "---\n# Source: c/templates/job.yaml\nkind: Job\n"
			   "---\n# Source: c/templates/test.yaml\nkind: Pod\n");
	buf_reset(&out);
	o.skip_tests = true;
	CHECK_INT(helm_template_output(a, &r, &o, &out), 0);
	CHECK(!strstr(out.ptr, "test.yaml"));
	buf_reset(&out);
	o.no_hooks = true;
	CHECK_INT(helm_template_output(a, &r, &o, &out), 0);
	CHECK_STR(out.ptr, "---\n# Source: c/templates/cm.yaml\nkind: ConfigMap\n");
	buf_reset(&out);
	const char *only[] = { "templates/j*.yaml" };
	struct helm_template_options so = { .show_only = only, .nshow_only = 1 };
	CHECK_INT(helm_template_output(a, &r, &so, &out), 0);
	CHECK_STR(out.ptr, "---\n# Source: c/templates/job.yaml\nkind: Job\n");
	buf_reset(&out);
	const char *nope[] = { "templates/nope.yaml" };
	so.show_only = nope;
	CHECK_INT(helm_template_output(a, &r, &so, &out), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "could not find template templates/nope.yaml in chart");
	/* whitespace is trimmed off the manifest as a whole, even when it spans parts */
	struct helm_manifest_part blank[] = { { "c/crds/a.yaml", "\n kind: A\n\n", 11 },
					      { "c/crds/b.yaml", " \n", 2 } };
	struct helm_release_render rb = { blank, 2, 0, NULL, 0, "", false };
	buf_reset(&out);
	CHECK_INT(helm_template_output(a, &rb, &o, &out), 0);
	CHECK_STR(out.ptr, "---\n# Source: c/crds/a.yaml\n\n kind: A\n\n\n---\n# Source: c/crds/b.yaml\n");
	struct helm_release_render none = { NULL, 0, 0, NULL, 0, "", false };
	buf_reset(&out);
	CHECK_INT(helm_template_output(a, &none, &o, &out), 0);
	CHECK_STR(out.ptr, "\n");
	buf_release(&out);
	arena_free(a);
}

TEST(kube_versions)
{
	CHECK_INT(helm_check_kube_version("1.33.0"), 0);
	CHECK_INT(helm_check_kube_version("v1.28.5-gke.1200"), 0);
	CHECK_INT(helm_check_kube_version("notaversion"), ERR_INVALID);
	CHECK(!strncmp(err_msg(), "invalid kube version 'notaversion'", 34));
	struct arena *a = arena_new();
	struct helm_caps_options co = { "1.29", NULL, 0 };
	struct tv *caps;
	REQUIRE(helm_capabilities_object(a, &co, &caps) == 0);
	CHECK_STR(helm_capabilities_kube_version(caps), "v1.29");
	CHECK_STR(helm_capabilities_kube_git_version(caps), "v1.29");
	arena_free(a);
}

/* Calls a method of an object as a template would ({{ .Files.Get "x" }}). */
static struct tv *call(struct texec *x, const struct tv *obj, const char *name,
		       struct tv *const *args, size_t nargs)
{
	struct tv *out = NULL;
	int rc = obj->u.obj.ops->member(x, obj, name, args, nargs, nargs > 0, &out);
	return rc == 1 ? out : NULL;
}

TEST(files_object)
{
	struct arena *a = arena_new();
	struct helm_file files[] = {
		{ "files/a.conf", "x=1\ny=2\n", 8 },
		{ "files/b.txt", "hello", 5 },
		{ "files/sub/c.conf", "", 0 },
		{ "other.yaml", "k: v", 4 },
	};
	struct helm_chart c = { 0 };
	c.files = files;
	c.nfiles = 4;
	struct tv *f = helm_files_object(a, &c);
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *arg = tv_str(a, "files/b.txt");
	struct tv *v = call(&x, f, "Get", &arg, 1);
	REQUIRE(v && v->kind == TV_STRING);
	CHECK_STR(v->u.s.ptr, "hello");
	arg = tv_str(a, "missing");
	v = call(&x, f, "Get", &arg, 1);
	REQUIRE(v);
	CHECK_INT(v->u.s.len, 0);
	v = call(&x, f, "GetBytes", &arg, 1);
	REQUIRE(v && v->kind == TV_BYTES);
	arg = tv_str(a, "files/a.conf");
	v = call(&x, f, "Lines", &arg, 1);
	REQUIRE(v && v->kind == TV_LIST);
	CHECK_INT(v->u.list.len, 2);
	CHECK_STR(v->u.list.items[1]->u.s.ptr, "y=2");
	arg = tv_str(a, "files/sub/c.conf");
	CHECK(call(&x, f, "Lines", &arg, 1) == NULL);
	CHECK_STR(texec_message(&x), "runtime error: index out of range [-1]");
	arg = tv_str(a, "files/*.conf");
	v = call(&x, f, "Glob", &arg, 1);
	REQUIRE(v && v->kind == TV_OBJECT);
	struct tv *m = v->u.obj.ops->to_data(&x, v);
	CHECK_INT(m->u.map.len, 1);
	CHECK(tv_map_get(m, "files/a.conf") != NULL);
	arg = tv_str(a, "files/**");
	v = call(&x, f, "Glob", &arg, 1);
	CHECK_INT(v->u.obj.ops->to_data(&x, v)->u.map.len, 3);
	arg = tv_str(a, "{files/b.txt,other.yaml}");
	v = call(&x, f, "Glob", &arg, 1);
	CHECK_INT(v->u.obj.ops->to_data(&x, v)->u.map.len, 2);
	arg = tv_str(a, "files/[ab].*");
	v = call(&x, f, "Glob", &arg, 1);
	CHECK_INT(v->u.obj.ops->to_data(&x, v)->u.map.len, 2);
	arg = tv_str(a, "[unclosed");
	v = call(&x, f, "Glob", &arg, 1); /* an invalid pattern is "**" */
	CHECK_INT(v->u.obj.ops->to_data(&x, v)->u.map.len, 4);
	arg = tv_int(a, 3);
	CHECK(call(&x, f, "Get", &arg, 1) == NULL);
	CHECK_STR(texec_message(&x), "wrong type for value; expected string; got int");
	texec_release(&x);
	arena_free(a);
}

TEST(chart_map)
{
	struct arena *a = arena_new();
	struct helm_chart c = { 0 };
	c.metadata.name = "c";
	c.metadata.version = "0.1.0";
	c.metadata.api_version = "v2";
	struct tv *m = helm_chart_map(a, &c);
	CHECK_STR(tv_map_get(m, "Name")->u.s.ptr, "c");
	CHECK(tv_map_get(m, "name") == NULL);
	CHECK(tv_map_get(m, "IsRoot")->u.b);
	CHECK(tv_map_get(m, "Annotations")->kind == TV_OBJECT);
	CHECK_INT(tv_map_get(m, "Keywords")->u.list.len, 0);
	arena_free(a);
}

/* ---- Whole charts (need the template engine) ---------------------------------------- */

static char *chart_dir;

static int render(const char *name, const char *kube, struct buf *out)
{
	struct arena *a = arena_new();
	struct helm_chart *c;
	int rc = helm_chart_load(a, chart_dir, NULL, &c);
	if (!rc) {
		struct helm_render_options o = { .release_name = name, .namespace = "ns",
						 .kube_version = kube };
		struct helm_release_render r;
		rc = helm_render_release(a, c, NULL, &o, &r);
		struct helm_template_options to = { 0 };
		if (!rc)
			rc = helm_template_output(a, &r, &to, out);
	}
	arena_free(a);
	return rc;
}

static void new_chart(void)
{
	if (chart_dir)
		fixture_rmdir(chart_dir);
	chart_dir = fixture_tmpdir("render");
	fixture_write(chart_dir, "Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
}

TEST(renders_chart_in_helm_order)
{
	new_chart();
	fixture_write(chart_dir, "values.yaml", "who: world\nglobal:\n  g: 1\nsub:\n  x: sx\n");
	fixture_write(chart_dir, "templates/b.yaml",
		      "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.who }}\n");
	fixture_write(chart_dir, "templates/a.yaml",
		      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}\n"
		      "data:\n  ns: {{ .Release.Namespace }}\n  kube: {{ .Capabilities.KubeVersion.Version }}\n"
		      "  tpl: {{ .Template.Name }}\n  missing: \"{{ .Values.nope }}\"\n");
	fixture_write(chart_dir, "templates/_helpers.tpl", "{{ define \"x\" }}parent{{ end }}");
	fixture_write(chart_dir, "templates/NOTES.txt", "notes {{ .Release.Name }}");
	fixture_write(chart_dir, "templates/hook.yaml",
		      "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: h\n  annotations:\n"
		      "    helm.sh/hook: pre-install\n");
	fixture_write(chart_dir, "charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.0.0\n");
	fixture_write(chart_dir, "charts/sub/templates/s.yaml",
		      "kind: Secret\nx: {{ .Values.x }}\ng: {{ .Values.global.g }}\ninc: {{ include \"x\" . }}\n");
	struct buf out = BUF_INIT;
	int rc = render("rel", "1.30.0", &out);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK_STR(out.ptr,
		  "---\n# Source: c/charts/sub/templates/s.yaml\nkind: Secret\nx: sx\ng: 1\ninc: parent\n"
		  "---\n# Source: c/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
		  "data:\n  ns: ns\n  kube: v1.30.0\n  tpl: c/templates/a.yaml\n  missing: \"\"\n"
		  "---\n# Source: c/templates/b.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: rel-world\n"
		  "---\n# Source: c/templates/hook.yaml\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: h\n"
		  "  annotations:\n    helm.sh/hook: pre-install\n");
	buf_release(&out);
}

TEST(errors_as_helm_words_them)
{
	struct buf out = BUF_INIT;
	new_chart();
	fixture_write(chart_dir, "templates/t.yaml", "a: {{ fail \"boom\" }}\n");
	CHECK_INT(render("r", NULL, &out), ERR_INVALID);
	CHECK_STR(err_msg(), "execution error at (c/templates/t.yaml:1:6): boom");
	new_chart();
	fixture_write(chart_dir, "templates/t.yaml", "a: {{ if }}\n");
	CHECK_INT(render("r", NULL, &out), ERR_INVALID);
	CHECK_STR(err_msg(), "parse error at (c/templates/t.yaml:1): missing value for if");
	new_chart();
	fixture_write(chart_dir, "templates/t.yaml", "a: {{ .Values.x.y }}\n");
	CHECK_INT(render("r", NULL, &out), ERR_INVALID);
	CHECK_STR(err_msg(), "c/templates/t.yaml:1:13\n  executing \"c/templates/t.yaml\" at <.Values.x.y>:\n"
			     "    nil pointer evaluating interface {}.y");
	new_chart();
	fixture_write(chart_dir, "templates/t.yaml", "a: b\n");
	CHECK_INT(render("Bad_Name", NULL, &out), ERR_INVALID);
	CHECK(!strncmp(err_msg(), "release name \"Bad_Name\": invalid release name", 45));
	new_chart();
	fixture_write(chart_dir, "Chart.yaml",
		      "apiVersion: v2\nname: c\nversion: 0.1.0\nkubeVersion: \">= 1.22.0-0\"\n");
	CHECK_INT(render("r", "1.21.0", &out), ERR_INVALID);
	CHECK_STR(err_msg(), "chart requires kubeVersion: >= 1.22.0-0 which is incompatible with Kubernetes v1.21.0");
	buf_release(&out);
}

int main(void)
{
	RUN(split_manifests);
	RUN(template_output_hooks_and_show_only);
	RUN(kube_versions);
	RUN(files_object);
	RUN(chart_map);
	RUN(renders_chart_in_helm_order);
	RUN(errors_as_helm_words_them);
	if (chart_dir)
		fixture_rmdir(chart_dir);
	return test_done();
}
