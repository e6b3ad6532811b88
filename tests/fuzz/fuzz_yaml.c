/*
 * libFuzzer target: the YAML reader over arbitrary bytes with small caps. Whatever parses
 * must write out (YAML, both style modes, and JSON) and read back as an equal tree: the
 * writer never produces YAML its own reader rejects or reads differently.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reread_equal(struct arena *a, const struct doc_node *n, unsigned flags)
{
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, n, flags);
	struct doc_stream again;
	if (doc_parse_yaml(a, "emitted", out.ptr, out.len, NULL, &again) != 0) {
		fprintf(stderr, "emitted YAML does not parse: %s\n---\n%s\n", err_msg(), out.ptr);
		abort();
	}
	/* A document that is only a null is skipped by the reader; anything else is one doc. */
	if (!(n->kind == DOC_NULL && again.len == 0) && (again.len != 1 || !doc_equal(again.docs[0], n))) {
		fprintf(stderr, "emitted YAML reads back differently:\n%s\n", out.ptr);
		abort();
	}
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_limits lim = { .max_bytes = 1 << 16, .max_depth = 64, .max_nodes = 20000,
				  .max_alias_expansion = 2000, .max_documents = 64 };
	struct arena *a = arena_new();
	struct doc_stream s;
	if (doc_parse_yaml(a, "fuzz.yaml", (const char *)data, size, &lim, &s) == 0) {
		for (size_t i = 0; i < s.len; i++) {
			reread_equal(a, s.docs[i], 0);
			reread_equal(a, s.docs[i], DOC_EMIT_NO_STYLE | DOC_EMIT_SORT_KEYS);
			struct buf json = BUF_INIT;
			doc_emit_json(&json, s.docs[i], 0);
			struct doc_node *j;
			if (doc_parse_json(a, "emitted.json", json.ptr, json.len, NULL, &j) != 0) {
				fprintf(stderr, "emitted JSON does not parse: %s\n%s\n", err_msg(), json.ptr);
				abort();
			}
			buf_release(&json);
		}
	}
	err_clear();
	arena_free(a);
	return 0;
}
