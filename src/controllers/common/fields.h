/*
 * Typed reads of an API object's fields, for the spec decoders of every kind (a kind's
 * spec.c is the one place that reads its object by path): strings that count as unset when
 * empty (Go's omitempty), Go durations with a default, booleans, the name of a
 * LocalObjectReference (secretRef, proxySecretRef, certSecretRef ...) and string lists.
 * None fail: the API server validated the object against Flux's CRD, and a value that does
 * not parse takes the default, as the kind's controller decides.
 */
#ifndef TIDE_CONTROLLERS_COMMON_FIELDS_H
#define TIDE_CONTROLLERS_COMMON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct doc_node;

/* The string at path, or NULL when absent, not a string or empty. Borrowed from obj. */
const char *field_str(const struct doc_node *obj, const char *path);

/* The Go duration at path ("1m30s") in milliseconds, or def when absent or malformed. */
int64_t field_duration_ms(const struct doc_node *obj, const char *path, int64_t def);

/* The boolean at path; false when absent or not a boolean. */
bool field_bool(const struct doc_node *obj, const char *path);

/* The name of the LocalObjectReference at path (path + ".name"), or NULL when unset. */
const char *field_local_ref(const struct doc_node *obj, const char *path);

/* The strings of the sequence at path, into *out (an array in arena a; other items
 * skipped); *n 0 and *out NULL when absent or empty. */
void field_str_list(struct arena *a, const struct doc_node *obj, const char *path,
		    const char ***out, size_t *n);

#endif
