/*
 * libFuzzer target: the JSON reader over arbitrary bytes. Whatever parses must write out as
 * JSON that reads back equal, and as YAML that reads back equal (numbers, strings and
 * escapes survive both trips exactly).
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_limits lim = { .max_bytes = 1 << 16, .max_depth = 64, .max_nodes = 20000 };
	struct arena *a = arena_new();
	struct doc_node *n;
	if (doc_parse_json(a, "fuzz.json", (const char *)data, size, &lim, &n) == 0) {
		struct buf out = BUF_INIT;
		doc_emit_json(&out, n, 0);
		struct doc_node *again;
		if (doc_parse_json(a, "emitted.json", out.ptr, out.len, NULL, &again) != 0 || !doc_equal(n, again)) {
			fprintf(stderr, "JSON round trip failed: %s\n%s\n", err_msg(), out.ptr);
			abort();
		}
		buf_reset(&out);
		doc_emit_yaml(&out, n, 0);
		struct doc_stream y;
		if (doc_parse_yaml(a, "emitted.yaml", out.ptr, out.len, NULL, &y) != 0 ||
		    (n->kind != DOC_NULL && (y.len != 1 || !doc_equal(n, y.docs[0])))) {
			fprintf(stderr, "YAML round trip failed: %s\n%s\n", err_msg(), out.ptr);
			abort();
		}
		buf_release(&out);
	}
	err_clear();
	arena_free(a);
	return 0;
}
