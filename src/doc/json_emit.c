/*
 * JSON writer. Numbers are written as their text, normalised where YAML allows forms JSON
 * does not ("0x1F", "0o17", "+1", ".5", "1.", "1_000"); YAML's .inf and .nan have no JSON
 * form and become strings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "util/buf.h"
#include "util/json_escape.h"
#include "util/banned.h"

static bool plain_json_int(const char *s, size_t n)
{
	size_t i = s[0] == '-' ? 1 : 0;
	if (i >= n || (s[i] == '0' && n - i > 1))
		return false;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static void write_int(struct buf *b, const char *s, size_t n)
{
	if (plain_json_int(s, n)) {
		buf_add(b, s, n);
		return;
	}
	char tmp[128];
	size_t k = 0;
	for (size_t i = 0; i < n && k + 1 < sizeof(tmp); i++)
		if (s[i] != '_')
			tmp[k++] = s[i];
	tmp[k] = '\0';
	char *p = tmp;
	bool neg = false;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) { base = 16; p += 2; }
	else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) { base = 8; p += 2; }
	else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) { base = 2; p += 2; }
	else if (p[0] == '0' && p[1]) { base = 8; p += 1; }
	else {
		/* Decimal digits with a sign or leading zeros of any length: strip and keep. */
		while (p[0] == '0' && p[1])
			p++;
		if (neg && strcmp(p, "0"))
			buf_addch(b, '-');
		buf_adds(b, p);
		return;
	}
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, base);
	if (errno || *end) {
		json_escape(b, s, n); /* beyond 64 bits in a non-decimal base: keep it as text */
		return;
	}
	if (neg && v)
		buf_addch(b, '-');
	buf_addf(b, "%llu", v);
}

static void write_float(struct buf *b, const char *s, size_t n)
{
	/* yaml.v3 drops every '_' of a number (1_0.5 is 10.5), as write_int does */
	char tmp[128];
	if (memchr(s, '_', n)) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '_')
				continue;
			if (k + 1 >= sizeof(tmp)) {
				json_escape(b, s, n);
				return;
			}
			tmp[k++] = s[i];
		}
		s = tmp;
		n = k;
	}
	const char *p = s;
	size_t len = n;
	bool neg = false;
	if (len && (p[0] == '+' || p[0] == '-')) {
		neg = p[0] == '-';
		p++;
		len--;
	}
	if (len && (p[0] == '.' && (len < 2 || p[1] < '0' || p[1] > '9'))) {
		json_escape(b, s, n); /* .inf, .nan: no JSON number for them */
		return;
	}
	if (neg)
		buf_addch(b, '-');
	/* YAML floats may have leading zeros ("08.5", "0800"); JSON numbers may not. */
	while (len > 1 && p[0] == '0' && p[1] >= '0' && p[1] <= '9') {
		p++;
		len--;
	}
	if (len && p[0] == '.')
		buf_addch(b, '0');
	for (size_t i = 0; i < len; i++) {
		buf_addch(b, p[i]);
		if (p[i] == '.' && (i + 1 == len || p[i + 1] < '0' || p[i + 1] > '9'))
			buf_addch(b, '0');
	}
}

static void emit(struct buf *b, const struct doc_node *n, int indent, int depth)
{
	switch (n->kind) {
	case DOC_NULL:
		buf_adds(b, "null");
		return;
	case DOC_BOOL:
		buf_adds(b, n->u.boolean ? "true" : "false");
		return;
	case DOC_INT:
		write_int(b, n->u.str.ptr, n->u.str.len);
		return;
	case DOC_FLOAT:
		write_float(b, n->u.str.ptr, n->u.str.len);
		return;
	case DOC_STR:
		json_escape(b, n->u.str.ptr, n->u.str.len);
		return;
	case DOC_SEQ:
	case DOC_MAP: {
		bool map = n->kind == DOC_MAP;
		size_t len = map ? n->u.map.len : n->u.seq.len;
		buf_addch(b, map ? '{' : '[');
		for (size_t i = 0; i < len; i++) {
			if (i)
				buf_addch(b, ',');
			if (indent > 0) {
				buf_addch(b, '\n');
				buf_addnch(b, ' ', (size_t)indent * (size_t)(depth + 1));
			}
			if (map) {
				json_escape(b, n->u.map.items[i].key, n->u.map.items[i].keylen);
				buf_adds(b, indent > 0 ? ": " : ":");
				emit(b, n->u.map.items[i].value, indent, depth + 1);
			} else {
				emit(b, n->u.seq.items[i], indent, depth + 1);
			}
		}
		if (indent > 0 && len) {
			buf_addch(b, '\n');
			buf_addnch(b, ' ', (size_t)indent * (size_t)depth);
		}
		buf_addch(b, map ? '}' : ']');
		return;
	}
	}
}

void doc_emit_json(struct buf *out, const struct doc_node *n, int indent)
{
	emit(out, n, indent, 0);
}
