/*
 * Helm repository indexes (see repoindex.h): parsing with caps, Helm's checks, and Flux's
 * choice of a chart version.
 */
#include "helm/repoindex.h"

#include <string.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/semver.h"
#include "util/banned.h"

#define INDEX_MAX_DEFAULT ((size_t)50 << 20)

int helm_index_parse(struct arena *a, const char *data, size_t len, size_t max,
		     const struct doc_node **out)
{
	*out = NULL;
	if (!max)
		max = INDEX_MAX_DEFAULT;
	if (len > max)
		return err_set(ERR_TOOBIG, "index exceeds the maximum index file size of %zu bytes", max);
	size_t i = 0;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
		i++;
	if (i == len)
		return err_set(ERR_INVALID, "empty index.yaml file");
	struct doc_stream st = { 0 };
	/* sigs.k8s.io/yaml reads one document, later keys winning over earlier ones */
	struct doc_limits lim = { .max_bytes = max, .duplicate_keys_last_wins = true };
	int rc = doc_parse_any(a, "index.yaml", data, len, &lim, &st);
	if (rc)
		return rc;
	const struct doc_node *idx = st.len ? st.docs[0] : NULL;
	if (!idx || idx->kind != DOC_MAP)
		return err_set(ERR_INVALID, "error unmarshaling JSON: json: cannot unmarshal %s into Go value of type repo.IndexFile",
			       !idx ? "null" : idx->kind == DOC_SEQ ? "array" : "string");
	const char *api = doc_get_str(idx, "apiVersion");
	if (!api || !*api)
		return err_set(ERR_INVALID, "no API version specified");
	const struct doc_node *entries = doc_map_get(idx, "entries");
	if (entries && entries->kind != DOC_MAP && entries->kind != DOC_NULL)
		return err_set(ERR_INVALID, "error unmarshaling JSON: json: cannot unmarshal entries into Go struct field IndexFile.entries of type map[string]repo.ChartVersions");
	*out = idx;
	return 0;
}

static const char *str_field(const struct doc_node *n, const char *key)
{
	const struct doc_node *v = doc_map_get(n, key);
	return v && v->kind == DOC_STR ? v->u.str.ptr : NULL;
}

static void fill(struct arena *a, const char *name, const struct doc_node *n, struct helm_index_entry *out)
{
	memset(out, 0, sizeof(*out));
	out->name = name;
	out->version = str_field(n, "version");
	out->digest = str_field(n, "digest");
	out->created = str_field(n, "created");
	out->node = n;
	const struct doc_node *urls = doc_map_get(n, "urls");
	if (urls && urls->kind == DOC_SEQ && urls->u.seq.len) {
		out->urls = arena_alloc(a, urls->u.seq.len * sizeof(*out->urls));
		for (size_t i = 0; i < urls->u.seq.len; i++)
			if (urls->u.seq.items[i]->kind == DOC_STR)
				out->urls[out->nurls++] = urls->u.seq.items[i]->u.str.ptr;
	}
}

int helm_index_get(struct arena *a, const struct doc_node *index, const char *name, const char *ver,
		   struct helm_index_entry *out)
{
	const struct doc_node *list = doc_map_get(doc_map_get(index, "entries"), name);
	if (!list)
		return err_set(ERR_NOTFOUND, "no chart name found");
	if (list->kind != DOC_SEQ || !list->u.seq.len)
		return err_set(ERR_NOTFOUND, "no chart version found");
	if (ver && *ver)
		for (size_t i = 0; i < list->u.seq.len; i++) {
			const char *v = str_field(list->u.seq.items[i], "version");
			if (v && !strcmp(v, ver)) {
				fill(a, name, list->u.seq.items[i], out);
				return 0;
			}
		}
	struct semver_constraint *c = NULL;
	int rc = semver_constraint_parse(!ver || !*ver ? "*" : ver, &c);
	if (rc)
		return rc;
	const struct doc_node *best = NULL;
	struct semver best_v;
	const char *best_created = "";
	for (size_t i = 0; i < list->u.seq.len; i++) {
		const struct doc_node *n = list->u.seq.items[i];
		const char *v = str_field(n, "version");
		struct semver sv;
		if (!v || semver_parse(v, &sv)) {
			err_clear();
			continue;
		}
		if (!semver_constraint_check(c, &sv))
			continue;
		const char *created = str_field(n, "created");
		int cmp = best ? semver_compare(&sv, &best_v) : 1;
		/* equal versions: the later created one (RFC 3339 text of one writer compares
		 * in time order) */
		if (cmp > 0 || (cmp == 0 && strcmp(created ? created : "", best_created) > 0)) {
			best = n;
			best_v = sv;
			best_created = created ? created : "";
		}
	}
	semver_constraint_free(c);
	if (!best)
		return err_set(ERR_NOTFOUND, "no '%s' chart with version matching '%s' found", name,
			       ver ? ver : "");
	fill(a, name, best, out);
	return 0;
}
