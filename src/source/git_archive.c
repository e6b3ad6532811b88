/* Artifacts packed from Git tree objects without a checkout; see git_archive.h. */
#include "source/git_archive.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "source/git_tree.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct gitwalk {
	git_repository *repo;
	git_odb *odb;
	const struct ignore_rules *ign;
	struct artifact_writer *w;
	struct ignore_rules *load; /* gitsrc_load_ignore: the rules being grown */
	size_t max_ignore;
};

static int open_tree(const char *cache_dir, const char *commit, struct gitwalk *g, git_tree **out)
{
	int rc = gitsrc_open_tree(&g->repo, out, cache_dir, commit);
	if (rc)
		return rc;
	if (git_repository_odb(&g->odb, g->repo) != 0)
		return err_set(ERR_GENERIC, "cache '%s': %s", cache_dir, git_error_last()->message);
	return 0;
}

static void close_walk(struct gitwalk *g)
{
	git_odb_free(g->odb);
	git_repository_free(g->repo);
}

/* A tree's entries in byte order of their names: Git sorts a directory "a" as "a/", after
 * "a.txt", but the artifact lists entries as a directory walk sorted with strcmp does. */
static int cmp_entries(const void *x, const void *y)
{
	return strcmp(git_tree_entry_name(*(const git_tree_entry *const *)x),
		      git_tree_entry_name(*(const git_tree_entry *const *)y));
}

static const git_tree_entry **sorted_entries(const git_tree *t, size_t *n)
{
	*n = git_tree_entrycount(t);
	const git_tree_entry **v = xcalloc(*n ? *n : 1, sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		v[i] = git_tree_entry_byindex(t, i);
	qsort(v, *n, sizeof(*v), cmp_entries);
	return v;
}

/* Names a checkout refuses: they could climb out of the root or into .git. */
static int unsafe_name(const char *name)
{
	return !*name || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/') ||
	       !strcasecmp(name, ".git");
}

static int read_blob(struct gitwalk *g, const git_oid *id, const char *rel, git_odb_object **out)
{
	if (git_odb_read(out, g->odb, id) != 0)
		return err_set(ERR_GENERIC, "read '%s': %s", rel, git_error_last()->message);
	return 0;
}

static int load_dir(struct gitwalk *g, const git_tree *t, const char *prefix)
{
	size_t n;
	const git_tree_entry **v = sorted_entries(t, &n);
	int rc = 0;
	const git_tree_entry *si = git_tree_entry_byname(t, ".sourceignore");
	if (si && (git_tree_entry_filemode(si) == GIT_FILEMODE_BLOB ||
		   git_tree_entry_filemode(si) == GIT_FILEMODE_BLOB_EXECUTABLE)) {
		char *rel = *prefix ? xasprintf("%s/.sourceignore", prefix) : xstrdup(".sourceignore");
		size_t size = 0;
		git_object_t type;
		git_odb_object *o = NULL;
		if (git_odb_read_header(&size, &type, g->odb, git_tree_entry_id(si)) != 0)
			rc = err_set(ERR_GENERIC, "read '%s': %s", rel, git_error_last()->message);
		else if (size > g->max_ignore)
			rc = err_set(ERR_TOOBIG, "'%s': larger than %zu bytes", rel, g->max_ignore);
		else if ((rc = read_blob(g, git_tree_entry_id(si), rel, &o)) == 0)
			rc = ignore_add(g->load, prefix, git_odb_object_data(o), git_odb_object_size(o));
		git_odb_object_free(o);
		free(rel);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = git_tree_entry_name(v[i]);
		if (git_tree_entry_filemode(v[i]) != GIT_FILEMODE_TREE || unsafe_name(name))
			continue;
		char *rel = *prefix ? xasprintf("%s/%s", prefix, name) : xstrdup(name);
		git_tree *sub = NULL;
		if (!ignore_match(g->load, rel, 1)) {
			if (git_tree_lookup(&sub, g->repo, git_tree_entry_id(v[i])) != 0)
				rc = err_set(ERR_GENERIC, "tree '%s': %s", rel, git_error_last()->message);
			else
				rc = load_dir(g, sub, rel);
		}
		git_tree_free(sub);
		free(rel);
	}
	free(v);
	return rc;
}

int gitsrc_load_ignore(const char *cache_dir, const char *commit, struct ignore_rules *ign,
			   size_t max_bytes)
{
	struct gitwalk g = {.load = ign, .max_ignore = max_bytes};
	git_tree *t = NULL;
	int rc = open_tree(cache_dir, commit, &g, &t);
	if (rc == 0)
		rc = load_dir(&g, t, "");
	git_tree_free(t);
	close_walk(&g);
	return rc;
}

static int add_blob(struct gitwalk *g, const git_tree_entry *e, const char *rel)
{
	size_t size = 0;
	git_object_t type;
	if (git_odb_read_header(&size, &type, g->odb, git_tree_entry_id(e)) != 0)
		return err_set(ERR_GENERIC, "read '%s': %s", rel, git_error_last()->message);
	/* the caps are checked before the blob is inflated */
	int rc = artifact_writer_file(g->w, rel,
				      git_tree_entry_filemode(e) == GIT_FILEMODE_BLOB_EXECUTABLE,
				      (uint64_t)size);
	if (rc)
		return rc;
	git_odb_object *o = NULL;
	if ((rc = read_blob(g, git_tree_entry_id(e), rel, &o)) == 0) {
		if (git_odb_object_size(o) != size)
			rc = err_set(ERR_GENERIC, "read '%s': size changed", rel);
		else
			rc = artifact_writer_data(g->w, git_odb_object_data(o), size);
	}
	git_odb_object_free(o);
	return rc;
}

static int archive_dir(struct gitwalk *g, const git_tree *t, const char *prefix)
{
	size_t n;
	const git_tree_entry **v = sorted_entries(t, &n);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = git_tree_entry_name(v[i]);
		git_filemode_t mode = git_tree_entry_filemode(v[i]);
		char *rel = *prefix ? xasprintf("%s/%s", prefix, name) : xstrdup(name);
		if (unsafe_name(name)) {
			rc = err_set(ERR_INVALID, "invalid path '%s' in tree", rel);
		} else if (mode == GIT_FILEMODE_TREE || mode == GIT_FILEMODE_COMMIT) {
			if (!g->ign || !ignore_match(g->ign, rel, 1)) {
				rc = artifact_writer_dir(g->w, rel);
				git_tree *sub = NULL;
				if (rc == 0 && mode == GIT_FILEMODE_TREE) {
					if (git_tree_lookup(&sub, g->repo, git_tree_entry_id(v[i])) != 0)
						rc = err_set(ERR_GENERIC, "tree '%s': %s", rel,
							     git_error_last()->message);
					else
						rc = archive_dir(g, sub, rel);
				}
				git_tree_free(sub);
			}
		} else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
			if (!g->ign || !ignore_match(g->ign, rel, 0))
				rc = add_blob(g, v[i], rel);
		}
		/* symlinks: skipped, as Flux does */
		free(rel);
	}
	free(v);
	return rc;
}

int gitsrc_archive(const char *cache_dir, const char *commit, const struct ignore_rules *ign,
		       const struct artifact_limits *lim, const char *out_path,
		       struct artifact_info *info)
{
	struct gitwalk g = {.ign = ign};
	git_tree *t = NULL;
	int rc = open_tree(cache_dir, commit, &g, &t);
	if (rc == 0)
		rc = artifact_writer_open(&g.w, out_path, lim);
	if (rc == 0) {
		rc = archive_dir(&g, t, "");
		if (rc)
			artifact_writer_abort(g.w);
		else
			rc = artifact_writer_close(g.w, info);
	}
	git_tree_free(t);
	close_walk(&g);
	return rc;
}
