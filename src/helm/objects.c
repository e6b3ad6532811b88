/*
 * Helm's render objects as templates see them through reflect: .Files (engine.files, a map
 * of file names to bytes with methods Get, GetBytes, Glob, Lines, AsConfig, AsSecrets),
 * .Capabilities (*common.Capabilities: KubeVersion with its String and GitVersion methods,
 * APIVersions with Has, HelmVersion) and .Chart (helm v4's MetadataAsMap: Chart.yaml's
 * fields under their Go names, so `.Chart.name` is a missing key, plus IsRoot).
 * .Release, .Values and .Template are plain maps and built by render.c.
 *
 * Everything lives in the render's arena; objects never change after they are made (Glob
 * makes a new file set).
 */
#include "helm/render_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "helm/chart.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* The Helm release these objects claim to be (.Capabilities.HelmVersion): charts compare
 * it (traefik needs >= 3.9.0), and bitnami's common library matches its %v shape. */
#define HELM_VERSION "v4.1.4"
#define HELM_GIT_COMMIT "05fa37973dc9e42b76e1d2883494c87174b6074f"
#define HELM_GO_VERSION "go1.25.9"
#define HELM_KUBE_CLIENT_VERSION "v1.35"
/* helm v4.1.4's default .Capabilities.KubeVersion: client-go v0.35's major + 1. */
#define HELM_DEFAULT_KUBE_MAJOR "1"
#define HELM_DEFAULT_KUBE_MINOR "35"

/* ---- Arguments of method calls, as text/template's evalCall checks them ------------- */

static int want_args(struct texec *x, const char *name, size_t want, size_t got)
{
	if (want == got)
		return 0;
	return texec_fail(x, "wrong number of args for %s: want %zu got %zu", name, want, got);
}

static int want_string(struct texec *x, const struct tv *v, const char **out)
{
	if (v->kind == TV_STRING && (!v->type || !strcmp(v->type, "string"))) {
		*out = v->u.s.ptr;
		return 0;
	}
	if (v->kind == TV_STRING) { /* a named string type converts, as reflect allows */
		*out = v->u.s.ptr;
		return 0;
	}
	if (v->kind == TV_INVALID || v->kind == TV_NIL)
		return texec_fail(x, "invalid value; expected string");
	return texec_fail(x, "wrong type for value; expected string; got %s", tv_type_name(v));
}

/* ---- .Files ------------------------------------------------------------------------ */

struct files {
	const struct helm_file **items; /* sorted by name */
	size_t len;
};

static const struct tv_object_type files_type;

static int file_cmp(const void *a, const void *b)
{
	const struct helm_file *x = *(const struct helm_file *const *)a;
	const struct helm_file *y = *(const struct helm_file *const *)b;
	return strcmp(x->name, y->name);
}

struct tv *helm_files_object(struct arena *a, const struct helm_chart *c)
{
	struct files *f = arena_alloc(a, sizeof(*f));
	f->items = arena_alloc(a, (c->nfiles + 1) * sizeof(*f->items));
	for (size_t i = 0; i < c->nfiles; i++)
		f->items[f->len++] = &c->files[i];
	qsort(f->items, f->len, sizeof(*f->items), file_cmp);
	/* A name twice (never from the loader) keeps the later one, as a Go map would. */
	struct tv *v = tv_object(a, &files_type, f);
	v->type = "engine.files";
	return v;
}

static const struct helm_file *files_find(const struct files *f, const char *name)
{
	size_t lo = 0, hi = f->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(f->items[mid]->name, name);
		if (c == 0)
			return f->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * gobwas/glob with '/' as the separator, as .Files.Glob compiles patterns: `*` is any run
 * of non-separators, `**` any run, `?` one non-separator, `[abc]`, `[!a-z]`, `{a,b}`
 * alternatives (nested), `\` escapes. Backtracking is bounded by *budget so a tenant's
 * pattern cannot take exponential time; an exhausted budget is no match.
 */
static bool glob_valid(const char *p)
{
	int braces = 0;
	for (; *p; p++) {
		if (*p == '\\') {
			if (!p[1])
				return false;
			p++;
		} else if (*p == '[') {
			p++;
			if (*p == '!')
				p++;
			while (*p && *p != ']') {
				if (*p == '\\' && p[1])
					p++;
				p++;
			}
			if (!*p)
				return false;
		} else if (*p == '{') {
			braces++;
		} else if (*p == '}') {
			if (--braces < 0)
				return false;
		}
	}
	return braces == 0;
}

/* The end of the alternative group starting at p (at '{'): the matching '}'. */
static const char *brace_end(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			while (*p && *p != ']')
				p++;
			if (!*p)
				return p;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}') {
			if (--depth == 0)
				return p;
		}
	}
	return p;
}

static bool glob_match(const char *p, const char *pend, const char *s, long *budget);

/* Matches the concatenation of alt[0..altlen) and rest against s. */
static bool glob_match_cat(const char *alt, size_t altlen, const char *rest, const char *rend,
			   const char *s, long *budget)
{
	size_t rlen = (size_t)(rend - rest);
	char *tmp = malloc(altlen + rlen + 1);
	if (!tmp)
		abort();
	memcpy(tmp, alt, altlen);
	memcpy(tmp + altlen, rest, rlen);
	tmp[altlen + rlen] = '\0';
	bool ok = glob_match(tmp, tmp + altlen + rlen, s, budget);
	free(tmp);
	return ok;
}

static bool glob_match(const char *p, const char *pend, const char *s, long *budget)
{
	while (p < pend) {
		if (--*budget <= 0)
			return false;
		if (*p == '*') {
			bool any = p + 1 < pend && p[1] == '*';
			const char *rest = p + (any ? 2 : 1);
			while (rest < pend && *rest == '*')
				rest++;
			for (const char *t = s;; t++) {
				if (glob_match(rest, pend, t, budget))
					return true;
				if (!*t || (!any && *t == '/') || *budget <= 0)
					return false;
			}
		}
		if (*p == '{') {
			const char *end = brace_end(p);
			const char *alt = p + 1;
			int depth = 0;
			for (const char *q = p + 1; q <= end; q++) {
				if (*q == '\\' && q + 1 < end) {
					q++;
					continue;
				}
				if (*q == '{')
					depth++;
				else if (*q == '}' && depth > 0)
					depth--;
				else if ((*q == ',' && depth == 0) || q == end) {
					if (glob_match_cat(alt, (size_t)(q - alt), end + 1, pend, s, budget))
						return true;
					alt = q + 1;
				}
			}
			return false;
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
			const char *q = p + 1;
			bool neg = false, hit = false;
			if (*q == '!')
				neg = true, q++;
			while (q < pend && *q != ']') {
				char lo = *q;
				if (lo == '\\' && q + 1 < pend)
					lo = *++q;
				char hi = lo;
				if (q + 2 < pend && q[1] == '-' && q[2] != ']') {
					hi = q[2];
					q += 2;
				}
				if ((unsigned char)*s >= (unsigned char)lo &&
				    (unsigned char)*s <= (unsigned char)hi)
					hit = true;
				q++;
			}
			if (hit == neg || (neg && *s == '/'))
				return false;
			p = q + 1;
			s++;
			continue;
		}
		char c = *p;
		if (c == '\\' && p + 1 < pend)
			c = *++p;
		if (*s != c)
			return false;
		p++, s++;
	}
	return !*s;
}

static bool files_glob_match(const char *pattern, const char *name)
{
	long budget = 1000000;
	return glob_match(pattern, pattern + strlen(pattern), name, &budget);
}

static const char *path_base(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

/* helm's toYAML: yaml.Marshal, the final newline trimmed; "" when it fails. */
static struct tv *files_to_yaml(struct texec *x, const struct tv *m)
{
	struct buf b = BUF_INIT;
	struct tv *out;
	if (helm_to_yaml(x, &b, m)) {
		out = tv_str(texec_arena(x), "");
	} else {
		if (b.len && b.ptr[b.len - 1] == '\n')
			b.len--;
		out = tv_strn(texec_arena(x), b.ptr, b.len);
	}
	buf_release(&b);
	return out;
}

static int files_member(struct texec *x, const struct tv *self, const char *name,
			struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	(void)has_args;
	const struct files *f = self->u.obj.data;
	struct arena *a = texec_arena(x);
	const char *arg = NULL;
	int rc;
	if (!strcmp(name, "Get") || !strcmp(name, "GetBytes") || !strcmp(name, "Lines") ||
	    !strcmp(name, "Glob")) {
		if ((rc = want_args(x, name, 1, nargs)) || (rc = want_string(x, args[0], &arg)))
			return rc;
	} else if (!strcmp(name, "AsConfig") || !strcmp(name, "AsSecrets")) {
		if ((rc = want_args(x, name, 0, nargs)))
			return rc;
	} else {
		return 0;
	}
	if (!strcmp(name, "Get") || !strcmp(name, "GetBytes")) {
		const struct helm_file *hf = files_find(f, arg);
		const char *data = hf ? hf->data : "";
		size_t len = hf ? hf->len : 0;
		*out = name[3] ? tv_bytes(a, data, len) : tv_strn(a, data, len);
		return 1;
	}
	if (!strcmp(name, "Lines")) {
		const struct helm_file *hf = files_find(f, arg);
		struct tv *l = tv_list(a, 8);
		l->type = "[]string";
		*out = l;
		if (!hf)
			return 1;
		if (hf->len == 0) /* helm indexes s[len(s)-1] of the empty string and panics */
			return texec_fail(x, "runtime error: index out of range [-1]");
		size_t len = hf->len;
		if (hf->data[len - 1] == '\n')
			len--;
		const char *p = hf->data, *end = hf->data + len;
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *e = nl ? nl : end;
			tv_list_push(a, l, tv_strn(a, p, (size_t)(e - p)));
			if (!nl)
				break;
			p = nl + 1;
		}
		return 1;
	}
	if (!strcmp(name, "Glob")) {
		const char *pat = glob_valid(arg) ? arg : "**";
		struct files *nf = arena_alloc(a, sizeof(*nf));
		nf->items = arena_alloc(a, (f->len + 1) * sizeof(*nf->items));
		for (size_t i = 0; i < f->len; i++)
			if (files_glob_match(pat, f->items[i]->name))
				nf->items[nf->len++] = f->items[i];
		struct tv *v = tv_object(a, &files_type, nf);
		v->type = "engine.files";
		*out = v;
		return 1;
	}
	/* AsConfig, AsSecrets: base names to contents (or base64), as YAML. */
	bool secrets = !strcmp(name, "AsSecrets");
	struct tv *m = tv_map_new(a);
	m->type = "map[string]string";
	for (size_t i = 0; i < f->len; i++) {
		const struct helm_file *hf = f->items[i];
		struct tv *val;
		if (secrets) {
			struct buf b = BUF_INIT;
			base64_encode(&b, hf->data, hf->len);
			val = tv_strn(a, b.ptr, b.len);
			buf_release(&b);
		} else {
			val = tv_strn(a, hf->data, hf->len);
		}
		tv_map_set(a, m, path_base(hf->name), val);
	}
	*out = files_to_yaml(x, m);
	return 1;
}

static struct tv *files_to_data(struct texec *x, const struct tv *self)
{
	const struct files *f = self->u.obj.data;
	struct arena *a = texec_arena(x);
	struct tv *m = tv_map_new(a);
	m->type = "map[string][]uint8";
	for (size_t i = 0; i < f->len; i++)
		tv_map_set(a, m, f->items[i]->name, tv_bytes(a, f->items[i]->data, f->items[i]->len));
	return m;
}

static void files_format(struct buf *out, const struct tv *self)
{
	/* fmt's %v of map[string][]byte: map[name:[104 105]] */
	const struct files *f = self->u.obj.data;
	buf_adds(out, "map[");
	for (size_t i = 0; i < f->len; i++) {
		if (i)
			buf_addch(out, ' ');
		buf_adds(out, f->items[i]->name);
		buf_adds(out, ":[");
		for (size_t j = 0; j < f->items[i]->len; j++)
			buf_addf(out, j ? " %u" : "%u", (unsigned char)f->items[i]->data[j]);
		buf_addch(out, ']');
	}
	buf_addch(out, ']');
}

static const struct tv_object_type files_type = {
	.name = "engine.files",
	.member = files_member,
	.to_data = files_to_data,
	.format = files_format,
};

/* ---- .Capabilities ------------------------------------------------------------------- */

struct kube_version {
	const char *version;    /* as given, with a leading v */
	const char *normalized; /* v + the numeric components */
	const char *major, *minor;
};

struct caps {
	struct kube_version kube;
	const char **apis;
	size_t napis;
};

static const struct tv_object_type caps_type, kube_version_type, version_set_type,
	build_info_type;

/* client-go v0.35's scheme (with apiextensions v1 and v1beta1), in its priority order:
 * helm's DefaultVersionSet. */
static const char *const default_apis[] = {
	"v1",
	"admissionregistration.k8s.io/v1",
	"admissionregistration.k8s.io/v1beta1",
	"admissionregistration.k8s.io/v1alpha1",
	"internal.apiserver.k8s.io/v1alpha1",
	"apps/v1",
	"apps/v1beta2",
	"apps/v1beta1",
	"authentication.k8s.io/v1",
	"authentication.k8s.io/v1beta1",
	"authentication.k8s.io/v1alpha1",
	"authorization.k8s.io/v1",
	"authorization.k8s.io/v1beta1",
	"autoscaling/v1",
	"autoscaling/v2",
	"autoscaling/v2beta1",
	"autoscaling/v2beta2",
	"batch/v1",
	"batch/v1beta1",
	"certificates.k8s.io/v1",
	"certificates.k8s.io/v1beta1",
	"certificates.k8s.io/v1alpha1",
	"coordination.k8s.io/v1",
	"coordination.k8s.io/v1beta1",
	"coordination.k8s.io/v1alpha2",
	"discovery.k8s.io/v1",
	"discovery.k8s.io/v1beta1",
	"events.k8s.io/v1",
	"events.k8s.io/v1beta1",
	"extensions/v1beta1",
	"flowcontrol.apiserver.k8s.io/v1",
	"flowcontrol.apiserver.k8s.io/v1beta3",
	"flowcontrol.apiserver.k8s.io/v1beta2",
	"flowcontrol.apiserver.k8s.io/v1beta1",
	"networking.k8s.io/v1",
	"networking.k8s.io/v1beta1",
	"node.k8s.io/v1",
	"node.k8s.io/v1beta1",
	"node.k8s.io/v1alpha1",
	"policy/v1",
	"policy/v1beta1",
	"rbac.authorization.k8s.io/v1",
	"rbac.authorization.k8s.io/v1beta1",
	"rbac.authorization.k8s.io/v1alpha1",
	"resource.k8s.io/v1",
	"resource.k8s.io/v1beta2",
	"resource.k8s.io/v1beta1",
	"resource.k8s.io/v1alpha3",
	"scheduling.k8s.io/v1",
	"scheduling.k8s.io/v1beta1",
	"scheduling.k8s.io/v1alpha1",
	"storage.k8s.io/v1",
	"storage.k8s.io/v1beta1",
	"storage.k8s.io/v1alpha1",
	"storagemigration.k8s.io/v1beta1",
	"apiextensions.k8s.io/v1",
	"apiextensions.k8s.io/v1beta1",
};

/*
 * k8s.io/apimachinery's version.ParseGeneric: optional spaces and 'v', then at least two
 * dot-separated numbers (the first without a leading zero), then anything. Sets the
 * normalized "vX.Y[.Z...]" form and major/minor.
 */
static int parse_kube_version(struct arena *a, const char *s, struct kube_version *out)
{
	const char *p = s;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
		p++;
	if (*p == 'v')
		p++;
	if (*p < '0' || *p > '9')
		return err_set(ERR_INVALID, "invalid kube version '%s': could not parse \"%s\" as version",
			       s, s);
	struct buf norm = BUF_INIT;
	buf_addch(&norm, 'v');
	size_t ncomp = 0;
	const char *major = NULL, *minor = NULL;
	for (;;) {
		const char *start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		size_t n = (size_t)(p - start);
		if (ncomp == 0 && n > 1 && *start == '0') {
			buf_release(&norm);
			return err_set(ERR_INVALID,
				       "invalid kube version '%s': illegal zero-prefixed version component \"%.*s\" in \"%s\"",
				       s, (int)n, start, s);
		}
		/* strconv.ParseUint: the number as a uint, without its leading zeros */
		unsigned long long v = 0;
		for (const char *q = start; q < p; q++) {
			if (v > (~0ULL - 9) / 10) {
				buf_release(&norm);
				return err_set(ERR_INVALID,
					       "invalid kube version '%s': illegal non-numeric version component \"%.*s\" in \"%s\": strconv.ParseUint: parsing \"%.*s\": value out of range",
					       s, (int)n, start, s, (int)n, start);
			}
			v = v * 10 + (unsigned)(*q - '0');
		}
		const char *num = arena_sprintf(a, "%llu", v);
		if (ncomp)
			buf_addch(&norm, '.');
		buf_adds(&norm, num);
		if (ncomp == 0)
			major = num;
		else if (ncomp == 1)
			minor = num;
		ncomp++;
		if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
			p++;
			continue;
		}
		break;
	}
	if (ncomp < 2) {
		buf_release(&norm);
		return err_set(ERR_INVALID, "invalid kube version '%s': illegal version string \"%s\"", s,
			       s);
	}
	out->version = s[0] == 'v' ? arena_strdup(a, s) : arena_sprintf(a, "v%s", s);
	out->normalized = arena_strndup(a, norm.ptr, norm.len);
	out->major = major;
	out->minor = minor;
	buf_release(&norm);
	return 0;
}

int helm_capabilities_object(struct arena *a, const struct helm_caps_options *o,
			     struct tv **out)
{
	struct caps *c = arena_alloc(a, sizeof(*c));
	if (o && o->kube_version && *o->kube_version) {
		int rc = parse_kube_version(a, o->kube_version, &c->kube);
		if (rc)
			return rc;
	} else {
		const char *v = "v" HELM_DEFAULT_KUBE_MAJOR "." HELM_DEFAULT_KUBE_MINOR ".0";
		c->kube = (struct kube_version){ v, v, HELM_DEFAULT_KUBE_MAJOR, HELM_DEFAULT_KUBE_MINOR };
	}
	size_t ndef = sizeof(default_apis) / sizeof(default_apis[0]);
	size_t nextra = o ? o->napi_versions : 0;
	c->apis = arena_alloc(a, (ndef + nextra + 1) * sizeof(*c->apis));
	for (size_t i = 0; i < ndef; i++)
		c->apis[c->napis++] = default_apis[i];
	for (size_t i = 0; i < nextra; i++)
		c->apis[c->napis++] = arena_strdup(a, o->api_versions[i]);
	struct tv *v = tv_object(a, &caps_type, c);
	v->type = "*common.Capabilities";
	*out = v;
	return 0;
}

const char *helm_capabilities_kube_version(const struct tv *caps)
{
	const struct caps *c = caps->u.obj.data;
	return c->kube.normalized;
}

const char *helm_capabilities_kube_git_version(const struct tv *caps)
{
	const struct caps *c = caps->u.obj.data;
	return c->kube.version;
}

static struct tv *typed(struct tv *v, const char *type)
{
	v->type = type;
	return v;
}

static int caps_member(struct texec *x, const struct tv *self, const char *name,
		       struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	(void)args, (void)nargs, (void)has_args;
	struct caps *c = self->u.obj.data;
	struct arena *a = texec_arena(x);
	if (!strcmp(name, "KubeVersion"))
		*out = typed(tv_object(a, &kube_version_type, &c->kube), "common.KubeVersion");
	else if (!strcmp(name, "APIVersions"))
		*out = typed(tv_object(a, &version_set_type, c), "common.VersionSet");
	else if (!strcmp(name, "HelmVersion"))
		*out = typed(tv_object(a, &build_info_type, NULL), "version.BuildInfo");
	else if (!strcmp(name, "Copy"))
		*out = typed(tv_object(a, &caps_type, c), "*common.Capabilities");
	else
		return 0;
	return 1;
}

static struct tv *kube_version_data(struct arena *a, const struct kube_version *k)
{
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "Version", tv_str(a, k->version));
	tv_map_set(a, m, "Major", tv_str(a, k->major));
	tv_map_set(a, m, "Minor", tv_str(a, k->minor));
	return m;
}

static struct tv *version_set_data(struct arena *a, const struct caps *c)
{
	struct tv *l = tv_list(a, c->napis);
	l->type = "common.VersionSet";
	for (size_t i = 0; i < c->napis; i++)
		tv_list_push(a, l, tv_str(a, c->apis[i]));
	return l;
}

static struct tv *build_info_data(struct arena *a)
{
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "version", tv_str(a, HELM_VERSION));
	tv_map_set(a, m, "git_commit", tv_str(a, HELM_GIT_COMMIT));
	tv_map_set(a, m, "git_tree_state", tv_str(a, "clean"));
	tv_map_set(a, m, "go_version", tv_str(a, HELM_GO_VERSION));
	tv_map_set(a, m, "kube_client_version", tv_str(a, HELM_KUBE_CLIENT_VERSION));
	return m;
}

static struct tv *caps_to_data(struct texec *x, const struct tv *self)
{
	const struct caps *c = self->u.obj.data;
	struct arena *a = texec_arena(x);
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "KubeVersion", kube_version_data(a, &c->kube));
	tv_map_set(a, m, "APIVersions", version_set_data(a, c));
	tv_map_set(a, m, "HelmVersion", build_info_data(a));
	return m;
}

static void version_set_format(struct buf *out, const struct tv *self)
{
	const struct caps *c = self->u.obj.data;
	buf_addch(out, '[');
	for (size_t i = 0; i < c->napis; i++) {
		if (i)
			buf_addch(out, ' ');
		buf_adds(out, c->apis[i]);
	}
	buf_addch(out, ']');
}

static void build_info_format(struct buf *out, const struct tv *self)
{
	(void)self;
	buf_adds(out, "{" HELM_VERSION " " HELM_GIT_COMMIT " clean " HELM_GO_VERSION " "
		      HELM_KUBE_CLIENT_VERSION "}");
}

/* fmt's %v of the pointer: &{{Version normalized Major Minor} [apis] {build info}} (the
 * KubeVersion field is printed as a struct: its String has a pointer receiver). */
static void caps_format(struct buf *out, const struct tv *self)
{
	const struct caps *c = self->u.obj.data;
	buf_addf(out, "&{{%s %s %s %s} ", c->kube.version, c->kube.normalized, c->kube.major,
		 c->kube.minor);
	version_set_format(out, self);
	buf_addch(out, ' ');
	build_info_format(out, self);
	buf_addch(out, '}');
}

static const struct tv_object_type caps_type = {
	.name = "*common.Capabilities",
	.member = caps_member,
	.to_data = caps_to_data,
	.format = caps_format,
};

static int kube_version_member(struct texec *x, const struct tv *self, const char *name,
			       struct tv *const *args, size_t nargs, bool has_args,
			       struct tv **out)
{
	(void)args, (void)has_args;
	const struct kube_version *k = self->u.obj.data;
	struct arena *a = texec_arena(x);
	if (!strcmp(name, "Version"))
		*out = tv_str(a, k->version);
	else if (!strcmp(name, "Major"))
		*out = tv_str(a, k->major);
	else if (!strcmp(name, "Minor"))
		*out = tv_str(a, k->minor);
	else if (!strcmp(name, "String") || !strcmp(name, "GitVersion")) {
		int rc = want_args(x, name, 0, nargs);
		if (rc)
			return rc;
		*out = tv_str(a, name[0] == 'S' ? k->normalized : k->version);
	} else
		return 0;
	return 1;
}

static struct tv *kube_version_to_data(struct texec *x, const struct tv *self)
{
	return kube_version_data(texec_arena(x), self->u.obj.data);
}

static void kube_version_format(struct buf *out, const struct tv *self)
{
	const struct kube_version *k = self->u.obj.data;
	buf_adds(out, k->normalized);
}

static const struct tv_object_type kube_version_type = {
	.name = "common.KubeVersion",
	.member = kube_version_member,
	.to_data = kube_version_to_data,
	.format = kube_version_format,
};

static int version_set_member(struct texec *x, const struct tv *self, const char *name,
			      struct tv *const *args, size_t nargs, bool has_args,
			      struct tv **out)
{
	(void)has_args;
	const struct caps *c = self->u.obj.data;
	if (strcmp(name, "Has"))
		return 0;
	const char *want;
	int rc;
	if ((rc = want_args(x, name, 1, nargs)) || (rc = want_string(x, args[0], &want)))
		return rc;
	bool has = false;
	for (size_t i = 0; i < c->napis && !has; i++)
		has = !strcmp(c->apis[i], want);
	*out = tv_bool(has);
	return 1;
}

static struct tv *version_set_to_data(struct texec *x, const struct tv *self)
{
	return version_set_data(texec_arena(x), self->u.obj.data);
}

static const struct tv_object_type version_set_type = {
	.name = "common.VersionSet",
	.member = version_set_member,
	.to_data = version_set_to_data,
	.format = version_set_format,
};

static int build_info_member(struct texec *x, const struct tv *self, const char *name,
			     struct tv *const *args, size_t nargs, bool has_args,
			     struct tv **out)
{
	(void)self, (void)args, (void)nargs, (void)has_args;
	struct arena *a = texec_arena(x);
	const char *v = !strcmp(name, "Version")	     ? HELM_VERSION
			: !strcmp(name, "GitCommit")	     ? HELM_GIT_COMMIT
			: !strcmp(name, "GitTreeState")      ? "clean"
			: !strcmp(name, "GoVersion")	     ? HELM_GO_VERSION
			: !strcmp(name, "KubeClientVersion") ? HELM_KUBE_CLIENT_VERSION
							     : NULL;
	if (!v)
		return 0;
	*out = tv_str(a, v);
	return 1;
}

static struct tv *build_info_to_data(struct texec *x, const struct tv *self)
{
	(void)self;
	return build_info_data(texec_arena(x));
}

static const struct tv_object_type build_info_type = {
	.name = "version.BuildInfo",
	.member = build_info_member,
	.to_data = build_info_to_data,
	.format = build_info_format,
};

/* ---- .Chart ---------------------------------------------------------------------------- */

/*
 * A nil map[string]string (Chart.yaml without annotations): prints "map[]", marshals as
 * null, and any key reads as "" (missingkey=zero on a string map). NEEDSWORK: its truth is
 * an object's (true) where Go's empty map is false; the value model has no nil map.
 */
static int nil_map_member(struct texec *x, const struct tv *self, const char *name,
			  struct tv *const *args, size_t nargs, bool has_args, struct tv **out)
{
	(void)self, (void)name, (void)args, (void)nargs;
	if (has_args)
		return 0;
	*out = tv_str(texec_arena(x), "");
	return 1;
}

static struct tv *nil_map_to_data(struct texec *x, const struct tv *self)
{
	(void)x, (void)self;
	return &tv_nil_value;
}

static void nil_map_format(struct buf *out, const struct tv *self)
{
	(void)self;
	buf_adds(out, "map[]");
}

static const struct tv_object_type nil_string_map_type = {
	.name = "map[string]string",
	.member = nil_map_member,
	.to_data = nil_map_to_data,
	.format = nil_map_format,
};

static struct tv *str_or_empty(struct arena *a, const char *s)
{
	return tv_str(a, s ? s : "");
}

static struct tv *str_list(struct arena *a, const char *const *items, size_t n)
{
	struct tv *l = tv_list(a, n);
	for (size_t i = 0; i < n; i++)
		tv_list_push(a, l, str_or_empty(a, items[i]));
	return l;
}

struct tv *helm_chart_map(struct arena *a, const struct helm_chart *c)
{
	const struct helm_metadata *md = &c->metadata;
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "Name", str_or_empty(a, md->name));
	tv_map_set(a, m, "Home", str_or_empty(a, md->home));
	tv_map_set(a, m, "Sources", str_list(a, md->sources, md->nsources));
	tv_map_set(a, m, "Version", str_or_empty(a, md->version));
	tv_map_set(a, m, "Description", str_or_empty(a, md->description));
	tv_map_set(a, m, "Keywords", str_list(a, md->keywords, md->nkeywords));
	struct tv *maint = tv_list(a, md->nmaintainers);
	for (size_t i = 0; i < md->nmaintainers; i++) {
		struct tv *e = tv_map_new(a);
		tv_map_set(a, e, "Name", str_or_empty(a, md->maintainers[i].name));
		tv_map_set(a, e, "Email", str_or_empty(a, md->maintainers[i].email));
		tv_map_set(a, e, "URL", str_or_empty(a, md->maintainers[i].url));
		tv_list_push(a, maint, e);
	}
	tv_map_set(a, m, "Maintainers", maint);
	tv_map_set(a, m, "Icon", str_or_empty(a, md->icon));
	tv_map_set(a, m, "APIVersion", str_or_empty(a, md->api_version));
	const char *cond = md->raw ? doc_get_str(md->raw, "condition") : NULL;
	const char *tags = md->raw ? doc_get_str(md->raw, "tags") : NULL;
	tv_map_set(a, m, "Condition", str_or_empty(a, cond));
	tv_map_set(a, m, "Tags", str_or_empty(a, tags));
	tv_map_set(a, m, "AppVersion", str_or_empty(a, md->app_version));
	tv_map_set(a, m, "Deprecated", tv_bool(md->deprecated));
	if (md->annotations && md->annotations->kind == DOC_MAP) {
		struct tv *an = tv_map_new(a);
		an->type = "map[string]string";
		for (size_t i = 0; i < md->annotations->u.map.len; i++) {
			const struct doc_pair *p = &md->annotations->u.map.items[i];
			const struct doc_node *v = p->value;
			const char *s = v && (v->kind == DOC_STR || v->kind == DOC_INT ||
					      v->kind == DOC_FLOAT)
						? v->u.str.ptr
						: "";
			if (v && v->kind == DOC_BOOL)
				s = v->u.boolean ? "true" : "false";
			tv_map_set(a, an, p->key, tv_str(a, s));
		}
		tv_map_set(a, m, "Annotations", an);
	} else {
		tv_map_set(a, m, "Annotations", tv_object(a, &nil_string_map_type, NULL));
	}
	tv_map_set(a, m, "KubeVersion", str_or_empty(a, md->kube_version));
	struct tv *deps = tv_list(a, md->ndependencies);
	for (size_t i = 0; i < md->ndependencies; i++) {
		const struct helm_dependency *d = &md->dependencies[i];
		struct tv *e = tv_map_new(a);
		tv_map_set(a, e, "Name", str_or_empty(a, d->name));
		tv_map_set(a, e, "Version", str_or_empty(a, d->version));
		tv_map_set(a, e, "Repository", str_or_empty(a, d->repository));
		tv_map_set(a, e, "Condition", str_or_empty(a, d->condition));
		tv_map_set(a, e, "Tags", str_list(a, d->tags, d->ntags));
		tv_map_set(a, e, "Enabled", tv_bool(d->enabled));
		struct tv *iv = NULL;
		if (d->import_values)
			(void)tv_from_doc(a, d->import_values, 0, &iv);
		if (!iv || iv->kind != TV_LIST)
			iv = tv_list(a, 0);
		tv_map_set(a, e, "ImportValues", iv);
		tv_map_set(a, e, "Alias", str_or_empty(a, d->alias));
		tv_list_push(a, deps, e);
	}
	tv_map_set(a, m, "Dependencies", deps);
	tv_map_set(a, m, "Type", str_or_empty(a, md->type));
	tv_map_set(a, m, "IsRoot", tv_bool(c->parent == NULL));
	return m;
}
