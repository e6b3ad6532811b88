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
	RUN(in_cluster);
	cleanup();
	return test_done();
}
