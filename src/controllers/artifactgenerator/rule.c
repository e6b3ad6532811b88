/*
 * The words of a copy rule (see ag.h), as source-watcher's builder reads them: the source
 * "@alias/pattern", the destination "@artifact/path", Go's path cleaning and joining (the
 * builder uses filepath.Join, which cleans), where a glob match lands, which files the
 * exclude patterns drop, and pathPattern's {name} placeholders. Pure functions of the
 * tenant's strings, so they are unit-tested and fuzzed alone; nothing here touches a file.
 * Confinement is decided from cleaned paths (ag_path_escapes) by the callers in copy.c.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "controllers/artifactgenerator/ag.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/glob.h"
#include "util/banned.h"

/* Go's path.Clean: the shortest equivalent path, by lexical processing. */
const char *ag_path_clean(struct arena *a, const char *p)
{
	size_t n = strlen(p);
	if (n == 0)
		return ".";
	bool rooted = p[0] == '/';
	char *out = arena_alloc_bytes(a, n + 2);
	size_t w = 0, r = 0, dotdot = 0;
	if (rooted) {
		out[w++] = '/';
		r = 1;
		dotdot = 1;
	}
	while (r < n) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			if (w > dotdot) {
				/* back to the previous '/' */
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
			while (r < n && p[r] != '/')
				out[w++] = p[r++];
		}
	}
	if (w == 0)
		out[w++] = '.';
	out[w] = '\0';
	return out;
}

const char *ag_path_join(struct arena *a, const char *x, const char *y)
{
	if (!*x && !*y)
		return "";
	if (!*x)
		return ag_path_clean(a, y);
	if (!*y)
		return ag_path_clean(a, x);
	return ag_path_clean(a, arena_sprintf(a, "%s/%s", x, y));
}

const char *ag_path_base(struct arena *a, const char *p)
{
	size_t n = strlen(p);
	if (n == 0)
		return ".";
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n == 0)
		return "/";
	size_t i = n;
	while (i > 0 && p[i - 1] != '/')
		i--;
	return arena_strndup(a, p + i, n - i);
}

bool ag_path_escapes(const char *clean)
{
	return clean[0] == '/' || !strcmp(clean, "..") || !strncmp(clean, "../", 3);
}

int ag_parse_from(struct arena *a, const char *from, const char **alias, const char **pattern)
{
	if (from[0] != '@')
		return err_set(ERR_INVALID, "source must start with '@'");
	const char *slash = strchr(from + 1, '/');
	if (!slash)
		return err_set(ERR_INVALID, "source format must be '@alias/pattern'");
	*alias = arena_strndup(a, from + 1, (size_t)(slash - from - 1));
	*pattern = slash + 1;
	return 0;
}

int ag_parse_to(const char *to, const char **rel)
{
	if (strncmp(to, "@artifact/", 10))
		return err_set(ERR_INVALID, "destination must start with '@artifact/'");
	*rel = to + 10;
	return 0;
}

bool ag_has_glob(const char *s)
{
	return strpbrk(s, "*?[]") != NULL;
}

const char *ag_selection_root(struct arena *a, const char *pattern)
{
	const char *clean = ag_path_clean(a, pattern);
	struct buf b = BUF_INIT;
	for (const char *p = clean; *p;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *part = arena_strndup(a, p, len);
		if (ag_has_glob(part))
			break;
		if (b.len)
			buf_addch(&b, '/');
		buf_add(&b, part, len);
		p += len + (end ? 1 : 0);
		if (!end)
			break;
	}
	/* filepath.Join of the parts: an absolute pattern's first part is empty */
	const char *root = b.len ? ag_path_clean(a, b.ptr) : ".";
	buf_release(&b);
	return root;
}

const char *ag_glob_destination(struct arena *a, const char *pattern, const char *match,
				const char *dest)
{
	size_t pn = strlen(pattern);
	if (pn >= 3 && !strcmp(pattern + pn - 3, "/**")) {
		size_t dn = pn - 3;
		if (!strncmp(match, pattern, dn) && match[dn] == '/')
			return ag_path_join(a, dest, match + dn + 1);
	}
	return ag_path_join(a, dest, match);
}

int ag_excludes_check(const char *const *patterns, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool m;
		int rc = glob_ds_match(patterns[i], ".", true, &m);
		if (rc == ERR_INVALID)
			return err_set(ERR_INVALID, "invalid exclude pattern '%s'", patterns[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* shouldExclude: one path against every pattern (and the file name, for a pattern without
 * a '/'). */
static int exclude_one(struct arena *a, const char *path, const char *const *patterns, size_t n,
		       bool *out)
{
	*out = false;
	const char *base = NULL;
	for (size_t i = 0; i < n && !*out; i++) {
		int rc = glob_ds_match(patterns[i], path, false, out);
		if (!rc && !*out && !strchr(patterns[i], '/')) {
			if (!base)
				base = ag_path_base(a, path);
			rc = glob_ds_match(patterns[i], base, false, out);
		}
		if (rc)
			return rc;
	}
	return 0;
}

int ag_excluded(struct arena *a, const char *path, const char *base, const char *const *patterns,
		size_t n, bool *out)
{
	*out = false;
	if (n == 0)
		return 0;
	int rc = exclude_one(a, path, patterns, n, out);
	if (rc || *out)
		return rc;
	/* relativeToBase: the path below base, when it is */
	const char *b = ag_path_clean(a, base), *f = ag_path_clean(a, path), *rel;
	if (!strcmp(b, ".")) {
		rel = f;
	} else if (!strcmp(f, b)) {
		rel = ".";
	} else {
		size_t bn = strlen(b);
		if (strncmp(f, b, bn) || f[bn] != '/')
			return 0;
		rel = f + bn + 1;
	}
	if (!strcmp(rel, ".") || !strcmp(rel, path))
		return 0;
	return exclude_one(a, rel, patterns, n, out);
}

bool ag_is_tarball(const char *path)
{
	size_t n = strlen(path);
	return (n >= 7 && !strcasecmp(path + n - 7, ".tar.gz")) || (n >= 4 && !strcasecmp(path + n - 4, ".tgz"));
}

/* ---- pathPattern placeholders ----------------------------------------------------------*/

/* [A-Za-z_][A-Za-z0-9_]* */
static bool capture_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

int ag_pattern_check(const char *path_pattern, const char *pattern)
{
	struct arena *a = arena_new();
	const char **seen = NULL;
	size_t nseen = 0, cap = 0;
	int rc = 0;
	size_t n = strlen(pattern);
	for (size_t i = 0; i < n && !rc; i++) {
		if (pattern[i] == '{') {
			const char *end = memchr(pattern + i + 1, '}', n - i - 1);
			if (!end) {
				rc = err_set(ERR_INVALID, "pathPattern %s: invalid capture starting at offset %zu: missing closing brace",
					     ag_quote(a, path_pattern), i);
				break;
			}
			size_t len = (size_t)(end - pattern - i - 1);
			const char *name = arena_strndup(a, pattern + i + 1, len);
			if (len == 0)
				rc = err_set(ERR_INVALID, "pathPattern %s: empty capture variable", ag_quote(a, path_pattern));
			else if (!capture_name(name, len))
				rc = err_set(ERR_INVALID,
					     "pathPattern %s: capture variable %s must be a valid capture name matching [A-Za-z_][A-Za-z0-9_]*",
					     ag_quote(a, path_pattern), ag_quote(a, name));
			for (size_t j = 0; !rc && j < nseen; j++)
				if (!strcmp(seen[j], name))
					rc = err_set(ERR_INVALID, "pathPattern %s: duplicate capture variable %s",
						     ag_quote(a, path_pattern), ag_quote(a, name));
			if (!rc) {
				seen = arena_grow(a, seen, &cap, nseen + 1, sizeof(*seen));
				seen[nseen++] = name;
			}
			i += len + 1;
		} else if (pattern[i] == '}') {
			rc = err_set(ERR_INVALID, "pathPattern %s: invalid capture ending at offset %zu: missing opening brace",
				     ag_quote(a, path_pattern), i);
		}
	}
	arena_free(a);
	return rc;
}

int ag_render(struct arena *a, const char *tmpl, const char *const *names,
	      const char *const *values, size_t n, const char **out)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(tmpl);
	int rc = 0;
	for (size_t i = 0; i < len && !rc; i++) {
		if (tmpl[i] == '{') {
			const char *end = memchr(tmpl + i + 1, '}', len - i - 1);
			if (!end) {
				rc = err_set(ERR_INVALID, "invalid template %s: capture starting at offset %zu is missing closing brace",
					     ag_quote(a, tmpl), i);
				break;
			}
			size_t nl = (size_t)(end - tmpl - i - 1);
			const char *name = arena_strndup(a, tmpl + i + 1, nl);
			const char *value = NULL;
			if (nl == 0) {
				rc = err_set(ERR_INVALID, "invalid template %s: empty capture variable", ag_quote(a, tmpl));
			} else if (!capture_name(name, nl)) {
				rc = err_set(ERR_INVALID,
					     "invalid template %s: capture variable %s must be a valid capture name matching [A-Za-z_][A-Za-z0-9_]*",
					     ag_quote(a, tmpl), ag_quote(a, name));
			} else {
				for (size_t j = 0; j < n && !value; j++)
					if (!strcmp(names[j], name))
						value = values[j];
				if (!value)
					rc = err_set(ERR_INVALID, "invalid template %s: capture variable %s is not defined by pathPattern",
						     ag_quote(a, tmpl), ag_quote(a, name));
			}
			if (value)
				buf_adds(&b, value);
			i += nl + 1;
		} else if (tmpl[i] == '}') {
			rc = err_set(ERR_INVALID, "invalid template %s: capture ending at offset %zu is missing opening brace",
				     ag_quote(a, tmpl), i);
		} else {
			buf_addch(&b, tmpl[i]);
		}
	}
	if (!rc)
		*out = arena_strdup(a, b.len ? b.ptr : "");
	buf_release(&b);
	return rc;
}
