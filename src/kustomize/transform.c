/*
 * The builtin transformers that rewrite fields through field specs: namespace, name
 * prefix and suffix, labels (commonLabels and labels), commonAnnotations, images and
 * replicas; and the per-kustomization transformer pipeline in kustomize's fixed order
 * (configureBuiltinTransformers in api/internal/target).
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

/* ---- namespace ---------------------------------------------------------------------------*/

struct set_str {
	struct arena *a;
	const char *value;
};

static int set_scalar(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	struct set_str *s = ud;
	(void)parent;
	(void)key;
	if ((*slot)->kind == DOC_MAP || (*slot)->kind == DOC_SEQ)
		return 0;
	*slot = kust_str_like(s->a, s->value, *slot);
	return 0;
}

int kust_tr_namespace(struct kust_ctx *c, struct kust_acc *acc, const char *ns)
{
	struct arena *a = c->a;
	struct set_str s = { a, ns };
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		struct kust_gvk g = kust_gvk_of(a, r->node);
		kust_res_store_prev(a, r);
		if (!kust_gvk_cluster_scoped(&g))
			kust_fs_apply_path(a, r->node, "metadata/namespace", true, DOC_STR, set_scalar, &s);
		bool rb = !strcmp(g.kind, "RoleBinding") || !strcmp(g.kind, "ClusterRoleBinding");
		if (rb) {
			struct doc_node *subj = doc_map_get(r->node, "subjects");
			for (size_t j = 0; subj && subj->kind == DOC_SEQ && j < subj->u.seq.len; j++) {
				struct doc_node *sj = subj->u.seq.items[j];
				const char *nm = kust_scalar(doc_map_get(sj, "name"));
				if (sj->kind == DOC_MAP && nm && !strcmp(nm, "default"))
					doc_map_set(a, sj, "namespace", kust_str(a, ns));
			}
		}
		const char *av = kust_scalar(doc_map_get(r->node, "apiVersion"));
		for (size_t j = 0; j < acc->cfg->namespace.len; j++) {
			const struct kust_fieldspec *fs = &acc->cfg->namespace.v[j];
			if (!strcmp(fs->path, "metadata/namespace"))
				continue;
			if ((!av || strcmp(av, "v1")) && !strcmp(fs->path, "metadata/name"))
				continue;
			if (rb && !strcmp(fs->path, "subjects/namespace"))
				continue;
			kust_fs_apply(a, r->node, fs, DOC_STR, set_scalar, &s);
		}
	}
	return 0;
}

/* ---- prefix / suffix ---------------------------------------------------------------------*/

struct affix {
	struct arena *a;
	const char *prefix, *suffix;
};

static int add_affix(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	struct affix *x = ud;
	(void)parent;
	(void)key;
	const char *v = kust_scalar(*slot);
	if (!v)
		return 0;
	*slot = kust_str_like(x->a, arena_sprintf(x->a, "%s%s%s", x->prefix, v, x->suffix), *slot);
	return 0;
}

static bool skip_affix(const struct kust_gvk *g)
{
	if (!strcmp(g->kind, "CustomResourceDefinition") || !strcmp(g->kind, "Namespace"))
		return true;
	return !strcmp(g->kind, "APIService") && !strcmp(g->group, "apiregistration.k8s.io");
}

int kust_tr_prefix_suffix(struct kust_ctx *c, struct kust_acc *acc, const char *prefix,
			  const char *suffix, const struct kust_fsv *fss)
{
	struct arena *a = c->a;
	struct affix x = { a, prefix ? prefix : "", suffix ? suffix : "" };
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		struct kust_id org = kust_res_orgid(a, r);
		if (skip_affix(&org.gvk))
			continue;
		for (size_t j = 0; j < fss->len; j++) {
			const struct kust_fieldspec *fs = &fss->v[j];
			if (!kust_gvk_selected(&org.gvk, &fs->gvk))
				continue;
			if (!strcmp(fs->path, "metadata/name")) {
				if (prefix)
					kust_strv_push(a, &r->prefixes, prefix);
				if (suffix)
					kust_strv_push(a, &r->suffixes, suffix);
				kust_res_store_prev(a, r);
			}
			kust_fs_apply_path(a, r->node, fs->path, fs->create, DOC_NULL, add_affix, &x);
		}
	}
	return 0;
}

/* ---- labels and annotations --------------------------------------------------------------*/

struct set_pairs {
	struct arena *a;
	const char **keys, **values; /* sorted by key; strings of the kustomization, shared */
	size_t n;
};

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static int set_pairs_fn(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	struct set_pairs *s = ud;
	(void)parent;
	(void)key;
	if ((*slot)->kind == DOC_NULL)
		*slot = doc_new_map(s->a);
	if ((*slot)->kind != DOC_MAP)
		return 0;
	/* Keys and values point at the kustomization's strings (they live as long as the
	 * build): a label set on every object costs one node per object, not three copies. */
	for (size_t i = 0; i < s->n; i++) {
		struct doc_node *v = doc_new(s->a, DOC_STR);
		v->u.str.ptr = s->values[i];
		v->u.str.len = strlen(s->values[i]);
		doc_map_set_shared(s->a, *slot, s->keys[i], v);
	}
	return 0;
}

int kust_tr_labels(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *labels,
		   const struct kust_fsv *fss, bool annotations)
{
	(void)annotations;
	if (!labels || labels->kind != DOC_MAP || !labels->u.map.len)
		return 0;
	size_t n = labels->u.map.len;
	struct set_pairs s = { c->a, arena_alloc(c->a, (n + 1) * sizeof(char *)),
			       arena_alloc(c->a, (n + 1) * sizeof(char *)), n };
	for (size_t i = 0; i < n; i++)
		s.keys[i] = labels->u.map.items[i].key;
	qsort(s.keys, n, sizeof(*s.keys), cmp_str);
	for (size_t i = 0; i < n; i++) {
		const char *v = kust_scalar(doc_map_get(labels, s.keys[i]));
		s.values[i] = arena_strdup(c->a, v ? v : "");
	}
	for (size_t i = 0; i < acc->rm.len; i++)
		for (size_t j = 0; j < fss->len; j++)
			kust_fs_apply(c->a, acc->rm.v[i]->node, &fss->v[j], DOC_MAP, set_pairs_fn, &s);
	return 0;
}

/* ---- images ------------------------------------------------------------------------------*/

struct image_args {
	struct arena *a;
	const char *name, *new_name, *new_tag, *digest;
};

static bool image_matches(const char *s, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(s, name, n))
		return false;
	s += n;
	if (!strncmp(s, "@sha256", 7))
		s += 7;
	if (!*s)
		return true;
	if (*s != ':')
		return false;
	for (s++; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      strchr("_.{}-", *s)))
			return false;
	return true;
}

static void image_split(struct arena *a, const char *img, const char **name, const char **tag,
			const char **digest)
{
	const char *search = img;
	const char *slash = strchr(img, '/');
	if (slash && slash != img)
		search = slash;
	const char *at = strchr(search, '@');
	const char *colon = strchr(search, ':');
	*tag = "";
	*digest = "";
	if (!at && !colon) {
		*name = img;
		return;
	}
	if (at && (!colon || at < colon)) {
		*name = arena_strndup(a, img, (size_t)(at - img));
		*digest = at + 1;
		return;
	}
	*name = arena_strndup(a, img, (size_t)(colon - img));
	if (at) {
		*tag = arena_strndup(a, colon + 1, (size_t)(at - colon - 1));
		*digest = at + 1;
	} else {
		*tag = colon + 1;
	}
}

static int set_image(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	struct image_args *x = ud;
	(void)parent;
	(void)key;
	const char *v = kust_scalar(*slot);
	if (!v || !image_matches(v, x->name))
		return 0;
	const char *name, *tag, *digest;
	image_split(x->a, v, &name, &tag, &digest);
	if (*x->new_name)
		name = x->new_name;
	if (*x->new_tag && *x->digest) {
		tag = x->new_tag;
		digest = x->digest;
	} else if (*x->new_tag) {
		tag = x->new_tag;
		digest = "";
	} else if (*x->digest) {
		tag = "";
		digest = x->digest;
	}
	*slot = kust_str_like(x->a, arena_sprintf(x->a, "%s%s%s%s%s", name, *tag ? ":" : "", tag,
						  *digest ? "@" : "", digest), *slot);
	return 0;
}

/* The image fields kustomize's legacy walk finds: "image" of every container and init
 * container anywhere in the object. */
static void legacy_images(struct doc_node *n, kust_fs_fn fn, void *ud)
{
	if (!n)
		return;
	if (n->kind == DOC_SEQ) {
		for (size_t i = 0; i < n->u.seq.len; i++)
			legacy_images(n->u.seq.items[i], fn, ud);
		return;
	}
	if (n->kind != DOC_MAP)
		return;
	for (size_t i = 0; i < n->u.map.len; i++) {
		struct doc_pair *p = &n->u.map.items[i];
		if ((!strcmp(p->key, "containers") || !strcmp(p->key, "initContainers")) && p->value &&
		    p->value->kind == DOC_SEQ) {
			for (size_t j = 0; j < p->value->u.seq.len; j++) {
				struct doc_node *ct = p->value->u.seq.items[j];
				if (!ct || ct->kind != DOC_MAP)
					continue;
				for (size_t k = 0; k < ct->u.map.len; k++)
					if (!strcmp(ct->u.map.items[k].key, "image") && ct->u.map.items[k].value)
						fn(ud, ct, "image", &ct->u.map.items[k].value);
			}
		} else {
			legacy_images(p->value, fn, ud);
		}
	}
}

struct slots {
	struct arena *a;
	struct doc_node ***v;
	size_t len, cap;
};

static int collect_slot(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	struct slots *s = ud;
	(void)parent;
	(void)key;
	if (s->len == s->cap)
		s->v = arena_grow(s->a, s->v, &s->cap, s->len + 1, sizeof(*s->v));
	s->v[s->len++] = slot;
	return 0;
}

int kust_tr_images(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *const *images,
		   size_t nimages)
{
	struct image_args *xs = arena_alloc(c->a, (nimages + 1) * sizeof(*xs));
	size_t nx = 0;
	for (size_t i = 0; i < nimages; i++) {
		const struct doc_node *image = images[i];
		struct image_args x = { c->a, kust_scalar(doc_map_get(image, "name")),
					kust_scalar(doc_map_get(image, "newName")),
					kust_scalar(doc_map_get(image, "newTag")),
					kust_scalar(doc_map_get(image, "digest")) };
		if (!x.name)
			continue;
		if (!x.new_name)
			x.new_name = "";
		if (!x.new_tag)
			x.new_tag = "";
		if (!x.digest)
			x.digest = "";
		xs[nx++] = x;
	}
	if (!nx)
		return 0;
	/* Which fields hold images does not depend on their values, so each object is walked
	 * once and every image applied to the fields found, in the order kustomize applies one
	 * image after the other (legacy fields, then each field spec): the same result as a walk
	 * per image, without walking every object once per image. */
	struct slots s = { c->a, NULL, 0, 0 };
	for (size_t i = 0; i < acc->rm.len; i++) {
		s.len = 0;
		legacy_images(acc->rm.v[i]->node, collect_slot, &s);
		for (size_t j = 0; j < acc->cfg->images.len; j++)
			kust_fs_apply(c->a, acc->rm.v[i]->node, &acc->cfg->images.v[j], DOC_NULL, collect_slot, &s);
		for (size_t k = 0; k < nx; k++)
			for (size_t j = 0; j < s.len; j++)
				set_image(&xs[k], NULL, NULL, s.v[j]);
	}
	return 0;
}

/* ---- replicas ----------------------------------------------------------------------------*/

struct set_node {
	struct doc_node *value;
};

static int set_node_fn(void *ud, struct doc_node *parent, const char *key, struct doc_node **slot)
{
	(void)parent;
	(void)key;
	*slot = ((struct set_node *)ud)->value;
	return 0;
}

int kust_tr_replicas(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *replica)
{
	struct arena *a = c->a;
	const char *name = kust_scalar(doc_map_get(replica, "name"));
	const struct doc_node *count = doc_map_get(replica, "count");
	if (!name)
		return 0;
	struct set_node s = { count ? doc_clone(a, count) : doc_new_int(a, 0) };
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		bool match = !strcmp(kust_res_name(r), name);
		for (size_t k = 0; !match && k < r->nprev; k++)
			match = !strcmp(r->prev[k].name, name);
		if (!match)
			continue;
		for (size_t j = 0; j < acc->cfg->replicas.len; j++)
			kust_fs_apply(a, r->node, &acc->cfg->replicas.v[j], DOC_INT, set_node_fn, &s);
	}
	return 0;
}

/* ---- the pipeline ------------------------------------------------------------------------*/

static int labels_field(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *item)
{
	struct arena *a = c->a;
	const struct doc_node *pairs = doc_map_get(item, "pairs");
	struct kust_fsv fss = { 0 };
	const struct doc_node *fields = doc_map_get(item, "fields");
	for (size_t i = 0; fields && fields->kind == DOC_SEQ && i < fields->u.seq.len; i++) {
		struct kust_tconfig tmp = { 0 };
		struct doc_node *wrap = doc_new_map(a);
		struct doc_node *seq = doc_new_seq(a);
		doc_seq_push(a, seq, fields->u.seq.items[i]);
		doc_map_set(a, wrap, "commonLabels", seq);
		int rc = kust_tconfig_merge_doc(a, &tmp, wrap, "labels");
		if (rc)
			return rc;
		for (size_t j = 0; j < tmp.common_labels.len; j++)
			kust_fsv_add(a, &fss, &tmp.common_labels.v[j]);
	}
	for (size_t j = 0; j < acc->cfg->labels.len; j++)
		kust_fsv_add(a, &fss, &acc->cfg->labels.v[j]);
	const struct doc_node *sel = doc_map_get(item, "includeSelectors");
	const struct doc_node *tpl = doc_map_get(item, "includeTemplates");
	if (sel && sel->kind == DOC_BOOL && sel->u.boolean) {
		for (size_t j = 0; j < acc->cfg->common_labels.len; j++)
			kust_fsv_add(a, &fss, &acc->cfg->common_labels.v[j]);
	} else {
		if (tpl && tpl->kind == DOC_BOOL && tpl->u.boolean)
			for (size_t j = 0; j < acc->cfg->template_labels.len; j++)
				kust_fsv_add(a, &fss, &acc->cfg->template_labels.v[j]);
		struct kust_fieldspec md = { { "", "", "" }, "metadata/labels", true };
		kust_fsv_add(a, &fss, &md);
	}
	return kust_tr_labels(c, acc, pairs, &fss, false);
}

static const struct kust_origin *origin_of(struct kust_ctx *c, const struct kust_loader *ldr,
					   const struct kust_file *k, const char *kind)
{
	return k->origin ? k->origin : kust_builtin_origin(c, ldr, k->filename, kind);
}

#define NOTE(kind) kust_note_transform(c, &acc->rm, origin_of(c, ldr, k, kind))

int kust_run_transformers(struct kust_ctx *c, const struct kust_loader *ldr,
			  const struct kust_file *k, struct kust_acc *acc)
{
	int rc;
	if ((rc = kust_tr_patches(c, ldr, k, acc)))
		return rc;
	if (k->ns && *k->ns) {
		if ((rc = kust_tr_namespace(c, acc, k->ns)))
			return rc;
		NOTE("NamespaceTransformer");
	}
	if (k->name_prefix && *k->name_prefix) {
		if ((rc = kust_tr_prefix_suffix(c, acc, k->name_prefix, NULL, &acc->cfg->prefix)))
			return rc;
		NOTE("PrefixTransformer");
	}
	if (k->name_suffix && *k->name_suffix) {
		if ((rc = kust_tr_prefix_suffix(c, acc, NULL, k->name_suffix, &acc->cfg->suffix)))
			return rc;
		NOTE("SuffixTransformer");
	}
	for (size_t i = 0; k->labels && i < k->labels->u.seq.len; i++) {
		if ((rc = labels_field(c, acc, k->labels->u.seq.items[i])))
			return rc;
		NOTE("LabelTransformer");
	}
	if (k->common_labels || k->labels) {
		if ((rc = kust_tr_labels(c, acc, k->common_labels, &acc->cfg->common_labels, false)))
			return rc;
		NOTE("LabelTransformer");
	}
	if (k->common_annotations) {
		if ((rc = kust_tr_labels(c, acc, k->common_annotations, &acc->cfg->common_annotations, true)))
			return rc;
		NOTE("AnnotationsTransformer");
	}
	if ((rc = kust_tr_patches_json(c, ldr, k, acc)))
		return rc;
	for (size_t i = 0; k->replicas && i < k->replicas->u.seq.len; i++) {
		if ((rc = kust_tr_replicas(c, acc, k->replicas->u.seq.items[i])))
			return rc;
		NOTE("ReplicaCountTransformer");
	}
	if (k->images && k->images->u.seq.len) {
		/* all at once (see kust_tr_images); one note per image, as kustomize runs one
		 * transformer per image */
		const struct doc_node *const *imgs = (const struct doc_node *const *)k->images->u.seq.items;
		if ((rc = kust_tr_images(c, acc, imgs, k->images->u.seq.len)))
			return rc;
		for (size_t i = 0; i < k->images->u.seq.len; i++)
			NOTE("ImageTagTransformer");
	}
	if (k->replacements) {
		if ((rc = kust_replacements(c, ldr, acc, k->replacements)))
			return rc;
		NOTE("ReplacementTransformer");
	}
	if (k->transformers && (rc = kust_custom_transformers(c, ldr, k, acc)))
		return rc;
	return 0;
}
