/* JSON string quoting, shared by the logger and the document emitter. */
#ifndef TIDE_UTIL_JSON_ESCAPE_H
#define TIDE_UTIL_JSON_ESCAPE_H

#include <stddef.h>

struct buf;

/* Appends s[0..n) to b as a quoted JSON string. Bytes that are not valid UTF-8 are
 * written as U+FFFD, so the output is always valid JSON. */
void json_escape(struct buf *b, const char *s, size_t n);

#endif
