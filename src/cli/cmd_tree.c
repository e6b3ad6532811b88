/*
 * `tide tree kustomization NAME [--compact]`, as flux2's cmd/flux/tree_kustomization.go: the
 * Kustomization's status.inventory as a tree drawn as flux's internal/tree printer draws it
 * (├── └── │), Kustomizations in the inventory expanded with their own inventory (unless the
 * parent targets a remote cluster), --compact keeping only toolkit.fluxcd.io objects.
 * A HelmRelease is expanded with the objects of its latest Helm release, read from the Helm
 * storage Secret as flux reads it (helm/storage.h), plus the CRDs it installed when its
 * install or upgrade manages CRDs. Unlike flux, the tree goes to stdout, not stderr.
 * -o json|yaml prints flux's tree.ObjMetadataTree as encoding/json (indented) or
 * sigs.k8s.io/yaml marshal it: {resource: {Namespace, Name, GroupKind: {Group, Kind}},
 * resources: [...]}, cli-utils' ObjMetadata having no JSON tags.
 * `tide tree artifact generator NAME [-o json|yaml]` (flux2's tree_artifact_generator.go)
 * prints an ArtifactGenerator's status.inventory, its ExternalArtifacts, the same way.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "helm/storage.h"
#include "util/base64.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

struct obj_id {
	const char *ns, *name, *group, *kind;
};

/* cli-utils' ParseObjMetadata: "<namespace>_<name>_<group>_<kind>", a name's ':' written as "__". */
static int parse_id(struct arena *a, const char *id, struct obj_id *out)
{
	const char *first = strchr(id, '_');
	const char *last = strrchr(id, '_');
	if (!first || last == first)
		return err_set(ERR_INVALID, "unexpected inventory entry '%s'", id);
	const char *glast = last - 1;
	while (glast > first && *glast != '_')
		glast--;
	if (glast <= first)
		return err_set(ERR_INVALID, "unexpected inventory entry '%s'", id);
	out->ns = arena_strndup(a, id, (size_t)(first - id));
	out->kind = last + 1;
	out->group = arena_strndup(a, glast + 1, (size_t)(last - glast - 1));
	struct buf b = BUF_INIT;
	for (const char *p = first + 1; p < glast; p++) {
		if (p[0] == '_' && p + 1 < glast && p[1] == '_') {
			buf_addch(&b, ':');
			p++;
		} else {
			buf_addch(&b, *p);
		}
	}
	out->name = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return 0;
}

struct tree_ctx {
	struct kube_client *c;
	const struct kube_resource *ks, *hr, *secret;
	struct arena *a;
	bool compact;
	struct buf out;
	int depth;
};

/* {resource: ObjMetadata} in flux's field order; resources added when there are children. */
static struct doc_node *tree_node(struct arena *a, const char *ns, const char *name, const char *group,
				  const char *kind)
{
	struct doc_node *n = doc_new_map(a), *r = doc_new_map(a), *gk = doc_new_map(a);
	doc_map_set(a, r, "Namespace", doc_new_str(a, ns));
	doc_map_set(a, r, "Name", doc_new_str(a, name));
	doc_map_set(a, gk, "Group", doc_new_str(a, group));
	doc_map_set(a, gk, "Kind", doc_new_str(a, kind));
	doc_map_set(a, r, "GroupKind", gk);
	doc_map_set(a, n, "resource", r);
	return n;
}

static void line(struct tree_ctx *t, const char *prefix, bool last, const struct obj_id *o)
{
	buf_addf(&t->out, "%s%s%s/", prefix, last ? "└── " : "├── ", o->kind);
	if (*o->ns)
		buf_addf(&t->out, "%s/", o->ns);
	buf_addf(&t->out, "%s\n", o->name);
}

/* The group of an apiVersion: "apps/v1" -> "apps", "v1" -> "". */
static const char *group_of(struct arena *a, const char *api_version)
{
	const char *slash = strchr(api_version, '/');
	return slash ? arena_strndup(a, api_version, (size_t)(slash - api_version)) : "";
}

static bool crds_managed(const struct doc_node *hr, const char *path)
{
	const char *policy = doc_get_str(hr, path);
	return policy && *policy && strcmp(policy, "Skip");
}

/* *id of a release manifest's object, its namespace the release's (rel_ns) when it is
 * namespaced and names none; 0 when ssautil.ReadObjects drops it (no apiVersion, kind or
 * name, or a kustomize config file), else 1. */
static int release_object(struct tree_ctx *t, const struct doc_node *obj, const char *rel_ns, struct obj_id *id)
{
	const char *av = doc_get_str(obj, "apiVersion"), *kind = doc_get_str(obj, "kind");
	const char *name = doc_get_str(obj, "metadata.name"), *ns = doc_get_str(obj, "metadata.namespace");
	if (!av || !*av || !kind || !*kind || !name || !*name)
		return 0;
	if (!strcasecmp(kind, "kustomization") && !strncmp(av, "kustomize.config.k8s.io/", 24))
		return 0;
	if (!ns || !*ns) {
		const struct kube_resource *r;
		ns = "";
		if (!kube_mapper_find(&r, t->c, av, kind) && r->namespaced && rel_ns)
			ns = rel_ns;
		err_clear();
	}
	*id = (struct obj_id){ ns, name, group_of(t->a, av), kind };
	return 1;
}

/* flux's getHelmReleaseInventory: the objects of the HelmRelease's latest release (its Helm
 * storage Secret's manifest, namespaced objects without a namespace put in the release's),
 * then the CRDs labelled as the HelmRelease's when its install or upgrade manages CRDs.
 * Nothing for a HelmRelease on a remote cluster, without a release, or whose storage Secret
 * is gone. */
static int helm_objects(struct tree_ctx *t, const struct obj_id *id, struct obj_id **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int rc = 0;
	const struct cli_kind *hr_kind = cli_kind_by_name("HelmRelease");
	if (!t->hr && (rc = kube_mapper_find(&t->hr, t->c, hr_kind->api_version, hr_kind->kind)))
		return rc == ERR_NOTFOUND ? err_set(rc, "no matches for kind \"%s\" in version \"%s\"", hr_kind->kind,
						    hr_kind->api_version) : rc;
	struct doc_node *hr, *sec;
	if ((rc = kube_get(&hr, t->c, t->a, t->hr, id->ns, id->name, NULL)))
		return rc;
	if (doc_get(hr, "spec.kubeConfig"))
		return 0;
	const char *storage_ns = doc_get_str(hr, "status.storageNamespace");
	const struct doc_node *history = doc_get(hr, "status.history");
	const struct doc_node *latest = history && history->kind == DOC_SEQ && history->u.seq.len ? history->u.seq.items[0] : NULL;
	const char *rel = latest ? doc_get_str(latest, "name") : NULL;
	const char *rel_ns = latest ? doc_get_str(latest, "namespace") : NULL;
	int64_t v = 0;
	if (!storage_ns || !*storage_ns || !rel || doc_int64(doc_map_get(latest, "version"), &v)) {
		err_clear();
		return 0;
	}
	if (!t->secret && (rc = kube_mapper_find(&t->secret, t->c, "v1", "Secret")))
		return rc;
	rc = kube_get(&sec, t->c, t->a, t->secret, storage_ns, helm_storage_name(t->a, rel, (long)v), NULL);
	if (rc == ERR_NOTFOUND)
		return 0;
	if (rc)
		return err_wrap(rc, "failed to find the Helm storage object for HelmRelease '%s/%s'", id->ns, id->name);
	const char *data = doc_get_str(sec, "data.release");
	struct buf value = BUF_INIT;
	struct doc_node *release;
	if (!data || base64_decode(&value, data, strlen(data))) {
		buf_release(&value);
		return err_set(ERR_INVALID, "failed to decode the Helm storage object for HelmRelease '%s/%s'", id->ns, id->name);
	}
	rc = helm_release_decode(t->a, value.ptr ? value.ptr : "", value.len, &release);
	buf_release(&value);
	if (rc)
		return err_wrap(rc, "failed to decode the Helm storage object for HelmRelease '%s/%s'", id->ns, id->name);
	const char *manifest = doc_get_str(release, "manifest");
	struct doc_stream docs = { 0 };
	if (manifest && (rc = doc_parse_yaml(t->a, "manifest", manifest, strlen(manifest), NULL, &docs)))
		return err_wrap(rc, "failed to read the Helm storage object for HelmRelease '%s/%s'", id->ns, id->name);
	/* ssautil.ReadObjects: Lists unrolled; objects without apiVersion, kind or name and
	 * kustomize's own config files dropped */
	size_t total = 0, k = 0;
	for (size_t i = 0; i < docs.len; i++) {
		const struct doc_node *items = doc_map_get(docs.docs[i], "items");
		total += items && items->kind == DOC_SEQ ? items->u.seq.len : 1;
	}
	struct obj_id *ids = arena_alloc(t->a, (total + 1) * sizeof(*ids));
	for (size_t i = 0; i < docs.len; i++) {
		const struct doc_node *items = doc_map_get(docs.docs[i], "items");
		if (items && items->kind == DOC_SEQ) {
			for (size_t j = 0; j < items->u.seq.len; j++)
				k += release_object(t, items->u.seq.items[j], rel_ns, &ids[k]);
		} else {
			k += release_object(t, docs.docs[i], rel_ns, &ids[k]);
		}
	}
	if (crds_managed(hr, "spec.install.crds") || crds_managed(hr, "spec.upgrade.crds")) {
		const struct kube_resource *crd;
		struct doc_node *list;
		const char *sel = arena_sprintf(t->a, "helm.toolkit.fluxcd.io/name=%s,helm.toolkit.fluxcd.io/namespace=%s",
						doc_get_str(hr, "metadata.name"), doc_get_str(hr, "metadata.namespace"));
		/* flux ignores a failed list here */
		if (!kube_mapper_find(&crd, t->c, "apiextensions.k8s.io/v1", "CustomResourceDefinition") &&
		    !kube_list(&list, t->c, t->a, crd, NULL, true, &(struct kube_opts){ .label_selector = sel })) {
			const struct doc_node *items = doc_map_get(list, "items");
			size_t ni = items && items->kind == DOC_SEQ ? items->u.seq.len : 0;
			struct obj_id *all = arena_alloc(t->a, (k + ni + 1) * sizeof(*all));
			memcpy(all, ids, k * sizeof(*ids));
			ids = all;
			for (size_t i = 0; i < ni; i++) {
				const char *name = doc_get_str(items->u.seq.items[i], "metadata.name");
				bool found = false;
				for (size_t j = 0; name && j < k && !found; j++)
					found = !strcmp(ids[j].name, name) && !strcmp(ids[j].kind, "CustomResourceDefinition");
				if (name && !found)
					ids[k++] = (struct obj_id){ "", name, "apiextensions.k8s.io", "CustomResourceDefinition" };
			}
		}
		err_clear();
	}
	*out = ids;
	*n = k;
	return 0;
}

static int walk(struct tree_ctx *t, const struct doc_node *ks, const char *prefix, struct doc_node *node)
{
	if (++t->depth > 64)
		return err_set(ERR_TOOBIG, "Kustomizations nested more than 64 deep");
	const struct doc_node *entries = doc_get(ks, "status.inventory.entries");
	size_t n = entries && entries->kind == DOC_SEQ ? entries->u.seq.len : 0;
	struct obj_id *ids = arena_alloc(t->a, (n ? n : 1) * sizeof(*ids));
	size_t m = 0;
	const char *self_ns = doc_get_str(ks, "metadata.namespace"), *self = doc_get_str(ks, "metadata.name");
	for (size_t i = 0; i < n; i++) {
		const char *id = doc_get_str(entries->u.seq.items[i], "id");
		struct obj_id o;
		int rc = parse_id(t->a, id ? id : "", &o);
		if (rc)
			return rc;
		if (t->compact && !strstr(o.group, "toolkit.fluxcd.io"))
			continue;
		bool is_ks = !strcmp(o.group, "kustomize.toolkit.fluxcd.io") && !strcmp(o.kind, "Kustomization");
		if (is_ks && self_ns && self && !strcmp(o.ns, self_ns) && !strcmp(o.name, self))
			continue;
		ids[m++] = o;
	}
	bool remote = doc_get(ks, "spec.kubeConfig") != NULL;
	struct doc_node *children = m ? doc_new_seq(t->a) : NULL;
	if (children)
		doc_map_set(t->a, node, "resources", children);
	for (size_t i = 0; i < m; i++) {
		bool last = i == m - 1;
		line(t, prefix, last, &ids[i]);
		struct doc_node *child_node = tree_node(t->a, ids[i].ns, ids[i].name, ids[i].group, ids[i].kind);
		doc_seq_push(t->a, children, child_node);
		const char *inner = arena_sprintf(t->a, "%s%s", prefix, last ? "    " : "│   ");
		if (!strcmp(ids[i].group, "helm.toolkit.fluxcd.io") && !strcmp(ids[i].kind, "HelmRelease")) {
			struct obj_id *objs;
			size_t no;
			int rc = helm_objects(t, &ids[i], &objs, &no);
			if (rc)
				return rc;
			size_t shown = 0;
			for (size_t j = 0; j < no; j++)
				shown += !t->compact || strstr(objs[j].group, "toolkit.fluxcd.io");
			struct doc_node *hr_children = shown ? doc_new_seq(t->a) : NULL;
			if (hr_children)
				doc_map_set(t->a, child_node, "resources", hr_children);
			for (size_t j = 0, k = 0; j < no; j++) {
				if (t->compact && !strstr(objs[j].group, "toolkit.fluxcd.io"))
					continue;
				line(t, inner, ++k == shown, &objs[j]);
				doc_seq_push(t->a, hr_children, tree_node(t->a, objs[j].ns, objs[j].name, objs[j].group, objs[j].kind));
			}
		}
		if (!strcmp(ids[i].group, "kustomize.toolkit.fluxcd.io") && !strcmp(ids[i].kind, "Kustomization") && !remote) {
			struct doc_node *child;
			int rc = kube_get(&child, t->c, t->a, t->ks, ids[i].ns, ids[i].name, NULL);
			if (rc)
				return err_wrap(rc, "failed to find object");
			rc = walk(t, child, inner, child_node);
			if (rc)
				return rc;
		}
	}
	t->depth--;
	return 0;
}

/* The ArtifactGenerator's inventory: one ExternalArtifact per entry. */
static int tree_generator(struct tree_ctx *t, const char *ns, const char *name, struct doc_node **tree)
{
	const struct cli_kind *ag = cli_kind_by_name("ArtifactGenerator"), *ea = cli_kind_by_name("ExternalArtifact");
	const struct kube_resource *r;
	struct doc_node *obj;
	int rc = kube_mapper_find(&r, t->c, ag->api_version, ag->kind);
	if (!rc)
		rc = kube_get(&obj, t->c, t->a, r, ns, name, NULL);
	if (rc)
		return rc;
	*tree = tree_node(t->a, ns, name, ag->group, ag->kind);
	buf_addf(&t->out, "%s/%s/%s\n", ag->kind, ns, name);
	const struct doc_node *inv = doc_get(obj, "status.inventory");
	size_t n = inv && inv->kind == DOC_SEQ ? inv->u.seq.len : 0;
	struct doc_node *children = n ? doc_new_seq(t->a) : NULL;
	if (children)
		doc_map_set(t->a, *tree, "resources", children);
	for (size_t i = 0; i < n; i++) {
		const char *ens = doc_get_str(inv->u.seq.items[i], "namespace");
		const char *en = doc_get_str(inv->u.seq.items[i], "name");
		struct obj_id o = { ens ? ens : "", en ? en : "", ea->group, ea->kind };
		line(t, "", i == n - 1, &o);
		doc_seq_push(t->a, children, tree_node(t->a, o.ns, o.name, o.group, o.kind));
	}
	return 0;
}

int cmd_tree(int argc, char **argv)
{
	struct cli_globals g;
	bool compact = false;
	const char *output = "";
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 2];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "compact", 0, FLAG_BOOL, &compact, "list Flux resources only.", "false" };
	flags[nf++] = (struct cli_flag){ "output", 'o', FLAG_STRING, &output,
					 "the format in which the tree should be printed. can be 'json' or 'yaml'", NULL };
	const char *args[4];
	size_t nargs;
	static const struct cli_usage u = {
		"tide tree kustomization|artifact generator [name] [flags]",
		"The tree command prints the resource inventory of a Kustomization.",
		"  # Print the resources managed by the root Kustomization\n"
		"  tide tree kustomization flux-system\n\n"
		"  # Print the Flux resources managed by the root Kustomization\n"
		"  tide tree kustomization flux-system --compact\n\n"
		"  # Print the tree as JSON (or YAML with -o yaml)\n"
		"  tide tree kustomization flux-system -o json\n\n"
		"  # Print the ExternalArtifacts managed by an ArtifactGenerator\n"
		"  tide tree artifact generator my-generator",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 4, &nargs, &g.help, &u))
		return code;
	bool generator = nargs >= 2 && (!strcmp(args[0], "artifact") || !strcmp(args[0], "artifacts")) &&
			 cli_word_names(args[1], "ArtifactGenerator");
	if (generator) {
		if (nargs != 3)
			return cli_fail(nargs < 3 ? "generator name is required" : "tree: too many arguments");
		if (compact)
			return cli_fail("unknown flag: --compact");
		struct tree_ctx t = { .a = arena_new(), .out = BUF_INIT };
		struct doc_node *tree = NULL;
		int rc = cli_connect(&t.c, &g);
		if (!rc)
			rc = tree_generator(&t, cli_namespace(&g), args[2], &tree);
		if (!rc && (!strcmp(output, "json") || !strcmp(output, "yaml"))) {
			t.out.len = 0;
			if (!strcmp(output, "json"))
				doc_emit_json(&t.out, tree, 2);
			else
				doc_emit_yaml(&t.out, tree, DOC_EMIT_SORT_KEYS);
			buf_addch(&t.out, '\n');
		}
		if (!rc)
			fwrite(t.out.ptr, 1, t.out.len, stdout);
		buf_release(&t.out);
		kube_client_free(t.c);
		arena_free(t.a);
		return rc ? cli_fail("%s", err_msg()) : 0;
	}
	if (nargs == 0 || !cli_word_names(args[0], "Kustomization"))
		return cli_fail("tree: a kind is required: `tide tree kustomization NAME` or `tide tree artifact generator NAME`");
	if (nargs < 2)
		return cli_fail("kustomization name is required");
	if (nargs > 2)
		return cli_fail("tree: too many arguments");
	bool json = !strcmp(output, "json"), yaml = !strcmp(output, "yaml");
	const struct cli_kind *ks_kind = cli_kind_by_name("Kustomization");
	struct tree_ctx t = { .a = arena_new(), .compact = compact, .out = BUF_INIT };
	const char *ns = cli_namespace(&g);
	struct doc_node *root;
	int rc = cli_connect(&t.c, &g);
	if (!rc)
		rc = kube_mapper_find(&t.ks, t.c, ks_kind->api_version, ks_kind->kind);
	if (!rc)
		rc = kube_get(&root, t.c, t.a, t.ks, ns, args[1], NULL);
	struct doc_node *tree = tree_node(t.a, ns, args[1], ks_kind->group, ks_kind->kind);
	if (!rc) {
		buf_addf(&t.out, "Kustomization/%s/%s\n", ns, args[1]);
		rc = walk(&t, root, "", tree);
	}
	if (!rc && (json || yaml)) {
		/* flux prints with Println: JSON gets a newline, YAML (already ending in one) an empty line */
		t.out.len = 0;
		if (json)
			doc_emit_json(&t.out, tree, 2);
		else
			doc_emit_yaml(&t.out, tree, DOC_EMIT_SORT_KEYS);
		buf_addch(&t.out, '\n');
	}
	if (!rc)
		fwrite(t.out.ptr, 1, t.out.len, stdout);
	buf_release(&t.out);
	kube_client_free(t.c);
	arena_free(t.a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}
