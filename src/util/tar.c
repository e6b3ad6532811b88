/* Tar archives read from memory (see tar.h): gzip inflated with zlib, then the 512-byte
 * records walked as Go's archive/tar reads them. */
#include "util/tar.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define BLOCK 512
#define MIB (1024u * 1024u)

/* The whole gzip stream (members one after another, as gzip allows) inflated, at most max
 * bytes. */
static int gunzip(const unsigned char *in, size_t n, size_t max, struct buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return err_set(ERR_GENERIC, "gzip: cannot start inflating");
	z.next_in = (unsigned char *)in;
	z.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	int rc = 0;
	for (;;) {
		if (out->len == max) {
			rc = err_set(ERR_TOOBIG, "archive larger than %zu bytes when inflated", max);
			break;
		}
		size_t room = max - out->len < 256 * 1024 ? max - out->len : 256 * 1024;
		buf_reserve(out, room);
		if (out->err) {
			rc = err_set(out->err, "archive too large");
			break;
		}
		z.next_out = (unsigned char *)out->ptr + out->len;
		z.avail_out = (uInt)room;
		int zr = inflate(&z, Z_NO_FLUSH);
		out->len += room - z.avail_out;
		if (zr == Z_STREAM_END) {
			if (!z.avail_in)
				break;
			if (inflateReset(&z) != Z_OK) { /* another member follows */
				rc = err_set(ERR_INVALID, "gzip: invalid header");
				break;
			}
			continue;
		}
		if (zr == Z_BUF_ERROR && !z.avail_in) {
			rc = err_set(ERR_INVALID, "unexpected EOF");
			break;
		}
		if (zr != Z_OK) {
			rc = err_set(ERR_INVALID, "gzip: %s", z.msg ? z.msg : "invalid data");
			break;
		}
	}
	inflateEnd(&z);
	if (out->ptr && out->cap)
		out->ptr[out->len] = '\0';
	return rc;
}

/* A numeric field: octal digits (NUL/space padded), or GNU's base-256 (high bit set). */
static bool parse_number(const unsigned char *f, size_t n, uint64_t *out)
{
	if (n && (f[0] & 0x80)) {
		if (f[0] & 0x40)
			return false; /* negative */
		uint64_t v = f[0] & 0x3f;
		for (size_t i = 1; i < n; i++) {
			if (v >> 56)
				return false;
			v = v << 8 | f[i];
		}
		*out = v;
		return true;
	}
	size_t i = 0;
	while (i < n && (f[i] == ' ' || f[i] == '\0'))
		i++;
	uint64_t v = 0;
	bool any = false;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
		if (v >> 60)
			return false;
		v = v * 8 + (uint64_t)(f[i] - '0');
		any = true;
	}
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return false;
	*out = any ? v : 0;
	return true;
}

/* The checksum: the header's bytes summed with its checksum field as spaces; Go accepts the
 * unsigned or the signed sum. */
static bool checksum_ok(const unsigned char *h)
{
	uint64_t want;
	if (!parse_number(h + 148, 8, &want))
		return false;
	int64_t s = 0;
	uint64_t u = 0;
	for (size_t i = 0; i < BLOCK; i++) {
		unsigned char c = i >= 148 && i < 156 ? ' ' : h[i];
		u += c;
		s += (signed char)c;
	}
	return want == u || (int64_t)want == s;
}

static bool all_zero(const unsigned char *h)
{
	for (size_t i = 0; i < BLOCK; i++)
		if (h[i])
			return false;
	return true;
}

/* A NUL-terminated copy of field f[0..n) up to its first NUL. */
static void field(struct buf *b, const unsigned char *f, size_t n)
{
	size_t l = 0;
	while (l < n && f[l])
		l++;
	buf_add(b, f, l);
}

/* PAX records "LEN key=value\n": path and size are the ones used. */
static int pax_records(const unsigned char *p, size_t n, struct buf *path, bool *has_path,
		       uint64_t *size, bool *has_size)
{
	while (n) {
		size_t i = 0, len = 0;
		while (i < n && p[i] >= '0' && p[i] <= '9') {
			if (len > n)
				return err_set(ERR_INVALID, "archive/tar: invalid PAX record");
			len = len * 10 + (size_t)(p[i] - '0');
			i++;
		}
		if (!i || i >= n || p[i] != ' ' || len <= i + 1 || len > n || p[len - 1] != '\n')
			return err_set(ERR_INVALID, "archive/tar: invalid PAX record");
		const unsigned char *kv = p + i + 1, *end = p + len - 1;
		const unsigned char *eq = memchr(kv, '=', (size_t)(end - kv));
		if (!eq || eq == kv)
			return err_set(ERR_INVALID, "archive/tar: invalid PAX record");
		size_t kl = (size_t)(eq - kv);
		if (kl == 4 && !memcmp(kv, "path", 4)) {
			buf_reset(path);
			buf_add(path, eq + 1, (size_t)(end - eq - 1));
			*has_path = true;
		} else if (kl == 4 && !memcmp(kv, "size", 4)) {
			uint64_t v = 0;
			const unsigned char *d = eq + 1;
			if (d == end)
				return err_set(ERR_INVALID, "archive/tar: invalid PAX record");
			for (; d < end; d++) {
				if (*d < '0' || *d > '9' || v > UINT64_MAX / 10 - 1)
					return err_set(ERR_INVALID, "archive/tar: invalid PAX record");
				v = v * 10 + (uint64_t)(*d - '0');
			}
			*size = v;
			*has_size = true;
		}
		p += len;
		n -= len;
	}
	return 0;
}

static int walk(const unsigned char *t, size_t n, const struct tar_limits *lim, tar_entry_fn fn,
		void *ctx)
{
	size_t max_entries = lim && lim->max_entries ? lim->max_entries : 100000;
	struct buf name = BUF_INIT, long_name = BUF_INIT, pax_path = BUF_INIT;
	bool have_long = false, have_pax_path = false, have_pax_size = false;
	uint64_t pax_size = 0;
	size_t entries = 0, pos = 0;
	int rc = 0;
	for (;;) {
		if (n - pos < BLOCK) {
			if (pos != n) /* at n: no end-of-archive blocks, which Go reads as the end too */
				rc = err_set(ERR_INVALID, "unexpected EOF");
			break;
		}
		const unsigned char *h = t + pos;
		if (all_zero(h))
			break;
		if (!checksum_ok(h)) {
			rc = err_set(ERR_INVALID, "archive/tar: invalid tar header");
			break;
		}
		if (++entries > max_entries) {
			rc = err_set(ERR_TOOBIG, "archive has more than %zu entries", max_entries);
			break;
		}
		uint64_t size;
		if (!parse_number(h + 124, 12, &size)) {
			rc = err_set(ERR_INVALID, "archive/tar: invalid tar header");
			break;
		}
		char flag = (char)h[156];
		if (have_pax_size && flag != 'x' && flag != 'g' && flag != 'L' && flag != 'K')
			size = pax_size;
		/* links, devices, directories and FIFOs have no body, whatever their size says */
		if (flag && strchr("123456", flag))
			size = 0;
		pos += BLOCK;
		if (size > n - pos) {
			rc = err_set(ERR_INVALID, "unexpected EOF");
			break;
		}
		const unsigned char *body = t + pos;
		size_t padded = (size_t)size + (BLOCK - size % BLOCK) % BLOCK;
		size_t next = padded > n - pos ? n : pos + padded;
		if (flag == 'L' || flag == 'K') {
			if (flag == 'L') {
				buf_reset(&long_name);
				field(&long_name, body, (size_t)size);
				have_long = true;
			}
			pos = next;
			continue;
		}
		if (flag == 'x' || flag == 'g') {
			/* global records apply to every later entry in Go; a path or size there is
			 * rare enough to be checked and then ignored (into a buffer of its own, so
			 * a pending per-entry path is not overwritten) */
			struct buf ignored = BUF_INIT;
			bool ignored_path = false, ignored_size = false;
			uint64_t ignored_n = 0;
			if (flag == 'x')
				rc = pax_records(body, (size_t)size, &pax_path, &have_pax_path, &pax_size,
						 &have_pax_size);
			else
				rc = pax_records(body, (size_t)size, &ignored, &ignored_path, &ignored_n,
						 &ignored_size);
			buf_release(&ignored);
			if (rc)
				break;
			pos = next;
			continue;
		}
		buf_reset(&name);
		if (have_pax_path) {
			buf_add(&name, pax_path.ptr, pax_path.len);
		} else if (have_long) {
			buf_add(&name, long_name.ptr, long_name.len);
		} else {
			/* ustar ("ustar\0" "00") puts a prefix in front; GNU ("ustar  \0") does not */
			if (!memcmp(h + 257, "ustar\0", 6) && h[345]) {
				field(&name, h + 345, 155);
				buf_addch(&name, '/');
			}
			field(&name, h, 100);
		}
		have_long = have_pax_path = have_pax_size = false;
		pax_size = 0;
		struct tar_entry e = { name.ptr ? name.ptr : "", TAR_OTHER, NULL, 0 };
		switch (flag) {
		case '0': case '\0': case '7':
			e.type = TAR_FILE;
			e.data = body;
			e.size = (size_t)size;
			break;
		case '5': e.type = TAR_DIR; break;
		case '2': e.type = TAR_SYMLINK; break;
		case '1': e.type = TAR_LINK; break;
		default: break;
		}
		if (flag == '\0' && name.len && name.ptr[name.len - 1] == '/') {
			e.type = TAR_DIR; /* v7: a trailing slash makes a directory */
			e.data = NULL;
			e.size = 0;
		}
		if ((rc = fn(ctx, &e)))
			break;
		pos = next;
	}
	buf_release(&name);
	buf_release(&long_name);
	buf_release(&pax_path);
	return rc;
}

int tar_each(const void *data, size_t len, const struct tar_limits *lim, tar_entry_fn fn, void *ctx)
{
	size_t max = lim && lim->max_bytes ? lim->max_bytes : 100 * MIB;
	const unsigned char *d = data;
	if (len >= 2 && d[0] == 0x1f && d[1] == 0x8b) {
		struct buf out = BUF_INIT;
		int rc = gunzip(d, len, max, &out);
		if (!rc)
			rc = walk((const unsigned char *)out.ptr, out.len, lim, fn, ctx);
		buf_release(&out);
		return rc;
	}
	if (len > max)
		return err_set(ERR_TOOBIG, "archive larger than %zu bytes", max);
	return walk(d, len, lim, fn, ctx);
}
