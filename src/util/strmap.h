/*
 * A string-keyed hash map of pointers, for the runtime's caches and indexes (informer
 * cache, event aggregation, controllers by name). Keys are copied; values are the caller's.
 * Not thread-safe: callers hold their own lock.
 */
#ifndef TIDE_UTIL_STRMAP_H
#define TIDE_UTIL_STRMAP_H

#include <stddef.h>

struct strmap_entry;

struct strmap {
	struct strmap_entry **buckets;
	size_t nbuckets, len;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* The value for key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Sets key to value; returns the previous value (NULL if none). */
void *strmap_put(struct strmap *m, const char *key, void *value);
/* Removes key; returns its value (NULL if none). */
void *strmap_remove(struct strmap *m, const char *key);
/* Calls fn for each entry (any order) until fn returns non-zero, which is returned. fn may
 * not change the map. */
int strmap_each(const struct strmap *m, int (*fn)(void *ud, const char *key, void *value),
		void *ud);
/* Frees the map's own memory (not the values). */
void strmap_clear(struct strmap *m);

#endif
