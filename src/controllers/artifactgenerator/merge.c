/*
 * The Merge copy strategy (source-watcher internal/builder/merge.go): both files read as
 * multi-document YAML, each file's documents merged into one mapping, the source's mapping
 * merged into the destination's as Helm merges values files (mappings recursively, any
 * other value, lists included, replaced), and the result written over the destination as
 * sigs.k8s.io/yaml marshals a map: keys sorted, scalars as a JSON round trip leaves them.
 * The files are the tenant's: read with a size cap and the document parser's caps.
 */
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

/* mergeMap: overlay into a copy of base. */
static struct doc_node *merge_map(struct arena *a, const struct doc_node *base, const struct doc_node *overlay)
{
	struct doc_node *out = base ? doc_clone(a, base) : doc_new_map(a);
	for (size_t i = 0; overlay && i < overlay->u.map.len; i++) {
		const struct doc_pair *p = &overlay->u.map.items[i];
		struct doc_node *cur = doc_map_get(out, p->key);
		if (p->value->kind == DOC_MAP && cur && cur->kind == DOC_MAP)
			doc_map_set(a, out, p->key, merge_map(a, cur, p->value));
		else
			doc_map_set(a, out, p->key, doc_clone(a, p->value));
	}
	return out;
}

static const char *json_type(const struct doc_node *n)
{
	switch (n->kind) {
	case DOC_SEQ: return "array";
	case DOC_STR: return "string";
	case DOC_BOOL: return "bool";
	default: return "number";
	}
}

/* loadYAML: every document of the file merged into one mapping. */
static int load(struct arena *a, const char *path, uint64_t max, struct doc_node **out)
{
	struct buf b = BUF_INIT;
	int rc = fs_read_regular_file(path, max ? (size_t)max : 1, &b);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	struct doc_stream docs = { 0 };
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	rc = doc_parse_yaml(a, name, b.ptr ? b.ptr : "", b.len, NULL, &docs);
	buf_release(&b);
	if (rc)
		return err_set(rc, "error reading YAML document: %s", err_msg());
	struct doc_node *m = doc_new_map(a);
	for (size_t i = 0; i < docs.len; i++) {
		const struct doc_node *d = docs.docs[i];
		if (d->kind == DOC_NULL)
			continue;
		if (d->kind != DOC_MAP)
			return err_set(ERR_INVALID,
				       "cannot unmarshal YAML document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type map[string]interface {}",
				       json_type(d));
		m = merge_map(a, m, d);
	}
	*out = m;
	return 0;
}

int ag_merge_yaml(struct arena *a, const char *src, const char *dest, uint64_t max)
{
	struct doc_node *s, *d;
	int rc = load(a, src, max, &s);
	if (!rc)
		rc = load(a, dest, max, &d);
	if (rc)
		return rc;
	struct doc_node *merged = merge_map(a, d, s);
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, merged, DOC_EMIT_SORT_KEYS | DOC_EMIT_NO_COMMENTS | DOC_EMIT_NO_STYLE | DOC_EMIT_JSON_SCALARS);
	if ((uint64_t)out.len > max)
		rc = err_set(ERR_TOOBIG, "artifact exceeds the limit of %llu bytes", (unsigned long long)max);
	else
		rc = fs_write_atomic(dest, out.ptr ? out.ptr : "", out.len, 0644);
	buf_release(&out);
	return rc;
}
