/*
 * libFuzzer target: the two patch engines alone, without a build around them. The input is
 * read as a YAML stream; each document is a patch applied, in order, to one fixed small
 * resource (a Deployment with a container list, labels and a volume): a sequence goes to the
 * RFC 6902 engine (kust_jsonpatch_apply, under a memory budget as in a build), a mapping to
 * the strategic merge engine (kust_smp_apply, the builtin schema, so that containers merge by
 * name). Any patch must apply or fail with a message; after each success the resource must
 * still write out as YAML that reads back equal to it, so that a patch can never leave a tree
 * the emitter or the next step chokes on.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char resource[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  labels:\n    app: app\n"
	"spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: app\n  template:\n"
	"    metadata:\n      labels:\n        app: app\n    spec:\n      containers:\n"
	"      - name: main\n        image: nginx:1.0\n        ports:\n        - containerPort: 80\n"
	"        env:\n        - name: A\n          value: a\n      - name: side\n        image: busybox\n"
	"      volumes:\n      - name: data\n        emptyDir: {}\n";

/* The emitted resource must read back as the same tree: a patch that builds something the
 * emitter cannot round-trip is a bug in the patch engine or the emitter, not in the input. */
static void check_round_trip(struct arena *a, const struct doc_node *obj)
{
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, obj, 0);
	struct doc_stream again;
	if (doc_parse_yaml(a, "emitted.yaml", out.ptr, out.len, NULL, &again) != 0 ||
	    (obj->kind != DOC_NULL && (again.len != 1 || !doc_equal(obj, again.docs[0])))) {
		fprintf(stderr, "patched resource does not round-trip: %s\n%s\n", err_msg(), out.ptr);
		abort();
	}
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc_limits lim = { .max_bytes = 1 << 16, .max_depth = 64, .max_nodes = 20000 };
	struct arena *a = arena_new();
	struct doc_stream patches, res;
	if (doc_parse_yaml(a, "patch.yaml", (const char *)data, size, &lim, &patches) != 0)
		goto done;
	if (doc_parse_yaml(a, "resource.yaml", resource, sizeof(resource) - 1, NULL, &res) != 0 ||
	    res.len != 1) {
		fprintf(stderr, "the fixed resource does not parse: %s\n", err_msg());
		abort();
	}
	struct doc_node *obj = res.docs[0];
	for (size_t i = 0; i < patches.len && i < 8; i++) {
		const struct doc_node *p = patches.docs[i];
		int rc;
		bool deleted = false;
		err_clear();
		if (p->kind == DOC_SEQ)
			rc = kust_jsonpatch_apply(a, &obj, p, 64u << 20);
		else if (p->kind == DOC_MAP && obj->kind == DOC_MAP)
			rc = kust_smp_apply(a, obj, p, NULL, &deleted);
		else
			continue;
		if (rc == 0 && deleted)
			break;
		if (rc == 0)
			check_round_trip(a, obj);
		else if (rc > 0) {
			fprintf(stderr, "patch returned %d (errors are negative)\n", rc);
			abort();
		}
	}
done:
	err_clear();
	arena_free(a);
	return 0;
}
