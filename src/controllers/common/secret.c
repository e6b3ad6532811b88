/* One key of a Secret's data, decoded (see secret.h). */
#include "controllers/common/secret.h"

#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

int secret_data(struct arena *a, const struct doc_node *secret, const char *key, char **out,
		size_t *len)
{
	const struct doc_node *v = doc_map_get(doc_map_get(secret, "data"), key);
	if (!v || v->kind != DOC_STR)
		return ERR_NOTFOUND;
	struct buf b = BUF_INIT;
	int rc = 0;
	if (base64_decode(&b, v->u.str.ptr, v->u.str.len) || b.err) {
		rc = err_set(ERR_INVALID, "invalid base64 in key '%s'", key);
	} else {
		char *copy = arena_alloc(a, b.len + 1);
		if (b.len)
			memcpy(copy, b.ptr, b.len);
		copy[b.len] = '\0';
		*out = copy;
		if (len)
			*len = b.len;
	}
	if (b.ptr)
		memset(b.ptr, 0, b.len);
	buf_release(&b);
	return rc;
}
