/*
 * helm's chartutil.Save without the tar writer: the entries writeTarContents writes for a
 * chart and its subcharts, with Chart.yaml and Chart.lock marshaled again as helm marshals
 * them. helm turns chart.Metadata and chart.Lock into JSON (encoding/json: the struct's
 * field names, omitempty, a time.Time in RFC 3339 with nanoseconds) and that JSON into YAML
 * (sigs.k8s.io/yaml: go-yaml v2, keys sorted); here the fields are built as a template
 * value in that JSON's shape and printed by helm_to_yaml (toyaml.c), which models the JSON
 * to go-yaml v2 step for every value toYaml prints. What the loader read into struct
 * helm_chart is what gets written: a field the loader does not keep (an unknown key of
 * Chart.yaml) is dropped, as helm drops it.
 */
#include "helm/save.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "doc/doc.h"
#include "helm/chart.h"
#include "helm/chart_int.h"
#include "helm/render_int.h"
#include "helm/values.h"
#include "template/template_int.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/semver.h"
#include "util/banned.h"

/* encoding/json's maxNestingDepth */
#define JSON_MAX_DEPTH 10000

int helm_values_marshal(struct arena *a, const struct tv *v, struct buf *out)
{
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	int rc = helm_to_yaml(&x, out, v);
	if (rc)
		rc = err_set(rc, "%s", texec_message(&x));
	texec_release(&x);
	return rc;
}

/* ---- chart.Metadata and chart.Dependency as encoding/json marshals them ------------------ */

/* A string field with omitempty. */
static void put_str(struct arena *a, struct tv *m, const char *key, const char *s)
{
	if (s && *s)
		tv_map_set(a, m, key, tv_str(a, s));
}

/* A []string field with omitempty. */
static void put_strs(struct arena *a, struct tv *m, const char *key, const char *const *v, size_t n)
{
	if (!n)
		return;
	struct tv *l = tv_list(a, n);
	for (size_t i = 0; i < n; i++)
		tv_list_push(a, l, tv_str(a, v[i] ? v[i] : ""));
	tv_map_set(a, m, key, l);
}

/* An []interface{} field with omitempty, from the document as written (import-values). */
static int put_seq(struct arena *a, struct tv *m, const char *key, const struct doc_node *seq)
{
	if (!seq || seq->kind != DOC_SEQ || !seq->u.seq.len)
		return 0;
	struct tv *v;
	int rc = tv_from_doc(a, seq, TV_FROM_DOC_YAML11, &v);
	if (rc)
		return rc;
	tv_map_set(a, m, key, v);
	return 0;
}

/* chart.Dependency: name and repository always, the rest omitempty. */
static int dependency_value(struct arena *a, const struct helm_dependency *d, struct tv **out)
{
	struct tv *m = tv_map_new(a);
	tv_map_set(a, m, "name", tv_str(a, d->name ? d->name : ""));
	put_str(a, m, "version", d->version);
	tv_map_set(a, m, "repository", tv_str(a, d->repository ? d->repository : ""));
	put_str(a, m, "condition", d->condition);
	put_strs(a, m, "tags", d->tags, d->ntags);
	if (d->enabled)
		tv_map_set(a, m, "enabled", tv_bool(true));
	int rc = put_seq(a, m, "import-values", d->import_values);
	put_str(a, m, "alias", d->alias);
	*out = m;
	return rc;
}

/* A top-level string field the loader keeps only in the raw document (condition, tags),
 * read and sanitized as Metadata.Validate leaves it. */
static const char *raw_field(struct arena *a, const struct helm_metadata *md, const char *key)
{
	if (!md->raw)
		return NULL;
	return helm_chart_sanitize(a, helm_chart_go_string(a, doc_map_get(md->raw, key)));
}

int helm_metadata_marshal(struct arena *a, const struct helm_chart *c, bool with_dependencies,
			  struct buf *out)
{
	const struct helm_metadata *md = &c->metadata;
	struct tv *m = tv_map_new(a);
	put_str(a, m, "name", md->name);
	put_str(a, m, "home", md->home);
	put_strs(a, m, "sources", md->sources, md->nsources);
	put_str(a, m, "version", md->version);
	put_str(a, m, "description", md->description);
	put_strs(a, m, "keywords", md->keywords, md->nkeywords);
	if (md->nmaintainers) {
		struct tv *l = tv_list(a, md->nmaintainers);
		for (size_t i = 0; i < md->nmaintainers; i++) {
			struct tv *mt = tv_map_new(a);
			put_str(a, mt, "name", md->maintainers[i].name);
			put_str(a, mt, "email", md->maintainers[i].email);
			put_str(a, mt, "url", md->maintainers[i].url);
			tv_list_push(a, l, mt);
		}
		tv_map_set(a, m, "maintainers", l);
	}
	put_str(a, m, "icon", md->icon);
	put_str(a, m, "apiVersion", md->api_version);
	put_str(a, m, "condition", raw_field(a, md, "condition"));
	put_str(a, m, "tags", raw_field(a, md, "tags"));
	put_str(a, m, "appVersion", md->app_version);
	if (md->deprecated)
		tv_map_set(a, m, "deprecated", tv_bool(true));
	if (md->annotations && md->annotations->kind == DOC_MAP && md->annotations->u.map.len) {
		/* map[string]string: each value read as a Go string field is */
		struct tv *an = tv_map_new(a);
		for (size_t i = 0; i < md->annotations->u.map.len; i++) {
			const struct doc_pair *p = &md->annotations->u.map.items[i];
			const char *v = helm_chart_go_string(a, p->value);
			tv_map_setn(a, an, p->key, p->keylen, tv_str(a, v ? v : ""));
		}
		tv_map_set(a, m, "annotations", an);
	}
	put_str(a, m, "kubeVersion", md->kube_version);
	if (with_dependencies && md->ndependencies) {
		struct tv *l = tv_list(a, md->ndependencies);
		for (size_t i = 0; i < md->ndependencies; i++) {
			struct tv *d;
			int rc = dependency_value(a, &md->dependencies[i], &d);
			if (rc)
				return err_set(rc, "cannot marshal Chart.yaml: %s", err_msg());
			tv_list_push(a, l, d);
		}
		tv_map_set(a, m, "dependencies", l);
	}
	put_str(a, m, "type", md->type);
	return helm_values_marshal(a, m, out);
}

/* ---- chart.Lock -------------------------------------------------------------------------- */

/*
 * helm reads Chart.lock with sigs.k8s.io/yaml.Unmarshal into a *chart.Lock: the YAML turned
 * into JSON (goyaml.v2's resolution of plain scalars, map keys sorted), then encoding/json
 * into the struct, whose rules the reader below keeps: keys matched to fields without
 * regard to case, null leaving a field zero, a value of the wrong JSON type remembered as
 * the first error while decoding goes on, and time.Time's own errors (UnmarshalJSON)
 * ending it at once. A lock that is null (an empty file) sets the pointer to nil: Save
 * writes no Chart.lock then.
 */

/* The kind of JSON value a node becomes ("null", "bool", "number", "string", "array",
 * "object"), as encoding/json names it in an UnmarshalTypeError. */
static const char *json_kind(struct arena *a, const struct doc_node *n)
{
	if (!n)
		return "null";
	if (n->kind == DOC_SEQ)
		return "array";
	if (n->kind == DOC_MAP)
		return "object";
	struct tv *v;
	if (tv_from_doc(a, n, TV_FROM_DOC_YAML11, &v))
		return "string";
	switch (v->kind) {
	case TV_NIL: return "null";
	case TV_BOOL: return "bool";
	case TV_INT:
	case TV_UINT:
	case TV_FLOAT: return "number";
	default: return "string";
	}
}

struct lock_reader {
	struct arena *a;
	const char *name;  /* "Chart.lock" or "requirements.lock" */
	const char *saved; /* the first type error, or NULL */
};

static void type_error(struct lock_reader *r, const struct doc_node *n, const char *field,
		       const char *type)
{
	if (!r->saved)
		r->saved = arena_sprintf(r->a, "json: cannot unmarshal %s into Go struct field %s of type %s",
					 json_kind(r->a, n), field, type);
}

/* A string field: a scalar as its Go string, null as "", a collection a type error. */
static const char *lock_string(struct lock_reader *r, const struct doc_node *n, const char *field)
{
	if (n && (n->kind == DOC_SEQ || n->kind == DOC_MAP)) {
		type_error(r, n, field, "string");
		return "";
	}
	const char *s = helm_chart_go_string(r->a, n);
	return s ? s : "";
}

/* Go's time.Parse(time.RFC3339, v) (the lenient parser that time.Time.UnmarshalJSON falls
 * back to: Go 1.25's strict checks are disabled), and MarshalJSON's RFC 3339 with
 * nanoseconds. */
struct go_time {
	int year, month, day, hour, min, sec;
	long nsec;
	int offset; /* seconds east of UTC */
};

static bool go_digit(const char *s, size_t i)
{
	return s[i] >= '0' && s[i] <= '9';
}

/* time's getnum: one or two digits (two when fixed). */
static bool go_getnum(const char **v, bool fixed, int *out)
{
	const char *s = *v;
	if (!go_digit(s, 0))
		return false;
	if (!go_digit(s, 1)) {
		if (fixed)
			return false;
		*out = s[0] - '0';
		*v = s + 1;
		return true;
	}
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	*v = s + 2;
	return true;
}

/* time's quote: '"' and '\\' escaped, every byte outside printable ASCII as \xNN. */
static void go_time_quote(struct buf *b, const char *s)
{
	buf_addch(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80 || *p < 0x20)
			buf_addf(b, "\\x%02x", *p);
		else if (*p == '"' || *p == '\\')
			buf_addch(b, '\\'), buf_addch(b, (char)*p);
		else
			buf_addch(b, (char)*p);
	}
	buf_addch(b, '"');
}

static bool go_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int go_days_in(int month, int year)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return month == 2 && go_leap(year) ? 29 : days[month - 1];
}

static const char RFC3339[] = "2006-01-02T15:04:05Z07:00";

/* "cannot parse "<value>" as "<elem>"" or, with msg, "<msg>" after the quoted input. */
static const char *go_parse_error(struct arena *a, const char *in, const char *elem,
				  const char *value, const char *msg)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "parsing time ");
	go_time_quote(&b, in);
	if (msg) {
		buf_adds(&b, msg);
	} else {
		buf_adds(&b, " as ");
		go_time_quote(&b, RFC3339);
		buf_adds(&b, ": cannot parse ");
		go_time_quote(&b, value);
		buf_adds(&b, " as ");
		go_time_quote(&b, elem);
	}
	const char *out = arena_strndup(a, b.ptr, b.len);
	buf_release(&b);
	return out;
}

/* NULL and *t filled, or Go's error text. */
static const char *go_parse_rfc3339(struct arena *a, const char *in, struct go_time *t)
{
	*t = (struct go_time){ 0 };
	const char *v = in, *hold;
	/* 2006 */
	if (strlen(v) < 4 || !go_digit(v, 0) || !go_digit(v, 1) || !go_digit(v, 2) || !go_digit(v, 3))
		return go_parse_error(a, in, "2006", v, NULL);
	t->year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
	v += 4;
	/* -01 */
	if (*v != '-')
		return go_parse_error(a, in, "-", v, NULL);
	hold = ++v;
	if (!go_getnum(&v, true, &t->month))
		return go_parse_error(a, in, "01", hold, NULL);
	if (t->month < 1 || t->month > 12)
		return go_parse_error(a, in, NULL, NULL, ": month out of range");
	/* -02 */
	if (*v != '-')
		return go_parse_error(a, in, "-", v, NULL);
	hold = ++v;
	if (!go_getnum(&v, true, &t->day))
		return go_parse_error(a, in, "02", hold, NULL);
	/* T15 */
	if (*v != 'T')
		return go_parse_error(a, in, "T", v, NULL);
	hold = ++v;
	if (!go_getnum(&v, false, &t->hour))
		return go_parse_error(a, in, "15", hold, NULL);
	if (t->hour >= 24)
		return go_parse_error(a, in, NULL, NULL, ": hour out of range");
	/* :04 */
	if (*v != ':')
		return go_parse_error(a, in, ":", v, NULL);
	hold = ++v;
	if (!go_getnum(&v, true, &t->min))
		return go_parse_error(a, in, "04", hold, NULL);
	if (t->min >= 60)
		return go_parse_error(a, in, NULL, NULL, ": minute out of range");
	/* :05, and a fraction the layout does not have */
	if (*v != ':')
		return go_parse_error(a, in, ":", v, NULL);
	hold = ++v;
	if (!go_getnum(&v, true, &t->sec))
		return go_parse_error(a, in, "05", hold, NULL);
	if (t->sec >= 60)
		return go_parse_error(a, in, NULL, NULL, ": second out of range");
	if ((v[0] == '.' || v[0] == ',') && go_digit(v, 1)) {
		size_t n = 2;
		while (go_digit(v, n))
			n++;
		long ns = 0;
		size_t take = n > 10 ? 10 : n;
		for (size_t i = 1; i < take; i++)
			ns = ns * 10 + (v[i] - '0');
		for (size_t i = take; i < 10; i++)
			ns *= 10;
		t->nsec = ns;
		v += n;
	}
	/* Z07:00 */
	if (*v == 'Z') {
		v++;
	} else {
		hold = v;
		if (strlen(v) < 6 || v[3] != ':')
			return go_parse_error(a, in, "Z07:00", hold, NULL);
		const char *h = v + 1, *m = v + 4;
		int hr = 0, mm = 0;
		bool ok = go_getnum(&h, true, &hr) && go_getnum(&m, true, &mm);
		if (mm > 60)
			return go_parse_error(a, in, NULL, NULL, ": time zone offset minute out of range");
		if (hr > 24)
			return go_parse_error(a, in, NULL, NULL, ": time zone offset hour out of range");
		if (!ok || (v[0] != '+' && v[0] != '-'))
			return go_parse_error(a, in, "Z07:00", hold, NULL);
		t->offset = (hr * 60 + mm) * 60 * (v[0] == '-' ? -1 : 1);
		v += 6;
	}
	if (*v) {
		struct buf q = BUF_INIT;
		buf_adds(&q, ": extra text: ");
		go_time_quote(&q, v);
		const char *msg = go_parse_error(a, in, NULL, NULL, q.ptr);
		buf_release(&q);
		return msg;
	}
	if (t->day < 1 || t->day > go_days_in(t->month, t->year))
		return go_parse_error(a, in, NULL, NULL, ": day out of range");
	return NULL;
}

/* time.Time.MarshalJSON's text (RFC 3339, nanoseconds without trailing zeros), or false
 * for an offset of 24 hours or more, which it refuses. */
static bool go_time_format(const struct go_time *t, struct buf *out)
{
	buf_addf(out, "%04d-%02d-%02dT%02d:%02d:%02d", t->year, t->month, t->day, t->hour, t->min,
		 t->sec);
	if (t->nsec) {
		char frac[10];
		snprintf(frac, sizeof frac, "%09ld", t->nsec);
		size_t k = 9;
		while (frac[k - 1] == '0')
			k--;
		buf_addf(out, ".%.*s", (int)k, frac);
	}
	if (!t->offset) {
		buf_addch(out, 'Z');
		return true;
	}
	int zone = t->offset / 60;
	char sign = zone < 0 ? '-' : '+';
	if (zone < 0)
		zone = -zone;
	buf_addf(out, "%c%02d:%02d", sign, zone / 60, zone % 60);
	return zone / 60 < 24;
}

/* The bytes of s as json.Marshal writes a string, without the quotes: what
 * time.Time.UnmarshalJSON is handed (it does not unescape). */
static void json_escaped(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_adds(b, "\\\""); continue;
		case '\\': buf_adds(b, "\\\\"); continue;
		case '\n': buf_adds(b, "\\n"); continue;
		case '\r': buf_adds(b, "\\r"); continue;
		case '\t': buf_adds(b, "\\t"); continue;
		case '\b': buf_adds(b, "\\b"); continue;
		case '\f': buf_adds(b, "\\f"); continue;
		case '<': case '>': case '&': buf_addf(b, "\\u00%02x", c); continue;
		default: break;
		}
		if (c < 0x20) {
			buf_addf(b, "\\u00%02x", c);
		} else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			buf_addf(b, "\\u202%c", (unsigned char)s[i + 2] == 0xA8 ? '8' : '9');
			i += 2;
		} else {
			buf_addch(b, (char)c);
		}
	}
}

/* Lock.generated: NULL and *out set, or the error that ends decoding. */
static const char *lock_generated(struct lock_reader *r, const struct doc_node *n, struct go_time *out)
{
	*out = (struct go_time){ .year = 1, .month = 1, .day = 1 };
	const char *kind = json_kind(r->a, n);
	if (!strcmp(kind, "null"))
		return NULL;
	if (strcmp(kind, "string"))
		return "Time.UnmarshalJSON: input is not a JSON string";
	const char *s = helm_chart_go_string(r->a, n);
	struct buf b = BUF_INIT;
	json_escaped(&b, s, strlen(s));
	const char *err = go_parse_rfc3339(r->a, b.len ? b.ptr : "", out);
	buf_release(&b);
	return err;
}

static bool field_is(const struct doc_pair *p, const char *name)
{
	return p->keylen == strlen(name) && !strncasecmp(p->key, name, p->keylen);
}

/* The pairs of a map in the order json.Marshal writes a map: keys sorted by bytes. */
static const struct doc_pair **sorted_pairs(struct arena *a, const struct doc_node *m)
{
	size_t n = m->u.map.len;
	const struct doc_pair **ps = arena_alloc(a, (n + 1) * sizeof *ps);
	for (size_t i = 0; i < n; i++) {
		const struct doc_pair *p = &m->u.map.items[i];
		size_t j = i;
		for (; j > 0; j--) {
			const struct doc_pair *q = ps[j - 1];
			size_t k = p->keylen < q->keylen ? p->keylen : q->keylen;
			int c = memcmp(q->key, p->key, k);
			if (c < 0 || (c == 0 && q->keylen <= p->keylen))
				break;
			ps[j] = q;
		}
		ps[j] = p;
	}
	return ps;
}

/* One *chart.Dependency of the lock (nil for null; Validate is not run on a lock, so
 * nothing is sanitized). */
static struct tv *lock_dependency(struct lock_reader *r, const struct doc_node *d)
{
	const char *what = "Lock.dependencies";
	if (!d || !strcmp(json_kind(r->a, d), "null"))
		return &tv_nil_value;
	if (d->kind != DOC_MAP) {
		type_error(r, d, what, "v2.Dependency");
		return &tv_nil_value;
	}
	struct helm_dependency dep = { 0 };
	const struct doc_pair **ps = sorted_pairs(r->a, d);
	for (size_t i = 0; i < d->u.map.len; i++) {
		const struct doc_pair *p = ps[i];
		const struct doc_node *v = p->value;
		if (field_is(p, "name")) {
			dep.name = lock_string(r, v, "Dependency.dependencies.name");
		} else if (field_is(p, "version")) {
			dep.version = lock_string(r, v, "Dependency.dependencies.version");
		} else if (field_is(p, "repository")) {
			dep.repository = lock_string(r, v, "Dependency.dependencies.repository");
		} else if (field_is(p, "condition")) {
			dep.condition = lock_string(r, v, "Dependency.dependencies.condition");
		} else if (field_is(p, "alias")) {
			dep.alias = lock_string(r, v, "Dependency.dependencies.alias");
		} else if (field_is(p, "tags")) {
			const char *k = json_kind(r->a, v);
			if (!strcmp(k, "null")) {
				dep.tags = NULL, dep.ntags = 0;
			} else if (v->kind != DOC_SEQ) {
				type_error(r, v, "Dependency.dependencies.tags", "[]string");
			} else {
				dep.ntags = v->u.seq.len;
				dep.tags = arena_alloc(r->a, (dep.ntags + 1) * sizeof *dep.tags);
				for (size_t j = 0; j < dep.ntags; j++)
					dep.tags[j] = lock_string(r, v->u.seq.items[j],
								  "Dependency.dependencies.tags");
			}
		} else if (field_is(p, "enabled")) {
			const char *k = json_kind(r->a, v);
			if (!strcmp(k, "bool")) {
				struct tv *b;
				dep.enabled = !tv_from_doc(r->a, v, TV_FROM_DOC_YAML11, &b) && b->u.b;
			} else if (strcmp(k, "null")) {
				type_error(r, v, "Dependency.dependencies.enabled", "bool");
			}
		} else if (field_is(p, "import-values")) {
			const char *k = json_kind(r->a, v);
			if (!strcmp(k, "null"))
				dep.import_values = NULL;
			else if (v->kind != DOC_SEQ)
				type_error(r, v, "Dependency.dependencies.import-values", "[]interface {}");
			else
				dep.import_values = (struct doc_node *)v;
		}
	}
	struct tv *out;
	if (dependency_value(r->a, &dep, &out))
		return &tv_nil_value; /* import-values that tv_from_doc refuses: not from YAML */
	return out;
}

/* Chart.lock (or requirements.lock) read into chart.Lock and marshaled again; *present
 * false when the lock is null. */
static int lock_marshal(struct arena *a, const struct helm_file *lock, struct buf *out,
			bool *present)
{
	const char *name = lock->name;
	const char *pre = "error unmarshaling JSON: while decoding JSON: ";
	*present = false;
	struct doc_stream st = { 0 };
	struct doc_limits lim = { 0 };
	lim.duplicate_keys_last_wins = true;
	lim.yaml_v2_error_lines = true;
	int rc = doc_parse_yaml(a, name, lock->data, lock->len, &lim, &st);
	if (rc)
		return err_set(rc, "cannot load %s: error converting YAML to JSON: %s", name,
			       helm_yaml_v2_message(a, err_msg()));
	const struct doc_node *root = st.len ? st.docs[0] : NULL;
	const char *kind = json_kind(a, root);
	if (!strcmp(kind, "null"))
		return 0;
	if (root->kind != DOC_MAP)
		return err_set(ERR_INVALID, "cannot load %s: %sjson: cannot unmarshal %s into Go value "
					    "of type v2.Lock", name, pre, kind);
	struct lock_reader r = { a, name, NULL };
	struct go_time gen = { .year = 1, .month = 1, .day = 1 };
	const char *digest = "";
	struct tv *deps = &tv_nil_value; /* a nil slice: null */
	const struct doc_pair **ps = sorted_pairs(a, root);
	for (size_t i = 0; i < root->u.map.len; i++) {
		const struct doc_pair *p = ps[i];
		const struct doc_node *v = p->value;
		if (field_is(p, "generated")) {
			const char *err = lock_generated(&r, v, &gen);
			if (err)
				return err_set(ERR_INVALID, "cannot load %s: %s%s", name, pre, err);
		} else if (field_is(p, "digest")) {
			digest = lock_string(&r, v, "Lock.digest");
		} else if (field_is(p, "dependencies")) {
			const char *k = json_kind(a, v);
			if (!strcmp(k, "null")) {
				deps = &tv_nil_value;
			} else if (v->kind != DOC_SEQ) {
				type_error(&r, v, "Lock.dependencies", "[]*v2.Dependency");
			} else {
				deps = tv_list(a, v->u.seq.len);
				for (size_t j = 0; j < v->u.seq.len; j++)
					tv_list_push(a, deps, lock_dependency(&r, v->u.seq.items[j]));
			}
		}
	}
	if (r.saved)
		return err_set(ERR_INVALID, "cannot load %s: %s%s", name, pre, r.saved);
	struct tv *m = tv_map_new(a);
	struct buf t = BUF_INIT;
	bool ok = go_time_format(&gen, &t);
	tv_map_set(a, m, "generated", tv_strn(a, t.ptr, t.len));
	buf_release(&t);
	if (!ok)
		return err_set(ERR_INVALID, "error marshaling into JSON: json: error calling MarshalJSON "
					    "for type time.Time: Time.MarshalJSON: timezone hour outside of "
					    "range [0,23]");
	tv_map_set(a, m, "digest", tv_str(a, digest));
	tv_map_set(a, m, "dependencies", deps);
	*present = true;
	return helm_values_marshal(a, m, out);
}

/* ---- encoding/json's Valid ----------------------------------------------------------- */

static size_t json_ws(const char *s, size_t n, size_t i)
{
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A string starting at s[i] == '"': the index after it, or 0. */
static size_t json_string(const char *s, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"')
			return i + 1;
		if (c < 0x20)
			return 0;
		if (c != '\\')
			continue;
		if (++i >= n)
			return 0;
		if (s[i] == 'u') {
			if (n - i < 5 || !is_hex(s[i + 1]) || !is_hex(s[i + 2]) || !is_hex(s[i + 3]) ||
			    !is_hex(s[i + 4]))
				return 0;
			i += 4;
		} else if (!strchr("\"\\/bfnrt", s[i]) || !s[i]) {
			return 0;
		}
	}
	return 0;
}

static bool is_digit(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* A number at s[i]: the index after it, or 0. */
static size_t json_number(const char *s, size_t n, size_t i)
{
	if (i < n && s[i] == '-')
		i++;
	if (!is_digit(s, n, i))
		return 0;
	if (s[i] == '0')
		i++;
	else
		while (is_digit(s, n, i))
			i++;
	if (i < n && s[i] == '.') {
		if (!is_digit(s, n, ++i))
			return 0;
		while (is_digit(s, n, i))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (!is_digit(s, n, i))
			return 0;
		while (is_digit(s, n, i))
			i++;
	}
	return i;
}

bool helm_json_valid(const char *s, size_t n)
{
	/* the open containers, '{' or '['; the state says what may come next */
	char stack[JSON_MAX_DEPTH];
	size_t depth = 0, i = 0;
	enum { VALUE, FIRST_VALUE, FIRST_KEY, KEY, AFTER } state = VALUE;
	for (;;) {
		i = json_ws(s, n, i);
		if (state == AFTER) {
			if (!depth)
				return i == n;
			if (i >= n)
				return false;
			char top = stack[depth - 1];
			if (s[i] == ',') {
				state = top == '{' ? KEY : VALUE;
				i++;
			} else if (s[i] == (top == '{' ? '}' : ']')) {
				depth--;
				i++;
			} else {
				return false;
			}
			continue;
		}
		if (i >= n)
			return false;
		if (state == FIRST_VALUE && s[i] == ']') {
			depth--;
			i++;
			state = AFTER;
			continue;
		}
		if (state == FIRST_KEY && s[i] == '}') {
			depth--;
			i++;
			state = AFTER;
			continue;
		}
		if (state == FIRST_KEY || state == KEY) {
			if (s[i] != '"' || !(i = json_string(s, n, i)))
				return false;
			i = json_ws(s, n, i);
			if (i >= n || s[i] != ':')
				return false;
			i++;
			state = VALUE;
			continue;
		}
		size_t next = 0;
		switch (s[i]) {
		case '{':
		case '[':
			if (depth == JSON_MAX_DEPTH)
				return false;
			stack[depth++] = s[i];
			state = s[i] == '{' ? FIRST_KEY : FIRST_VALUE;
			i++;
			continue;
		case '"':
			next = json_string(s, n, i);
			break;
		case 't':
			next = n - i >= 4 && !memcmp(s + i, "true", 4) ? i + 4 : 0;
			break;
		case 'f':
			next = n - i >= 5 && !memcmp(s + i, "false", 5) ? i + 5 : 0;
			break;
		case 'n':
			next = n - i >= 4 && !memcmp(s + i, "null", 4) ? i + 4 : 0;
			break;
		default:
			next = json_number(s, n, i);
		}
		if (!next)
			return false;
		i = next;
		state = AFTER;
	}
}

/* ---- writeTarContents ------------------------------------------------------------------ */

struct entries {
	struct helm_saved_file *items;
	size_t len, cap;
};

static void add(struct arena *a, struct entries *e, const char *base, const char *name,
		const char *data, size_t len)
{
	e->items = arena_grow(a, e->items, &e->cap, e->len + 1, sizeof *e->items);
	e->items[e->len++] = (struct helm_saved_file){ arena_sprintf(a, "%s/%s", base, name), data, len };
}

static void add_buf(struct arena *a, struct entries *e, const char *base, const char *name,
		    struct buf *b)
{
	add(a, e, base, name, arena_strndup(a, b->ptr, b->len), b->len);
	buf_release(b);
}

static int save_chart(struct arena *a, const struct helm_chart *c, const char *prefix,
		      struct entries *e)
{
	const char *name = c->metadata.name ? c->metadata.name : "";
	/* validateName: the name is its own filepath.Base */
	if (!*name || strchr(name, '/'))
		return err_set(ERR_INVALID, "\"%s\" is not a valid chart name", name);
	const char *base = prefix ? arena_sprintf(a, "%s/%s", prefix, name) : name;
	const char *api = c->metadata.api_version ? c->metadata.api_version : "";
	struct buf b = BUF_INIT;
	int rc = helm_metadata_marshal(a, c, strcmp(api, "v1") != 0, &b);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	add_buf(a, e, base, "Chart.yaml", &b);
	if (!strcmp(api, "v2") && c->lock) {
		bool present;
		if ((rc = lock_marshal(a, c->lock, &b, &present))) {
			buf_release(&b);
			return rc;
		}
		if (present)
			add_buf(a, e, base, "Chart.lock", &b);
	}
	if (c->values_file)
		add(a, e, base, "values.yaml", c->values_file->data, c->values_file->len);
	if (c->schema) {
		if (!helm_json_valid(c->schema, c->schema_len))
			return err_set(ERR_INVALID, "invalid JSON in values.schema.json");
		add(a, e, base, "values.schema.json", c->schema, c->schema_len);
	}
	for (size_t i = 0; i < c->ntemplates; i++)
		add(a, e, base, c->templates[i].name, c->templates[i].data, c->templates[i].len);
	for (size_t i = 0; i < c->nfiles; i++)
		add(a, e, base, c->files[i].name, c->files[i].data, c->files[i].len);
	const char *charts = arena_sprintf(a, "%s/charts", base);
	for (size_t i = 0; i < c->ndependencies; i++)
		if ((rc = save_chart(a, c->dependencies[i], charts, e)))
			return rc;
	return 0;
}

int helm_chart_save_entries(struct arena *a, const struct helm_chart *c,
			    struct helm_saved_file **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const char *v = c->metadata.version;
	struct semver sv;
	if (!v || !*v)
		return err_set(ERR_INVALID, "chart validation: validation: chart.metadata.version is required");
	if (semver_parse(v, &sv))
		return err_set(ERR_INVALID, "chart validation: validation: chart.metadata.version "
					    "\"%s\" is invalid", v);
	struct entries e = { 0 };
	int rc = save_chart(a, c, NULL, &e);
	if (rc)
		return rc;
	*out = e.items;
	*n = e.len;
	return 0;
}
