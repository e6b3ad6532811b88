/*
 * sprig's crypto (sprig v3.3 crypto.go): bcrypt and htpasswd ($2a$, cost 10, as
 * golang.org/x/crypto/bcrypt's DefaultCost), derivePassword (the Master Password scheme:
 * scrypt N=32768 r=8 p=2 over "com.lyndir.masterpassword" and the user, HMAC-SHA256 over
 * the site and counter, then a character template), genPrivateKey (rsa 4096, dsa
 * L2048N256, ecdsa P-256, ed25519, in the PEM forms Go writes), genCA, genSelfSignedCert,
 * genSignedCert (each with a ...WithKey form taking a PEM key) and buildCustomCert, which
 * give a sprig.certificate object with the fields Cert and Key, and encryptAES/decryptAES
 * (AES-256-CBC, key = the password's bytes zero-padded or cut to 32, PKCS#7 padding, a
 * random IV before the ciphertext, base64).
 *
 * Certificates follow Go's x509.CreateCertificate for sprig's template: a random 128-bit
 * serial, the subject's CN only, valid from now for daysValid days, critical key usage
 * (digitalSignature, keyEncipherment, and keyCertSign for a CA), extended key usage
 * serverAuth and clientAuth, critical basic constraints, a subject key id on CAs and the
 * issuer's as authority key id on signed certificates, and the IPs and DNS names as
 * subject alternative names; SHA-256 signatures (none for Ed25519).
 *
 * Everything sits on OpenSSL 3, and bcrypt on libxcrypt's crypt_r (Debian's libcrypt).
 * Where sprig returns an error text as the result (bcrypt, genPrivateKey, derivePassword)
 * so does this; where Go would panic (decryptAES on short input) the call fails with the
 * runtime error Go's template engine would report.
 */
#include "template/sprig.h"
#include "template/template_int.h"

#include <arpa/inet.h>
#include <crypt.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* sprig_encoding.c: Go's StdEncoding decoder (-1, or the offset of the bad byte). */
long sprig_go_b64_decode(const char *s, size_t n, struct buf *out);

static struct tv *strv(struct texec *x, const char *s, size_t n)
{
	return tv_strn(texec_arena(x), s, n);
}

/* ---- bcrypt, htpasswd ---------------------------------------------------------------- */

/* x/crypto/bcrypt's GenerateFromPassword(p, 10); NULL with *err set on failure. */
static const char *bcrypt_hash(struct texec *x, const struct tv *pw, const char **err)
{
	if (pw->u.s.len > 72) {
		*err = "bcrypt: password length exceeds 72 bytes";
		return NULL;
	}
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	if (!crypt_gensalt_rn("$2a$", 10, NULL, 0, salt, sizeof(salt))) {
		*err = "crypto/rand: no entropy";
		return NULL;
	}
	/* NEEDSWORK: a password with a NUL byte is cut there (crypt_r takes a C string) */
	struct crypt_data *d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	const char *h = crypt_r(pw->u.s.ptr, salt, d);
	const char *r = h && h[0] == '$' ? arena_strdup(texec_arena(x), h) : NULL;
	free(d);
	if (!r)
		*err = "bcrypt: hashing failed";
	return r;
}

static int f_bcrypt(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *err = NULL, *h = bcrypt_hash(x, args[0], &err);
	if (!h)
		h = arena_sprintf(texec_arena(x), "failed to encrypt string with bcrypt: %s", err);
	*out = tv_str(texec_arena(x), h);
	return 0;
}

static int f_htpasswd(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct arena *a = texec_arena(x);
	const struct tv *user = args[0];
	if (memchr(user->u.s.ptr, ':', user->u.s.len)) {
		*out = tv_str(a, arena_sprintf(a, "invalid username: %s", user->u.s.ptr));
		return 0;
	}
	const char *err = NULL, *h = bcrypt_hash(x, args[1], &err);
	if (!h)
		h = arena_sprintf(a, "failed to encrypt string with bcrypt: %s", err);
	*out = tv_str(a, arena_sprintf(a, "%s:%s", user->u.s.ptr, h));
	return 0;
}

/* ---- derivePassword --------------------------------------------------------------------- */

struct pw_templates {
	const char *name;
	const char *const *t;
	size_t n;
};

static const char *const pw_maximum[] = {"anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"};
static const char *const pw_long[] = {
	"CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv",
	"CvccCvcvCvcvno", "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc",
	"CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno",
	"CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc",
	"CvccCvcvCvccno"};
static const char *const pw_medium[] = {"CvcnoCvc", "CvcCvcno"};
static const char *const pw_short[] = {"Cvcn"};
static const char *const pw_basic[] = {"aaanaaan", "aannaaan", "aaannaaa"};
static const char *const pw_pin[] = {"nnnn"};

#define PWT(name, arr) {name, arr, sizeof(arr) / sizeof(arr[0])}
static const struct pw_templates pw_types[] = {
	PWT("maximum", pw_maximum), PWT("long", pw_long),   PWT("medium", pw_medium),
	PWT("short", pw_short),     PWT("basic", pw_basic), PWT("pin", pw_pin),
};

static const char *pw_chars(char c)
{
	switch (c) {
	case 'V': return "AEIOU";
	case 'C': return "BCDFGHJKLMNPQRSTVWXYZ";
	case 'v': return "aeiou";
	case 'c': return "bcdfghjklmnpqrstvwxyz";
	case 'A': return "AEIOUBCDFGHJKLMNPQRSTVWXYZ";
	case 'a': return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
	case 'n': return "0123456789";
	case 'o': return "@&%?,=[]_:-+*$#!'^~;()/.";
	default: return "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()";
	}
}

static void put_be32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	buf_add(b, p, 4);
}

static int f_derivePassword(struct texec *x, struct tv *const *args, size_t nargs,
			    struct tv **out)
{
	(void)nargs;
	struct arena *a = texec_arena(x);
	const struct tv *c = args[0];
	uint64_t counter;
	/* the parameter is a uint32: an integer constant in range converts, as Go's would */
	if (c->kind == TV_INT && c->u.i >= 0 && c->u.i <= UINT32_MAX)
		counter = (uint64_t)c->u.i;
	else if (c->kind == TV_UINT && c->u.u <= UINT32_MAX)
		counter = c->u.u;
	else if (c->kind == TV_INT || c->kind == TV_UINT)
		return texec_fail(x, "%s overflows uint32", tv_type_name(c));
	else
		return texec_fail(x, "wrong type for value; expected uint32; got %s",
				  tv_type_name(c));
	const struct tv *type = args[1], *pw = args[2], *user = args[3], *site = args[4];
	const struct pw_templates *t = NULL;
	for (size_t i = 0; i < sizeof(pw_types) / sizeof(pw_types[0]); i++)
		if (strlen(pw_types[i].name) == type->u.s.len && !strcmp(pw_types[i].name, type->u.s.ptr))
			t = &pw_types[i];
	if (!t) {
		*out = tv_str(a, arena_sprintf(a, "cannot find password template %s", type->u.s.ptr));
		return 0;
	}
	static const char seed[] = "com.lyndir.masterpassword";
	struct buf salt = BUF_INIT, msg = BUF_INIT;
	buf_adds(&salt, seed);
	put_be32(&salt, (uint32_t)user->u.s.len);
	buf_add(&salt, user->u.s.ptr, user->u.s.len);
	unsigned char key[64];
	int ok = EVP_PBE_scrypt(pw->u.s.ptr, pw->u.s.len, (const unsigned char *)salt.ptr, salt.len,
				32768, 8, 2, 64u << 20, key, sizeof(key));
	buf_release(&salt);
	if (!ok) {
		*out = tv_str(a, "failed to derive password: scrypt failed");
		return 0;
	}
	buf_adds(&msg, seed);
	put_be32(&msg, (uint32_t)site->u.s.len);
	buf_add(&msg, site->u.s.ptr, site->u.s.len);
	put_be32(&msg, (uint32_t)counter);
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	HMAC(EVP_sha256(), key, sizeof(key), (const unsigned char *)msg.ptr, msg.len, mac, &maclen);
	buf_release(&msg);
	OPENSSL_cleanse(key, sizeof(key));
	const char *tmpl = t->t[mac[0] % t->n];
	size_t n = strlen(tmpl);
	char res[32];
	for (size_t i = 0; i < n; i++) {
		const char *chars = pw_chars(tmpl[i]);
		res[i] = chars[mac[i + 1] % strlen(chars)];
	}
	*out = strv(x, res, n);
	return 0;
}

/* ---- keys -------------------------------------------------------------------------------- */

static EVP_PKEY *gen_dsa(void)
{
	EVP_PKEY *params = NULL, *key = NULL;
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_from_name(NULL, "DSA", NULL), *kc = NULL;
	if (!pc || EVP_PKEY_paramgen_init(pc) <= 0 ||
	    EVP_PKEY_CTX_set_dsa_paramgen_bits(pc, 2048) <= 0 ||
	    EVP_PKEY_CTX_set_dsa_paramgen_q_bits(pc, 256) <= 0 || EVP_PKEY_paramgen(pc, &params) <= 0)
		goto done;
	kc = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL);
	if (!kc || EVP_PKEY_keygen_init(kc) <= 0 || EVP_PKEY_keygen(kc, &key) <= 0)
		key = NULL;
done:
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_CTX_free(kc);
	EVP_PKEY_free(params);
	return key;
}

/* The key in Go's pemBlockForKey form: PKCS#1 "RSA PRIVATE KEY", SEC 1 "EC PRIVATE KEY",
 * "DSA PRIVATE KEY", PKCS#8 "PRIVATE KEY" for the rest (Ed25519). */
static int key_pem(struct buf *out, EVP_PKEY *k)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int id = EVP_PKEY_get_base_id(k), ok;
	if (id == EVP_PKEY_RSA || id == EVP_PKEY_EC || id == EVP_PKEY_DSA)
		ok = PEM_write_bio_PrivateKey_traditional(bio, k, NULL, NULL, 0, NULL, NULL);
	else
		ok = PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL);
	char *p;
	long n = BIO_get_mem_data(bio, &p);
	if (ok && n > 0)
		buf_add(out, p, (size_t)n);
	BIO_free(bio);
	return ok ? 0 : -1;
}

static int f_genPrivateKey(struct texec *x, struct tv *const *args, size_t nargs,
			   struct tv **out)
{
	(void)nargs;
	struct arena *a = texec_arena(x);
	const char *typ = args[0]->u.s.ptr;
	EVP_PKEY *k;
	if (!strcmp(typ, "") || !strcmp(typ, "rsa"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
	else if (!strcmp(typ, "dsa"))
		k = gen_dsa();
	else if (!strcmp(typ, "ecdsa"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else if (!strcmp(typ, "ed25519"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	else {
		*out = tv_str(a, arena_sprintf(a, "Unknown type %s", typ));
		return 0;
	}
	if (!k) {
		*out = tv_str(a, "failed to generate private key: key generation failed");
		return 0;
	}
	struct buf b = BUF_INIT;
	key_pem(&b, k);
	EVP_PKEY_free(k);
	*out = strv(x, b.ptr, b.len);
	buf_release(&b);
	return 0;
}

/* The first PEM block's type ("RSA PRIVATE KEY") in s, or NULL when there is none. */
static const char *pem_type(struct arena *a, const char *s)
{
	const char *p = strstr(s, "-----BEGIN ");
	if (!p)
		return NULL;
	p += 11;
	const char *e = strstr(p, "-----");
	if (!e)
		return NULL;
	return arena_strndup(a, p, (size_t)(e - p));
}

/* sprig's parsePrivateKeyPEM: the key, or NULL with Go's error text in *err. */
static EVP_PKEY *parse_key_pem(struct arena *a, const char *pem, size_t len, const char **err)
{
	const char *type = pem_type(a, pem);
	if (!type) {
		*err = "no PEM data in input";
		return NULL;
	}
	size_t tl = strlen(type);
	if (strcmp(type, "PRIVATE KEY") && (tl < 12 || strcmp(type + tl - 12, " PRIVATE KEY"))) {
		*err = arena_sprintf(a, "no private key data in PEM block of type %s", type);
		return NULL;
	}
	const char *kind = !strcmp(type, "PRIVATE KEY")        ? "decoding PEM as PKCS#8"
			   : !strcmp(type, "RSA PRIVATE KEY") ? "parsing RSA private key from PEM"
			   : !strcmp(type, "EC PRIVATE KEY")  ? "parsing EC private key from PEM"
			   : !strcmp(type, "DSA PRIVATE KEY") ? "parsing DSA private key from PEM"
							      : NULL;
	if (!kind) {
		*err = arena_sprintf(a, "invalid private key type %s", type);
		return NULL;
	}
	BIO *bio = BIO_new_mem_buf(pem, (int)(len > INT32_MAX ? INT32_MAX : len));
	EVP_PKEY *k = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
	BIO_free(bio);
	if (!k)
		*err = arena_sprintf(a, "%s: asn1: structure error", kind);
	return k;
}

/* ---- certificates ----------------------------------------------------------------------- */

struct cert {
	const char *cert, *key; /* PEM */
};

static const struct tv_object_type cert_type;

static int cert_member(struct texec *x, const struct tv *self, const char *name,
		       struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	(void)args;
	const struct cert *c = self->u.obj.data;
	if (strcmp(name, "Cert") && strcmp(name, "Key"))
		return 0;
	if (has_args || nargs)
		return texec_fail(x, "%s has arguments but cannot be invoked as function", name);
	*out = tv_str(texec_arena(x), name[0] == 'C' ? c->cert : c->key);
	return 1;
}

static struct tv *cert_to_data(struct texec *x, const struct tv *self)
{
	struct arena *a = texec_arena(x);
	const struct cert *c = self->u.obj.data;
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "Cert", tv_str(a, c->cert));
	tv_map_set(a, m, "Key", tv_str(a, c->key));
	return m;
}

static void cert_format(struct buf *out, const struct tv *self)
{
	const struct cert *c = self->u.obj.data;
	buf_addf(out, "{%s %s}", c->cert, c->key);
}

static const struct tv_object_type cert_type = {"sprig.certificate", cert_member, cert_to_data,
						 cert_format};

static struct tv *cert_value(struct texec *x, struct buf *cert, struct buf *key)
{
	struct arena *a = texec_arena(x);
	struct cert *c = arena_alloc(a, sizeof(*c));
	c->cert = arena_strndup(a, cert->ptr, cert->len);
	c->key = arena_strndup(a, key->ptr, key->len);
	struct tv *v = tv_object(a, &cert_type, c);
	v->type = cert_type.name;
	return v;
}

/* What sprig's getBaseCertTemplate takes from the arguments. */
struct cert_req {
	const char *cn;
	const struct tv *ips, *dns; /* lists, or NULL */
	int64_t days;
	bool ca;
};

static int add_ext(X509 *c, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);
	if (!e)
		return -1;
	int ok = X509_add_ext(c, e, -1);
	X509_EXTENSION_free(e);
	return ok ? 0 : -1;
}

/* %v of a list element that is not a string, for sprig's messages. */
static const char *show(struct arena *a, const struct tv *v)
{
	struct buf b = BUF_INIT;
	tfmt_value(&b, v);
	const char *s = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return s;
}

/* The subject alternative names, or a message as sprig's getNetIPs and
 * getAlternateDNSStrs word it. */
static const char *alt_names(struct texec *x, const struct cert_req *r, GENERAL_NAMES **out)
{
	struct arena *a = texec_arena(x);
	/* Go checks the IPs first but writes the DNS names first */
	GENERAL_NAMES *g = sk_GENERAL_NAME_new_null(), *ipn = sk_GENERAL_NAME_new_null();
	const char *err = NULL;
	/* nil (or anything not a list) is no names, as Go's nil slice */
	size_t nips = r->ips && r->ips->kind == TV_LIST ? r->ips->u.list.len : 0;
	size_t ndns = r->dns && r->dns->kind == TV_LIST ? r->dns->u.list.len : 0;
	*out = g;
	for (size_t i = 0; i < nips; i++) {
		const struct tv *ip = r->ips->u.list.items[i];
		if (ip->kind != TV_STRING) {
			err = arena_sprintf(a, "error parsing ip: %s is not a string", show(a, ip));
			goto done;
		}
		unsigned char bin[16];
		int len = 0;
		if (inet_pton(AF_INET, ip->u.s.ptr, bin) == 1)
			len = 4;
		else if (inet_pton(AF_INET6, ip->u.s.ptr, bin) == 1)
			len = 16;
		if (!len || strlen(ip->u.s.ptr) != ip->u.s.len) {
			err = arena_sprintf(a, "error parsing ip: %s", ip->u.s.ptr);
			goto done;
		}
		GENERAL_NAME *n = GENERAL_NAME_new();
		ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
		ASN1_OCTET_STRING_set(os, bin, len);
		GENERAL_NAME_set0_value(n, GEN_IPADD, os);
		sk_GENERAL_NAME_push(ipn, n);
	}
	for (size_t i = 0; i < ndns; i++) {
		const struct tv *d = r->dns->u.list.items[i];
		if (d->kind != TV_STRING) {
			err = arena_sprintf(a, "error processing alternate dns name: %s is not a string",
					    show(a, d));
			goto done;
		}
		GENERAL_NAME *n = GENERAL_NAME_new();
		ASN1_IA5STRING *s = ASN1_IA5STRING_new();
		ASN1_STRING_set(s, d->u.s.ptr, (int)d->u.s.len);
		GENERAL_NAME_set0_value(n, GEN_DNS, s);
		sk_GENERAL_NAME_push(g, n);
	}
	while (sk_GENERAL_NAME_num(ipn) > 0)
		sk_GENERAL_NAME_push(g, sk_GENERAL_NAME_shift(ipn));
done:
	GENERAL_NAMES_free(ipn);
	return err;
}

/*
 * Go's CreateCertificate for sprig's template: signee's certificate, signed by signer
 * (with the issuer certificate parent, or self-signed when NULL). Appends the PEM
 * certificate to out; NULL, or the error text.
 */
static const char *make_cert(struct texec *x, const struct cert_req *r, EVP_PKEY *signee,
			     X509 *parent, EVP_PKEY *signer, struct buf *out)
{
	struct arena *a = texec_arena(x);
	const char *err = NULL;
	GENERAL_NAMES *names = NULL;
	X509 *c = NULL;
	BIGNUM *serial = NULL, *bound = NULL;
	BIO *bio = NULL;
	int sid = EVP_PKEY_get_base_id(signer), pid = EVP_PKEY_get_base_id(signee);
	if ((err = alt_names(x, r, &names)))
		goto done;
	if (sid == EVP_PKEY_DSA) {
		err = "error creating certificate: x509: certificate private key does not implement "
		      "crypto.Signer";
		goto done;
	}
	if (pid == EVP_PKEY_DSA) {
		err = "error creating certificate: x509: unsupported public key type: "
		      "*dsa.PublicKey";
		goto done;
	}
	/* Go computes now + days*24h in int64 nanoseconds; far beyond that is refused here */
	if (r->days > 106751 || r->days < -106751) {
		err = "error creating certificate: x509: validity period out of range";
		goto done;
	}
	c = X509_new();
	X509_set_version(c, 2);
	serial = BN_new();
	bound = BN_new();
	BN_lshift(bound, BN_value_one(), 128);
	BN_rand_range(serial, bound);
	BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(c));
	X509_NAME *subj = X509_get_subject_name(c);
	if (r->cn[0])
		X509_NAME_add_entry_by_txt(subj, "CN", MBSTRING_UTF8, (const unsigned char *)r->cn, -1,
					   -1, 0);
	X509_set_issuer_name(c, parent ? X509_get_subject_name(parent) : subj);
	time_t now = time(NULL);
	if (!X509_time_adj_ex(X509_getm_notBefore(c), 0, 0, &now) ||
	    !X509_time_adj_ex(X509_getm_notAfter(c), (int)r->days, 0, &now)) {
		err = "error creating certificate: x509: validity period out of range";
		goto done;
	}
	X509_set_pubkey(c, signee);
	X509V3_CTX ctx;
	X509V3_set_ctx(&ctx, parent ? parent : c, c, NULL, NULL, 0);
	if (add_ext(c, &ctx, NID_key_usage,
		    r->ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
			  : "critical,digitalSignature,keyEncipherment") ||
	    add_ext(c, &ctx, NID_ext_key_usage, "serverAuth,clientAuth") ||
	    add_ext(c, &ctx, NID_basic_constraints, r->ca ? "critical,CA:TRUE" : "critical,CA:FALSE")) {
		err = "error creating certificate: extensions";
		goto done;
	}
	if (r->ca && add_ext(c, &ctx, NID_subject_key_identifier, "hash")) {
		err = "error creating certificate: subject key id";
		goto done;
	}
	if (parent && X509_get0_subject_key_id(parent) &&
	    add_ext(c, &ctx, NID_authority_key_identifier, "keyid:always")) {
		err = "error creating certificate: authority key id";
		goto done;
	}
	if (sk_GENERAL_NAME_num(names) > 0 &&
	    !X509_add1_ext_i2d(c, NID_subject_alt_name, names, r->cn[0] == '\0', X509V3_ADD_DEFAULT)) {
		err = "error creating certificate: subject alternative names";
		goto done;
	}
	const EVP_MD *md = sid == EVP_PKEY_ED25519 || sid == EVP_PKEY_ED448 ? NULL : EVP_sha256();
	if (!X509_sign(c, signer, md)) {
		err = "error creating certificate: signing failed";
		goto done;
	}
	bio = BIO_new(BIO_s_mem());
	PEM_write_bio_X509(bio, c);
	char *p;
	long n = BIO_get_mem_data(bio, &p);
	buf_add(out, p, (size_t)n);
done:
	(void)a;
	BIO_free(bio);
	BN_free(serial);
	BN_free(bound);
	X509_free(c);
	GENERAL_NAMES_free(names);
	return err;
}

static EVP_PKEY *rsa2048(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
}

/* One certificate for r with key (generated when NULL), signed by ca (self-signed when
 * NULL): the sprig.certificate object, or the call's error. */
static int issue(struct texec *x, const struct cert_req *r, EVP_PKEY *key,
		 const struct cert *ca, struct tv **out)
{
	struct arena *a = texec_arena(x);
	X509 *parent = NULL;
	EVP_PKEY *signer = NULL;
	const char *err = NULL;
	struct buf cb = BUF_INIT, kb = BUF_INIT;
	int rc = 0;
	if (ca) {
		BIO *bio = BIO_new_mem_buf(ca->cert, -1);
		parent = PEM_read_bio_X509(bio, NULL, NULL, (void *)"");
		BIO_free(bio);
		if (!pem_type(a, ca->cert)) {
			err = "unable to decode certificate";
			goto done;
		}
		if (!parent) {
			err = "error parsing certificate: decodedSignerCert.Bytes: x509: malformed "
			      "certificate";
			goto done;
		}
		const char *kerr = NULL;
		signer = parse_key_pem(a, ca->key, strlen(ca->key), &kerr);
		if (!signer) {
			err = arena_sprintf(a, "error parsing private key: %s", kerr);
			goto done;
		}
	}
	if (!key) {
		key = rsa2048();
		if (!key) {
			err = "error generating rsa key: key generation failed";
			goto done;
		}
	} else {
		EVP_PKEY_up_ref(key);
	}
	if ((err = make_cert(x, r, key, parent, signer ? signer : key, &cb)))
		goto done;
	key_pem(&kb, key);
	*out = cert_value(x, &cb, &kb);
done:
	if (err)
		rc = texec_fail(x, "%s", err);
	EVP_PKEY_free(key);
	EVP_PKEY_free(signer);
	X509_free(parent);
	buf_release(&cb);
	buf_release(&kb);
	return rc;
}

/* The PEM key argument of the ...WithKey forms ("parsing private key: ..." when bad). */
static int key_arg(struct texec *x, const struct tv *pem, EVP_PKEY **out)
{
	const char *err = NULL;
	*out = parse_key_pem(texec_arena(x), pem->u.s.ptr, pem->u.s.len, &err);
	if (!*out)
		return texec_fail(x, "parsing private key: %s", err);
	return 0;
}

static int ca_arg(struct texec *x, const struct tv *v, const struct cert **out)
{
	if (v->kind == TV_OBJECT && v->u.obj.ops == &cert_type) {
		*out = v->u.obj.data;
		return 0;
	}
	return texec_fail(x, "wrong type for value; expected sprig.certificate; got %s",
			  tv_type_name(v));
}

static int f_genCA(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	EVP_PKEY *k = NULL;
	int rc;
	if (nargs == 3 && (rc = key_arg(x, args[2], &k)))
		return rc;
	struct cert_req r = {args[0]->u.s.ptr, NULL, NULL, args[1]->u.i, true};
	rc = issue(x, &r, k, NULL, out);
	EVP_PKEY_free(k);
	return rc;
}

static int f_genSelfSignedCert(struct texec *x, struct tv *const *args, size_t nargs,
			       struct tv **out)
{
	EVP_PKEY *k = NULL;
	int rc;
	if (nargs == 5 && (rc = key_arg(x, args[4], &k)))
		return rc;
	struct cert_req r = {args[0]->u.s.ptr, args[1], args[2], args[3]->u.i, false};
	rc = issue(x, &r, k, NULL, out);
	EVP_PKEY_free(k);
	return rc;
}

static int f_genSignedCert(struct texec *x, struct tv *const *args, size_t nargs,
			   struct tv **out)
{
	const struct cert *ca = NULL;
	EVP_PKEY *k = NULL;
	int rc = ca_arg(x, args[4], &ca);
	if (rc)
		return rc;
	if (nargs == 6 && (rc = key_arg(x, args[5], &k)))
		return rc;
	struct cert_req r = {args[0]->u.s.ptr, args[1], args[2], args[3]->u.i, false};
	rc = issue(x, &r, k, ca, out);
	EVP_PKEY_free(k);
	return rc;
}

static int f_buildCustomCert(struct texec *x, struct tv *const *args, size_t nargs,
			     struct tv **out)
{
	(void)nargs;
	struct arena *a = texec_arena(x);
	struct buf cert = BUF_INIT, key = BUF_INIT;
	const char *err = NULL;
	int rc = 0;
	if (sprig_go_b64_decode(args[0]->u.s.ptr, args[0]->u.s.len, &cert) >= 0) {
		err = "unable to decode base64 certificate";
		goto done;
	}
	if (sprig_go_b64_decode(args[1]->u.s.ptr, args[1]->u.s.len, &key) >= 0) {
		err = "unable to decode base64 private key";
		goto done;
	}
	if (!pem_type(a, cert.ptr)) {
		err = "unable to decode certificate";
		goto done;
	}
	BIO *bio = BIO_new_mem_buf(cert.ptr, (int)cert.len);
	X509 *c = PEM_read_bio_X509(bio, NULL, NULL, (void *)"");
	BIO_free(bio);
	if (!c) {
		err = "error parsing certificate: decodedCert.Bytes: x509: malformed certificate";
		goto done;
	}
	X509_free(c);
	const char *kerr = NULL;
	EVP_PKEY *k = parse_key_pem(a, key.ptr, key.len, &kerr);
	if (!k) {
		err = arena_sprintf(a, "error parsing private key: %s", kerr);
		goto done;
	}
	EVP_PKEY_free(k);
	*out = cert_value(x, &cert, &key);
done:
	if (err)
		rc = texec_fail(x, "%s", err);
	buf_release(&cert);
	buf_release(&key);
	return rc;
}

/* ---- AES ---------------------------------------------------------------------------------- */

static void aes_key(const struct tv *pw, unsigned char key[32])
{
	memset(key, 0, 32);
	memcpy(key, pw->u.s.ptr, pw->u.s.len < 32 ? pw->u.s.len : 32);
}

static int aes_cbc(const unsigned char key[32], const unsigned char iv[16], int enc,
		   const unsigned char *in, size_t n, unsigned char *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int len = 0, ok = c && EVP_CipherInit_ex(c, EVP_aes_256_cbc(), NULL, key, iv, enc) &&
			 EVP_CIPHER_CTX_set_padding(c, 0) &&
			 EVP_CipherUpdate(c, out, &len, in, (int)n);
	EVP_CIPHER_CTX_free(c);
	return ok && (size_t)len == n ? 0 : -1;
}

static int f_encryptAES(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *pt = args[1];
	if (pt->u.s.len == 0) {
		*out = tv_str(texec_arena(x), "");
		return 0;
	}
	if (pt->u.s.len > (size_t)INT32_MAX - 32)
		return texec_failc(x, ERR_TOOBIG, "encryptAES: plaintext too long");
	unsigned char key[32];
	aes_key(args[0], key);
	size_t pad = 16 - pt->u.s.len % 16, n = pt->u.s.len + pad;
	unsigned char *buf = malloc(16 + 2 * n);
	if (!buf)
		abort();
	unsigned char *iv = buf, *ct = buf + 16, *plain = buf + 16 + n;
	memcpy(plain, pt->u.s.ptr, pt->u.s.len);
	memset(plain + pt->u.s.len, (int)pad, pad);
	int rc = 0;
	if (RAND_bytes(iv, 16) != 1 || aes_cbc(key, iv, 1, plain, n, ct) != 0) {
		rc = texec_fail(x, "crypto/aes: encryption failed");
	} else {
		struct buf b = BUF_INIT;
		base64_encode(&b, buf, 16 + n);
		*out = strv(x, b.ptr, b.len);
		buf_release(&b);
	}
	OPENSSL_cleanse(key, sizeof(key));
	free(buf);
	return rc;
}

static int f_decryptAES(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *ct = args[1];
	if (ct->u.s.len == 0) {
		*out = tv_str(texec_arena(x), "");
		return 0;
	}
	struct buf raw = BUF_INIT;
	long bad = sprig_go_b64_decode(ct->u.s.ptr, ct->u.s.len, &raw);
	int rc = 0;
	if (bad >= 0) {
		rc = texec_fail(x, "illegal base64 data at input byte %ld", bad);
		goto done;
	}
	/* what Go's slicing and CryptBlocks panic with on short or ragged input */
	if (raw.len < 16) {
		rc = texec_fail(x, "runtime error: slice bounds out of range [:16] with capacity %zu",
				raw.len);
		goto done;
	}
	size_t n = raw.len - 16;
	if (n % 16) {
		rc = texec_fail(x, "crypto/cipher: input not full blocks");
		goto done;
	}
	if (n == 0) {
		rc = texec_fail(x, "runtime error: index out of range [-1]");
		goto done;
	}
	unsigned char key[32];
	aes_key(args[0], key);
	unsigned char *plain = malloc(n);
	if (!plain)
		abort();
	if (aes_cbc(key, (const unsigned char *)raw.ptr, 0, (const unsigned char *)raw.ptr + 16, n,
		    plain) != 0) {
		rc = texec_fail(x, "crypto/aes: decryption failed");
	} else {
		size_t pad = plain[n - 1];
		if (pad > n)
			rc = texec_fail(x, "runtime error: slice bounds out of range [:%lld]",
					(long long)n - (long long)pad);
		else
			*out = strv(x, (const char *)plain, n - pad);
	}
	OPENSSL_cleanse(key, sizeof(key));
	free(plain);
done:
	buf_release(&raw);
	return rc;
}

static const struct tfunc funcs[] = {
	{"bcrypt", f_bcrypt, "s", "s"},
	{"htpasswd", f_htpasswd, "ss", "s"},
	{"genPrivateKey", f_genPrivateKey, "s", "s"},
	{"derivePassword", f_derivePassword, "assss", "s"},
	{"buildCustomCert", f_buildCustomCert, "ss", "ae"},
	{"genCA", f_genCA, "si", "ae"},
	{"genCAWithKey", f_genCA, "sis", "ae"},
	{"genSelfSignedCert", f_genSelfSignedCert, "slli", "ae"},
	{"genSelfSignedCertWithKey", f_genSelfSignedCert, "sllis", "ae"},
	{"genSignedCert", f_genSignedCert, "sllia", "ae"},
	{"genSignedCertWithKey", f_genSignedCert, "sllias", "ae"},
	{"encryptAES", f_encryptAES, "ss", "se"},
	{"decryptAES", f_decryptAES, "ss", "se"},
};

const struct tfunc_table tfuncs_sprig_crypto = {funcs, sizeof(funcs) / sizeof(funcs[0])};
