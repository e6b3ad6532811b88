/*
 * Globbing and walking a source's directory (see ag.h), as Go's io/fs does it over the
 * os.Root source-watcher opens on the source: fs.Glob splits the pattern at its last '/',
 * globs the directory part first (recursively) and matches the names of each directory it
 * found with path.Match; doublestar.Glob (the Extract strategy) keeps every path below the
 * root that doublestar's Match accepts; fs.WalkDir visits a tree depth first in name order.
 *
 * Confinement: every path handed to the file system is a valid fs path (no "", "." or ".."
 * component, nothing absolute) below an absolute root, and no symlink is followed (lstat,
 * O_NOFOLLOW): the directories walked here were unpacked by util/untar, which creates none,
 * so a path can only name what lies inside the root.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "controllers/artifactgenerator/ag.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/glob.h"
#include "util/xalloc.h"
#include "util/banned.h"

bool ag_valid_path(const char *p)
{
	if (!strcmp(p, "."))
		return true;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (!end)
			return true;
		p = end + 1;
	}
}

static enum ag_entry type_of(mode_t m)
{
	return S_ISDIR(m) ? AG_ENTRY_DIR : S_ISREG(m) ? AG_ENTRY_FILE : AG_ENTRY_OTHER;
}

int ag_entry_type(const char *root, const char *rel)
{
	char *full = strcmp(rel, ".") ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	struct stat st;
	int t = lstat(full, &st) == 0 ? (int)type_of(st.st_mode) : -1;
	free(full);
	return t;
}

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The names in root/rel, sorted (heap; *n of them). ERR_IO when it cannot be read. */
static int read_dir(const char *root, const char *rel, char ***out, size_t *n)
{
	char *full = strcmp(rel, ".") ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	DIR *d = opendir(full);
	free(full);
	*out = NULL;
	*n = 0;
	if (!d)
		return err_set(ERR_IO, "open %s: cannot read directory", rel);
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof(**out), cmp_names);
	return 0;
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static char *join(const char *dir, const char *name)
{
	return strcmp(dir, ".") ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

struct walk {
	const char *root;
	ag_walk_fn fn;
	void *ud;
	size_t seen;
};

static int walk_dir(struct walk *w, const char *rel)
{
	char **names;
	size_t n;
	int rc = read_dir(w->root, rel, &names, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		if (++w->seen > AG_MAX_FILES) {
			rc = err_set(ERR_TOOBIG, "more than %d entries in the source", AG_MAX_FILES);
			break;
		}
		char *p = join(rel, names[i]);
		int t = ag_entry_type(w->root, p);
		if (t >= 0) {
			rc = w->fn(w->ud, p, (enum ag_entry)t);
			if (rc == AG_WALK_SKIP)
				rc = 0;
			else if (!rc && t == AG_ENTRY_DIR)
				rc = walk_dir(w, p);
		}
		free(p);
	}
	free_names(names, n);
	return rc;
}

int ag_walk(const char *root, const char *start, ag_walk_fn fn, void *ud)
{
	struct walk w = { root, fn, ud, 0 };
	int t = ag_entry_type(root, start);
	if (t < 0)
		return err_set(ERR_NOTFOUND, "lstat %s: no such file or directory", start);
	int rc = fn(ud, start, (enum ag_entry)t);
	if (rc == AG_WALK_SKIP)
		return 0;
	if (rc || t != AG_ENTRY_DIR)
		return rc;
	return walk_dir(&w, start);
}

/* ---- io/fs.Glob ------------------------------------------------------------------------*/

struct matches {
	struct arena *a;
	const char **v;
	size_t n, cap;
};

static int add_match(struct matches *m, const char *p)
{
	if (m->n >= AG_MAX_FILES)
		return err_set(ERR_TOOBIG, "more than %d files match", AG_MAX_FILES);
	m->v = arena_grow(m->a, m->v, &m->cap, m->n + 1, sizeof(*m->v));
	m->v[m->n++] = arena_strdup(m->a, p);
	return 0;
}

/* glob: the names of dir matching pattern (I/O errors ignored, as Go ignores them). */
static int glob_in(struct matches *m, const char *root, const char *dir, const char *pattern)
{
	char **names;
	size_t n;
	if (!ag_valid_path(dir) || ag_entry_type(root, dir) != AG_ENTRY_DIR || read_dir(root, dir, &names, &n)) {
		err_clear();
		return 0;
	}
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		bool ok;
		if ((rc = glob_match(pattern, names[i], &ok)))
			break;
		if (ok) {
			char *p = join(dir, names[i]);
			rc = add_match(m, p);
			free(p);
		}
	}
	free_names(names, n);
	return rc;
}

static int fs_glob(struct matches *m, const char *root, const char *pattern, int depth)
{
	bool ok;
	if (depth > 10000)
		return err_set(ERR_INVALID, "syntax error in pattern");
	int rc = glob_match(pattern, "", &ok);
	if (rc)
		return rc;
	if (!glob_has_meta(pattern)) {
		if (ag_valid_path(pattern) && ag_entry_type(root, pattern) >= 0)
			return add_match(m, pattern);
		return 0;
	}
	const char *slash = strrchr(pattern, '/');
	const char *file = slash ? slash + 1 : pattern;
	const char *dir = slash ? arena_strndup(m->a, pattern, (size_t)(slash - pattern)) : ".";
	if (!glob_has_meta(dir))
		return glob_in(m, root, dir, file);
	struct matches dirs = { m->a, NULL, 0, 0 };
	if ((rc = fs_glob(&dirs, root, dir, depth + 1)))
		return rc;
	for (size_t i = 0; !rc && i < dirs.n; i++)
		rc = glob_in(m, root, dirs.v[i], file);
	return rc;
}

int ag_fs_glob(struct arena *a, const char *root, const char *pattern, const char ***out, size_t *n)
{
	struct matches m = { a, NULL, 0, 0 };
	int rc = fs_glob(&m, root, pattern, 0);
	*out = m.v;
	*n = m.n;
	return rc;
}

/* ---- doublestar.Glob -------------------------------------------------------------------*/

struct ds_walk {
	struct matches *m;
	const char *pattern;
};

static int ds_visit(void *ud, const char *path, enum ag_entry type)
{
	(void)type;
	struct ds_walk *w = ud;
	bool ok;
	if (!strcmp(path, "."))
		return 0;
	int rc = glob_ds_match(w->pattern, path, false, &ok);
	if (rc)
		return rc;
	return ok ? add_match(w->m, path) : 0;
}

int ag_ds_glob(struct arena *a, const char *root, const char *pattern, const char ***out, size_t *n)
{
	struct matches m = { a, NULL, 0, 0 };
	*out = NULL;
	*n = 0;
	if (!glob_ds_valid(pattern))
		return err_set(ERR_INVALID, "syntax error in pattern");
	struct ds_walk w = { &m, pattern };
	int rc = ag_walk(root, ".", ds_visit, &w);
	*out = m.v;
	*n = m.n;
	return rc;
}
