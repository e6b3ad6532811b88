/*
 * A Helm chart repository's index (index.yaml, or its JSON form), as Helm's repo.IndexFile
 * loads it and Flux's ChartRepository picks a chart version from it: the HelmRepository
 * controller checks a fetched index with it, the HelmChart controller chooses the version to
 * download. Untrusted input: parsed with the doc module's caps.
 *
 * Choosing a version (Flux's getChartVersion): an exact match of the version string first;
 * else "" and "*" mean the latest stable version, anything else is a semver constraint
 * (util/semver.h, Masterminds' rules); entries whose version does not parse are skipped; the
 * highest match wins, and between equal versions (which may differ in build metadata) the
 * later `created` one.
 */
#ifndef TIDE_HELM_REPOINDEX_H
#define TIDE_HELM_REPOINDEX_H

#include <stddef.h>

struct arena;
struct doc_node;

/* One chart version of the index (strings borrowed from the parsed index). */
struct helm_index_entry {
	const char *name;
	const char *version;
	const char *digest;  /* sha256 hex of the .tgz, NULL when absent */
	const char *created; /* RFC 3339, NULL when absent */
	const char **urls;   /* absolute or relative to the repository's URL */
	size_t nurls;
	const struct doc_node *node; /* the whole entry */
};

/* Parses and checks data[0..len) (at most max bytes; 0 = 50 MiB) as Helm's IndexFromBytes
 * does: ERR_INVALID "empty index.yaml file", "no API version specified", or the parser's
 * message; ERR_TOOBIG past max. *out is the index's root mapping (in a). */
int helm_index_parse(struct arena *a, const char *data, size_t len, size_t max,
		     const struct doc_node **out);

/* The version of chart name that ver selects (see above). ERR_NOTFOUND "no chart name
 * found", "no chart version found", or "no 'NAME' chart with version matching 'VER' found";
 * ERR_INVALID for a constraint that does not parse (its message). */
int helm_index_get(struct arena *a, const struct doc_node *index, const char *name, const char *ver,
		   struct helm_index_entry *out);

#endif
