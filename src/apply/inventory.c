/*
 * Inventories as the kustomize-controller keeps them in status.inventory (internal/inventory
 * and cli-utils' ObjMetadata ids). An id is "<namespace>_<name>_<group>_<kind>" where ':' in
 * the name is written "__" (RBAC names such as "system:foo" contain colons, names never
 * contain '_').
 */
#include <string.h>

#include "apply/apply.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

const char *apply_inventory_id(struct arena *a, const struct apply_ref *ref)
{
	struct buf b;
	buf_init(&b, 0);
	buf_adds(&b, ref->namespace ? ref->namespace : "");
	buf_addch(&b, '_');
	for (const char *p = ref->name; *p; p++) {
		if (*p == ':')
			buf_adds(&b, "__");
		else
			buf_addch(&b, *p);
	}
	buf_addf(&b, "_%s_%s", ref->group ? ref->group : "", ref->kind);
	const char *s = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return s;
}

int apply_inventory_parse(struct apply_ref *ref, struct arena *a, const char *id,
			  const char *version)
{
	const char *first = strchr(id, '_');
	const char *last = strrchr(id, '_');
	if (!first || last == first)
		return err_set(ERR_INVALID, "unable to parse stored object metadata: %s", id);
	const char *group_sep = last - 1;
	while (group_sep > first && *group_sep != '_')
		group_sep--;
	if (group_sep == first)
		return err_set(ERR_INVALID, "unable to parse stored object metadata: %s", id);
	/* name: between first and group_sep, "__" back to ':' and no other '_' */
	struct buf name;
	buf_init(&name, 0);
	for (const char *p = first + 1; p < group_sep; p++) {
		if (*p == '_') {
			if (p + 1 < group_sep && p[1] == '_') {
				buf_addch(&name, ':');
				p++;
				continue;
			}
			buf_release(&name);
			return err_set(ERR_INVALID, "too many fields within: %s", id);
		}
		buf_addch(&name, *p);
	}
	ref->namespace = arena_strndup(a, id, (size_t)(first - id));
	ref->name = arena_strndup(a, name.ptr, name.len);
	ref->group = arena_strndup(a, group_sep + 1, (size_t)(last - group_sep - 1));
	ref->kind = arena_strdup(a, last + 1);
	ref->version = arena_strdup(a, version ? version : "");
	buf_release(&name);
	if (!*ref->name || !*ref->kind)
		return err_set(ERR_INVALID, "unable to parse stored object metadata: %s", id);
	return 0;
}

static void inv_add(struct arena *a, struct apply_inventory *inv, const char *id, const char *v)
{
	if (inv->len == inv->cap)
		inv->items = arena_grow(a, inv->items, &inv->cap, inv->len + 1, sizeof *inv->items);
	inv->items[inv->len++] = (struct apply_inventory_entry){ id, v };
}

void apply_inventory_add_changeset(struct arena *a, struct apply_inventory *inv,
				   const struct apply_changeset *cs)
{
	for (size_t i = 0; i < cs->len; i++)
		inv_add(a, inv, apply_inventory_id(a, &cs->items[i].ref),
			arena_strdup(a, cs->items[i].ref.version ? cs->items[i].ref.version : ""));
}

int apply_inventory_from_doc(struct apply_inventory *inv, struct arena *a,
			     const struct doc_node *node)
{
	if (!node || node->kind == DOC_NULL)
		return 0;
	const struct doc_node *entries = doc_map_get(node, "entries");
	if (node->kind != DOC_MAP || (entries && entries->kind != DOC_SEQ && entries->kind != DOC_NULL))
		return err_set(ERR_INVALID, "inventory: expected {entries: [...]}");
	if (!entries || entries->kind == DOC_NULL)
		return 0;
	for (size_t i = 0; i < entries->u.seq.len; i++) {
		const char *id = doc_get_str(entries->u.seq.items[i], "id");
		const char *v = doc_get_str(entries->u.seq.items[i], "v");
		if (!id)
			return err_set(ERR_INVALID, "inventory: entry %zu has no id", i);
		inv_add(a, inv, arena_strdup(a, id), arena_strdup(a, v ? v : ""));
	}
	return 0;
}

struct doc_node *apply_inventory_to_doc(struct arena *a, const struct apply_inventory *inv)
{
	struct doc_node *root = doc_new_map(a);
	struct doc_node *entries = doc_new_seq(a);
	for (size_t i = 0; i < inv->len; i++) {
		struct doc_node *e = doc_new_map(a);
		doc_map_set(a, e, "id", doc_new_str(a, inv->items[i].id));
		doc_map_set(a, e, "v", doc_new_str(a, inv->items[i].version));
		doc_seq_push(a, entries, e);
	}
	doc_map_set(a, root, "entries", entries);
	return root;
}

int apply_inventory_diff(struct apply_ref **out, size_t *n, struct arena *a,
			 const struct apply_inventory *old_inv,
			 const struct apply_inventory *new_inv)
{
	*out = arena_alloc(a, (old_inv->len + 1) * sizeof **out);
	*n = 0;
	/* Inventories hold a few thousand entries at most; compare parsed refs so that two
	 * spellings of one id cannot differ. */
	struct apply_ref *newrefs = arena_alloc(a, (new_inv->len + 1) * sizeof *newrefs);
	for (size_t j = 0; j < new_inv->len; j++) {
		int rc = apply_inventory_parse(&newrefs[j], a, new_inv->items[j].id,
					       new_inv->items[j].version);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < old_inv->len; i++) {
		struct apply_ref r;
		int rc = apply_inventory_parse(&r, a, old_inv->items[i].id, old_inv->items[i].version);
		if (rc)
			return rc;
		bool found = false;
		for (size_t j = 0; j < new_inv->len && !found; j++)
			found = !strcmp(r.namespace, newrefs[j].namespace) &&
				!strcmp(r.name, newrefs[j].name) && !strcmp(r.group, newrefs[j].group) &&
				!strcmp(r.kind, newrefs[j].kind);
		bool dup = false;
		for (size_t k = 0; k < *n && !dup; k++)
			dup = !apply_ref_cmp(&r, &(*out)[k]);
		if (!found && !dup)
			(*out)[(*n)++] = r;
	}
	apply_sort_refs(*out, *n);
	return 0;
}

int apply_inventory_refs(struct apply_ref **out, size_t *n, struct arena *a,
			 const struct apply_inventory *inv)
{
	*out = arena_alloc(a, (inv->len + 1) * sizeof **out);
	*n = 0;
	for (size_t i = 0; i < inv->len; i++) {
		int rc = apply_inventory_parse(&(*out)[*n], a, inv->items[i].id, inv->items[i].version);
		if (rc)
			return rc;
		(*n)++;
	}
	apply_sort_refs(*out, *n);
	return 0;
}
