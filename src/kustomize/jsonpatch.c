/*
 * RFC 6902 JSON patches (add, remove, replace, move, copy, test) over document trees,
 * with RFC 6901 pointers ("~1" is '/', "~0" is '~', "-" appends to a list).
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"

#include "util/banned.h"

#define MAX_TOKENS 128

static int split_pointer(struct arena *a, const char *ptr, char **tok, size_t *n)
{
	*n = 0;
	if (!*ptr)
		return 0;
	if (*ptr != '/')
		return err_set(ERR_INVALID, "json patch: invalid path '%s'", ptr);
	const char *p = ptr + 1;
	for (;;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '~' && i + 1 < len && p[i + 1] == '1') {
				buf_addch(&b, '/');
				i++;
			} else if (p[i] == '~' && i + 1 < len && p[i + 1] == '0') {
				buf_addch(&b, '~');
				i++;
			} else {
				buf_addch(&b, p[i]);
			}
		}
		if (*n == MAX_TOKENS) {
			buf_release(&b);
			return err_set(ERR_TOOBIG, "json patch: path too deep");
		}
		tok[(*n)++] = arena_strndup(a, b.ptr, b.len);
		buf_release(&b);
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static bool parse_index(const char *s, size_t *out)
{
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	size_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 100000000)
			return false;
		v = v * 10 + (size_t)(*s - '0');
	}
	*out = v;
	return true;
}

/* Whether the mapping holds key (compared as C strings, as the pointer's tokens are). */
static bool has_key(const struct doc_node *map, const char *key)
{
	for (size_t i = 0; i < map->u.map.len; i++)
		if (!strcmp(map->u.map.items[i].key, key))
			return true;
	return false;
}

/* A hash index of the keys of the last large mapping an "add" or "replace" wrote to, so
 * that a list of n operations adding keys to one mapping runs in O(n), not O(n^2). It is
 * valid while it names that mapping and the mapping still has the length it saw: adds go
 * through it, and a remove (which shifts the pairs) drops it. Heap memory, one per apply. */
#define INDEX_MIN 32

struct map_index {
	const struct doc_node *map;
	size_t len;    /* the mapping's length when last brought up to date */
	size_t *slots; /* pair index + 1; 0 = empty */
	size_t cap;    /* a power of two, more than twice len */
};

static size_t key_hash(const char *k, size_t n)
{
	size_t h = 14695981039346656037u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211u;
	return h;
}

static void index_put(struct map_index *x, const struct doc_node *map, size_t i)
{
	const struct doc_pair *p = &map->u.map.items[i];
	size_t m = x->cap - 1, h = key_hash(p->key, p->keylen) & m;
	while (x->slots[h])
		h = (h + 1) & m;
	x->slots[h] = i + 1;
}

/* Makes x index map (rebuilt when it indexed something else or is too small). */
static void index_fit(struct map_index *x, const struct doc_node *map)
{
	size_t n = map->u.map.len;
	if (x->map == map && x->len == n && 2 * (n + 1) <= x->cap)
		return;
	size_t cap = 64;
	while (2 * (n + 1) > cap)
		cap *= 2;
	free(x->slots);
	x->slots = xcalloc(cap, sizeof(*x->slots));
	x->cap = cap;
	x->map = map;
	x->len = n;
	for (size_t i = 0; i < n; i++)
		index_put(x, map, i);
}

static struct doc_pair *index_find(const struct map_index *x, const struct doc_node *map,
				   const char *key)
{
	size_t n = strlen(key), m = x->cap - 1;
	for (size_t h = key_hash(key, n) & m; x->slots[h]; h = (h + 1) & m) {
		struct doc_pair *p = &map->u.map.items[x->slots[h] - 1];
		if (p->keylen == n && !memcmp(p->key, key, n))
			return p;
	}
	return NULL;
}

/* The container holding the last token. */
static int walk(struct doc_node *root, char **tok, size_t n, struct doc_node **parent, const char *path)
{
	struct doc_node *cur = root;
	for (size_t i = 0; i + 1 < n; i++) {
		if (cur && cur->kind == DOC_MAP) {
			cur = doc_map_get(cur, tok[i]);
		} else if (cur && cur->kind == DOC_SEQ) {
			size_t idx;
			if (!parse_index(tok[i], &idx) || idx >= cur->u.seq.len)
				return err_set(ERR_NOTFOUND, "json patch: path '%s' not found", path);
			cur = cur->u.seq.items[idx];
		} else {
			cur = NULL;
		}
		if (!cur)
			return err_set(ERR_NOTFOUND, "json patch: path '%s' not found", path);
	}
	*parent = cur;
	return 0;
}

static int get_value(struct doc_node *root, char **tok, size_t n, const char *path, struct doc_node **out)
{
	if (!n) {
		*out = root;
		return 0;
	}
	struct doc_node *parent;
	int rc = walk(root, tok, n, &parent, path);
	if (rc)
		return rc;
	struct doc_node *v = NULL;
	if (parent->kind == DOC_MAP) {
		v = doc_map_get(parent, tok[n - 1]);
	} else if (parent->kind == DOC_SEQ) {
		size_t idx;
		if (parse_index(tok[n - 1], &idx) && idx < parent->u.seq.len)
			v = parent->u.seq.items[idx];
	}
	if (!v)
		return err_set(ERR_NOTFOUND, "json patch: path '%s' not found", path);
	*out = v;
	return 0;
}

static int do_remove(struct doc_node *root, char **tok, size_t n, const char *path, struct doc_node **removed)
{
	struct doc_node *parent;
	if (!n)
		return err_set(ERR_INVALID, "json patch: cannot remove the root");
	int rc = walk(root, tok, n, &parent, path);
	if (rc)
		return rc;
	if (parent->kind == DOC_MAP) {
		struct doc_node *v = doc_map_get(parent, tok[n - 1]);
		if (!v && !doc_map_get(parent, tok[n - 1]))
			for (size_t i = 0; i < parent->u.map.len; i++)
				if (!strcmp(parent->u.map.items[i].key, tok[n - 1]))
					v = parent->u.map.items[i].value;
		if (!has_key(parent, tok[n - 1]))
			return err_set(ERR_NOTFOUND, "json patch: remove: path '%s' not found", path);
		doc_map_delete(parent, tok[n - 1]);
		if (removed)
			*removed = v;
		return 0;
	}
	if (parent->kind == DOC_SEQ) {
		size_t idx;
		if (!parse_index(tok[n - 1], &idx) || idx >= parent->u.seq.len)
			return err_set(ERR_NOTFOUND, "json patch: remove: path '%s' not found", path);
		if (removed)
			*removed = parent->u.seq.items[idx];
		memmove(&parent->u.seq.items[idx], &parent->u.seq.items[idx + 1],
			(parent->u.seq.len - idx - 1) * sizeof(*parent->u.seq.items));
		parent->u.seq.len--;
		return 0;
	}
	return err_set(ERR_NOTFOUND, "json patch: remove: path '%s' not found", path);
}

/* "add", and "replace" when replace is set. On a mapping the two are the same: kustomize's
 * patch library (evanphx/json-patch v4, partialDoc.get) reads a missing key as null, so a
 * replace of a key that is not there adds it. On a list, replace needs an existing index. */
static int do_add(struct arena *a, struct doc_node **root, char **tok, size_t n, const char *path,
		  struct doc_node *value, bool replace, struct map_index *ix)
{
	if (!n) {
		*root = value;
		return 0;
	}
	struct doc_node *parent;
	int rc = walk(*root, tok, n, &parent, path);
	if (rc)
		return rc;
	if (parent->kind == DOC_MAP && parent->u.map.len >= INDEX_MIN) {
		index_fit(ix, parent);
		struct doc_pair *p = index_find(ix, parent, tok[n - 1]);
		if (p) {
			p->value = value;
			return 0;
		}
		/* Known to be absent: appended without doc_map_set's linear search. */
		size_t kl = strlen(tok[n - 1]);
		parent->u.map.items = arena_grow(a, parent->u.map.items, &parent->u.map.cap,
						 parent->u.map.len + 1, sizeof(struct doc_pair));
		struct doc_pair *np = &parent->u.map.items[parent->u.map.len++];
		memset(np, 0, sizeof(*np));
		np->key = arena_strndup(a, tok[n - 1], kl);
		np->keylen = kl;
		np->key_kind = DOC_STR;
		np->value = value;
		ix->len = parent->u.map.len;
		if (2 * (ix->len + 1) <= ix->cap)
			index_put(ix, parent, ix->len - 1);
		return 0;
	}
	if (parent->kind == DOC_MAP) {
		doc_map_set(a, parent, tok[n - 1], value);
		return 0;
	}
	if (parent->kind == DOC_SEQ) {
		size_t idx;
		if (!strcmp(tok[n - 1], "-") && !replace) {
			doc_seq_push(a, parent, value);
			return 0;
		}
		if (!parse_index(tok[n - 1], &idx) || idx > parent->u.seq.len ||
		    (replace && idx == parent->u.seq.len))
			return err_set(ERR_NOTFOUND, "json patch: path '%s': index out of range", path);
		if (replace) {
			parent->u.seq.items[idx] = value;
			return 0;
		}
		doc_seq_push(a, parent, value); /* grow */
		memmove(&parent->u.seq.items[idx + 1], &parent->u.seq.items[idx],
			(parent->u.seq.len - 1 - idx) * sizeof(*parent->u.seq.items));
		parent->u.seq.items[idx] = value;
		return 0;
	}
	return err_set(ERR_NOTFOUND, "json patch: path '%s' not found", path);
}

static int apply_ops(struct arena *a, struct doc_node **root, const struct doc_node *ops,
		     size_t mem_limit, struct map_index *ix)
{
	for (size_t i = 0; i < ops->u.seq.len; i++) {
		const struct doc_node *op = ops->u.seq.items[i];
		const char *kind = kust_scalar(doc_map_get(op, "op"));
		const char *path = kust_scalar(doc_map_get(op, "path"));
		if (!kind || !path)
			return err_set(ERR_INVALID, "json patch: operation %zu needs op and path", i);
		char *tok[MAX_TOKENS];
		size_t n;
		int rc = split_pointer(a, path, tok, &n);
		if (rc)
			return rc;
		const struct doc_node *value = doc_map_get(op, "value");
		if (!strcmp(kind, "add") || !strcmp(kind, "replace")) {
			struct doc_node *v = value ? doc_clone(a, value) : doc_new_null(a);
			rc = do_add(a, root, tok, n, path, v, !strcmp(kind, "replace"), ix);
		} else if (!strcmp(kind, "remove")) {
			ix->map = NULL; /* the pairs may shift */
			rc = do_remove(*root, tok, n, path, NULL);
		} else if (!strcmp(kind, "move") || !strcmp(kind, "copy")) {
			const char *from = kust_scalar(doc_map_get(op, "from"));
			char *ftok[MAX_TOKENS];
			size_t fn;
			struct doc_node *v = NULL;
			if (!from)
				return err_set(ERR_INVALID, "json patch: %s needs from", kind);
			if ((rc = split_pointer(a, from, ftok, &fn)))
				return rc;
			if (!strcmp(kind, "move")) {
				ix->map = NULL;
				rc = do_remove(*root, ftok, fn, from, &v);
			}
			else if (!(rc = get_value(*root, ftok, fn, from, &v)))
				v = doc_clone(a, v);
			if (!rc)
				rc = do_add(a, root, tok, n, path, v, false, ix);
		} else if (!strcmp(kind, "test")) {
			struct doc_node *v;
			if (!(rc = get_value(*root, tok, n, path, &v)) && !doc_equal(v, value))
				rc = err_set(ERR_CONFLICT, "json patch: test operation failed at '%s'", path);
		} else {
			rc = err_set(ERR_INVALID, "json patch: unknown operation '%s'", kind);
		}
		if (rc)
			return rc;
		if (mem_limit && arena_used(a) > mem_limit)
			return err_set(ERR_TOOBIG, "json patch: operation %zu: the build uses more memory "
				       "than its budget (--max-build-memory)", i);
	}
	return 0;
}

int kust_jsonpatch_apply(struct arena *a, struct doc_node **root, const struct doc_node *ops,
			 size_t mem_limit)
{
	if (!ops || ops->kind != DOC_SEQ)
		return err_set(ERR_INVALID, "json patch: expected a list of operations");
	struct map_index ix = { NULL, 0, NULL, 0 };
	int rc = apply_ops(a, root, ops, mem_limit, &ix);
	free(ix.slots);
	return rc;
}
