/*
 * Files read with a size cap, directories made and removed whole, and paths confined to a root: a path taken from an archive,
 * a manifest or a kustomization never resolves outside the directory it belongs to.
 */
#ifndef TIDE_UTIL_FS_H
#define TIDE_UTIL_FS_H

#include <stddef.h>

struct buf;

/* Reads the whole file at path into out (appending). ERR_NOTFOUND when it does not exist,
 * ERR_TOOBIG past max bytes (0 = no cap), ERR_IO otherwise; the message names the path. */
int fs_read_file(const char *path, size_t max, struct buf *out);

/* fs_read_file for input that must be a plain file (a tenant's or a user's manifests):
 * a FIFO, device or socket is refused with ERR_INVALID ("not a regular file") without
 * blocking, since it is opened with O_NONBLOCK and checked with fstat first. */
int fs_read_regular_file(const char *path, size_t max, struct buf *out);

/* Writes data to path atomically (a temporary file in the same directory, then rename). */
int fs_write_atomic(const char *path, const void *data, size_t len, int mode);

/* Joins root and a relative path lexically ("a/../b" -> "b"), refusing absolute paths and
 * any ".." that would climb above root (ERR_ESCAPE). The result is a heap string. Symlinks
 * are not followed here; callers that open the result must also refuse symlinks that leave
 * the root (fs_resolve_in_root). */
int fs_join_confined(char **out, const char *root, const char *rel);

/* Resolves path with realpath(3) and checks it lies inside root (also resolved):
 * ERR_ESCAPE otherwise. The result is a heap string. */
int fs_resolve_in_root(char **out, const char *root, const char *path);

/* mkdir -p: creates path and its missing parents (mode 0755). ERR_IO names the directory
 * that could not be made. */
int fs_mkdir_p(const char *path);

/* rm -rf: removes path and everything below it, not following symlinks. Best effort:
 * what cannot be removed is left. */
void fs_rm_rf(const char *path);

/* The user's cache directory: $XDG_CACHE_HOME or ~/.cache. Heap string. */
char *fs_cache_dir(void);

#endif
