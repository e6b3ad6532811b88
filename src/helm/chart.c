/*
 * The chart loader: helm's pkg/chart/v2/loader in C. A chart comes from a directory
 * (walked in lexical order, .helmignore applied, symlinks followed only inside the root)
 * or from a gzipped tar (util/tar: zlib and the tar formats Go reads, from memory; the
 * first path component dropped as helm does). Either way the files end up in one list that
 * load_files() sorts into Chart.yaml, values, schema, templates, the rest and the
 * subcharts of charts/ (directories, or .tgz archives loaded recursively), exactly where
 * helm's LoadFiles puts them. Every byte and file counts against one budget for the
 * whole tree (struct helm_load_limits), so a nested archive cannot multiply it.
 */
#include "helm/chart.h"
#include "helm/chart_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/doc.h"
#include "helm/helmignore.h"
#include "helm/values.h"
#include "template/template.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/semver.h"
#include "util/tar.h"
#include "util/utf8.h"
#include "util/banned.h"

#define MIB ((size_t)1 << 20)

struct budget {
	size_t archive_max, total_max, file_max, files_max, depth_max;
	size_t total, files;
};

struct rawfile {
	char *name;
	char *data;
	size_t len;
};

struct rawlist {
	struct rawfile *items;
	size_t len, cap;
};

static void budget_init(struct budget *b, const struct helm_load_limits *l)
{
	memset(b, 0, sizeof *b);
	b->archive_max = l && l->max_archive_bytes ? l->max_archive_bytes : 100 * MIB;
	b->total_max = l && l->max_total_bytes ? l->max_total_bytes : 256 * MIB;
	b->file_max = l && l->max_file_bytes ? l->max_file_bytes : 20 * MIB;
	b->files_max = l && l->max_files ? l->max_files : 20000;
	b->depth_max = l && l->max_depth ? l->max_depth : 20;
}

static int budget_take(struct budget *b, const char *name, size_t len)
{
	if (len > b->file_max)
		return err_set(ERR_TOOBIG, "chart file %s is larger than the maximum file size %zu",
			       name, b->file_max);
	if (++b->files > b->files_max)
		return err_set(ERR_TOOBIG, "chart has more than the maximum of %zu files", b->files_max);
	if (len > b->total_max - b->total)
		return err_set(ERR_TOOBIG, "decompressed chart is larger than the maximum size %zu",
			       b->total_max);
	b->total += len;
	return 0;
}

static void raw_push(struct arena *a, struct rawlist *l, char *name, char *data, size_t len)
{
	l->items = arena_grow(a, l->items, &l->cap, l->len + 1, sizeof *l->items);
	/* helm trims a UTF-8 byte order mark from every file */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	l->items[l->len++] = (struct rawfile){ name, data, len };
}

/* ---- Chart.yaml ----------------------------------------------------------------------- */

/* unicode.IsSpace */
static bool go_is_space(uint32_t r)
{
	switch (r) {
	case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0:
	case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
		return true;
	default:
		return r >= 0x2000 && r <= 0x200A;
	}
}

/* helm's sanitizeString (strings.Map over the runes): unicode.IsSpace becomes ' ', what
 * unicode.IsPrint refuses (controls, format characters such as U+200B and U+FEFF,
 * private use, unassigned) goes. Invalid UTF-8 (which the YAML reader lets through in no
 * file) would be U+FFFD there; it is left as it is here. */
static const char *sanitize(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	char *o = arena_alloc(a, n + 1), *w = o;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_valid_prefix(s + i, n - i);
		uint32_t r = len > 1 ? utf8_decode(s + i, len) : len ? (unsigned char)s[i] : 0xFFFD;
		if (!len)
			len = 1;
		if (go_is_space(r))
			*w++ = ' ';
		else if (r == 0xFFFD || tfmt_is_print(r))
			memcpy(w, s + i, len), w += len;
		i += len;
	}
	*w = '\0';
	return o;
}

/* A scalar read into a Go string field through sigs.k8s.io/yaml: a plain scalar is first
 * resolved as goyaml.v2 resolves it (YAML 1.1: y/yes/on are true, 0755 is octal, 0x1f
 * hex, 1_000 a thousand, past int64 a uint64 then a float), then written as the
 * conversion to the string target formats it (integers in decimal, floats in float32's
 * shortest %v form, so `appVersion: 1.10` is "1.1" and 1234567.0 "1.234567e+06"); a
 * quoted or tagged scalar is its text. NULL for null, absent, or a collection. */
static const char *scalar_string(struct arena *a, const struct doc_node *n)
{
	if (!n || n->kind == DOC_SEQ || n->kind == DOC_MAP)
		return NULL;
	if (n->kind == DOC_NULL && (n->style != DOC_STYLE_PLAIN || n->tag))
		return NULL;
	if (n->kind == DOC_STR && (n->style != DOC_STYLE_PLAIN || n->tag))
		return n->u.str.ptr;
	if (n->kind == DOC_BOOL)
		return n->u.boolean ? "true" : "false";
	struct tv *v;
	if (tv_from_doc(a, n, TV_FROM_DOC_YAML11 | TV_FROM_DOC_INT64, &v))
		return n->u.str.ptr;
	switch (v->kind) {
	case TV_NIL: return NULL;
	case TV_BOOL: return v->u.b ? "true" : "false";
	case TV_INT: return arena_sprintf(a, "%lld", (long long)v->u.i);
	case TV_UINT: return arena_sprintf(a, "%llu", (unsigned long long)v->u.u);
	case TV_FLOAT: {
		if (isinf(v->u.f))
			return v->u.f > 0 ? ".inf" : "-.inf";
		if (isnan(v->u.f))
			return ".nan";
		struct tv f = *v;
		f.type = "float32";
		f.u.f = (double)(float)v->u.f;
		struct buf b = BUF_INIT;
		tfmt_value(&b, &f);
		const char *out = arena_strndup(a, b.ptr, b.len);
		buf_release(&b);
		return out;
	}
	case TV_STRING: return v->u.s.ptr;
	default: return n->u.str.ptr;
	}
}

static const char *field_str(struct arena *a, const struct doc_node *m, const char *key)
{
	return scalar_string(a, doc_map_get(m, key));
}

static int str_list(struct arena *a, const struct doc_node *n, const char ***out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (!n || n->kind != DOC_SEQ)
		return 0;
	const char **v = arena_alloc(a, (n->u.seq.len + 1) * sizeof *v);
	for (size_t i = 0; i < n->u.seq.len; i++) {
		const char *s = scalar_string(a, n->u.seq.items[i]);
		v[i] = sanitize(a, s ? s : "");
	}
	*out = v;
	*len = n->u.seq.len;
	return 0;
}

static bool alias_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

static int read_dependencies(struct arena *a, struct helm_metadata *md, const struct doc_node *seq)
{
	if (!seq || seq->kind != DOC_SEQ)
		return 0;
	md->dependencies = arena_alloc(a, (seq->u.seq.len + 1) * sizeof *md->dependencies);
	md->ndependencies = seq->u.seq.len;
	for (size_t i = 0; i < seq->u.seq.len; i++) {
		const struct doc_node *d = seq->u.seq.items[i];
		struct helm_dependency *dep = &md->dependencies[i];
		if (!d || d->kind != DOC_MAP)
			return err_set(ERR_INVALID,
				       "validation: dependencies must not contain empty or null nodes");
		dep->name = sanitize(a, field_str(a, d, "name"));
		dep->version = sanitize(a, field_str(a, d, "version"));
		dep->repository = sanitize(a, field_str(a, d, "repository"));
		dep->condition = sanitize(a, field_str(a, d, "condition"));
		dep->alias = field_str(a, d, "alias");
		str_list(a, doc_map_get(d, "tags"), &dep->tags, &dep->ntags);
		struct doc_node *iv = doc_map_get(d, "import-values");
		dep->import_values = iv && iv->kind == DOC_SEQ ? iv : NULL;
		const struct doc_node *en = doc_map_get(d, "enabled");
		dep->enabled = en && en->kind == DOC_BOOL ? en->u.boolean : false;
	}
	return 0;
}

static int read_metadata(struct arena *a, struct helm_metadata *md, struct doc_node *root)
{
	md->raw = root;
	md->name = field_str(a, root, "name");
	md->home = field_str(a, root, "home");
	md->version = field_str(a, root, "version");
	md->description = field_str(a, root, "description");
	md->api_version = field_str(a, root, "apiVersion");
	md->app_version = field_str(a, root, "appVersion");
	md->kube_version = field_str(a, root, "kubeVersion");
	md->type = field_str(a, root, "type");
	md->icon = field_str(a, root, "icon");
	const struct doc_node *dep = doc_map_get(root, "deprecated");
	md->deprecated = dep && dep->kind == DOC_BOOL && dep->u.boolean;
	str_list(a, doc_map_get(root, "sources"), &md->sources, &md->nsources);
	str_list(a, doc_map_get(root, "keywords"), &md->keywords, &md->nkeywords);
	struct doc_node *ann = doc_map_get(root, "annotations");
	md->annotations = ann && ann->kind == DOC_MAP ? ann : NULL;
	const struct doc_node *mt = doc_map_get(root, "maintainers");
	if (mt && mt->kind == DOC_SEQ) {
		md->maintainers = arena_alloc(a, (mt->u.seq.len + 1) * sizeof *md->maintainers);
		md->nmaintainers = mt->u.seq.len;
		for (size_t i = 0; i < mt->u.seq.len; i++) {
			const struct doc_node *m = mt->u.seq.items[i];
			if (!m || m->kind != DOC_MAP)
				return err_set(ERR_INVALID, "validation: maintainers must not contain "
							    "empty or null nodes");
			md->maintainers[i].name = sanitize(a, field_str(a, m, "name"));
			md->maintainers[i].email = sanitize(a, field_str(a, m, "email"));
			md->maintainers[i].url = sanitize(a, field_str(a, m, "url"));
		}
	}
	return read_dependencies(a, md, doc_map_get(root, "dependencies"));
}

/* The JSON kind a YAML document becomes through sigs.k8s.io/yaml (goyaml.v2 resolving
 * plain scalars), as encoding/json names it. */
static const char *json_kind(struct arena *a, const struct doc_node *n)
{
	if (n->kind == DOC_SEQ)
		return "array";
	if (n->kind == DOC_MAP)
		return "object";
	struct tv *v;
	if (tv_from_doc(a, n, TV_FROM_DOC_YAML11, &v))
		return "string";
	return v->kind == TV_BOOL ? "bool" : v->kind == TV_INT || v->kind == TV_UINT || v->kind == TV_FLOAT
		? "number" : v->kind == TV_NIL ? "null" : "string";
}

static int parse_yaml_map(struct arena *a, const char *name, const struct rawfile *f,
			  struct doc_node **out)
{
	struct doc_stream st = { 0 };
	struct doc_limits lim = { 0 };
	lim.duplicate_keys_last_wins = true;
	lim.yaml_v2_error_lines = true;
	int rc = doc_parse_yaml(a, name, f->data, f->len, &lim, &st);
	if (rc)
		return err_set(rc, "cannot load %s: error converting YAML to JSON: %s", name,
			       helm_yaml_v2_message(a, err_msg()));
	*out = st.len ? st.docs[0] : NULL;
	if (*out && !strcmp(json_kind(a, *out), "null"))
		*out = NULL;
	/* helm v4 reads Chart.yaml into a loader.chartBase first (to tell chart API versions
	 * apart), requirements.yaml into the chart's v2.Metadata */
	if (*out && (*out)->kind != DOC_MAP)
		return err_set(ERR_INVALID, "cannot load %s: error unmarshaling JSON: while decoding "
					    "JSON: json: cannot unmarshal %s into Go value of type %s",
			       name, json_kind(a, *out),
			       !strcmp(name, "Chart.yaml") ? "loader.chartBase" : "v2.Metadata");
	if (!*out)
		*out = doc_new_map(a);
	return 0;
}

static int validate_metadata(struct arena *a, struct helm_metadata *md)
{
	md->name = sanitize(a, md->name);
	md->description = sanitize(a, md->description);
	md->home = sanitize(a, md->home);
	md->icon = sanitize(a, md->icon);
	md->app_version = sanitize(a, md->app_version);
	md->kube_version = sanitize(a, md->kube_version);
	if (!md->api_version || !*md->api_version)
		return err_set(ERR_INVALID, "validation: chart.metadata.apiVersion is required");
	if (!md->name || !*md->name)
		return err_set(ERR_INVALID, "validation: chart.metadata.name is required");
	if (!strcmp(md->name, ".") || !strcmp(md->name, ".."))
		return err_set(ERR_INVALID, "validation: chart.metadata.name \"%s\" is not allowed", md->name);
	if (strchr(md->name, '/'))
		return err_set(ERR_INVALID, "validation: chart.metadata.name \"%s\" is invalid", md->name);
	if (!md->version || !*md->version)
		return err_set(ERR_INVALID, "validation: chart.metadata.version is required");
	struct semver sv;
	if (semver_parse(md->version, &sv))
		return err_set(ERR_INVALID, "validation: chart.metadata.version \"%s\" is invalid",
			       md->version);
	if (md->type && *md->type && strcmp(md->type, "application") && strcmp(md->type, "library"))
		return err_set(ERR_INVALID, "validation: chart.metadata.type must be application or library");
	for (size_t i = 0; i < md->ndependencies; i++) {
		struct helm_dependency *d = &md->dependencies[i];
		if (d->alias && *d->alias && !alias_ok(d->alias))
			return err_set(ERR_INVALID,
				       "validation: dependency \"%s\" has disallowed characters in the alias",
				       d->name ? d->name : "");
		const char *key = d->alias && *d->alias ? d->alias : d->name ? d->name : "";
		for (size_t j = 0; j < i; j++) {
			const struct helm_dependency *e = &md->dependencies[j];
			const char *k2 = e->alias && *e->alias ? e->alias : e->name ? e->name : "";
			if (!strcmp(key, k2))
				return err_set(ERR_INVALID, "validation: more than one dependency with "
							    "name or alias \"%s\"", key);
		}
	}
	return 0;
}

/* ---- LoadFiles ------------------------------------------------------------------------ */

static int load_archive(struct arena *a, const void *data, size_t len, struct budget *b,
			size_t depth, struct helm_chart **out);

static struct helm_file *file_of(struct arena *a, const struct rawfile *f)
{
	struct helm_file *h = arena_alloc(a, sizeof *h);
	h->name = f->name;
	h->data = f->data;
	h->len = f->len;
	return h;
}

struct filevec {
	struct helm_file *items;
	size_t len, cap;
};

static void fv_push(struct arena *a, struct filevec *v, const struct rawfile *f)
{
	v->items = arena_grow(a, v->items, &v->cap, v->len + 1, sizeof *v->items);
	v->items[v->len++] = (struct helm_file){ f->name, f->data, f->len };
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool manifest_ext(const char *n)
{
	const char *dot = strrchr(n, '.');
	return dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".json"));
}

struct subchart {
	const char *name;
	struct rawlist files;
};

/* The root chart's values.yaml, parsed on a thread of its own while its subcharts are
 * unpacked and loaded: big charts spend as long on one as on the other. */
struct values_job {
	bool running;
	pthread_t th;
	struct arena *arena; /* the worker's; adopted by the chart's when it is done */
	const struct rawfile *file;
	struct tv *values;
	int rc;
	char msg[1024];
};

static void *values_main(void *arg)
{
	struct values_job *j = arg;
	j->rc = helm_values_read(j->arena, "values.yaml", j->file->data, j->file->len, &j->values);
	if (j->rc)
		snprintf(j->msg, sizeof j->msg, "%s", err_msg());
	return NULL;
}

static int read_values(struct arena *a, const struct rawfile *f, size_t depth,
		       bool has_subcharts, struct values_job *job, struct tv **out)
{
	/* only where there is something to overlap: a big file and subcharts to load */
	if (depth == 0 && has_subcharts && f->len >= 32 * 1024 &&
	    sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		job->arena = arena_new();
		job->file = f;
		if (pthread_create(&job->th, NULL, values_main, job) == 0) {
			job->running = true;
			return 0;
		}
		arena_free(job->arena);
		job->arena = NULL;
	}
	int rc = helm_values_read(a, "values.yaml", f->data, f->len, out);
	if (rc)
		return err_set(rc, "cannot load values.yaml: %s", err_msg());
	return 0;
}

/* Waits for the values thread; its error comes first, as values.yaml is read before
 * anything that could fail after it. */
static int finish_values(struct arena *a, struct values_job *job, struct helm_chart *c, int rc)
{
	if (!job->running)
		return rc;
	pthread_join(job->th, NULL);
	job->running = false;
	arena_adopt(a, job->arena);
	if (job->rc)
		return err_set(job->rc, "cannot load values.yaml: %s", job->msg);
	c->values = job->values;
	return rc;
}

static int load_chart_files(struct arena *a, struct rawlist *files, struct budget *b,
			    size_t depth, struct helm_chart **out, struct values_job *job);

static int load_files(struct arena *a, struct rawlist *files, struct budget *b, size_t depth,
		      struct helm_chart **out)
{
	struct values_job job = { 0 };
	int rc = load_chart_files(a, files, b, depth, out, &job);
	return finish_values(a, &job, *out, rc);
}

static int load_chart_files(struct arena *a, struct rawlist *files, struct budget *b,
			    size_t depth, struct helm_chart **out, struct values_job *job)
{
	struct helm_chart *c = arena_alloc(a, sizeof *c);
	*out = c;
	bool have_meta = false;
	int rc;
	for (size_t i = 0; i < files->len; i++) {
		if (strcmp(files->items[i].name, "Chart.yaml"))
			continue;
		struct doc_node *root;
		if ((rc = parse_yaml_map(a, "Chart.yaml", &files->items[i], &root)))
			return rc;
		if ((rc = read_metadata(a, &c->metadata, root)))
			return rc;
		if (!c->metadata.api_version || !*c->metadata.api_version)
			c->metadata.api_version = "v1";
		have_meta = true;
	}
	bool has_subcharts = false;
	for (size_t i = 0; i < files->len && !has_subcharts; i++)
		has_subcharts = has_prefix(files->items[i].name, "charts/");
	struct filevec tmpl = { 0 }, other = { 0 };
	struct subchart *subs = NULL;
	size_t nsubs = 0, subcap = 0;
	for (size_t i = 0; i < files->len; i++) {
		struct rawfile *f = &files->items[i];
		if (!strcmp(f->name, "Chart.yaml"))
			continue;
		if (!strcmp(f->name, "Chart.lock") || !strcmp(f->name, "requirements.lock")) {
			c->lock = file_of(a, f);
			if (!strcmp(f->name, "requirements.lock") && have_meta &&
			    !strcmp(c->metadata.api_version, "v1"))
				fv_push(a, &other, f);
		} else if (!strcmp(f->name, "values.yaml")) {
			c->values_file = file_of(a, f);
			if ((rc = read_values(a, f, depth, has_subcharts, job, &c->values)))
				return rc;
		} else if (!strcmp(f->name, "values.schema.json")) {
			c->schema = f->data;
			c->schema_len = f->len;
		} else if (!strcmp(f->name, "requirements.yaml")) {
			struct doc_node *root;
			if ((rc = parse_yaml_map(a, "requirements.yaml", f, &root)))
				return rc;
			if ((rc = read_dependencies(a, &c->metadata, doc_map_get(root, "dependencies"))))
				return rc;
			if (!have_meta) {
				c->metadata.api_version = NULL;
			} else if (!strcmp(c->metadata.api_version, "v1")) {
				fv_push(a, &other, f);
			}
		} else if (has_prefix(f->name, "templates/")) {
			fv_push(a, &tmpl, f);
		} else if (has_prefix(f->name, "charts/")) {
			size_t n = strlen(f->name);
			if (n > 5 && !strcmp(f->name + n - 5, ".prov")) {
				fv_push(a, &other, f);
				continue;
			}
			const char *rest = f->name + 7;
			const char *slash = strchr(rest, '/');
			size_t cn = slash ? (size_t)(slash - rest) : strlen(rest);
			size_t k;
			for (k = 0; k < nsubs; k++)
				if (strlen(subs[k].name) == cn && !memcmp(subs[k].name, rest, cn))
					break;
			if (k == nsubs) {
				subs = arena_grow(a, subs, &subcap, nsubs + 1, sizeof *subs);
				subs[nsubs++] = (struct subchart){ arena_strndup(a, rest, cn), { 0 } };
			}
			raw_push(a, &subs[k].files, (char *)rest, f->data, f->len);
		} else {
			fv_push(a, &other, f);
		}
	}
	if (!have_meta && !c->metadata.ndependencies)
		return err_set(ERR_INVALID, "Chart.yaml file is missing");
	if (!have_meta)
		return err_set(ERR_INVALID, "validation: chart.metadata.apiVersion is required");
	if ((rc = validate_metadata(a, &c->metadata)))
		return rc;
	if (!c->values && !job->running)
		c->values = tv_map_new(a);
	c->templates = tmpl.items;
	c->ntemplates = tmpl.len;
	c->files = other.items;
	c->nfiles = other.len;
	size_t ncrd = 0;
	for (size_t i = 0; i < other.len; i++)
		ncrd += has_prefix(other.items[i].name, "crds/") && manifest_ext(other.items[i].name);
	c->crds = arena_alloc(a, (ncrd + 1) * sizeof *c->crds);
	for (size_t i = 0; i < other.len; i++)
		if (has_prefix(other.items[i].name, "crds/") && manifest_ext(other.items[i].name))
			c->crds[c->ncrds++] = other.items[i];
	c->dependencies = arena_alloc(a, (nsubs + 1) * sizeof *c->dependencies);
	for (size_t k = 0; k < nsubs; k++) {
		const char *n = subs[k].name;
		if (n[0] == '_' || n[0] == '.')
			continue;
		if (depth + 1 > b->depth_max)
			return err_set(ERR_TOOBIG, "chart '%s': subcharts nested deeper than %zu",
				       c->metadata.name, b->depth_max);
		struct helm_chart *sc = NULL;
		size_t nl = strlen(n);
		if (nl > 4 && !strcmp(n + nl - 4, ".tgz")) {
			struct rawfile *f = &subs[k].files.items[0];
			if (strcmp(f->name, n))
				return err_set(ERR_INVALID, "error unpacking subchart tar in %s: expected %s, got %s",
					       c->metadata.name, n, f->name);
			if (f->len > b->archive_max)
				return err_set(ERR_TOOBIG, "error unpacking subchart %s in %s: archive is "
							   "larger than the maximum size %zu",
					       n, c->metadata.name, b->archive_max);
			rc = load_archive(a, f->data, f->len, b, depth + 1, &sc);
		} else {
			struct rawlist inner = { 0 };
			for (size_t i = 0; i < subs[k].files.len; i++) {
				struct rawfile *f = &subs[k].files.items[i];
				const char *slash = strchr(f->name, '/');
				if (!slash)
					continue;
				raw_push(a, &inner, (char *)slash + 1, f->data, f->len);
			}
			rc = load_files(a, &inner, b, depth + 1, &sc);
		}
		if (rc)
			return err_set(rc, "error unpacking subchart %s in %s: %s", n, c->metadata.name,
				       err_msg());
		sc->parent = c;
		c->dependencies[c->ndependencies++] = sc;
	}
	return 0;
}

/* ---- Archives ------------------------------------------------------------------------- */

struct archive_read {
	struct arena *a;
	struct budget *b;
	struct rawlist *out;
};

/* One entry of a chart archive, judged as helm's loader judges it (loader.LoadArchiveFiles):
 * the first path element (the chart's directory) dropped, '\\' as a separator when the name
 * has one, names cleaned, absolute paths, parents and drive letters refused. */
static int archive_entry(void *ctx, const struct tar_entry *e)
{
	struct archive_read *r = ctx;
	struct arena *a = r->a;
	struct budget *b = r->b;
	if (e->type == TAR_DIR)
		return 0;
	const char *hn = e->name;
	char delim = strchr(hn, '\\') ? '\\' : '/';
	const char *first = strchr(hn, delim);
	char *n = arena_strdup(a, first ? first + 1 : "");
	for (char *p = n; *p; p++)
		if (*p == delim)
			*p = '/';
	if (n[0] == '/')
		return err_set(ERR_ESCAPE, "chart illegally contains absolute paths");
	/* path.Clean, enough to see "." and leading ".." */
	const char *segs[512];
	size_t ns = 0;
	bool up = false;
	for (char *p = n; *p;) {
		char *s = p;
		while (*p && *p != '/')
			p++;
		size_t sl = (size_t)(p - s);
		if (*p)
			*p++ = '\0';
		if (sl == 0 || !strcmp(s, "."))
			continue;
		if (!strcmp(s, "..")) {
			if (ns)
				ns--;
			else
				up = true;
			continue;
		}
		if (ns == 512)
			return err_set(ERR_TOOBIG, "chart file name too deep: '%s'", hn);
		segs[ns++] = s;
	}
	if (up)
		return err_set(ERR_ESCAPE, "chart illegally references parent directory");
	if (!ns)
		return err_set(ERR_ESCAPE, "chart illegally contains content outside the base "
					   "directory: \"%s\"", hn);
	struct buf clean = BUF_INIT;
	for (size_t i = 0; i < ns; i++) {
		if (i)
			buf_addch(&clean, '/');
		buf_adds(&clean, segs[i]);
	}
	char *name = arena_strdup(a, clean.ptr);
	buf_release(&clean);
	if (((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')) &&
	    name[1] == ':' && name[2] == '/')
		return err_set(ERR_ESCAPE, "chart contains illegally named files");
	if (!first && !strcmp(hn, "Chart.yaml"))
		return err_set(ERR_INVALID, "chart yaml not in base directory");
	if (e->type != TAR_FILE)
		return 0; /* symlinks, hard links, devices: never followed */
	if (e->size > b->file_max)
		return err_set(ERR_TOOBIG, "decompressed chart file \"%s\" is larger than the maximum "
					   "file size %zu", hn, b->file_max);
	int rc = budget_take(b, hn, e->size);
	if (rc)
		return rc;
	char *data = arena_strndup(a, e->data, e->size);
	raw_push(a, r->out, name, data, e->size);
	return 0;
}

static int read_archive_files(struct arena *a, const void *data, size_t len, struct budget *b,
			      struct rawlist *out)
{
	if (len < 2 || ((const unsigned char *)data)[0] != 0x1f || ((const unsigned char *)data)[1] != 0x8b)
		return err_set(ERR_INVALID, "gzip: invalid header");
	struct archive_read r = { a, b, out };
	/* inflating stops at what is left of the chart budget, with room for tar's headers */
	size_t files_left = b->files_max - b->files;
	struct tar_limits lim = { b->total_max - b->total + (files_left + 16) * 3 * 1024,
				  files_left * 3 + 16 };
	int rc = tar_each(data, len, &lim, archive_entry, &r);
	if (!rc && !out->len)
		rc = err_set(ERR_INVALID, "no files in chart archive");
	return rc;
}

static int load_archive(struct arena *a, const void *data, size_t len, struct budget *b,
			size_t depth, struct helm_chart **out)
{
	struct rawlist files = { 0 };
	if (len > b->archive_max)
		return err_set(ERR_TOOBIG, "chart archive is larger than the maximum size %zu",
			       b->archive_max);
	if (len < 3 || memcmp(data, "\x1f\x8b\x08", 3))
		return err_set(ERR_INVALID, "gzip: invalid header");
	int rc = read_archive_files(a, data, len, b, &files);
	if (rc)
		return rc;
	return load_files(a, &files, b, depth, out);
}

int helm_chart_load_archive(struct arena *a, const void *data, size_t len,
			    const struct helm_load_limits *limits, struct helm_chart **out)
{
	struct budget b;
	budget_init(&b, limits);
	*out = NULL;
	struct helm_chart *c;
	int rc = load_archive(a, data, len, &b, 0, &c);
	if (!rc)
		*out = c;
	return rc;
}

/* ---- Directories ---------------------------------------------------------------------- */

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The file at path, expected to hold size bytes, into a NUL-terminated block of a. A file
 * that grows or shrinks while it is read is refused rather than half-read. */
static int read_whole(struct arena *a, const char *path, const char *rel, size_t size,
		      char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_IO, "error reading %s: %s", rel, strerror(errno));
	char *data = arena_alloc_bytes(a, size + 1);
	size_t got = 0;
	for (;;) {
		/* one byte more than expected, so that growth shows */
		ssize_t k = read(fd, data + got, size + 1 - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			close(fd);
			return err_set(ERR_IO, "error reading %s: %s", rel, strerror(e));
		}
		got += (size_t)k;
		if (k == 0 || got > size)
			break;
	}
	close(fd);
	if (got != size)
		return err_set(ERR_IO, "error reading %s: the file changed while it was read", rel);
	data[size] = '\0';
	*out = data;
	*len = size;
	return 0;
}

static int walk(struct arena *a, const char *root_real, const char *dir, const char *rel,
		const struct helm_ignore *ig, struct budget *b, struct rawlist *out, int depth)
{
	if (depth > 64)
		return err_set(ERR_TOOBIG, "chart directory '%s' is nested too deep", rel);
	DIR *d = opendir(dir);
	if (!d)
		return err_set(ERR_IO, "error reading %s: %s", *rel ? rel : ".", strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		names = arena_grow(a, names, &cap, n + 1, sizeof *names);
		names[n++] = arena_strdup(a, de->d_name);
		if (n > b->files_max * 2 + 16) {
			closedir(d);
			return err_set(ERR_TOOBIG, "chart has more than the maximum of %zu files",
				       b->files_max);
		}
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	for (size_t i = 0; i < n; i++) {
		char *path = arena_sprintf(a, "%s/%s", dir, names[i]);
		char *r = *rel ? arena_sprintf(a, "%s/%s", rel, names[i]) : names[i];
		struct stat lst, st;
		if (lstat(path, &lst))
			return err_set(ERR_IO, "error reading %s: %s", r, strerror(errno));
		if (S_ISLNK(lst.st_mode)) {
			/* sympath.Walk follows links; tide follows only those that stay inside */
			char *real = realpath(path, NULL);
			if (!real)
				return err_set(ERR_NOTFOUND, "error reading %s: broken symlink", r);
			size_t rl = strlen(root_real);
			bool inside = !strncmp(real, root_real, rl) && (real[rl] == '/' || real[rl] == '\0');
			free(real);
			if (!inside)
				return err_set(ERR_ESCAPE, "chart illegally references parent directory: "
							   "symlink %s leaves the chart", r);
		}
		if (stat(path, &st))
			return err_set(ERR_IO, "error reading %s: %s", r, strerror(errno));
		if (S_ISDIR(st.st_mode)) {
			if (helm_ignore_match(ig, r, true))
				continue;
			int rc = walk(a, root_real, path, r, ig, b, out, depth + 1);
			if (rc)
				return rc;
			continue;
		}
		if (helm_ignore_match(ig, r, false))
			continue;
		if (!S_ISREG(st.st_mode))
			return err_set(ERR_INVALID, "cannot load irregular file %s as it has file mode "
						    "type bits set", path);
		if ((size_t)st.st_size > b->file_max)
			return err_set(ERR_TOOBIG, "chart file \"%s\" is larger than the maximum file size %zu",
				       names[i], b->file_max);
		int rc = budget_take(b, r, (size_t)st.st_size);
		if (rc)
			return rc;
		/* read straight into the chart's arena, at the size stat gave: no copy */
		char *data = NULL;
		size_t len = 0;
		if ((rc = read_whole(a, path, r, (size_t)st.st_size, &data, &len)))
			return rc;
		raw_push(a, out, r, data, len);
	}
	return 0;
}

static int load_dir(struct arena *a, const char *path, struct budget *b, struct helm_chart **out)
{
	char *real = realpath(path, NULL);
	if (!real)
		return err_set(ERR_NOTFOUND, "path \"%s\" not found", path);
	char *root = arena_strdup(a, real);
	free(real);
	struct helm_ignore *ig;
	struct buf ign = BUF_INIT;
	char *ipath = arena_sprintf(a, "%s/.helmignore", root);
	FILE *fp = fopen(ipath, "rb");
	if (fp) {
		char chunk[4096];
		size_t k;
		buf_init(&ign, 1 * MIB);
		while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_add(&ign, chunk, k);
		fclose(fp);
		if (ign.err) {
			buf_release(&ign);
			return err_set(ERR_TOOBIG, ".helmignore is larger than 1 MiB");
		}
	}
	int rc = helm_ignore_parse(a, fp ? ign.ptr : NULL, ign.len, &ig);
	buf_release(&ign);
	if (rc)
		return rc;
	struct rawlist files = { 0 };
	if ((rc = walk(a, root, root, "", ig, b, &files, 0)))
		return rc;
	return load_files(a, &files, b, 0, out);
}

int helm_chart_load(struct arena *a, const char *path, const struct helm_load_limits *limits,
		    struct helm_chart **out)
{
	struct budget b;
	budget_init(&b, limits);
	*out = NULL;
	struct stat st;
	if (stat(path, &st))
		return err_set(ERR_NOTFOUND, "path \"%s\" not found", path);
	struct helm_chart *c = NULL;
	int rc;
	if (S_ISDIR(st.st_mode)) {
		rc = load_dir(a, path, &b, &c);
	} else {
		if (!S_ISREG(st.st_mode))
			return err_set(ERR_INVALID, "file '%s' does not appear to be a gzipped archive", path);
		if ((size_t)st.st_size > b.archive_max)
			return err_set(ERR_TOOBIG, "chart archive '%s' is larger than the maximum size %zu",
				       path, b.archive_max);
		FILE *fp = fopen(path, "rb");
		if (!fp)
			return err_set(ERR_IO, "file '%s' cannot be read: %s", path, strerror(errno));
		char *data = arena_alloc(a, (size_t)st.st_size + 1);
		size_t got = fread(data, 1, (size_t)st.st_size, fp);
		fclose(fp);
		if (got < 3 || memcmp(data, "\x1f\x8b\x08", 3)) {
			size_t pl = strlen(path);
			if ((pl > 4 && !strcmp(path + pl - 4, ".yml")) ||
			    (pl > 5 && !strcmp(path + pl - 5, ".yaml")))
				return err_set(ERR_INVALID, "file '%s' seems to be a YAML file, but expected "
							    "a gzipped archive", path);
			return err_set(ERR_INVALID, "file '%s' does not appear to be a gzipped archive", path);
		}
		rc = load_archive(a, data, got, &b, 0, &c);
	}
	if (!rc)
		*out = c;
	return rc;
}

const char *helm_chart_path(struct arena *a, const struct helm_chart *c)
{
	if (!c->parent)
		return c->metadata.name;
	return arena_sprintf(a, "%s/charts/%s", helm_chart_path(a, c->parent), c->metadata.name);
}

int helm_chart_check_dependencies(const struct helm_chart *c)
{
	struct buf missing = BUF_INIT;
	for (size_t i = 0; i < c->metadata.ndependencies; i++) {
		const char *n = c->metadata.dependencies[i].name ? c->metadata.dependencies[i].name : "";
		bool found = false;
		for (size_t j = 0; j < c->ndependencies && !found; j++)
			found = !strcmp(c->dependencies[j]->metadata.name, n);
		if (!found) {
			if (missing.len)
				buf_adds(&missing, ", ");
			buf_adds(&missing, n);
		}
	}
	int rc = 0;
	if (missing.len)
		rc = err_set(ERR_NOTFOUND, "found in Chart.yaml, but missing in charts/ directory: %s",
			     missing.ptr);
	buf_release(&missing);
	return rc;
}

/* ---- For the saver (chart_int.h) ------------------------------------------------------ */

const char *helm_chart_go_string(struct arena *a, const struct doc_node *n)
{
	return scalar_string(a, n);
}

const char *helm_chart_sanitize(struct arena *a, const char *s)
{
	return sanitize(a, s);
}
