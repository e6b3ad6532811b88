/*
 * Artifacts straight from Git objects: the tarball of a commit's tree is packed from the
 * cache's blobs without a checkout, so no file is written to disk, read back and deleted.
 *
 * The result is byte for byte the artifact that artifact_archive() makes of a libgit2
 * checkout of the same tree (same entries, order, modes and digest): directories and regular
 * files (executable when the tree says 100755), symlinks skipped, a submodule (gitlink) as the
 * empty directory a checkout leaves. Blobs are archived as stored, without the .gitattributes
 * filters (eol, ident) a checkout could apply, as Flux's go-git checkout does.
 *
 * Tree entries a checkout would refuse ("", ".", "..", ".git" in any case, names with '/')
 * fail the archive with ERR_INVALID, so nothing outside the root can be named.
 */
#ifndef TIDE_SOURCE_GIT_ARCHIVE_H
#define TIDE_SOURCE_GIT_ARCHIVE_H

#include <stddef.h>

#include "source/artifact.h"
#include "source/ignore.h"

/* Adds the patterns of every .sourceignore file of commit's tree (a regular file at any
 * depth, each for its own directory; directories the rules so far exclude are not entered),
 * as Flux's sourceignore.LoadIgnorePatterns does. max_bytes caps one file (ERR_TOOBIG).
 * Returns 0, ERR_NOTFOUND for an unknown commit, ERR_GENERIC for a damaged cache. */
int gitsrc_load_ignore(const char *cache_dir, const char *commit, struct ignore_rules *ign,
			   size_t max_bytes);

/* Packs commit's tree from the bare cache at cache_dir into the artifact at out_path (see
 * artifact_archive for the format, the limits and the atomic write). ign may be NULL.
 * Returns 0 and fills *info, ERR_TOOBIG for a cap, ERR_NOTFOUND for an unknown commit,
 * ERR_INVALID for an unsafe entry name, ERR_GENERIC otherwise. */
int gitsrc_archive(const char *cache_dir, const char *commit, const struct ignore_rules *ign,
		       const struct artifact_limits *lim, const char *out_path,
		       struct artifact_info *info);

#endif
