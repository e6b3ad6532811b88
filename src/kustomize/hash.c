/*
 * The name hash kustomize appends to generated ConfigMaps and Secrets (api/hasher): the
 * SHA-256 (util/sha256.h) of a JSON encoding (Go's encoding/json: sorted keys, HTML-safe
 * escapes, util/json_escape.h) of the object's kind, name and data, hex-encoded, cut to 10
 * characters and with 0, 1, 3, a, e mapped to g, h, k, m, t so the result never reads as
 * a number or a bad word.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/json_escape.h"
#include "util/sha256.h"

#include "util/banned.h"

void kust_sha256(const void *data, size_t len, unsigned char out[32])
{
	sha256(data, len, out);
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
		json_escape_go(b, n->u.str.ptr, n->u.str.len);
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
			json_escape_go(b, p[i].key, strlen(p[i].key));
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
		json_escape_go(b, kust_scalar(v), strlen(kust_scalar(v)));
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
