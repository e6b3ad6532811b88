/*
 * The Bucket controller's parts, one file per step as Flux's source-controller splits its
 * reconciler (bucket_controller.go: reconcileStorage, reconcileSource, reconcileArtifact):
 *
 *   spec.c      the typed object: spec decoded once with Flux's defaults (api/v1), the
 *               failures summarised, the scratch directory and the credentials released
 *   reconcile.c the orchestrator: progress, then storage -> auth -> index -> fetch ->
 *               artifact, and finalize
 *   auth.c      provider, secretRef (accesskey, secretkey), certSecretRef, proxySecretRef,
 *               sts refused, and the S3 client made from them
 *   index.c     the key -> etag index and Flux's revision: the sha256 digest of its sorted
 *               "key etag\n" lines (internal/index Digester)
 *   fetch.c     the bucket's existence, its .sourceignore, the listing filtered by the
 *               ignore rules and capped, then every indexed object downloaded, 20 at a time
 *   artifact.c  the directory archived through storage, the latest link, status.artifact
 *               and the events
 *   setup.c     the shared artifact service and the controller's table entry
 *
 * Every step takes the typed object, records its conditions with Flux's reasons and
 * messages, and returns 0, a positive "stop here, nothing failed" (the result set in *res),
 * or an error code with the message set.
 */
#ifndef TIDE_CONTROLLERS_BUCKET_BUCKET_H
#define TIDE_CONTROLLERS_BUCKET_BUCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controllers/common/secret.h"
#include "controllers/common/storage.h"
#include "runtime/controller.h"
#include "source/s3.h"

#define BUCKET_KIND "Bucket"

/* Flux's condition types and reasons (source-controller api/v1). */
#define COND_ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define COND_FETCH_FAILED "FetchFailed"
#define COND_STORAGE_FAILED "StorageOperationFailed"
#define COND_ARTIFACT_OUTDATED "ArtifactOutdated"
#define REASON_AUTH_FAILED "AuthenticationFailed"
#define REASON_BUCKET_FAILED "BucketOperationFailed"
#define REASON_ARCHIVE_FAILED "ArchiveOperationFailed"
#define REASON_DIR_FAILED "DirCreationFailed"
#define REASON_INVALID_STS "InvalidSTSConfiguration"
#define REASON_FEATURE_GATE_DISABLED "FeatureGateDisabled"
#define REASON_NEW_REVISION "NewRevision"
#define REASON_NEW_ARTIFACT "NewArtifact"
/* tide's own: a provider it has no client for (docs/differences.md) */
#define REASON_UNSUPPORTED_PROVIDER "UnsupportedProvider"

/* Caps on what one artifact may hold. Flux fetches without a cap; tide serves every tenant
 * from one process (docs/differences.md). */
#define BUCKET_MAX_OBJECTS 100000
#define BUCKET_MAX_KEY_LEN 1024               /* S3's own limit */
#define BUCKET_MAX_OBJECT_BYTES (256ULL << 20) /* one object */
#define BUCKET_MAX_TOTAL_BYTES (1ULL << 30)   /* every object together */
#define BUCKET_MAX_SOURCEIGNORE_BYTES (1 << 20)
/* Downloads in flight at once (Flux allows 100; one process serves every tenant here). */
#define BUCKET_FETCH_WORKERS 20

/* Flux's default (api/v1 BucketSpec's kubebuilder marker). */
#define BUCKET_DEFAULT_TIMEOUT_MS 60000

/* Per-process state (setup.c). */
struct bucket_ctl {
	struct ctl_storage *svc;
	struct storage *st; /* svc->st */
};

/* setup.c: the shared artifact service, for struct rt_controller's setup and teardown. */
int bucket_setup(struct rt_manager *m, void **data);
void bucket_teardown(void *data);

/* ---- The typed object (spec.c) ---------------------------------------------------------*/

struct bucket_spec {
	const char *provider;      /* "generic" (default), "aws", "gcp", "azure" */
	const char *bucket_name;
	const char *endpoint;
	const char *region;
	const char *prefix;
	bool insecure;
	const char *secret_ref, *cert_secret_ref, *proxy_secret_ref;
	const char *service_account;
	bool sts;                  /* spec.sts is set */
	int64_t interval_ms;
	int64_t timeout_ms;
	const struct doc_node *ignore; /* spec.ignore, NULL when unset */
};

/* One entry of the index: an object key and its ETag (heap). */
struct bucket_entry {
	char *key;
	char *etag;
	int64_t size;              /* as listed */
};

/* The key -> etag index (index.c), kept sorted by key once built. */
struct bucket_index {
	struct bucket_entry *e;
	size_t n, cap;
};

/* One reconcile's view of the object. */
struct bucket {
	struct rt_reconcile *r;
	struct bucket_ctl *ctl;
	struct arena *a;
	struct doc_node *obj;
	const char *ns, *name;
	struct storage_object sobj;
	struct bucket_spec spec;
	int64_t deadline_ms;        /* CLOCK_MONOTONIC: now + spec.timeout */
	bool failing;               /* FetchFailed or StorageOperationFailed held at the start */
	const char *old_digest;     /* status.artifact.digest at the start */
	/* what the steps found */
	struct secret_value access_key, secret_key; /* secretRef's (arena), wiped by release */
	struct secret_creds tls;    /* certSecretRef's (arena), likewise */
	struct secret_proxy proxy;  /* proxySecretRef's (arena), likewise */
	struct s3_config cfg;       /* for the client and the download workers' own */
	struct s3_client *client;
	struct bucket_index index;
	const char *revision;       /* "sha256:<hex>" */
	char *dir;                  /* the scratch directory (heap), removed by release */
};

void bucket_spec_decode(struct bucket *b);

/* Wipes the credentials, closes the client, frees the index, removes the scratch
 * directory. */
void bucket_release(struct bucket *b);

/* cond True, Ready False with reason and msg, and a Warning event (Flux's summarize). */
void bucket_mark_failed(struct bucket *b, const char *cond, const char *reason, const char *msg);

/* Whether status.artifact names revision. */
bool bucket_has_revision(const struct bucket *b, const char *revision);

/* ---- The index (index.c) ---------------------------------------------------------------*/

/* Adds or replaces key's entry (copies both strings). */
void bucket_index_add(struct bucket_index *ix, const char *key, const char *etag, int64_t size);

/* Sorts the entries by key, byte order (Go's sort.Strings). */
void bucket_index_sort(struct bucket_index *ix);

/* Flux's revision of a sorted index: "sha256:" and the hex sha256 of every "key etag\n"
 * line in key order, into out (at least 72 bytes). */
void bucket_index_digest(const struct bucket_index *ix, char out[72]);

void bucket_index_release(struct bucket_index *ix);

/* Whether key is a relative path that stays inside the directory it is written to: not
 * empty, no leading '/', no empty, "." or ".." component, no control character. */
bool bucket_key_is_safe(const char *key);

/* ---- Steps -----------------------------------------------------------------------------*/

/* auth.c: the provider and the Secrets checked, the S3 client made (FetchFailed
 * AuthenticationFailed on failure; Stalled for what retrying cannot fix). */
int bucket_auth(struct bucket *b, struct rt_result *res);

/* fetch.c: the index and the revision (FetchFailed BucketOperationFailed on failure). */
int bucket_index_build(struct bucket *b);

/* fetch.c: every indexed object into b->dir (FetchFailed BucketOperationFailed). */
int bucket_fetch(struct bucket *b);

/* artifact.c: the artifact in storage and in status, the events. */
int bucket_artifact(struct bucket *b, bool fetched);

#endif
