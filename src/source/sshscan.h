/*
 * The host key an SSH server presents, as a known_hosts line: what `flux create secret git`
 * and `flux create source git` store under `known_hosts` (fluxcd/pkg/ssh ScanHostKey). One
 * connection, the key exchange only (no authentication), closed at once.
 *
 * The server picks the key type from the client's preference list. Flux's scan offers Go's
 * list; tide offers libssh2's own order, the order tide's Git fetch (libgit2 + libssh2) will
 * negotiate later, so the scanned line is the one that fetch checks (docs/differences.md).
 */
#ifndef TIDE_SOURCE_SSHSCAN_H
#define TIDE_SOURCE_SSHSCAN_H

struct buf;

/* Connects to address ("host", "host:port", "[v6]:port"; port 22 when none), within
 * timeout_ms for the connection and again for the key exchange, and appends to line
 * "<host> <type> <base64 key>" without a newline, the host written as known_hosts names it
 * ("host" on port 22, "[host]:port" otherwise). ERR_INVALID for a malformed address,
 * ERR_UNAVAIL when the host cannot be resolved or reached, ERR_TIMEOUT, ERR_GENERIC when
 * the SSH handshake fails; the message says which, Go's way ("dial tcp ...: connect:
 * connection refused"). */
int ssh_scan_host_key(struct buf *line, const char *address, int timeout_ms);

/* The known_hosts name of address, as Go's knownhosts.Normalize writes it, into out
 * (size n). ERR_INVALID for a malformed address. */
int ssh_known_hosts_name(char *out, unsigned n, const char *address);

#endif
