/*
 * util/regex's own parts, shared by its three files and by nothing else: regex.c (the API,
 * PCRE2 compile and match under limits), regex_syntax.c (Go's regexp/syntax rules, writing
 * the PCRE2 pattern) and regex_class.c (Go's ASCII and Unicode classes as PCRE2 class items).
 */
#ifndef TIDE_UTIL_REGEX_INT_H
#define TIDE_UTIL_REGEX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Parses pattern[0..len) by Go's rules. On success *out holds the PCRE2 pattern (the
 * caller releases it), *names the group names ([*ngroups + 1], NULL for unnamed ones; the
 * caller frees each and the array). Otherwise ERR_INVALID with Go's message. */
int rx_translate(const char *pattern, size_t len, struct buf *out, char ***names, size_t *ngroups);

/* Appends s[0..n) with each invalid UTF-8 byte as U+FFFD, cut at about max bytes of b. */
void rx_add_clean(struct buf *b, const char *s, size_t n, size_t max);

bool rx_is_alnum(uint32_t c);
int rx_unhex(uint32_t c);
bool rx_is_surrogate(uint32_t c);
/* One code point, or the range lo..hi (surrogates skipped), as PCRE2 class or pattern text. */
void rx_add_cp(struct buf *b, uint32_t c);
void rx_add_range(struct buf *b, uint32_t lo, uint32_t hi);

/* An ASCII class: Go's \d \s \w, or a POSIX [:name:]. */
struct rx_ascii_class {
	const char *name;
	const char *ranges; /* pairs lo, hi */
};
/* \d \D \s \S \w \W by its letter (*negate for the capitals), NULL for another letter. */
const struct rx_ascii_class *rx_perl_class(char c, bool *negate);
/* [:name:] by name[0..n), NULL when Go knows no such class. */
const struct rx_ascii_class *rx_posix_class(const char *name, size_t n);
/* Appends the class, or its complement in all of Unicode, as class items. */
void rx_add_ascii(struct buf *b, const struct rx_ascii_class *c, bool negate);
/* Appends Unicode class name[0..n) (sign > 0) or its complement as class items; false when
 * Go knows no such name. */
bool rx_add_unicode(struct buf *b, const char *name, size_t n, int sign);

#endif
