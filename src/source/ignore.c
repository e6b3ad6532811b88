/* gitignore-style exclusion rules; see ignore.h. */
#include "source/ignore.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define IGNORE_MAX_PATTERNS 10000
#define IGNORE_MAX_PARTS 256

struct ignore_pattern {
	char **domain; /* components of the directory the pattern applies under */
	size_t ndomain;
	char **parts; /* pattern components */
	size_t nparts;
	int negate, dir_only, anchored;
};

struct ignore_rules {
	struct ignore_pattern *pats;
	size_t n, cap;
};

struct ignore_rules *ignore_new(void)
{
	return xcalloc(1, sizeof(struct ignore_rules));
}

static void free_parts(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ignore_free(struct ignore_rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free_parts(r->pats[i].domain, r->pats[i].ndomain);
		free_parts(r->pats[i].parts, r->pats[i].nparts);
	}
	free(r->pats);
	free(r);
}

/* Splits s[0..len) at '/', dropping empty components. At most max components are kept. */
static char **split(const char *s, size_t len, size_t *n, size_t max)
{
	char **v = NULL;
	size_t cnt = 0, cap = 0, i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '/')
			j++;
		if (j > i && cnt < max) {
			if (cnt == cap) {
				cap = cap ? cap * 2 : 4;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[cnt++] = xstrndup(s + i, j - i);
		}
		i = j + 1;
	}
	*n = cnt;
	return v;
}

static int add_line(struct ignore_rules *r, const char *domain, const char *s, size_t len)
{
	struct ignore_pattern p;
	memset(&p, 0, sizeof(p));
	/* trailing whitespace goes unless escaped */
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r') &&
	       !(len > 1 && s[len - 2] == '\\'))
		len--;
	if (len == 0 || s[0] == '#')
		return 0;
	if (s[0] == '!') {
		p.negate = 1;
		s++, len--;
	} else if (s[0] == '\\' && len > 1 && (s[1] == '#' || s[1] == '!')) {
		s++, len--;
	}
	if (len > 0 && s[len - 1] == '/') {
		p.dir_only = 1;
		len--;
	}
	if (len == 0)
		return 0;
	p.anchored = memchr(s, '/', len) != NULL;
	if (r->n >= IGNORE_MAX_PATTERNS)
		return err_set(ERR_TOOBIG, "more than %d ignore patterns", IGNORE_MAX_PATTERNS);
	p.parts = split(s, len, &p.nparts, IGNORE_MAX_PARTS);
	/* "**" runs mean the same as one "**" and would only make matching slower */
	size_t w = 0;
	for (size_t i = 0; i < p.nparts; i++) {
		if (w > 0 && !strcmp(p.parts[i], "**") && !strcmp(p.parts[w - 1], "**"))
			free(p.parts[i]);
		else
			p.parts[w++] = p.parts[i];
	}
	p.nparts = w;
	if (p.nparts == 0) {
		free_parts(p.parts, 0);
		return 0;
	}
	p.domain = split(domain, strlen(domain), &p.ndomain, IGNORE_MAX_PARTS);
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->pats = xrealloc(r->pats, r->cap * sizeof(*r->pats));
	}
	r->pats[r->n++] = p;
	return 0;
}

int ignore_add(struct ignore_rules *r, const char *domain, const char *text, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		int rc = add_line(r, domain, text + i, j - i);
		if (rc)
			return rc;
		i = j + 1;
	}
	return 0;
}

void ignore_add_defaults(struct ignore_rules *r)
{
	static const char defaults[] =
		".git/\n.gitignore\n.gitmodules\n.gitattributes\n"
		"*.jpg\n*.jpeg\n*.gif\n*.png\n*.wmv\n*.flv\n*.tar.gz\n*.zip\n"
		".github/\n.circleci/\n.travis.yml\n.gitlab-ci.yml\nappveyor.yml\n.drone.yml\n"
		"cloudbuild.yaml\ncodeship-services.yml\ncodeship-steps.yml\n"
		"**/.goreleaser.yml\n**/.sops.yaml\n**/.flux.yaml\n";
	ignore_add(r, "", defaults, sizeof(defaults) - 1);
}

static int glob(const char *pat, const char *name)
{
	return fnmatch(pat, name, 0) == 0;
}

/* Matches pattern components pp[0..np) against path components v[0..nv). A match of a
 * proper prefix of the path counts (the pattern names a parent directory); *whole says
 * whether the whole path was consumed. "**" matches zero or more components. */
static int match_parts(char *const *pp, size_t np, char *const *v, size_t nv, int *whole)
{
	if (np == 0) {
		*whole = nv == 0;
		return 1;
	}
	if (!strcmp(pp[0], "**")) {
		if (np == 1) { /* trailing "**": everything below, not the directory itself */
			*whole = 1;
			return nv > 0;
		}
		for (size_t k = 0; k <= nv; k++)
			if (match_parts(pp + 1, np - 1, v + k, nv - k, whole))
				return 1;
		return 0;
	}
	if (nv == 0 || !glob(pp[0], v[0]))
		return 0;
	return match_parts(pp + 1, np - 1, v + 1, nv - 1, whole);
}

static int pattern_matches(const struct ignore_pattern *p, char *const *v, size_t nv, int is_dir)
{
	if (nv < p->ndomain)
		return 0;
	for (size_t i = 0; i < p->ndomain; i++)
		if (strcmp(p->domain[i], v[i]) != 0)
			return 0;
	static char *const no_parts[1];
	if (!v) /* the root path has no parts; pointer arithmetic on NULL is undefined */
		v = no_parts;
	v += p->ndomain;
	nv -= p->ndomain;
	if (!p->anchored) {
		for (size_t i = 0; i < nv; i++) {
			if (glob(p->parts[0], v[i])) {
				if (p->dir_only && !is_dir && i == nv - 1)
					return 0;
				return 1;
			}
		}
		return 0;
	}
	int whole = 0;
	if (!match_parts(p->parts, p->nparts, v, nv, &whole))
		return 0;
	return !(whole && p->dir_only && !is_dir);
}

int ignore_match(const struct ignore_rules *r, const char *path, int is_dir)
{
	size_t nv;
	char **v = split(path, strlen(path), &nv, (size_t)-1);
	int res = 0;
	for (size_t i = r->n; i-- > 0;) {
		if (pattern_matches(&r->pats[i], v, nv, is_dir)) {
			res = !r->pats[i].negate;
			break;
		}
	}
	free_parts(v, nv);
	return res;
}

/* Adds the patterns of every .sourceignore file under dir (at any depth, each for its own
 * directory), as Flux's sourceignore.LoadIgnorePatterns does. */
static int load_tree(struct ignore_rules *ign, const char *root, const char *rel, size_t max)
{
	char *dirpath = *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	char *file = xasprintf("%s/.sourceignore", dirpath);
	struct buf b = BUF_INIT;
	int rc = 0;
	struct stat st;
	if (lstat(file, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = fs_read_file(file, max, &b);
		if (!rc)
			rc = ignore_add(ign, rel, b.ptr, b.len);
	}
	buf_release(&b);
	free(file);
	if (rc) {
		free(dirpath);
		return rc;
	}
	/* Descend into directories the rules so far do not exclude (an excluded directory's
	 * .sourceignore cannot bring anything back, as in Git). */
	struct dirent **names = NULL;
	int n = scandir(dirpath, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		if (rc == 0 && strcmp(d, ".") && strcmp(d, "..")) {
			char *child = xasprintf("%s/%s", dirpath, d);
			char *crel = *rel ? xasprintf("%s/%s", rel, d) : xstrdup(d);
			if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode) && !ignore_match(ign, crel, 1))
				rc = load_tree(ign, root, crel, max);
			free(crel);
			free(child);
		}
		free(names[i]);
	}
	free(names);
	free(dirpath);
	return rc;
}

int ignore_load_tree(struct ignore_rules *r, const char *root, size_t max_file)
{
	return load_tree(r, root, "", max_file);
}
