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

/* Appends to out the text a YAML number s (plain, read as DOC_INT or DOC_FLOAT) gets from a
 * round trip through JSON, as kustomize prints resources (yaml.v3 reads it, encoding/json
 * writes it, sigs.k8s.io/yaml's yaml.v2 reads and writes it again): 0755 -> 493, 0x1F -> 31,
 * 1_000 -> 1000, 1e3 -> 1000, 1.50 -> 1.5, 0.000001 -> 1e-06, -9223372036854775809 ->
 * -9.223372036854776e+18. False, and nothing appended, when s is no number Go parses
 * (an overflowing float, .inf, .nan): the caller keeps the text. */
bool scalar_json_number(struct buf *out, const char *s, size_t len);

/* Map helpers with explicit key lengths (keys may come from slices). */
void doc_map_set_n(struct arena *a, struct doc_node *map, const char *key, size_t len,
		   struct doc_node *value);
struct doc_node *doc_map_get_n(const struct doc_node *map, const char *key, size_t len);

#endif
