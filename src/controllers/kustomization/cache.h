/*
 * Unpacked artifacts shared by the Kustomization controller's reconciles (cache.c). Many
 * Kustomizations build paths of one source revision: each reconcile used to download,
 * verify and unpack the whole artifact into its own directory. The cache unpacks a revision
 * (keyed by its digest) once, and gives each reconcile a private copy made of hard links:
 * the build writes its generated kustomization.yaml with fs_write_atomic (a new file renamed
 * over the link), so the shared files are never written. Entries not used for ten minutes
 * are removed when a new one is added; the whole cache when the controller stops.
 */
#ifndef TIDE_CONTROLLERS_KUSTOMIZATION_CACHE_H
#define TIDE_CONTROLLERS_KUSTOMIZATION_CACHE_H

struct fetch_limits;
struct ks_cache;

/* A cache in a new directory under $TMPDIR (or /tmp). ERR_IO when it cannot be made. */
int ks_cache_new(struct ks_cache **out);

/* Removes the cache's directory and frees it. NULL is fine. */
void ks_cache_free(struct ks_cache *c);

/* Fills dest (an existing empty directory on the same filesystem as the cache) with the
 * artifact at url: from the cache when digest ("sha256:<hex>") was unpacked before, else
 * downloaded, verified and unpacked (fetch_artifact, with lim) into the cache first. Without
 * a digest the artifact is fetched into dest directly. Errors are fetch_artifact's, or
 * ERR_IO. Thread-safe: fetches are serialised, copies are not. */
int ks_cache_checkout(struct ks_cache *c, const char *url, const char *digest, const char *dest,
		      const struct fetch_limits *lim);

#endif
