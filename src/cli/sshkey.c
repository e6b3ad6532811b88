/* SSH keys with OpenSSL: generation, and the public half in SSH wire format (RFC 4253 6.6,
 * RFC 5656 3.1, RFC 8709 4). */
#include "cli/sshkey.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

static void put_u32(struct buf *b, size_t n)
{
	char x[4] = { (char)(n >> 24), (char)(n >> 16), (char)(n >> 8), (char)n };
	buf_add(b, x, 4);
}

static void put_string(struct buf *b, const void *p, size_t n)
{
	put_u32(b, n);
	buf_add(b, p, n);
}

/* An mpint: big-endian, a leading zero byte when the top bit is set. */
static int put_mpint(struct buf *b, const BIGNUM *bn)
{
	int n = BN_num_bytes(bn);
	unsigned char tmp[2048];
	if (n <= 0 || n > (int)sizeof(tmp) - 1)
		return err_set(ERR_INVALID, "RSA key too large");
	tmp[0] = 0;
	BN_bn2bin(bn, tmp + 1);
	bool pad = tmp[1] & 0x80;
	put_string(b, pad ? tmp : tmp + 1, (size_t)n + (pad ? 1 : 0));
	return 0;
}

static int authorized_key(struct buf *pub, EVP_PKEY *k)
{
	struct buf blob = BUF_INIT;
	const char *type = NULL;
	int rc = 0;
	switch (EVP_PKEY_get_base_id(k)) {
	case EVP_PKEY_ED25519: {
		unsigned char raw[32];
		size_t len = sizeof(raw);
		if (EVP_PKEY_get_raw_public_key(k, raw, &len) != 1) {
			rc = err_set(ERR_INVALID, "cannot read the ed25519 public key");
			break;
		}
		type = "ssh-ed25519";
		put_string(&blob, type, strlen(type));
		put_string(&blob, raw, len);
		break;
	}
	case EVP_PKEY_EC: {
		char group[64];
		unsigned char point[256];
		size_t len = 0;
		if (!EVP_PKEY_get_utf8_string_param(k, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) ||
		    !EVP_PKEY_get_octet_string_param(k, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof(point), &len)) {
			rc = err_set(ERR_INVALID, "cannot read the ECDSA public key");
			break;
		}
		const char *curve = !strcmp(group, "prime256v1") || !strcmp(group, "P-256") ? "nistp256"
				  : !strcmp(group, "secp384r1") || !strcmp(group, "P-384") ? "nistp384"
				  : !strcmp(group, "secp521r1") || !strcmp(group, "P-521") ? "nistp521" : NULL;
		if (!curve) {
			rc = err_set(ERR_INVALID, "ECDSA curve %s is not usable with SSH", group);
			break;
		}
		type = !strcmp(curve, "nistp256") ? "ecdsa-sha2-nistp256" : !strcmp(curve, "nistp384") ? "ecdsa-sha2-nistp384" : "ecdsa-sha2-nistp521";
		put_string(&blob, type, strlen(type));
		put_string(&blob, curve, strlen(curve));
		put_string(&blob, point, len);
		break;
	}
	case EVP_PKEY_RSA: {
		BIGNUM *n = NULL, *e = NULL;
		if (!EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) || !EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_E, &e)) {
			rc = err_set(ERR_INVALID, "cannot read the RSA public key");
		} else {
			type = "ssh-rsa";
			put_string(&blob, type, strlen(type));
			rc = put_mpint(&blob, e);
			if (!rc)
				rc = put_mpint(&blob, n);
		}
		BN_free(n);
		BN_free(e);
		break;
	}
	default:
		rc = err_set(ERR_INVALID, "unsupported key type");
	}
	if (!rc) {
		size_t cap = 4 * ((blob.len + 2) / 3) + 1;
		unsigned char *b64 = xmalloc(cap);
		EVP_EncodeBlock(b64, (const unsigned char *)blob.ptr, (int)blob.len);
		buf_addf(pub, "%s %s\n", type, (char *)b64);
		free(b64);
	}
	buf_release(&blob);
	return rc;
}

static int pem_of(struct buf *priv, EVP_PKEY *k)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio || PEM_write_bio_PKCS8PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL) != 1) {
		BIO_free(bio);
		return err_set(ERR_GENERIC, "cannot encode the private key");
	}
	char *data;
	long len = BIO_get_mem_data(bio, &data);
	buf_add(priv, data, (size_t)len);
	BIO_free(bio);
	return 0;
}

int sshkey_generate(struct buf *priv, struct buf *pub, const char *algorithm, const char *curve,
		    int rsa_bits)
{
	EVP_PKEY *k = NULL;
	if (!strcmp(algorithm, "ed25519")) {
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	} else if (!strcmp(algorithm, "rsa")) {
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)rsa_bits);
	} else if (!strcmp(algorithm, "ecdsa")) {
		const char *group = !strcmp(curve, "p256") ? "P-256" : !strcmp(curve, "p384") ? "P-384"
				  : !strcmp(curve, "p521") ? "P-521" : NULL;
		if (!group)
			return err_set(ERR_INVALID, "unsupported curve '%s', must be one of: p256, p384, p521", curve);
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
	} else {
		return err_set(ERR_INVALID, "unsupported public key algorithm '%s', must be one of: rsa, ecdsa, ed25519", algorithm);
	}
	if (!k)
		return err_set(ERR_GENERIC, "%s key generation failed", algorithm);
	int rc = pem_of(priv, k);
	if (!rc)
		rc = authorized_key(pub, k);
	EVP_PKEY_free(k);
	return rc;
}

int sshkey_public_of(struct buf *pub, const char *pem, const char *password)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)(password ? password : "")) : NULL;
	BIO_free(bio);
	if (!k)
		return err_set(ERR_INVALID, "cannot read the private key (wrong --password, or not a PEM key)");
	int rc = authorized_key(pub, k);
	EVP_PKEY_free(k);
	return rc;
}
