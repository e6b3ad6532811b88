/*
 * Patches: `patches` (strategic merge or JSON 6902, from a file or inline, optionally with a
 * target selector), legacy `patchesStrategicMerge` and `patchesJson6902`, and the selector
 * matching they share with replacements (anchored regular expressions on
 * group/version/kind/name/namespace, label and annotation selectors).
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/regex.h"

#include "util/banned.h"

/* ---- selectors ---------------------------------------------------------------------------*/

int kust_selector_parse(struct arena *a, const struct doc_node *n, struct kust_selector *out)
{
	(void)a;
	memset(out, 0, sizeof(*out));
	out->gvk.group = "";
	out->gvk.version = "";
	out->gvk.kind = "";
	if (!n || n->kind != DOC_MAP)
		return 0;
	const char *s;
	if ((s = kust_scalar(doc_map_get(n, "group"))))
		out->gvk.group = s;
	if ((s = kust_scalar(doc_map_get(n, "version"))))
		out->gvk.version = s;
	if ((s = kust_scalar(doc_map_get(n, "kind"))))
		out->gvk.kind = s;
	out->name = kust_scalar(doc_map_get(n, "name"));
	out->ns = kust_scalar(doc_map_get(n, "namespace"));
	out->label_selector = kust_scalar(doc_map_get(n, "labelSelector"));
	out->annotation_selector = kust_scalar(doc_map_get(n, "annotationSelector"));
	return 0;
}

/* kustomize's SelectorRegex (api/types/selector.go): a non-empty field matches when the Go
 * regexp "^(?:" + field + ")$" does; an invalid one is regexp.Compile's error, as is. */
static int sel_match(const char *pattern, const char *s, bool *out)
{
	*out = true;
	if (!pattern || !*pattern)
		return 0;
	if (!pattern[strcspn(pattern, "\\.+*?()|[]{}^$")]) {
		*out = !strcmp(pattern, s); /* no metacharacter: the regexp is the string */
		return 0;
	}
	struct buf b = BUF_INIT;
	buf_addf(&b, "^(?:%s)$", pattern);
	struct regex *re;
	int rc = regex_compile(&re, b.ptr, 0);
	buf_release(&b);
	if (!rc)
		rc = regex_match(re, s, strlen(s), out);
	regex_free(re);
	return rc;
}

/* kustomize compiles a selector's regexps (group, version, kind, name, namespace) before it
 * looks at any resource, so an invalid one fails even when nothing would be selected. */
static int sel_check(const struct kust_selector *s)
{
	const char *f[] = { s->gvk.group, s->gvk.version, s->gvk.kind, s->name, s->ns };
	bool m;
	int rc = 0;
	for (size_t i = 0; !rc && i < sizeof(f) / sizeof(*f); i++)
		rc = sel_match(f[i], "", &m);
	return rc;
}

static const char *effective_ns(const struct kust_id *id)
{
	if (kust_gvk_cluster_scoped(&id->gvk))
		return "_non_namespaceable_";
	return *id->ns ? id->ns : "default";
}

static char *trim(struct arena *a, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

int kust_label_selector_match(const char *sel, const struct doc_node *labels, bool *out)
{
	struct arena *a = arena_new();
	*out = true;
	/* split on commas outside parentheses */
	const char *p = sel;
	int rc = 0;
	while (*p) {
		const char *e = p;
		int depth = 0;
		while (*e && (*e != ',' || depth)) {
			if (*e == '(')
				depth++;
			else if (*e == ')')
				depth--;
			e++;
		}
		char *req = trim(a, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
		if (!*req)
			continue;
		bool ok;
		char *op;
		if (req[0] == '!') {
			ok = !doc_map_get(labels, trim(a, req + 1, strlen(req + 1)));
		} else if ((op = strstr(req, "!="))) {
			const char *v = kust_scalar(doc_map_get(labels, trim(a, req, (size_t)(op - req))));
			ok = !v || strcmp(v, trim(a, op + 2, strlen(op + 2)));
		} else if ((op = strstr(req, "=="))) {
			const char *v = kust_scalar(doc_map_get(labels, trim(a, req, (size_t)(op - req))));
			ok = v && !strcmp(v, trim(a, op + 2, strlen(op + 2)));
		} else if ((op = strchr(req, '='))) {
			const char *v = kust_scalar(doc_map_get(labels, trim(a, req, (size_t)(op - req))));
			ok = v && !strcmp(v, trim(a, op + 1, strlen(op + 1)));
		} else if ((op = strstr(req, " notin ")) || (op = strstr(req, " in "))) {
			bool notin = op[1] == 'n';
			const char *key = trim(a, req, (size_t)(op - req));
			const char *lp = strchr(op, '('), *rp = strrchr(op, ')');
			if (!lp || !rp) {
				rc = err_set(ERR_INVALID, "invalid label selector '%s'", sel);
				break;
			}
			const char *v = kust_scalar(doc_map_get(labels, key));
			bool found = false;
			const char *q = lp + 1;
			while (q < rp) {
				const char *c = q;
				while (c < rp && *c != ',')
					c++;
				char *item = trim(a, q, (size_t)(c - q));
				if (v && !strcmp(item, v))
					found = true;
				q = c + 1;
			}
			ok = notin ? !found : found;
		} else {
			ok = doc_map_get(labels, req) != NULL;
		}
		if (!ok) {
			*out = false;
			break;
		}
	}
	arena_free(a);
	return rc;
}

int kust_selector_match(struct arena *a, const struct kust_selector *s, const struct kust_res *r,
			bool *out)
{
	*out = false;
	struct kust_id cur = kust_res_id(a, r);
	struct kust_id org = kust_res_orgid(a, r);
	bool ok;
	int rc;
	if ((rc = sel_match(s->ns, effective_ns(&org), &ok)) ||
	    (!ok && (rc = sel_match(s->ns, effective_ns(&cur), &ok))) || !ok)
		return rc;
	if ((rc = sel_match(s->name, org.name, &ok)) || (!ok && (rc = sel_match(s->name, cur.name, &ok))) || !ok)
		return rc;
	if ((rc = sel_match(s->gvk.group, cur.gvk.group, &ok)) || !ok ||
	    (rc = sel_match(s->gvk.version, cur.gvk.version, &ok)) || !ok ||
	    (rc = sel_match(s->gvk.kind, cur.gvk.kind, &ok)) || !ok)
		return rc;
	const struct doc_node *md = doc_map_get(r->node, "metadata");
	if (s->label_selector && *s->label_selector) {
		if ((rc = kust_label_selector_match(s->label_selector, doc_map_get(md, "labels"), &ok)))
			return rc;
		if (!ok)
			return 0;
	}
	if (s->annotation_selector && *s->annotation_selector) {
		if ((rc = kust_label_selector_match(s->annotation_selector, doc_map_get(md, "annotations"), &ok)))
			return rc;
		if (!ok)
			return 0;
	}
	*out = true;
	return 0;
}

/* ---- applying patches --------------------------------------------------------------------*/

struct patch_opts {
	bool allow_name_change, allow_kind_change;
};

static int apply_smp(struct kust_ctx *c, struct kust_res *r, const struct doc_node *patch,
		     const struct patch_opts *o)
{
	struct arena *a = c->a;
	const char *name = arena_strdup(a, kust_res_name(r));
	const char *ns = arena_strdup(a, kust_res_ns(r));
	const char *kind = arena_strdup(a, kust_res_kind(r));
	bool had_ns = doc_map_get(doc_map_get(r->node, "metadata"), "namespace") != NULL;
	if (o->allow_name_change || o->allow_kind_change)
		kust_res_store_prev(a, r);
	bool deleted;
	int rc = kust_smp_apply(a, r->node, patch, c->schema, &deleted);
	if (rc)
		return rc;
	if (deleted) {
		r->deleted = true;
		return 0;
	}
	if (!o->allow_kind_change)
		doc_map_set(a, r->node, "kind", kust_str(a, kind));
	if (!o->allow_name_change)
		kust_res_set_name(a, r, name);
	if (had_ns)
		kust_res_set_ns(a, r, ns);
	else
		doc_map_delete(doc_map_get(r->node, "metadata"), "namespace");
	return 0;
}

static int load_patch_text(struct kust_ctx *c, const struct kust_loader *ldr, const char *path,
			   const char **text)
{
	struct buf b = BUF_INIT;
	int rc = kust_load_file(c, ldr, path, &b, NULL);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	*text = arena_strndup(c->a, b.ptr, b.len);
	buf_release(&b);
	return 0;
}

/* Parses patch text: JSON 6902 (a list) into *ops, else strategic-merge docs into *sm. */
static int parse_patch(struct kust_ctx *c, const char *name, const char *text, struct doc_node **ops,
		       struct doc_stream *sm)
{
	*ops = NULL;
	memset(sm, 0, sizeof(*sm));
	struct doc_stream st = { 0 };
	int rc = doc_parse_yaml(c->a, name, text, strlen(text), NULL, &st);
	if (rc)
		return rc;
	if (st.len == 1 && st.docs[0]->kind == DOC_SEQ) {
		*ops = st.docs[0];
		return 0;
	}
	for (size_t i = 0; i < st.len; i++) {
		if (st.docs[i]->kind != DOC_MAP)
			return err_set(ERR_INVALID, "unable to parse SM or JSON patch from %s", name);
		/* A List of patches */
		const char *k = kust_scalar(doc_map_get(st.docs[i], "kind"));
		const struct doc_node *items = doc_map_get(st.docs[i], "items");
		if (k && strlen(k) > 4 && !strcmp(k + strlen(k) - 4, "List") && items && items->kind == DOC_SEQ) {
			for (size_t j = 0; j < items->u.seq.len; j++) {
				if (sm->len == sm->cap)
					sm->docs = arena_grow(c->a, sm->docs, &sm->cap, sm->len + 1, sizeof(*sm->docs));
				sm->docs[sm->len++] = items->u.seq.items[j];
			}
			continue;
		}
		if (sm->len == sm->cap)
			sm->docs = arena_grow(c->a, sm->docs, &sm->cap, sm->len + 1, sizeof(*sm->docs));
		sm->docs[sm->len++] = st.docs[i];
	}
	return 0;
}

static int apply_by_id(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *patch,
		       const struct patch_opts *o)
{
	struct arena *a = c->a;
	struct kust_id id = kust_id_of(a, patch);
	struct kust_res *target = NULL;
	int n = 0;
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		struct kust_id cur = kust_res_id(a, r);
		bool m = kust_id_equal(&cur, &id);
		for (size_t k = 0; !m && k < r->nprev; k++)
			m = kust_id_equal(&r->prev[k], &id);
		if (m) {
			target = r;
			n++;
		}
	}
	if (n != 1)
		return err_set(ERR_NOTFOUND,
			       "no resource matches strategic merge patch \"%s\": %s matches for Id %s; failed to find unique target for patch %s",
			       kust_id_string(a, &id), n ? "multiple" : "no", kust_id_string(a, &id),
			       kust_id_string(a, &id));
	int rc = apply_smp(c, target, patch, o);
	kust_resmap_remove_deleted(&acc->rm);
	return rc;
}

static int apply_to_selected(struct kust_ctx *c, struct kust_acc *acc, const struct doc_node *target,
			     const struct doc_node *ops, const struct doc_node *smp,
			     const struct patch_opts *o)
{
	struct kust_selector sel;
	kust_selector_parse(c->a, target, &sel);
	int rc = sel_check(&sel);
	if (rc)
		return rc;
	struct doc_node *p = NULL;
	for (size_t i = 0; i < acc->rm.len; i++) {
		struct kust_res *r = acc->rm.v[i];
		bool m;
		rc = kust_selector_match(c->a, &sel, r, &m);
		if (rc)
			return rc;
		if (!m)
			continue;
		if (ops) {
			kust_res_store_prev(c->a, r);
			struct doc_node *root = r->node;
			if ((rc = kust_jsonpatch_apply(c->a, &root, ops, c->mem_limit)))
				return rc;
			r->node = root;
		} else {
			/* the patch's name and kind come from the target, as kustomize does; one
			 * copy serves every target (merging never keeps a node of the patch) */
			if (!p)
				p = doc_clone(c->a, smp);
			struct doc_node *pmd = doc_map_get(p, "metadata");
			if (!pmd || pmd->kind != DOC_MAP) {
				pmd = doc_new_map(c->a);
				doc_map_set(c->a, p, "metadata", pmd);
			}
			/* as if each target had a fresh copy of smp */
			if (!o->allow_name_change || !doc_map_get(doc_map_get(smp, "metadata"), "name"))
				doc_map_set(c->a, pmd, "name", kust_str(c->a, kust_res_name(r)));
			if (!o->allow_kind_change || !doc_map_get(smp, "kind"))
				doc_map_set(c->a, p, "kind", kust_str(c->a, kust_res_kind(r)));
			const struct doc_node *av = doc_map_get(r->node, "apiVersion");
			const struct doc_node *sav = doc_map_get(smp, "apiVersion");
			if (av || sav)
				doc_map_set(c->a, p, "apiVersion", doc_clone(c->a, av ? av : sav));
			else
				doc_map_delete(p, "apiVersion");
			if ((rc = apply_smp(c, r, p, o)) || (rc = kust_budget(c)))
				return rc;
		}
	}
	kust_resmap_remove_deleted(&acc->rm);
	return 0;
}

static bool opt(const struct doc_node *opts, const char *key)
{
	const struct doc_node *n = doc_map_get(opts, key);
	return n && n->kind == DOC_BOOL && n->u.boolean;
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
			return false;
	return true;
}

int kust_tr_patches(struct kust_ctx *c, const struct kust_loader *ldr, const struct kust_file *k,
		    struct kust_acc *acc)
{
	int rc;
	struct patch_opts none = { false, false };
	/* patchesStrategicMerge: paths or inline patches, targets by id */
	for (size_t i = 0; k->patches_sm && i < k->patches_sm->u.seq.len; i++) {
		const char *s = kust_scalar(k->patches_sm->u.seq.items[i]);
		const char *text = s;
		if (!s)
			return err_set(ERR_INVALID, "patchesStrategicMerge: expected a string");
		if (!strchr(s, '\n') && (rc = load_patch_text(c, ldr, s, &text)))
			return rc;
		struct doc_node *ops;
		struct doc_stream sm;
		if ((rc = parse_patch(c, s, text, &ops, &sm)))
			return rc;
		if (ops || !sm.len)
			return err_set(ERR_INVALID, "patch appears to be empty; file=%s", s);
		for (size_t j = 0; j < sm.len; j++)
			if ((rc = apply_by_id(c, acc, sm.docs[j], &none)))
				return rc;
	}
	if (k->patches_sm && k->patches_sm->u.seq.len)
		kust_note_transform(c, &acc->rm, k->origin ? k->origin : kust_builtin_origin(c, ldr, k->filename, "PatchStrategicMergeTransformer"));
	for (size_t i = 0; k->patches && i < k->patches->u.seq.len; i++) {
		const struct doc_node *pc = k->patches->u.seq.items[i];
		const char *path = kust_scalar(doc_map_get(pc, "path"));
		const char *inl = kust_scalar(doc_map_get(pc, "patch"));
		const struct doc_node *target = doc_map_get(pc, "target");
		const struct doc_node *opts = doc_map_get(pc, "options");
		struct patch_opts o = { opt(opts, "allowNameChange"), opt(opts, "allowKindChange") };
		if (blank(inl))
			inl = NULL;
		if (!path && !inl)
			return err_set(ERR_INVALID, "must specify one of patch and path");
		if (path && inl)
			return err_set(ERR_INVALID, "patch and path can't be set at the same time");
		const char *text = inl;
		if (path && (rc = load_patch_text(c, ldr, path, &text)))
			return err_wrap(rc, "failed to get the patch file from path(%s)", path);
		struct doc_node *ops;
		struct doc_stream sm;
		if ((rc = parse_patch(c, path ? path : "patch", text, &ops, &sm)))
			return rc;
		if (!ops && !sm.len)
			return err_set(ERR_INVALID, "unable to parse SM or JSON patch from %s", path ? path : "patch");
		if (ops && !target)
			return err_set(ERR_INVALID, "must specify a target for JSON patch");
		if (target) {
			if (!ops && sm.len > 1)
				return err_set(ERR_INVALID, "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field");
			if ((rc = apply_to_selected(c, acc, target, ops, ops ? NULL : sm.docs[0], &o)))
				return rc;
		} else {
			for (size_t j = 0; j < sm.len; j++)
				if ((rc = apply_by_id(c, acc, sm.docs[j], &o)))
					return rc;
		}
		kust_note_transform(c, &acc->rm, k->origin ? k->origin : kust_builtin_origin(c, ldr, k->filename, "PatchTransformer"));
	}
	return 0;
}

int kust_tr_patches_json(struct kust_ctx *c, const struct kust_loader *ldr,
			 const struct kust_file *k, struct kust_acc *acc)
{
	int rc;
	for (size_t i = 0; k->patches_json && i < k->patches_json->u.seq.len; i++) {
		const struct doc_node *pc = k->patches_json->u.seq.items[i];
		const char *path = kust_scalar(doc_map_get(pc, "path"));
		const char *inl = kust_scalar(doc_map_get(pc, "patch"));
		const struct doc_node *target = doc_map_get(pc, "target");
		const char *text = inl;
		if (path && (rc = load_patch_text(c, ldr, path, &text)))
			return rc;
		if (!text)
			return err_set(ERR_INVALID, "patchesJson6902: must specify path or patch");
		struct doc_node *ops;
		struct doc_stream sm;
		if ((rc = parse_patch(c, path ? path : "patch", text, &ops, &sm)))
			return rc;
		if (!ops)
			return err_set(ERR_INVALID, "patchesJson6902: '%s' is not a list of operations", path ? path : "patch");
		struct patch_opts o = { false, false };
		if ((rc = apply_to_selected(c, acc, target, ops, NULL, &o)))
			return rc;
		kust_note_transform(c, &acc->rm, k->origin ? k->origin : kust_builtin_origin(c, ldr, k->filename, "PatchJson6902Transformer"));
	}
	return 0;
}
