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

#include "doc/doc.h"
#include "helm/chart.h"
#include "helm/chart_int.h"
#include "helm/render_int.h"
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

static bool digits(const char *s, size_t n, int min, int max, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v >= min && v <= max;
}

static int days_in(int month, int year)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[month - 1];
}

/*
 * A time.Time read from JSON and written back (time's parseStrictRFC3339, then
 * MarshalJSON's RFC 3339 with nanoseconds): the wall clock as written, the fraction cut to
 * nine digits and stripped of trailing zeros, a zero offset written "Z". false for text Go
 * refuses.
 */
static bool rfc3339_nano(const char *s, struct buf *out)
{
	size_t n = strlen(s);
	int year, month, day, hour, min, sec;
	if (n < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	if (!digits(s, 4, 0, 9999, &year) || !digits(s + 5, 2, 1, 12, &month) ||
	    !digits(s + 8, 2, 1, 31, &day) || day > days_in(month, year) ||
	    !digits(s + 11, 2, 0, 23, &hour) || !digits(s + 14, 2, 0, 59, &min) ||
	    !digits(s + 17, 2, 0, 59, &sec))
		return false;
	const char *p = s + 19, *end = s + n;
	char frac[10] = "";
	if (end - p >= 2 && p[0] == '.' && p[1] >= '0' && p[1] <= '9') {
		size_t k = 0;
		for (p++; p < end && *p >= '0' && *p <= '9'; p++)
			if (k < 9)
				frac[k++] = *p;
		frac[k] = '\0';
		while (k && frac[k - 1] == '0')
			frac[--k] = '\0';
	}
	bool utc;
	if (end - p == 1 && *p == 'Z') {
		utc = true;
	} else {
		int zh, zm;
		if (end - p != 6 || (p[0] != '+' && p[0] != '-') || p[3] != ':' ||
		    !digits(p + 1, 2, 0, 23, &zh) || !digits(p + 4, 2, 0, 59, &zm))
			return false;
		utc = zh == 0 && zm == 0;
	}
	buf_add(out, s, 19);
	if (*frac)
		buf_addf(out, ".%s", frac);
	if (utc)
		buf_addch(out, 'Z');
	else
		buf_add(out, p, 6);
	return true;
}

static const char *go_str(struct arena *a, const struct doc_node *m, const char *key)
{
	const char *s = helm_chart_go_string(a, doc_map_get(m, key));
	return s ? s : "";
}

/* One chart.Dependency of a lock, as json decodes it into the struct (no sanitizing:
 * Validate is not run on a lock). */
static int lock_dependency(struct arena *a, const char *name, const struct doc_node *d,
			   struct tv **out)
{
	if (!d || d->kind == DOC_NULL) {
		*out = &tv_nil_value;
		return 0;
	}
	if (d->kind != DOC_MAP)
		return err_set(ERR_INVALID, "cannot load %s: error unmarshaling JSON: while decoding "
					    "JSON: json: cannot unmarshal %s into Go struct field "
					    "Lock.dependencies of type chart.Dependency",
			       name, d->kind == DOC_SEQ ? "array" : "string");
	struct helm_dependency dep = { 0 };
	dep.name = go_str(a, d, "name");
	dep.version = go_str(a, d, "version");
	dep.repository = go_str(a, d, "repository");
	dep.condition = go_str(a, d, "condition");
	dep.alias = go_str(a, d, "alias");
	const struct doc_node *tags = doc_map_get(d, "tags");
	if (tags && tags->kind == DOC_SEQ) {
		dep.ntags = tags->u.seq.len;
		dep.tags = arena_alloc(a, (dep.ntags + 1) * sizeof *dep.tags);
		for (size_t i = 0; i < dep.ntags; i++) {
			const char *t = helm_chart_go_string(a, tags->u.seq.items[i]);
			dep.tags[i] = t ? t : "";
		}
	}
	const struct doc_node *en = doc_map_get(d, "enabled");
	dep.enabled = en && en->kind == DOC_BOOL && en->u.boolean;
	struct doc_node *iv = doc_map_get(d, "import-values");
	dep.import_values = iv && iv->kind == DOC_SEQ ? iv : NULL;
	int rc = dependency_value(a, &dep, out);
	if (rc)
		return err_set(rc, "cannot load %s: %s", name, err_msg());
	return 0;
}

/* Chart.lock (or requirements.lock) read into chart.Lock and marshaled again. */
static int lock_marshal(struct arena *a, const struct helm_file *lock, struct buf *out)
{
	const char *name = lock->name;
	struct doc_stream st = { 0 };
	struct doc_limits lim = { 0 };
	lim.duplicate_keys_last_wins = true;
	lim.yaml_v2_error_lines = true;
	int rc = doc_parse_yaml(a, name, lock->data, lock->len, &lim, &st);
	if (rc)
		return err_set(rc, "cannot load %s: error converting YAML to JSON: %s", name, err_msg());
	const struct doc_node *root = st.len ? st.docs[0] : NULL;
	if (root && root->kind != DOC_MAP && root->kind != DOC_NULL)
		return err_set(ERR_INVALID, "cannot load %s: error unmarshaling JSON: while decoding "
					    "JSON: json: cannot unmarshal %s into Go value of type "
					    "chart.Lock", name, root->kind == DOC_SEQ ? "array" : "string");
	if (root && root->kind == DOC_NULL)
		root = NULL;
	struct tv *m = tv_map_new(a);
	const struct doc_node *gen = root ? doc_map_get(root, "generated") : NULL;
	struct buf t = BUF_INIT;
	if (!gen || gen->kind == DOC_NULL) {
		buf_adds(&t, "0001-01-01T00:00:00Z");
	} else if (gen->kind != DOC_STR) {
		return err_set(ERR_INVALID, "cannot load %s: error unmarshaling JSON: while decoding "
					    "JSON: Time.UnmarshalJSON: input is not a JSON string", name);
	} else if (!rfc3339_nano(gen->u.str.ptr, &t)) {
		buf_release(&t);
		return err_set(ERR_INVALID, "cannot load %s: error unmarshaling JSON: while decoding "
					    "JSON: parsing time \"\\\"%s\\\"\" as "
					    "\"\\\"2006-01-02T15:04:05Z07:00\\\"\": cannot parse",
			       name, gen->u.str.ptr);
	}
	tv_map_set(a, m, "generated", tv_strn(a, t.ptr, t.len));
	buf_release(&t);
	tv_map_set(a, m, "digest", tv_str(a, root ? go_str(a, root, "digest") : ""));
	const struct doc_node *deps = root ? doc_map_get(root, "dependencies") : NULL;
	if (deps && deps->kind == DOC_SEQ) {
		struct tv *l = tv_list(a, deps->u.seq.len);
		for (size_t i = 0; i < deps->u.seq.len; i++) {
			struct tv *d;
			if ((rc = lock_dependency(a, name, deps->u.seq.items[i], &d)))
				return rc;
			tv_list_push(a, l, d);
		}
		tv_map_set(a, m, "dependencies", l);
	} else if (deps && deps->kind != DOC_NULL) {
		return err_set(ERR_INVALID, "cannot load %s: error unmarshaling JSON: while decoding "
					    "JSON: json: cannot unmarshal %s into Go struct field "
					    "Lock.dependencies of type []*chart.Dependency",
			       name, deps->kind == DOC_MAP ? "object" : "string");
	} else {
		tv_map_set(a, m, "dependencies", &tv_nil_value); /* a nil slice: null */
	}
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
		if ((rc = lock_marshal(a, c->lock, &b))) {
			buf_release(&b);
			return rc;
		}
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
