/*
 * Allocation that never returns NULL: on failure the process prints a message and aborts.
 * Untrusted input is bounded by explicit caps (see buf.h, doc.h), so running out of memory
 * is a bug or a host problem, not a condition callers should handle one by one.
 */
#ifndef TIDE_UTIL_XALLOC_H
#define TIDE_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of count elements of size bytes to hold at least want; updates *cap. */
void *xgrow(void *p, size_t *cap, size_t want, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Zeroes the string s holds (a password, a token) with a store the compiler keeps, then
 * frees it; NULL is fine. */
void xfree_secret(char *s);
/* printf into a new heap string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
