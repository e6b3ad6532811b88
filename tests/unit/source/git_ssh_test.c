/* Library-level Git fetches over SSH against OpenSSH's sshd on loopback. The server is
 * started by tests/e2e/source-ssh/git-ssh.sh (test/git/ssh-start DIR), which passes DIR in
 * TIDE_TEST_SSH_DIR; without it the program skips, so the plain unit run needs no sshd.
 * Run from the repository root. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source/git.h"
#include "util/error.h"

static const char *dir;
static char user[64], port[16], known[1024], identity[8192], head[64];
static char url[1024], scp_url[1024], cache[1024];
static int ncache;

static int run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		printf("# command failed: %s\n", cmd);
	return rc;
}

/* Reads a whole (small) file into out; 0 on success. */
static int slurp(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t got = fread(out, 1, n - 1, f);
	out[got] = '\0';
	fclose(f);
	return 0;
}

/* Value of NAME=value (quotes stripped) in DIR/env. */
static int env_value(const char *name, char *out, size_t n)
{
	char path[1024], text[4096];
	snprintf(path, sizeof(path), "%s/env", dir);
	if (slurp(path, text, sizeof(text)) != 0)
		return -1;
	size_t nl = strlen(name);
	for (char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (!strncmp(l, name, nl) && l[nl] == '=') {
			char *v = l + nl + 1;
			size_t len = strcspn(v, "\n");
			if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
				v++;
				len -= 2;
			}
			snprintf(out, n, "%.*s", (int)len, v);
			return 0;
		}
	}
	return -1;
}

static const char *fresh_cache(void)
{
	snprintf(cache, sizeof(cache), "%s/cache%d", dir, ncache++);
	return cache;
}

/* Runs a shell command and reads its output file back. */
static int key_from(const char *cmd, const char *file, char *out, size_t n)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return run(cmd) || slurp(path, out, n);
}

TEST(ssh_url_fetch_and_unchanged_ref)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_auth auth = {.identity = identity, .known_hosts = known};
	struct gitsrc_fetch_result r;
	const char *c = fresh_cache();
	if (gitsrc_fetch(url, c, &ref, &auth, &r) != 0)
		printf("# %s\n", err_msg());
	REQUIRE(gitsrc_fetch(url, c, &ref, &auth, &r) == 0);
	CHECK_STR(r.commit, head);
	CHECK_STR(r.ref, "main");
	/* the second fetch lists refs once and downloads nothing */
	REQUIRE(gitsrc_fetch(url, c, &ref, &auth, &r) == 0);
	CHECK_INT(r.downloaded, 0);
	CHECK_STR(r.commit, head);
	char dest[1100], cmd[2300];
	snprintf(dest, sizeof(dest), "%s/out", dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s", dest, dest);
	REQUIRE(run(cmd) == 0);
	REQUIRE(gitsrc_checkout(c, r.commit, dest) == 0);
	snprintf(cmd, sizeof(cmd), "grep -qx hello %s/README", dest);
	CHECK(run(cmd) == 0);
}

TEST(first_fetch_downloads)
{
	struct gitsrc_ref_spec ref = {.tag = "v1.0.0"};
	struct gitsrc_auth auth = {.identity = identity, .known_hosts = known};
	struct gitsrc_fetch_result r;
	const char *c = fresh_cache();
	int rc = gitsrc_fetch(url, c, &ref, &auth, &r);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK_INT(r.downloaded, 1);
	CHECK_STR(r.commit, head);
	CHECK_STR(r.ref, "v1.0.0");
}

TEST(scp_like_url)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_auth auth = {.identity = identity, .known_hosts = known};
	struct gitsrc_fetch_result r;
	int rc = gitsrc_fetch(scp_url, fresh_cache(), &ref, &auth, &r);
	if (rc)
		printf("# %s\n", err_msg());
	REQUIRE(rc == 0);
	CHECK_STR(r.commit, head);
	CHECK_INT(r.downloaded, 1);
}

TEST(wrong_key_is_an_auth_error)
{
	char other[8192], cmd[2048];
	snprintf(cmd, sizeof(cmd), "ssh-keygen -q -t ed25519 -N '' -f %s/other_key", dir);
	REQUIRE(key_from(cmd, "other_key", other, sizeof(other)) == 0);
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_auth auth = {.identity = other, .known_hosts = known};
	struct gitsrc_fetch_result r;
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &auth, &r), ERR_AUTH);
	printf("# %s\n", err_msg());
	/* no line of the key in the message */
	char *line2 = strchr(other, '\n');
	REQUIRE(line2 != NULL);
	char frag[24];
	snprintf(frag, sizeof(frag), "%.20s", line2 + 1);
	CHECK(strstr(err_msg(), frag) == NULL);
	CHECK(strstr(err_msg(), "BEGIN") == NULL);
	/* no identity at all */
	struct gitsrc_auth none = {.known_hosts = known};
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &none, &r), ERR_AUTH);
}

TEST(passphrase_and_pem_keys)
{
	char cmd[4096], locked[8192], rsa[8192], ecdsa[8192];
	/* the authorized key under a passphrase: Flux's `password` with `identity` */
	snprintf(cmd, sizeof(cmd),
		 "cp %s/id_ed25519 %s/locked && chmod 600 %s/locked && ssh-keygen -q -p -P '' -N "
		 "'pass phrase' -f %s/locked >/dev/null",
		 dir, dir, dir, dir);
	REQUIRE(key_from(cmd, "locked", locked, sizeof(locked)) == 0);
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_fetch_result r;
	struct gitsrc_auth good = {.identity = locked, .password = "pass phrase", .known_hosts = known};
	int rc = gitsrc_fetch(url, fresh_cache(), &ref, &good, &r);
	if (rc)
		printf("# %s\n", err_msg());
	CHECK(rc == 0);
	struct gitsrc_auth bad = {.identity = locked, .password = "wrong-pass-xyz", .known_hosts = known};
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &bad, &r), ERR_AUTH);
	printf("# %s\n", err_msg());
	CHECK(strstr(err_msg(), "wrong-pass-xyz") == NULL);

	/* PEM RSA and ECDSA keys, authorized like the first one */
	snprintf(cmd, sizeof(cmd),
		 "ssh-keygen -q -t rsa -b 2048 -m PEM -N '' -f %s/rsa_key && ssh-keygen -q -t ecdsa "
		 "-m PEM -N '' -f %s/ecdsa_key && for k in rsa_key ecdsa_key; do printf "
		 "'restrict,command=\"%s/git-only\" %%s\\n' \"$(cat %s/$k.pub)\" >> %s/authorized_keys; done",
		 dir, dir, dir, dir, dir);
	REQUIRE(key_from(cmd, "rsa_key", rsa, sizeof(rsa)) == 0);
	snprintf(cmd, sizeof(cmd), "true");
	REQUIRE(key_from(cmd, "ecdsa_key", ecdsa, sizeof(ecdsa)) == 0);
	CHECK(strncmp(rsa, "-----BEGIN RSA PRIVATE KEY-----", 31) == 0);
	/* libssh2 1.10 signs with ssh-rsa (SHA-1), which OpenSSH 8.8+ refuses by default: the
	 * refusal says so */
	struct gitsrc_auth a_rsa = {.identity = rsa, .known_hosts = known};
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &a_rsa, &r), ERR_AUTH);
	printf("# rsa: %s\n", err_msg());
	CHECK(strstr(err_msg(), "ed25519 or ECDSA") != NULL);
	struct gitsrc_auth a_ec = {.identity = ecdsa, .known_hosts = known};
	rc = gitsrc_fetch(url, fresh_cache(), &ref, &a_ec, &r);
	if (rc)
		printf("# ecdsa: %s\n", err_msg());
	CHECK(rc == 0);
}

TEST(unknown_host_key_fails)
{
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_fetch_result r;
	char kh[2048], pub[1024];
	/* the host under another key: a mismatch */
	char path[1024];
	snprintf(path, sizeof(path), "%s/id_ed25519.pub", dir);
	REQUIRE(slurp(path, pub, sizeof(pub)) == 0);
	pub[strcspn(pub, "\n")] = '\0';
	*strrchr(pub, ' ') = '\0'; /* drop the comment */
	snprintf(kh, sizeof(kh), "[127.0.0.1]:%s %s\n", port, pub);
	struct gitsrc_auth auth = {.identity = identity, .known_hosts = kh};
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &auth, &r), ERR_AUTH);
	printf("# %s\n", err_msg());
	CHECK(strstr(err_msg(), "host key mismatch") != NULL);
	/* the right key but for the default port only: unknown */
	const char *k = strchr(known, ' ');
	snprintf(kh, sizeof(kh), "127.0.0.1%s\nexample.com%s\n", k, k);
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &auth, &r), ERR_AUTH);
	printf("# %s\n", err_msg());
	CHECK(strstr(err_msg(), "unknown host") != NULL);
	/* no known_hosts: refused before connecting, as Flux does */
	auth.known_hosts = NULL;
	CHECK_INT(gitsrc_fetch(url, fresh_cache(), &ref, &auth, &r), ERR_INVALID);
	CHECK(strstr(err_msg(), "known_hosts") != NULL);
	struct gitsrc_ref_spec none = {0};
	CHECK_INT(gitsrc_fetch(scp_url, fresh_cache(), &none, NULL, &r), ERR_INVALID);
}

TEST(hashed_known_hosts)
{
	/* ssh-keygen -H writes OpenSSH's own |1|salt|hmac form */
	char cmd[2048], kh[4096];
	snprintf(cmd, sizeof(cmd),
		 "cp %s/known_hosts %s/hashed && ssh-keygen -q -H -f %s/hashed >/dev/null 2>&1", dir,
		 dir, dir);
	REQUIRE(key_from(cmd, "hashed", kh, sizeof(kh)) == 0);
	CHECK(strncmp(kh, "|1|", 3) == 0);
	struct gitsrc_ref_spec ref = {.branch = "main"};
	struct gitsrc_auth auth = {.identity = identity, .known_hosts = kh};
	struct gitsrc_fetch_result r;
	int rc = gitsrc_fetch(url, fresh_cache(), &ref, &auth, &r);
	if (rc)
		printf("# %s\n", err_msg());
	CHECK(rc == 0);
	CHECK_STR(r.commit, head);
}

int main(void)
{
	dir = getenv("TIDE_TEST_SSH_DIR");
	if (!dir || !*dir) {
		printf("ok - %s: skip (TIDE_TEST_SSH_DIR is not set)\n", __FILE__);
		return 0;
	}
	char cmd[4096], path[1024];
	if (env_value("SSH_USER", user, sizeof(user)) || env_value("SSH_PORT", port, sizeof(port)) ||
	    env_value("SSH_KNOWN_HOSTS", known, sizeof(known))) {
		printf("not ok - %s: read %s/env\n", __FILE__, dir);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/id_ed25519", dir);
	if (slurp(path, identity, sizeof(identity)) != 0)
		return 1;
	snprintf(cmd, sizeof(cmd),
		 "rm -rf %s/w %s/repos/app.git && cd %s && git init -q -b main w && cd w && echo hello > "
		 "README && git add README && git -c user.email=t@t -c user.name=t commit -q -m one && "
		 "git tag -a -m v1 v1.0.0 && git clone -q --bare . %s/repos/app.git && git rev-parse HEAD > "
		 "%s/head",
		 dir, dir, dir, dir, dir);
	if (run(cmd) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/head", dir);
	if (slurp(path, head, sizeof(head)) != 0)
		return 1;
	head[strcspn(head, "\n")] = '\0';
	snprintf(url, sizeof(url), "ssh://%s@127.0.0.1:%s%s/repos/app.git", user, port, dir);
	snprintf(scp_url, sizeof(scp_url), "[%s@127.0.0.1:%s]:%s/repos/app.git", user, port, dir);
	RUN(ssh_url_fetch_and_unchanged_ref);
	RUN(first_fetch_downloads);
	RUN(scp_like_url);
	RUN(wrong_key_is_an_auth_error);
	RUN(passphrase_and_pem_keys);
	RUN(unknown_host_key_fails);
	RUN(hashed_known_hosts);
	return test_done();
}
