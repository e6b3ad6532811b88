/*
 * Flux artifacts in a registry, over the client of oci_registry.h, as fluxcd/pkg oci's
 * Client does it for `flux pull artifact`, `flux tag artifact` and `flux list artifacts`
 * (its Push is oci_flux_push):
 *
 *   - pull: the manifest resolved (an index to linux/amd64), its first layer downloaded
 *     (digest and size checked, capped) and unpacked into a directory, confined;
 *   - tag: the manifest's bytes PUT again under another tag (crane.Tag), so the digest stays;
 *   - list: every tag, newest name first (tags sorted in reverse byte order, as Flux sorts
 *     them), cosign's .sig, .att and .sbom tags left out, filtered by a semver range and a Go
 *     regular expression, each with its manifest's digest and annotations.
 *
 * Unpacking (what Flux does with tar.Untar and WithSkipSymlinks, made stricter): the layer
 * must be gzip; it is unpacked by util/untar into a fresh directory inside dest (names with
 * ".." or a leading "/" refused, symlinks, hard links and special files skipped, caps on the
 * bytes and entries), then moved into dest entry by entry with renameat(2) on directory file
 * descriptors opened with O_NOFOLLOW: a file replaces a file of the same name, a directory is
 * merged into a directory, and a name in dest that is a symlink or of the other type is an
 * error (ERR_CONFLICT) instead of being followed or replaced, so nothing is ever written
 * outside dest (Flux writes through symlinks already in the directory).
 */
#ifndef TIDE_SOURCE_OCI_ARTIFACT_H
#define TIDE_SOURCE_OCI_ARTIFACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "source/oci_registry.h"

struct arena;

/* What the manifest of an artifact says about it (fluxcd/pkg oci's Metadata). Strings are
 * in the caller's arena, "" when the annotation is absent. */
struct oci_artifact_meta {
	const char *tag;                 /* list: the tag; pull: the ref asked for */
	char digest[OCI_DIGEST_MAX + 1]; /* the manifest's (the image manifest's, after an index) */
	const char *created;             /* org.opencontainers.image.created */
	const char *source;              /* org.opencontainers.image.source */
	const char *revision;            /* org.opencontainers.image.revision */
	const struct oci_kv *annotations; /* all of them */
	size_t nannotations;
};

struct oci_pull_limits {
	uint64_t max_layer; /* compressed bytes; 0 = 1 GiB */
	size_t max_bytes;   /* unpacked bytes of all files; 0 = 1 GiB */
	size_t max_files;   /* entries of any type; 0 = 100000 */
};

/* Pulls the artifact ref (a tag or a digest) of repo into the existing directory dest (see
 * above). lim may be NULL. ERR_NOTFOUND for an unknown tag or a manifest without layers
 * ("no layers found in artifact"), ERR_INVALID for a layer that is not gzip or a corrupt
 * archive, ERR_TOOBIG past a cap, ERR_ESCAPE for a name that would leave dest, ERR_CONFLICT
 * for a name dest has as a symlink or as the other type, ERR_IO for local errors. On error
 * dest may hold part of the files; the temporary directory is always removed. */
int oci_artifact_pull(struct oci_client *c, const char *repo, const char *ref, const char *dest,
		      const struct oci_pull_limits *lim, struct arena *a,
		      struct oci_artifact_meta *out);

/* Tags the manifest ref (a tag or a digest) of repo as tag too: its bytes PUT under tag with
 * its media type. digest_out (may be NULL) gets the manifest's digest. */
int oci_artifact_tag(struct oci_client *c, const char *repo, const char *ref, const char *tag,
		     char digest_out[OCI_DIGEST_MAX + 1]);

struct oci_list_opts {
	const char *semver;   /* a range (util/semver.h); NULL or "" = none */
	const char *regex;    /* a Go regular expression matched anywhere; NULL or "" = none */
	bool include_cosign;  /* keep the .sig, .att and .sbom tags */
};

/* The artifacts of repo (see above) into *out (an array of *n in a). Tags that are not
 * versions with three dot-separated parts are left out by a semver filter (fluxcd/pkg's
 * version.ParseVersion). ERR_INVALID with "semver '<range>' parse error: ..." or "regex
 * '<re>' parse error: ..." for a bad filter, the client's errors wrapped as "listing tags
 * failed: ..." or "fetching manifest failed: ...". o may be NULL. */
int oci_artifact_list(struct oci_client *c, const char *repo, const struct oci_list_opts *o,
		      struct arena *a, struct oci_artifact_meta **out, size_t *n);

#endif
