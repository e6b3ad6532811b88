/* Unit tests for src/cli/sshkey.c: SSH public keys of PEM private keys, checked against
 * what ssh-keygen -y prints for the same keys (ed25519: the SSH encoding of OpenSSL's raw
 * public key), and generated key pairs reading back to their own public key. */
#include "cli/sshkey.h"
#include "test.h"
#include "util/buf.h"
#include "util/error.h"

static const char ec_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwGm2Vsl0jtVGgWeN\n"
	"eXKxixLnbvgsO4bKH+mDUvnOpYWhRANCAASlcx93ey4/LmpuHcni3xbX97Y6Mwz9\n"
	"hrTj3AFJErcTsF43ceV1Mozo37cG2rC6uVqQqGpDF3soy6iy1FjoH0z4\n"
	"-----END PRIVATE KEY-----\n";
static const char rsa_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALTQZY4pkJKX5F6L\n"
	"dk9LSHUCGh0JysVlWoDuy/igOYyTLi89gvyEtgc28ayf9JJp1khYK34/DWGABJCd\n"
	"t4vjqWtiBHqH8XkXHZNSNIb7ETl4ShxxIisorasdYK2mTlEzhdMLPrBkx4YIEwRn\n"
	"c/4z6M/rEi+1WX9Nc9aN+ytDe4ALAgMBAAECgYAAnjW6pqm31o0RRajB3KACxl8Q\n"
	"elgXFKGajzZjQyjvMhGWV7963XlBzQ5GaMWNOo9g7+w2IkEJdEaPt/pIoB6UHehC\n"
	"S8RLGY3urdA3FATDC1kxwONp6p3wColSv/t10W9DMZfq42gdfAX53CRRwx98/VNB\n"
	"RJErp6ZBS8DREfJTAQJBAOZiAK+a+Z+2jF4BV9Ly///tRsqAw2wSDH4ap/MPHgwV\n"
	"nH5Qy7NQHQLJmzSrI34JhvUW8vAdk00AzosVypFd/8cCQQDI62L1YO+j7+c+m07j\n"
	"urlYFwD8J1ezobmCSR+jAbaz6uxt8eoJdmRKeYtZb9I0cXEsjyGLlxjHaM7b6QIb\n"
	"80WdAkA5dEdng+atBgGLkBou6ZseYDY/Wk1iLj4fVNZ9r093BAy7E7s5RMl3YH/s\n"
	"aqG3VPjrNoXvi/CoS4M2/IBAMIkRAkAIwLBb7jAiXSYexRdHtm+ylbX2RiR879Os\n"
	"CFF3gXCbH+XS2FIQvXabA/Z9G/D1VefPQCD++sMalMdGLz1nSE7FAkEAjTwoat7h\n"
	"5rtAns0uMqD3F41g8GXzItZbbUcmRBC8bQZlPjpFmy2O9N/ic4nr90GqdW41b45o\n"
	"zQV7vS9D2n3mrQ==\n"
	"-----END PRIVATE KEY-----\n";
static const char ed_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIAtZkEd5GF8hcDEk0w1DlpuayMhHA9piD8VIVamyAObb\n"
	"-----END PRIVATE KEY-----\n";

static void public_is(const char *pem, const char *want)
{
	struct buf pub = BUF_INIT;
	CHECK(sshkey_public_of(&pub, pem, NULL) == 0);
	CHECK_STR(pub.ptr ? pub.ptr : "", want);
	buf_release(&pub);
}

TEST(public_keys_as_ssh_keygen_prints_them)
{
	public_is(ec_pem, "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBKVzH3d7Lj8uam4dyeLfFtf3tjozDP2GtOPcAUkStxOwXjdx5XUyjOjftwbasLq5WpCoakMXeyjLqLLUWOgfTPg=\n");
	/* n has its top bit set: the mpint gets a leading zero byte */
	public_is(rsa_pem, "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC00GWOKZCSl+Rei3ZPS0h1AhodCcrFZVqA7sv4oDmMky4vPYL8hLYHNvGsn/SSadZIWCt+Pw1hgASQnbeL46lrYgR6h/F5Fx2TUjSG+xE5eEoccSIrKK2rHWCtpk5RM4XTCz6wZMeGCBMEZ3P+M+jP6xIvtVl/TXPWjfsrQ3uACw==\n");
	public_is(ed_pem, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFyfXRK9uUfgqoyBO1lJwVNrCOOXlbhnTME96r9pw8Dp\n");
}

TEST(rejects_what_is_not_a_pem_key)
{
	struct buf pub = BUF_INIT;
	CHECK(sshkey_public_of(&pub, "not a key", NULL) == ERR_INVALID);
	CHECK(sshkey_public_of(&pub, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", NULL) == ERR_INVALID);
	buf_release(&pub);
}

static void round_trip(const char *alg, const char *curve, int bits, const char *prefix)
{
	struct buf priv = BUF_INIT, pub = BUF_INIT, again = BUF_INIT;
	REQUIRE(sshkey_generate(&priv, &pub, alg, curve, bits) == 0);
	CHECK(strstr(priv.ptr, "-----BEGIN PRIVATE KEY-----\n") == priv.ptr);
	CHECK(strncmp(pub.ptr, prefix, strlen(prefix)) == 0);
	CHECK(sshkey_public_of(&again, priv.ptr, NULL) == 0);
	CHECK_STR(again.ptr, pub.ptr);
	buf_release(&priv);
	buf_release(&pub);
	buf_release(&again);
}

TEST(generated_keys_read_back)
{
	round_trip("ecdsa", "p384", 0, "ecdsa-sha2-nistp384 AAAA");
	round_trip("ecdsa", "p521", 0, "ecdsa-sha2-nistp521 AAAA");
	round_trip("ed25519", "", 0, "ssh-ed25519 AAAA");
	round_trip("rsa", "", 1024, "ssh-rsa AAAA");
}

TEST(rejects_unknown_algorithms_and_curves)
{
	struct buf priv = BUF_INIT, pub = BUF_INIT;
	CHECK(sshkey_generate(&priv, &pub, "dsa", "", 0) == ERR_INVALID);
	CHECK(sshkey_generate(&priv, &pub, "ecdsa", "p192", 0) == ERR_INVALID);
	CHECK(priv.len == 0 && pub.len == 0);
	buf_release(&priv);
	buf_release(&pub);
}

int main(void)
{
	RUN(public_keys_as_ssh_keygen_prints_them);
	RUN(rejects_what_is_not_a_pem_key);
	RUN(generated_keys_read_back);
	RUN(rejects_unknown_algorithms_and_curves);
	return test_done();
}
