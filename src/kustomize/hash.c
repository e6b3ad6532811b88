/*
 * The name hash kustomize appends to generated ConfigMaps and Secrets (api/hasher): the
 * SHA-256 of a JSON encoding (Go's encoding/json: sorted keys, HTML-safe escapes) of the
 * object's kind, name and data, hex-encoded, cut to 10 characters and with 0, 1, 3, a, e
 * mapped to g, h, k, m, t so the result never reads as a number or a bad word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"

#include "util/banned.h"

/* ---- SHA-256 (FIPS 180-4) --------------------------------------------------------------*/

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t S1 = ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25);
		uint32_t ch = (e & f) ^ (~e & g);
		uint32_t t1 = hh + S1 + ch + K[i] + w[i];
		uint32_t S0 = ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22);
		uint32_t mj = (a & b) ^ (a & c) ^ (b & c);
		uint32_t t2 = S0 + mj;
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

void kust_sha256(const void *data, size_t len, unsigned char out[32])
{
	uint32_t h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			  0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const unsigned char *p = data;
	size_t n = len;
	while (n >= 64) {
		sha_block(h, p);
		p += 64;
		n -= 64;
	}
	unsigned char tail[128] = { 0 };
	memcpy(tail, p, n);
	tail[n] = 0x80;
	size_t tl = n + 1 + 8 <= 64 ? 64 : 128;
	uint64_t bits = (uint64_t)len * 8;
	for (int i = 0; i < 8; i++)
		tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
	sha_block(h, tail);
	if (tl == 128)
		sha_block(h, tail + 64);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

void kust_hash_encode(const void *data, size_t len, char out[11])
{
	unsigned char d[32];
	kust_sha256(data, len, d);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 5; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[10] = '\0';
	for (int i = 0; i < 10; i++) {
		switch (out[i]) {
		case '0': out[i] = 'g'; break;
		case '1': out[i] = 'h'; break;
		case '3': out[i] = 'k'; break;
		case 'a': out[i] = 'm'; break;
		case 'e': out[i] = 't'; break;
		default: break;
		}
	}
}

/* ---- Go's encoding/json ------------------------------------------------------------------*/

void kust_go_json_string(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(b, '"');
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c == '"' || c == '\\') {
				buf_addch(b, '\\');
				buf_addch(b, (char)c);
			} else if (c == '\n') {
				buf_adds(b, "\\n");
			} else if (c == '\r') {
				buf_adds(b, "\\r");
			} else if (c == '\t') {
				buf_adds(b, "\\t");
			} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
				buf_adds(b, "\\u00");
				buf_addch(b, hex[c >> 4]);
				buf_addch(b, hex[c & 15]);
			} else {
				buf_addch(b, (char)c);
			}
			i++;
			continue;
		}
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (!l) {
			buf_adds(b, "\\ufffd");
			i++;
			continue;
		}
		uint32_t cp = utf8_decode(s + i, l);
		if (cp == 0x2028 || cp == 0x2029)
			buf_addf(b, "\\u%04x", (unsigned)cp);
		else
			buf_add(b, s + i, l);
		i += l;
	}
	buf_addch(b, '"');
}

static int cmp_pairs(const void *x, const void *y)
{
	const struct doc_pair *a = x, *b = y;
	return strcmp(a->key, b->key);
}

/* A value as json.Marshal of the interface{} kyaml would make of it. */
static void go_json(struct buf *b, const struct doc_node *n)
{
	if (!n) {
		buf_adds(b, "null");
		return;
	}
	switch (n->kind) {
	case DOC_NULL:
		buf_adds(b, "null");
		break;
	case DOC_BOOL:
		buf_adds(b, n->u.boolean ? "true" : "false");
		break;
	case DOC_INT:
	case DOC_FLOAT:
		buf_add(b, n->u.str.ptr, n->u.str.len);
		break;
	case DOC_STR:
		kust_go_json_string(b, n->u.str.ptr, n->u.str.len);
		break;
	case DOC_SEQ:
		buf_addch(b, '[');
		for (size_t i = 0; i < n->u.seq.len; i++) {
			if (i)
				buf_addch(b, ',');
			go_json(b, n->u.seq.items[i]);
		}
		buf_addch(b, ']');
		break;
	case DOC_MAP: {
		size_t len = n->u.map.len;
		struct doc_pair *p = len ? malloc(len * sizeof(*p)) : NULL;
		if (len)
			memcpy(p, n->u.map.items, len * sizeof(*p));
		if (len)
			qsort(p, len, sizeof(*p), cmp_pairs);
		buf_addch(b, '{');
		for (size_t i = 0; i < len; i++) {
			if (i)
				buf_addch(b, ',');
			kust_go_json_string(b, p[i].key, strlen(p[i].key));
			buf_addch(b, ':');
			go_json(b, p[i].value);
		}
		buf_addch(b, '}');
		free(p);
		break;
	}
	}
}

static void field_json(struct buf *b, const struct doc_node *v)
{
	if (!v || v->kind == DOC_NULL)
		buf_adds(b, "\"\"");
	else if (v->kind == DOC_MAP || v->kind == DOC_SEQ)
		go_json(b, v);
	else
		kust_go_json_string(b, kust_scalar(v), strlen(kust_scalar(v)));
}

int kust_hash_object(struct arena *a, const struct doc_node *obj, char out[11])
{
	(void)a;
	struct buf b = BUF_INIT;
	const char *kind = kust_scalar(doc_map_get(obj, "kind"));
	/* kustomize looks the name up as the single key "metadata/name", which never exists,
	 * so the name always hashes as "" (kept for identical hashes). */
	const struct doc_node *name = doc_map_get(obj, "metadata/name");
	if (kind && !strcmp(kind, "ConfigMap")) {
		const struct doc_node *bd = doc_map_get(obj, "binaryData");
		if (bd && bd->kind == DOC_MAP) {
			buf_adds(&b, "{\"binaryData\":");
			go_json(&b, bd);
			buf_adds(&b, ",\"data\":");
		} else {
			buf_adds(&b, "{\"data\":");
		}
		field_json(&b, doc_map_get(obj, "data"));
		buf_adds(&b, ",\"kind\":\"ConfigMap\",\"name\":");
		field_json(&b, name);
		buf_addch(&b, '}');
	} else if (kind && !strcmp(kind, "Secret")) {
		buf_adds(&b, "{\"data\":");
		field_json(&b, doc_map_get(obj, "data"));
		buf_adds(&b, ",\"kind\":\"Secret\",\"name\":");
		field_json(&b, name);
		const struct doc_node *sd = doc_map_get(obj, "stringData");
		if (sd && sd->kind == DOC_MAP) {
			buf_adds(&b, ",\"stringData\":");
			go_json(&b, sd);
		}
		buf_adds(&b, ",\"type\":");
		field_json(&b, doc_map_get(obj, "type"));
		buf_addch(&b, '}');
	} else {
		go_json(&b, obj);
	}
	kust_hash_encode(b.ptr, b.len, out);
	buf_release(&b);
	return 0;
}
