/* Standard base64 (RFC 4648, with or without padding), as kubeconfig *-data fields use it.
 * Internal to the kube module. */
#ifndef TIDE_KUBE_BASE64_H
#define TIDE_KUBE_BASE64_H

#include <stddef.h>

struct buf;

/* Appends the bytes that s[0..n) encodes to out; whitespace is skipped.
 * ERR_INVALID on any other byte outside the alphabet or a bad length. */
int base64_decode(struct buf *out, const char *s, size_t n);

#endif
