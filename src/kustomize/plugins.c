/*
 * The `transformers:` and `generators:` fields: builtin plugin configurations (apiVersion
 * builtin, kind PatchTransformer, LabelTransformer, ConfigMapGenerator...) given inline,
 * as files, or as directories whose kustomization produces them. Each configuration is
 * mapped onto the same code the kustomization fields use. Exec, container and Go plugins
 * are not supported.
 */
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

static int fsv_from(struct arena *a, const struct doc_node *seq, struct kust_fsv *out)
{
	memset(out, 0, sizeof(*out));
	if (!seq || seq->kind != DOC_SEQ)
		return 0;
	struct kust_tconfig tmp = { 0 };
	struct doc_node *wrap = doc_new_map(a);
	doc_map_set(a, wrap, "commonLabels", (struct doc_node *)seq);
	int rc = kust_tconfig_merge_doc(a, &tmp, wrap, "fieldSpecs");
	*out = tmp.common_labels;
	return rc;
}

static struct doc_node *seq_of(struct arena *a, struct doc_node *item)
{
	struct doc_node *s = doc_new_seq(a);
	doc_seq_push(a, s, item);
	return s;
}

/* A builtin generator's config as generator arguments: a copy of cfg whose name and
 * namespace default to its metadata's, as kustomize's builtin plugins read them. */
static struct doc_node *generator_args(struct arena *a, const struct doc_node *cfg)
{
	struct doc_node *args = doc_clone(a, cfg);
	const struct doc_node *md = doc_map_get(cfg, "metadata");
	static const char *const keys[] = { "name", "namespace" };
	for (size_t i = 0; i < 2; i++)
		if (!doc_map_get(args, keys[i]) && doc_map_get(md, keys[i]))
			doc_map_set(a, args, keys[i], doc_map_get(md, keys[i]));
	return args;
}

/* Loads the plugin configurations an entry names into out. */
static void set_origins(struct kust_ctx *c, struct kust_resmap *m, size_t from, const char *path)
{
	if (!c->build_metadata)
		return;
	struct kust_origin *o = arena_alloc(c->a, sizeof(*o));
	o->path = path;
	for (size_t i = from; i < m->len; i++)
		if (!m->v[i]->origin)
			m->v[i]->origin = o;
}

/* The origin of what a plugin configured by cfg does (kustomize's OriginFromCustomPlugin). */
static const struct kust_origin *plugin_origin(struct kust_ctx *c, const struct kust_res *cfg)
{
	if (!c->build_metadata || !cfg->origin)
		return NULL;
	struct kust_origin *o = arena_alloc(c->a, sizeof(*o));
	o->configured_in = cfg->origin->path;
	o->api_version = kust_scalar(doc_map_get(cfg->node, "apiVersion"));
	o->kind = kust_res_kind(cfg);
	o->name = kust_res_name(cfg);
	o->ns = kust_res_ns(cfg);
	return o;
}

static int load_configs(struct kust_ctx *c, const struct kust_loader *ldr, const struct kust_file *k,
			const char *entry, struct kust_resmap *out, int depth)
{
	struct doc_stream st = { 0 };
	struct arena *a = c->a;
	const char *base = ldr->origin ? ldr->origin : "";
	if (strchr(entry, '\n') || strstr(entry, ": ")) {
		int rc = doc_parse_yaml(a, "inline plugin config", entry, strlen(entry), NULL, &st);
		if (rc == 0 && st.len && st.docs[0]->kind == DOC_MAP) {
			rc = kust_parse_resources(c, "inline plugin config", entry, strlen(entry), out);
			set_origins(c, out, 0, kust_path_join(a, base, k->filename ? k->filename : "kustomization.yaml"));
			return rc;
		}
	}
	const char *abs = NULL;
	if (kust_is_dir(c, ldr, entry, &abs)) {
		struct kust_loader sub;
		int rc = kust_loader_sub(c, ldr, abs, &sub);
		if (rc)
			return rc;
		(void)depth;
		struct doc_node **docs;
		size_t n;
		/* A directory: its kustomization's output are the configurations. */
		struct kust_options o = *c->opt;
		o.reorder = KUST_REORDER_NONE;
		if ((rc = kust_build(a, abs, &o, &docs, &n)))
			return rc;
		for (size_t i = 0; i < n; i++)
			kust_resmap_push(a, out, kust_res_new(a, docs[i]));
		set_origins(c, out, 0, kust_path_join(a, base, entry));
		return 0;
	}
	struct buf b = BUF_INIT;
	int rc = kust_load_file(c, ldr, entry, &b, &abs);
	if (!rc)
		rc = kust_parse_resources(c, abs, b.ptr, b.len, out);
	buf_release(&b);
	set_origins(c, out, 0, kust_path_join(a, base, entry));
	return rc;
}

static int run_one(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_acc *acc,
		   struct doc_node *cfg, const struct kust_origin *origin);

static int run_transformer(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_acc *acc,
			   const struct kust_res *res)
{
	const struct kust_origin *o = plugin_origin(c, res);
	int rc = run_one(c, ldr, acc, res->node, o);
	const char *kind = kust_res_kind(res);
	/* patch transformers record themselves; the others are recorded here */
	if (!rc && strncmp(kind, "Patch", 5))
		kust_note_transform(c, &acc->rm, o);
	return rc;
}

static int run_one(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_acc *acc,
		   struct doc_node *cfg, const struct kust_origin *origin)
{
	struct arena *a = c->a;
	const char *kind = kust_scalar(doc_map_get(cfg, "kind"));
	const char *av = kust_scalar(doc_map_get(cfg, "apiVersion"));
	struct kust_file k;
	struct kust_fsv fss;
	int rc;
	memset(&k, 0, sizeof(k));
	k.origin = origin;
	if (!kind)
		kind = "";
	if (!strcmp(kind, "PatchTransformer")) {
		k.patches = seq_of(a, cfg);
		return kust_tr_patches(c, ldr, &k, acc);
	}
	if (!strcmp(kind, "PatchStrategicMergeTransformer")) {
		k.patches_sm = doc_map_get(cfg, "paths");
		const char *inl = kust_scalar(doc_map_get(cfg, "patches"));
		if (inl)
			k.patches_sm = seq_of(a, kust_str(a, inl));
		return k.patches_sm ? kust_tr_patches(c, ldr, &k, acc) : 0;
	}
	if (!strcmp(kind, "PatchJson6902Transformer")) {
		struct doc_node *p = doc_new_map(a);
		struct doc_node *v;
		if ((v = doc_map_get(cfg, "target")))
			doc_map_set(a, p, "target", v);
		if ((v = doc_map_get(cfg, "path")))
			doc_map_set(a, p, "path", v);
		if ((v = doc_map_get(cfg, "jsonOp")))
			doc_map_set(a, p, "patch", v);
		k.patches_json = seq_of(a, p);
		return kust_tr_patches_json(c, ldr, &k, acc);
	}
	if (!strcmp(kind, "PrefixSuffixTransformer") || !strcmp(kind, "PrefixTransformer") ||
	    !strcmp(kind, "SuffixTransformer")) {
		if ((rc = fsv_from(a, doc_map_get(cfg, "fieldSpecs"), &fss)))
			return rc;
		const char *p = kust_scalar(doc_map_get(cfg, "prefix"));
		const char *s = kust_scalar(doc_map_get(cfg, "suffix"));
		if (p && !*p)
			p = NULL;
		if (s && !*s)
			s = NULL;
		if (!p && !s)
			return 0;
		return kust_tr_prefix_suffix(c, acc, p, s, &fss);
	}
	if (!strcmp(kind, "LabelTransformer") || !strcmp(kind, "AnnotationsTransformer")) {
		bool anno = kind[0] == 'A';
		if ((rc = fsv_from(a, doc_map_get(cfg, "fieldSpecs"), &fss)))
			return rc;
		return kust_tr_labels(c, acc, doc_map_get(cfg, anno ? "annotations" : "labels"), &fss, anno);
	}
	if (!strcmp(kind, "NamespaceTransformer")) {
		const char *ns = kust_scalar(doc_map_get(doc_map_get(cfg, "metadata"), "namespace"));
		return ns && *ns ? kust_tr_namespace(c, acc, ns) : 0;
	}
	if (!strcmp(kind, "ImageTagTransformer")) {
		const struct doc_node *img = doc_map_get(cfg, "imageTag");
		return kust_tr_images(c, acc, &img, 1);
	}
	if (!strcmp(kind, "ReplicaCountTransformer"))
		return kust_tr_replicas(c, acc, doc_map_get(cfg, "replica"));
	if (!strcmp(kind, "ReplacementTransformer")) {
		const struct doc_node *r = doc_map_get(cfg, "replacements");
		return r && r->kind == DOC_SEQ ? kust_replacements(c, ldr, acc, r) : 0;
	}
	struct kust_id id = kust_id_of(a, cfg);
	(void)av;
	return err_set(ERR_UNSUPPORTED, "unable to load builtin %s", kust_gvk_string(a, &id.gvk));
}

int kust_custom_transformers(struct kust_ctx *c, const struct kust_loader *ldr,
			     const struct kust_file *k, struct kust_acc *acc)
{
	for (size_t i = 0; k->transformers && i < k->transformers->u.seq.len; i++) {
		const char *entry = kust_scalar(k->transformers->u.seq.items[i]);
		if (!entry)
			return err_set(ERR_INVALID, "transformers: entries must be strings");
		struct kust_resmap cfgs = { 0 };
		int rc = load_configs(c, ldr, k, entry, &cfgs, 0);
		for (size_t j = 0; !rc && j < cfgs.len; j++)
			rc = run_transformer(c, ldr, acc, cfgs.v[j]);
		if (rc)
			return rc;
	}
	return 0;
}

static int iam_policy(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *cfg)
{
	struct arena *a = c->a;
	const char *cloud = kust_scalar(doc_map_get(cfg, "cloud"));
	if (!cloud || strcmp(cloud, "gke"))
		return err_set(ERR_UNSUPPORTED, "IAMPolicyGenerator: cloud '%s' is not supported", cloud ? cloud : "");
	const char *ksa = kust_scalar(doc_map_get(doc_map_get(cfg, "kubernetesService"), "name"));
	const struct doc_node *sa = doc_map_get(cfg, "serviceAccount");
	const char *gsa = kust_scalar(doc_map_get(sa, "name"));
	const char *proj = kust_scalar(doc_map_get(sa, "projectId"));
	const char *ns = kust_scalar(doc_map_get(doc_map_get(cfg, "kubernetesService"), "namespace"));
	if (!ns)
		ns = kust_scalar(doc_map_get(cfg, "namespace"));
	if (!ns)
		ns = kust_scalar(doc_map_get(doc_map_get(cfg, "metadata"), "namespace"));
	struct doc_node *obj = doc_new_map(a), *md = doc_new_map(a), *an = doc_new_map(a);
	doc_map_set(a, obj, "apiVersion", kust_str(a, "v1"));
	doc_map_set(a, obj, "kind", kust_str(a, "ServiceAccount"));
	doc_map_set(a, an, "iam.gke.io/gcp-service-account",
		    kust_str(a, arena_sprintf(a, "%s@%s.iam.gserviceaccount.com", gsa ? gsa : "", proj ? proj : "")));
	doc_map_set(a, md, "annotations", an);
	doc_map_set(a, md, "name", kust_str(a, ksa ? ksa : ""));
	if (ns && *ns)
		doc_map_set(a, md, "namespace", kust_str(a, ns));
	doc_map_set(a, obj, "metadata", md);
	return kust_resmap_absorb(a, &acc->rm, kust_res_new(a, obj));
}

int kust_custom_generators(struct kust_ctx *c, const struct kust_loader *ldr,
			   const struct kust_file *k, struct kust_acc *acc)
{
	struct arena *a = c->a;
	for (size_t i = 0; k->generators && i < k->generators->u.seq.len; i++) {
		const char *entry = kust_scalar(k->generators->u.seq.items[i]);
		if (!entry)
			return err_set(ERR_INVALID, "generators: entries must be strings");
		struct kust_resmap cfgs = { 0 };
		int rc = load_configs(c, ldr, k, entry, &cfgs, 0);
		for (size_t j = 0; !rc && j < cfgs.len; j++) {
			struct doc_node *cfg = cfgs.v[j]->node;
			const char *kind = kust_scalar(doc_map_get(cfg, "kind"));
			struct kust_file g;
			memset(&g, 0, sizeof(g));
			g.origin = plugin_origin(c, cfgs.v[j]);
			if (kind && !strcmp(kind, "ConfigMapGenerator")) {
				g.cm_gen = seq_of(a, generator_args(a, cfg));
				rc = kust_run_generators(c, ldr, &g, acc);
			} else if (kind && !strcmp(kind, "SecretGenerator")) {
				g.secret_gen = seq_of(a, generator_args(a, cfg));
				rc = kust_run_generators(c, ldr, &g, acc);
			} else if (kind && !strcmp(kind, "IAMPolicyGenerator")) {
				rc = iam_policy(c, acc, cfg);
			} else {
				struct kust_id id = kust_id_of(a, cfg);
				rc = err_set(ERR_UNSUPPORTED, "unable to load builtin %s", kust_gvk_string(a, &id.gvk));
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}
