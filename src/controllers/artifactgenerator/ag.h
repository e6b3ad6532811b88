/*
 * The ArtifactGenerator controller (source.extensions.fluxcd.io/v1beta1, Flux's
 * source-watcher): ExternalArtifacts (source.toolkit.fluxcd.io/v1) composed from, or split
 * out of, the artifacts of other sources by copy rules. One file per step, as
 * source-watcher's controller and builder split the work:
 *
 *   spec.c        the typed object: sources, artifacts, copy operations, commonMetadata,
 *                 pathPattern, the inventory; validateSpec (duplicates, names, revision
 *                 aliases, --no-cross-namespace-refs) as terminal errors
 *   names.c       Kubernetes' name and label checks with apimachinery's messages
 *   rule.c        a copy rule's words: `@alias/pattern`, `@artifact/path`, Go's path
 *                 cleaning and joining, the destination of a glob match, the exclusions
 *   fsglob.c      io/fs.Glob and doublestar.Glob over a source directory, confined to it
 *   copy.c        the copy operations into the staging directory (cp-like), with caps
 *   merge.c       the Merge strategy: YAML files merged as Helm merges values files
 *   pathpattern.c spec.pathPattern: one artifact per matching directory of a source
 *   sources.c     the sources' artifacts observed (and their digest), then fetched
 *   build.c       one artifact: staged, hashed (the file name), archived into storage
 *   external.c    the ExternalArtifact objects: applied with their status, listed, deleted
 *   drift.c       detectDrift: whether anything needs to be built at all
 *   status.c      the conditions' summary, terminal errors, events
 *   reconcile.c   the orchestrator and the finalizer
 *   setup.c       options, watches on the source kinds, the table entry
 *
 * A step returns 0 or an error code with the message set; the orchestrator records Flux's
 * condition, event and requeue for it.
 */
#ifndef TIDE_CONTROLLERS_ARTIFACTGENERATOR_AG_H
#define TIDE_CONTROLLERS_ARTIFACTGENERATOR_AG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controllers/common/options.h"
#include "controllers/common/storage.h"
#include "runtime/controller.h"

struct arena;
struct doc_node;

#define AG_GROUP "source.extensions.fluxcd.io"
#define AG_API_VERSION AG_GROUP "/v1beta1"
#define AG_KIND "ArtifactGenerator"
#define AG_COMPONENT "source-watcher"
#define AG_FINALIZER "source.extensions.fluxcd.io/finalizer"
#define AG_LABEL_GENERATOR "source.extensions.fluxcd.io/generator"
#define AG_LABEL_MANAGED_BY "app.kubernetes.io/managed-by"
#define AG_ANNOTATION_RECONCILE "source.extensions.fluxcd.io/reconcile"
#define AG_ORIGIN_REVISION "org.opencontainers.image.revision"
#define EA_KIND "ExternalArtifact"
#define EA_API_VERSION "source.toolkit.fluxcd.io/v1"

/* source-watcher's reasons (api/v1beta1) besides the generic ones (runtime/conditions.h). */
#define AG_REASON_DISABLED "ReconciliationDisabled"
#define AG_REASON_ACCESS_DENIED "AccessDenied"
#define AG_REASON_VALIDATION "ValidationFailed"
#define AG_REASON_SOURCE_FETCH "SourceFetchFailed"

/* source-watcher's messages (internal/controller/artifactgenerator_status.go). */
#define AG_MSG_IN_PROGRESS "Reconciliation in progress"
#define AG_MSG_INIT_SUSPENDED "Initialized with reconciliation suspended"
#define AG_MSG_DISABLED "Reconciliation is disabled"

/* ArtifactGenerator.GetRequeueAfter: an hour, whatever the spec. */
#define AG_REQUEUE_MS (60LL * 60 * 1000)

/* Caps on one generated artifact (tide's: source-watcher has none). The ExternalArtifact is
 * fetched by a Kustomization with these same defaults (source/fetch.h). */
#define AG_MAX_FILES 100000
#define AG_MAX_BYTES (100ULL << 20)

/* Per-process state and settings (setup.c). */
struct ag_ctl {
	struct ctl_storage *svc;
	struct storage *st;
};
extern bool ag_no_cross_namespace_refs; /* --no-cross-namespace-refs */

/* setup.c: the table entry's parts. */
extern const struct rt_watch ag_watches[];
int ag_setup(struct rt_manager *m, void **data);
void ag_teardown(void *data);

/* ---- The typed object (spec.c) ---------------------------------------------------------*/

enum ag_strategy { AG_OVERWRITE, AG_MERGE, AG_EXTRACT };

struct ag_copy {
	const char *from, *to;
	const char **exclude;
	size_t nexclude;
	enum ag_strategy strategy;
};

/* One spec.artifacts entry (or, with pathPattern, one rendered for a directory). */
struct ag_output {
	const char *name;
	const char *revision, *origin_revision; /* "@alias", or "" */
	struct ag_copy *copy;
	size_t ncopy;
	const char **label_keys, **label_values; /* pathPattern's captures, lower-cased */
	size_t nlabels;
};

/* One spec.sources entry and what was observed of it. */
struct ag_source {
	const char *alias, *kind, *name, *namespace; /* namespace: the generator's when unset */
	const char *digest, *revision, *origin_revision, *url; /* sources.c */
	const char *dir; /* where it was fetched (sources.c), or NULL */
};

/* One status.inventory entry. */
struct ag_ref {
	const char *name, *namespace, *digest, *filename;
};

struct ag_spec {
	struct ag_source *sources;
	size_t nsources;
	struct ag_output *outputs;
	size_t noutputs;
	const char *path_pattern; /* "" when unset */
	const struct doc_node *labels, *annotations; /* spec.commonMetadata, or NULL */
};

/* One reconcile's view of the object. */
struct ag {
	struct rt_reconcile *r;
	struct ag_ctl *ctl;
	struct arena *a;
	struct doc_node *obj;
	const char *ns, *name, *uid;
	int64_t generation;
	struct ag_spec spec;
	struct ag_ref *inventory; /* status.inventory as read */
	size_t ninventory;
	char *tmp;                /* the scratch directory (heap), removed by ag_release */
};

void ag_init(struct ag *g, struct rt_reconcile *r);
void ag_release(struct ag *g);

/* Whether the reconcile annotation says "disabled" (any case), as IsDisabled. */
bool ag_disabled(const struct ag *g);

/* validateSpec: ERR_INVALID with reason *reason (ValidationFailed or AccessDenied) and
 * source-watcher's message for a duplicate alias or artifact name, an artifact name that is
 * not an object name (without pathPattern), a revision alias that names no source, or a
 * source in another namespace under --no-cross-namespace-refs. */
int ag_validate(const struct ag *g, const char **reason);

/* Whether status.inventory holds name/namespace with digest (HasArtifactInInventory). */
bool ag_in_inventory(const struct ag_ref *inv, size_t n, const char *name, const char *ns,
		     const char *digest);

/* The source of alias, or NULL. */
struct ag_source *ag_source_find(const struct ag *g, const char *alias);

/* ---- Names (names.c) -------------------------------------------------------------------*/

/* apimachinery's IsDNS1123Subdomain, IsValidLabelValue and IsQualifiedName: NULL when v
 * is valid, else the errors joined by "; " (arena). */
const char *ag_dns_subdomain_errors(struct arena *a, const char *v);
const char *ag_label_value_errors(struct arena *a, const char *v);
const char *ag_label_key_errors(struct arena *a, const char *v);

/* Go's strconv.Quote (%q) of s, in a. */
const char *ag_quote(struct arena *a, const char *s);

/* ---- Copy rules (rule.c): pure functions of the tenant's strings ----------------------*/

/* Go's path.Clean ("" -> ".") and filepath.Join of two elements (empty ones skipped, ""
 * when both are), Base ("" -> "."). In a. */
const char *ag_path_clean(struct arena *a, const char *p);
const char *ag_path_join(struct arena *a, const char *x, const char *y);
const char *ag_path_base(struct arena *a, const char *p);

/* Whether a cleaned path leaves its root: absolute, "..", or starting with "../". */
bool ag_path_escapes(const char *clean);

/* parseCopySource: "@alias/pattern" into alias and pattern (in a). ERR_INVALID "source must
 * start with '@'" or "source format must be '@alias/pattern'". */
int ag_parse_from(struct arena *a, const char *from, const char **alias, const char **pattern);

/* parseCopyDestinationRelative: "@artifact/path" into path (borrowed from to). ERR_INVALID
 * "destination must start with '@artifact/'". */
int ag_parse_to(const char *to, const char **rel);

/* containsGlobChars: any of "*?[]". */
bool ag_has_glob(const char *s);

/* sourceSelectionRoot: the cleaned pattern's components before the first with a glob
 * character, "." when none. In a. */
const char *ag_selection_root(struct arena *a, const char *pattern);

/* calculateGlobDestination: "dir/\*\*" strips "dir/" from the match, any other pattern keeps
 * the match's whole path, below dest. In a. */
const char *ag_glob_destination(struct arena *a, const char *pattern, const char *match,
				const char *dest);

/* The exclude patterns checked as source-watcher checks them (doublestar.Match(p, ".")):
 * ERR_INVALID "invalid exclude pattern 'P'", or ERR_TOOBIG. */
int ag_excludes_check(const char *const *patterns, size_t n);

/* shouldExcludePath: path matches a pattern, relative to the source root or to base (the
 * selection root); a pattern without '/' also matches the file name at any depth. 0 and
 * *out, or ERR_TOOBIG from a pattern past the matching budget. */
int ag_excluded(struct arena *a, const char *path, const char *base, const char *const *patterns,
		size_t n, bool *out);

/* isTarball: ".tar.gz" or ".tgz", any case. */
bool ag_is_tarball(const char *path);

/* pathPattern's placeholders: validatePathPatternCaptures (ERR_INVALID with source-watcher's
 * messages: a brace not closed or not opened, an empty, malformed or repeated name), and
 * renderTemplateString of tmpl with names[i] -> values[i] (ERR_INVALID for an undefined or
 * malformed placeholder). */
int ag_pattern_check(const char *path_pattern, const char *pattern);
int ag_render(struct arena *a, const char *tmpl, const char *const *names,
	      const char *const *values, size_t n, const char **out);

/* ---- Globbing a source (fsglob.c) ------------------------------------------------------*/

enum ag_entry { AG_ENTRY_DIR, AG_ENTRY_FILE, AG_ENTRY_OTHER /* symlink, FIFO, device ... */ };
#define AG_WALK_SKIP 1

/* Go's fs.WalkDir below root: fn(ud, path, type) for start ("." for root itself) and then
 * every entry under it, depth first, the names of a directory in byte order; paths are
 * '/'-joined from start ("a/b", or "b" when start is "."). Symlinks are reported as
 * AG_ENTRY_OTHER and never followed. fn returns 0, AG_WALK_SKIP (a directory's contents
 * are skipped) or an error code, which ends the walk. ERR_IO when a directory cannot be
 * read; ERR_TOOBIG past AG_MAX_FILES entries. */
typedef int (*ag_walk_fn)(void *ud, const char *path, enum ag_entry type);
int ag_walk(const char *root, const char *start, ag_walk_fn fn, void *ud);

/* fs.ValidPath: "." or '/'-separated components none of which is "", "." or "..". */
bool ag_valid_path(const char *p);

/* The type of root/rel without following a symlink; -1 when it does not exist. rel must be
 * a valid path (ag_valid_path). */
int ag_entry_type(const char *root, const char *rel);

/* io/fs.Glob(root, pattern) (the Overwrite and Merge strategies) and doublestar.Glob
 * (Extract): the matching paths, relative to root, in Go's order, in a. Nothing outside
 * root is read: a pattern whose directory part is not a valid fs path (a ".." or "."
 * component, an empty one, a leading '/') matches nothing, as fs.ValidPath makes it; no
 * symlink is followed. ERR_INVALID "syntax error in pattern" for a malformed pattern,
 * ERR_TOOBIG past AG_MAX_FILES matches. */
int ag_fs_glob(struct arena *a, const char *root, const char *pattern, const char ***out, size_t *n);
int ag_ds_glob(struct arena *a, const char *root, const char *pattern, const char ***out, size_t *n);

/* ---- Copying (copy.c) ------------------------------------------------------------------*/

/* The staging directory of one artifact and what has been written to it. */
struct ag_stage {
	struct arena *a;
	const char *dir;        /* absolute */
	uint64_t bytes;         /* written so far, overwrites included */
	size_t files;
	uint64_t max_bytes;     /* AG_MAX_BYTES unless a test sets less */
	size_t max_files;
};

/* applyCopyOperation: op's files from its source into the stage, cp-like. Errors carry
 * source-watcher's messages; ERR_ESCAPE for a path that would leave the source's or the
 * artifact's root, ERR_TOOBIG past a cap. */
int ag_copy_apply(struct ag_stage *st, const struct ag_copy *op, const struct ag_source *sources,
		  size_t nsources);

/* ---- Merging (merge.c) -----------------------------------------------------------------*/

/* mergeFileWithRoots: the YAML of src (every document of it merged into one mapping) merged
 * into the YAML of dest (likewise), maps recursively, other values replaced, and written to
 * dest as sigs.k8s.io/yaml prints it (keys sorted). Errors: the parser's ("error reading
 * YAML document: ...", "cannot unmarshal YAML document: ..."), ERR_IO, ERR_TOOBIG. */
int ag_merge_yaml(struct arena *a, const char *src, const char *dest, uint64_t max);

/* ---- pathPattern (pathpattern.c) -------------------------------------------------------*/

/* buildArtifactRequests: spec.artifacts as they are without a pathPattern; with one, each
 * rendered for every directory of the source that matches it (in walk order), named and
 * labelled by the lower-cased captures. *terminal says whether an error is one retrying
 * cannot fix (Stalled). */
int ag_expand(struct ag *g, struct ag_output **out, size_t *n, bool *terminal);

/* ---- Sources (sources.c) ---------------------------------------------------------------*/

/* observeSources: each source object's artifact (digest, revision, url, origin revision).
 * Errors with source-watcher's messages (the source not found as the API server says it,
 * "unable to get source 'NS/NAME': ...", "source 'KIND/NS/NAME' is not ready"). */
int ag_sources_observe(struct ag *g);

/* HashObservedSources: "sha256:<hex>" of the sorted "alias=[digest=D,revision=R,url=U]"
 * joined by "|". In a. */
const char *ag_sources_digest(struct ag *g);

/* fetchSources: every source's artifact downloaded, verified and unpacked into its own
 * directory of g->tmp. fetch_artifact's errors. */
int ag_sources_fetch(struct ag *g);

/* ---- One artifact (build.c) ------------------------------------------------------------*/

struct ag_built {
	const char *path;     /* "externalartifact/<ns>/<name>/<hash>.tar.gz" */
	const char *file;     /* "<hash>.tar.gz" */
	const char *digest;   /* "sha256:<hex>" of the tarball */
	const char *revision; /* "latest@<digest>", or the revision source's */
	const char *origin;   /* org.opencontainers.image.revision, or NULL */
	const char *url;
	const char *updated;  /* lastUpdateTime */
	uint64_t size;
};

/* dirhash.HashDir(dir, prefix, DirHash): the Adler-32 of the "<adler32 hex>  <prefix>/<rel>"
 * lines of every regular file in byte order of names, in decimal, into out. Also counts the
 * files and their bytes. ERR_IO; ERR_INVALID for a name holding a newline. */
int ag_dirhash(const char *dir, const char *prefix, char out[16], size_t *files, uint64_t *bytes);

/* Build + setArtifactRevisions: o staged from the fetched sources, archived (Flux's
 * default exclusions) under its ExternalArtifact's storage directory as "<hash>.tar.gz",
 * old artifacts collected. Errors as source-watcher words them ("failed to apply copy
 * operations: ..."). */
int ag_build(struct ag *g, const struct ag_output *o, struct ag_built *out);

/* ---- ExternalArtifacts (external.c) ----------------------------------------------------*/

/* reconcileExternalArtifact: o's ExternalArtifact server-side applied (labels from
 * commonMetadata and pathPattern, the managed-by and generator labels, commonMetadata's
 * annotations, spec.sourceRef to the generator) as source-watcher's field manager, then its
 * status (the artifact, Ready=True "Artifact is ready"). *ref is its inventory entry. */
int ag_ea_apply(struct ag *g, const struct ag_output *o, const struct ag_built *b, struct ag_ref *ref);

/* finalizeExternalArtifacts: each one's storage directory and object removed; failures are
 * logged, never returned. */
void ag_ea_delete(struct ag *g, const struct ag_ref *refs, size_t n);

/* The ExternalArtifacts of the namespace labelled with the generator's UID, from the API
 * server ({items: [...]} in a). */
int ag_ea_list(struct ag *g, struct doc_node **list);

/* ---- Drift (drift.c) -------------------------------------------------------------------*/

/* detectDrift: NULL when nothing changed and the stored artifacts are whole, else
 * source-watcher's reason ("NotReady", "GenerationChanged", "SourcesChanged",
 * "ArtifactsChanged", "ArtifactMissing", "ArtifactCorrupted" (the file removed),
 * "ExternalArtifactsNotFound", "ExternalArtifactsChanged"). */
const char *ag_drift(struct ag *g, const char *sources_digest);

/* ---- Status (status.c) -----------------------------------------------------------------*/

/* Ready=False with reason and msg and a Warning event. */
void ag_fail(struct ag *g, const char *reason, const char *msg);

/* newTerminalErrorFor: Ready=False and Stalled=True with reason and msg, a Warning event. */
void ag_stall(struct ag *g, const char *reason, const char *msg);

/* summarizeStatus: Reconciling's reason ProgressingWithRetry after a failure, and
 * Reconciling removed once Ready or Stalled is True. */
void ag_summarize(struct ag *g);

/* A Trace event: logged (Flux's recorder does not write Trace events to the API either). */
void ag_trace(struct ag *g, const char *reason, const char *msg);

/* status.inventory and status.observedSourcesDigest. */
void ag_status_store(struct ag *g, const struct ag_ref *refs, size_t n, const char *sources_digest);

#endif
