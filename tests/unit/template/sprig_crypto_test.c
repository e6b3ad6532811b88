/* sprig's crypto (src/template/sprig_crypto.c): bcrypt and htpasswd shapes, derivePassword
 * against the values sprig prints (conformance case sprig-derivepassword), keys in Go's PEM
 * forms, certificates checked with OpenSSL (chain, extensions, names), and AES round trips
 * and Go's failures on bad input. */
#include "test.h"

#include <crypt.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"

static struct arena *A;
static struct texec X;
static int RC;

static struct tv *call(const char *name, struct tv **args, size_t n)
{
	for (size_t i = 0; i < tfuncs_sprig_crypto.len; i++) {
		const struct tfunc *f = &tfuncs_sprig_crypto.funcs[i];
		if (!strcmp(f->name, name)) {
			struct tv *out = NULL;
			RC = f->impl(&X, args, n, &out);
			return out;
		}
	}
	RC = -100;
	return NULL;
}

static struct tv *S(const char *s)
{
	return tv_str(A, s);
}

static const char *call_s(const char *name, struct tv *a0, struct tv *a1)
{
	struct tv *args[2] = {a0, a1};
	struct tv *out = call(name, args, a1 ? 2 : 1);
	if (RC)
		return arena_sprintf(A, "ERR:%s", texec_message(&X));
	return out->u.s.ptr;
}

static const char *field(struct tv *obj, const char *name)
{
	struct tv *out = NULL, *none[1] = {NULL};
	if (obj->u.obj.ops->member(&X, obj, name, none, 0, false, &out) != 1)
		return "NOFIELD";
	return out->u.s.ptr;
}

TEST(bcrypt_htpasswd)
{
	const char *h = call_s("bcrypt", S("secret"), NULL);
	CHECK_INT(strlen(h), 60);
	CHECK(!strncmp(h, "$2a$10$", 7));
	CHECK(strcmp(h, call_s("bcrypt", S("secret"), NULL)) != 0);
	struct crypt_data d;
	memset(&d, 0, sizeof(d));
	CHECK_STR(crypt_r("secret", h, &d), h);
	const char *p = call_s("htpasswd", S("user"), S("pass"));
	CHECK_INT(strlen(p), 65);
	CHECK(!strncmp(p, "user:$2a$10$", 12));
	CHECK_STR(call_s("htpasswd", S("us:er"), S("pass")), "invalid username: us:er");
	char long_pw[80];
	memset(long_pw, 'a', 73);
	long_pw[73] = '\0';
	CHECK_STR(call_s("bcrypt", S(long_pw), NULL),
		  "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes");
}

static const char *derive(long long counter, const char *type, const char *pw, const char *user,
			  const char *site)
{
	struct tv *args[5] = {tv_int(A, counter), S(type), S(pw), S(user), S(site)};
	struct tv *out = call("derivePassword", args, 5);
	return RC ? arena_sprintf(A, "ERR:%s", texec_message(&X)) : out->u.s.ptr;
}

TEST(derive_password)
{
	CHECK_STR(derive(1, "long", "password", "user", "example.com"), "ZedaFaxcZaso9*");
	CHECK_STR(derive(1, "maximum", "password", "user", "example.com"), "pf4zS1LjCg&LjhsZ7T2~");
	CHECK_STR(derive(2, "pin", "password", "user", "example.com"), "3882");
	CHECK_STR(derive(1, "basic", "pw", "u", "site"), "BY77RqY8");
	CHECK_STR(derive(1, "nope", "pw", "u", "site"), "cannot find password template nope");
	CHECK_STR(derive(-1, "pin", "pw", "u", "site"), "ERR:int overflows uint32");
}

TEST(private_keys)
{
	const char *k = call_s("genPrivateKey", S("ecdsa"), NULL);
	CHECK(!strncmp(k, "-----BEGIN EC PRIVATE KEY-----\n", 31));
	k = call_s("genPrivateKey", S("ed25519"), NULL);
	CHECK(!strncmp(k, "-----BEGIN PRIVATE KEY-----\n", 28));
	CHECK(strstr(k, "-----END PRIVATE KEY-----\n") != NULL);
	CHECK_STR(call_s("genPrivateKey", S("nope"), NULL), "Unknown type nope");
}

static X509 *pem_cert(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	X509 *c = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	return c;
}

static EVP_PKEY *pem_key(const char *pem)
{
	BIO *b = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	return k;
}

TEST(certificates)
{
	struct tv *args[6] = {S("my-ca"), tv_int(A, 365)};
	struct tv *ca = call("genCA", args, 2);
	REQUIRE(RC == 0);
	CHECK_STR(ca->u.obj.ops->name, "sprig.certificate");
	CHECK(!strncmp(field(ca, "Cert"), "-----BEGIN CERTIFICATE-----\n", 28));
	CHECK(!strncmp(field(ca, "Key"), "-----BEGIN RSA PRIVATE KEY-----\n", 32));
	X509 *cac = pem_cert(field(ca, "Cert"));
	REQUIRE(cac);
	CHECK(X509_check_ca(cac) == 1);
	CHECK(X509_get0_subject_key_id(cac) != NULL);
	char cn[64];
	X509_NAME_get_text_by_NID(X509_get_subject_name(cac), NID_commonName, cn, sizeof(cn));
	CHECK_STR(cn, "my-ca");
	CHECK(X509_get_key_usage(cac) & KU_KEY_CERT_SIGN);

	struct tv *ips = tv_list(A, 1), *dns = tv_list(A, 1);
	tv_list_push(A, ips, S("10.0.0.1"));
	tv_list_push(A, ips, S("::1"));
	tv_list_push(A, dns, S("svc.ns"));
	struct tv *sargs[5] = {S("svc"), ips, dns, tv_int(A, 30), ca};
	struct tv *cert = call("genSignedCert", sargs, 5);
	REQUIRE(RC == 0);
	X509 *c = pem_cert(field(cert, "Cert"));
	REQUIRE(c);
	EVP_PKEY *capub = X509_get_pubkey(cac);
	CHECK(X509_verify(c, capub) == 1);
	CHECK(X509_check_issued(cac, c) == X509_V_OK);
	CHECK(X509_check_ca(c) == 0);
	CHECK(X509_check_host(c, "svc.ns", 0, 0, NULL) == 1);
	CHECK(X509_check_ip_asc(c, "10.0.0.1", 0) == 1);
	CHECK(X509_check_ip_asc(c, "::1", 0) == 1);
	CHECK(X509_get_extended_key_usage(c) & XKU_SSL_SERVER);
	CHECK(X509_get_extended_key_usage(c) & XKU_SSL_CLIENT);
	CHECK(!(X509_get_key_usage(c) & KU_KEY_CERT_SIGN));
	/* the key is the certificate's */
	EVP_PKEY *k = pem_key(field(cert, "Key"));
	REQUIRE(k);
	CHECK(X509_check_private_key(c, k) == 1);
	EVP_PKEY_free(k);

	/* with a given EC key, and self-signed */
	const char *eckey = call_s("genPrivateKey", S("ecdsa"), NULL);
	struct tv *wargs[5] = {S("self"), tv_list(A, 0), tv_list(A, 0), tv_int(A, 1), S(eckey)};
	struct tv *self = call("genSelfSignedCertWithKey", wargs, 5);
	REQUIRE(RC == 0);
	CHECK_STR(field(self, "Key"), eckey);
	X509 *sc = pem_cert(field(self, "Cert"));
	REQUIRE(sc);
	EVP_PKEY *spub = X509_get_pubkey(sc);
	CHECK(X509_verify(sc, spub) == 1);
	EVP_PKEY_free(spub);
	X509_free(sc);

	/* errors */
	struct tv *bad = tv_list(A, 1);
	tv_list_push(A, bad, S("300.1.1.1"));
	sargs[1] = bad;
	call("genSignedCert", sargs, 5);
	CHECK_STR(texec_message(&X), "error parsing ip: 300.1.1.1");
	bad = tv_list(A, 1);
	tv_list_push(A, bad, tv_int(A, 7));
	sargs[1] = ips;
	sargs[2] = bad;
	call("genSignedCert", sargs, 5);
	CHECK_STR(texec_message(&X), "error processing alternate dns name: 7 is not a string");
	bad = tv_list(A, 1);
	tv_list_push(A, bad, tv_list(A, 0));
	sargs[2] = bad;
	call("genSignedCert", sargs, 5);
	CHECK_STR(texec_message(&X), "error processing alternate dns name: [] is not a string");
	sargs[2] = dns;
	sargs[4] = tv_map_new(A);
	call("genSignedCert", sargs, 5);
	CHECK_STR(texec_message(&X),
		  "wrong type for value; expected sprig.certificate; got map[string]interface {}");
	struct tv *kargs[3] = {S("ca"), tv_int(A, 1), S("not a key")};
	call("genCAWithKey", kargs, 3);
	CHECK_STR(texec_message(&X), "parsing private key: no PEM data in input");
	kargs[2] = S("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
	call("genCAWithKey", kargs, 3);
	CHECK_STR(texec_message(&X),
		  "parsing private key: no private key data in PEM block of type CERTIFICATE");

	/* buildCustomCert takes base64 PEM back */
	struct buf b64c = BUF_INIT, b64k = BUF_INIT;
	base64_encode(&b64c, field(cert, "Cert"), strlen(field(cert, "Cert")));
	base64_encode(&b64k, field(cert, "Key"), strlen(field(cert, "Key")));
	struct tv *bargs[2] = {S(b64c.ptr), S(b64k.ptr)};
	struct tv *built = call("buildCustomCert", bargs, 2);
	REQUIRE(RC == 0);
	CHECK_STR(field(built, "Cert"), field(cert, "Cert"));
	bargs[0] = S("!!");
	call("buildCustomCert", bargs, 2);
	CHECK_STR(texec_message(&X), "unable to decode base64 certificate");
	buf_release(&b64c);
	buf_release(&b64k);

	EVP_PKEY_free(capub);
	X509_free(c);
	X509_free(cac);
}

TEST(aes)
{
	const char *enc = call_s("encryptAES", S("secretkey"), S("plain text"));
	CHECK_INT(strlen(enc), 44); /* 16 IV + 16 ciphertext bytes */
	CHECK_STR(call_s("decryptAES", S("secretkey"), S(enc)), "plain text");
	CHECK(strcmp(enc, call_s("encryptAES", S("secretkey"), S("plain text"))) != 0);
	CHECK_STR(call_s("encryptAES", S("k"), S("")), "");
	CHECK_STR(call_s("decryptAES", S("k"), S("")), "");
	/* a 40-byte password is cut to 32 */
	const char *e2 = call_s("encryptAES", S("0123456789abcdef0123456789abcdefXXXXXXXX"), S("x"));
	CHECK_STR(call_s("decryptAES", S("0123456789abcdef0123456789abcdef"), S(e2)), "x");
	CHECK_STR(call_s("decryptAES", S("k"), S("!!")), "ERR:illegal base64 data at input byte 0");
	CHECK_STR(call_s("decryptAES", S("k"), S("aGk=")),
		  "ERR:runtime error: slice bounds out of range [:16] with capacity 2");
	CHECK_STR(call_s("decryptAES", S("k"), S("AAAAAAAAAAAAAAAAAAAAAAA=")),
		  "ERR:crypto/cipher: input not full blocks");
	CHECK_STR(call_s("decryptAES", S("k"), S("AAAAAAAAAAAAAAAAAAAAAA==")),
		  "ERR:runtime error: index out of range [-1]");
}

int main(void)
{
	A = arena_new();
	texec_init_standalone(&X, A, NULL);
	RUN(bcrypt_htpasswd);
	RUN(derive_password);
	RUN(private_keys);
	RUN(certificates);
	RUN(aes);
	texec_release(&X);
	arena_free(A);
	return test_done();
}
