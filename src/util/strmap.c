/* String-keyed hash map (see strmap.h): chained buckets, FNV-1a, grows at load 2. */
#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/banned.h"

struct strmap_entry {
	struct strmap_entry *next;
	uint64_t hash;
	char *key;
	void *value;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct strmap_entry **slot(const struct strmap *m, const char *key, uint64_t h)
{
	struct strmap_entry **p = &m->buckets[h % m->nbuckets];
	while (*p && ((*p)->hash != h || strcmp((*p)->key, key)))
		p = &(*p)->next;
	return p;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->nbuckets)
		return NULL;
	struct strmap_entry *e = *slot(m, key, fnv(key));
	return e ? e->value : NULL;
}

static void grow(struct strmap *m)
{
	size_t nb = m->nbuckets ? m->nbuckets * 4 : 16;
	struct strmap_entry **b = xcalloc(nb, sizeof(*b));
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct strmap_entry *e = m->buckets[i];
		while (e) {
			struct strmap_entry *n = e->next;
			e->next = b[e->hash % nb];
			b[e->hash % nb] = e;
			e = n;
		}
	}
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = nb;
}

void *strmap_put(struct strmap *m, const char *key, void *value)
{
	if (m->len + 1 > m->nbuckets * 2)
		grow(m);
	uint64_t h = fnv(key);
	struct strmap_entry **p = slot(m, key, h);
	if (*p) {
		void *old = (*p)->value;
		(*p)->value = value;
		return old;
	}
	struct strmap_entry *e = xcalloc(1, sizeof(*e));
	e->hash = h;
	e->key = xstrdup(key);
	e->value = value;
	*p = e;
	m->len++;
	return NULL;
}

void *strmap_remove(struct strmap *m, const char *key)
{
	if (!m->nbuckets)
		return NULL;
	struct strmap_entry **p = slot(m, key, fnv(key));
	struct strmap_entry *e = *p;
	if (!e)
		return NULL;
	*p = e->next;
	void *v = e->value;
	free(e->key);
	free(e);
	m->len--;
	return v;
}

int strmap_each(const struct strmap *m, int (*fn)(void *ud, const char *key, void *value),
		void *ud)
{
	for (size_t i = 0; i < m->nbuckets; i++)
		for (struct strmap_entry *e = m->buckets[i]; e; e = e->next) {
			int rc = fn(ud, e->key, e->value);
			if (rc)
				return rc;
		}
	return 0;
}

void strmap_clear(struct strmap *m)
{
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct strmap_entry *e = m->buckets[i];
		while (e) {
			struct strmap_entry *n = e->next;
			free(e->key);
			free(e);
			e = n;
		}
	}
	free(m->buckets);
	m->buckets = NULL;
	m->nbuckets = m->len = 0;
}
