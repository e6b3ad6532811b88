/*
 * libFuzzer target: what the apply engine reads from the cluster and from status: inventory
 * ids (status.inventory of a Kustomization), live objects with managedFields (the unchanged
 * rule) and status (kstatus). Input: an inventory id on the first line, then a YAML stream whose
 * first document is the desired object and second the live one. Nothing may crash; a parsed id
 * written back must parse to the same reference.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apply/apply.h"
#include "doc/doc.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	struct arena *a = arena_new();
	const char *s = (const char *)data;
	const char *nl = memchr(s, '\n', size);
	size_t idlen = nl ? (size_t)(nl - s) : size;
	char *id = arena_strndup(a, s, idlen);
	struct apply_ref r, r2;
	if (strlen(id) == idlen && !apply_inventory_parse(&r, a, id, "v1")) {
		const char *again = apply_inventory_id(a, &r);
		if (apply_inventory_parse(&r2, a, again, "v1") || strcmp(r.namespace, r2.namespace) ||
		    strcmp(r.name, r2.name) || strcmp(r.group, r2.group) || strcmp(r.kind, r2.kind))
			abort();
	}
	if (nl) {
		struct doc_stream st = { 0 };
		if (!doc_parse_yaml(a, "fuzz", nl + 1, size - idlen - 1, NULL, &st) && st.len >= 1) {
			struct apply_inventory inv = { 0 };
			(void)apply_inventory_from_doc(&inv, a, st.docs[0]);
			const char *msg;
			(void)apply_status_of(st.docs[0], a, &msg);
			if (st.len >= 2)
				(void)apply_is_unchanged(st.docs[0], st.docs[1], NULL);
		}
	}
	arena_free(a);
	return 0;
}
