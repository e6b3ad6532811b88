/*
 * The HelmRepository controller's parts, one file per step as Flux's source-controller
 * splits its reconciler (helmrepository_controller.go: reconcileStorage, reconcileSource,
 * reconcileArtifact):
 *
 *   reconcile.c the orchestrator: type oci made static, progress, then storage -> source ->
 *               artifact, and finalize
 *   spec.c      the typed object, decoded once with Flux's defaults (api/v1)
 *   source.c    the URL checked (Stalled URLInvalid), secretRef (basic auth) and
 *               certSecretRef (TLS), index.yaml downloaded (capped, redirects followed,
 *               credentials kept to the repository's host unless passCredentials), its
 *               revision, and its validation as a Helm repository index
 *   artifact.c  the index through storage as index-<hex>.yaml, the index.yaml link
 *               (status.url), status.artifact and the events
 *   setup.c     the shared artifact service, --helm-index-max-size, the table entry
 *
 * Every step records its conditions with Flux's reasons and messages and returns 0, a
 * positive "stop here, nothing failed" (the result set in *res), or an error code with the
 * message set.
 */
#ifndef TIDE_CONTROLLERS_HELMREPOSITORY_HELMREPOSITORY_H
#define TIDE_CONTROLLERS_HELMREPOSITORY_HELMREPOSITORY_H

#include <stdbool.h>
#include <stdint.h>

#include "controllers/common/secret.h"
#include "controllers/common/storage.h"
#include "runtime/controller.h"
#include "util/buf.h"

#define HELMREPO_KIND "HelmRepository"

#define COND_ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define COND_FETCH_FAILED "FetchFailed"
#define COND_STORAGE_FAILED "StorageOperationFailed"
#define COND_ARTIFACT_OUTDATED "ArtifactOutdated"
#define REASON_AUTH_FAILED "AuthenticationFailed"
#define REASON_URL_INVALID "URLInvalid"
#define REASON_INDEXATION_FAILED "IndexationFailed"
#define REASON_ARCHIVE_FAILED "ArchiveOperationFailed"
#define REASON_DIR_FAILED "DirCreationFailed"
#define REASON_NEW_ARTIFACT "NewArtifact"

#define HELMREPO_DEFAULT_TIMEOUT_MS 60000

/* Per-process state (setup.c). */
struct helmrepo_ctl {
	struct ctl_storage *svc;
	struct storage *st;
};

/* --helm-index-max-size (Flux's default 50 MiB). */
extern long helmrepo_index_max_size;

struct helmrepo_spec {
	const char *url;
	const char *type;            /* "default" or "oci" */
	const char *secret_ref, *cert_secret_ref;
	bool pass_credentials;
	int64_t timeout_ms;
};

struct helmrepo {
	struct rt_reconcile *r;
	struct helmrepo_ctl *ctl;
	struct arena *a;
	struct doc_node *obj;
	const char *ns, *name;
	struct storage_object sobj;
	struct helmrepo_spec spec;
	struct secret_creds auth, tls; /* wiped by helmrepo_release */
	const char *index_url;         /* <url>/index.yaml */
	struct buf index;              /* the index as downloaded */
	const char *revision;          /* "sha256:<hex>" of those bytes */
	bool failing;                  /* FetchFailed or StorageOperationFailed at the start */
	const char *old_digest;        /* status.artifact.digest at the start */
};

void helmrepo_spec_decode(struct helmrepo *h);
void helmrepo_release(struct helmrepo *h);
void helmrepo_mark_failed(struct helmrepo *h, const char *cond, const char *reason, const char *msg);

/* source.c: the index into h->index and its revision; 1 with *res set when stalled. */
int helmrepo_source(struct helmrepo *h, struct rt_result *res);

/* artifact.c: the artifact in storage and status, the events. */
int helmrepo_artifact(struct helmrepo *h);

int helmrepo_setup(struct rt_manager *m, void **data);
void helmrepo_teardown(void *data);

#endif
