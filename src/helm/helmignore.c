/*
 * .helmignore rules, as helm's pkg/ignore applies them when a chart is loaded from a
 * directory: one pattern a line (Go's filepath.Match syntax, no "**"), "#" comments, a
 * leading "!" negates, a trailing "/" matches directories only, a leading "/" or any "/"
 * matches the whole path, otherwise only the base name. Rules are tried in order and the
 * first that decides wins; a negated rule that does not match ignores the path (helm's
 * odd but real semantics). The default rule `templates/.?*` is always added last.
 */
#include "helm/helmignore.h"

#include <stdbool.h>
#include <string.h>

#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

/* Go's path.Match for one pattern against name: '*' any run of non-'/', '?' one non-'/'
 * byte, '[...]' classes with '^' negation and ranges, '\\' escapes. Returns 1 match, 0 no
 * match, -1 bad pattern. Bytes, not runes: chart file names are ASCII in practice. */
static int class_match(const char **pp, unsigned char c, bool *matched)
{
	const char *p = *pp;
	bool neg = false, any = false;
	if (*p == '^') {
		neg = true;
		p++;
	}
	int n = 0;
	for (;;) {
		if (*p == ']' && n > 0) {
			p++;
			break;
		}
		if (!*p)
			return -1;
		unsigned char lo = (unsigned char)*p, hi;
		if (lo == '\\') {
			p++;
			if (!*p)
				return -1;
			lo = (unsigned char)*p;
		} else if (lo == '-' || lo == ']') {
			if (lo == '-')
				return -1;
		}
		p++;
		hi = lo;
		if (*p == '-' && p[1] != ']') {
			p++;
			if (!*p)
				return -1;
			if (*p == '\\') {
				p++;
				if (!*p)
					return -1;
			}
			hi = (unsigned char)*p++;
		}
		if (c >= lo && c <= hi)
			any = true;
		n++;
	}
	*pp = p;
	*matched = any != neg;
	return 0;
}

static int match_here(const char *p, const char *s)
{
	while (*p) {
		switch (*p) {
		case '*': {
			while (*p == '*')
				p++;
			for (const char *t = s;; t++) {
				int r = match_here(p, t);
				if (r != 0)
					return r;
				if (!*t || *t == '/')
					break;
			}
			/* Go reports a bad pattern even where the match already failed. */
			return 0;
		}
		case '?':
			if (!*s || *s == '/')
				return 0;
			p++;
			s++;
			break;
		case '[': {
			p++;
			if (!*s || *s == '/') {
				bool m;
				const char *q = p;
				return class_match(&q, 0, &m) ? -1 : 0;
			}
			bool m;
			if (class_match(&p, (unsigned char)*s, &m))
				return -1;
			if (!m)
				return 0;
			s++;
			break;
		}
		case '\\':
			p++;
			if (!*p)
				return -1;
			/* fall through */
		default:
			if (*p != *s)
				return 0;
			p++;
			s++;
		}
	}
	return *s == '\0';
}

int helm_path_match(const char *pattern, const char *name)
{
	return match_here(pattern, name);
}

struct rule {
	const char *pat;
	bool negate, must_dir, whole;
};

struct helm_ignore {
	struct rule *rules;
	size_t len, cap;
};

static int add_rule(struct arena *a, struct helm_ignore *ig, const char *line, size_t n)
{
	while (n && (line[0] == ' ' || line[0] == '\t' || line[0] == '\r' || line[0] == '\v' || line[0] == '\f'))
		line++, n--;
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r' ||
		     line[n - 1] == '\v' || line[n - 1] == '\f'))
		n--;
	if (!n || line[0] == '#')
		return 0;
	char *r = arena_strndup(a, line, n);
	if (strstr(r, "**"))
		return err_set(ERR_INVALID, "double-star (**) syntax is not supported");
	if (helm_path_match(r, "abc") < 0)
		return err_set(ERR_INVALID, "syntax error in pattern");
	struct rule ru = { 0 };
	if (*r == '!') {
		ru.negate = true;
		r++;
	}
	size_t len = strlen(r);
	if (len && r[len - 1] == '/') {
		ru.must_dir = true;
		r[--len] = '\0';
	}
	if (*r == '/') {
		ru.whole = true;
		r++;
	} else if (strchr(r, '/')) {
		ru.whole = true;
	}
	ru.pat = r;
	ig->rules = arena_grow(a, ig->rules, &ig->cap, ig->len + 1, sizeof *ig->rules);
	ig->rules[ig->len++] = ru;
	return 0;
}

int helm_ignore_parse(struct arena *a, const char *data, size_t len, struct helm_ignore **out)
{
	struct helm_ignore *ig = arena_alloc(a, sizeof *ig);
	*out = ig;
	if (data && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	for (size_t i = 0; data && i < len;) {
		size_t j = i;
		while (j < len && data[j] != '\n')
			j++;
		int rc = add_rule(a, ig, data + i, j - i);
		if (rc)
			return rc;
		i = j + 1;
	}
	return add_rule(a, ig, "templates/.?*", 13);
}

bool helm_ignore_match(const struct helm_ignore *ig, const char *path, bool is_dir)
{
	if (!ig || !*path || !strcmp(path, ".") || !strcmp(path, "./"))
		return false;
	for (size_t i = 0; i < ig->len; i++) {
		const struct rule *r = &ig->rules[i];
		const char *subject = path;
		if (!r->whole) {
			const char *slash = strrchr(path, '/');
			subject = slash ? slash + 1 : path;
		}
		if (r->negate) {
			if (r->must_dir && !is_dir)
				return true;
			if (helm_path_match(r->pat, subject) != 1)
				return true;
			continue;
		}
		if (r->must_dir && !is_dir)
			continue;
		if (helm_path_match(r->pat, subject) == 1)
			return true;
	}
	return false;
}
