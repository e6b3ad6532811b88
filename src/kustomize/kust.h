/*
 * Internals of the kustomize engine, shared by its files (not for other modules).
 *
 * The pipeline follows kustomize's KustTarget: a target is a kustomization directory read
 * through a loader confined to its root. Accumulating a target appends the resources it
 * lists (files, or sub-targets built on their own), then runs its generators, applies its
 * components to the accumulated resources, and runs the builtin transformers in
 * kustomize's fixed order (patches, namespace, prefix, suffix, labels, annotations, JSON
 * patches, replicas, images, replacements). At the top only: generated names get their
 * hash suffix, name references are fixed using each resource's id history, vars are
 * resolved, local-config objects dropped and the result sorted.
 *
 * Everything of one build lives in one arena (struct kust_ctx.a). Strings in ids point
 * into the arena or into document nodes and are never freed one by one.
 */
#ifndef TIDE_KUSTOMIZE_KUST_H
#define TIDE_KUSTOMIZE_KUST_H

#include <stdbool.h>
#include <stddef.h>

#include "kustomize/kustomize.h"

struct arena;
struct buf;
struct doc_node;
struct doc_stream;
struct kust_loader;

/* ---- strings ---------------------------------------------------------------------------*/

struct kust_strv {
	const char **v;
	size_t len, cap;
};
void kust_strv_push(struct arena *a, struct kust_strv *sv, const char *s);
bool kust_strv_has(const struct kust_strv *sv, const char *s);

/* The text of a scalar node (string, number, bool: as written), or NULL. */
const char *kust_scalar(const struct doc_node *n);
/* The value of field key in a kustomization struct read from YAML (a var, an objref...),
 * matched as Go's encoding/json matches struct fields, which kustomize's kustomization
 * reader goes through (sigs.k8s.io/yaml): the exact key first, else one equal ignoring case
 * (fieldpath for fieldPath). NULL when map has neither. */
struct doc_node *kust_json_field(const struct doc_node *map, const char *key);
/* A new string node holding s (a copy). */
struct doc_node *kust_str(struct arena *a, const char *s);
/* A string node holding s that keeps old's quoting style and comments (a value rewritten
 * in place, as kyaml's setters keep them). */
struct doc_node *kust_str_like(struct arena *a, const char *s, const struct doc_node *old);
/* Sorts a mapping's entries by key in place (bytewise, as Go sorts a map's keys when
 * kustomize writes it out). */
void kust_sort_keys(struct doc_node *map);

/* ---- ids (resid) -----------------------------------------------------------------------*/

struct kust_gvk {
	const char *group, *version, *kind; /* never NULL; "" when absent */
};

struct kust_id {
	struct kust_gvk gvk;
	const char *name, *ns; /* never NULL */
};

/* apiVersion "g/v" or "v" into g, v. */
void kust_split_apiversion(const char *av, const char **group, const char **version, struct arena *a);
struct kust_gvk kust_gvk_of(struct arena *a, const struct doc_node *obj);
struct kust_id kust_id_of(struct arena *a, const struct doc_node *obj);
/* "Kind.version.group/name.namespace" with [noGrp], [noVer], [noNs], as kustomize prints. */
char *kust_id_string(struct arena *a, const struct kust_id *id);
char *kust_gvk_string(struct arena *a, const struct kust_gvk *g);
/* selector fields that are empty match anything. */
bool kust_gvk_selected(const struct kust_gvk *g, const struct kust_gvk *sel);
bool kust_gvk_equal(const struct kust_gvk *x, const struct kust_gvk *y);
/* Namespaces "" and "default" are the same. */
bool kust_ns_equal(const char *a, const char *b);
bool kust_id_equal(const struct kust_id *x, const struct kust_id *y);
/* Certainly cluster scoped, per the builtin Kubernetes schema (Namespace, ClusterRole...). */
bool kust_gvk_cluster_scoped(const struct kust_gvk *g);

/* ---- resources -------------------------------------------------------------------------*/

/* Where an object came from or what changed it (kustomize's buildMetadata origin and
 * transformer annotations). Empty strings are omitted when printed. */
struct kust_origin {
	const char *path;          /* the file, relative to the top kustomization */
	const char *configured_in; /* the kustomization or plugin config file */
	const char *api_version, *kind, *name, *ns; /* configuredBy */
};

/* filepath.Join(base, rel) of Go: joined and cleaned, ".." kept where it cannot go up. */
const char *kust_path_join(struct arena *a, const char *base, const char *rel);
/* The annotation text of an origin ("path: x\n" or "configuredIn: ...\n..."). */
void kust_origin_yaml(struct buf *b, const struct kust_origin *o, const char *indent, bool item);

enum kust_behavior { KUST_BEHAVIOR_UNSPECIFIED, KUST_BEHAVIOR_CREATE, KUST_BEHAVIOR_REPLACE, KUST_BEHAVIOR_MERGE };

struct kust_res {
	struct doc_node *node;       /* the object (a mapping) */
	struct kust_id *prev;        /* ids it had before renames, oldest first */
	size_t nprev, cap_prev;
	struct kust_strv prefixes;   /* name prefixes applied, innermost first */
	struct kust_strv suffixes;
	struct kust_strv refvars;    /* vars that reference this object */
	int behavior;                /* enum kust_behavior, for generated objects */
	const struct kust_origin *origin;
	const struct kust_origin **transforms; /* transformers that ran over it, in order */
	size_t ntransforms, cap_transforms;
	bool needs_hash;             /* a generated ConfigMap/Secret whose name gets a hash */
	bool deleted;
};

struct kust_resmap {
	struct kust_res **v;
	size_t len, cap;
};

struct kust_res *kust_res_new(struct arena *a, struct doc_node *node);
struct kust_res *kust_res_clone(struct arena *a, const struct kust_res *r);
struct kust_id kust_res_id(struct arena *a, const struct kust_res *r);
/* The oldest id (the first previous id, else the current one). */
struct kust_id kust_res_orgid(struct arena *a, const struct kust_res *r);
/* Records the current id as a previous one (before a rename). */
void kust_res_store_prev(struct arena *a, struct kust_res *r);
const char *kust_res_name(const struct kust_res *r);
const char *kust_res_ns(const struct kust_res *r);
const char *kust_res_kind(const struct kust_res *r);
void kust_res_set_name(struct arena *a, struct kust_res *r, const char *name);
void kust_res_set_ns(struct arena *a, struct kust_res *r, const char *ns);

void kust_resmap_push(struct arena *a, struct kust_resmap *m, struct kust_res *r);
/* Appends r; ERR_INVALID "may not add resource with an already registered id: ..." when
 * an object with the same current id is there. */
int kust_resmap_append(struct arena *a, struct kust_resmap *m, struct kust_res *r);
/* kust_resmap_append of each of v[0..n) in order, in linear time. */
int kust_resmap_append_many(struct arena *a, struct kust_resmap *m, struct kust_res *const *v, size_t n);
/* Adds a generated object honouring its behavior (create, merge, replace). */
int kust_resmap_absorb(struct arena *a, struct kust_resmap *m, struct kust_res *r);
void kust_resmap_remove_deleted(struct kust_resmap *m);

/* ---- field specs and transformer configuration ----------------------------------------*/

struct kust_fieldspec {
	struct kust_gvk gvk;
	const char *path; /* "spec/template/metadata/labels"; "\/" escapes a slash */
	bool create;
};

struct kust_fsv {
	struct kust_fieldspec *v;
	size_t len, cap;
};

struct kust_nameref {
	struct kust_gvk gvk; /* the referred kind */
	struct kust_fsv referrers;
};

struct kust_tconfig {
	struct kust_fsv prefix, suffix, common_labels, labels, template_labels, common_annotations,
		namespace, varref, images, replicas;
	struct kust_nameref *nameref;
	size_t nnameref, cap_nameref;
};

/* The builtin configuration (kustomize's builtinpluginconsts), allocated in a. */
struct kust_tconfig *kust_tconfig_builtin(struct arena *a);
/* Merges a configuration file's mapping (the `configurations:` format) into c. */
int kust_tconfig_merge_doc(struct arena *a, struct kust_tconfig *c, const struct doc_node *doc,
			   const char *name);
void kust_tconfig_merge(struct arena *a, struct kust_tconfig *dst, const struct kust_tconfig *src);
void kust_fsv_add(struct arena *a, struct kust_fsv *v, const struct kust_fieldspec *fs);

/* Called for each node a field spec reaches. *slot is the value (never NULL); the function
 * may replace it. parent is the mapping holding it. Return non-zero to stop. */
typedef int (*kust_fs_fn)(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot);

/* Walks fs->path in obj (if obj's gvk is selected by fs->gvk), descending into every item
 * of the sequences met on the way. A missing last field is created when fs->create and
 * create_kind is not DOC_NULL (a new node of that kind is passed to fn); missing middle
 * fields are created as mappings under the same condition. */
int kust_fs_apply(struct arena *a, struct doc_node *obj, const struct kust_fieldspec *fs,
		  int create_kind, kust_fs_fn fn, void *ud);
/* Same without the gvk check. */
int kust_fs_apply_path(struct arena *a, struct doc_node *obj, const char *path, bool create,
		       int create_kind, kust_fs_fn fn, void *ud);

/* ---- build context, loader, kustomization files ----------------------------------------*/

struct kust_ctx {
	struct arena *a;
	const struct kust_options *opt;
	struct kust_tconfig *builtin;
	bool build_metadata;    /* the top kustomization has buildMetadata: track origins */
	bool origin_annos;      /* ... and prints config.kubernetes.io/origin */
	bool transformer_annos; /* ... and prints alpha.config.kubernetes.io/transformations */
	const struct doc_node *schema; /* a custom OpenAPI schema (openapi: path:), or NULL */
	bool schema_set;               /* the schema was chosen (the first openapi field wins) */
	size_t mem_limit;              /* arena_used(a) past which the build is over budget */
};

/* ERR_TOOBIG, with a message naming the limit, once the build's arena has grown past its
 * budget (struct kust_options.max_memory); 0 otherwise. Called where trees grow. */
int kust_budget(const struct kust_ctx *c);

/* Records that a transformer with origin o ran over every object of acc (sets the origin
 * of objects that have none, as kustomize does). No-op unless c->build_metadata. */
void kust_note_transform(struct kust_ctx *c, struct kust_resmap *m, const struct kust_origin *o);
/* The origin of a builtin plugin configured by this kustomization file. */
const struct kust_origin *kust_builtin_origin(struct kust_ctx *c, const struct kust_loader *ldr,
					      const char *filename, const char *kind);

struct kust_loader {
	const char *root; /* absolute, symlinks resolved */
	const char *origin; /* the root relative to the top kustomization ("" at the top) */
	const struct kust_loader *parent;
};

/* Reads path (relative to ldr->root, or absolute) into out. Under the default restrictor
 * the file must be in or below ldr->root: ERR_ESCAPE "security; file '%s' is not in or
 * below '%s'". *abs (if not NULL) gets the absolute path. */
int kust_load_file(struct kust_ctx *c, const struct kust_loader *ldr, const char *path,
		   struct buf *out, const char **abs);
/* kust_load_file, then the file parsed as a YAML stream into *out (in c->a, path naming it
 * in parser errors). */
int kust_load_yaml(struct kust_ctx *c, const struct kust_loader *ldr, const char *path,
		   struct doc_stream *out);
/* Whether path names a directory relative to ldr->root. */
bool kust_is_dir(struct kust_ctx *c, const struct kust_loader *ldr, const char *path, const char **abs);
/* A loader for the directory path; refuses cycles (a root that contains a root on the
 * chain). */
int kust_loader_sub(struct kust_ctx *c, const struct kust_loader *ldr, const char *abs,
		    struct kust_loader *out);

/* A parsed kustomization (or component) file. Lists are doc nodes (sequences) or NULL. */
struct kust_file {
	const char *kind; /* "Kustomization" or "Component" */
	const char *name_prefix, *name_suffix, *ns;
	struct doc_node *root;
	struct doc_node *resources, *components, *crds, *configurations;
	struct doc_node *common_labels, *labels, *common_annotations;
	struct doc_node *patches, *patches_sm, *patches_json;
	struct doc_node *images, *replicas, *replacements, *vars;
	struct doc_node *cm_gen, *secret_gen, *gen_options;
	struct doc_node *generators, *transformers, *validators;
	struct doc_node *sort_options, *build_metadata, *openapi;
	const char *filename; /* "kustomization.yaml" ... */
	const struct kust_origin *origin; /* for synthetic files made from a plugin config */
};

/* Parses data as a kustomization file. Errors: ERR_INVALID for malformed YAML, unknown
 * fields, a wrong apiVersion for a Component. */
int kust_file_parse(struct arena *a, const char *name, const char *data, size_t len,
		    struct kust_file *out);
/* Finds and parses the kustomization file in ldr->root. */
int kust_file_load(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_file *out);

/* The `crds:` field: field specs from OpenAPI definitions with x-kubernetes-* extensions. */
int kust_load_crds(struct kust_ctx *c, const struct kust_loader *ldr, const struct doc_node *list,
		   struct kust_tconfig *tc);

/* Parses a resource file (YAML or JSON, possibly a List) into objects appended to out. */
int kust_parse_resources(struct kust_ctx *c, const char *name, const char *data, size_t len,
			 struct kust_resmap *out);

/* ---- the accumulator and the steps ----------------------------------------------------*/

struct kust_acc {
	struct kust_resmap rm;
	struct kust_tconfig *cfg;
	struct doc_node **vars; /* var definitions (mappings) */
	size_t nvars, cap_vars;
};

int kust_run_generators(struct kust_ctx *c, const struct kust_loader *ldr,
			const struct kust_file *k, struct kust_acc *acc);
/* The name hash kustomize appends to generated ConfigMaps and Secrets ("-" + 10 chars). */
int kust_hash_object(struct arena *a, const struct doc_node *obj, char out[11]);
/* The 10-character encoding of sha256(data) kustomize uses. */
void kust_hash_encode(const void *data, size_t len, char out[11]);
void kust_sha256(const void *data, size_t len, unsigned char out[32]);

int kust_tr_namespace(struct kust_ctx *c, struct kust_acc *acc, const char *ns);
int kust_tr_prefix_suffix(struct kust_ctx *c, struct kust_acc *acc, const char *prefix,
			  const char *suffix, const struct kust_fsv *fs);
int kust_tr_labels(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *labels,
		   const struct kust_fsv *fs, bool annotations);
/* The images transformer for images[0..n) applied one after the other. */
int kust_tr_images(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *const *images,
		   size_t n);
int kust_tr_replicas(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *replica);
/* patchesStrategicMerge and patches (strategic merge or JSON 6902, with targets). */
int kust_tr_patches(struct kust_ctx *c, const struct kust_loader *ldr, const struct kust_file *k,
		    struct kust_acc *acc);
/* patchesJson6902 (legacy). */
int kust_tr_patches_json(struct kust_ctx *c, const struct kust_loader *ldr,
			 const struct kust_file *k, struct kust_acc *acc);
/* The `transformers:` field: builtin transformer configs from files or inline YAML. */
int kust_custom_transformers(struct kust_ctx *c, const struct kust_loader *ldr,
			     const struct kust_file *k, struct kust_acc *acc);
/* The `generators:` field: builtin generator configs (ConfigMapGenerator...). */
int kust_custom_generators(struct kust_ctx *c, const struct kust_loader *ldr,
			   const struct kust_file *k, struct kust_acc *acc);
int kust_run_transformers(struct kust_ctx *c, const struct kust_loader *ldr,
			  const struct kust_file *k, struct kust_acc *acc);

/* Strategic merge: patch into obj (both mappings). *deleted is set when the patch deletes
 * the whole object ($patch: delete at the top). */
int kust_smp_apply(struct arena *a, struct doc_node *obj, const struct doc_node *patch,
		   const struct doc_node *schema, bool *deleted);
/* RFC 6902 JSON patch (a sequence of operations) applied to *root. */
/* mem_limit: ERR_TOOBIG once arena_used(a) passes it, checked after each operation (0 =
 * none), so that "copy" ops doubling a value stop at the build's budget. */
int kust_jsonpatch_apply(struct arena *a, struct doc_node **root, const struct doc_node *ops,
			 size_t mem_limit);

int kust_fix_name_references(struct kust_ctx *c, struct kust_acc *acc);
/* Whether a var's objref (apiVersion or group/version, kind, name, optional namespace)
 * names the object with id. */
bool kust_objref_matches(struct arena *a, const struct doc_node *ref, const struct kust_id *id);
int kust_resolve_vars(struct kust_ctx *c, struct kust_acc *acc);
int kust_replacements(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_acc *acc,
		      const struct doc_node *list);

/* A selector (`target:` of a patch or replacement) against a resource. */
struct kust_selector {
	struct kust_gvk gvk;
	const char *name, *ns, *label_selector, *annotation_selector;
};
int kust_selector_parse(struct arena *a, const struct doc_node *n, struct kust_selector *out);
int kust_selector_match(struct arena *a, const struct kust_selector *s, const struct kust_res *r,
			bool *out);
/* Kubernetes label selector syntax ("a=b,c!=d,e in (x,y),!f") against a labels mapping. */
int kust_label_selector_match(const char *sel, const struct doc_node *labels, bool *out);

/* Legacy kind order (kustomize's default sort). */
void kust_sort_legacy(struct arena *a, struct kust_resmap *m, const struct doc_node *opts);

#endif
