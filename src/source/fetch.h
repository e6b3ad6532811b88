/*
 * Fetching a source artifact the way Flux's consumers do (fluxcd/pkg http/fetch): download
 * status.artifact.url, check it against status.artifact.digest, unpack the .tar.gz into a
 * directory. Used by the Kustomization controller; meant for the HelmChart and other
 * artifact consumers too.
 *
 *   struct fetch_limits lim = FETCH_LIMITS_INIT;
 *   if (fetch_artifact(url, "sha256:ab12...", tmpdir, &lim)) log_error(..., err_msg());
 *
 * The download goes through net (net_get), the unpacking through util/untar.h, confined to
 * the destination (see there). Thread safe.
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

/* untar_to_dir (util/untar.h) with lim's max_untar and max_files, for the callers that hold
 * a fetch_limits. Same errors. */
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
