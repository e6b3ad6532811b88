/*
 * Kustomization files: finding the one file of a directory (kustomization.yaml,
 * kustomization.yml or Kustomization), parsing it strictly (an unknown field is an error,
 * as kustomize's strict unmarshal makes it), and folding legacy fields into current ones
 * (bases into resources, imageTags into images).
 */
#include <string.h>
#include <strings.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#include "util/banned.h"

static const char *const kust_filenames[] = { "kustomization.yaml", "kustomization.yml",
					       "Kustomization" };

static const char *const known_fields[] = {
	"apiVersion", "kind", "metadata", "openapi", "namePrefix", "nameSuffix", "namespace",
	"commonLabels", "labels", "commonAnnotations", "patchesStrategicMerge", "patchesJson6902",
	"patches", "images", "imageTags", "replacements", "replicas", "vars", "sortOptions",
	"resources", "components", "crds", "bases", "configMapGenerator", "secretGenerator",
	"helmGlobals", "helmCharts", "helmChartInflationGenerator", "generatorOptions",
	"configurations", "generators", "transformers", "validators", "buildMetadata",
};

#define KUST_V1BETA1 "kustomize.config.k8s.io/v1beta1"
#define KUST_V1ALPHA1 "kustomize.config.k8s.io/v1alpha1"

static struct doc_node *field(const struct doc_node *root, const char *key, int kind)
{
	struct doc_node *n = doc_map_get(root, key);
	if (!n || n->kind == DOC_NULL)
		return NULL;
	if (kind != DOC_NULL && n->kind != kind)
		return NULL;
	return n;
}

/* A new sequence of x's items then y's (x may be NULL): a deprecated field (bases,
 * imageTags) appended to the one that replaced it, as kustomize's FixKustomization does. */
static struct doc_node *concat(struct arena *a, const struct doc_node *x, const struct doc_node *y)
{
	struct doc_node *all = doc_new_seq(a);
	for (size_t i = 0; x && i < x->u.seq.len; i++)
		doc_seq_push(a, all, x->u.seq.items[i]);
	for (size_t i = 0; i < y->u.seq.len; i++)
		doc_seq_push(a, all, y->u.seq.items[i]);
	return all;
}

static int want_kind(const struct doc_node *root, const char *key, int kind)
{
	const struct doc_node *n = doc_map_get(root, key);
	if (!n || n->kind == DOC_NULL || n->kind == kind)
		return 0;
	if (kind == DOC_STR && (n->kind == DOC_INT || n->kind == DOC_FLOAT || n->kind == DOC_BOOL))
		return 0;
	return err_set(ERR_INVALID, "invalid Kustomization: json: cannot unmarshal %s into Go struct field Kustomization.%s of type %s",
		       doc_kind_name(n->kind), key,
		       kind == DOC_SEQ ? "[]" : kind == DOC_MAP ? "map" : "string");
}

int kust_file_parse(struct arena *a, const char *name, const char *data, size_t len,
		    struct kust_file *out)
{
	memset(out, 0, sizeof(*out));
	struct doc_stream st = { 0 };
	/* kustomize reads kustomization files through sigs.k8s.io/yaml: a repeated key is not
	 * an error, the later value wins. */
	struct doc_limits lim = { .duplicate_keys_last_wins = true };
	int rc = doc_parse_yaml(a, name, data, len, &lim, &st);
	if (rc)
		return rc;
	struct doc_node *root = st.len ? st.docs[0] : NULL;
	if (st.len > 1)
		return err_set(ERR_INVALID, "'%s': a kustomization must be a single document", name);
	if (!root || root->kind == DOC_NULL)
		root = doc_new_map(a);
	if (root->kind != DOC_MAP)
		return err_set(ERR_INVALID, "'%s': a kustomization must be a mapping", name);
	/* Go's encoding/json (behind kustomize's strict unmarshal) matches field names
	 * case-insensitively: keys are canonicalised to the known spelling. */
	for (size_t i = 0; i < root->u.map.len; i++) {
		const char *k = root->u.map.items[i].key;
		bool ok = false;
		for (size_t j = 0; j < sizeof(known_fields) / sizeof(known_fields[0]); j++) {
			if (!strcasecmp(known_fields[j], k)) {
				root->u.map.items[i].key = known_fields[j];
				root->u.map.items[i].keylen = strlen(known_fields[j]);
				ok = true;
			}
		}
		if (!ok)
			return err_set(ERR_INVALID, "invalid Kustomization: json: unknown field \"%s\"", k);
	}
	static const struct {
		const char *key;
		int kind;
	} types[] = {
		{ "namePrefix", DOC_STR }, { "nameSuffix", DOC_STR }, { "namespace", DOC_STR },
		{ "commonLabels", DOC_MAP }, { "commonAnnotations", DOC_MAP }, { "labels", DOC_SEQ },
		{ "resources", DOC_SEQ }, { "bases", DOC_SEQ }, { "components", DOC_SEQ },
		{ "patches", DOC_SEQ }, { "patchesStrategicMerge", DOC_SEQ },
		{ "patchesJson6902", DOC_SEQ }, { "images", DOC_SEQ }, { "replicas", DOC_SEQ },
		{ "configMapGenerator", DOC_SEQ }, { "secretGenerator", DOC_SEQ },
		{ "vars", DOC_SEQ }, { "replacements", DOC_SEQ }, { "configurations", DOC_SEQ },
		{ "crds", DOC_SEQ }, { "transformers", DOC_SEQ }, { "generators", DOC_SEQ },
		{ "validators", DOC_SEQ }, { "generatorOptions", DOC_MAP }, { "sortOptions", DOC_MAP },
	};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if ((rc = want_kind(root, types[i].key, types[i].kind)))
			return rc;
	/* kustomize's CheckEmpty (api/types/kustomization.go), after FixKustomization: a
	 * kustomization with nothing but apiVersion and kind is an error. A field that is null,
	 * or an empty string, is the Go zero value and so unset; an empty list is not. */
	bool empty = true;
	for (size_t i = 0; empty && i < root->u.map.len; i++) {
		const char *k = root->u.map.items[i].key;
		const struct doc_node *v = root->u.map.items[i].value;
		if (!strcmp(k, "apiVersion") || !strcmp(k, "kind"))
			continue;
		if (!(v->kind == DOC_NULL || (v->kind == DOC_STR && !v->u.str.len)))
			empty = false;
	}
	if (empty)
		return err_set(ERR_INVALID, "kustomization.yaml is empty");

	out->root = root;
	const char *kind = kust_scalar(doc_map_get(root, "kind"));
	const char *av = kust_scalar(doc_map_get(root, "apiVersion"));
	if (!kind || !*kind)
		kind = "Kustomization";
	if (strcmp(kind, "Kustomization") && strcmp(kind, "Component"))
		return err_set(ERR_INVALID, "kind should be Kustomization or Component");
	if (!strcmp(kind, "Component") && av && *av && strcmp(av, KUST_V1ALPHA1))
		return err_set(ERR_INVALID, "apiVersion for Component should be %s", KUST_V1ALPHA1);
	if (!strcmp(kind, "Kustomization") && av && *av && strcmp(av, KUST_V1BETA1) &&
	    strcmp(av, "v1beta1"))
		return err_set(ERR_INVALID, "apiVersion for Kustomization should be %s", KUST_V1BETA1);
	out->kind = kind;
	out->name_prefix = kust_scalar(doc_map_get(root, "namePrefix"));
	out->name_suffix = kust_scalar(doc_map_get(root, "nameSuffix"));
	out->ns = kust_scalar(doc_map_get(root, "namespace"));

	/* resources = resources + bases (legacy) */
	struct doc_node *res = field(root, "resources", DOC_SEQ);
	struct doc_node *bases = field(root, "bases", DOC_SEQ);
	if (bases)
		res = concat(a, res, bases);
	out->resources = res;
	out->components = field(root, "components", DOC_SEQ);
	out->crds = field(root, "crds", DOC_SEQ);
	out->configurations = field(root, "configurations", DOC_SEQ);
	out->common_labels = field(root, "commonLabels", DOC_MAP);
	out->labels = field(root, "labels", DOC_SEQ);
	out->common_annotations = field(root, "commonAnnotations", DOC_MAP);
	out->patches = field(root, "patches", DOC_SEQ);
	out->patches_sm = field(root, "patchesStrategicMerge", DOC_SEQ);
	out->patches_json = field(root, "patchesJson6902", DOC_SEQ);
	out->images = field(root, "images", DOC_SEQ);
	struct doc_node *tags = field(root, "imageTags", DOC_SEQ);
	if (tags)
		out->images = concat(a, out->images, tags);
	out->replicas = field(root, "replicas", DOC_SEQ);
	out->replacements = field(root, "replacements", DOC_SEQ);
	out->vars = field(root, "vars", DOC_SEQ);
	out->cm_gen = field(root, "configMapGenerator", DOC_SEQ);
	out->secret_gen = field(root, "secretGenerator", DOC_SEQ);
	out->gen_options = field(root, "generatorOptions", DOC_MAP);
	out->generators = field(root, "generators", DOC_SEQ);
	out->transformers = field(root, "transformers", DOC_SEQ);
	out->validators = field(root, "validators", DOC_SEQ);
	out->sort_options = field(root, "sortOptions", DOC_MAP);
	out->build_metadata = field(root, "buildMetadata", DOC_SEQ);
	out->openapi = field(root, "openapi", DOC_MAP);
	return 0;
}

int kust_file_load(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_file *out)
{
	int found = 0;
	struct buf data = BUF_INIT;
	const char *fname = NULL;
	for (size_t i = 0; i < sizeof(kust_filenames) / sizeof(kust_filenames[0]); i++) {
		struct buf b = BUF_INIT;
		const char *abs = arena_sprintf(c->a, "%s/%s", ldr->root, kust_filenames[i]);
		int lrc = kust_load_file(c, ldr, abs, &b, NULL);
		if (lrc == ERR_INVALID || lrc == ERR_TOOBIG) {
			/* A kustomization that is there but not a regular file (a FIFO) or too big is
			 * refused as such, not reported as missing. */
			buf_release(&b);
			buf_release(&data);
			return lrc;
		}
		if (lrc == 0) {
			found++;
			if (found == 1) {
				buf_release(&data);
				data = b;
				fname = kust_filenames[i];
				continue;
			}
		}
		buf_release(&b);
	}
	err_clear();
	if (found == 0) {
		buf_release(&data);
		return err_set(ERR_NOTFOUND,
			       "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '%s'",
			       ldr->root);
	}
	if (found > 1) {
		buf_release(&data);
		return err_set(ERR_INVALID, "Found multiple kustomization files under: %s", ldr->root);
	}
	const char *name = arena_sprintf(c->a, "%s/%s", ldr->root, fname);
	int rc = kust_file_parse(c->a, name, data.ptr, data.len, out);
	buf_release(&data);
	if (rc)
		return rc;
	out->filename = fname;
	return 0;
}
