/* JSON string quoting, shared by the logger and the document emitter. */
#ifndef TIDE_UTIL_JSON_ESCAPE_H
#define TIDE_UTIL_JSON_ESCAPE_H

#include <stddef.h>

struct buf;

/* Appends s[0..n) to b as a quoted JSON string. Bytes that are not valid UTF-8 are
 * written as U+FFFD, so the output is always valid JSON. */
void json_escape(struct buf *b, const char *s, size_t n);
/* As Go's json.Marshal quotes strings (HTML-safe): like json_escape, and also <, >, &,
 * U+2028 and U+2029 as \u escapes, bad UTF-8 bytes as the escape \ufffd. Hashes that
 * kustomize computes over json.Marshal output need these exact bytes. */
void json_escape_go(struct buf *b, const char *s, size_t n);

#endif
