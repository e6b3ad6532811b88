/*
 * Building, copying and comparing document trees (see doc.h). Every allocation is in the
 * caller's arena; a map looks keys up linearly, which is fastest for the small maps
 * Kubernetes objects are made of.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "doc/intern.h"
#include "doc/scalar.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

struct doc_node *doc_new(struct arena *a, enum doc_kind kind)
{
	struct doc_node *n = arena_alloc8(a, sizeof(*n));
	n->kind = (uint8_t)kind;
	if (kind == DOC_STR || kind == DOC_INT || kind == DOC_FLOAT)
		n->u.str.ptr = "";
	return n;
}

struct doc_node *doc_new_null(struct arena *a)
{
	return doc_new(a, DOC_NULL);
}

struct doc_node *doc_new_bool(struct arena *a, bool v)
{
	struct doc_node *n = doc_new(a, DOC_BOOL);
	n->u.boolean = v;
	return n;
}

struct doc_node *doc_new_int(struct arena *a, int64_t v)
{
	struct doc_node *n = doc_new(a, DOC_INT);
	n->u.str.ptr = arena_sprintf(a, "%lld", (long long)v);
	n->u.str.len = strlen(n->u.str.ptr);
	return n;
}

struct doc_node *doc_new_strn(struct arena *a, const char *s, size_t len)
{
	struct doc_node *n = doc_new(a, DOC_STR);
	n->u.str.ptr = doc_strndup(a, s, len);
	n->u.str.len = len;
	return n;
}

struct doc_node *doc_new_str(struct arena *a, const char *s)
{
	return doc_new_strn(a, s, strlen(s));
}

struct doc_node *doc_new_scalar_plain(struct arena *a, const char *s, size_t len)
{
	enum doc_kind k = scalar_resolve_plain(s, len);
	struct doc_node *n = doc_new(a, k);
	if (k == DOC_BOOL)
		n->u.boolean = s[0] == 't' || s[0] == 'T';
	else if (k != DOC_NULL) {
		n->u.str.ptr = doc_strndup(a, s, len);
		n->u.str.len = len;
	}
	n->style = DOC_STYLE_PLAIN;
	return n;
}

struct doc_node *doc_new_map(struct arena *a)
{
	return doc_new(a, DOC_MAP);
}

struct doc_node *doc_new_seq(struct arena *a)
{
	return doc_new(a, DOC_SEQ);
}

static const char *dup_opt(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

struct doc_node *doc_clone(struct arena *a, const struct doc_node *n)
{
	if (!n)
		return NULL;
	struct doc_node *c = arena_alloc8(a, sizeof(*c));
	*c = *n;
	c->tag = dup_opt(a, n->tag);
	c->head_comment = dup_opt(a, n->head_comment);
	c->line_comment = dup_opt(a, n->line_comment);
	switch (n->kind) {
	case DOC_STR:
	case DOC_INT:
	case DOC_FLOAT:
		c->u.str.ptr = doc_strndup(a, n->u.str.ptr, n->u.str.len);
		break;
	case DOC_SEQ:
		c->u.seq.cap = n->u.seq.len;
		c->u.seq.items = n->u.seq.len ? arena_alloc8(a, n->u.seq.len * sizeof(struct doc_node *)) : NULL;
		for (size_t i = 0; i < n->u.seq.len; i++)
			c->u.seq.items[i] = doc_clone(a, n->u.seq.items[i]);
		break;
	case DOC_MAP:
		c->u.map.cap = n->u.map.len;
		c->u.map.items = n->u.map.len ? arena_alloc(a, n->u.map.len * sizeof(struct doc_pair)) : NULL;
		for (size_t i = 0; i < n->u.map.len; i++) {
			const struct doc_pair *p = &n->u.map.items[i];
			c->u.map.items[i] = *p;
			c->u.map.items[i].key = doc_strndup(a, p->key, p->keylen);
			c->u.map.items[i].value = doc_clone(a, p->value);
		}
		break;
	default:
		break;
	}
	return c;
}

void doc_seq_push(struct arena *a, struct doc_node *seq, struct doc_node *item)
{
	seq->u.seq.items = arena_grow(a, seq->u.seq.items, &seq->u.seq.cap, seq->u.seq.len + 1,
				      sizeof(struct doc_node *));
	seq->u.seq.items[seq->u.seq.len++] = item;
}

static struct doc_pair *find_pair(const struct doc_node *map, const char *key, size_t len)
{
	if (!map || map->kind != DOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->u.map.len; i++) {
		struct doc_pair *p = &map->u.map.items[i];
		if (p->keylen == len && !memcmp(p->key, key, len))
			return p;
	}
	return NULL;
}

void doc_map_set_n(struct arena *a, struct doc_node *map, const char *key, size_t len,
		   struct doc_node *value)
{
	struct doc_pair *p = find_pair(map, key, len);
	if (p) {
		p->value = value;
		return;
	}
	doc_map_push_owned(a, map, doc_strndup(a, key, len), len, value);
}

void doc_map_push_owned(struct arena *a, struct doc_node *map, const char *key, size_t len,
			struct doc_node *value)
{
	map->u.map.items = arena_grow(a, map->u.map.items, &map->u.map.cap, map->u.map.len + 1,
				      sizeof(struct doc_pair));
	struct doc_pair *p = &map->u.map.items[map->u.map.len++];
	memset(p, 0, sizeof(*p));
	p->key = key;
	p->keylen = len;
	p->key_kind = DOC_STR;
	p->value = value;
}

void doc_map_set_shared(struct arena *a, struct doc_node *map, const char *key, struct doc_node *value)
{
	size_t len = strlen(key);
	struct doc_pair *p = find_pair(map, key, len);
	if (p)
		p->value = value;
	else
		doc_map_push_owned(a, map, key, len, value);
}

void doc_map_set(struct arena *a, struct doc_node *map, const char *key, struct doc_node *value)
{
	doc_map_set_n(a, map, key, strlen(key), value);
}

bool doc_map_delete(struct doc_node *map, const char *key)
{
	struct doc_pair *p = find_pair(map, key, strlen(key));
	if (!p)
		return false;
	size_t i = (size_t)(p - map->u.map.items);
	memmove(p, p + 1, (map->u.map.len - i - 1) * sizeof(*p));
	map->u.map.len--;
	return true;
}

struct doc_node *doc_map_get(const struct doc_node *map, const char *key)
{
	struct doc_pair *p = find_pair(map, key, strlen(key));
	return p ? p->value : NULL;
}

struct doc_node *doc_map_child(struct arena *a, struct doc_node *map, const char *key,
			       enum doc_kind kind)
{
	struct doc_node *v = doc_map_get(map, key);
	if (!v || v->kind != kind) {
		v = doc_new(a, kind);
		doc_map_set(a, map, key, v);
	}
	return v;
}

struct doc_node *doc_map_get_n(const struct doc_node *map, const char *key, size_t len)
{
	struct doc_pair *p = find_pair(map, key, len);
	return p ? p->value : NULL;
}

bool doc_equal(const struct doc_node *a, const struct doc_node *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind)
		return false;
	switch (a->kind) {
	case DOC_NULL:
		return true;
	case DOC_BOOL:
		return a->u.boolean == b->u.boolean;
	case DOC_STR:
	case DOC_INT:
	case DOC_FLOAT:
		return a->u.str.len == b->u.str.len && !memcmp(a->u.str.ptr, b->u.str.ptr, a->u.str.len);
	case DOC_SEQ:
		if (a->u.seq.len != b->u.seq.len)
			return false;
		for (size_t i = 0; i < a->u.seq.len; i++)
			if (!doc_equal(a->u.seq.items[i], b->u.seq.items[i]))
				return false;
		return true;
	case DOC_MAP:
		if (a->u.map.len != b->u.map.len)
			return false;
		for (size_t i = 0; i < a->u.map.len; i++) {
			const struct doc_pair *p = &a->u.map.items[i];
			const struct doc_pair *q = find_pair(b, p->key, p->keylen);
			if (!q || !doc_equal(p->value, q->value))
				return false;
		}
		return true;
	}
	return false;
}

int doc_int64(const struct doc_node *n, int64_t *out)
{
	if (!n || n->kind != DOC_INT)
		return err_set(ERR_INVALID, "expected an integer, found %s", n ? doc_kind_name(n->kind) : "nothing");
	char *end;
	errno = 0;
	long long v = strtoll(n->u.str.ptr, &end, 0);
	if (errno || *end)
		return err_set(ERR_INVALID, "'%s': integer out of range", n->u.str.ptr);
	*out = v;
	return 0;
}

const char *doc_kind_name(enum doc_kind kind)
{
	switch (kind) {
	case DOC_NULL: return "null";
	case DOC_BOOL: return "boolean";
	case DOC_INT: return "integer";
	case DOC_FLOAT: return "number";
	case DOC_STR: return "string";
	case DOC_SEQ: return "sequence";
	case DOC_MAP: return "mapping";
	}
	return "unknown";
}
