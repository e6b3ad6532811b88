/* known_hosts matching (src/source/knownhosts.h) with a fixed ed25519 key; the hashed entry
 * and the fingerprint were written by OpenSSH's ssh-keygen (-H, -l). */
#include "test.h"

#include "source/knownhosts.h"
#include "util/error.h"

static const unsigned char key[51] = {
	0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 32,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
	25, 26, 27, 28, 29, 30, 31, 32};
#define K "AAAAC3NzaC1lZDI1NTE5AAAAIAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"
/* the same type, another key (all bytes 0x11) */
#define OTHER "AAAAC3NzaC1lZDI1NTE5AAAAIBEREREREREREREREREREREREREREREREREREREREREREQ=="
#define RSA "AAAAB3NzaC1yc2EAAAADAQABAAABAQ=="

static int check(const char *kh, const char *host, int port)
{
	return knownhosts_check(kh, strlen(kh), host, port, key, sizeof(key));
}

TEST(plain_and_port)
{
	CHECK_INT(check("github.com ssh-ed25519 " K "\n", "github.com", 22), 0);
	CHECK_INT(check("# c\n\ngithub.com ssh-ed25519 " K " comment here\r\n", "GitHub.COM", 22), 0);
	CHECK_INT(check("a.org,github.com ssh-ed25519 " K, "github.com", 22), 0);
	CHECK_INT(check("github.com ssh-ed25519 " K "\n", "github.com", 2222), ERR_AUTH);
	CHECK(strstr(err_msg(), "unknown host '[github.com]:2222'") != NULL);
	CHECK_INT(check("[127.0.0.1]:2222 ssh-ed25519 " K "\n", "127.0.0.1", 2222), 0);
	CHECK_INT(check("[127.0.0.1]:2222 ssh-ed25519 " K "\n", "127.0.0.1", 22), ERR_AUTH);
	CHECK_INT(check("[127.0.0.1]:22 ssh-ed25519 " K "\n", "127.0.0.1", 22), 0);
	CHECK_INT(check("[::1]:2222 ssh-ed25519 " K "\n", "::1", 2222), 0);
}

TEST(hashed)
{
	const char *h = "|1|tLpXI7T3u1WAF/hcApAEeZGjxEI=|NASnEOCMsHxC1niszg5hoXd5hAY= ssh-ed25519 " K "\n";
	CHECK_INT(check(h, "github.com", 22), 0);
	CHECK_INT(check(h, "GITHUB.com", 22), 0);
	CHECK_INT(check(h, "gitlab.com", 22), ERR_AUTH);
	CHECK_INT(check(h, "github.com", 443), ERR_AUTH);
	CHECK_INT(check("|1|bad|x ssh-ed25519 " K "\n", "github.com", 22), ERR_INVALID);
	CHECK_INT(check("|1|tLpXI7T3u1WAF/hcApAEeZGjxEI= ssh-ed25519 " K "\n", "github.com", 22),
		  ERR_INVALID);
}

TEST(wildcards_and_negation)
{
	CHECK_INT(check("git*.c?m ssh-ed25519 " K, "github.com", 22), 0);
	CHECK_INT(check("*.example.com ssh-ed25519 " K, "github.com", 22), ERR_AUTH);
	CHECK_INT(check("!github.com,*.com ssh-ed25519 " K, "github.com", 22), ERR_AUTH);
	CHECK(strstr(err_msg(), "unknown host") != NULL);
	CHECK_INT(check("!gitlab.com,*.com ssh-ed25519 " K, "github.com", 22), 0);
	CHECK_INT(check("[*]:2222 ssh-ed25519 " K, "10.0.0.1", 2222), 0);
}

TEST(mismatch_and_other_types)
{
	CHECK_INT(check("github.com ssh-ed25519 " OTHER "\n", "github.com", 22), ERR_AUTH);
	CHECK(strstr(err_msg(), "host key mismatch for 'github.com'") != NULL);
	CHECK(strstr(err_msg(), "SHA256:mKqU+0K8OhKmA8bBQi9Rz0Q5l7/g160hIP+rJYSTNj4") != NULL);
	CHECK(strstr(err_msg(), "ssh-ed25519") != NULL);
	/* known under another type only: still a mismatch */
	CHECK_INT(check("github.com ssh-rsa " RSA "\n", "github.com", 22), ERR_AUTH);
	CHECK(strstr(err_msg(), "host key mismatch") != NULL);
	CHECK(strstr(err_msg(), "lists only ssh-rsa for it") != NULL);
	/* any matching line is enough */
	CHECK_INT(check("github.com ssh-rsa " RSA "\ngithub.com ssh-ed25519 " OTHER "\ngithub.com "
			"ssh-ed25519 " K "\n",
			"github.com", 22),
		  0);
}

TEST(markers)
{
	CHECK_INT(check("@revoked github.com ssh-ed25519 " K "\ngithub.com ssh-ed25519 " K "\n",
			"github.com", 22),
		  ERR_AUTH);
	CHECK(strstr(err_msg(), "revoked") != NULL);
	CHECK_INT(check("@revoked * ssh-ed25519 " OTHER "\ngithub.com ssh-ed25519 " K "\n",
			"github.com", 22),
		  0);
	CHECK_INT(check("@cert-authority *.com ssh-ed25519 " K "\n", "github.com", 22), ERR_AUTH);
	CHECK(strstr(err_msg(), "unknown host") != NULL);
	CHECK_INT(check("@bogus github.com ssh-ed25519 " K "\n", "github.com", 22), ERR_INVALID);
}

TEST(malformed)
{
	CHECK_INT(check("github.com ssh-ed25519\n", "github.com", 22), ERR_INVALID);
	CHECK(strstr(err_msg(), "line 1") != NULL);
	CHECK_INT(check("\n\ngithub.com ssh-ed25519 not*base64\n", "github.com", 22), ERR_INVALID);
	CHECK(strstr(err_msg(), "line 3") != NULL);
	CHECK_INT(check("github.com ssh-rsa " K "\n", "github.com", 22), ERR_INVALID);
	CHECK_INT(check("", "github.com", 22), ERR_AUTH);
	CHECK_INT(knownhosts_check("github.com ssh-ed25519 " K, 10, "github.com", 22, key, sizeof(key)),
		  ERR_INVALID);
}

TEST(fingerprint)
{
	char fp[64];
	knownhosts_fingerprint(key, sizeof(key), fp);
	CHECK_STR(fp, "SHA256:mKqU+0K8OhKmA8bBQi9Rz0Q5l7/g160hIP+rJYSTNj4");
}

int main(void)
{
	RUN(plain_and_port);
	RUN(hashed);
	RUN(wildcards_and_negation);
	RUN(mismatch_and_other_types);
	RUN(markers);
	RUN(malformed);
	RUN(fingerprint);
	return test_done();
}
