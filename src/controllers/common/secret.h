/*
 * Reading Secrets the way every controller needs them: one key of `data`, base64-decoded,
 * with the decoding buffer wiped so that no credential stays in freed memory. Shared by
 * every kind that takes a secretRef (auth, TLS, kubeconfigs, verification keys,
 * postBuild substitutions).
 */
#ifndef TIDE_CONTROLLERS_COMMON_SECRET_H
#define TIDE_CONTROLLERS_COMMON_SECRET_H

#include <stddef.h>

struct arena;
struct doc_node;

/* The decoded value of key in secret's `data`, NUL-terminated, in arena a (*len without
 * the NUL). ERR_NOTFOUND (no message set) when the key is absent or not a string;
 * ERR_INVALID ("invalid base64 in key 'KEY'") when it does not decode. */
int secret_data(struct arena *a, const struct doc_node *secret, const char *key, char **out,
		size_t *len);

#endif
