/* source/oci_ref: oci:// references by the distribution reference grammar. */
#include "test.h"

#include "source/oci_ref.h"
#include "util/buf.h"
#include "util/error.h"

#define D64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static int parse(const char *s, struct oci_ref *r)
{
	return oci_ref_parse(r, s);
}

TEST(valid)
{
	struct oci_ref r;
	REQUIRE(parse("oci://ghcr.io/org/app", &r) == 0);
	CHECK_STR(r.host, "ghcr.io");
	CHECK_STR(r.repo, "org/app");
	CHECK_STR(r.tag, "");
	CHECK_STR(r.digest, "");

	REQUIRE(parse("oci://127.0.0.1:5000/a/b/c:v1.2.3-rc.1_x", &r) == 0);
	CHECK_STR(r.host, "127.0.0.1:5000");
	CHECK_STR(r.repo, "a/b/c");
	CHECK_STR(r.tag, "v1.2.3-rc.1_x");

	REQUIRE(parse("oci://[::1]:5000/app@sha256:" D64, &r) == 0);
	CHECK_STR(r.host, "[::1]:5000");
	CHECK_STR(r.repo, "app");
	CHECK_STR(r.digest, "sha256:" D64);

	REQUIRE(parse("oci://Registry.Example-1.com/x/y:latest@sha256:" D64, &r) == 0);
	CHECK_STR(r.host, "Registry.Example-1.com"); /* case kept */
	CHECK_STR(r.tag, "latest");
	CHECK_STR(r.digest, "sha256:" D64);

	/* separators: . _ __ and runs of - */
	REQUIRE(parse("oci://h/a.b_c__d---e/f", &r) == 0);
	CHECK_STR(r.repo, "a.b_c__d---e/f");
	/* no Docker Hub defaults: the first element is the host */
	REQUIRE(parse("oci://library/nginx", &r) == 0);
	CHECK_STR(r.host, "library");
	CHECK_STR(r.repo, "nginx");
	REQUIRE(parse("oci://localhost/app:_x", &r) == 0);
	CHECK_STR(r.tag, "_x");

	struct buf b = BUF_INIT;
	REQUIRE(parse("oci://h:1/a/b:t@sha256:" D64, &r) == 0);
	oci_ref_format(&b, &r);
	CHECK_STR(b.ptr, "h:1/a/b:t@sha256:" D64);
	buf_release(&b);
}

TEST(invalid)
{
	struct oci_ref r;
	CHECK_INT(parse("ghcr.io/org/app", &r), ERR_INVALID);
	CHECK(strstr(err_msg(), "oci://<domain>/<org>/<repo>") != NULL);
	CHECK_INT(parse("https://ghcr.io/org/app", &r), ERR_INVALID);
	CHECK_INT(parse("oci://nginx", &r), ERR_INVALID);
	CHECK_INT(parse("oci://ghcr.io/", &r), ERR_INVALID);
	CHECK_INT(parse("oci:///app", &r), ERR_INVALID);
	CHECK_INT(parse("oci://ghcr.io/Org/app", &r), ERR_INVALID);
	CHECK(strstr(err_msg(), "must be lowercase") != NULL);
	const char *bad[] = {
		"oci://-h/app", "oci://h-/app", "oci://h..x/app", "oci://h_x/app", "oci://h:/app",
		"oci://h:0/app", "oci://h:65536/app", "oci://h:12a/app", "oci://[]/app",
		"oci://[::g]/app", "oci://[::1/app", "oci://h/a//b", "oci://h/a/", "oci://h/.a",
		"oci://h/a.", "oci://h/a..b", "oci://h/a___b", "oci://h/a_-b", "oci://h/a:",
		"oci://h/a:-x", "oci://h/a:.x", "oci://h/a:x/y", "oci://h/a:x:y", "oci://h/a@",
		"oci://h/a@sha256:abc", "oci://h/a@sha256:" D64 "0",
		"oci://h/a@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
		"oci://h/a@:" D64, "oci://h/a b", "oci://h/a\n", "oci://h/a@sha256:" D64 "@x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i], &r);
		if (rc != ERR_INVALID)
			printf("#   '%s' gave %d\n", bad[i], rc);
		CHECK_INT(rc, ERR_INVALID);
	}
	CHECK_INT(parse("oci://h/a@sha512:" D64 D64, &r), ERR_UNSUPPORTED);
	CHECK(strstr(err_msg(), "unsupported digest algorithm 'sha512'") != NULL);
}

TEST(caps)
{
	struct oci_ref r;
	char s[1200];
	/* a repository of 255 bytes is fine, 256 is not */
	int n = snprintf(s, sizeof(s), "oci://h/");
	for (int i = 0; i < 255; i++)
		s[n++] = 'a';
	s[n] = '\0';
	CHECK_INT(parse(s, &r), 0);
	s[n++] = 'a';
	s[n] = '\0';
	CHECK_INT(parse(s, &r), ERR_TOOBIG);
	/* a tag of 128 bytes is fine, 129 is not */
	n = snprintf(s, sizeof(s), "oci://h/a:");
	for (int i = 0; i < 128; i++)
		s[n++] = 't';
	s[n] = '\0';
	CHECK_INT(parse(s, &r), 0);
	s[n++] = 't';
	s[n] = '\0';
	CHECK_INT(parse(s, &r), ERR_TOOBIG);
	/* the whole reference */
	memset(s, 'a', sizeof(s) - 1);
	memcpy(s, "oci://h/", 8);
	s[sizeof(s) - 1] = '\0';
	CHECK_INT(parse(s, &r), ERR_TOOBIG);
}

TEST(validators)
{
	CHECK(oci_tag_valid("v1.0.0"));
	CHECK(oci_tag_valid("A_b-c.D"));
	CHECK(!oci_tag_valid(""));
	CHECK(!oci_tag_valid("-x"));
	CHECK(!oci_tag_valid("a/b"));
	CHECK(oci_digest_valid("sha256:" D64));
	CHECK(!oci_digest_valid("sha256:" D64 "a"));
	CHECK(!oci_digest_valid("sha512:" D64));
	CHECK(oci_repo_valid("a/b-c/d_e"));
	CHECK(!oci_repo_valid("a/B"));
	CHECK(oci_host_valid("localhost:5000"));
	CHECK(oci_host_valid("[fe80::1]"));
	CHECK(!oci_host_valid("a b"));
	CHECK_INT(oci_digest_check("x", "sha256:" D64, 71), 0);
	CHECK_INT(oci_digest_check("x", "md5:" D64, 68), ERR_UNSUPPORTED);
	CHECK_INT(oci_digest_check("x", "sha256+b64:" D64, 75), ERR_UNSUPPORTED);
	CHECK_INT(oci_digest_check("x", "sha256+:" D64, 72), ERR_INVALID);
	CHECK_INT(oci_digest_check("x", "1sha:" D64, 69), ERR_INVALID);
	CHECK_INT(oci_digest_check("x", "sha256:\0" D64, 72), ERR_INVALID);
}

int main(void)
{
	RUN(valid);
	RUN(invalid);
	RUN(caps);
	RUN(validators);
	return test_done();
}
