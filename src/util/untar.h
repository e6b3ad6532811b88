/*
 * Unpacking a tar archive (plain or gzip-compressed) from memory or a file into a directory, confined
 * to it: the walker behind source artifacts, and soon Helm charts and OCI layers, so any
 * engine can unpack without the HTTP client.
 *
 *   struct untar_limits lim = UNTAR_LIMITS_INIT;
 *   if (untar_to_dir(data, len, tmpdir, &lim)) log_error(..., err_msg());
 *
 * Confinement: absolute names and names with a ".." component are refused (ERR_ESCAPE);
 * symlinks, hard links and special files are skipped (so nothing can point outside); only
 * directories and regular files are created, files opened with O_NOFOLLOW. Only the gzip
 * filter is enabled: libarchive's others may run external programs. Thread safe.
 */
#ifndef TIDE_UTIL_UNTAR_H
#define TIDE_UTIL_UNTAR_H

#include <stddef.h>

struct untar_limits {
	size_t max_bytes;   /* unpacked bytes of all files; 0 = 100 MiB (Flux's default) */
	size_t max_entries; /* entries of any type; 0 = 100000 */
};

#define UNTAR_LIMITS_INIT { 0, 0 }

/* Unpacks the archive in data[0..len) into the existing directory dest (lim NULL = the
 * defaults). Errors: ERR_ESCAPE (an entry would leave dest), ERR_TOOBIG (a cap, named in
 * the message), ERR_INVALID (not an archive, corrupt), ERR_IO (writing). On error dest may
 * hold part of the files: callers unpack into a fresh temporary directory and remove it. */
int untar_to_dir(const void *data, size_t len, const char *dest, const struct untar_limits *lim);

/* The same for the archive in the file at path, read as it is unpacked (an OCI layer of
 * hundreds of MiB is never held in memory). */
int untar_file_to_dir(const char *path, const char *dest, const struct untar_limits *lim);

#endif
