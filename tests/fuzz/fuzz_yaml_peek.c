/*
 * libFuzzer target: the YAML peek (doc_yaml_peek) against the YAML reader. Whenever the
 * peek answers, the reader (duplicate keys last-wins, as the peek's callers read) must
 * parse the same bytes into one document with a mapping at its root, and each requested
 * field must be the string the tree holds there (absent where the tree has no string).
 * The fields are Helm's sorting head: kind, metadata.name and two annotations.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct doc_node *at(const struct doc_node *n, const char *const *path)
{
	for (size_t i = 0; i < 4 && path[i] && n; i++)
		n = n->kind == DOC_MAP ? doc_map_get(n, path[i]) : NULL;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct doc_peek_field f[] = {
		{ { "kind" }, NULL },
		{ { "metadata", "name" }, NULL },
		{ { "metadata", "annotations", "helm.sh/hook" }, NULL },
		{ { "metadata", "annotations", "helm.sh/hook-weight" }, NULL },
		{ { "a", "b", "c", "d" }, NULL },
	};
	size_t nf = sizeof(f) / sizeof(f[0]);
	if (doc_yaml_peek(a, (const char *)data, size, f, nf)) {
		struct doc_limits lim = { .duplicate_keys_last_wins = true };
		struct doc_stream s;
		if (doc_parse_yaml(a, "peek.yaml", (const char *)data, size, &lim, &s) != 0) {
			fprintf(stderr, "peek answered, the reader refuses: %s\n", err_msg());
			abort();
		}
		if (s.len != 1 || s.docs[0]->kind != DOC_MAP) {
			fprintf(stderr, "peek answered, the reader has %zu documents, the first not a mapping\n", s.len);
			abort();
		}
		for (size_t i = 0; i < nf; i++) {
			const struct doc_node *n = at(s.docs[0], f[i].path);
			const char *want = n && n->kind == DOC_STR ? n->u.str.ptr : NULL;
			if ((want == NULL) != (f[i].value == NULL) || (want && strcmp(want, f[i].value))) {
				fprintf(stderr, "field %zu: peek \"%s\", reader \"%s\" (kind %d)\n", i,
					f[i].value ? f[i].value : "(none)", want ? want : "(none)",
					n ? (int)n->kind : -1);
				abort();
			}
		}
	}
	arena_free(a);
	return 0;
}
