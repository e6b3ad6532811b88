/*
 * The OCIRepository controller's parts, one file per step as Flux's source-controller splits
 * its reconciler (ocirepository_controller.go: reconcileStorage, reconcileSource,
 * reconcileArtifact):
 *
 *   spec.c      the typed object: spec decoded once with Flux's defaults (api/v1), the
 *               content observations, status.artifact written from structs
 *   reconcile.c the orchestrator: progress, then storage -> auth -> ref -> verify -> pull ->
 *               artifact, and finalize
 *   auth.c      secretRef, serviceAccountName's imagePullSecrets, certSecretRef,
 *               proxySecretRef and insecure into the registry client
 *   ref.c       which manifest: spec.ref's digest, semver (+ semverFilter) or tag, and the
 *               revision "<tag>@sha256:..." from a HEAD of the manifest
 *   verify.c    spec.verify: cosign public keys; keyless and notation refused
 *   pull.c      the manifest (an index resolved to linux/amd64), the layer of
 *               spec.layerSelector, downloaded with its digest checked, extracted or kept
 *   artifact.c  the tarball (extract) or the layer itself (copy) through storage, the
 *               latest link, status.artifact and the events
 *   setup.c     the shared artifact service and the controller's table entry
 *
 * Every step takes the typed object, records its conditions with Flux's reasons and
 * messages, and returns 0, a positive "stop here, nothing failed" (the result set in *res),
 * or an error code with the message set.
 */
#ifndef TIDE_CONTROLLERS_OCIREPOSITORY_OCIREPOSITORY_H
#define TIDE_CONTROLLERS_OCIREPOSITORY_OCIREPOSITORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controllers/common/secret.h"
#include "controllers/common/storage.h"
#include "runtime/controller.h"
#include "source/oci_auth.h"
#include "source/oci_registry.h"

#define OCIREPO_KIND "OCIRepository"
#define OCIREPO_API_VERSION "source.toolkit.fluxcd.io/v1"

/* Flux's condition types and reasons (source-controller api/v1). */
#define COND_ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define COND_FETCH_FAILED "FetchFailed"
#define COND_STORAGE_FAILED "StorageOperationFailed"
#define COND_ARTIFACT_OUTDATED "ArtifactOutdated"
#define COND_SOURCE_VERIFIED "SourceVerified"
#define REASON_AUTH_FAILED "AuthenticationFailed"
#define REASON_URL_INVALID "URLInvalid"
#define REASON_PULL_FAILED "OCIArtifactPullFailed"
#define REASON_LAYER_FAILED "OCIArtifactLayerOperationFailed"
#define REASON_READ_FAILED "ReadOperationFailed"
#define REASON_VERIFICATION_ERROR "VerificationError"
#define REASON_ARCHIVE_FAILED "ArchiveOperationFailed"
#define REASON_DIR_FAILED "DirCreationFailed"
#define REASON_IGNORE_FAILED "SourceIgnoreError"
#define REASON_FEATURE_GATE_DISABLED "FeatureGateDisabled"
#define REASON_NEW_ARTIFACT "NewArtifact"

/* The layer media type of a Helm chart: its tags carry '+' as '_' (Flux's
 * convertOCIToSemVerTag). */
#define OCI_MT_HELM_CHART "application/vnd.cncf.helm.chart.content.v1.tar+gzip"

/* Caps on what one artifact may hold. Flux extracts without a cap; tide serves every tenant
 * from one process, so a layer is held to these (docs/differences.md). */
#define OCIREPO_MAX_LAYER_BYTES (1ULL << 30)    /* the compressed blob */
#define OCIREPO_MAX_UNPACKED_BYTES (1ULL << 30) /* its files, unpacked */
#define OCIREPO_MAX_FILES 200000
#define OCIREPO_MAX_SOURCEIGNORE_BYTES (1 << 20)
#define OCIREPO_MAX_PULL_SECRETS 32 /* a service account's imagePullSecrets read */

/* Flux's default (api/v1 OCIRepositorySpec's kubebuilder marker). */
#define OCIREPO_DEFAULT_TIMEOUT_MS 60000

/* Per-process state (setup.c). */
struct ocirepo_ctl {
	struct ctl_storage *svc;
	struct storage *st; /* svc->st */
};

/* setup.c: the shared artifact service, for struct rt_controller's setup and teardown. */
int ocirepo_setup(struct rt_manager *m, void **data);
void ocirepo_teardown(void *data);

/* ---- The typed object (spec.c) ---------------------------------------------------------*/

struct ocirepo_spec {
	const char *url;
	const char *tag;           /* ref.tag; NULL when unset (then "latest") */
	const char *semver;        /* ref.semver */
	const char *semver_filter; /* ref.semverFilter */
	const char *digest;        /* ref.digest */
	const char *media_type;    /* layerSelector.mediaType; NULL: the first layer */
	bool copy;                 /* layerSelector.operation "copy" (else "extract") */
	const char *operation;     /* as written, for the message of an unknown one */
	const char *provider;      /* "generic" (default), "aws", "azure", "gcp" */
	const char *secret_ref, *cert_secret_ref, *proxy_secret_ref;
	const char *service_account;
	bool verify;               /* spec.verify is set */
	const char *verify_provider;   /* "cosign" (default) or "notation" */
	const char *verify_secret_ref; /* NULL: keyless */
	bool verify_oidc;              /* matchOIDCIdentity given */
	int64_t interval_ms;
	int64_t timeout_ms;
	const struct doc_node *ignore;          /* spec.ignore, NULL when unset */
	const struct doc_node *layer_selector;  /* spec.layerSelector, NULL when unset */
	bool insecure;
};

/* A Docker config read from a pull secret (in the arena; wiped by ocirepo_release). */
struct ocirepo_pull_secret {
	struct secret_value json;
	enum oci_dockerconfig_format format;
};

/* One reconcile's view of the object. */
struct ocirepo {
	struct rt_reconcile *r;
	struct ocirepo_ctl *ctl;
	struct arena *a;
	struct doc_node *obj;
	const char *ns, *name;
	struct storage_object sobj;
	struct ocirepo_spec spec;
	int64_t deadline_ms;        /* CLOCK_MONOTONIC: now + spec.timeout */
	/* what the steps found */
	struct oci_ref url;         /* spec.url parsed: host and repository */
	struct ocirepo_pull_secret pull_secrets[OCIREPO_MAX_PULL_SECRETS + 1]; /* secretRef's,
				     * then the service account's imagePullSecrets' */
	size_t npull_secrets;
	struct oci_creds creds;     /* what matched spec.url (heap), wiped by ocirepo_release */
	struct secret_creds tls;    /* certSecretRef's (arena), likewise */
	struct secret_proxy proxy;  /* proxySecretRef's (arena), likewise */
	struct oci_client *client;
	const char *tag;            /* the tag pulled; NULL for a digest reference */
	const char *ref_str;        /* "host/repo:tag" or "host/repo@digest", for messages */
	char digest[OCI_DIGEST_MAX + 1]; /* the manifest's */
	const char *revision;       /* "<tag>@<digest>" or "<digest>" */
	bool failing;               /* FetchFailed or StorageOperationFailed held at the start */
	const char *old_digest;     /* status.artifact.digest at the start */
	struct doc_node *metadata;  /* the manifest's annotations, a map (or NULL) */
	char *dir;                  /* the scratch directory (heap), removed by ocirepo_release */
	const char *content;        /* extract: dir/content; copy: dir/layer.tgz */
};

void ocirepo_spec_decode(struct ocirepo *o);

/* Wipes the credentials, closes the client, removes the scratch directory. */
void ocirepo_release(struct ocirepo *o);

/* cond True, Ready False with reason and msg, and a Warning event (Flux's summarize). */
void ocirepo_mark_failed(struct ocirepo *o, const char *cond, const char *reason, const char *msg);

/* Do spec.ignore or spec.layerSelector differ from status.observed* (Flux's
 * ociContentConfigChanged)? */
bool ocirepo_content_config_changed(const struct ocirepo *o);

/* Whether status.artifact names revision. */
bool ocirepo_has_revision(const struct ocirepo *o, const char *revision);

/* ---- Steps -----------------------------------------------------------------------------*/

/* auth.c: the object's registry credentials (pull secrets), TLS and proxy, read from its
 * Secrets (FetchFailed AuthenticationFailed on failure; Stalled FeatureGateDisabled for a
 * cloud provider with serviceAccountName, as Flux without the gate). */
int ocirepo_auth(struct ocirepo *o, struct rt_result *res);

/* auth.c: the registry client for o->url with the credentials that match it (FetchFailed
 * AuthenticationFailed on failure). */
int ocirepo_client(struct ocirepo *o);

/* ref.c: spec.url checked (Stalled URLInvalid), the client made, the reference chosen and
 * its revision; ArtifactOutdated and Reconciling marked when it is new. */
int ocirepo_ref(struct ocirepo *o, struct rt_result *res);

/* verify.c: spec.verify for o->digest. *stalled when retrying cannot help. */
int ocirepo_verify(struct ocirepo *o, bool *stalled);

/* pull.c: the manifest and the selected layer into o->dir. */
int ocirepo_pull(struct ocirepo *o);

/* artifact.c: the artifact in storage and in status, the events. */
int ocirepo_artifact(struct ocirepo *o);

#endif
