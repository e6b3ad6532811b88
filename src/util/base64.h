/* Standard base64 (RFC 4648): kubeconfig *-data fields, Secret data, generated Secrets,
 * Helm release records. Decoding takes padded or unpadded input and the URL alphabet too. */
#ifndef TIDE_UTIL_BASE64_H
#define TIDE_UTIL_BASE64_H

#include <stddef.h>

struct buf;

/* Appends the bytes that s[0..n) encodes to out; whitespace is skipped.
 * ERR_INVALID on any other byte outside the alphabet or a bad length. */
int base64_decode(struct buf *out, const char *s, size_t n);

/* Appends the padded standard base64 of s[0..n) to out. */
void base64_encode(struct buf *out, const void *s, size_t n);

#endif
