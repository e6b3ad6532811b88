/* Server certificate checks against a per-object CA with OpenSSL; see tlsverify.h. */
#include "source/tlsverify.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "util/error.h"
#include "util/banned.h"

/* Adds every certificate of the PEM text to store; returns how many. */
static int add_pem(X509_STORE *store, const char *ca, size_t len)
{
	BIO *b = BIO_new_mem_buf(ca, (int)len);
	int n = 0;
	X509 *x;
	while (b && (x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
		if (X509_STORE_add_cert(store, x) == 1)
			n++;
		X509_free(x);
	}
	BIO_free(b);
	ERR_clear_error(); /* the read that ends the loop leaves "no start line" behind */
	return n;
}

static int fail(int verr, const char *host)
{
	switch (verr) {
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		return err_set(ERR_AUTH, "tls: failed to verify certificate: x509: certificate is not "
					 "valid for %s", host);
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return err_set(ERR_AUTH, "tls: failed to verify certificate: x509: certificate has "
					 "expired or is not yet valid");
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
		return err_set(ERR_AUTH, "tls: failed to verify certificate: x509: certificate signed "
					 "by unknown authority");
	default:
		return err_set(ERR_AUTH, "tls: failed to verify certificate: x509: %s",
			       X509_verify_cert_error_string(verr));
	}
}

int tls_verify_leaf(const unsigned char *der, size_t len, const char *host, const char *ca,
		    size_t ca_len)
{
	const unsigned char *p = der;
	X509 *leaf = d2i_X509(NULL, &p, (long)len);
	if (!leaf)
		return err_set(ERR_AUTH, "tls: failed to parse the server's certificate");
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int rc = 0;
	X509_STORE_set_default_paths(store);
	ERR_clear_error();
	if (ca && ca_len && add_pem(store, ca, ca_len) == 0) {
		rc = err_set(ERR_INVALID, "no certificate found in ca.crt");
		goto done;
	}
	if (!ctx || X509_STORE_CTX_init(ctx, store, leaf, NULL) != 1) {
		rc = err_set(ERR_GENERIC, "tls: cannot set up certificate verification");
		goto done;
	}
	X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
	/* Go trusts any certificate of the pool, not only self-signed roots */
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
	if (X509_VERIFY_PARAM_set1_ip_asc(param, host) != 1) {
		ERR_clear_error();
		X509_VERIFY_PARAM_set1_host(param, host, 0);
	}
	if (X509_verify_cert(ctx) != 1)
		rc = fail(X509_STORE_CTX_get_error(ctx), host);
	ERR_clear_error();
done:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	X509_free(leaf);
	return rc;
}
