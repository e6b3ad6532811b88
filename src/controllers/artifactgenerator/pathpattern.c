/*
 * spec.pathPattern (source-watcher internal/controller/artifactgenerator_pathpattern.go):
 * "@alias/apps/{app}/envs/{env}" becomes the Go regular expression
 * ^apps/(?P<app>[^/]+)/envs/(?P<env>[^/]+)$ (the rest quoted as regexp.QuoteMeta quotes it),
 * every directory of the fetched source is matched against it in walk order, and each
 * match renders every spec.artifacts entry: the name and the labels from the lower-cased
 * captures, the copy rules' from and to from the captures as written. Invalid captures,
 * names or collisions are terminal errors (Stalled), with source-watcher's messages.
 */
#include <ctype.h>
#include <string.h>

#include "controllers/artifactgenerator/ag.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/regex.h"
#include "util/banned.h"

/* regexp.QuoteMeta of pattern, each {name} replaced by a named group. */
static void to_regex(struct buf *b, const char *pattern)
{
	buf_addch(b, '^');
	for (const char *p = pattern; *p; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (end) {
			buf_adds(b, "(?P<");
			buf_add(b, p + 1, (size_t)(end - p - 1));
			buf_adds(b, ">[^/]+)");
			p = end;
		} else {
			if (strchr("\\.+*?()|[]{}^$", *p))
				buf_addch(b, '\\');
			buf_addch(b, *p);
		}
	}
	buf_addch(b, '$');
}

struct expand {
	struct ag *g;
	const struct regex *re;
	const char *pp;
	size_t ncap;
	const char **names;
	struct ag_output *out;
	size_t n, cap_out, cap_names, cap_dirs;
	const char **seen_names, **seen_dirs; /* rendered name -> the directory it came from */
	bool terminal;                        /* the error came from a match, not the walk */
};

static int render(struct expand *e, const struct ag_output *tmpl, const char *rel, const char **raw,
		  const char **low, struct ag_output *o)
{
	struct arena *a = e->g->a;
	*o = *tmpl;
	int rc = ag_render(a, tmpl->name, e->names, low, e->ncap, &o->name);
	o->copy = arena_alloc(a, (tmpl->ncopy ? tmpl->ncopy : 1) * sizeof(*o->copy));
	for (size_t i = 0; !rc && i < tmpl->ncopy; i++) {
		o->copy[i] = tmpl->copy[i];
		rc = ag_render(a, tmpl->copy[i].from, e->names, raw, e->ncap, &o->copy[i].from);
		if (!rc)
			rc = ag_render(a, tmpl->copy[i].to, e->names, raw, e->ncap, &o->copy[i].to);
	}
	if (rc)
		return err_set(rc, "pathPattern %s: failed to render artifact %s for match %s: %s", ag_quote(a, e->pp),
			       tmpl->name, rel, err_msg());
	o->label_keys = e->names;
	o->label_values = low;
	o->nlabels = e->ncap;
	return 0;
}

static int visit_one(struct expand *e, const char *rel, enum ag_entry type);

static int visit(void *ud, const char *rel, enum ag_entry type)
{
	struct expand *e = ud;
	int rc = visit_one(e, rel, type);
	e->terminal = rc == ERR_INVALID;
	return rc;
}

static int visit_one(struct expand *e, const char *rel, enum ag_entry type)
{
	struct arena *a = e->g->a;
	if (type != AG_ENTRY_DIR || !strcmp(rel, "."))
		return 0;
	struct regex_span sub[64];
	bool found;
	int rc = regex_find(e->re, rel, strlen(rel), 0, sub, e->ncap + 1, &found);
	if (rc)
		return rc;
	if (!found)
		return 0;
	const char **raw = arena_alloc(a, (e->ncap + 1) * sizeof(*raw));
	const char **low = arena_alloc(a, (e->ncap + 1) * sizeof(*low));
	for (size_t i = 0; i < e->ncap; i++) {
		const struct regex_span *s = &sub[i + 1];
		raw[i] = s->start < 0 ? "" : arena_strndup(a, rel + s->start, (size_t)(s->end - s->start));
		char *l = arena_strdup(a, raw[i]);
		for (char *c = l; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		low[i] = l;
	}
	for (size_t i = 0; i < e->ncap; i++) {
		const char *err = ag_label_value_errors(a, low[i]);
		if (err)
			return err_set(ERR_INVALID,
				       "pathPattern %s: captured value %s for variable %s is not a valid Kubernetes label value: %s",
				       ag_quote(a, e->pp), ag_quote(a, low[i]), ag_quote(a, e->names[i]), err);
	}
	for (size_t i = 0; i < e->g->spec.noutputs; i++) {
		struct ag_output o;
		if ((rc = render(e, &e->g->spec.outputs[i], rel, raw, low, &o)))
			return rc;
		const char *err = ag_dns_subdomain_errors(a, o.name);
		if (err)
			return err_set(ERR_INVALID, "pathPattern %s: rendered artifact name %s is not a valid Kubernetes object name: %s",
				       ag_quote(a, e->pp), ag_quote(a, o.name), err);
		for (size_t j = 0; j < e->n; j++)
			if (!strcmp(e->seen_names[j], o.name))
				return err_set(ERR_INVALID, "pathPattern %s: directories %s and %s both resolve to artifact name %s",
					       ag_quote(a, e->pp), ag_quote(a, e->seen_dirs[j]), ag_quote(a, rel),
					       ag_quote(a, o.name));
		if (e->n >= 10000)
			return err_set(ERR_TOOBIG, "pathPattern %s: more than 10000 artifacts", ag_quote(a, e->pp));
		e->out = arena_grow(a, e->out, &e->cap_out, e->n + 1, sizeof(*e->out));
		e->seen_names = arena_grow(a, e->seen_names, &e->cap_names, e->n + 1, sizeof(*e->seen_names));
		e->seen_dirs = arena_grow(a, e->seen_dirs, &e->cap_dirs, e->n + 1, sizeof(*e->seen_dirs));
		e->out[e->n] = o;
		e->seen_names[e->n] = o.name;
		e->seen_dirs[e->n] = arena_strdup(a, rel);
		e->n++;
	}
	return 0;
}

int ag_expand(struct ag *g, struct ag_output **out, size_t *n, bool *terminal)
{
	const char *pp = g->spec.path_pattern;
	struct arena *a = g->a;
	*terminal = true;
	if (!*pp) {
		*out = g->spec.outputs;
		*n = g->spec.noutputs;
		return 0;
	}
	const char *slash = strchr(pp, '/');
	if (pp[0] != '@' || !slash)
		return err_set(ERR_INVALID, "invalid pathPattern format: %s", pp);
	const char *alias = arena_strndup(a, pp + 1, (size_t)(slash - pp - 1)), *pattern = slash + 1;
	const struct ag_source *src = ag_source_find(g, alias);
	if (!src || !src->dir)
		return err_set(ERR_NOTFOUND, "pathPattern %s: source alias %s not found in local sources", ag_quote(a, pp),
			       alias);
	int rc = ag_pattern_check(pp, pattern);
	if (rc)
		return rc;
	struct buf b = BUF_INIT;
	to_regex(&b, pattern);
	struct regex *re = NULL;
	rc = regex_compile(&re, b.ptr, 0);
	buf_release(&b);
	if (rc)
		return err_set(rc, "pathPattern %s: failed to compile path pattern: %s", ag_quote(a, pp), err_msg());
	struct expand e = { .g = g, .re = re, .pp = pp, .ncap = regex_groups(re) };
	if (e.ncap > 63) {
		regex_free(re);
		return err_set(ERR_INVALID, "pathPattern %s: more than 63 capture variables", ag_quote(a, pp));
	}
	e.names = arena_alloc(a, (e.ncap + 1) * sizeof(*e.names));
	for (size_t i = 0; i < e.ncap; i++) {
		e.names[i] = regex_group_name(re, i + 1);
		const char *err = ag_label_key_errors(a, e.names[i]);
		if (err) {
			rc = err_set(ERR_INVALID, "pathPattern %s: capture variable %s is not a valid Kubernetes label key: %s",
				     ag_quote(a, pp), ag_quote(a, e.names[i]), err);
			regex_free(re);
			return rc;
		}
		e.names[i] = arena_strdup(a, e.names[i]);
	}
	rc = ag_walk(src->dir, ".", visit, &e);
	regex_free(re);
	if (rc) {
		*terminal = e.terminal;
		return e.terminal ? rc : err_set(rc, "failed to walk source directory: %s", err_msg());
	}
	*out = e.out;
	*n = e.n;
	return 0;
}
