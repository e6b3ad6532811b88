/*
 * The HelmChart's source, as Flux's reconcileSource: the source object of spec.sourceRef
 * (HelmRepository, GitRepository or Bucket, same namespace) and its artifact in storage
 * (FetchFailed NoSourceArtifact while it has none, except for an OCI HelmRepository, which
 * has none by design), status.observedSourceArtifactRevision, then the builder for the
 * kind, and observeChartBuild: a build whose name or version is not the stored artifact's
 * marks ArtifactOutdated and Reconciling "building artifact: <summary>" (written at once),
 * a complete build clears FetchFailed and BuildFailed, a failed one sets BuildFailed
 * (metadata, values, dependency, package and verification errors) or FetchFailed (the
 * others) with Flux's reason, and stalls on the persistent reasons.
 */
#include <string.h>

#include "controllers/helmchart/helmchart.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

static const char *plural(const char *kind)
{
	if (!strcmp(kind, "HelmRepository"))
		return "helmrepositories";
	if (!strcmp(kind, "GitRepository"))
		return "gitrepositories";
	return "buckets";
}

static int get_source(struct helmchart *c, struct rt_result *res)
{
	const char *kind = c->spec.source_kind ? c->spec.source_kind : "";
	const char *name = c->spec.source_name ? c->spec.source_name : "";
	if (strcmp(kind, "HelmRepository") && strcmp(kind, "GitRepository") && strcmp(kind, "Bucket")) {
		const char *msg = arena_sprintf(c->a, "failed to get source: unsupported source kind '%s', "
						"must be one of: [HelmRepository GitRepository Bucket]", kind);
		helmchart_mark_failed(c, COND_FETCH_FAILED, "SourceUnavailable", msg);
		rt_cond_mark_stalled(c->a, c->obj, "UnsupportedSourceKind", "%s", msg);
		res->outcome = RT_STALLED;
		return 1;
	}
	int rc = rt_get(c->r, "source.toolkit.fluxcd.io/v1", kind, c->ns, name, &c->source);
	if (rc) {
		const char *msg = rc == ERR_NOTFOUND
			? arena_sprintf(c->a, "failed to get source: %s.source.toolkit.fluxcd.io \"%s\" not found",
					plural(kind), name)
			: arena_sprintf(c->a, "failed to get source: %s", err_msg());
		helmchart_mark_failed(c, COND_FETCH_FAILED, "SourceUnavailable", msg);
		return err_set(rc, "%s", msg);
	}
	return 0;
}

/* Flux's observeChartBuild, the part before the error. */
static void observe_build(struct helmchart *c)
{
	const struct chart_build *b = &c->build;
	if (b->name && b->version && !helmchart_has_build(c, b->name, b->version)) {
		const char *summary = helmchart_build_summary(c);
		if (doc_get(c->obj, "status.artifact"))
			rt_cond_mark_true(c->a, c->obj, COND_ARTIFACT_OUTDATED, "NewChart", "%s", summary);
		rt_cond_mark_reconciling(c->a, c->obj, RT_REASON_PROGRESSING, "building artifact: %s", summary);
		if (!rt_cond_get(c->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
			rt_cond_mark_unknown(c->a, c->obj, RT_COND_READY, RT_REASON_PROGRESSING,
					     "building artifact: %s", summary);
		rt_write_status(c->r);
		err_clear();
	}
	if (b->name && b->version && b->path) {
		rt_cond_delete(c->obj, COND_FETCH_FAILED);
		rt_cond_delete(c->obj, COND_BUILD_FAILED);
		if (b->verified)
			rt_cond_mark_true(c->a, c->obj, COND_SOURCE_VERIFIED, RT_REASON_SUCCEEDED,
					  "verified signature of version %s", b->version);
	}
	if (!c->spec.verify)
		rt_cond_delete(c->obj, COND_SOURCE_VERIFIED);
}

/* The failure half of observeChartBuild; the message is err_msg(). */
static int observe_failure(struct helmchart *c, int rc, struct rt_result *res)
{
	enum chart_build_reason reason = c->build_reason;
	if (reason == BUILD_OK)
		return rc; /* marked by the step that failed (auth, storage, source) */
	const char *msg = arena_strdup(c->a, err_msg());
	const char *name = helmchart_build_reason_name(reason);
	switch (reason) {
	case BUILD_METADATA_PATCH:
	case BUILD_VALUES_FILES:
	case BUILD_DEPENDENCY:
	case BUILD_PACKAGE:
		rt_cond_delete(c->obj, COND_FETCH_FAILED);
		helmchart_mark_failed(c, COND_BUILD_FAILED, name, msg);
		break;
	case BUILD_VERIFICATION:
		rt_cond_delete(c->obj, COND_FETCH_FAILED);
		helmchart_mark_failed(c, COND_BUILD_FAILED, name, msg);
		rt_cond_mark_false(c->a, c->obj, COND_SOURCE_VERIFIED, REASON_VERIFICATION_ERROR, "%s", msg);
		break;
	default:
		rt_cond_delete(c->obj, COND_BUILD_FAILED);
		helmchart_mark_failed(c, COND_FETCH_FAILED, name, msg);
		break;
	}
	if (reason == BUILD_CHART_REFERENCE || reason == BUILD_METADATA_PATCH ||
	    reason == BUILD_VALUES_FILES) {
		rt_cond_mark_stalled(c->a, c->obj, name, "%s", msg);
		res->outcome = RT_STALLED;
		return 1;
	}
	return err_set(rc, "%s", msg);
}

int helmchart_source(struct helmchart *c, struct rt_result *res)
{
	/* a failed verification is computed again */
	if (rt_cond_is_false(c->obj, COND_SOURCE_VERIFIED))
		rt_cond_delete(c->obj, COND_SOURCE_VERIFIED);
	int rc = get_source(c, res);
	if (rc)
		return rc;
	const char *kind = c->spec.source_kind;
	const char *type = doc_get_str(c->source, "spec.type");
	bool oci_repo = !strcmp(kind, "HelmRepository") && type && !strcmp(type, "oci");
	const char *path = doc_get_str(c->source, "status.artifact.path");
	if (!oci_repo && (!path || !storage_exists(c->ctl->st, path))) {
		const char *msg = arena_sprintf(c->a, "no artifact available for %s source '%s'", kind,
						c->spec.source_name);
		rt_cond_mark_true(c->a, c->obj, COND_FETCH_FAILED, "NoSourceArtifact", "%s", msg);
		rt_cond_mark_false(c->a, c->obj, RT_COND_READY, "NoSourceArtifact", "%s", msg);
		rt_eventf(c->r, "Trace", "NoSourceArtifact", NULL, "%s", msg);
		res->outcome = RT_REQUEUE;
		return 1;
	}
	const char *srev = doc_get_str(c->source, "status.artifact.revision");
	if (srev)
		doc_set(c->a, c->obj, "status.observedSourceArtifactRevision", doc_new_str(c->a, srev));
	rc = !strcmp(kind, "HelmRepository") ? helmchart_build_remote(c) : helmchart_build_local(c);
	/* observe_build writes the status, which clears the thread's message */
	const char *build_err = rc ? arena_strdup(c->a, err_msg()) : NULL;
	observe_build(c);
	if (rc)
		err_set(rc, "%s", build_err);
	if (c->build.name && c->build.path && c->build.resolved_dependencies)
		rt_eventf(c->r, "Trace", "ResolvedDependencies", NULL, "resolved %zu chart dependencies",
			  c->build.resolved_dependencies);
	if (rc && c->stalled) {
		res->outcome = RT_STALLED;
		return 1;
	}
	if (rc)
		return observe_failure(c, rc, res);
	return 0;
}
