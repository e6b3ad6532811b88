/*
 * Flux's metadata cleanup before an apply, as one JSON patch sent before it (see below).
 * Pure: computes the patch, sends nothing; apply.c decides with it and sends it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/banned.h"

/* Flux's metadata cleanup (ssa ApplyCleanupOptions as the kustomize-controller sets them):
 * annotations and labels of older tools removed, and the fields of the managers below
 * (matched by prefix and operation, as ssa matchFieldManager does) handed to our Apply
 * entry (ssa PatchReplaceFieldsManagers), so that the apply that follows removes the ones
 * we do not send. */
static const char *const cleanup_managers[][2] = {
	{ "kubectl", "Apply" }, { "kubectl", "Update" }, { "before-first-apply", "Update" },
	{ NULL, "Update" }, /* NULL: our own field manager, as the controller before SSA */
};
static const char *const cleanup_annotations[] = {
	"kubectl.kubernetes.io/last-applied-configuration",
	"kustomize.toolkit.fluxcd.io/checksum",
	"fluxcd.io/sync-checksum",
};
static const char *const cleanup_labels[] = { "fluxcd.io/sync-gc-mark" };

static void json_pointer_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '~')
			buf_adds(b, "~0");
		else if (*s == '/')
			buf_adds(b, "~1");
		else
			buf_addch(b, *s);
	}
}

/* Adds to the patch p a "remove" of live's metadata.<where>.<key>, when live has it. */
static void add_remove(struct buf *p, const struct doc_node *live, const char *where,
		       const char *key)
{
	char path[32];
	snprintf(path, sizeof path, "metadata.%s", where);
	if (!apply_meta_value(live, path, key))
		return;
	buf_adds(p, p->len ? "," : "[");
	buf_addf(p, "{\"op\":\"remove\",\"path\":\"/metadata/%s/", where);
	json_pointer_escape(p, key);
	buf_adds(p, "\"}");
}

/* The union of two fieldsV1 sets, in a. */
static struct doc_node *fields_union(struct arena *a, const struct doc_node *x,
				     const struct doc_node *y)
{
	struct doc_node *u = doc_clone(a, x);
	if (!y || y->kind != DOC_MAP || u->kind != DOC_MAP)
		return u;
	for (size_t i = 0; i < y->u.map.len; i++) {
		const char *k = y->u.map.items[i].key;
		struct doc_node *mine = doc_map_get(u, k);
		doc_map_set(a, u, k, mine ? fields_union(a, mine, y->u.map.items[i].value)
					  : doc_clone(a, y->u.map.items[i].value));
	}
	return u;
}

static bool cleanup_match(const struct apply_manager *m, const struct doc_node *e)
{
	const char *mgr = doc_get_str(e, "manager"), *op = doc_get_str(e, "operation");
	const char *sub = doc_get_str(e, "subresource");
	if (!mgr || !op || (sub && *sub))
		return false;
	for (size_t c = 0; c < sizeof cleanup_managers / sizeof *cleanup_managers; c++) {
		const char *want = cleanup_managers[c][0] ? cleanup_managers[c][0] : m->opts.field_manager;
		if (!strncmp(mgr, want, strlen(want)) && !strcmp(op, cleanup_managers[c][1]))
			return true;
	}
	return false;
}

const char *apply_cleanup_patch(struct arena *a, const struct apply_manager *m,
				const struct doc_node *live)
{
	struct buf p;
	buf_init(&p, 0);
	for (size_t i = 0; i < sizeof cleanup_annotations / sizeof *cleanup_annotations; i++)
		add_remove(&p, live, "annotations", cleanup_annotations[i]);
	for (size_t i = 0; i < sizeof cleanup_labels / sizeof *cleanup_labels; i++)
		add_remove(&p, live, "labels", cleanup_labels[i]);
	const struct doc_node *mf = doc_get(live, "metadata.managedFields");
	if (mf && mf->kind == DOC_SEQ) {
		struct doc_node *ours = NULL;
		for (size_t k = 0; k < mf->u.seq.len; k++) {
			const char *mgr = doc_get_str(mf->u.seq.items[k], "manager");
			const char *op = doc_get_str(mf->u.seq.items[k], "operation");
			if (mgr && op && !strcmp(mgr, m->opts.field_manager) && !strcmp(op, "Apply"))
				ours = mf->u.seq.items[k];
		}
		struct doc_node *entries = doc_new_seq(a);
		struct doc_node *merged = ours ? doc_clone(a, ours) : NULL;
		bool edited = false;
		for (size_t k = 0; k < mf->u.seq.len; k++) {
			struct doc_node *e = mf->u.seq.items[k];
			if (e == ours)
				continue;
			if (!cleanup_match(m, e)) {
				doc_seq_push(a, entries, e);
				continue;
			}
			edited = true;
			if (!merged) {
				merged = doc_clone(a, e);
				doc_map_set(a, merged, "manager", doc_new_str(a, m->opts.field_manager));
				doc_map_set(a, merged, "operation", doc_new_str(a, "Apply"));
			} else {
				doc_map_set(a, merged, "fieldsV1",
					    fields_union(a, doc_map_get(merged, "fieldsV1"),
							 doc_map_get(e, "fieldsV1")));
			}
		}
		if (edited) {
			doc_seq_push(a, entries, merged);
			buf_adds(&p, p.len ? "," : "[");
			buf_adds(&p, "{\"op\":\"replace\",\"path\":\"/metadata/managedFields\",\"value\":");
			doc_emit_json(&p, entries, 0);
			buf_adds(&p, "}");
		}
	}
	const char *out = NULL;
	if (p.len) {
		buf_adds(&p, "]");
		out = arena_strndup(a, p.ptr, p.len);
	}
	buf_release(&p);
	return out;
}
