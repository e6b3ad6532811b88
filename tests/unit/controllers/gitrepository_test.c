/* The GitRepository's typed spec (Flux's api/v1 defaults) and the shared Secret readers
 * (controllers/common/secret: Flux's keys, legacy TLS names, Flux's check messages). */
#include "test.h"

#include <string.h>

#include "controllers/common/fields.h"
#include "controllers/common/secret.h"
#include "controllers/gitrepository/gitrepository.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"

static struct doc_node *parse(struct arena *a, const char *yaml)
{
	struct doc_stream s = { 0 };
	if (doc_parse_yaml(a, "t", yaml, strlen(yaml), NULL, &s) != 0 || s.len != 1)
		return NULL;
	return s.docs[0];
}

static void decode(struct gitrepo *g, struct arena *a, const char *yaml)
{
	memset(g, 0, sizeof(*g));
	g->a = a;
	g->obj = parse(a, yaml);
	gitrepo_spec_decode(g);
}

TEST(spec_defaults)
{
	struct arena *a = arena_new();
	struct gitrepo g;
	decode(&g, a, "spec: {url: 'https://example.com/x', interval: 1m}\n");
	CHECK_STR(g.spec.url, "https://example.com/x");
	CHECK_INT(g.spec.interval_ms, 60000);
	CHECK_INT(g.spec.timeout_ms, 60000);        /* kubebuilder default 60s */
	CHECK(!g.spec.ref.branch && !g.spec.ref.tag && !g.spec.ref.commit); /* the remote's HEAD */
	CHECK_STR(g.spec.provider, "generic");
	CHECK(g.spec.verify_mode == NULL);          /* no spec.verify: nothing verified */
	CHECK(g.spec.secret_ref == NULL && g.spec.proxy_secret_ref == NULL);
	CHECK(!g.spec.recurse_submodules && !g.spec.suspend);
	CHECK_INT(g.spec.ninclude, 0);
	CHECK_INT(g.spec.nsparse, 0);
	arena_free(a);
}

TEST(spec_fields)
{
	struct arena *a = arena_new();
	struct gitrepo g;
	decode(&g, a,
	       "spec:\n"
	       "  url: ssh://git@example.com/x\n"
	       "  interval: 5m\n"
	       "  timeout: 1m30s\n"
	       "  ref: {tag: v1.0.0}\n"
	       "  secretRef: {name: auth}\n"
	       "  proxySecretRef: {name: ''}\n"
	       "  verify: {secretRef: {name: keys}}\n"
	       "  recurseSubmodules: true\n"
	       "  sparseCheckout: [deploy, ./apps/]\n"
	       "  include:\n"
	       "  - repository: {name: lib}\n"
	       "  - repository: {name: other}\n"
	       "    fromPath: sub\n"
	       "    toPath: vendor/other\n"
	       "  ignore: '*.md'\n");
	CHECK_INT(g.spec.timeout_ms, 90000);
	CHECK_STR(g.spec.ref.tag, "v1.0.0");
	CHECK(g.spec.ref.branch == NULL);
	CHECK_STR(g.spec.secret_ref, "auth");
	CHECK(g.spec.proxy_secret_ref == NULL);
	CHECK_STR(g.spec.verify_mode, "HEAD"); /* kubebuilder default */
	CHECK_STR(g.spec.verify_secret_ref, "keys");
	CHECK(g.spec.recurse_submodules);
	REQUIRE(g.spec.nsparse == 2);
	CHECK_STR(g.spec.sparse[1], "./apps/");
	REQUIRE(g.spec.ninclude == 2);
	CHECK_STR(g.spec.include[0].repository, "lib");
	CHECK_STR(g.spec.include[0].from_path, "");
	CHECK_STR(g.spec.include[0].to_path, "lib"); /* toPath defaults to the name */
	CHECK_STR(g.spec.include[1].from_path, "sub");
	CHECK_STR(g.spec.include[1].to_path, "vendor/other");
	REQUIRE(g.spec.ignore != NULL);
	decode(&g, a, "spec: {url: x, timeout: soon, verify: {mode: head}}\n");
	CHECK_INT(g.spec.timeout_ms, 60000); /* malformed: the default, as before */
	CHECK_STR(g.spec.verify_mode, "HEAD"); /* the legacy lower-case mode */
	decode(&g, a, "spec: {url: x, verify: {mode: TagAndHEAD}}\n");
	CHECK_STR(g.spec.verify_mode, "TagAndHEAD");
	arena_free(a);
}

TEST(fields)
{
	struct arena *a = arena_new();
	struct doc_node *o = parse(a, "spec: {a: '', b: x, d: 2h, e: nope, f: true, r: {name: s}}\n");
	CHECK(field_str(o, "spec.a") == NULL);
	CHECK_STR(field_str(o, "spec.b"), "x");
	CHECK_INT(field_duration_ms(o, "spec.d", 1), 7200000);
	CHECK_INT(field_duration_ms(o, "spec.e", 7), 7);
	CHECK_INT(field_duration_ms(o, "spec.missing", 9), 9);
	CHECK(field_bool(o, "spec.f") && !field_bool(o, "spec.b"));
	CHECK_STR(field_local_ref(o, "spec.r"), "s");
	CHECK(field_local_ref(o, "spec.none") == NULL);
	arena_free(a);
}

/* A Secret ns/s; its data follows. */
#define SECRET_HEAD "metadata: {namespace: ns, name: s}\ndata:\n"

TEST(secret_creds_and_checks)
{
	struct arena *a = arena_new();
	struct secret_creds c;
	struct doc_node *s = parse(a, SECRET_HEAD "  username: dXNlcg==\n  password: cGFzcw==\n"
					     "  caFile: Y2E=\n  tls.crt: dGxz\n  identity: aWQ=\n");
	REQUIRE(secret_creds(a, s, &c) == 0);
	CHECK_STR(c.username.ptr, "user");
	CHECK_STR(c.password.ptr, "pass");
	CHECK_STR(c.ca.ptr, "ca"); /* the legacy caFile */
	CHECK_STR(c.cert.ptr, "tls");
	CHECK(c.key.ptr == NULL && c.bearer_token.ptr == NULL && c.docker_config.ptr == NULL);
	CHECK_INT(secret_require_basic_auth(&c), 0);
	CHECK_INT(secret_require_tls(&c), ERR_INVALID);
	CHECK_STR(err_msg(), "secret 'ns/s' contains 'tls.crt' but missing 'tls.key'");
	CHECK_INT(secret_require_ssh(&c), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "secret 'ns/s': key 'known_hosts' not found");
	CHECK_INT(secret_require_bearer_token(&c), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "secret 'ns/s': key 'bearerToken' not found");
	CHECK_INT(secret_require_docker_config(&c), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "secret 'ns/s': key '.dockerconfigjson' not found");
	char *user = c.username.ptr;
	secret_creds_wipe(&c);
	CHECK(user[0] == 0 && user[3] == 0); /* the bytes, not only the pointers */

	s = parse(a, SECRET_HEAD "  password: cGFzcw==\n  ca.crt: Y2E=\n  caFile: a2g=\n");
	REQUIRE(secret_creds(a, s, &c) == 0);
	CHECK_STR(c.ca.ptr, "ca"); /* ca.crt wins over the legacy name */
	CHECK_INT(secret_require_basic_auth(&c), ERR_INVALID);
	CHECK_STR(err_msg(), "secret 'ns/s': malformed basic auth - has 'password' but missing 'username'");
	CHECK_INT(secret_require_tls(&c), 0);
	secret_creds_wipe(&c);

	s = parse(a, SECRET_HEAD "  other: eA==\n");
	REQUIRE(secret_creds(a, s, &c) == 0);
	CHECK_INT(secret_require_basic_auth(&c), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "secret 'ns/s': key 'username' not found");
	CHECK_INT(secret_require_tls(&c), ERR_INVALID);
	CHECK_STR(err_msg(), "secret 'ns/s' must contain either 'ca.crt' or both 'tls.crt' and 'tls.key'");

	s = parse(a, SECRET_HEAD "  identity: '!!!'\n");
	CHECK_INT(secret_creds(a, s, &c), ERR_INVALID);
	CHECK_STR(err_msg(), "invalid base64 in key 'identity'");
	secret_creds_wipe(&c);
	arena_free(a);
}

int main(void)
{
	RUN(spec_defaults);
	RUN(spec_fields);
	RUN(fields);
	RUN(secret_creds_and_checks);
	return test_done();
}
