/* UTF-8 helpers for parsers and emitters that must not pass invalid text through. */
#ifndef TIDE_UTIL_UTF8_H
#define TIDE_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the valid UTF-8 sequence at s, or 0 if s[0..n) does not start with one
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
size_t utf8_valid_prefix(const char *s, size_t n);
/* Decodes the sequence at s (which utf8_valid_prefix accepted) into *cp. */
uint32_t utf8_decode(const char *s, size_t len);
/* Writes cp as UTF-8 to out (4 bytes of room); returns the length, 0 if cp is invalid. */
size_t utf8_encode(uint32_t cp, char out[4]);

#endif
