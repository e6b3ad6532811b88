/*
 * Verification of an HTTPS Git server's certificate against a GitRepository's own CA (the
 * Secret's `ca.crt`), per fetch and without touching process-wide TLS settings: libgit2 1.5
 * (mbedTLS) hands the server's leaf certificate to a certificate_check callback, which asks
 * this module (OpenSSL) whether the leaf chains to one of the given certificates or to the
 * system's trust store, and names the host.
 *
 * As with Go's crypto/x509 (Flux appends ca.crt to the system pool), any certificate in
 * ca.crt counts as a trust anchor, intermediates included. Only the leaf is available, so an
 * intermediate the server sends but ca.crt lacks cannot be used (NEEDSWORK: a TLS stream of
 * our own would see the whole chain).
 */
#ifndef TIDE_SOURCE_TLSVERIFY_H
#define TIDE_SOURCE_TLSVERIFY_H

#include <stddef.h>

/* Verifies the DER certificate der[len] for host (a DNS name or an IP address) against the
 * PEM certificates in ca[ca_len] (may be NULL) and the system trust store. Returns 0 when
 * it is trusted; otherwise ERR_AUTH with a message in Go's words ("x509: certificate signed
 * by unknown authority", "x509: certificate is not valid for ...", "x509: certificate has
 * expired or is not yet valid"), or ERR_INVALID when ca holds no certificate. */
int tls_verify_leaf(const unsigned char *der, size_t len, const char *host, const char *ca,
		    size_t ca_len);

#endif
