/*
 * The typed GitRepository (see gitrepository.h): the only file that reads the object's spec
 * by path. The spec is decoded once, at the start of a reconcile, with the defaults of Flux's
 * api/v1 GitRepositorySpec (timeout 60s, verify mode HEAD, provider generic, include toPath
 * the repository's name); the status observations and the artifact are written from it
 * here, as Go's omitempty writes them.
 *
 * With no spec.ref tide fetches the remote's HEAD, where Flux's go-git client takes the
 * branch "master" (docs/differences.md says so); the e2e repositories, whose default branch
 * is main, rely on tide's way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "controllers/common/fields.h"
#include "controllers/gitrepository/gitrepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* A spec value against its status observation, where absent, null, false and empty count
 * the same (Go's omitempty round trip). */
static bool empty_node(const struct doc_node *n)
{
	return !n || n->kind == DOC_NULL || (n->kind == DOC_BOOL && !n->u.boolean) ||
	       (n->kind == DOC_SEQ && n->u.seq.len == 0) || (n->kind == DOC_STR && n->u.str.len == 0);
}

void gitrepo_spec_decode(struct gitrepo *g)
{
	const struct doc_node *o = g->obj;
	struct gitrepo_spec *s = &g->spec;
	memset(s, 0, sizeof(*s));
	s->url = doc_get_str(o, "spec.url");
	s->secret_ref = field_local_ref(o, "spec.secretRef");
	s->proxy_secret_ref = field_local_ref(o, "spec.proxySecretRef");
	s->provider = field_str(o, "spec.provider");
	if (!s->provider)
		s->provider = "generic";
	s->interval_ms = field_duration_ms(o, "spec.interval", 0);
	s->timeout_ms = field_duration_ms(o, "spec.timeout", GITREPO_DEFAULT_TIMEOUT_MS);
	s->ref = (struct gitsrc_ref_spec){
		field_str(o, "spec.ref.branch"), field_str(o, "spec.ref.tag"),
		field_str(o, "spec.ref.semver"), field_str(o, "spec.ref.name"),
		field_str(o, "spec.ref.commit"),
	};
	if (doc_get(o, "spec.verify")) {
		/* kubebuilder's default HEAD; an unknown mode, such as the legacy "head", counts
		 * as HEAD too */
		const char *mode = field_str(o, "spec.verify.mode");
		if (!mode || (strcmp(mode, "HEAD") && strcmp(mode, "Tag") && strcmp(mode, "TagAndHEAD")))
			mode = "HEAD";
		s->verify_mode = mode;
		s->verify_secret_ref = field_local_ref(o, "spec.verify.secretRef");
	}
	s->ignore = doc_get(o, "spec.ignore");
	s->suspend = field_bool(o, "spec.suspend");
	s->recurse_submodules = field_bool(o, "spec.recurseSubmodules");
	s->recurse_node = doc_get(o, "spec.recurseSubmodules");

	const struct doc_node *incl = doc_get(o, "spec.include");
	s->include_node = incl;
	if (incl && incl->kind == DOC_SEQ && incl->u.seq.len) {
		s->include = arena_alloc(g->a, incl->u.seq.len * sizeof(*s->include));
		for (size_t i = 0; i < incl->u.seq.len; i++) {
			const struct doc_node *it = incl->u.seq.items[i];
			struct gitrepo_include *in = &s->include[s->ninclude++];
			in->repository = doc_get_str(it, "repository.name");
			in->from_path = doc_get_str(it, "fromPath");
			in->to_path = field_str(it, "toPath");
			if (!in->from_path)
				in->from_path = "";
			if (!in->to_path)
				in->to_path = in->repository;
		}
	}
	s->sparse_node = doc_get(o, "spec.sparseCheckout");
	field_str_list(g->a, o, "spec.sparseCheckout", &s->sparse, &s->nsparse);
}

void gitrepo_release(struct gitrepo *g)
{
	secret_creds_wipe(&g->creds);
	secret_proxy_wipe(&g->proxy);
	memset(&g->auth, 0, sizeof(g->auth));
	free(g->cache);
	g->cache = NULL;
}

void gitrepo_mark_failed(struct gitrepo *g, const char *cond, const char *reason,
			 const char *msg)
{
	rt_cond_mark_true(g->a, g->obj, cond, reason, "%s", msg);
	rt_cond_mark_false(g->a, g->obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(g->r, "Warning", reason, NULL, "%s", msg);
}

const char *gitrepo_artifact_url(struct gitrepo *g, const char *path)
{
	return ctl_storage_url(g->ctl->svc, g->a, path);
}

static bool observed_differs(const struct doc_node *x, const struct doc_node *y)
{
	if (empty_node(x) || empty_node(y))
		return empty_node(x) != empty_node(y);
	return !doc_equal(x, y);
}

bool gitrepo_content_config_changed(const struct gitrepo *g)
{
	const struct doc_node *o = g->obj;
	const struct doc_node *observed_ignore = doc_get(o, "status.observedIgnore");
	bool same_ignore = (!g->spec.ignore && !observed_ignore) ||
			   (g->spec.ignore && observed_ignore && doc_equal(g->spec.ignore, observed_ignore));
	return !same_ignore ||
	       observed_differs(g->spec.recurse_node, doc_get(o, "status.observedRecurseSubmodules")) ||
	       observed_differs(g->spec.include_node, doc_get(o, "status.observedInclude")) ||
	       observed_differs(g->spec.sparse_node, doc_get(o, "status.observedSparseCheckout")) ||
	       gitrepo_includes_differ(g);
}

void gitrepo_status_observe(struct gitrepo *g)
{
	struct arena *a = g->a;
	struct doc_node *obj = g->obj;
	if (g->spec.ignore)
		doc_set(a, obj, "status.observedIgnore", doc_clone(a, g->spec.ignore));
	else
		doc_delete(obj, "status.observedIgnore");
	const struct {
		const struct doc_node *spec;
		const char *status;
	} observations[] = {
		{ g->spec.recurse_node, "status.observedRecurseSubmodules" },
		{ g->spec.include_node, "status.observedInclude" },
		{ g->spec.sparse_node, "status.observedSparseCheckout" },
	};
	for (size_t i = 0; i < sizeof(observations) / sizeof(observations[0]); i++) {
		if (empty_node(observations[i].spec))
			doc_delete(obj, observations[i].status);
		else
			doc_set(a, obj, observations[i].status, doc_clone(a, observations[i].spec));
	}
	if (g->included && g->included->u.seq.len)
		doc_set(a, obj, "status.includedArtifacts", g->included);
	else
		doc_delete(obj, "status.includedArtifacts");
}

void gitrepo_status_ready(struct gitrepo *g, const char *rev)
{
	rt_cond_delete(g->obj, COND_STORAGE_FAILED);
	rt_cond_delete(g->obj, COND_ARTIFACT_OUTDATED);
	rt_cond_delete(g->obj, RT_COND_RECONCILING);
	rt_cond_mark_true(g->a, g->obj, COND_ARTIFACT_IN_STORAGE, RT_REASON_SUCCEEDED,
			  "stored artifact for revision '%s'", rev);
	rt_cond_mark_true(g->a, g->obj, RT_COND_READY, RT_REASON_SUCCEEDED,
			  "stored artifact for revision '%s'", rev);
}

void gitrepo_status_artifact(struct gitrepo *g, const char *path, const char *rev,
			     const struct artifact_info *info)
{
	struct arena *a = g->a;
	char when[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "digest", doc_new_str(a, info->digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, when));
	doc_map_set(a, art, "path", doc_new_str(a, path));
	doc_map_set(a, art, "revision", doc_new_str(a, rev));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)info->size));
	doc_map_set(a, art, "url", doc_new_str(a, gitrepo_artifact_url(g, path)));
	doc_set(a, g->obj, "status.artifact", art);
	gitrepo_status_observe(g);
	gitrepo_status_ready(g, rev);
}
