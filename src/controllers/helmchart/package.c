/*
 * valuesFiles and packaging for the HelmChart builders (see package.h). The merge follows
 * Flux's two readers: a source artifact's files (mergeFileValues, paths under the unpacked
 * artifact, confined) or a downloaded chart's own files (mergeChartValues); both merge as
 * fluxcd/pkg's transform.MergeMaps does, which is helm's loader.MergeMaps
 * (helm_values_merge). Packaging is helm's chartutil.Save: src/helm/save.c says what the
 * entries are, this file writes them with the artifact writer.
 */
#include "controllers/helmchart/package.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helm/chart.h"
#include "helm/save.h"
#include "helm/values.h"
#include "source/artifact.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

static void found_push(struct arena *a, struct helmchart_values *out, size_t cap, const char *p)
{
	if (!out->found)
		out->found = arena_alloc(a, (cap + 1) * sizeof *out->found);
	out->found[out->nfound++] = arena_strdup(a, p);
}

/* One values file's text read as Flux reads it (sigs.k8s.io/yaml.Unmarshal into a map),
 * merged over out->merged. */
static int merge_text(struct arena *a, struct helmchart_values *out, const char *ref,
		      const char *data, size_t len)
{
	struct tv *v;
	int rc = helm_values_read_first(a, ref, data, len, &v);
	if (rc)
		return err_set(rc, "unmarshaling values from '%s' failed: %s", ref, err_msg());
	helm_values_merge(a, out->merged, v);
	return 0;
}

/* securejoin's reading of a spec path: relative to the root even with a leading '/'. */
static int join_in_root(const char *root, const char *p, char **full)
{
	while (*p == '/')
		p++;
	int rc = fs_join_confined(full, root, p);
	if (rc)
		return err_set(rc, "invalid values file path: %s", err_msg());
	return 0;
}

int helmchart_values_merge_dir(struct arena *a, const char *source_root, const char *const *paths,
			       size_t n, bool ignore_missing, struct helmchart_values *out)
{
	*out = (struct helmchart_values){ 0 };
	if (!n)
		return 0;
	out->merged = tv_map_new(a);
	size_t rl = strlen(source_root);
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		const char *p = paths[i];
		char *full = NULL, *real = NULL;
		struct buf data = BUF_INIT;
		struct stat st;
		if ((rc = join_in_root(source_root, p, &full)))
			goto next;
		/* what Flux prints: the joined path with the root trimmed ("/x.yaml") */
		const char *shown = full + rl;
		rc = fs_resolve_in_root(&real, source_root, full);
		if (rc == ERR_ESCAPE) {
			rc = err_set(rc, "invalid values file path '%s': it resolves outside the "
					 "source's root", p);
			goto next;
		}
		/* os.Stat's error: only ENOENT (os.IsNotExist) may be ignored; any other (a file
		 * where a directory should be, no permission) is "no values file found" too */
		bool missing = rc == ERR_NOTFOUND, unreadable = rc && !missing;
		rc = 0;
		if (missing && ignore_missing)
			goto next;
		if (missing || unreadable || stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
			rc = err_set(ERR_NOTFOUND, "no values file found at path '%s' (reference '%s')",
				     shown, p);
			goto next;
		}
		if ((rc = fs_read_regular_file(real, HELMCHART_VALUES_FILE_MAX, &data))) {
			rc = err_set(rc, "could not read values from file '%s': %s", p, err_msg());
			goto next;
		}
		if (!(rc = merge_text(a, out, p, data.ptr, data.len)))
			found_push(a, out, n, p);
next:
		buf_release(&data);
		free(real);
		free(full);
	}
	return rc;
}

/* Go's path.Clean (filepath.Clean on Linux): "" is ".", "a//b/./c/.." is "a/b", a leading
 * ".." of a relative path stays, one above "/" goes. */
static const char *go_clean(struct arena *a, const char *p)
{
	bool rooted = p[0] == '/';
	size_t n = strlen(p);
	char *out = arena_alloc(a, n + 2);
	size_t w = 0, dotdot = 0; /* out[0..dotdot) cannot be backtracked over */
	if (rooted)
		out[w++] = '/', dotdot = 1;
	for (size_t r = 0; r < n;) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				w--;
				while (w > dotdot && out[w] != '/')
					w--;
			} else if (!rooted) {
				if (w > 0)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				dotdot = w;
			}
		} else {
			if ((rooted && w != 1) || (!rooted && w != 0))
				out[w++] = '/';
			for (; r < n && p[r] != '/'; r++)
				out[w++] = p[r];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

int helmchart_values_merge_chart(struct arena *a, const struct helm_chart *c,
				 const char *const *paths, size_t n, bool ignore_missing,
				 struct helmchart_values *out)
{
	*out = (struct helmchart_values){ 0 };
	if (!n)
		return 0;
	out->merged = tv_map_new(a);
	for (size_t i = 0; i < n; i++) {
		const char *p = paths[i], *name = go_clean(a, p);
		if (!strcmp(name, "values.yaml")) {
			if (c->values)
				helm_values_merge(a, out->merged, c->values);
			found_push(a, out, n, p);
			continue;
		}
		const struct helm_file *f = NULL;
		for (size_t k = 0; k < c->nfiles && !f; k++)
			if (!strcmp(c->files[k].name, name))
				f = &c->files[k];
		if (!f) {
			if (ignore_missing)
				continue;
			return err_set(ERR_NOTFOUND, "no values file found at path '%s'", p);
		}
		int rc = merge_text(a, out, p, f->data, f->len);
		if (rc)
			return rc;
		found_push(a, out, n, p);
	}
	return 0;
}

int helmchart_values_overwrite(struct arena *a, struct helm_chart *c, struct helmchart_values *v)
{
	v->changed = false;
	if (!v->merged)
		return 0;
	struct buf b = BUF_INIT;
	int rc = v->merged->u.map.len ? helm_values_marshal(a, v->merged, &b) : 0;
	if (!rc && !c->values_file)
		rc = err_set(ERR_NOTFOUND, "failed to locate values file: values.yaml");
	/* an empty merge is never "equal": Flux compares a nil buffer with the file's bytes */
	if (!rc && v->merged->u.map.len && c->values_file->len == b.len &&
	    !memcmp(c->values_file->data, b.ptr, b.len)) {
		buf_release(&b);
		return 0;
	}
	if (!rc) {
		struct helm_file *f = arena_alloc(a, sizeof *f);
		f->name = c->values_file->name;
		f->data = arena_strndup(a, b.ptr, b.len);
		f->len = b.len;
		c->values_file = f;
		c->values = v->merged;
		v->changed = true;
	}
	buf_release(&b);
	return rc;
}

int helmchart_values_from_dir(struct arena *a, struct helm_chart *c, const char *source_root,
			      const char *const *paths, size_t n, bool ignore_missing,
			      struct helmchart_values *out)
{
	int rc = helmchart_values_merge_dir(a, source_root, paths, n, ignore_missing, out);
	return rc ? rc : helmchart_values_overwrite(a, c, out);
}

int helmchart_values_from_chart(struct arena *a, struct helm_chart *c, const char *const *paths,
				size_t n, bool ignore_missing, struct helmchart_values *out)
{
	int rc = helmchart_values_merge_chart(a, c, paths, n, ignore_missing, out);
	return rc ? rc : helmchart_values_overwrite(a, c, out);
}

/* ---- Packaging ------------------------------------------------------------------------- */

int helmchart_package(struct arena *a, const struct helm_chart *c, const char *out_path,
		      const struct artifact_limits *lim, struct artifact_info *info)
{
	struct helm_saved_file *files;
	size_t n;
	int rc = helm_chart_save_entries(a, c, &files, &n);
	if (rc)
		return err_set(rc, "failed to package chart: %s", err_msg());
	struct artifact_writer *w;
	if ((rc = artifact_writer_open(&w, out_path, lim)))
		return err_set(rc, "failed to write chart to file: %s", err_msg());
	for (size_t i = 0; i < n && !rc; i++) {
		rc = artifact_writer_file(w, files[i].name, 0, files[i].len);
		if (!rc)
			rc = artifact_writer_data(w, files[i].data, files[i].len);
	}
	if (rc) {
		artifact_writer_abort(w);
		return err_set(rc, "failed to package chart: %s", err_msg());
	}
	if ((rc = artifact_writer_close(w, info)))
		return err_set(rc, "failed to write chart to file: %s", err_msg());
	return 0;
}
