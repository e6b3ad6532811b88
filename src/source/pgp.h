/*
 * OpenPGP detached-signature checks for GitRepository spec.verify, in process through librnp
 * (the library behind this file only).
 */
#ifndef TIDE_SOURCE_PGP_H
#define TIDE_SOURCE_PGP_H

#include <stddef.h>

/* Verifies the ASCII-armored detached signature sig[siglen] of data[len] against each of the
 * nrings armored public key rings in turn (rings[i] of ring_lens[i] bytes), as Flux does.
 * On success writes the 16-digit upper-case key id of the primary key that signed it (Flux's
 * KeyIdString) into keyid and returns 0. Otherwise returns ERR_INVALID with Flux's message:
 * "unable to verify payload as the provided signature is empty", "unable to read armored key
 * ring: ..." (only when no ring could be read) or "unable to verify payload with any of the
 * given key rings". */
int pgp_verify_detached(const char *const *rings, const size_t *ring_lens, size_t nrings,
			const char *sig, size_t siglen, const char *data, size_t len,
			char keyid[17]);

#endif
