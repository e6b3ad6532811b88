/* source/oci_auth: WWW-Authenticate challenges and Docker config matching (k8schain's). */
#include "test.h"

#include <stdlib.h>

#include "source/oci_auth.h"
#include "util/error.h"

static int chal(const char *h, struct oci_challenge *c)
{
	return oci_challenge_parse(c, h, strlen(h));
}

TEST(challenge_bearer)
{
	struct oci_challenge c;
	REQUIRE(chal("Bearer realm=\"https://auth.example/token\",service=\"registry.example\","
		     "scope=\"repository:org/app:pull\"", &c) == 0);
	CHECK_INT(c.scheme, OCI_AUTH_BEARER);
	CHECK_STR(c.realm, "https://auth.example/token");
	CHECK_STR(c.service, "registry.example");
	CHECK_STR(c.scope, "repository:org/app:pull");

	/* case, spaces, tokens, escapes, unknown parameters, a second challenge */
	REQUIRE(chal("BEARER  Realm = \"https://a/t?x=\\\"1\\\"\" , error=invalid_token,"
		     "SERVICE=svc", &c) == 0);
	CHECK_STR(c.realm, "https://a/t?x=\"1\"");
	CHECK_STR(c.service, "svc");
	CHECK_STR(c.scope, "");

	/* Bearer preferred over Basic, wherever it comes */
	REQUIRE(chal("Basic realm=\"r\", Bearer realm=\"https://x/t\",service=s", &c) == 0);
	CHECK_INT(c.scheme, OCI_AUTH_BEARER);
	CHECK_STR(c.realm, "https://x/t");
	REQUIRE(chal("Negotiate abc==, Basic realm=\"Registry Realm\"", &c) == 0);
	CHECK_INT(c.scheme, OCI_AUTH_BASIC);
	CHECK_STR(c.realm, "Registry Realm");
	REQUIRE(chal("Basic", &c) == 0);
	CHECK_INT(c.scheme, OCI_AUTH_BASIC);
	/* two headers joined */
	REQUIRE(chal("Basic realm=a, Bearer realm=\"https://r\",scope=\"repository:a:pull "
		     "repository:b:pull\"", &c) == 0);
	CHECK_STR(c.scope, "repository:a:pull repository:b:pull");
}

TEST(challenge_refused)
{
	struct oci_challenge c;
	CHECK_INT(chal("", &c), ERR_INVALID);
	CHECK_INT(chal("Bearer service=x", &c), ERR_INVALID);
	CHECK(strstr(err_msg(), "without a realm") != NULL);
	CHECK_INT(chal("Bearer realm=\"unterminated", &c), ERR_INVALID);
	CHECK_INT(chal("Bearer realm=", &c), ERR_INVALID);
	CHECK_INT(chal("Bearer realm=\"a\"junk", &c), ERR_INVALID);
	CHECK_INT(chal("Bearer realm=\"a\x01b\"", &c), ERR_INVALID);
	CHECK_INT(chal("Digest realm=\"x\", nonce=\"y\"", &c), ERR_UNSUPPORTED);
	CHECK(strstr(err_msg(), "'Digest'") != NULL);
	CHECK_INT(chal("\"quoted\"", &c), ERR_INVALID);

	/* caps */
	char big[OCI_REALM_MAX + 64];
	int n = snprintf(big, sizeof(big), "Bearer realm=\"");
	memset(big + n, 'a', OCI_REALM_MAX + 1);
	memcpy(big + n + OCI_REALM_MAX + 1, "\"", 2);
	CHECK_INT(chal(big, &c), ERR_TOOBIG);
	char *huge = malloc(OCI_CHALLENGE_MAX + 10);
	memset(huge, ' ', OCI_CHALLENGE_MAX + 9);
	huge[OCI_CHALLENGE_MAX + 9] = '\0';
	CHECK_INT(chal(huge, &c), ERR_TOOBIG);
	free(huge);
}

static const char cfg[] =
	"{\"auths\":{"
	"\"https://index.docker.io/v1/\":{\"auth\":\"ZG9ja2VyOmh1Yg==\"},"
	"\"ghcr.io\":{\"username\":\"gh\",\"password\":\"p1\"},"
	"\"ghcr.io/org/private\":{\"username\":\"priv\",\"password\":\"p2\"},"
	"\"*.example.com\":{\"auth\":\"d2lsZDpjYXJk\"},"
	"\"127.0.0.1:5000\":{\"auth\":\"bG9jYWw6cGFzczp3aXRoOmNvbG9ucw\"},"
	"\"http://plain.test/v2/\":{\"registrytoken\":\"tok\"},"
	"\"empty.test\":{}"
	"}}";

static int look(const char *host, const char *repo, struct oci_creds *c)
{
	return oci_dockerconfig_lookup(c, cfg, strlen(cfg), OCI_DOCKERCONFIGJSON, host, repo);
}

TEST(dockerconfig_match)
{
	struct oci_creds c;
	REQUIRE(look("ghcr.io", "org/app", &c) == 0);
	CHECK_STR(c.username, "gh");
	CHECK_STR(c.password, "p1");
	oci_creds_release(&c);
	/* a longer key wins: the path prefix */
	REQUIRE(look("ghcr.io", "org/private/app", &c) == 0);
	CHECK_STR(c.username, "priv");
	oci_creds_release(&c);
	/* "auth" is base64 of user:password; a password may hold colons; padding optional */
	REQUIRE(look("127.0.0.1:5000", "a", &c) == 0);
	CHECK_STR(c.username, "local");
	CHECK_STR(c.password, "pass:with:colons");
	oci_creds_release(&c);
	/* the port must match */
	CHECK_INT(look("127.0.0.1", "a", &c), ERR_NOTFOUND);
	CHECK_INT(look("127.0.0.1:5001", "a", &c), ERR_NOTFOUND);
	/* globs per host part, with as many parts */
	REQUIRE(look("r.example.com", "x", &c) == 0);
	CHECK_STR(c.username, "wild");
	CHECK_STR(c.password, "card");
	oci_creds_release(&c);
	CHECK_INT(look("a.b.example.com", "x", &c), ERR_NOTFOUND);
	CHECK_INT(look("example.com", "x", &c), ERR_NOTFOUND);
	/* scheme and /v2/ dropped; a registry token */
	REQUIRE(look("plain.test", "x", &c) == 0);
	CHECK_STR(c.registry_token, "tok");
	CHECK(c.username == NULL);
	oci_creds_release(&c);
	REQUIRE(look("index.docker.io", "library/nginx", &c) == 0);
	CHECK_STR(c.username, "docker");
	oci_creds_release(&c);
	/* an entry without credentials: anonymous */
	REQUIRE(look("empty.test", "x", &c) == 0);
	CHECK(c.username == NULL && c.password == NULL && c.registry_token == NULL);
	CHECK_INT(look("other.test", "x", &c), ERR_NOTFOUND);
	/* '*' within one part only; '?' starts a query, as in url.Parse; a malformed glob
	 * matches nothing */
	const char globs[] = "{\"auths\":{\"reg*.test\":{\"username\":\"g\"},"
			     "\"r?.test\":{\"username\":\"q\"},\"[bad.test\":{\"username\":\"b\"}}}";
	REQUIRE(oci_dockerconfig_lookup(&c, globs, strlen(globs), OCI_DOCKERCONFIGJSON, "reg7.test",
					"a") == 0);
	CHECK_STR(c.username, "g");
	oci_creds_release(&c);
	CHECK_INT(oci_dockerconfig_lookup(&c, globs, strlen(globs), OCI_DOCKERCONFIGJSON, "ra.test",
					  "a"), ERR_NOTFOUND);
	CHECK_INT(oci_dockerconfig_lookup(&c, globs, strlen(globs), OCI_DOCKERCONFIGJSON, "[bad.test",
					  "a"), ERR_NOTFOUND);
	/* legacy .dockercfg */
	const char legacy[] = "{\"h.test\":{\"username\":\"u\",\"password\":\"p\"}}";
	REQUIRE(oci_dockerconfig_lookup(&c, legacy, strlen(legacy), OCI_DOCKERCFG, "h.test", "a") == 0);
	CHECK_STR(c.username, "u");
	oci_creds_release(&c);
}

TEST(dockerconfig_refused)
{
	struct oci_creds c;
	const char *bad[] = {
		"not json", "[]", "{\"auths\":[]}", "{\"auths\":{\"h\":[]}}",
		"{\"auths\":{\"h\":{\"username\":1}}}",
		/* base64 of "nocolon" */
		"{\"auths\":{\"other\":{\"auth\":\"bm9jb2xvbg==\"}}}",
		"{\"auths\":{\"h\":{\"auth\":\"!!!\"}}}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = oci_dockerconfig_lookup(&c, bad[i], strlen(bad[i]), OCI_DOCKERCONFIGJSON,
						 "h", "a");
		if (rc != ERR_INVALID)
			printf("#   %s gave %d\n", bad[i], rc);
		CHECK_INT(rc, ERR_INVALID);
	}
	const char secret[] = "{\"auths\":{\"h\":{\"auth\":\"c2VjcmV0LXBhc3N3b3Jk\"x}}}";
	CHECK_INT(oci_dockerconfig_lookup(&c, secret, strlen(secret), OCI_DOCKERCONFIGJSON, "h", "a"),
		  ERR_INVALID);
	CHECK(strstr(err_msg(), "c2VjcmV0") == NULL);
	CHECK_INT(oci_dockerconfig_lookup(&c, "{}", 2, OCI_DOCKERCONFIGJSON, "h", "a"), ERR_NOTFOUND);
}

int main(void)
{
	RUN(challenge_bearer);
	RUN(challenge_refused);
	RUN(dockerconfig_match);
	RUN(dockerconfig_refused);
	return test_done();
}
