/*
 * The local builder, as Flux's buildFromTarballArtifact and localChartBuilder: the source
 * artifact (a GitRepository's or Bucket's tarball, read from the shared storage) unpacked
 * into a scratch directory, the chart at spec.chart inside it (a directory or a packaged
 * .tgz; the path may not leave the artifact), its version given build metadata (the first
 * 12 hex characters of the source revision under reconcileStrategy Revision, then the
 * object's generation when valuesFiles are set, joined by '.'), and then the stored
 * artifact when name and version are unchanged with the same generation, the .tgz as it is
 * when nothing asks for packaging, or the chart loaded, its values.yaml replaced by the
 * merged valuesFiles (paths relative to the artifact's root), its missing dependencies
 * added (a directory only) and packaged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "controllers/helmchart/helmchart.h"
#include "controllers/helmchart/package.h"
#include "doc/doc.h"
#include "helm/chart.h"
#include "runtime/conditions.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/untar.h"
#include "util/banned.h"

#define MAX_SOURCE_BYTES ((size_t)1 << 30)
#define MAX_SOURCE_ENTRIES 200000

static const struct helm_load_limits *load_limits(void)
{
	static struct helm_load_limits lim;
	lim.max_archive_bytes = (size_t)helmchart_max_size;
	lim.max_file_bytes = (size_t)helmchart_file_max_size;
	return &lim;
}

static int fetch_failed(struct helmchart *c, const char *reason, int rc, const char *msg)
{
	helmchart_mark_failed(c, COND_FETCH_FAILED, reason, msg);
	return err_set(rc ? rc : ERR_GENERIC, "%s", msg);
}

/* The hex the Revision strategy takes from the source revision ("main@sha1:<hex>",
 * "sha256:<hex>"), first 12 characters. */
static const char *revision_metadata(struct helmchart *c)
{
	const char *rev = doc_get_str(c->source, "status.artifact.revision");
	if (!rev)
		return "";
	const char *colon = strrchr(rev, ':');
	const char *hex = colon ? colon + 1 : rev;
	return arena_sprintf(c->a, "%.12s", hex);
}

static int unpack_source(struct helmchart *c, const char **out)
{
	const char *dir = NULL;
	int rc = helmchart_tmpdir(c, &dir);
	if (rc)
		return fetch_failed(c, REASON_DIR_FAILED, rc,
				    arena_sprintf(c->a, "failed to create temporary working directory: %s",
						  err_msg()));
	const char *src = arena_sprintf(c->a, "%s/source", dir);
	if (mkdir(src, 0700) != 0)
		return fetch_failed(c, REASON_DIR_FAILED, ERR_IO,
				    arena_sprintf(c->a, "failed to create directory to untar source into: %s",
						  strerror(errno)));
	char *artifact = storage_local_path(c->ctl->st, doc_get_str(c->source, "status.artifact.path"));
	struct untar_limits lim = { MAX_SOURCE_BYTES, MAX_SOURCE_ENTRIES };
	rc = untar_file_to_dir(artifact, src, &lim);
	free(artifact);
	if (rc)
		return fetch_failed(c, RT_REASON_FAILED, rc,
				    arena_sprintf(c->a, "artifact untar error: %s", err_msg()));
	*out = src;
	return 0;
}

int helmchart_build_local(struct helmchart *c)
{
	struct chart_build *b = &c->build;
	const char *src = NULL;
	int rc = unpack_source(c, &src);
	if (rc)
		return rc;
	if (!c->spec.chart || !*c->spec.chart)
		return helmchart_build_failed(c, BUILD_CHART_REFERENCE, ERR_INVALID, "no path set");
	char *joined = NULL, *resolved = NULL;
	if ((rc = fs_join_confined(&joined, src, c->spec.chart)))
		return helmchart_build_failed(c, BUILD_CHART_REFERENCE, rc,
					      arena_sprintf(c->a, "path '%s' escapes the source artifact",
							    c->spec.chart));
	const char *chart_rel = arena_strdup(c->a, joined + strlen(src));
	while (*chart_rel == '/')
		chart_rel++;
	rc = fs_resolve_in_root(&resolved, src, joined);
	free(joined);
	if (rc)
		return helmchart_build_failed(c, BUILD_CHART_REFERENCE, rc,
					      rc == ERR_ESCAPE
					      ? arena_sprintf(c->a, "path '%s' escapes the source artifact",
							      c->spec.chart)
					      : arena_sprintf(c->a, "no chart found at path '%s'", c->spec.chart));
	const char *path = arena_strdup(c->a, resolved);
	free(resolved);
	struct stat st;
	bool is_dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	struct helm_chart *chart = NULL;
	if ((rc = helm_chart_load(c->a, path, load_limits(), &chart)))
		return helmchart_build_failed(c, BUILD_CHART_REFERENCE, rc, err_msg());
	b->name = chart->metadata.name;
	b->version = chart->metadata.version;

	const char *meta = c->spec.revision_strategy ? revision_metadata(c) : "";
	if (c->spec.nvalues_files)
		meta = arena_sprintf(c->a, "%s%s%lld", meta, *meta ? "." : "", (long long)c->generation);
	if (*meta && (rc = helmchart_version_with_metadata(c->a, b->version, meta, &b->version)))
		return helmchart_build_failed(c, BUILD_METADATA_PATCH, rc, err_msg());
	bool packaging = is_dir || *meta || c->spec.nvalues_files;
	if (!c->force && helmchart_has_build(c, b->name, b->version)) {
		helmchart_use_cached(c, packaging);
		return 0;
	}
	if (!packaging) {
		b->path = path;
		return 0;
	}
	chart->metadata.version = b->version;
	if (c->spec.nvalues_files) {
		struct helmchart_values merged;
		if ((rc = helmchart_values_from_dir(c->a, chart, src, c->spec.values_files,
						    c->spec.nvalues_files,
						    c->spec.ignore_missing_values_files, &merged)))
			return helmchart_build_failed(c, BUILD_VALUES_FILES, rc, err_msg());
		if (merged.changed) {
			b->values_files = merged.found;
			b->nvalues_files = merged.nfound;
		}
	}
	if (is_dir) {
		if ((rc = helmchart_build_dependencies(c, chart, src, *chart_rel ? chart_rel : ".",
						       &b->resolved_dependencies)))
			return helmchart_build_failed(c, BUILD_DEPENDENCY, rc, err_msg());
	}
	const char *out = arena_sprintf(c->a, "%s/packaged.tgz", c->tmpdir);
	struct artifact_info info;
	if ((rc = helmchart_package(c->a, chart, out, NULL, &info)))
		return helmchart_build_failed(c, BUILD_PACKAGE, rc, err_msg());
	b->path = out;
	b->packaged = true;
	return 0;
}
