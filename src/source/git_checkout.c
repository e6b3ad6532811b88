/* Checkouts with a sparse filter and submodules (git.h's gitsrc_checkout_with). Kept out
 * of git.c, which holds the transport side. */
#include "source/git.h"

#include <errno.h>
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/git_tree.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* go-git's DefaultSubmoduleRecursionDepth, which Flux uses. */
#define SUBMODULE_DEPTH 10

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_lib(void)
{
	git_libgit2_init();
}

/* ---- Sparse filter ------------------------------------------------------------------------*/

/* The directory of a sparse entry: a leading "./" and trailing '/'s dropped (Flux trims the
 * "./" before handing the list to go-git). Heap string. */
static char *sparse_dir(const char *p)
{
	if (!strncmp(p, "./", 2))
		p += 2;
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	return xasprintf("%.*s", (int)n, p);
}

/* Is path the directory d or under it? */
static int under(const char *path, const char *d)
{
	size_t dl = strlen(d);
	return !strncmp(path, d, dl) && (path[dl] == '\0' || path[dl] == '/');
}

static int sparse_keep(const struct gitsrc_checkout_spec *s, const char *path)
{
	if (!s || !s->nsparse)
		return 1;
	int keep = 0;
	for (size_t i = 0; i < s->nsparse && !keep; i++) {
		char *d = sparse_dir(s->sparse[i]);
		keep = under(path, d);
		free(d);
	}
	return keep;
}

/* Could the directory dir hold a kept path (it is one of the directories, under one, or
 * above one)? */
static int sparse_descend(const struct gitsrc_checkout_spec *s, const char *dir)
{
	if (!s || !s->nsparse)
		return 1;
	int keep = 0;
	for (size_t i = 0; i < s->nsparse && !keep; i++) {
		char *d = sparse_dir(s->sparse[i]);
		keep = under(dir, d) || under(d, dir);
		free(d);
	}
	return keep;
}

struct walk {
	const struct gitsrc_checkout_spec *spec;
	char **paths; /* files kept (sparse) */
	size_t n, cap;
	struct gitlink {
		char *path;
		git_oid oid;
	} *links;
	size_t nlinks, caplinks;
};

/* A tree path that is safe to create below the checkout: relative, no empty, ".", ".." or
 * ".git" component (a crafted tree could hold such names; libgit2's checkout refuses them for
 * files, and submodule directories are made here). */
static int safe_path(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *c = p; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && !strncmp(c, "..", 2)) ||
		    (n == 4 && !strncasecmp(c, ".git", 4)))
			return 0;
		c += n;
		if (*c == '/')
			c++;
	}
	return 1;
}

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	char *path = xasprintf("%s%s", root, git_tree_entry_name(e));
	git_object_t type = git_tree_entry_type(e);
	int rc = 0;
	if (type == GIT_OBJECT_TREE) {
		rc = sparse_descend(w->spec, path) ? 0 : 1; /* 1: skip this subtree */
	} else if (sparse_keep(w->spec, path)) {
		if (type == GIT_OBJECT_COMMIT) {
			if (!safe_path(path)) {
				git_error_set_str(GIT_ERROR_INVALID, "invalid submodule path");
				free(path);
				return -1;
			}
			if (w->nlinks == w->caplinks) {
				w->caplinks = w->caplinks ? 2 * w->caplinks : 8;
				w->links = xrealloc(w->links, w->caplinks * sizeof(*w->links));
			}
			w->links[w->nlinks].path = path;
			git_oid_cpy(&w->links[w->nlinks++].oid, git_tree_entry_id(e));
			return 0;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 64;
			w->paths = xrealloc(w->paths, w->cap * sizeof(*w->paths));
		}
		w->paths[w->n++] = path;
		return 0;
	}
	free(path);
	return rc;
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->paths[i]);
	for (size_t i = 0; i < w->nlinks; i++)
		free(w->links[i].path);
	free(w->paths);
	free(w->links);
}

/* ---- Submodules ---------------------------------------------------------------------------*/

static int mkdirs(const char *path)
{
	char *tmp = xstrdup(path);
	int rc = 0;
	for (char *p = tmp + 1; *p && !rc; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			rc = err_set(ERR_IO, "failed to create directory '%s': %s", tmp, strerror(errno));
		*p = '/';
	}
	if (!rc && mkdir(tmp, 0755) != 0 && errno != EEXIST)
		rc = err_set(ERR_IO, "failed to create directory '%s': %s", tmp, strerror(errno));
	free(tmp);
	return rc;
}

/* A submodule URL relative to the superproject's ("./x", "../x"), resolved as git does:
 * each "../" drops one path component of the parent URL. Heap string. */
static char *resolve_url(const char *parent, const char *rel)
{
	if (strncmp(rel, "./", 2) && strncmp(rel, "../", 3))
		return xstrdup(rel);
	char *base = xstrdup(parent);
	size_t len = strlen(base);
	while (len > 1 && base[len - 1] == '/')
		base[--len] = '\0';
	for (;;) {
		if (!strncmp(rel, "./", 2)) {
			rel += 2;
		} else if (!strncmp(rel, "../", 3)) {
			rel += 3;
			char *slash = strrchr(base, '/');
			char *colon = strrchr(base, ':');
			/* scp-like "host:repo" has its path after the ':' */
			char *cut = slash && (!colon || slash > colon) ? slash : colon;
			if (cut && !(cut > base && cut[-1] == '/'))
				*cut = '\0';
		} else {
			break;
		}
	}
	const char *sep = base[strlen(base) - 1] == ':' ? "" : "/";
	char *out = xasprintf("%s%s%s", base, sep, rel);
	free(base);
	return out;
}

struct module {
	char *name, *path, *url;
};

struct modules {
	git_config *cfg;
	struct module *m;
	size_t n, cap;
};

static int module_cb(const git_config_entry *e, void *payload)
{
	struct modules *ms = payload;
	/* "submodule.<name>.path": the name may itself hold dots (matched by hand: libgit2
	 * 1.5's regex matching leaks pcre2 match data) */
	size_t len = strlen(e->name);
	if (strncmp(e->name, "submodule.", 10) || len < 16 || strcmp(e->name + len - 5, ".path"))
		return 0;
	const char *name = e->name + strlen("submodule.");
	size_t nlen = strlen(name) - strlen(".path");
	if (ms->n == ms->cap) {
		ms->cap = ms->cap ? 2 * ms->cap : 8;
		ms->m = xrealloc(ms->m, ms->cap * sizeof(*ms->m));
	}
	struct module *m = &ms->m[ms->n++];
	m->name = xasprintf("%.*s", (int)nlen, name);
	m->path = xstrdup(e->value);
	m->url = NULL;
	char *key = xasprintf("submodule.%s.url", m->name);
	git_config_entry *u = NULL;
	if (git_config_get_entry(&u, ms->cfg, key) == 0) {
		m->url = xstrdup(u->value);
		git_config_entry_free(u);
	}
	free(key);
	return 0;
}

static void modules_free(struct modules *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		free(ms->m[i].name);
		free(ms->m[i].path);
		free(ms->m[i].url);
	}
	free(ms->m);
	git_config_free(ms->cfg);
}

/* Reads .gitmodules of tree (written to a scratch file: libgit2 1.5 parses config from
 * files only). No .gitmodules: no modules. */
static int read_modules(git_repository *repo, git_tree *tree, const char *scratch,
			struct modules *ms)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	if (git_tree_entry_bypath(&e, tree, ".gitmodules") != 0)
		return 0;
	int rc = 0;
	FILE *f = NULL;
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(e)) != 0) {
		rc = err_set(ERR_GENERIC, "reading .gitmodules: %s", git_error_last()->message);
		goto done;
	}
	if (!(f = fopen(scratch, "w")) ||
	    fwrite(git_blob_rawcontent(blob), 1, (size_t)git_blob_rawsize(blob), f) !=
		    (size_t)git_blob_rawsize(blob)) {
		rc = err_set(ERR_IO, "writing '%s': %s", scratch, strerror(errno));
		goto done;
	}
	fclose(f);
	f = NULL;
	if (git_config_open_ondisk(&ms->cfg, scratch) != 0 ||
	    git_config_foreach(ms->cfg, module_cb, ms) < 0)
		rc = err_set(ERR_INVALID, "invalid .gitmodules: %s", git_error_last()->message);
done:
	if (f)
		fclose(f);
	unlink(scratch);
	git_blob_free(blob);
	git_tree_entry_free(e);
	return rc;
}

static int checkout(const char *cache_dir, const char *commit, const char *dest_dir,
		    const struct gitsrc_checkout_spec *spec, int depth);

/* Fetches and checks out every gitlink of w that .gitmodules names (git ignores the
 * others, as does go-git). */
static int checkout_submodules(git_repository *repo, git_tree *tree, const char *dest_dir,
			       const struct gitsrc_checkout_spec *spec, struct walk *w, int depth)
{
	if (!w->nlinks)
		return 0;
	if (depth >= SUBMODULE_DEPTH)
		return err_set(ERR_INVALID, "submodules nested deeper than %d levels", SUBMODULE_DEPTH);
	int rc = mkdirs(spec->modules_dir);
	if (rc)
		return rc;
	struct modules ms = {0};
	char *scratch = xasprintf("%s/gitmodules-%d", spec->modules_dir, depth);
	rc = read_modules(repo, tree, scratch, &ms);
	free(scratch);
	for (size_t i = 0; i < w->nlinks && !rc; i++) {
		const struct module *m = NULL;
		for (size_t j = 0; j < ms.n; j++)
			if (!strcmp(ms.m[j].path, w->links[i].path))
				m = &ms.m[j];
		if (!m)
			continue;
		if (!m->url) {
			rc = err_set(ERR_INVALID, "submodule '%s' has no url in .gitmodules", m->path);
			break;
		}
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &w->links[i].oid);
		char *url = resolve_url(spec->url, m->url);
		/* one cache per submodule path: the path, made flat */
		char *flat = xstrdup(m->path);
		for (char *p = flat; *p; p++)
			if (*p == '/' || *p == '.')
				*p = '_';
		char *cache = xasprintf("%s/%s", spec->modules_dir, flat);
		char *sub_modules = xasprintf("%s/%s.modules", spec->modules_dir, flat);
		char *dest = xasprintf("%s/%s", dest_dir, m->path);
		struct gitsrc_ref_spec ref = {.commit = hex};
		struct gitsrc_fetch_result fr;
		struct gitsrc_checkout_spec sub = {
			.recurse_submodules = 1, .url = url, .auth = spec->auth, .modules_dir = sub_modules,
		};
		if ((rc = mkdirs(cache)) == 0 && (rc = gitsrc_fetch(url, cache, &ref, spec->auth, &fr)) != 0)
			rc = err_set(rc, "failed to update submodule '%s' from '%s': %s", m->path, url, err_msg());
		if (!rc && (rc = mkdirs(dest)) == 0)
			rc = checkout(cache, hex, dest, &sub, depth + 1);
		free(dest);
		free(sub_modules);
		free(cache);
		free(flat);
		free(url);
	}
	modules_free(&ms);
	return rc;
}

/* ---- Checkout -----------------------------------------------------------------------------*/

static int checkout(const char *cache_dir, const char *commit, const char *dest_dir,
		    const struct gitsrc_checkout_spec *spec, int depth)
{
	git_repository *repo = NULL;
	git_tree *tree = NULL;
	struct walk w = {.spec = spec};
	int rc = gitsrc_open_tree(&repo, &tree, cache_dir, commit);
	if (rc)
		goto done;
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, walk_cb, &w) != 0) {
		rc = err_set(ERR_GENERIC, "walking the tree of '%s': %s", commit, git_error_last()->message);
		goto done;
	}
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
	co.target_directory = dest_dir;
	int filtered = (spec && spec->nsparse) || w.nlinks;
	if (filtered) {
		/* The exact list of kept files (an empty list would mean everything): sparse, and
		 * never a gitlink, which libgit2 cannot check out without a working tree. */
		co.checkout_strategy |= GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH;
		co.paths.strings = w.paths;
		co.paths.count = w.n;
	}
	if (!filtered || w.n) {
		if (git_checkout_tree(repo, (const git_object *)tree, &co) != 0) {
			rc = err_set(ERR_GENERIC, "checkout of '%s' into '%s': %s", commit, dest_dir,
				     git_error_last()->message);
			goto done;
		}
	}
	/* A submodule's directory exists, empty unless recursing, as git leaves it. */
	for (size_t i = 0; i < w.nlinks && !rc; i++) {
		char *d = xasprintf("%s/%s", dest_dir, w.links[i].path);
		rc = mkdirs(d);
		free(d);
	}
	if (rc)
		goto done;
	if (spec && spec->recurse_submodules)
		rc = checkout_submodules(repo, tree, dest_dir, spec, &w, depth);
done:
	walk_free(&w);
	git_tree_free(tree);
	git_repository_free(repo);
	return rc;
}

int gitsrc_checkout_with(const char *cache_dir, const char *commit, const char *dest_dir,
			     const struct gitsrc_checkout_spec *spec)
{
	pthread_once(&init_once, init_lib);
	return checkout(cache_dir, commit, dest_dir, spec, 0);
}
