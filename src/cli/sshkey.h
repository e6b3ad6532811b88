/*
 * SSH key pairs for `tide create secret git`, as fluxcd/pkg/ssh makes them: the private key
 * PEM-encoded PKCS#8 ("PRIVATE KEY"), the public key in authorized_keys form
 * ("ecdsa-sha2-nistp384 AAAA...\n"). Made with OpenSSL.
 */
#ifndef TIDE_CLI_SSHKEY_H
#define TIDE_CLI_SSHKEY_H

struct buf;

/* Generates a key: algorithm "ecdsa" (curve "p256", "p384" or "p521"), "ed25519" or "rsa"
 * (rsa_bits). Appends the PEM to priv and the authorized_keys line to pub. ERR_INVALID for
 * an unknown algorithm or curve. */
int sshkey_generate(struct buf *priv, struct buf *pub, const char *algorithm, const char *curve,
		    int rsa_bits);

/* The authorized_keys line of a PEM private key (PKCS#8, PKCS#1 or SEC1; decrypted with
 * password when not NULL). ERR_INVALID when the key cannot be read (OpenSSH's own format is
 * not read here). */
int sshkey_public_of(struct buf *pub, const char *pem, const char *password);

#endif
