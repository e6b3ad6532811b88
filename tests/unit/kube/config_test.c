/* Unit tests for kubeconfig loading: precedence, merging, relative paths, errors,
 * in-cluster configuration. Files are written to a temporary directory. */
#include "test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kube/config.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"

static char tmpdir[256];

static char *path_of(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *text)
{
	char *p = path_of(name);
	for (char *slash = strchr(p + strlen(tmpdir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p, 0755);
		*slash = '/';
	}
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(p);
}

/* "hello" and "world" in base64 */
#define B64_HELLO "aGVsbG8="
#define B64_WORLD "d29ybGQ="

static const char *cfg_a =
	"apiVersion: v1\n"
	"kind: Config\n"
	"current-context: a\n"
	"clusters:\n"
	"- name: c1\n"
	"  cluster:\n"
	"    server: https://a.example:6443/\n"
	"    certificate-authority: certs/ca.pem\n"
	"    tls-server-name: kubernetes\n"
	"- name: shared\n"
	"  cluster: {server: https://from-a:1}\n"
	"users:\n"
	"- name: u1\n"
	"  user:\n"
	"    client-certificate-data: " B64_HELLO "\n"
	"    client-key-data: " B64_WORLD "\n"
	"- name: tok\n"
	"  user: {tokenFile: tokfile}\n"
	"contexts:\n"
	"- name: a\n"
	"  context: {cluster: c1, user: u1, namespace: team-a}\n"
	"- name: shared-ctx\n"
	"  context: {cluster: shared, user: tok}\n";

static const char *cfg_b =
	"current-context: b\n"
	"clusters:\n"
	"- name: shared\n"
	"  cluster: {server: https://from-b:2, insecure-skip-tls-verify: true}\n"
	"- name: c2\n"
	"  cluster: {server: https://b.example, proxy-url: 'http://proxy:3128'}\n"
	"users:\n"
	"- name: u2\n"
	"  user: {token: abc, username: me, password: pw}\n"
	"- name: ex\n"
	"  user:\n"
	"    exec: {command: aws}\n"
	"contexts:\n"
	"- name: b\n"
	"  context: {cluster: c2, user: u2}\n"
	"- name: a\n"
	"  context: {cluster: c2, user: u2}\n"
	"- name: nocluster\n"
	"  context: {cluster: missing, user: u2}\n"
	"- name: nouser\n"
	"  context: {cluster: c2, user: missing}\n"
	"- name: exec\n"
	"  context: {cluster: c2, user: ex}\n";

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tide-kubecfg-XXXXXX");
	if (!mkdtemp(tmpdir))
		abort();
	write_file("one/config", cfg_a);
	write_file("one/certs/ca.pem", "CA PEM\n");
	write_file("one/tokfile", "tok-from-file\n");
	write_file("two/config", cfg_b);
	write_file("bad/config", "clusters: [\n  - {name: x\n");
	write_file("noserver/config",
		   "current-context: x\nclusters: [{name: c, cluster: {}}]\n"
		   "contexts: [{name: x, context: {cluster: c}}]\n");
	write_file("home/.kube/config",
		   "current-context: h\nclusters: [{name: c, cluster: {server: 'https://home'}}]\n"
		   "contexts: [{name: h, context: {cluster: c}}]\n");
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
}

static void set_kubeconfig(const char *a, const char *b)
{
	char *pa = path_of(a);
	char *v = b ? xasprintf("%s:%s/%s", pa, tmpdir, b) : xstrdup(pa);
	setenv("KUBECONFIG", v, 1);
	free(pa);
	free(v);
}

TEST(explicit_file_and_relative_paths)
{
	char *p = path_of("one/config");
	struct kube_config *c = NULL;
	struct kube_config_opts o = { .kubeconfig = p };
	setenv("KUBECONFIG", "/nonexistent", 1);
	int rc = kube_config_load(&c, &o);
	REQUIRE(rc == 0);
	CHECK_STR(c->context, "a");
	CHECK_STR(c->server, "https://a.example:6443");
	CHECK_STR(c->namespace, "team-a");
	CHECK_STR(c->tls_server_name, "kubernetes");
	REQUIRE(c->ca_pem != NULL);
	CHECK_STR(c->ca_pem, "CA PEM\n");
	CHECK_STR(c->cert_pem, "hello");
	CHECK_STR(c->key_pem, "world");
	CHECK_INT(c->key_pem_len, 5);
	kube_config_free(c);
	free(p);
}

TEST(explicit_missing_file)
{
	struct kube_config *c = NULL;
	struct kube_config_opts o = { .kubeconfig = "/nonexistent/kubeconfig" };
	int rc = kube_config_load(&c, &o);
	CHECK_INT(rc, ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "/nonexistent/kubeconfig") != NULL);
}

TEST(merge_first_wins)
{
	set_kubeconfig("one/config", "two/config");
	struct kube_config *c = NULL;
	/* current-context from the first file; context "a" from the first file */
	REQUIRE(kube_config_load(&c, NULL) == 0);
	CHECK_STR(c->context, "a");
	CHECK_STR(c->server, "https://a.example:6443");
	kube_config_free(c);
	/* cluster "shared" defined in both: the first file's wins */
	struct kube_config_opts o = { .context = "shared-ctx" };
	REQUIRE(kube_config_load(&c, &o) == 0);
	CHECK_STR(c->server, "https://from-a:1");
	CHECK(!c->insecure);
	/* tokenFile resolved against the directory of the file that names it */
	char *want = path_of("one/tokfile");
	CHECK_STR(c->token_file, want);
	free(want);
	CHECK_STR(c->namespace, "default");
	kube_config_free(c);
	/* a context only in the second file */
	o.context = "b";
	REQUIRE(kube_config_load(&c, &o) == 0);
	CHECK_STR(c->server, "https://b.example");
	CHECK_STR(c->proxy_url, "http://proxy:3128");
	CHECK_STR(c->token, "abc");
	CHECK_STR(c->username, "me");
	CHECK_STR(c->password, "pw");
	kube_config_free(c);
}

TEST(merge_order_reversed)
{
	set_kubeconfig("two/config", "one/config");
	struct kube_config *c = NULL;
	REQUIRE(kube_config_load(&c, NULL) == 0);
	CHECK_STR(c->context, "b");
	kube_config_free(c);
	struct kube_config_opts o = { .context = "shared-ctx", .namespace = "override" };
	REQUIRE(kube_config_load(&c, &o) == 0);
	CHECK_STR(c->server, "https://from-b:2");
	CHECK(c->insecure);
	CHECK_STR(c->namespace, "override");
	kube_config_free(c);
}

TEST(missing_files_in_list_skipped)
{
	char *v = xasprintf("%s/nope:%s/one/config::%s/one/config", tmpdir, tmpdir, tmpdir);
	setenv("KUBECONFIG", v, 1);
	free(v);
	struct kube_config *c = NULL;
	REQUIRE(kube_config_load(&c, NULL) == 0);
	CHECK_STR(c->context, "a");
	kube_config_free(c);
	setenv("KUBECONFIG", "/nonexistent/a:/nonexistent/b", 1);
	CHECK_INT(kube_config_load(&c, NULL), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "no kubeconfig found") != NULL);
}

TEST(home_default)
{
	unsetenv("KUBECONFIG");
	char *home = path_of("home");
	char *old = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", home, 1);
	struct kube_config *c = NULL;
	REQUIRE(kube_config_load(&c, NULL) == 0);
	CHECK_STR(c->server, "https://home");
	kube_config_free(c);
	if (old)
		setenv("HOME", old, 1);
	free(old);
	free(home);
}

TEST(errors_one_line)
{
	struct kube_config *c = NULL;
	set_kubeconfig("two/config", NULL);
	struct kube_config_opts o = { .context = "nope" };
	CHECK_INT(kube_config_load(&c, &o), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "context \"nope\" not found") != NULL);
	CHECK(strstr(err_msg(), "two/config") != NULL);
	o.context = "nocluster";
	CHECK_INT(kube_config_load(&c, &o), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "cluster \"missing\" not found") != NULL);
	o.context = "nouser";
	CHECK_INT(kube_config_load(&c, &o), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "user \"missing\" not found") != NULL);
	o.context = "exec";
	CHECK_INT(kube_config_load(&c, &o), ERR_UNSUPPORTED);
	CHECK(strstr(err_msg(), "exec") != NULL);
	set_kubeconfig("bad/config", NULL);
	CHECK_INT(kube_config_load(&c, NULL), ERR_INVALID);
	CHECK(strstr(err_msg(), "bad/config") != NULL);
	CHECK(strchr(err_msg(), '\n') == NULL);
	set_kubeconfig("noserver/config", NULL);
	CHECK_INT(kube_config_load(&c, NULL), ERR_INVALID);
	CHECK(strstr(err_msg(), "has no server") != NULL);
	CHECK(strstr(err_msg(), "noserver/config") != NULL);
}

TEST(parse_from_memory)
{
	struct kube_config *c = NULL;
	const char *y = "current-context: x\n"
			"clusters: [{name: c, cluster: {server: 'https://h:1', "
			"certificate-authority-data: '" B64_HELLO "'}}]\n"
			"users: [{name: u, user: {client-certificate: c.pem, client-key-data: x}}]\n"
			"contexts: [{name: x, context: {cluster: c, user: u}}]\n";
	/* client-certificate file missing: an error naming it */
	int rc = kube_config_parse(&c, "mem", "/nonexistent", y, strlen(y), NULL);
	CHECK_INT(rc, ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "/nonexistent/c.pem") != NULL);
	const char *bad64 = "current-context: x\n"
			    "clusters: [{name: c, cluster: {server: 'https://h:1', "
			    "certificate-authority-data: '***'}}]\n"
			    "contexts: [{name: x, context: {cluster: c}}]\n";
	CHECK_INT(kube_config_parse(&c, "mem", NULL, bad64, strlen(bad64), NULL), ERR_INVALID);
	CHECK(strstr(err_msg(), "base64") != NULL);
	const char *empty = "";
	CHECK_INT(kube_config_parse(&c, "mem", NULL, empty, 0, NULL), ERR_INVALID);
	CHECK(strstr(err_msg(), "current-context") != NULL);
	const char *ok = "current-context: x\n"
			 "clusters: [{name: c, cluster: {server: 'h:1', "
			 "certificate-authority-data: '" B64_HELLO "'}}]\n"
			 "contexts: [{name: x, context: {cluster: c}}]\n";
	REQUIRE(kube_config_parse(&c, "mem", NULL, ok, strlen(ok), NULL) == 0);
	CHECK_STR(c->server, "https://h:1");
	CHECK_STR(c->ca_pem, "hello");
	kube_config_free(c);
}

/* ---- KUBE_CONFIG_UNTRUSTED: a tenant's kubeconfig must be self-contained ----------------- */

/* A kubeconfig with one context "x" over cluster c (cluster_extra) and user u (user_spec, a
 * flow mapping's content), and a second user "spare" (spare_spec) no context names. */
static char *untrusted_cfg(const char *cluster_extra, const char *user_spec, const char *spare_spec)
{
	return xasprintf("current-context: x\n"
			 "clusters: [{name: c, cluster: {server: 'https://h:1'%s}}]\n"
			 "users: [{name: u, user: {%s}}, {name: spare, user: {%s}}]\n"
			 "contexts: [{name: x, context: {cluster: c, user: u}}]\n",
			 cluster_extra, user_spec, spare_spec);
}

/* Parses y with flags; on success *out is set and the caller frees it. */
static int parse_flags(struct kube_config **out, const char *y, unsigned flags)
{
	struct kube_config_opts o = { .flags = flags };
	*out = NULL;
	return kube_config_parse(out, "KubeConfig secret ns/kc", tmpdir, y, strlen(y), &o);
}

TEST(untrusted_refuses_file_references)
{
	/* Files that exist and are readable: a trusted load reads them, an untrusted one must
	 * refuse before reading, whatever the path. */
	write_file("host/token", "host-token\n");
	write_file("host/cert.pem", "HOST CERT\n");
	write_file("host/key.pem", "HOST KEY\n");
	write_file("host/ca.pem", "HOST CA\n");
	char *tok = path_of("host/token"), *crt = path_of("host/cert.pem");
	char *key = path_of("host/key.pem"), *ca = path_of("host/ca.pem");
	char *tf = xasprintf("tokenFile: '%s'", tok);
	char *cc = xasprintf("client-certificate: '%s', client-key-data: " B64_WORLD, crt);
	char *ck = xasprintf("client-certificate-data: " B64_HELLO ", client-key: '%s'", key);
	char *cca = xasprintf(", certificate-authority: '%s'", ca);
	const struct {
		const char *cluster_extra, *user, *field, *instead;
	} cases[] = {
		{ "", tf, "tokenFile", "token" },
		{ "", "tokenFile: host/token", "tokenFile", "token" }, /* relative to dir */
		{ "", "tokenFile: /nonexistent/token", "tokenFile", "token" },
		{ "", cc, "client-certificate", "client-certificate-data" },
		{ "", ck, "client-key", "client-key-data" },
		{ cca, "token: t", "certificate-authority", "certificate-authority-data" },
		{ ", certificate-authority: /nonexistent/ca", "token: t", "certificate-authority",
		  "certificate-authority-data" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *y = untrusted_cfg(cases[i].cluster_extra, cases[i].user, "token: s");
		struct kube_config *c = NULL;
		/* the default (the operator's kubeconfig) is unchanged: the files are read (a
		 * tokenFile by the client, when it sends a request) */
		int trusted = parse_flags(&c, y, 0);
		if (strstr(y, "/nonexistent") && strcmp(cases[i].field, "tokenFile"))
			CHECK_INT(trusted, ERR_NOTFOUND);
		else
			CHECK_INT(trusted, 0);
		kube_config_free(c);
		/* ERR_INVALID, not ERR_NOTFOUND for a missing file: refused before any read */
		CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED), ERR_INVALID);
		CHECK(c == NULL);
		char *want = xasprintf("'KubeConfig secret ns/kc': %s \"%s\": %s is not allowed: the kubeconfig "
				       "must be self-contained, with no reference to files on the controller's "
				       "host (use %s)",
				       strcmp(cases[i].field, "certificate-authority") ? "user" : "cluster",
				       strcmp(cases[i].field, "certificate-authority") ? "u" : "c", cases[i].field,
				       cases[i].instead);
		CHECK_STR(err_msg(), want);
		free(want);
		/* the insecure flags do not let file references through */
		CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED | KUBE_CONFIG_INSECURE_TLS |
						      KUBE_CONFIG_INSECURE_EXEC),
			  ERR_INVALID);
		CHECK(strstr(err_msg(), cases[i].field) != NULL);
		free(y);
	}
	free(tf);
	free(cc);
	free(ck);
	free(cca);
	free(tok);
	free(crt);
	free(key);
	free(ca);
}

TEST(untrusted_checks_every_user)
{
	/* A user no context names is refused too: the whole kubeconfig must be self-contained,
	 * and the verdict does not depend on --context. */
	char *y = untrusted_cfg("", "token: t", "tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token");
	struct kube_config *c = NULL;
	CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED), ERR_INVALID);
	CHECK(strstr(err_msg(), "user \"spare\": tokenFile is not allowed") != NULL);
	CHECK(c == NULL);
	free(y);
}

TEST(untrusted_accepts_inline_forms)
{
	char *y = untrusted_cfg(", certificate-authority-data: " B64_HELLO ", tls-server-name: k",
				"client-certificate-data: " B64_HELLO ", client-key-data: " B64_WORLD
				", token: tok, username: me, password: pw",
				"");
	struct kube_config *c = NULL;
	REQUIRE(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED) == 0);
	CHECK_STR(c->server, "https://h:1");
	CHECK_STR(c->ca_pem, "hello");
	CHECK_STR(c->cert_pem, "hello");
	CHECK_STR(c->key_pem, "world");
	CHECK_STR(c->token, "tok");
	CHECK(c->token_file == NULL);
	CHECK_STR(c->username, "me");
	CHECK(!c->insecure);
	kube_config_free(c);
	free(y);
	/* empty or null file fields name nothing and read nothing: not refused */
	y = untrusted_cfg(", certificate-authority: ''", "token: t, tokenFile: '', client-key: null, exec: null", "");
	REQUIRE(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED) == 0);
	CHECK(c->token_file == NULL);
	CHECK(c->ca_pem == NULL);
	kube_config_free(c);
	free(y);
	/* a bare host:port is https, as kubectl reads it */
	const char *bare = "current-context: x\nclusters: [{name: c, cluster: {server: 'h:2'}}]\n"
			   "contexts: [{name: x, context: {cluster: c}}]\n";
	REQUIRE(parse_flags(&c, bare, KUBE_CONFIG_UNTRUSTED) == 0);
	CHECK_STR(c->server, "https://h:2");
	kube_config_free(c);
}

TEST(untrusted_plugins)
{
	const struct {
		const char *user, *key, *why;
	} cases[] = {
		{ "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, id]}", "exec",
		  "run a program on the controller's host" },
		{ "auth-provider: {name: gcp}", "auth-provider", "use the controller's host credentials" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *y = untrusted_cfg("", cases[i].user, "");
		struct kube_config *c = NULL;
		CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED), ERR_INVALID);
		char *want = xasprintf("'KubeConfig secret ns/kc': user \"u\": %s is not allowed: it would %s "
				       "(and tide does not support %s credential plugins)",
				       cases[i].key, cases[i].why, cases[i].key);
		CHECK_STR(err_msg(), want);
		free(want);
		/* --insecure-kubeconfig-exec: allowed as far as Flux goes, but tide has no plugins */
		CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED | KUBE_CONFIG_INSECURE_EXEC), ERR_UNSUPPORTED);
		want = xasprintf("'KubeConfig secret ns/kc': user \"u\": %s credential plugins are not supported "
				 "by tide", cases[i].key);
		CHECK_STR(err_msg(), want);
		free(want);
		CHECK(c == NULL);
		/* --insecure-kubeconfig-tls is not the flag for plugins */
		CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED | KUBE_CONFIG_INSECURE_TLS), ERR_INVALID);
		free(y);
	}
}

TEST(untrusted_tls)
{
	struct kube_config *c = NULL;
	char *y = untrusted_cfg(", insecure-skip-tls-verify: true", "token: t", "");
	CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED), ERR_INVALID);
	CHECK_STR(err_msg(), "'KubeConfig secret ns/kc': cluster \"c\": insecure-skip-tls-verify is not allowed "
			     "without --insecure-kubeconfig-tls");
	CHECK_INT(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED | KUBE_CONFIG_INSECURE_EXEC), ERR_INVALID);
	REQUIRE(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED | KUBE_CONFIG_INSECURE_TLS) == 0);
	CHECK(c->insecure);
	kube_config_free(c);
	free(y);
	y = untrusted_cfg(", insecure-skip-tls-verify: false", "token: t", "");
	REQUIRE(parse_flags(&c, y, KUBE_CONFIG_UNTRUSTED) == 0);
	CHECK(!c->insecure);
	kube_config_free(c);
	free(y);
	/* plain HTTP sends the credentials in clear text: refused the same way */
	const char *schemes[] = { "http://h:1", "HTTP://user:pw-in-url@h:1/" };
	for (size_t i = 0; i < 2; i++) {
		char *h = xasprintf("current-context: x\nclusters: [{name: c, cluster: {server: '%s'}}]\n"
				    "users: [{name: u, user: {token: t}}]\n"
				    "contexts: [{name: x, context: {cluster: c, user: u}}]\n", schemes[i]);
		CHECK_INT(parse_flags(&c, h, KUBE_CONFIG_UNTRUSTED), ERR_INVALID);
		CHECK_STR(err_msg(), "'KubeConfig secret ns/kc': cluster \"c\": an http:// server is not allowed: "
				     "plain HTTP needs --insecure-kubeconfig-tls");
		CHECK(strstr(err_msg(), "pw-in-url") == NULL); /* a password in the URL is not repeated */
		CHECK(c == NULL);
		REQUIRE(parse_flags(&c, h, KUBE_CONFIG_UNTRUSTED | KUBE_CONFIG_INSECURE_TLS) == 0);
		CHECK_STR(c->token, "t");
		kube_config_free(c);
		/* the operator's kubeconfig may use http:// as before */
		REQUIRE(parse_flags(&c, h, 0) == 0);
		kube_config_free(c);
		free(h);
	}
}

TEST(untrusted_load)
{
	/* kube_config_load takes the same flag: the same checks over the merged files */
	set_kubeconfig("one/config", "two/config");
	struct kube_config *c = NULL;
	struct kube_config_opts o = { .context = "b", .flags = KUBE_CONFIG_UNTRUSTED };
	CHECK_INT(kube_config_load(&c, &o), ERR_INVALID);
	CHECK(strstr(err_msg(), "certificate-authority is not allowed") != NULL);
	CHECK(c == NULL);
	/* and never falls back to the in-cluster configuration (the controller's own token) */
	write_file("sa2/token", "sa-token\n");
	write_file("sa2/ca.crt", "SA CA\n");
	setenv("KUBECONFIG", "/nonexistent/kubeconfig", 1);
	setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	o.context = NULL;
	CHECK_INT(kube_config_load(&c, &o), ERR_NOTFOUND);
	CHECK(strstr(err_msg(), "no kubeconfig found") != NULL);
	CHECK(c == NULL);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
}

TEST(in_cluster)
{
	struct kube_config *c = NULL;
	CHECK_INT(kube_config_in_cluster(&c, NULL), ERR_NOTFOUND);
	write_file("sa/token", "sa-token\n");
	write_file("sa/ca.crt", "SA CA\n");
	write_file("sa/namespace", "flux-system\n");
	char *sa = path_of("sa");
	setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	REQUIRE(kube_config_in_cluster(&c, sa) == 0);
	CHECK_STR(c->server, "https://10.0.0.1:443");
	CHECK_STR(c->namespace, "flux-system");
	CHECK_STR(c->ca_pem, "SA CA\n");
	char *tok = path_of("sa/token");
	CHECK_STR(c->token_file, tok);
	free(tok);
	kube_config_free(c);
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	REQUIRE(kube_config_in_cluster(&c, sa) == 0);
	CHECK_STR(c->server, "https://[fd00::1]:443");
	kube_config_free(c);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	free(sa);
}

static void cleanup(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cleanup failed\n");
	free(cmd);
}

int main(void)
{
	setup();
	RUN(explicit_file_and_relative_paths);
	RUN(explicit_missing_file);
	RUN(merge_first_wins);
	RUN(merge_order_reversed);
	RUN(missing_files_in_list_skipped);
	RUN(home_default);
	RUN(errors_one_line);
	RUN(parse_from_memory);
	RUN(untrusted_refuses_file_references);
	RUN(untrusted_checks_every_user);
	RUN(untrusted_accepts_inline_forms);
	RUN(untrusted_plugins);
	RUN(untrusted_tls);
	RUN(untrusted_load);
	RUN(in_cluster);
	cleanup();
	return test_done();
}
