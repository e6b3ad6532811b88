/*
 * The --set family, as helm's pkg/strvals parses it (parser.go, literal_parser.go) and
 * pkg/cli/values wraps it: keys with '.' nesting and [N] indexes, '\' escaping the next
 * character, {a,b} lists, values typed by typedVal (true/false/null in any case, int64
 * unless the text starts with '0', else a string), --set-json values decoded as JSON
 * (numbers float64, as json.Unmarshal gives them), --set-file values read from a file,
 * --set-literal taking the rest of the argument as one string. Helm's parser recovers
 * from Go panics on type assertions ("unable to parse key: interface conversion: ..."),
 * and an error that wraps io.EOF ends the parse silently: both are kept, since users see
 * them. Nesting is capped at 30 levels and indexes at 65536, as helm caps them.
 */
#include "helm/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/banned.h"

#define MAX_INDEX 65536
#define MAX_NESTED 30
#define SET_FILE_MAX ((size_t)64 << 20)

enum { R_OK = 0, R_EOF = 1, R_ERR = 2 };

struct parser {
	struct arena *a;
	const char *s;
	size_t pos, len;
	enum helm_set_kind kind;
	bool literal;
	struct buf err; /* the Go error text when R_ERR */
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_reset(&p->err);
	buf_vaddf(&p->err, fmt, ap);
	va_end(ap);
	return R_ERR;
}

/* Go's %q, for the ASCII and UTF-8 keys users write. */
static const char *goq(struct parser *p, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	buf_addch(&b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_addf(&b, "\\%c", c);
		else if (c == '\n')
			buf_adds(&b, "\\n");
		else if (c == '\t')
			buf_adds(&b, "\\t");
		else if (c == '\r')
			buf_adds(&b, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_addf(&b, "\\x%02x", c);
		else
			buf_addch(&b, (char)c);
	}
	buf_addch(&b, '"');
	char *r = arena_strndup(p->a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/* runesUntil: reads up to a stop byte (consumed, in *last) or the end (R_EOF); a
 * backslash takes the next character literally (not in literal mode). */
static int until(struct parser *p, const char *stop, struct buf *out, char *last)
{
	buf_reset(out);
	*last = 0;
	while (p->pos < p->len) {
		char c = p->s[p->pos];
		if (strchr(stop, c) && c) {
			p->pos++;
			*last = c;
			return R_OK;
		}
		if (c == '\\' && !p->literal) {
			p->pos++;
			if (p->pos >= p->len)
				return R_EOF;
			size_t n = utf8_len((unsigned char)p->s[p->pos]);
			if (n > p->len - p->pos)
				n = p->len - p->pos;
			buf_add(out, p->s + p->pos, n);
			p->pos += n;
			continue;
		}
		size_t n = utf8_len((unsigned char)c);
		if (n > p->len - p->pos)
			n = p->len - p->pos;
		buf_add(out, p->s + p->pos, n);
		p->pos += n;
	}
	return R_EOF;
}

static struct tv *typed_val(struct parser *p, const char *v, size_t n)
{
	if (p->kind == HELM_SET_STRING || p->kind == HELM_SET_LITERAL)
		return tv_strn(p->a, v, n);
	if (n == 4 && !strncasecmp(v, "true", 4))
		return tv_bool(true);
	if (n == 5 && !strncasecmp(v, "false", 5))
		return tv_bool(false);
	if (n == 4 && !strncasecmp(v, "null", 4))
		return &tv_nil_value;
	if (n == 1 && v[0] == '0')
		return tv_int_typed(p->a, 0, "int64");
	if (n && v[0] != '0') {
		/* strconv.ParseInt(val, 10, 64) */
		size_t i = 0;
		bool neg = false;
		if (v[0] == '+' || v[0] == '-') {
			neg = v[0] == '-';
			i = 1;
		}
		if (i < n) {
			unsigned long long acc = 0;
			bool ok = true;
			for (; i < n && ok; i++) {
				if (v[i] < '0' || v[i] > '9') {
					ok = false;
					break;
				}
				unsigned d = (unsigned)(v[i] - '0');
				if (acc > (9223372036854775808ULL - d) / 10)
					ok = false;
				acc = acc * 10 + d;
			}
			if (ok && (neg ? acc <= 9223372036854775808ULL : acc <= 9223372036854775807ULL))
				return tv_int_typed(p->a, neg ? (int64_t)(0 - acc) : (int64_t)acc, "int64");
		}
	}
	return tv_strn(p->a, v, n);
}

/* The reader: typedVal, or for --set-file the file named by the value. */
static int reader(struct parser *p, const char *v, size_t n, struct tv **out)
{
	if (p->kind != HELM_SET_FILE) {
		*out = typed_val(p, v, n);
		return R_OK;
	}
	char *path = arena_strndup(p->a, v, n);
	struct buf b = BUF_INIT;
	int rc = fs_read_regular_file(path, SET_FILE_MAX, &b);
	if (rc) {
		buf_release(&b);
		if (rc == ERR_NOTFOUND)
			return fail(p, "open %s: no such file or directory", path);
		return fail(p, "%s", err_msg());
	}
	*out = tv_strn(p->a, b.ptr, b.len);
	buf_release(&b);
	return R_OK;
}

static const char *go_type(const struct tv *v)
{
	return !v || v->kind == TV_NIL ? "nil" : tv_type_name(v);
}

static int panic_not(struct parser *p, const struct tv *v, const char *want)
{
	return fail(p, "unable to parse key: interface conversion: interface {} is %s, not %s",
		    go_type(v), want);
}

static void set(struct parser *p, struct tv *data, const char *k, size_t n, struct tv *v)
{
	if (n)
		tv_map_setn(p->a, data, k, n, v);
}

static int set_index(struct parser *p, struct tv *list, long i, struct tv *v)
{
	if (i < 0)
		return fail(p, "negative %ld index not allowed", i);
	if (i > MAX_INDEX)
		return fail(p, "index of %ld is greater than maximum supported index of %d", i, MAX_INDEX);
	while (list->u.list.len <= (size_t)i)
		tv_list_push(p->a, list, &tv_nil_value);
	list->u.list.items[i] = v;
	return R_OK;
}

/* strconv.Atoi */
static int key_index(struct parser *p, long *out)
{
	struct buf v = BUF_INIT;
	char last;
	int rc = until(p, "]", &v, &last);
	if (rc) {
		buf_release(&v);
		return R_EOF;
	}
	const char *s = v.ptr;
	size_t i = 0, n = v.len;
	bool neg = false;
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i = 1;
	}
	long long acc = 0;
	bool ok = i < n, range = true;
	for (; i < n && ok; i++) {
		if (s[i] < '0' || s[i] > '9') {
			ok = false;
			break;
		}
		if (acc > (9223372036854775807LL - (s[i] - '0')) / 10)
			range = false;
		else
			acc = acc * 10 + (s[i] - '0');
	}
	if (!ok || !range) {
		fail(p, "error parsing index: strconv.Atoi: parsing %s: %s", goq(p, v.ptr, v.len),
		     ok ? "value out of range" : "invalid syntax");
		buf_release(&v);
		return R_ERR;
	}
	buf_release(&v);
	*out = neg ? -acc : acc;
	return R_OK;
}

static void skip_json_ws(struct parser *p)
{
	while (p->pos < p->len && strchr(" \t\r\n", p->s[p->pos]))
		p->pos++;
}

/* emptyVal: true at the end or at a ',' (consumed); false before anything else. */
static bool empty_val(struct parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = (unsigned char)p->s[p->pos];
		if (c == ',') {
			p->pos++;
			return true;
		}
		if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'))
			return false;
		p->pos++;
	}
	return true;
}

/* The end of one JSON value starting at p->pos (json.Decoder's InputOffset after Decode). */
static bool json_extent(struct parser *p, size_t *end)
{
	size_t i = p->pos;
	int depth = 0;
	bool in_str = false;
	while (i < p->len) {
		char c = p->s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"') {
				in_str = false;
				if (!depth) {
					*end = i + 1;
					return true;
				}
			}
			i++;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return false;
			if (!depth) {
				*end = i + 1;
				return true;
			}
		} else if (!depth && strchr(" \t\r\n,", c)) {
			*end = i;
			return i > p->pos;
		}
		i++;
	}
	*end = i;
	return depth == 0 && !in_str && i > p->pos;
}

static int json_value(struct parser *p, struct tv **out)
{
	skip_json_ws(p);
	size_t end;
	if (!json_extent(p, &end))
		return fail(p, "unexpected end of JSON input");
	struct doc_node *n;
	if (doc_parse_json(p->a, "--set-json", p->s + p->pos, end - p->pos, NULL, &n) ||
	    tv_from_doc(p->a, n, 0, out))
		return fail(p, "invalid JSON value");
	p->pos = end;
	return R_OK;
}

static int val_list(struct parser *p, struct tv **out)
{
	if (p->pos >= p->len)
		return R_EOF;
	if (p->s[p->pos] != '{')
		return 3; /* ErrNotList */
	p->pos++;
	struct tv *list = tv_list(p->a, 4);
	*out = list;
	struct buf rs = BUF_INIT;
	for (;;) {
		char last;
		if (until(p, ",}", &rs, &last)) {
			buf_release(&rs);
			return fail(p, "list must terminate with '}'");
		}
		struct tv *v;
		int rc = reader(p, rs.ptr, rs.len, &v);
		if (last == '}') {
			if (p->pos < p->len && p->s[p->pos] == ',')
				p->pos++;
			tv_list_push(p->a, list, rc ? &tv_nil_value : v);
			buf_release(&rs);
			return rc;
		}
		if (rc) {
			buf_release(&rs);
			return rc;
		}
		tv_list_push(p->a, list, v);
	}
}

static int key(struct parser *p, struct tv *data, int level);

/* The value after '=' in a key or an index: JSON, literal, list or scalar. *v is set. */
static int value_after_eq(struct parser *p, struct tv **v, bool in_list)
{
	*v = NULL;
	if (p->kind == HELM_SET_JSON) {
		if (empty_val(p)) {
			*v = &tv_nil_value;
			return R_OK;
		}
		int rc = json_value(p, v);
		if (rc)
			return rc;
		empty_val(p);
		return R_OK;
	}
	if (p->literal) {
		*v = tv_strn(p->a, p->s + p->pos, p->len - p->pos);
		p->pos = p->len;
		return R_OK;
	}
	struct tv *vl = NULL;
	int e = val_list(p, &vl);
	if (e == R_OK) {
		*v = vl;
		return R_OK;
	}
	if (e == R_EOF) {
		*v = tv_str(p->a, "");
		return in_list ? R_OK : R_EOF;
	}
	if (e != 3) {
		*v = NULL;
		return e;
	}
	struct buf rs = BUF_INIT;
	char last;
	int eof = until(p, ",", &rs, &last);
	(void)eof;
	int rc = reader(p, rs.ptr, rs.len, v);
	buf_release(&rs);
	return rc;
}

static int list_item(struct parser *p, struct tv *list, long i, int level)
{
	if (i < 0)
		return fail(p, "negative %ld index not allowed", i);
	struct buf k = BUF_INIT;
	char last;
	int rc = until(p, "[.=", &k, &last);
	if (k.len) {
		fail(p, "unexpected data at end of array index: %s", goq(p, k.ptr, k.len));
		buf_release(&k);
		return R_ERR;
	}
	buf_release(&k);
	if (rc)
		return rc;
	if (last == '=') {
		struct tv *v;
		if ((rc = value_after_eq(p, &v, true)))
			return rc;
		return set_index(p, list, i, v);
	}
	if (last == '[') {
		long next;
		if ((rc = key_index(p, &next)))
			return rc;
		struct tv *crt = tv_list(p->a, 0);
		if ((size_t)i < list->u.list.len && !tv_is_nil(list->u.list.items[i])) {
			if (list->u.list.items[i]->kind != TV_LIST)
				return panic_not(p, list->u.list.items[i], "[]interface {}");
			crt = list->u.list.items[i];
		}
		if ((rc = list_item(p, crt, next, level)))
			return rc;
		return set_index(p, list, i, crt);
	}
	/* '.' */
	struct tv *inner = tv_map_new(p->a);
	if ((size_t)i < list->u.list.len) {
		if (list->u.list.items[i]->kind == TV_MAP)
			inner = list->u.list.items[i];
		else
			list->u.list.items[i] = inner;
	}
	if ((rc = key(p, inner, level)))
		return rc;
	return set_index(p, list, i, inner);
}

static int key(struct parser *p, struct tv *data, int level)
{
	struct buf kb = BUF_INIT;
	char last;
	int rc = until(p, p->literal ? "=[." : "=[,.", &kb, &last);
	char *k = arena_strndup(p->a, kb.ptr, kb.len);
	size_t kn = kb.len;
	buf_release(&kb);
	if (rc) {
		if (!kn)
			return R_EOF;
		return fail(p, "key %s has no value", goq(p, k, kn));
	}
	switch (last) {
	case '[': {
		long i;
		if ((rc = key_index(p, &i)))
			return rc;
		struct tv *list = tv_list(p->a, 0);
		struct tv *cur = tv_map_getn(data, k, kn);
		if (cur) {
			if (cur->kind != TV_LIST)
				return panic_not(p, cur, "[]interface {}");
			list = cur;
		}
		rc = list_item(p, list, i, level);
		set(p, data, k, kn, list);
		return rc;
	}
	case '=': {
		struct tv *v = NULL;
		rc = value_after_eq(p, &v, false);
		/* helm sets the key unless the list or JSON value failed; a file that cannot
		 * be read still sets it (to nil) */
		if (rc != R_ERR || (p->kind == HELM_SET_FILE && p->pos <= p->len && !v))
			set(p, data, k, kn, v ? v : &tv_nil_value);
		return rc;
	}
	case ',':
		set(p, data, k, kn, tv_str(p->a, ""));
		return fail(p, "key %s has no value (cannot end with ,)", goq(p, k, kn));
	default: { /* '.' */
		if (++level > MAX_NESTED)
			return fail(p, "value name nested level is greater than maximum supported "
				       "nested level of %d", MAX_NESTED);
		struct tv *inner = tv_map_new(p->a);
		struct tv *cur = tv_map_getn(data, k, kn);
		if (cur) {
			if (cur->kind != TV_MAP)
				return panic_not(p, cur, "map[string]interface {}");
			inner = cur;
		}
		rc = key(p, inner, level);
		if (rc == R_OK && inner->u.map.len == 0)
			return fail(p, "key map %s has no value", goq(p, k, kn));
		if (inner->u.map.len)
			set(p, data, k, kn, inner);
		return rc;
	}
	}
}

static const char *flag_name(enum helm_set_kind kind)
{
	switch (kind) {
	case HELM_SET_STRING: return "--set-string";
	case HELM_SET_JSON: return "--set-json";
	case HELM_SET_FILE: return "--set-file";
	case HELM_SET_LITERAL: return "--set-literal";
	default: return "--set";
	}
}

int helm_values_apply_set(struct arena *a, struct tv *dest, enum helm_set_kind kind,
			  const char *arg)
{
	if (kind == HELM_SET_JSON) {
		const char *t = arg;
		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r' || *t == '\v' || *t == '\f')
			t++;
		if (*t == '{') {
			struct doc_node *n;
			struct tv *m;
			if (doc_parse_json(a, "--set-json", t, strlen(t), NULL, &n) ||
			    tv_from_doc(a, n, 0, &m) || m->kind != TV_MAP)
				return err_set(ERR_INVALID, "failed parsing --set-json data JSON: %s", arg);
			helm_values_merge(a, dest, m);
			return 0;
		}
	}
	struct parser p = { 0 };
	p.a = a;
	p.s = arg;
	p.len = strlen(arg);
	p.kind = kind;
	p.literal = kind == HELM_SET_LITERAL;
	buf_init(&p.err, 0);
	int rc;
	while ((rc = key(&p, dest, 0)) == R_OK)
		;
	int out = 0;
	if (rc == R_ERR) {
		if (kind == HELM_SET_JSON)
			out = err_set(ERR_INVALID, "failed parsing --set-json data %s", arg);
		else
			out = err_set(ERR_INVALID, "failed parsing %s data: %s", flag_name(kind), p.err.ptr);
	}
	buf_release(&p.err);
	return out;
}
