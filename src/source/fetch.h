/*
 * Fetching a source artifact the way Flux's consumers do (fluxcd/pkg http/fetch): download
 * status.artifact.url, check it against status.artifact.digest, unpack the .tar.gz into a
 * directory. Used by the Kustomization controller; meant for the HelmChart and other
 * artifact consumers too.
 *
 *   struct fetch_limits lim = FETCH_LIMITS_INIT;
 *   if (fetch_artifact(url, "sha256:ab12...", tmpdir, &lim)) log_error(..., err_msg());
 *
 * Unpacking is confined to the destination: absolute names and names with a ".." component
 * are refused (ERR_ESCAPE), symlinks, hard links and special files are skipped (so nothing
 * can point outside), and only directories and regular files are created. Thread safe.
 */
#ifndef TIDE_SOURCE_FETCH_H
#define TIDE_SOURCE_FETCH_H

#include <stddef.h>

struct fetch_limits {
	size_t max_download; /* compressed bytes; 0 = 100 MiB */
	size_t max_untar;    /* unpacked bytes of all files; 0 = 100 MiB (Flux's default) */
	size_t max_files;    /* entries; 0 = 100000 */
	long timeout_sec;    /* whole download; 0 = 60 */
};

#define FETCH_LIMITS_INIT { 0, 0, 0, 0 }

/* Unpacks a tar (plain or gzip-compressed) held in data[0..len) into the
 * existing directory dest. Errors: ERR_ESCAPE (an entry would leave dest), ERR_TOOBIG (a
 * cap, named in the message), ERR_INVALID (not an archive, corrupt), ERR_IO (writing). On
 * error dest may hold part of the files: callers unpack into a fresh temp dir and remove it. */
int fetch_untar(const void *data, size_t len, const char *dest, const struct fetch_limits *lim);

/* Checks data against digest "<algo>:<hex>" (sha256, sha384, sha512 or sha1). An empty or
 * NULL digest is accepted (older sources had none). ERR_INVALID on mismatch or an unknown
 * algorithm, with Flux's message ("computed digest doesn't match 'sha256:...'"). */
int fetch_verify_digest(const void *data, size_t len, const char *digest);

/* Downloads url (http/https; 404 is ERR_NOTFOUND, other failures ERR_UNAVAIL), verifies
 * the digest and unpacks into dest. */
int fetch_artifact(const char *url, const char *digest, const char *dest,
		   const struct fetch_limits *lim);

#endif
