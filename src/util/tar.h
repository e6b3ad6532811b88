/*
 * Reading a tar archive (plain or gzip-compressed) from memory, entry by entry, without
 * writing anything: what Helm's chart loader needs from a .tgz. The formats are those Go's
 * archive/tar reads, which is what writes charts (`helm package`): v7, ustar (with its name
 * prefix), GNU (long names 'L'/'K', base-256 sizes) and PAX (per-entry and global records,
 * `path` and `size`). Header checksums are checked. zlib does the inflating (through the
 * lazy stubs), so reading a chart does not load libarchive and the libraries behind it.
 *
 *   struct tar_limits lim = TAR_LIMITS_INIT;
 *   rc = tar_each(data, len, &lim, on_entry, ctx);
 *
 * Caps: the inflated size (max_bytes) and the number of entries; an archive over either is
 * ERR_TOOBIG. Anything malformed (a bad checksum, a size past the end, a truncated stream)
 * is ERR_INVALID with a message. Names are given as stored (no cleaning: the caller judges
 * them), NUL-terminated.
 */
#ifndef TIDE_UTIL_TAR_H
#define TIDE_UTIL_TAR_H

#include <stddef.h>

struct tar_limits {
	size_t max_bytes;   /* inflated archive bytes; 0 = 100 MiB */
	size_t max_entries; /* 0 = 100,000 */
};

#define TAR_LIMITS_INIT { 0, 0 }

enum tar_type {
	TAR_FILE,    /* '0', '\0', '7' */
	TAR_DIR,     /* '5' */
	TAR_SYMLINK, /* '2' */
	TAR_LINK,    /* '1' (a hard link) */
	TAR_OTHER,   /* devices, FIFOs, ... */
};

struct tar_entry {
	const char *name; /* as stored, NUL-terminated */
	enum tar_type type;
	const void *data; /* TAR_FILE: its bytes (valid during the callback only) */
	size_t size;
};

/* Calls fn for each entry in order; a non-zero return stops the walk and is returned. */
typedef int (*tar_entry_fn)(void *ctx, const struct tar_entry *e);
int tar_each(const void *data, size_t len, const struct tar_limits *lim, tar_entry_fn fn,
	     void *ctx);

#endif
