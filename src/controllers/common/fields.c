/* Typed reads of an API object's fields (see fields.h). */
#include "controllers/common/fields.h"

#include <stdio.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/duration.h"
#include "util/banned.h"

const char *field_str(const struct doc_node *obj, const char *path)
{
	const char *s = doc_get_str(obj, path);
	return s && *s ? s : NULL;
}

int64_t field_duration_ms(const struct doc_node *obj, const char *path, int64_t def)
{
	const char *s = doc_get_str(obj, path);
	int64_t ms;
	return s && duration_parse(s, &ms) == 0 ? ms : def;
}

bool field_bool(const struct doc_node *obj, const char *path)
{
	const struct doc_node *n = doc_get(obj, path);
	return n && n->kind == DOC_BOOL && n->u.boolean;
}

const char *field_local_ref(const struct doc_node *obj, const char *path)
{
	char full[256];
	int len = snprintf(full, sizeof(full), "%s.name", path);
	return len > 0 && (size_t)len < sizeof(full) ? field_str(obj, full) : NULL;
}

void field_str_list(struct arena *a, const struct doc_node *obj, const char *path,
		    const char ***out, size_t *n)
{
	const struct doc_node *seq = doc_get(obj, path);
	*out = NULL;
	*n = 0;
	if (!seq || seq->kind != DOC_SEQ || !seq->u.seq.len)
		return;
	const char **list = arena_alloc(a, seq->u.seq.len * sizeof(*list));
	for (size_t i = 0; i < seq->u.seq.len; i++)
		if (seq->u.seq.items[i]->kind == DOC_STR)
			list[(*n)++] = seq->u.seq.items[i]->u.str.ptr;
	*out = list;
}
