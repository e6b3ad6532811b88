/*
 * Source artifacts: a deterministic .tar.gz of a checked-out tree, and Flux's naming of
 * revisions and storage paths.
 *
 * The tarball holds the tree's directories and regular files, walked in byte order of names,
 * with zero mtimes, uid/gid 0, no owner names, mode 0755 for directories and 0644 (0744 when
 * any execute bit is set) for files, as Flux writes them, so the same tree always gives the
 * same bytes and digest. Symlinks and other special files are skipped, as Flux skips them, so
 * nothing outside the root can be archived. Excluded paths (ignore rules) are left out, and an
 * excluded directory is not descended into.
 */
#ifndef TIDE_SOURCE_ARTIFACT_H
#define TIDE_SOURCE_ARTIFACT_H

#include <stddef.h>
#include <stdint.h>

#include "source/ignore.h"

struct artifact_limits {
	uint64_t max_bytes; /* total file bytes; 0 for no cap */
	size_t max_files;   /* regular files; 0 for no cap */
};

struct artifact_info {
	char digest[72]; /* "sha256:<64 hex>" of the .tar.gz */
	uint64_t size;   /* bytes of the .tar.gz */
};

/* Archives the tree at dir into out_path, written as out_path + ".tmp" and renamed into place
 * so readers never see a partial file. ign may be NULL. Returns 0 and fills *info, or
 * ERR_TOOBIG naming the cap that was hit, or ERR_GENERIC for I/O errors; on error nothing is
 * left at out_path's temporary name. */
int artifact_archive(const char *dir, const ignore_rules *ign, const struct artifact_limits *lim,
		     const char *out_path, struct artifact_info *info);

/* Flux's revision string: "<ref>@sha1:<hex>" where ref is a branch or tag short name or a full
 * refname, or "sha1:<hex>" when ref is NULL or empty (a commit-only reference). Caller frees. */
char *artifact_revision(const char *ref, const char *sha1_hex);

/* The storage path relative to the storage root, as Flux lays it out:
 * "<kind>/<namespace>/<name>/<file>", e.g. "gitrepository/flux-system/app/<hash>.tar.gz".
 * kind is lower-cased. Caller frees. */
char *artifact_storage_path(const char *kind, const char *ns, const char *name, const char *file);

#endif
