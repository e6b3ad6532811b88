/*
 * The typed HelmChart (see helmchart.h): the only file that reads the object's spec by
 * path, decoded once with the defaults of Flux's api/v1 HelmChartSpec (version "*",
 * reconcileStrategy ChartVersion, verify provider cosign); the failure marks, Flux's build
 * error reasons and the build summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/common/fields.h"
#include "controllers/helmchart/helmchart.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/semver.h"
#include "util/banned.h"

void helmchart_spec_decode(struct helmchart *c)
{
	const struct doc_node *obj = c->obj;
	struct helmchart_spec *s = &c->spec;
	memset(s, 0, sizeof(*s));
	s->chart = field_str(obj, "spec.chart");
	s->version = field_str(obj, "spec.version");
	if (!s->version)
		s->version = "*";
	s->source_kind = field_str(obj, "spec.sourceRef.kind");
	s->source_name = field_str(obj, "spec.sourceRef.name");
	const char *strategy = field_str(obj, "spec.reconcileStrategy");
	s->revision_strategy = strategy && !strcmp(strategy, "Revision");
	field_str_list(c->a, obj, "spec.valuesFiles", &s->values_files, &s->nvalues_files);
	s->ignore_missing_values_files = field_bool(obj, "spec.ignoreMissingValuesFiles");
	if (doc_get(obj, "spec.verify")) {
		s->verify = true;
		s->verify_provider = field_str(obj, "spec.verify.provider");
		if (!s->verify_provider)
			s->verify_provider = "cosign";
		s->verify_secret_ref = field_local_ref(obj, "spec.verify.secretRef");
	}
	doc_int64(doc_get(obj, "metadata.generation"), &c->generation);
	c->observed_generation = -1;
	doc_int64(doc_get(obj, "status.observedGeneration"), &c->observed_generation);
	c->force = c->generation != c->observed_generation;
}

void helmchart_release(struct helmchart *c)
{
	if (c->tmpdir) {
		fs_rm_rf(c->tmpdir);
		c->tmpdir = NULL;
	}
}

int helmchart_tmpdir(struct helmchart *c, const char **out)
{
	if (!c->tmpdir) {
		char *dir = NULL;
		int rc = storage_tmpdir(c->ctl->st, "helmchart", &dir);
		if (rc)
			return rc;
		c->tmpdir = arena_strdup(c->a, dir);
		free(dir);
	}
	*out = c->tmpdir;
	return 0;
}

void helmchart_mark_failed(struct helmchart *c, const char *cond, const char *reason, const char *msg)
{
	rt_cond_mark_true(c->a, c->obj, cond, reason, "%s", msg);
	rt_cond_mark_false(c->a, c->obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(c->r, "Warning", reason, NULL, "%s", msg);
}

static const struct {
	const char *reason, *summary;
} reasons[] = {
	[BUILD_OK] = { "", "" },
	[BUILD_CHART_REFERENCE] = { "InvalidChartReference", "invalid chart reference" },
	[BUILD_CHART_PULL] = { "ChartPullError", "chart pull error" },
	[BUILD_METADATA_PATCH] = { "MetadataPatchError", "chart metadata patch error" },
	[BUILD_VALUES_FILES] = { "ValuesFilesError", "values files merge error" },
	[BUILD_DEPENDENCY] = { "DependencyBuildError", "dependency build error" },
	[BUILD_PACKAGE] = { "ChartPackageError", "chart package error" },
	[BUILD_VERIFICATION] = { "ChartVerificationError", "chart verification error" },
	[BUILD_UNKNOWN] = { "Unknown", "unknown build error" },
};

const char *helmchart_build_reason_name(enum chart_build_reason reason)
{
	return reasons[reason].reason;
}

int helmchart_build_failed(struct helmchart *c, enum chart_build_reason reason, int rc,
			   const char *msg)
{
	c->build_reason = reason;
	return err_set(rc ? rc : ERR_GENERIC, "%s: %s", reasons[reason].summary, msg);
}

const char *helmchart_build_summary(struct helmchart *c)
{
	const struct chart_build *b = &c->build;
	if (!b->name || !*b->name || !b->version || !*b->version)
		return "no chart build";
	struct buf s;
	buf_init(&s, 0);
	buf_addf(&s, "%s '%s' chart with version '%s'",
		 !b->path ? "new" : b->packaged ? "packaged" : "pulled", b->name, b->version);
	if (b->nvalues_files) {
		buf_adds(&s, " and merged values files [");
		for (size_t i = 0; i < b->nvalues_files; i++)
			buf_addf(&s, "%s%s", i ? " " : "", b->values_files[i]);
		buf_addch(&s, ']');
	}
	const char *out = arena_strndup(c->a, s.ptr, s.len);
	buf_release(&s);
	return out;
}

int helmchart_version_with_metadata(struct arena *a, const char *version, const char *meta,
				    const char **out)
{
	struct semver v;
	if (semver_parse(version, &v))
		return err_set(ERR_INVALID, "failed to parse version from chart metadata as SemVer: %s",
			       err_msg());
	for (const char *p = meta; *p; p++) {
		bool ok = (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
			  (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '.';
		if (!ok || (*p == '.' && (p == meta || p[-1] == '.' || !p[1])))
			return err_set(ERR_INVALID, "failed to set SemVer metadata on chart version: "
				       "Invalid Metadata string");
	}
	*out = arena_sprintf(a, "%llu.%llu.%llu%s%s+%s", (unsigned long long)v.major,
			     (unsigned long long)v.minor, (unsigned long long)v.patch, v.pre[0] ? "-" : "",
			     v.pre, meta);
	return 0;
}

bool helmchart_has_build(struct helmchart *c, const char *name, const char *version)
{
	const char *observed = doc_get_str(c->obj, "status.observedChartName");
	const char *rev = doc_get_str(c->obj, "status.artifact.revision");
	const char *path = doc_get_str(c->obj, "status.artifact.path");
	return observed && rev && path && !strcmp(observed, name) && !strcmp(rev, version) &&
	       storage_exists(c->ctl->st, path);
}

void helmchart_use_cached(struct helmchart *c, bool packaging)
{
	struct chart_build *b = &c->build;
	char *full = storage_local_path(c->ctl->st, doc_get_str(c->obj, "status.artifact.path"));
	b->path = arena_strdup(c->a, full);
	free(full);
	b->cached = true;
	b->packaged = packaging;
	b->values_files = c->spec.values_files;
	b->nvalues_files = c->spec.nvalues_files;
	const struct doc_node *seen = doc_get(c->obj, "status.observedValuesFiles");
	if (seen && seen->kind == DOC_SEQ) {
		b->values_files = arena_alloc(c->a, (seen->u.seq.len + 1) * sizeof(char *));
		b->nvalues_files = 0;
		for (size_t i = 0; i < seen->u.seq.len; i++)
			if (seen->u.seq.items[i]->kind == DOC_STR)
				b->values_files[b->nvalues_files++] = seen->u.seq.items[i]->u.str.ptr;
	}
}

