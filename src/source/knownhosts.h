/*
 * Host-key verification against OpenSSH known_hosts text, as Flux requires for SSH Git
 * sources (the secret's `known_hosts` key).
 *
 * Each line is "[marker] hosts keytype base64-key [comment]". hosts is a comma-separated list
 * of patterns ("host", "[host]:port", with `*` / `?` wildcards and `!` negation) or one hashed
 * entry "|1|base64(salt)|base64(HMAC-SHA1(salt, name))". A host on port 22 is named "host",
 * on any other port "[host]:port", as OpenSSH writes them. Lines marked @cert-authority are
 * ignored (certificates are not supported); a key on an @revoked line is refused.
 */
#ifndef TIDE_SOURCE_KNOWNHOSTS_H
#define TIDE_SOURCE_KNOWNHOSTS_H

#include <stddef.h>

/* Checks the server key blob key[0..key_len) (SSH wire format: the base64-decoded form of a
 * known_hosts key field) presented by host:port against known_hosts[0..len). Returns 0 when a
 * line for that host holds exactly this key (same type, same bytes). Otherwise ERR_AUTH with
 * a message naming the host and the key's type and SHA256 fingerprint: "unknown host" when no
 * line names the host, "host key mismatch" when lines name it with other keys, "revoked" for
 * a revoked key; or ERR_INVALID for a malformed line (with its number). */
int knownhosts_check(const char *known_hosts, size_t len, const char *host, int port,
		     const unsigned char *key, size_t key_len);

/* Writes the key's "SHA256:<unpadded base64>" fingerprint, as ssh-keygen -l prints it. */
void knownhosts_fingerprint(const unsigned char *key, size_t key_len, char out[64]);

#endif
