/*
 * The Kustomization controller's parts (kustomize.toolkit.fluxcd.io/v1), one file per step
 * as Flux's kustomize-controller has them:
 *
 *   spec.c      the typed object: spec decoded once with Flux's defaults, status from a struct
 *   reconcile.c the orchestrator: source, dependencies, then the steps below in order
 *   artifact.c  the source artifact into a private directory, spec.path inside it
 *   build.c     Flux's generator, kustomize, commonMetadata, postBuild (also for `tide build`)
 *   apply.c     the client (impersonation, kubeConfig) and the staged server-side apply
 *   prune.c     the new inventory and the garbage collection of what left it
 *   health.c    spec.wait / spec.healthChecks
 *   finalize.c  deletion per spec.deletionPolicy
 *   setup.c     the controller's table entry, options, feature gates and watches
 *   cache.c     unpacked artifacts shared between reconciles
 *
 * A step takes the run (the typed object, its status and what earlier steps made) and
 * returns 0, or an error code with the message set where the failure was seen; the
 * orchestrator turns a failure into Flux's condition, event and requeue with the step's
 * reason.
 */
#ifndef TIDE_CONTROLLERS_KUSTOMIZATION_KS_H
#define TIDE_CONTROLLERS_KUSTOMIZATION_KS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apply/apply.h"
#include "controllers/common/client.h"
#include "controllers/common/dependson.h"
#include "controllers/common/options.h"
#include "controllers/common/sourceref.h"

struct arena;
struct doc_node;
struct rt_reconcile;

#define KS_GROUP "kustomize.toolkit.fluxcd.io"
#define KS_API_VERSION KS_GROUP "/v1"
#define KS_KIND "Kustomization"

/* ---- The typed object (spec.c) -----------------------------------------------------------*/

enum ks_deletion_policy {
	KS_DELETE_MIRROR_PRUNE, /* "MirrorPrune", the default: prune on deletion when spec.prune */
	KS_DELETE_DELETE,       /* "Delete": always */
	KS_DELETE_ORPHAN,       /* "Orphan": never */
};

struct ks_health_check {
	const char *api_version; /* "v1" when missing */
	const char *kind, *name; /* "" when missing */
	const char *namespace;   /* NULL: the object's kind decides */
};

/* kustomize.toolkit.fluxcd.io/v1 KustomizationSpec with the CRD's defaults applied. Strings
 * borrow from the object document; "" for absent optional strings unless said otherwise. */
struct ks_spec {
	const char *namespace, *name;     /* the Kustomization's */
	int64_t interval_ms;              /* required by the CRD; 10m when missing or malformed */
	int64_t retry_interval_ms;        /* defaults to interval */
	int64_t timeout_ms;               /* defaults to interval */
	const char *path;                 /* "" = the artifact's root */
	bool prune, wait, force, suspend;
	const char *target_namespace, *name_prefix, *name_suffix;
	struct ctl_source_ref source_ref;
	struct ctl_dependency *depends_on;
	size_t ndepends_on;
	struct ks_health_check *health_checks;
	size_t nhealth_checks;
	struct ctl_client_spec client;    /* serviceAccountName, kubeConfig.secretRef */
	enum ks_deletion_policy deletion_policy;
	/* What the build engine reads itself (kustomize/fluxgen.h, build.c), shared with `tide
	 * build kustomization`, which has no typed object: the spec mapping, and its fields. */
	const struct doc_node *spec_doc;
	const struct doc_node *patches, *images, *components, *common_metadata, *post_build,
		*decryption;
};

/* The status fields the steps read and write (conditions are set on the document through
 * runtime/conditions.h). NULL / unset fields are left as the document has them. */
struct ks_status {
	const char *last_applied_revision;   /* as read; set on success */
	const char *last_attempted_revision; /* set once the artifact is in hand */
	const char *last_applied_origin_revision; /* the artifact's origin revision, or NULL */
	bool origin_set;                     /* write lastAppliedOriginRevision (success) */
	struct apply_inventory inventory;    /* as read; replaced after the apply */
	bool inventory_ok;                   /* status.inventory read without error */
	bool inventory_set;                  /* write inventory */
};

/* Decodes obj (a Kustomization) into spec and its status into st; strings and lists in a.
 * ERR_UNSUPPORTED for a sourceRef kind the controller does not take ("source 'X' kind not
 * supported"), the only validation the CRD leaves to the controller. */
int ks_spec_decode(struct ks_spec *spec, struct ks_status *st, struct arena *a, const struct doc_node *obj);

/* Writes st's set fields into obj's status. */
void ks_status_store(struct arena *a, struct doc_node *obj, const struct ks_status *st);

/* ---- One reconcile -----------------------------------------------------------------------*/

struct ks_run {
	struct rt_reconcile *r;
	struct arena *a;
	struct doc_node *obj;
	const struct ks_spec *spec;
	struct ks_status *status;
	const char *revision;        /* the source artifact's */
	const char *url, *digest;
	const char *origin_revision; /* the artifact's metadata says, or NULL */
	const char *timeout_str;     /* spec.timeout as Go prints it */
	int64_t started;             /* clock_mono_ms() */
	char *tmp;                   /* the private copy of the artifact (owned) */
	char *dir;                   /* spec.path inside it (owned) */
	struct doc_node **objs;      /* the build */
	size_t nobjs;
	struct ctl_client client;
	struct apply_manager *m;
	struct apply_changeset cs;   /* what the apply did */
};

/* Makes run->tmp, the reconcile's private directory. ERR_IO ("failed to create temporary
 * working directory: ..."). */
int ks_workdir(struct ks_run *run);

/* The steps, in order (a failure ends the reconcile with the reason given). */
int ks_artifact_step(struct ks_run *run);  /* ArtifactFailed */
int ks_build_step(struct ks_run *run);     /* BuildFailed */
int ks_apply_step(struct ks_run *run);     /* ReconciliationFailed */
int ks_prune_step(struct ks_run *run);     /* PruneFailed */
int ks_health_step(struct ks_run *run);    /* HealthCheckFailed */

/* Frees what the steps made (the directory, the clients, the apply manager). */
void ks_run_release(struct ks_run *run);

/* The manager made for the run's client, with the Kustomization as owner. */
int ks_apply_manager(struct apply_manager **out, struct kube_client *c, const struct ks_spec *spec);

/* The change set as Flux logs it ("Kind/ns/name action" lines), in a. */
const char *ks_changeset_log(struct arena *a, const struct apply_changeset *cs);

/* Go's time.Duration.String() of ms ("5m0s"), in a. */
const char *ks_duration(struct arena *a, int64_t ms);

/* The event metadata of a revision ("kustomize.toolkit.fluxcd.io/revision") and of the
 * source's origin revision ("kustomize.toolkit.fluxcd.io/originRevision"); NULL: none. */
struct ctl_event_meta;
void ks_event_meta(struct ctl_event_meta *out, const char *revision, const char *origin);

/* ---- The controller (setup.c, reconcile.c, finalize.c) -----------------------------------*/

struct rt_result;

/* Settings from `tide controller`'s flags (setup.c): written while the flags are parsed,
 * before the manager runs, and only read afterwards (so reconciles read them unlocked). */
struct ks_settings {
	struct ctl_ref_opts refs;        /* --no-cross-namespace-refs, --default-service-account */
	const char *events_addr;         /* --events-addr, passed through (not used yet) */
	bool no_remote_bases;            /* --no-remote-bases: always the case in tide */
	bool strict_substitutions;       /* StrictPostBuildSubstitutions, on by default */
	long max_build_memory_mib;       /* --max-build-memory (MiB): one build's budget */
	bool external_artifact;          /* ExternalArtifact gate: tide's default is on */
};
extern struct ks_settings ks_settings;

int ks_reconcile(struct rt_reconcile *r, struct rt_result *res);
int ks_finalize(struct rt_reconcile *r);

#endif
