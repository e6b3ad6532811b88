/* Flux's kustomization generator; see fluxgen.h. */
#include "kustomize/fluxgen.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

static const char *const KFILES[] = { "kustomization.yaml", "kustomization.yml", "Kustomization" };
#define MAX_MANIFEST ((size_t)64 << 20)

/* The kustomization file name in dir, or NULL. */
static const char *kfile_in(struct arena *a, const char *dir)
{
	for (size_t i = 0; i < 3; i++) {
		char *p = arena_sprintf(a, "%s/%s", dir, KFILES[i]);
		struct stat st;
		if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			return p;
	}
	return NULL;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static bool has_ext(const char *n)
{
	const char *dot = strrchr(n, '.');
	return dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);
}

/* Walks dir (rel is its path relative to the build dir, "." at the top), adding resources. */
static int scan(struct arena *a, const char *dir, const char *rel, struct doc_node *res, int depth)
{
	if (depth > 64)
		return err_set(ERR_TOOBIG, "'%s': directories nested too deep", rel);
	DIR *d = opendir(dir);
	if (!d)
		return err_set(ERR_NOTFOUND, "'%s': cannot open directory", rel);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names = arena_grow(a, names, &cap, n + 1, sizeof *names);
		names[n++] = arena_strdup(a, e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *p = arena_sprintf(a, "%s/%s", dir, names[i]);
		char *r = arena_sprintf(a, "%s/%s", rel, names[i]);
		struct stat st;
		if (lstat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (kfile_in(a, p)) {
				doc_seq_push(a, res, doc_new_str(a, r));
				continue;
			}
			int rc = scan(a, p, r, res, depth + 1);
			if (rc)
				return rc;
			continue;
		}
		if (!S_ISREG(st.st_mode) || !has_ext(names[i]))
			continue;
		struct buf b = BUF_INIT;
		int rc = fs_read_regular_file(p, MAX_MANIFEST, &b);
		struct doc_stream s = { 0 };
		if (!rc)
			rc = doc_parse_yaml(a, r, b.ptr, b.len, NULL, &s);
		buf_release(&b);
		if (rc)
			return err_wrap(ERR_INVALID, "failed to decode Kubernetes YAML from %s", r);
		doc_seq_push(a, res, doc_new_str(a, r));
	}
	return 0;
}

static struct doc_node *ensure_seq(struct arena *a, struct doc_node *k, const char *key)
{
	struct doc_node *s = doc_map_get(k, key);
	if (!s || s->kind != DOC_SEQ) {
		s = doc_new_seq(a);
		doc_map_set(a, k, key, s);
	}
	return s;
}

int fluxgen_prepare(struct arena *a, const char *dir, const struct doc_node *spec,
		    bool *generated)
{
	*generated = false;
	struct stat st;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return err_set(ERR_NOTFOUND, "kustomization path not found: '%s'", dir);
	const char *kf = kfile_in(a, dir);
	struct doc_node *k;
	if (!kf) {
		k = doc_new_map(a);
		doc_map_set(a, k, "apiVersion", doc_new_str(a, "kustomize.config.k8s.io/v1beta1"));
		doc_map_set(a, k, "kind", doc_new_str(a, "Kustomization"));
		struct doc_node *res = doc_new_seq(a);
		int rc = scan(a, dir, ".", res, 0);
		if (rc)
			return rc;
		doc_map_set(a, k, "resources", res);
		kf = arena_sprintf(a, "%s/kustomization.yaml", dir);
		*generated = true;
	} else {
		struct buf b = BUF_INIT;
		struct doc_stream s = { 0 };
		int rc = fs_read_regular_file(kf, MAX_MANIFEST, &b);
		if (!rc)
			rc = doc_parse_yaml(a, kf, b.ptr, b.len, NULL, &s);
		buf_release(&b);
		if (rc)
			return rc;
		k = s.len ? s.docs[0] : doc_new_map(a);
		if (k->kind != DOC_MAP)
			return err_set(ERR_INVALID, "'%s': not a mapping", kf);
	}
	if (spec) {
		const char *s;
		if ((s = doc_get_str(spec, "targetNamespace")) && *s)
			doc_map_set(a, k, "namespace", doc_new_str(a, s));
		if ((s = doc_get_str(spec, "namePrefix")) && *s)
			doc_map_set(a, k, "namePrefix", doc_new_str(a, s));
		if ((s = doc_get_str(spec, "nameSuffix")) && *s)
			doc_map_set(a, k, "nameSuffix", doc_new_str(a, s));
		const struct doc_node *p = doc_get(spec, "patches");
		for (size_t i = 0; p && p->kind == DOC_SEQ && i < p->u.seq.len; i++)
			doc_seq_push(a, ensure_seq(a, k, "patches"), doc_clone(a, p->u.seq.items[i]));
		const struct doc_node *c = doc_get(spec, "components");
		for (size_t i = 0; c && c->kind == DOC_SEQ && i < c->u.seq.len; i++)
			doc_seq_push(a, ensure_seq(a, k, "components"), doc_clone(a, c->u.seq.items[i]));
		const struct doc_node *im = doc_get(spec, "images");
		for (size_t i = 0; im && im->kind == DOC_SEQ && i < im->u.seq.len; i++) {
			struct doc_node *want = doc_clone(a, im->u.seq.items[i]);
			const char *name = doc_get_str(want, "name");
			struct doc_node *have = ensure_seq(a, k, "images");
			bool replaced = false;
			for (size_t j = 0; name && j < have->u.seq.len; j++) {
				const char *hn = doc_get_str(have->u.seq.items[j], "name");
				if (hn && !strcmp(hn, name)) {
					have->u.seq.items[j] = want;
					replaced = true;
					break;
				}
			}
			if (!replaced)
				doc_seq_push(a, have, want);
		}
	}
	struct buf out = BUF_INIT;
	doc_emit_yaml(&out, k, DOC_EMIT_DEFAULT);
	int rc = fs_write_atomic(kf, out.ptr, out.len, 0644);
	buf_release(&out);
	return rc;
}

void fluxgen_common_metadata(struct arena *a, struct doc_node *obj, const struct doc_node *spec)
{
	static const char *const F[] = { "labels", "annotations" };
	for (size_t f = 0; f < 2; f++) {
		const struct doc_node *src = doc_get(spec, arena_sprintf(a, "commonMetadata.%s", F[f]));
		if (!src || src->kind != DOC_MAP || !src->u.map.len)
			continue;
		struct doc_node *md = doc_get(obj, "metadata");
		if (!md || md->kind != DOC_MAP)
			continue;
		struct doc_node *dst = doc_map_child(a, md, F[f], DOC_MAP);
		for (size_t i = 0; i < src->u.map.len; i++)
			doc_map_set(a, dst, src->u.map.items[i].key, doc_clone(a, src->u.map.items[i].value));
	}
}
