/* Base64 (see base64.h). */
#include "util/base64.h"

#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

int base64_decode(struct buf *out, const char *s, size_t n)
{
	unsigned acc = 0;
	int bits = 0, pad = 0;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		int v = b64_value(c);
		if (v < 0 || pad)
			return err_set(ERR_INVALID, "illegal base64 data at input byte %zu", i);
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		count++;
		if (bits >= 8) {
			bits -= 8;
			buf_addch(out, (char)((acc >> bits) & 0xff));
		}
	}
	if (count % 4 == 1 || pad > 2)
		return err_set(ERR_INVALID, "illegal base64 data at input byte %zu", n);
	return 0;
}

void base64_encode(struct buf *out, const void *data, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *u = data;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) |
			     (i + 2 < n ? u[i + 2] : 0);
		buf_addch(out, tbl[v >> 18 & 63]);
		buf_addch(out, tbl[v >> 12 & 63]);
		buf_addch(out, i + 1 < n ? tbl[v >> 6 & 63] : '=');
		buf_addch(out, i + 2 < n ? tbl[v & 63] : '=');
	}
}
