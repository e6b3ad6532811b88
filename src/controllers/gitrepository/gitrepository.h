/*
 * The GitRepository controller's parts, one file per step as Flux's source-controller
 * splits its reconciler (gitrepository_controller.go: reconcileStorage, reconcileSource,
 * reconcileInclude, reconcileArtifact):
 *
 *   spec.c      the typed object: spec decoded once with Flux's defaults (api/v1), status
 *               observations and the artifact written from structs
 *   reconcile.c the orchestrator: progress, then auth -> include -> fetch -> verify ->
 *               artifact, and finalize
 *   auth.c      secretRef and proxySecretRef into the Git credentials
 *   include.c   spec.include: the included artifacts, their change, their copy
 *   fetch.c     the fetch into the bare cache under spec.timeout
 *   verify.c    spec.verify: commit and tag signatures
 *   artifact.c  checkout, ignore rules, the tarball through storage, GC, status.artifact
 *   setup.c     storage and its file server, the watch on included repositories, the
 *               controller's table entry
 *
 * Every step takes the reconcile and the typed object, records its conditions with Flux's
 * reasons and messages, and returns 0, a positive "stop here, nothing failed" (the result
 * set in *res), or an error code with the message set.
 */
#ifndef TIDE_CONTROLLERS_GITREPOSITORY_GITREPOSITORY_H
#define TIDE_CONTROLLERS_GITREPOSITORY_GITREPOSITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controllers/common/secret.h"
#include "controllers/common/storage.h"
#include "runtime/controller.h"
#include "source/git.h"
#include "source/storage.h"

#define GITREPO_KIND "GitRepository"
#define GITREPO_API_VERSION "source.toolkit.fluxcd.io/v1"

/* Flux's condition types and reasons (source-controller api/v1). */
#define COND_ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define COND_FETCH_FAILED "FetchFailed"
#define COND_STORAGE_FAILED "StorageOperationFailed"
#define COND_ARTIFACT_OUTDATED "ArtifactOutdated"
#define COND_INCLUDE_UNAVAILABLE "IncludeUnavailable"
#define REASON_GIT_FAILED "GitOperationFailed"
#define REASON_AUTH_FAILED "AuthenticationFailed"
#define REASON_URL_INVALID "URLInvalid"
#define REASON_ARCHIVE_FAILED "ArchiveOperationFailed"
#define REASON_DIR_FAILED "DirCreationFailed"
#define REASON_LOCK_FAILED "AcquireLockFailed"
#define REASON_NEW_ARTIFACT "NewArtifact"
#define REASON_ARTIFACT_VERIFICATION_FAILED "ArtifactVerificationFailed"

/* Caps on what one artifact may hold. */
#define GITREPO_MAX_ARTIFACT_BYTES (512ULL << 20)
#define GITREPO_MAX_ARTIFACT_FILES 200000
#define GITREPO_MAX_SOURCEIGNORE_BYTES (1 << 20)

/* Flux's default (api/v1 GitRepositorySpec's kubebuilder marker). */
#define GITREPO_DEFAULT_TIMEOUT_MS 60000

/* Per-process state (setup.c). */
struct gitrepo_ctl {
	struct ctl_storage *svc; /* the artifact service of every source kind */
	struct storage *st;      /* svc->st */
};

/* setup.c: the storage and its server, for struct rt_controller's setup and teardown. */
int gitrepo_setup(struct rt_manager *m, void **data);
void gitrepo_teardown(void *data);

/* ---- The typed object (spec.c) ---------------------------------------------------------*/

struct gitrepo_include {
	const char *repository; /* repository.name */
	const char *from_path;  /* "" for the root */
	const char *to_path;    /* defaults to the repository's name */
};

struct gitrepo_spec {
	const char *url;
	const char *secret_ref;       /* secretRef.name, NULL when unset */
	const char *proxy_secret_ref; /* proxySecretRef.name, NULL when unset */
	const char *provider;         /* "generic" (default), "azure", "github" */
	int64_t interval_ms;          /* 0 when missing or malformed (the manager's concern) */
	int64_t timeout_ms;           /* default 60 s (also when malformed, as before) */
	/* spec.ref; with none of its fields set, the remote's HEAD (see spec.c) */
	struct gitsrc_ref_spec ref;
	const char *verify_mode;       /* NULL without spec.verify; "HEAD" (default), "Tag",
					* "TagAndHEAD"; an unknown mode counts as HEAD */
	const char *verify_secret_ref; /* verify.secretRef.name */
	const struct doc_node *ignore; /* the spec.ignore node, NULL when unset */
	bool suspend;
	struct gitrepo_include *include;
	size_t ninclude;
	bool recurse_submodules;
	const char **sparse; /* sparseCheckout directories */
	size_t nsparse;
	/* The nodes status.observed* copy (spec.c compares and writes them). */
	const struct doc_node *include_node, *sparse_node, *recurse_node;
};

/* One reconcile's view of the object: the decoded spec, and what the steps pass on. */
struct gitrepo {
	struct rt_reconcile *r;
	struct gitrepo_ctl *ctl;
	struct arena *a;
	struct doc_node *obj;
	const char *ns, *name;
	struct storage_object sobj;
	struct gitrepo_spec spec;
	/* set by the steps */
	struct secret_creds creds; /* secretRef's, wiped by gitrepo_release */
	struct secret_proxy proxy;  /* proxySecretRef's, likewise */
	struct gitsrc_auth auth;
	struct doc_node *included;   /* the included artifacts, a sequence (include.c) */
	char *cache;                 /* the bare Git cache directory (heap) */
	struct gitsrc_fetch_result fetched;
	int64_t started_ms;          /* when the fetch began, for spec.timeout */
};

/* Decodes the spec of g->obj into g->spec with Flux's defaults. Cannot fail: the API server
 * validated the object against Flux's CRD; what tide cannot use is judged by the steps. */
void gitrepo_spec_decode(struct gitrepo *g);

/* Wipes the credentials and frees what the steps allocated. */
void gitrepo_release(struct gitrepo *g);

/* Flux's summarize helper: cond True and Ready False with reason and msg, and a Warning
 * event. */
void gitrepo_mark_failed(struct gitrepo *g, const char *cond, const char *reason,
			 const char *msg);

/* The artifact's URL on the advertised storage address (arena). */
const char *gitrepo_artifact_url(struct gitrepo *g, const char *path);

/* Do the spec's content settings (ignore, recurseSubmodules, include, sparseCheckout) or the
 * included artifacts differ from what status observed (Flux's gitContentConfigChanged)? */
bool gitrepo_content_config_changed(const struct gitrepo *g);

/* Writes status.observed* from the spec, as Go's omitempty writes them. */
void gitrepo_status_observe(struct gitrepo *g);

/* Writes status.artifact and marks ArtifactInStorage and Ready True for rev. */
void gitrepo_status_artifact(struct gitrepo *g, const char *path, const char *rev,
			     const struct artifact_info *info);

/* Marks ArtifactInStorage and Ready True for rev, clearing the failure conditions. */
void gitrepo_status_ready(struct gitrepo *g, const char *rev);

/* ---- Steps -----------------------------------------------------------------------------*/

/* auth.c: spec.secretRef and spec.proxySecretRef into g->auth. On failure FetchFailed with
 * AuthenticationFailed. */
int gitrepo_auth(struct gitrepo *g);

/* include.c: the artifacts of spec.include into g->included. 1 (and *res) while one is
 * unavailable: IncludeUnavailable, requeued after --requeue-dependency. */
int gitrepo_include(struct gitrepo *g, struct rt_result *res);
/* Whether g->included differs from status.includedArtifacts (Flux's artifactSet.Diff). */
bool gitrepo_includes_differ(const struct gitrepo *g);
/* Copies every included artifact into the checkout at dir; *reason is Flux's on failure. */
int gitrepo_include_copy(struct gitrepo *g, const char *dir, const char **reason);

/* The watch on GitRepositories: a repository with a new artifact revision queues the
 * repositories that include it, so they rebuild without waiting for their interval. Only
 * the revision counts, not the digest: an includer's digest changes with its includes, and
 * two repositories including each other would otherwise rebuild each other forever. */
void gitrepo_artifact_changed(struct rt_mapper *m, const struct rt_object *old,
			      const struct rt_object *obj);

/* fetch.c: resolves spec.ref and fetches it into the cache under spec.timeout, into
 * g->fetched. On failure FetchFailed with GitOperationFailed. */
int gitrepo_fetch(struct gitrepo *g);

/* The object's bare Git cache under the storage root. Caller frees. */
char *gitrepo_cache_dir(const struct gitrepo_ctl *ctl, const char *ns, const char *name);

/* verify.c: spec.verify. On failure SourceVerified False; *stalled when retrying cannot
 * help. */
int gitrepo_verify(struct gitrepo *g, bool *stalled);

/* artifact.c, first of the steps (Flux's reconcileStorage): collects old artifacts and the
 * temporary files of a write that was killed, then checks the artifact status names against
 * its digest; one that is gone, truncated or altered is removed (a Warning event
 * ArtifactVerificationFailed for the latter) and dropped from status, with Reconciling
 * "building artifact: disappeared from storage", so the artifact step builds it again. */
void gitrepo_storage(struct gitrepo *g);

/* artifact.c: the artifact of the fetched commit in storage and in status (nothing built
 * when it is there already). */
int gitrepo_artifact(struct gitrepo *g);

#endif
