/* Read-only shared strings for common keys and values (inside the doc module only). */
#ifndef TIDE_DOC_INTERN_H
#define TIDE_DOC_INTERN_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct doc_node;

/* The shared copy of s[0..len) (NUL-terminated, static), or NULL if it has none. */
const char *doc_intern(const char *s, size_t len);
/* doc_intern's copy, or a copy of s[0..len) in the arena. */
const char *doc_strndup(struct arena *a, const char *s, size_t len);
/* Appends key (kept as given: interned or already in a's arena) -> value to map, without
 * looking for an existing key: the parsers have checked for duplicates. */
void doc_map_push_owned(struct arena *a, struct doc_node *map, const char *key, size_t len,
			struct doc_node *value);
/* For the unit test: the table is in bsearch order. */
bool doc_intern_sorted(void);

#endif
