/*
 * configMapGenerator and secretGenerator: ConfigMaps and Secrets from literals
 * ("key=value"), env files and files ("path" or "key=path"), with kustomize's
 * generatorOptions (labels, annotations, disableNameSuffixHash, immutable) and merge
 * behaviors. Keys come out sorted (kustomize builds these objects from Go maps); Secret
 * values are base64, wrapped at 70 characters as kustomize wraps them; ConfigMap values
 * that are not UTF-8 go to binaryData.
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"

#include "util/banned.h"

struct kv {
	const char *key;
	const char *val;
	size_t len;
};

struct kvlist {
	struct kv *v;
	size_t len, cap;
};

static int kv_add(struct arena *a, struct kvlist *l, const char *kind, const char *name,
		  const char *key, const char *val, size_t len)
{
	for (size_t i = 0; i < l->len; i++)
		if (!strcmp(l->v[i].key, key))
			return err_set(ERR_INVALID, "%s %s illegally repeats the key `%s`", kind, name, key);
	if (l->len == l->cap)
		l->v = arena_grow(a, l->v, &l->cap, l->len + 1, sizeof(*l->v));
	l->v[l->len].key = key;
	l->v[l->len].val = val;
	l->v[l->len].len = len;
	l->len++;
	return 0;
}

static const char *remove_quotes(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	if (n >= 2 && s[0] == s[n - 1] && (s[0] == '"' || s[0] == '\''))
		return arena_strndup(a, s + 1, n - 2);
	return s;
}

static int load_env_file(struct kust_ctx *c, const struct kust_loader *ldr, const char *path,
			 struct kvlist *l, const char *kind, const char *name)
{
	struct buf b = BUF_INIT;
	int rc = kust_load_file(c, ldr, path, &b, NULL);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	char *data = arena_strndup(c->a, b.ptr, b.len);
	buf_release(&b);
	if (!strncmp(data, "\xef\xbb\xbf", 3))
		data += 3;
	char *line = data;
	int lineno = 0;
	while (line && *line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		size_t ll = strlen(line);
		if (ll && line[ll - 1] == '\r')
			line[--ll] = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line && *line != '#') {
			char *eq = strchr(line, '=');
			if (eq) {
				*eq = '\0';
				const char *val = eq + 1;
				if ((rc = kv_add(c->a, l, kind, name, line, val, strlen(val))))
					return rc;
			} else {
				/* no '=': the value comes from the environment, "" when unset
				 * (kustomize's kv.go parseLineEntry takes os.Getenv as it is) */
				const char *v = getenv(line);
				if (!v)
					v = "";
				if ((rc = kv_add(c->a, l, kind, name, line, arena_strdup(c->a, v), strlen(v))))
					return rc;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Standard base64; with wrap, values longer than 70 characters are cut into 70-character
 * lines, each ending in a newline (kustomize's encodeBase64). */
static char *base64(struct arena *a, const unsigned char *s, size_t n, bool wrap)
{
	struct buf b = BUF_INIT;
	base64_encode(&b, s, n);
	char *out;
	if (wrap && b.len > 70) {
		struct buf w = BUF_INIT;
		for (size_t i = 0; i < b.len; i += 70) {
			buf_add(&w, b.ptr + i, b.len - i < 70 ? b.len - i : 70);
			buf_addch(&w, '\n');
		}
		out = arena_strndup(a, w.ptr, w.len);
		buf_release(&w);
	} else {
		out = arena_strndup(a, b.ptr, b.len);
	}
	buf_release(&b);
	return out;
}

static bool valid_utf8(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

static int cmp_kv(const void *x, const void *y)
{
	return strcmp(((const struct kv *)x)->key, ((const struct kv *)y)->key);
}

static struct doc_node *sorted_string_map(struct arena *a, const struct doc_node *m)
{
	struct doc_node *out = doc_new_map(a);
	if (!m || m->kind != DOC_MAP)
		return out;
	for (size_t i = 0; i < m->u.map.len; i++) {
		const char *v = kust_scalar(m->u.map.items[i].value);
		doc_map_set(a, out, m->u.map.items[i].key, kust_str(a, v ? v : ""));
	}
	kust_sort_keys(out);
	return out;
}

static struct doc_node *merge_maps(struct arena *a, const struct doc_node *g, const struct doc_node *l)
{
	struct doc_node *m = doc_new_map(a);
	const struct doc_node *src[2] = { g, l };
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; src[s] && src[s]->kind == DOC_MAP && i < src[s]->u.map.len; i++)
			doc_map_set(a, m, src[s]->u.map.items[i].key, src[s]->u.map.items[i].value);
	return m;
}

static bool opt_bool(const struct doc_node *opts, const char *key)
{
	const struct doc_node *n = doc_map_get(opts, key);
	return n && n->kind == DOC_BOOL && n->u.boolean;
}

static int generate_one(struct kust_ctx *c, const struct kust_loader *ldr, const struct kust_file *k,
			const struct doc_node *args, bool secret, struct kust_acc *acc)
{
	struct arena *a = c->a;
	const char *kind = secret ? "Secret" : "ConfigMap";
	const char *name = kust_scalar(doc_map_get(args, "name"));
	const char *ns = kust_scalar(doc_map_get(args, "namespace"));
	const char *behavior = kust_scalar(doc_map_get(args, "behavior"));
	if (!name)
		name = "";
	struct kvlist kvs = { 0 };
	int rc;

	/* envs (and the legacy env), then literals, then files, as kustomize loads them */
	const struct doc_node *envs = doc_map_get(args, "envs");
	for (size_t i = 0; envs && envs->kind == DOC_SEQ && i < envs->u.seq.len; i++) {
		const char *file = kust_scalar(envs->u.seq.items[i]);
		if (!file)
			return err_set(ERR_INVALID, "%s '%s': envs: expected a list of file names", kind, name);
		if ((rc = load_env_file(c, ldr, file, &kvs, kind, name)))
			return rc;
	}
	const char *env = kust_scalar(doc_map_get(args, "env"));
	if (env && *env && (rc = load_env_file(c, ldr, env, &kvs, kind, name)))
		return rc;
	const struct doc_node *lits = doc_map_get(args, "literals");
	for (size_t i = 0; lits && lits->kind == DOC_SEQ && i < lits->u.seq.len; i++) {
		const char *s = kust_scalar(lits->u.seq.items[i]);
		const char *eq = s ? strchr(s, '=') : NULL;
		if (!eq)
			return err_set(ERR_INVALID, "invalid literal source %s, expected key=value", s ? s : "");
		const char *key = arena_strndup(a, s, (size_t)(eq - s));
		const char *val = remove_quotes(a, eq + 1);
		if ((rc = kv_add(a, &kvs, kind, name, key, val, strlen(val))))
			return rc;
	}
	const struct doc_node *files = doc_map_get(args, "files");
	for (size_t i = 0; files && files->kind == DOC_SEQ && i < files->u.seq.len; i++) {
		const char *s = kust_scalar(files->u.seq.items[i]);
		if (!s)
			continue;
		const char *eq = strchr(s, '=');
		const char *key, *path;
		if (eq) {
			key = arena_strndup(a, s, (size_t)(eq - s));
			path = eq + 1;
			if (!*key)
				return err_set(ERR_INVALID, "key name for file path %s missing", path);
		} else {
			key = base_name(s);
			path = s;
		}
		struct buf b = BUF_INIT;
		if ((rc = kust_load_file(c, ldr, path, &b, NULL))) {
			buf_release(&b);
			return rc;
		}
		const char *val = arena_strndup(a, b.ptr, b.len);
		size_t len = b.len;
		buf_release(&b);
		if ((rc = kv_add(a, &kvs, kind, name, key, val, len)))
			return rc;
	}
	if (kvs.len)
		qsort(kvs.v, kvs.len, sizeof(*kvs.v), cmp_kv);

	/* options: generatorOptions merged under the generator's own */
	const struct doc_node *lo = doc_map_get(args, "options");
	const struct doc_node *go = k->gen_options;
	struct doc_node *labels = merge_maps(a, doc_map_get(go, "labels"), doc_map_get(lo, "labels"));
	struct doc_node *annos = merge_maps(a, doc_map_get(go, "annotations"), doc_map_get(lo, "annotations"));
	bool nohash = opt_bool(go, "disableNameSuffixHash") || opt_bool(lo, "disableNameSuffixHash");
	bool immutable = opt_bool(go, "immutable") || opt_bool(lo, "immutable");

	struct doc_node *obj = doc_new_map(a);
	doc_map_set(a, obj, "apiVersion", kust_str(a, "v1"));
	struct doc_node *data = doc_new_map(a), *bin = doc_new_map(a);
	for (size_t i = 0; i < kvs.len; i++) {
		if (secret)
			doc_map_set(a, data, kvs.v[i].key,
				    kust_str(a, base64(a, (const unsigned char *)kvs.v[i].val, kvs.v[i].len, true)));
		else if (valid_utf8(kvs.v[i].val, kvs.v[i].len))
			doc_map_set(a, data, kvs.v[i].key, doc_new_strn(a, kvs.v[i].val, kvs.v[i].len));
		else
			doc_map_set(a, bin, kvs.v[i].key,
				    kust_str(a, base64(a, (const unsigned char *)kvs.v[i].val, kvs.v[i].len, true)));
	}
	if (bin->u.map.len)
		doc_map_set(a, obj, "binaryData", bin);
	/* A Secret always has data, empty or not (kyaml's LoadMapIntoSecretData creates the
	 * field first); a ConfigMap only when it has entries (LoadMapIntoConfigMapData). The
	 * name hash is computed over the object as it is here. */
	if (data->u.map.len || secret)
		doc_map_set(a, obj, "data", data);
	if (immutable)
		doc_map_set(a, obj, "immutable", doc_new_bool(a, true));
	doc_map_set(a, obj, "kind", kust_str(a, kind));
	struct doc_node *md = doc_new_map(a);
	if (annos->u.map.len)
		doc_map_set(a, md, "annotations", sorted_string_map(a, annos));
	if (labels->u.map.len)
		doc_map_set(a, md, "labels", sorted_string_map(a, labels));
	doc_map_set(a, md, "name", kust_str(a, name));
	if (ns && *ns)
		doc_map_set(a, md, "namespace", kust_str(a, ns));
	doc_map_set(a, obj, "metadata", md);
	if (secret) {
		const char *type = kust_scalar(doc_map_get(args, "type"));
		doc_map_set(a, obj, "type", kust_str(a, type && *type ? type : "Opaque"));
	}

	struct kust_res *r = kust_res_new(a, obj);
	r->origin = k->origin ? k->origin : kust_builtin_origin(c, ldr, k->filename, secret ? "SecretGenerator" : "ConfigMapGenerator");
	r->needs_hash = !nohash;
	/* kustomize's types.NewGenerationBehavior: any other word (`add`, a typo) is
	 * BehaviorUnspecified, which the resmap treats as create (no error). */
	if (behavior && !strcmp(behavior, "merge"))
		r->behavior = KUST_BEHAVIOR_MERGE;
	else if (behavior && !strcmp(behavior, "replace"))
		r->behavior = KUST_BEHAVIOR_REPLACE;
	else
		r->behavior = KUST_BEHAVIOR_CREATE;
	return kust_resmap_absorb(a, &acc->rm, r);
}

int kust_run_generators(struct kust_ctx *c, const struct kust_loader *ldr,
			const struct kust_file *k, struct kust_acc *acc)
{
	int rc;
	for (size_t i = 0; k->cm_gen && i < k->cm_gen->u.seq.len; i++)
		if ((rc = generate_one(c, ldr, k, k->cm_gen->u.seq.items[i], false, acc)))
			return rc;
	for (size_t i = 0; k->secret_gen && i < k->secret_gen->u.seq.len; i++)
		if ((rc = generate_one(c, ldr, k, k->secret_gen->u.seq.items[i], true, acc)))
			return rc;
	return 0;
}
