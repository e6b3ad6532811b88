/*
 * The HelmChart controller's parts, one file per step as Flux's source-controller splits
 * its reconciler (helmchart_controller.go: reconcileStorage, reconcileSource with its two
 * builders, reconcileArtifact) and its chart package (internal/helm/chart):
 *
 *   reconcile.c the orchestrator: progress, storage -> source -> artifact, finalize
 *   spec.c      the typed object with Flux's defaults, the failure marks, the build summary
 *   source.c    the source object (HelmRepository, GitRepository, Bucket) and its artifact,
 *               observeChartBuild (conditions from the build and its error)
 *   repo.c      a chart repository as Flux's Downloader: an HTTP one (the HelmRepository's
 *               stored index, chart downloads with its credentials) or an OCI one (tags,
 *               the chart layer); a chart version chosen from either, and downloaded
 *   remote.c    the remote builder: a chart from a HelmRepository, pulled as it is or
 *               packaged with valuesFiles and version metadata; verify for OCI charts
 *   local.c     the local builder: a chart directory or .tgz inside a GitRepository or
 *               Bucket artifact, its dependencies, valuesFiles, version metadata, packaged
 *   deps.c      the dependency manager: charts/ entries missing from a chart directory,
 *               from file:// paths or from chart repositories (a HelmRepository of the
 *               namespace with the same URL gives the credentials)
 *   package.c   packaging as `helm package` writes a chart, and the valuesFiles merge
 *   artifact.c  the built chart through storage as <name>-<version>.tgz, the latest.tar.gz
 *               link (status.url), status.artifact, observedChartName, the events
 *   setup.c     the shared artifact service, the size flags, the watches, the table entry
 *
 * A build step fails with a struct chart_build_error's reason (Flux's BuildErrorReason):
 * the message is "<summary>: <error>", persistent reasons stall the object.
 */
#ifndef TIDE_CONTROLLERS_HELMCHART_HELMCHART_H
#define TIDE_CONTROLLERS_HELMCHART_HELMCHART_H

#include <stdbool.h>
#include <stdint.h>

#include "controllers/common/secret.h"
#include "controllers/common/storage.h"
#include "runtime/controller.h"
#include "util/buf.h"

#define HELMCHART_KIND "HelmChart"

#define COND_ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define COND_FETCH_FAILED "FetchFailed"
#define COND_BUILD_FAILED "BuildFailed"
#define COND_STORAGE_FAILED "StorageOperationFailed"
#define COND_ARTIFACT_OUTDATED "ArtifactOutdated"
#define COND_SOURCE_VERIFIED "SourceVerified"
#define REASON_AUTH_FAILED "AuthenticationFailed"
#define REASON_URL_INVALID "URLInvalid"
#define REASON_DIR_FAILED "DirCreationFailed"
#define REASON_ARCHIVE_FAILED "ArchiveOperationFailed"
#define REASON_LOCK_FAILED "AcquireLockFailed"
#define REASON_READ_FAILED "ReadOperationFailed"
#define REASON_VERIFICATION_ERROR "VerificationError"
#define REASON_PULL_SUCCEEDED "ChartPullSucceeded"
#define REASON_PACKAGE_SUCCEEDED "ChartPackageSucceeded"

#define HELMCHART_DEFAULT_TIMEOUT_MS 60000

/* Flux's BuildErrorReasons (internal/helm/chart/errors.go). */
enum chart_build_reason {
	BUILD_OK = 0,
	BUILD_CHART_REFERENCE, /* InvalidChartReference, persistent */
	BUILD_CHART_PULL,      /* ChartPullError */
	BUILD_METADATA_PATCH,  /* MetadataPatchError, persistent */
	BUILD_VALUES_FILES,    /* ValuesFilesError, persistent */
	BUILD_DEPENDENCY,      /* DependencyBuildError */
	BUILD_PACKAGE,         /* ChartPackageError */
	BUILD_VERIFICATION,    /* ChartVerificationError */
	BUILD_UNKNOWN,         /* Unknown */
};

/* --helm-chart-max-size and --helm-chart-file-max-size (Flux's defaults: 10 MiB, 5 MiB). */
extern long helmchart_max_size;
extern long helmchart_file_max_size;

struct helmchart_ctl {
	struct ctl_storage *svc;
	struct storage *st;
};

struct helmchart_spec {
	const char *chart;
	const char *version;      /* "*" when unset */
	const char *source_kind, *source_name;
	bool revision_strategy;   /* reconcileStrategy: Revision */
	const char **values_files;
	size_t nvalues_files;
	bool ignore_missing_values_files;
	bool verify;
	const char *verify_provider;   /* "cosign" when unset */
	const char *verify_secret_ref; /* NULL when unset */
};

/* Flux's chart.Build. */
struct chart_build {
	const char *name, *version;
	const char *path;         /* the .tgz built, or the stored artifact when cached */
	bool cached;              /* path is the current artifact: nothing to store */
	bool packaged;
	const char **values_files;
	size_t nvalues_files;
	size_t resolved_dependencies;
	bool verified;            /* a signature was verified */
};

struct helmchart {
	struct rt_reconcile *r;
	struct helmchart_ctl *ctl;
	struct arena *a;
	struct doc_node *obj;
	const char *ns, *name;
	struct storage_object sobj;
	struct helmchart_spec spec;
	int64_t generation, observed_generation;
	bool force;               /* a new generation: no cached build */
	struct doc_node *source;  /* the source object */
	const char *tmpdir;       /* scratch directory, removed by helmchart_release */
	struct chart_build build;
	enum chart_build_reason build_reason; /* of a failed build step */
	bool stalled;             /* the failure needs a change of the object (Stalled) */
	bool failing;             /* a failure condition at the start */
	const char *old_digest;   /* status.artifact.digest at the start */
};

void helmchart_spec_decode(struct helmchart *c);
void helmchart_release(struct helmchart *c);
void helmchart_mark_failed(struct helmchart *c, const char *cond, const char *reason, const char *msg);
/* Records a failed build step: reason and "<summary>: <msg>" (err_set); returns the code. */
int helmchart_build_failed(struct helmchart *c, enum chart_build_reason reason, int rc,
			   const char *msg);
const char *helmchart_build_reason_name(enum chart_build_reason reason);
/* Flux's Build.Summary: "pulled|packaged|new 'NAME' chart with version 'V'[ and merged values
 * files [a b]]". */
const char *helmchart_build_summary(struct helmchart *c);
/* Flux's setBuildMetaData: version with "+meta" (semver normalised); ERR_INVALID otherwise. */
int helmchart_version_with_metadata(struct arena *a, const char *version, const char *meta,
				    const char **out);
/* Whether status names this build already (observedChartName and the artifact's revision)
 * and the artifact is in storage: Flux's cached chart, when the generation is unchanged. */
bool helmchart_has_build(struct helmchart *c, const char *name, const char *version);
/* The build is the stored artifact (Flux's CachedChart): its path, the values files status
 * recorded (or the spec's). */
void helmchart_use_cached(struct helmchart *c, bool packaging);
/* The scratch directory, made on first use. */
int helmchart_tmpdir(struct helmchart *c, const char **out);

/* source.c: the source, the build; 1 with *res set when there is nothing to build yet. */
int helmchart_source(struct helmchart *c, struct rt_result *res);

/* remote.c, local.c: the two builders (source.c calls them). */
int helmchart_build_remote(struct helmchart *c);
int helmchart_build_local(struct helmchart *c);

/* deps.c: the missing dependencies of chart (a directory at chart_rel inside workdir) added
 * to it; *resolved counts them. Errors name the dependency. */
struct helm_chart;
int helmchart_build_dependencies(struct helmchart *c, struct helm_chart *chart, const char *workdir,
				 const char *chart_rel, size_t *resolved);

/* artifact.c: the build in storage and status, the events. */
int helmchart_artifact(struct helmchart *c);

int helmchart_setup(struct rt_manager *m, void **data);
void helmchart_teardown(void *data);

#endif
