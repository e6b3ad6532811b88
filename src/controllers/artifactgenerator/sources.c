/*
 * The generator's sources (source-watcher observeSources, HashObservedSources and
 * fetchSources): each source object read (from the shared informer cache, the controller
 * watches every source kind), its status.artifact taken as observed (digest, revision, url
 * and the origin revision of its metadata), the observation hashed into
 * status.observedSourcesDigest, and, when something is to be built, every artifact
 * downloaded, checked against its digest and unpacked into <tmp>/sources/<alias>.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "controllers/common/artifact.h"
#include "controllers/common/sourceref.h"
#include "doc/doc.h"
#include "source/fetch.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/sha256.h"
#include "util/banned.h"

/* The resource of each kind a source may be, for the API server's "not found" words. */
static const char *plural_of(const char *kind)
{
	static const char *const kinds[][2] = {
		{ "GitRepository", "gitrepositories" }, { "OCIRepository", "ocirepositories" },
		{ "Bucket", "buckets" },                { "HelmChart", "helmcharts" },
		{ "ExternalArtifact", "externalartifacts" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i][0], kind))
			return kinds[i][1];
	return NULL;
}

static int observe(struct ag *g, struct ag_source *s)
{
	const char *plural = plural_of(s->kind);
	if (!plural)
		return err_set(ERR_UNSUPPORTED, "source `%s` kind '%s' not supported", s->name, s->kind);
	struct doc_node *obj = NULL;
	int rc = rt_get(g->r, CTL_SOURCE_API_VERSION, s->kind, s->namespace, s->name, &obj);
	if (rc == ERR_NOTFOUND)
		return err_set(rc, "%s.source.toolkit.fluxcd.io \"%s\" not found", plural, s->name);
	if (rc)
		return err_set(rc, "unable to get source '%s/%s': %s", s->namespace, s->name, err_msg());
	const struct doc_node *art = doc_get(obj, "status.artifact");
	if (!art || art->kind != DOC_MAP)
		return err_set(ERR_UNAVAIL, "source '%s/%s/%s' is not ready", s->kind, s->namespace, s->name);
	const char *d = doc_get_str(art, "digest"), *rev = doc_get_str(art, "revision"), *url = doc_get_str(art, "url");
	const struct doc_node *md = doc_map_get(art, "metadata");
	const struct doc_node *o = doc_map_get(md, AG_ORIGIN_REVISION);
	const char *origin = o && o->kind == DOC_STR ? o->u.str.ptr : NULL;
	s->digest = arena_strdup(g->a, d ? d : "");
	s->revision = arena_strdup(g->a, rev ? rev : "");
	s->url = arena_strdup(g->a, url ? url : "");
	s->origin_revision = origin ? arena_strdup(g->a, origin) : "";
	return 0;
}

int ag_sources_observe(struct ag *g)
{
	for (size_t i = 0; i < g->spec.nsources; i++) {
		int rc = observe(g, &g->spec.sources[i]);
		if (rc)
			return rc;
	}
	return 0;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

const char *ag_sources_digest(struct ag *g)
{
	size_t n = g->spec.nsources;
	const char **parts = arena_alloc(g->a, (n ? n : 1) * sizeof(*parts));
	for (size_t i = 0; i < n; i++) {
		const struct ag_source *s = &g->spec.sources[i];
		parts[i] = arena_sprintf(g->a, "%s=[digest=%s,revision=%s,url=%s]", s->alias, s->digest, s->revision, s->url);
	}
	qsort(parts, n, sizeof(*parts), cmp_str);
	struct sha256 h;
	sha256_init(&h);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sha256_update(&h, "|", 1);
		sha256_update(&h, parts[i], strlen(parts[i]));
	}
	unsigned char sum[32];
	sha256_final(&h, sum);
	char hex[65];
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	return arena_sprintf(g->a, "sha256:%s", hex);
}

int ag_sources_fetch(struct ag *g)
{
	int rc;
	if (!g->tmp && (rc = storage_tmpdir(g->ctl->st, "artifactgenerator", &g->tmp)))
		return err_set(rc, "failed to create tmp dir: %s", err_msg());
	for (size_t i = 0; i < g->spec.nsources; i++) {
		struct ag_source *s = &g->spec.sources[i];
		const char *dir = arena_sprintf(g->a, "%s/sources/%s", g->tmp, s->alias);
		if ((rc = fs_mkdir_p(dir)))
			return err_set(rc, "failed to create source dir: %s", err_msg());
		struct ctl_artifact art = { s->revision, s->url, *s->digest ? s->digest : NULL };
		struct fetch_limits lim = FETCH_LIMITS_INIT;
		if ((rc = ctl_artifact_fetch(&art, dir, &lim)))
			return rc;
		s->dir = dir;
	}
	return 0;
}
