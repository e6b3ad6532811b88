/*
 * The Helm renderer (render.h): helm v4.1.4's engine.render over every template of a chart
 * and its enabled subcharts, and the install action's handling of its output.
 *
 * Engine (pkg/engine/engine.go): one set named "gotpl" with missingkey=zero, sprig's and
 * Helm's functions; templates named "<chart path>/templates/x.yaml" parsed deepest path
 * first and, within one depth, in reverse byte order (so for duplicate defines a parent
 * chart beats its subchart), then executed in that order but for partials (_*), each with
 * its chart's scope: .Values the chart's table of its parent's values (globals coalesced
 * in), .Chart, .Files, .Subcharts, and .Template set just before the execution. Every
 * "<no value>" is removed from the output. Errors are reworded as helm does: parse errors
 * keep the text after the last ": ", fail/required messages are cut out of their markers,
 * other exec errors become helm's indented trace when each error in the chain is a
 * template error, and stay Go's otherwise.
 *
 * Output (pkg/action renderResources and pkg/release/v1/util): NOTES.txt taken out, files
 * in path order split into documents, each read for kind and annotations; hook documents
 * apart, the rest sorted stably in helm's install order of kinds.
 */
#include "helm/render.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "helm/chart.h"
#include "helm/render_int.h"
#include "helm/values.h"
#include "template/template.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/semver.h"
#include "util/banned.h"

size_t *helm_include_count(struct helm_render_state *st, const char *name)
{
	for (size_t i = 0; i < st->nincluded; i++) {
		if (!strcmp(st->included[i].name, name)) {
			if (st->included[i].count > HELM_INCLUDE_MAX && !st->include_limit_name)
				st->include_limit_name = st->included[i].name;
			return &st->included[i].count;
		}
	}
	if (st->nincluded == st->included_cap)
		st->included = arena_grow(st->arena, st->included, &st->included_cap,
					  st->nincluded + 1, sizeof(*st->included));
	st->included[st->nincluded] =
		(struct helm_include_count){ .name = arena_strdup(st->arena, name), .count = 0 };
	return &st->included[st->nincluded++].count;
}

/* ---- Release names (chartutil.ValidateReleaseName) ------------------------------------ */

static bool dns_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$, at most 53 bytes. */
static bool release_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 53)
		return false;
	const char *p = s;
	for (;;) {
		const char *start = p;
		while (*p && *p != '.') {
			if (!dns_label_char(*p))
				return false;
			p++;
		}
		if (p == start || *start == '-' || p[-1] == '-')
			return false;
		if (!*p)
			return true;
		p++;
	}
}

static int check_release_name(const char *name)
{
	if (!name || !*name)
		return err_set(ERR_INVALID, "release name check failed: no name provided");
	if (!release_name_valid(name))
		return err_set(ERR_INVALID,
			       "release name \"%s\": invalid release name, must match regex "
			       "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ "
			       "and the length must not be longer than 53",
			       name);
	return 0;
}

/* ---- The templates of a chart and its subcharts (engine.go recAllTpls) ---------------- */

struct renderable {
	const char *name;     /* "chart/templates/x.yaml" */
	const char *text;
	size_t len;
	struct tv *vals;      /* the chart's scope (shared by its templates) */
	const char *base_path; /* "chart/templates" */
	size_t depth;         /* '/' count */
};

struct tpl_list {
	struct renderable *items;
	size_t len, cap;
};

static const char *path_base(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

static bool is_library(const struct helm_chart *c)
{
	return c->metadata.type && !strcmp(c->metadata.type, "library");
}

static struct tv *all_templates(struct arena *a, struct helm_chart *c, struct tv *parent,
				struct tpl_list *out)
{
	/* The scope: a map[string]any stored in renderable.vals, so dot's type is common.Values
	 * (NEEDSWORK: .Subcharts.x, the same map, is map[string]interface {} in Go). */
	struct tv *next = tv_map_new(a);
	next->type = "common.Values";
	struct tv *subcharts = tv_map_new(a);
	tv_map_set(a, next, "Chart", helm_chart_map(a, c));
	tv_map_set(a, next, "Files", helm_files_object(a, c));
	struct tv *rel = tv_map_get(parent, "Release");
	struct tv *caps = tv_map_get(parent, "Capabilities");
	tv_map_set(a, next, "Release", rel ? rel : &tv_nil_value);
	tv_map_set(a, next, "Capabilities", caps ? caps : &tv_nil_value);
	struct tv *values = NULL;
	struct tv *pv = tv_map_get(parent, "Values");
	if (!c->parent) {
		values = pv;
	} else if (pv && pv->kind == TV_MAP) {
		/* values.Table("Values.<name>"): only a map is a table; the same map, typed. */
		struct tv *t = tv_map_get(pv, c->metadata.name);
		if (t && t->kind == TV_MAP) {
			values = tv_new(a, TV_MAP);
			*values = *t;
		}
	}
	if (!values || values->kind != TV_MAP)
		values = tv_map_new(a);
	values->type = "common.Values";
	tv_map_set(a, next, "Values", values);
	tv_map_set(a, next, "Subcharts", subcharts);

	for (size_t i = 0; i < c->ndependencies; i++) {
		struct helm_chart *d = c->dependencies[i];
		tv_map_set(a, subcharts, d->metadata.name, all_templates(a, d, next, out));
	}
	const char *cpath = helm_chart_path(a, c);
	const char *base = arena_sprintf(a, "%s/templates", cpath);
	for (size_t i = 0; i < c->ntemplates; i++) {
		const struct helm_file *t = &c->templates[i];
		if (is_library(c) && path_base(t->name)[0] != '_')
			continue;
		const char *name = arena_sprintf(a, "%s/%s", cpath, t->name);
		/* A name twice (a Go map) keeps the later file. */
		struct renderable *r = NULL;
		for (size_t j = 0; j < out->len; j++)
			if (!strcmp(out->items[j].name, name))
				r = &out->items[j];
		if (!r) {
			if (out->len == out->cap)
				out->items = arena_grow(a, out->items, &out->cap, out->len + 1,
							sizeof(*out->items));
			r = &out->items[out->len++];
		}
		size_t depth = 0;
		for (const char *p = name; *p; p++)
			depth += *p == '/';
		*r = (struct renderable){ name, t->data, t->len, next, base, depth };
	}
	return next;
}

/* sort.Reverse(byPathLen): more slashes first, then reverse byte order. */
static int renderable_cmp(const void *pa, const void *pb)
{
	const struct renderable *a = pa, *b = pb;
	if (a->depth != b->depth)
		return a->depth > b->depth ? -1 : 1;
	return -strcmp(a->name, b->name);
}

/* ---- Helm's error rewording (engine.go cleanupParseError, reformatExecErrorMsg) ------- */

static int parse_error(const char *filename, const char *msg)
{
	/* strings.Split(err, ": "): location is the second token, the message the last */
	const char *first = strstr(msg, ": ");
	if (!first)
		return err_set(ERR_INVALID, "parse error in (%s): %s", filename, msg);
	const char *loc = first + 2;
	const char *loc_end = strstr(loc, ": ");
	const char *last = first;
	for (const char *p = first; (p = strstr(p + 1, ": ")) != NULL;)
		last = p;
	size_t loclen = loc_end ? (size_t)(loc_end - loc) : strlen(loc);
	return err_set(ERR_INVALID, "parse error at (%.*s): %s", (int)loclen, loc, last + 2);
}

struct trace {
	const char *location, *function, *message;
	size_t location_len, function_len, message_len;
};

static bool trace_eq(const struct trace *a, const struct trace *b)
{
	return a->location_len == b->location_len && a->function_len == b->function_len &&
	       a->message_len == b->message_len &&
	       !memcmp(a->location, b->location, a->location_len) &&
	       !memcmp(a->function, b->function, a->function_len) &&
	       !memcmp(a->message, b->message, a->message_len);
}

/* " template:" cuts a chained error off the message. */
static size_t cut_chain(const char *m, size_t len)
{
	for (size_t i = 0; i + 10 <= len; i++)
		if (!memcmp(m + i, " template:", 10))
			return i;
	return len;
}

/*
 * parseTemplateExecErrorString on s; *next is the wrapped error's text when s wraps one
 * (text/template's "error calling NAME: %w"), else NULL. False when s is no template
 * error, which makes helm print the original error.
 */
static bool parse_trace(const char *s, struct trace *t, const char **next)
{
	*next = NULL;
	memset(t, 0, sizeof(*t));
	t->location = t->function = t->message = "";
	if (strncmp(s, "template: ", 10))
		return false;
	const char *rem = s + 10;
	if (!strncmp(rem, "no template ", 12)) {
		t->message = s;
		t->message_len = strlen(s);
		return true;
	}
	const char *ex = strstr(rem, ": executing ");
	if (ex) {
		const char *after = ex + 12;
		if (*after != '"')
			return false;
		const char *endq = strchr(after + 1, '"');
		if (!endq)
			return false;
		if (strncmp(endq + 1, " at <", 5))
			return false;
		const char *locname = endq + 6;
		const char *gt = strstr(locname, ">: ");
		if (!gt)
			return false;
		const char *msg = gt + 3;
		t->location = rem;
		t->location_len = (size_t)(ex - rem);
		t->function = after - 10; /* "executing \"" */
		t->function_len = (size_t)(gt + 2 - t->function);
		t->message = msg;
		t->message_len = cut_chain(msg, strlen(msg));
		/* "error calling NAME: <wrapped>" */
		if (!strncmp(msg, "error calling ", 14)) {
			const char *colon = strstr(msg + 14, ": ");
			if (colon)
				*next = colon + 2;
		}
		return true;
	}
	const char *sep = NULL;
	for (const char *p = rem; (p = strstr(p, ": ")) != NULL; p++)
		sep = p;
	if (!sep)
		return false;
	t->location = rem;
	t->location_len = (size_t)(sep - rem);
	t->message = sep + 2;
	t->message_len = cut_chain(sep + 2, strlen(sep + 2));
	return true;
}

static int exec_error(int code, const char *filename, const char *msg)
{
	if (code == ERR_TOOBIG || code == ERR_TIMEOUT)
		return err_set(code, "%s", msg);
	/* Only text/template's ExecErrors are reworded. */
	if (strncmp(msg, "template: ", 10) || !strncmp(msg, "template: no template ", 22))
		return err_set(code, "%s", msg);
	const char *t1 = strstr(msg, ": ");
	const char *t2 = t1 ? strstr(t1 + 2, ": ") : NULL;
	if (!t2)
		return err_set(code, "execution error in (%s): %s", filename, msg);
	const char *loc = t1 + 2;
	const char *rest = t2 + 2;
	const char *ws = strstr(rest, HELM_WARN_START);
	if (ws) {
		/* HELM_ERR_START((?s).*)HELM_ERR_END: greedy, to the last end marker */
		const char *body = ws + strlen(HELM_WARN_START), *we = NULL;
		for (const char *p = body; (p = strstr(p, HELM_WARN_END)) != NULL; p++)
			we = p;
		if (we)
			return err_set(code, "execution error at (%.*s): %.*s", (int)(t2 - loc), loc,
				       (int)(we - body), body);
	}
	struct buf out = BUF_INIT;
	struct trace prev = { 0 };
	bool have_prev = false;
	const char *cur = msg;
	/* text/template's chain: each ExecError wraps its formatted error, which wraps what
	 * the failing call returned; a run of equal entries prints once. */
	while (cur) {
		struct trace t;
		const char *next;
		if (!parse_trace(cur, &t, &next)) {
			buf_release(&out);
			return err_set(code, "%s", msg);
		}
		if (!have_prev || !trace_eq(&prev, &t)) {
			if (t.location_len)
				buf_addf(&out, "%.*s\n  ", (int)t.location_len, t.location);
			if (t.function_len)
				buf_addf(&out, "%.*s\n    ", (int)t.function_len, t.function);
			if (t.message_len)
				buf_addf(&out, "%.*s\n", (int)t.message_len, t.message);
		}
		prev = t;
		have_prev = true;
		cur = next;
	}
	/* strings.TrimSpace */
	size_t s = 0, e = out.len;
	while (s < e && (out.ptr[s] == ' ' || out.ptr[s] == '\n' || out.ptr[s] == '\t'))
		s++;
	while (e > s && (out.ptr[e - 1] == ' ' || out.ptr[e - 1] == '\n' || out.ptr[e - 1] == '\t'))
		e--;
	int rc = err_set(code, "%.*s", (int)(e - s), out.ptr + s);
	buf_release(&out);
	return rc;
}

/* ---- Rendering (engine.go render) ------------------------------------------------------ */

struct rendered {
	const char *name;
	char *text;
	size_t len;
};

/* strings.ReplaceAll(out, "<no value>", ""): occurrences in the original text, the runs
 * between them moved down. */
static void remove_no_value(struct buf *b)
{
	static const char nv[] = "<no value>";
	const size_t nl = sizeof(nv) - 1;
	if (!b->len)
		return;
	size_t w = 0, r = 0;
	for (;;) {
		const char *hit = b->len - r >= nl ? memmem(b->ptr + r, b->len - r, nv, nl) : NULL;
		size_t end = hit ? (size_t)(hit - b->ptr) : b->len;
		if (w != r)
			memmove(b->ptr + w, b->ptr + r, end - r);
		w += end - r;
		if (!hit)
			break;
		r = end + nl;
	}
	b->len = w;
	b->ptr[w] = '\0';
}

static bool kube_compatible(const char *constraint, const char *version);

/* What helm checks before it renders, in its order: the values against the charts'
 * schemas (on a thread of its own while the templates are parsed, when the schema is big
 * enough to be worth it), then the chart's kubeVersion. */
struct checks {
	const struct helm_chart *chart;
	const struct tv *vals;
	struct tv *caps;
	bool validate;
	/* the validation thread */
	pthread_t th;
	bool threaded;
	struct arena *arena;
	int rc;
	char msg[1024];
};

static void *validate_main(void *arg)
{
	struct checks *ck = arg;
	ck->rc = helm_values_validate(ck->arena, ck->chart, ck->vals);
	if (ck->rc)
		snprintf(ck->msg, sizeof(ck->msg), "%s", err_msg());
	return NULL;
}

static void checks_start(struct checks *ck)
{
	if (!ck->validate)
		return;
	ck->arena = arena_new();
	if (ck->chart->schema_len >= 16 * 1024 &&
	    pthread_create(&ck->th, NULL, validate_main, ck) == 0) {
		ck->threaded = true;
		return;
	}
	validate_main(ck);
}

/* Joins the validation; its error, else the kubeVersion's, else 0. */
static int checks_finish(struct checks *ck)
{
	if (ck->validate) {
		if (ck->threaded)
			pthread_join(ck->th, NULL);
		ck->threaded = false;
		arena_free(ck->arena);
		ck->arena = NULL;
		ck->validate = false;
		if (ck->rc)
			return err_set(ck->rc, "%s", ck->msg);
	}
	const struct helm_chart *chart = ck->chart;
	if (chart->metadata.kube_version && *chart->metadata.kube_version &&
	    !kube_compatible(chart->metadata.kube_version, helm_capabilities_kube_version(ck->caps)))
		return err_set(ERR_INVALID,
			       "chart requires kubeVersion: %s which is incompatible with Kubernetes %s",
			       chart->metadata.kube_version, helm_capabilities_kube_git_version(ck->caps));
	return 0;
}

static int render_templates(struct arena *a, struct helm_chart *chart, struct tv *top,
			    const struct helm_render_options *o, struct checks *ck,
			    struct rendered **out, size_t *nout)
{
	struct tpl_list tl = { 0 };
	all_templates(a, chart, top, &tl);
	if (tl.len)
		qsort(tl.items, tl.len, sizeof(*tl.items), renderable_cmp);
	checks_start(ck); /* from here on nothing writes the values until the checks end */

	struct helm_render_state *st = arena_alloc(a, sizeof(*st));
	st->arena = a;
	st->lookup = (helm_lookup_fn)o->lookup;
	st->lookup_ctx = o->lookup_ctx;
	struct tset *set = tset_new(a, "gotpl", o->limits);
	st->set = set;
	tset_set_missing(set, TMISSING_ZERO);
	tset_add_sprig(set);
	tset_add_funcs(set, &helm_funcs_table);
	tset_set_userdata(set, st);

	struct tset_source *src = arena_alloc(a, (tl.len + 1) * sizeof(*src));
	for (size_t i = 0; i < tl.len; i++)
		src[i] = (struct tset_source){ tl.items[i].name, tl.items[i].text, tl.items[i].len };
	size_t failed;
	int rc = tset_parse_all(set, src, tl.len, &failed);
	char *parse_msg = rc ? arena_strdup(a, err_msg()) : NULL;
	int crc = checks_finish(ck);
	if (crc) {
		rc = crc;
		goto done;
	}
	if (rc) {
		err_set(rc, "%s", parse_msg);
		if (rc == ERR_INVALID)
			rc = parse_error(tl.items[failed].name, err_msg());
		goto done;
	}
	struct rendered *r = arena_alloc(a, (tl.len + 1) * sizeof(*r));
	size_t n = 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < tl.len; i++) {
		const struct renderable *t = &tl.items[i];
		if (path_base(t->name)[0] == '_')
			continue;
		struct tv *tmpl = tv_map_new(a);
		tmpl->type = "common.Values";
		tv_map_set(a, tmpl, "Name", tv_str(a, t->name));
		tv_map_set(a, tmpl, "BasePath", tv_str(a, t->base_path));
		tv_map_set(a, t->vals, "Template", tmpl);
		buf_reset(&b);
		if ((rc = tset_execute(set, t->name, t->vals, &b))) {
			char *msg = arena_strdup(a, err_msg());
			if (st->include_limit_name && strlen(msg) > 900) {
				/* The chain of 1,000 includes does not fit in err_msg(): keep its
				 * head and the innermost error, which helm prints last. */
				rc = err_set(rc, "%.700s ... error calling include: rendering template has a "
					     "nested reference name: %s: unable to execute template",
					     msg, st->include_limit_name);
				buf_release(&b);
				goto done;
			}
			rc = exec_error(rc, t->name, msg);
			buf_release(&b);
			goto done;
		}
		remove_no_value(&b);
		r[n].name = t->name;
		r[n].len = b.len;
		if (b.len >= 65536) {
			/* a big output (a CRD in templates/) is handed over, not copied */
			char *text = buf_detach(&b, NULL);
			arena_own(a, text);
			r[n].text = text;
		} else {
			r[n].text = arena_strndup(a, b.ptr, b.len);
		}
		n++;
	}
	buf_release(&b);
	*out = r;
	*nout = n;
done:
	tset_free(set);
	return rc;
}

/* ---- Splitting and sorting (releaseutil) ------------------------------------------------ */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void trim(const char **p, size_t *len)
{
	const char *s = *p, *e = *p + *len;
	while (s < e && is_space(*s))
		s++;
	while (e > s && is_space(e[-1]))
		e--;
	*p = s;
	*len = (size_t)(e - s);
}

/* in_place: the pieces are cut out of text (a NUL written after each), not copied. */
static size_t split_manifests(struct arena *a, char *text, size_t len, bool in_place,
			      const char ***out)
{
	const char *s = text;
	size_t n = len;
	trim(&s, &n);
	size_t count = 0, cap = 0;
	const char **docs = NULL;
	/* Go's regexp (?:^|\s*\n)---\s* splitting s: a match is "---" at the start, or a run
	 * of whitespace whose last byte is '\n' followed by "---"; then whitespace. */
	size_t piece = 0, i = 0;
	while (i <= n) {
		size_t mstart = 0, mend = 0;
		bool found = false;
		if (i == 0 && n >= 3 && !memcmp(s, "---", 3)) {
			mstart = 0, mend = 3, found = true;
		} else {
			/* The leftmost match holds the first "\n---" at or after i, and starts
			 * where the whitespace before that newline does (not before i). */
			for (size_t q = i; q + 4 <= n; q++) {
				const char *nl = memchr(s + q, '\n', n - q - 3);
				if (!nl)
					break;
				q = (size_t)(nl - s);
				if (memcmp(nl + 1, "---", 3))
					continue;
				mstart = q;
				while (mstart > i && is_space(s[mstart - 1]))
					mstart--;
				mend = q + 4, found = true;
				break;
			}
		}
		if (found) {
			while (mend < n && is_space(s[mend]))
				mend++;
		} else {
			mstart = mend = n;
		}
		const char *d = s + piece;
		size_t dlen = mstart - piece;
		if (dlen) {
			trim(&d, &dlen);
			if (count == cap)
				docs = arena_grow(a, docs, &cap, count + 1, sizeof(*docs));
			if (in_place) {
				((char *)d)[dlen] = '\0'; /* a byte of the separator, or the end */
				docs[count++] = d;
			} else {
				docs[count++] = arena_strndup(a, d, dlen);
			}
		}
		if (!found)
			break;
		piece = i = mend;
	}
	*out = docs;
	return count;
}

size_t helm_split_manifests(struct arena *a, const char *text, size_t len, const char ***out)
{
	return split_manifests(a, (char *)text, len, false, out);
}

static const char *const install_order[] = {
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
	"PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList",
	"ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
	"CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
	"ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
	"DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
	"HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress",
	"APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
};

static int kind_rank(const char *kind)
{
	for (size_t i = 0; i < sizeof(install_order) / sizeof(install_order[0]); i++)
		if (!strcmp(install_order[i], kind))
			return (int)i;
	return -1;
}

/* lessByKind: known kinds in install order before unknown ones, those by name. */
static bool less_by_kind(const char *ka, const char *kb)
{
	int a = kind_rank(ka), b = kind_rank(kb);
	if (a < 0 && b < 0)
		return strcmp(ka, kb) < 0;
	if (a < 0)
		return false;
	if (b < 0)
		return true;
	return a < b;
}

struct manifest {
	const char *name, *content, *kind;
};

/* A stable insertion sort by kind (sort.SliceStable). */
static void sort_manifests(struct manifest *m, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct manifest t = m[i];
		size_t j = i;
		while (j > 0 && less_by_kind(t.kind, m[j - 1].kind)) {
			m[j] = m[j - 1];
			j--;
		}
		m[j] = t;
	}
}

static void sort_hooks(struct helm_hook *h, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct helm_hook t = h[i];
		size_t j = i;
		while (j > 0 && less_by_kind(t.kind, h[j - 1].kind)) {
			h[j] = h[j - 1];
			j--;
		}
		h[j] = t;
	}
}

static int rendered_cmp(const void *pa, const void *pb)
{
	const struct rendered *a = pa, *b = pb;
	return strcmp(a->name, b->name);
}

static const char *json_kind(const struct doc_node *n)
{
	switch (n->kind) {
	case DOC_STR: return "string";
	case DOC_INT:
	case DOC_FLOAT: return "number";
	case DOC_BOOL: return "bool";
	case DOC_SEQ: return "array";
	default: return "object";
	}
}

/* The go-yaml v2 message inside our parser's "'name': line N: msg". */
static const char *yaml_reason(const char *msg)
{
	const char *p = strstr(msg, ": line ");
	if (p) {
		const char *q = strstr(p + 7, ": ");
		if (q)
			return q + 2;
	}
	return msg;
}

static bool hook_event_known(const char *e, size_t n, bool *test)
{
	static const char *const events[] = {
		"pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
		"post-upgrade", "pre-rollback", "post-rollback", "test", "test-success",
	};
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		if (strlen(events[i]) == n && !strncmp(events[i], e, n)) {
			if (i >= 8)
				*test = true;
			return true;
		}
	}
	return false;
}

/* What sorting needs of a rendered document (releaseutil's SimpleHead): read from the
 * text when it is plain block YAML (doc_yaml_peek), else parsed in a scratch arena, as
 * helm's yaml.Unmarshal reads it (a repeated key: the last one wins). */
struct head {
	const char *kind, *name; /* "" when absent */
	const char *hook;	 /* helm.sh/hook, or NULL */
	const char *weight;	 /* helm.sh/hook-weight, or NULL */
};

static const char *scalar_text(struct arena *a, const struct doc_node *n)
{
	if (!n)
		return NULL;
	switch (n->kind) {
	case DOC_STR:
	case DOC_INT:
	case DOC_FLOAT:
		return arena_strdup(a, n->u.str.ptr);
	case DOC_BOOL:
		return n->u.boolean ? "true" : "false";
	default:
		return NULL;
	}
}

static int read_head(struct arena *a, const char *file, const char *doc, struct head *h)
{
	size_t len = strlen(doc);
	struct doc_peek_field f[] = {
		{ { "kind" }, NULL },
		{ { "metadata", "name" }, NULL },
		{ { "metadata", "annotations", "helm.sh/hook" }, NULL },
		{ { "metadata", "annotations", "helm.sh/hook-weight" }, NULL },
	};
	if (doc_yaml_peek(a, doc, len, f, sizeof(f) / sizeof(f[0]))) {
		h->kind = f[0].value ? f[0].value : "";
		h->name = f[1].value ? f[1].value : "";
		h->hook = f[2].value;
		h->weight = f[3].value;
		return 0;
	}
	struct arena *scratch = arena_new();
	struct doc_limits lim = { .duplicate_keys_last_wins = true };
	struct doc_stream ds = { 0 };
	int rc = 0;
	if (doc_parse_yaml(scratch, file, doc, len, &lim, &ds)) {
		rc = err_set(ERR_INVALID, "YAML parse error on %s: error converting YAML to JSON: yaml: %s",
			     file, yaml_reason(err_msg()));
		goto done;
	}
	const struct doc_node *root = ds.len ? ds.docs[0] : NULL;
	if (root && root->kind != DOC_MAP && root->kind != DOC_NULL) {
		rc = err_set(ERR_INVALID,
			     "YAML parse error on %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type util.SimpleHead",
			     file, json_kind(root));
		goto done;
	}
	const struct doc_node *md = root && root->kind == DOC_MAP ? doc_map_get(root, "metadata") : NULL;
	const struct doc_node *ann = md && md->kind == DOC_MAP ? doc_map_get(md, "annotations") : NULL;
	const struct doc_node *kind = root && root->kind == DOC_MAP ? doc_map_get(root, "kind") : NULL;
	const struct doc_node *name = md && md->kind == DOC_MAP ? doc_map_get(md, "name") : NULL;
	const struct doc_node *w = ann && ann->kind == DOC_MAP ? doc_map_get(ann, "helm.sh/hook-weight") : NULL;
	h->kind = kind && kind->kind == DOC_STR ? arena_strdup(a, kind->u.str.ptr) : "";
	h->name = name && name->kind == DOC_STR ? arena_strdup(a, name->u.str.ptr) : "";
	h->hook = scalar_text(a, ann && ann->kind == DOC_MAP ? doc_map_get(ann, "helm.sh/hook") : NULL);
	h->weight = w && w->kind == DOC_STR ? arena_strdup(a, w->u.str.ptr) : NULL;
done:
	arena_free(scratch);
	return rc;
}

/* strconv.Atoi of helm.sh/hook-weight; 0 when it is not a decimal integer. */
static int hook_weight(const char *w)
{
	if (!w)
		return 0;
	const char *d = w + (*w == '+' || *w == '-');
	if (*d < '0' || *d > '9')
		return 0;
	char *endp;
	errno = 0;
	long long v = strtoll(w, &endp, 10);
	if (*endp || errno || v < INT_MIN || v > INT_MAX)
		return 0;
	return (int)v;
}

static int sort_files(struct arena *a, struct rendered *files, size_t nfiles,
		      struct manifest **mout, size_t *nm, struct helm_hook **hout, size_t *nh)
{
	qsort(files, nfiles, sizeof(*files), rendered_cmp);
	size_t mcap = 0, hcap = 0;
	struct manifest *ms = NULL;
	struct helm_hook *hs = NULL;
	int rc;
	*nm = *nh = 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct rendered *f = &files[i];
		if (path_base(f->name)[0] == '_')
			continue;
		const char *t = f->text;
		size_t tl = f->len;
		trim(&t, &tl);
		if (!tl)
			continue;
		const char **docs;
		size_t nd = split_manifests(a, f->text, f->len, true, &docs);
		for (size_t j = 0; j < nd; j++) {
			struct head h = { 0 };
			if ((rc = read_head(a, f->name, docs[j], &h)))
				return rc;
			if (!h.hook) {
				if (*nm == mcap)
					ms = arena_grow(a, ms, &mcap, *nm + 1, sizeof(*ms));
				ms[(*nm)++] = (struct manifest){ f->name, docs[j], h.kind };
				continue;
			}
			const char *events = h.hook;
			bool test = false, unknown = false;
			for (const char *p = events;;) {
				const char *comma = strchr(p, ',');
				const char *e = comma ? comma : p + strlen(p);
				const char *s = p;
				size_t n = (size_t)(e - s);
				trim(&s, &n);
				char *low = arena_strndup(a, s, n);
				for (char *c = low; *c; c++)
					if (*c >= 'A' && *c <= 'Z')
						*c = (char)(*c - 'A' + 'a');
				if (!hook_event_known(low, n, &test)) {
					unknown = true;
					break;
				}
				if (!comma)
					break;
				p = comma + 1;
			}
			if (unknown)
				continue;
			int weight = hook_weight(h.weight);
			const char *name = h.name;
			if (*nh == hcap)
				hs = arena_grow(a, hs, &hcap, *nh + 1, sizeof(*hs));
			hs[(*nh)++] = (struct helm_hook){ f->name, docs[j], h.kind, name, weight, test };
		}
	}
	sort_manifests(ms, *nm);
	sort_hooks(hs, *nh);
	*mout = ms;
	*hout = hs;
	return 0;
}

/* "---\n# Source: NAME\nCONTENT\n" (not through printf: CONTENT may be megabytes) */
static bool has_manifest_ext(const char *name)
{
	size_t n = strlen(name);
	return (n >= 5 && !strcmp(name + n - 5, ".yaml")) || (n >= 4 && !strcmp(name + n - 4, ".yml")) ||
	       (n >= 5 && !strcmp(name + n - 5, ".json"));
}

struct parts {
	struct helm_manifest_part *items;
	size_t len, cap;
};

static void add_part(struct arena *a, struct parts *p, const char *source, const char *content,
		     size_t len)
{
	p->items = arena_grow(a, p->items, &p->cap, p->len + 1, sizeof(*p->items));
	p->items[p->len++] = (struct helm_manifest_part){ source, content, len };
}

static void add_crds(struct arena *a, const struct helm_chart *c, struct parts *p)
{
	const char *cpath = helm_chart_path(a, c);
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct helm_file *f = &c->files[i];
		if (strncmp(f->name, "crds/", 5) || !has_manifest_ext(f->name))
			continue;
		add_part(a, p, arena_sprintf(a, "%s/%s", cpath, f->name), f->data, f->len);
	}
	for (size_t i = 0; i < c->ndependencies; i++)
		add_crds(a, c->dependencies[i], p);
}

/* chartutil.IsCompatibleRange: a constraint or version that does not parse is no match. */
static bool kube_compatible(const char *constraint, const char *version)
{
	struct semver_constraint *c;
	struct semver v;
	if (semver_constraint_parse(constraint, &c))
		return false;
	bool ok = !semver_parse(version, &v) && semver_constraint_check(c, &v);
	semver_constraint_free(c);
	return ok;
}

int helm_check_kube_version(const char *v)
{
	struct arena *a = arena_new();
	struct helm_caps_options co = { v, NULL, 0 };
	struct tv *caps;
	int rc = helm_capabilities_object(a, &co, &caps);
	arena_free(a);
	return rc;
}

int helm_render_release(struct arena *a, struct helm_chart *chart, struct tv *user,
			const struct helm_render_options *o, struct helm_release_render *out)
{
	memset(out, 0, sizeof(*out));
	out->notes = "";
	int rc;
	struct tv *caps;
	struct helm_caps_options co = { o->kube_version, o->api_versions, o->napi_versions };
	if ((rc = helm_capabilities_object(a, &co, &caps)))
		return rc;
	if ((rc = check_release_name(o->release_name)))
		return rc;
	if (!user)
		user = tv_map_new(a);
	struct tv *vals;
	if ((rc = helm_values_coalesce(a, chart, user, &vals)))
		return rc;

	struct tv *top = tv_map_new(a);
	struct tv *rel = tv_map_new(a);
	tv_map_set(a, rel, "Name", tv_str(a, o->release_name));
	tv_map_set(a, rel, "Namespace",
		   tv_str(a, o->namespace && *o->namespace ? o->namespace : "default"));
	tv_map_set(a, rel, "IsUpgrade", tv_bool(o->is_upgrade));
	tv_map_set(a, rel, "IsInstall", tv_bool(!o->is_upgrade));
	tv_map_set(a, rel, "Revision", tv_int(a, o->revision > 0 ? o->revision : 1));
	tv_map_set(a, rel, "Service", tv_str(a, "Helm"));
	tv_map_set(a, top, "Chart", helm_chart_map(a, chart));
	tv_map_set(a, top, "Capabilities", caps);
	tv_map_set(a, top, "Release", rel);
	vals->type = "common.Values";
	tv_map_set(a, top, "Values", vals);

	out->render_failed = true;
	struct checks ck = { chart, vals, caps, !o->skip_schema_validation };
	struct rendered *files = NULL;
	size_t nfiles = 0;
	if ((rc = render_templates(a, chart, top, o, &ck, &files, &nfiles)))
		return rc;

	/* NOTES.txt: the root chart's is the release's notes; every one is left out. */
	const char *root_notes = arena_sprintf(a, "%s/templates/NOTES.txt", chart->metadata.name);
	size_t w = 0;
	for (size_t i = 0; i < nfiles; i++) {
		size_t n = strlen(files[i].name);
		if (n >= 9 && !strcmp(files[i].name + n - 9, "NOTES.txt")) {
			if (!strcmp(files[i].name, root_notes))
				out->notes = files[i].text;
			continue;
		}
		files[w++] = files[i];
	}
	nfiles = w;

	struct manifest *ms = NULL;
	size_t nm = 0;
	if ((rc = sort_files(a, files, nfiles, &ms, &nm, &out->hooks, &out->nhooks)))
		return rc;
	struct parts p = { 0 };
	if (o->include_crds)
		add_crds(a, chart, &p);
	for (size_t i = 0; i < nm; i++)
		add_part(a, &p, ms[i].name, ms[i].content, strlen(ms[i].content));
	out->parts = p.items;
	out->nparts = p.len;
	out->manifest_len = 0;
	for (size_t i = 0; i < p.len; i++)
		out->manifest_len += sizeof("---\n# Source: \n\n") - 1 + strlen(p.items[i].source) +
				     p.items[i].len;
	out->render_failed = false;
	return 0;
}

/* path/filepath.Match on '/'-separated names: `*` and `?` stop at '/', `[...]` classes
 * with `^` or `!`, `\` escapes. Malformed patterns match nothing (helm ignores the error). */
static bool fp_match(const char *p, const char *s)
{
	while (*p) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			for (const char *t = s;; t++) {
				if (fp_match(p, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?') {
			if (*s == '/')
				return false;
			p++, s++;
			continue;
		}
		if (*p == '[') {
			p++;
			bool neg = false, hit = false;
			if (*p == '^' || *p == '!')
				neg = true, p++;
			bool first = true;
			while (*p && (*p != ']' || first)) {
				first = false;
				char lo = *p;
				if (lo == '\\' && p[1])
					lo = *++p;
				char hi = lo;
				if (p[1] == '-' && p[2] && p[2] != ']') {
					hi = p[2];
					if (hi == '\\' && p[3])
						hi = p[3], p++;
					p += 2;
				}
				if (*s >= lo && *s <= hi)
					hit = true;
				p++;
			}
			if (!*p)
				return false;
			p++;
			if (hit == neg || *s == '/')
				return false;
			s++;
			continue;
		}
		char c = *p;
		if (c == '\\' && p[1])
			c = *++p;
		if (c != *s)
			return false;
		p++, s++;
	}
	return !*s;
}

/* A writer that passes its input on with leading and trailing whitespace cut (the
 * TrimSpace helm applies to the joined manifest) without joining it: a run of whitespace
 * is held back until something else follows it. */
struct trim_writer {
	helm_write_fn *write;
	void *ctx;
	bool started;
	struct buf held;
};

static void trim_write(struct trim_writer *t, const char *s, size_t n)
{
	if (!t->started) {
		while (n && is_space(*s))
			s++, n--;
		if (!n)
			return;
		t->started = true;
	}
	size_t keep = n;
	while (keep && is_space(s[keep - 1]))
		keep--;
	if (keep) {
		if (t->held.len)
			t->write(t->ctx, t->held.ptr, t->held.len);
		buf_reset(&t->held);
		t->write(t->ctx, s, keep);
	}
	buf_add(&t->held, s + keep, n - keep);
}

static void write_part(helm_write_fn *write, void *ctx, const char *source, const char *content,
		       size_t len)
{
	write(ctx, "---\n# Source: ", 14);
	write(ctx, source, strlen(source));
	write(ctx, "\n", 1);
	write(ctx, content, len);
	write(ctx, "\n", 1);
}

static void trim_write_part(void *ctx, const char *data, size_t len)
{
	trim_write(ctx, data, len);
}

static void buf_write(void *ctx, const char *data, size_t len)
{
	buf_add(ctx, data, len);
}

const char *helm_release_manifest(struct arena *a, const struct helm_release_render *r)
{
	struct buf b = BUF_INIT;
	buf_reserve(&b, r->manifest_len);
	for (size_t i = 0; i < r->nparts; i++)
		write_part(buf_write, &b, r->parts[i].source, r->parts[i].content, r->parts[i].len);
	char *m = buf_detach(&b, NULL);
	arena_own(a, m);
	return m;
}

/* Manifests (trimmed as a whole), a newline, then the hooks helm template prints. */
static void template_all(const struct helm_release_render *r, const struct helm_template_options *o,
			 helm_write_fn *write, void *ctx)
{
	struct trim_writer t = { write, ctx, false, BUF_INIT };
	for (size_t i = 0; i < r->nparts; i++)
		write_part(trim_write_part, &t, r->parts[i].source, r->parts[i].content,
			   r->parts[i].len);
	buf_release(&t.held);
	write(ctx, "\n", 1);
	if (o->no_hooks)
		return;
	for (size_t i = 0; i < r->nhooks; i++) {
		if (o->skip_tests && r->hooks[i].test)
			continue;
		const char *m = r->hooks[i].manifest;
		write_part(write, ctx, r->hooks[i].path, m, strlen(m));
	}
}

int helm_template_write(struct arena *a, const struct helm_release_render *r,
			const struct helm_template_options *o, helm_write_fn *write, void *ctx)
{
	if (!o->nshow_only) {
		template_all(r, o, write, ctx);
		return 0;
	}
	struct buf m = BUF_INIT;
	buf_reserve(&m, r->manifest_len + 1);
	template_all(r, o, buf_write, &m);
	const char **docs;
	size_t nd = helm_split_manifests(a, m.ptr, m.len, &docs);
	buf_release(&m);
	/* every pattern checked before anything is written, as helm does */
	const char **picked = arena_alloc(a, (o->nshow_only * nd + 1) * sizeof(*picked));
	size_t npicked = 0;
	for (size_t i = 0; i < o->nshow_only; i++) {
		bool missing = true;
		for (size_t j = 0; j < nd; j++) {
			/* "# Source: [^/]+/(.+)" */
			const char *src = strstr(docs[j], "# Source: ");
			if (!src)
				continue;
			const char *p = src + 10;
			const char *q = p;
			while (*q && *q != '/' && *q != '\n')
				q++;
			if (q == p || *q != '/' || !q[1] || q[1] == '\n')
				continue;
			q++;
			const char *e = strchr(q, '\n');
			char *path = arena_strndup(a, q, e ? (size_t)(e - q) : strlen(q));
			if (!fp_match(o->show_only[i], path))
				continue;
			picked[npicked++] = docs[j];
			missing = false;
		}
		if (missing)
			return err_set(ERR_NOTFOUND, "could not find template %s in chart",
				       o->show_only[i]);
	}
	for (size_t i = 0; i < npicked; i++) {
		write(ctx, "---\n", 4);
		write(ctx, picked[i], strlen(picked[i]));
		write(ctx, "\n", 1);
	}
	return 0;
}

int helm_template_output(struct arena *a, const struct helm_release_render *r,
			 const struct helm_template_options *o, struct buf *out)
{
	return helm_template_write(a, r, o, buf_write, out);
}
