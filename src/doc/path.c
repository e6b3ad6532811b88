/*
 * Paths into trees: "a.b[2].c", with "\." and "\[" for keys that hold those characters
 * (see doc.h). A path is split into steps one at a time, without allocating.
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "doc/scalar.h"
#include "util/error.h"
#include "util/banned.h"

struct step {
	bool is_index;
	size_t index;
	char key[256];
	size_t keylen;
};

/* Reads the step at *p into st and advances *p; 0 at the end, 1 on a step, ERR_INVALID if
 * bad (no message: doc_get returns NULL, walk_step sets it). */
static int next_step(const char **p, struct step *st)
{
	const char *s = *p;
	if (!*s)
		return 0;
	if (*s == '.')
		s++;
	if (*s == '[') {
		char *end;
		unsigned long v = strtoul(s + 1, &end, 10);
		if (end == s + 1 || *end != ']')
			return ERR_INVALID;
		st->is_index = true;
		st->index = v;
		*p = end + 1;
		return 1;
	}
	st->is_index = false;
	st->keylen = 0;
	while (*s && *s != '.' && *s != '[') {
		if (*s == '\\' && s[1])
			s++;
		if (st->keylen + 1 >= sizeof(st->key))
			return ERR_INVALID;
		st->key[st->keylen++] = *s++;
	}
	st->key[st->keylen] = '\0';
	*p = s;
	return 1;
}

static struct doc_node *step_into(const struct doc_node *n, const struct step *st)
{
	if (!n)
		return NULL;
	if (st->is_index)
		return n->kind == DOC_SEQ && st->index < n->u.seq.len ? n->u.seq.items[st->index] : NULL;
	return doc_map_get_n(n, st->key, st->keylen);
}

/* A walk along a path for doc_set and doc_delete: each walk_step puts the next step in cur
 * and says in last whether it is the path's final one. */
struct walk {
	const char *path, *p;
	struct step cur, next;
	bool started, last;
};

/* 0, or ERR_INVALID (message set) for an empty or malformed path. Not called past last. */
static int walk_step(struct walk *w)
{
	if (!w->started) {
		w->started = true;
		if (next_step(&w->p, &w->next) <= 0)
			return err_set(ERR_INVALID, "'%s': empty or malformed path", w->path);
	}
	w->cur = w->next;
	int rc = next_step(&w->p, &w->next);
	if (rc < 0)
		return err_set(ERR_INVALID, "'%s': malformed path", w->path);
	w->last = rc == 0;
	return 0;
}

struct doc_node *doc_get(const struct doc_node *root, const char *path)
{
	struct step st;
	const struct doc_node *n = root;
	int rc;
	while (n && (rc = next_step(&path, &st)) != 0) {
		if (rc < 0)
			return NULL;
		n = step_into(n, &st);
	}
	return (struct doc_node *)n;
}

const char *doc_get_str(const struct doc_node *root, const char *path)
{
	const struct doc_node *n = doc_get(root, path);
	return n && n->kind == DOC_STR ? n->u.str.ptr : NULL;
}

int doc_set(struct arena *a, struct doc_node *root, const char *path, struct doc_node *value)
{
	struct walk w = { .path = path, .p = path };
	struct doc_node *n = root;
	int rc;
	while (!(rc = walk_step(&w))) {
		const struct step *cur = &w.cur;
		if (cur->is_index) {
			if (n->kind != DOC_SEQ)
				return err_set(ERR_INVALID, "'%s': expected a sequence at [%zu]", path, cur->index);
			if (cur->index >= n->u.seq.len)
				return err_set(ERR_NOTFOUND, "'%s': index %zu out of range", path, cur->index);
			if (w.last) {
				n->u.seq.items[cur->index] = value;
				return 0;
			}
			n = n->u.seq.items[cur->index];
			continue;
		}
		if (n->kind != DOC_MAP)
			return err_set(ERR_INVALID, "'%s': expected a mapping at '%s'", path, cur->key);
		if (w.last) {
			doc_map_set_n(a, n, cur->key, cur->keylen, value);
			return 0;
		}
		struct doc_node *child = doc_map_get_n(n, cur->key, cur->keylen);
		if (!child || child->kind == DOC_NULL) {
			if (w.next.is_index)
				return err_set(ERR_NOTFOUND, "'%s': no sequence at '%s'", path, cur->key);
			child = doc_new_map(a);
			doc_map_set_n(a, n, cur->key, cur->keylen, child);
		}
		n = child;
	}
	return rc;
}

int doc_delete(struct doc_node *root, const char *path)
{
	struct walk w = { .path = path, .p = path };
	struct doc_node *n = root;
	int rc;
	while (!(rc = walk_step(&w)) && !w.last) {
		n = step_into(n, &w.cur);
		if (!n)
			return err_set(ERR_NOTFOUND, "'%s': not found", path);
	}
	if (rc)
		return rc;
	const struct step cur = w.cur;
	if (cur.is_index) {
		if (!n || n->kind != DOC_SEQ || cur.index >= n->u.seq.len)
			return err_set(ERR_NOTFOUND, "'%s': not found", path);
		memmove(&n->u.seq.items[cur.index], &n->u.seq.items[cur.index + 1],
			(n->u.seq.len - cur.index - 1) * sizeof(struct doc_node *));
		n->u.seq.len--;
		return 0;
	}
	if (!n || n->kind != DOC_MAP)
		return err_set(ERR_NOTFOUND, "'%s': not found", path);
	for (size_t i = 0; i < n->u.map.len; i++) {
		struct doc_pair *pr = &n->u.map.items[i];
		if (pr->keylen == cur.keylen && !memcmp(pr->key, cur.key, cur.keylen)) {
			memmove(pr, pr + 1, (n->u.map.len - i - 1) * sizeof(*pr));
			n->u.map.len--;
			return 0;
		}
	}
	return err_set(ERR_NOTFOUND, "'%s': not found", path);
}
