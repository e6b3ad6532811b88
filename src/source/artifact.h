/*
 * Source artifacts: a deterministic .tar.gz of a checked-out tree, and Flux's naming of
 * revisions (where artifacts are kept and how they are written: storage.h).
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
#include "source/storage.h" /* struct artifact_info, the atomic write */

struct artifact_limits {
	uint64_t max_bytes; /* total file bytes; 0 for no cap */
	size_t max_files;   /* regular files; 0 for no cap */
};

/* Archives the tree at dir into out_path, written atomically through storage_file (readers
 * never see a partial file; info gets the digest and size of the .tar.gz). ign may be NULL. Returns 0 and fills *info, or
 * ERR_TOOBIG naming the cap that was hit, or ERR_IO / ERR_GENERIC for I/O and archive
 * errors; on error nothing is left at out_path or its temporary name. */
int artifact_archive(const char *dir, const struct ignore_rules *ign, const struct artifact_limits *lim,
		     const char *out_path, struct artifact_info *info);

/* A streaming writer of the same deterministic tarball, for callers that produce the entries
 * themselves (git_archive.h packs a Git tree without a checkout). The caller adds entries in
 * the order they must appear (byte order of names within each directory, a directory before
 * its contents); the writer applies the fixed owners, times and modes described above, the
 * limits, and hashes the output as it is written. Not thread-safe; one writer per artifact. */
struct artifact_writer;

/* Starts writing out_path (atomically, see storage_file_create). lim may be NULL (no caps).
 * Returns 0 and the writer in *out (freed by artifact_writer_close or artifact_writer_abort),
 * or ERR_IO / ERR_GENERIC. */
int artifact_writer_open(struct artifact_writer **out, const char *out_path,
			 const struct artifact_limits *lim);

/* Adds a directory entry for rel ('/'-separated, relative, no trailing '/'). */
int artifact_writer_dir(struct artifact_writer *w, const char *rel);

/* Starts a regular file entry of size bytes (executable: any execute bit set); its contents
 * follow through artifact_writer_data, exactly size bytes in total. ERR_TOOBIG when a cap is
 * passed. */
int artifact_writer_file(struct artifact_writer *w, const char *rel, int executable,
			 uint64_t size);
int artifact_writer_data(struct artifact_writer *w, const void *data, size_t len);

/* Finishes the tarball, fills *info and renames it to out_path. Frees w in every case; on
 * error nothing is left at the temporary name. */
int artifact_writer_close(struct artifact_writer *w, struct artifact_info *info);

/* Drops the partial tarball and frees w (NULL is fine). */
void artifact_writer_abort(struct artifact_writer *w);

/* Flux's revision string: "<ref>@sha1:<hex>" where ref is a branch or tag short name or a full
 * refname, or "sha1:<hex>" when ref is NULL or empty (a commit-only reference). Caller frees. */
char *artifact_revision(const char *ref, const char *sha1_hex);

#endif
