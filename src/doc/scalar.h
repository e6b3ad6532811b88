/*
 * Scalar resolution shared by the YAML reader and writer: which kind an unquoted YAML
 * scalar reads as (Go yaml.v3's rules), and whether a string must be quoted to read back
 * as a string.
 */
#ifndef TIDE_DOC_SCALAR_H
#define TIDE_DOC_SCALAR_H

#include <stdbool.h>
#include <stddef.h>

#include "doc/doc.h"

/* The kind plain text s resolves to: DOC_NULL, DOC_BOOL, DOC_INT, DOC_FLOAT or DOC_STR. */
enum doc_kind scalar_resolve_plain(const char *s, size_t len);

/* True when s, written plain, would not read back as the same string under yaml.v3 or
 * YAML 1.1 readers (numbers, booleans including yes/no/on/off, null, base-60 numbers,
 * timestamps): the writer double-quotes such strings, as yaml.v3 does. */
bool scalar_needs_quotes(const char *s, size_t len);

/* Map helpers with explicit key lengths (keys may come from slices). */
void doc_map_set_n(struct arena *a, struct doc_node *map, const char *key, size_t len,
		   struct doc_node *value);
struct doc_node *doc_map_get_n(const struct doc_node *map, const char *key, size_t len);

#endif
