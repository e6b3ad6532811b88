/*
 * Helpers that sprig's strings, lists and dicts share (sprig_strings.c, sprig_lists.c,
 * sprig_dicts.c): sprig's strval and strslice, reflect's "is it a slice" test and the
 * panics sprig's reflection gives for other kinds, cast's ToInt, and the cap on the
 * strings these functions build. Module-internal.
 */
#ifndef TIDE_TEMPLATE_SPRIG_TEXT_H
#define TIDE_TEMPLATE_SPRIG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "template/template.h"

struct buf;

/* The longest string one call may build (repeat, indent, replace, wrap, join ...). The
 * engine caps a template's output at 64 MiB by default; a function result past that could
 * never be written, so it fails early with ERR_TOOBIG. */
#define SPRIG_STR_MAX ((size_t)64 << 20)

/* Go's panic for reflect.TypeOf(nil).Kind() and other nil dereferences. */
#define SPRIG_NIL_DEREF "runtime error: invalid memory address or nil pointer dereference"

/* Fails the call with ERR_TOOBIG when a result of n bytes would pass SPRIG_STR_MAX;
 * returns 0 when it fits. */
int sprig_check_size(struct texec *x, const char *fn, size_t n);

/* sprig's strval: a string as is, []byte as its bytes, anything else as fmt's %v
 * (objects print through their own format, as a Stringer would). */
void sprig_strval(struct buf *out, const struct tv *v);
/* The same as a new string value in x's arena. */
struct tv *sprig_strval_tv(struct texec *x, const struct tv *v);

/* sprig's strslice (join, toStrings, sortAlpha): a list's non-nil items through strval,
 * a []string as is, nil as [], anything else a one-item list. A []string value in x's
 * arena. */
struct tv *sprig_strslice(struct texec *x, const struct tv *v);

/* Whether v is of reflect kind slice or array (lists, []uint8). When it is, *items and
 * *n give its elements (bytes become uint8 values in x's arena). */
bool sprig_list_items(struct texec *x, const struct tv *v, struct tv ***items, size_t *n);

/* The failure sprig's reflection gives for a value that is not a list: fmt is a message
 * with one %s for reflect's kind name ("Cannot find first on type %s"); for nil, Go's
 * reflect.TypeOf(nil).Kind() nil dereference. Returns ERR_INVALID. */
int sprig_kind_fail(struct texec *x, const char *fmt, const struct tv *v);

/* sprig's empty(): nil, false, 0, "", and empty lists and maps. */
bool sprig_empty(const struct tv *v);

/* spf13/cast's ToInt as sprig calls it: numbers truncated, strings parsed as Go's
 * ParseInt(s, 0, 0) (0 when they do not parse), bools 1 or 0, anything else 0. */
int64_t sprig_to_int(const struct tv *v);

/* Unicode character classes and case mapping with Go's unicode package tables
 * (sprig_strings.c). */
bool sprig_is_space(uint32_t r);
bool sprig_is_letter(uint32_t r);
bool sprig_is_digit(uint32_t r);
uint32_t sprig_to_upper(uint32_t r);
uint32_t sprig_to_lower(uint32_t r);

#endif
