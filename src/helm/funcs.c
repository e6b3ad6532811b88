/*
 * Helm's own template functions (helm v4.1.4 pkg/engine funcs.go and engine.go's
 * initFunMap), registered after sprig's so that Helm's fromJson, fail and getHostByName
 * replace sprig's: include and tpl (through the engine, with Helm's per-name include
 * limit and tpl's error wrapping), required and fail (messages wrapped in Helm's markers
 * so the renderer prints them alone), the YAML, JSON and TOML converters (which swallow
 * errors or put them in an "Error" key, as Helm's do), and lookup (an empty map without a
 * cluster; the render state's callback in the controller).
 *
 * Every function reaches the render through texec_userdata(), a struct
 * helm_render_state (render_int.h); with no state (unit tests, a bare set) include and
 * tpl skip Helm's counters and lookup returns an empty map. Nothing here touches the
 * network: getHostByName always returns "" (Helm's answer without --enable-dns).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "helm/render_int.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/banned.h"

/* toyaml.c */
int helm_to_yaml_pretty(struct texec *x, struct buf *out, const struct tv *v);
/* TOML (BurntSushi/toml's encoder and a reader for its common subset): end of file */
static int to_toml(struct texec *x, struct buf *out, const struct tv *v);
static int from_toml(struct arena *a, const char *s, size_t n, struct tv **out, struct buf *err);

/* NEEDSWORK: template.h has no public reader of a failed call's message; texec.c's
 * texec_message (template_int.h) is what tpl needs to wrap the nested error. */
const char *texec_message(const struct texec *x);

#define MAX_CONVERT_INPUT ((size_t)64 << 20)

static struct helm_render_state *state(struct texec *x)
{
	return texec_userdata(x);
}

static struct tv *str_out(struct texec *x, struct buf *b)
{
	return tv_strn(texec_arena(x), b->ptr, b->len);
}

/* Go's strconv.Quote (what %q prints for a string). */
static void go_quote(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (!l) {
			buf_addf(out, "\\x%c%c", hex[c >> 4], hex[c & 15]);
			i++;
			continue;
		}
		uint32_t r = utf8_decode(s + i, l);
		switch (r) {
		case '\a': buf_adds(out, "\\a"); break;
		case '\b': buf_adds(out, "\\b"); break;
		case '\f': buf_adds(out, "\\f"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\r': buf_adds(out, "\\r"); break;
		case '\t': buf_adds(out, "\\t"); break;
		case '\v': buf_adds(out, "\\v"); break;
		case '"': buf_adds(out, "\\\""); break;
		case '\\': buf_adds(out, "\\\\"); break;
		default:
			if (r < 0x20 || r == 0x7f)
				buf_addf(out, "\\x%c%c", hex[r >> 4], hex[r & 15]);
			else if ((r >= 0x80 && r < 0xa0) || r == 0xad || r == 0xfeff ||
				 (r >= 0x2028 && r <= 0x2029))
				buf_addf(out, "\\u%04x", (unsigned)r);
			else
				buf_add(out, s + i, l);
		}
		i += l;
	}
	buf_addch(out, '"');
}

/* ---- include, tpl, required, fail -------------------------------------------------- */

static int fn_include(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const char *name = args[0]->u.s.ptr;
	struct helm_render_state *st = state(x);
	size_t *count = st ? helm_include_count(st, name) : NULL;
	if (count && *count > HELM_INCLUDE_MAX)
		return texec_fail(x, "rendering template has a nested reference name: %s: "
				  "unable to execute template", name);
	if (count)
		++*count;
	struct buf b = BUF_INIT;
	int rc = texec_include(x, name, args[1], &b);
	if (st) /* the counter may have moved while nested includes added names */
		--*helm_include_count(st, name);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	*out = str_out(x, &b);
	buf_release(&b);
	return 0;
}

/* Removes every "<no value>" from b (Helm's tpl does it to its output). */
static void drop_no_value(struct buf *b)
{
	static const char nv[] = "<no value>";
	size_t w = 0;
	for (size_t r = 0; r < b->len;) {
		if (b->len - r >= sizeof(nv) - 1 && !memcmp(b->ptr + r, nv, sizeof(nv) - 1)) {
			r += sizeof(nv) - 1;
			continue;
		}
		b->ptr[w++] = b->ptr[r++];
	}
	b->len = w;
	b->ptr[w] = 0;
}

/* A parse error of tpl's text reads "template: gotpl:LINE: ..." (no column); an exec
 * error has LINE:COL. */
static bool is_parse_error(const char *msg)
{
	static const char p[] = "template: gotpl:";
	if (strncmp(msg, p, sizeof(p) - 1))
		return false;
	const char *q = msg + sizeof(p) - 1;
	if (*q < '0' || *q > '9')
		return false;
	while (*q >= '0' && *q <= '9')
		q++;
	return q[0] == ':' && q[1] == ' ';
}

static int fn_tpl(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *text = args[0];
	struct buf b = BUF_INIT;
	/* Helm parses tpl's text as a template named after its parent set, "gotpl". */
	int rc = texec_tpl(x, "gotpl", text->u.s.ptr, text->u.s.len, args[1], &b);
	if (rc) {
		buf_release(&b);
		if (rc == ERR_TOOBIG || rc == ERR_TIMEOUT)
			return rc;
		const char *m = texec_message(x);
		char *inner = arena_strdup(texec_arena(x), m ? m : "");
		struct buf q = BUF_INIT;
		go_quote(&q, text->u.s.ptr, text->u.s.len);
		rc = texec_failc(x, rc, is_parse_error(inner) ? "cannot parse template %s: %s"
						       : "error during tpl function execution for %s: %s",
				 q.ptr, inner);
		buf_release(&q);
		return rc;
	}
	drop_no_value(&b);
	*out = str_out(x, &b);
	buf_release(&b);
	return 0;
}

static int fn_required(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	const struct tv *v = args[1];
	bool missing = v->kind == TV_NIL || v->kind == TV_INVALID ||
		       (v->kind == TV_STRING && v->u.s.len == 0 &&
			(!v->type || !strcmp(v->type, "string")));
	if (missing) {
		struct helm_render_state *st = state(x);
		if (st && st->lint_mode) {
			*out = tv_str(texec_arena(x), "");
			return 0;
		}
		return texec_fail(x, HELM_WARN_START "%s" HELM_WARN_END, args[0]->u.s.ptr);
	}
	*out = args[1];
	return 0;
}

static int fn_fail(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct helm_render_state *st = state(x);
	if (st && st->lint_mode) {
		*out = tv_str(texec_arena(x), "");
		return 0;
	}
	return texec_fail(x, HELM_WARN_START "%s" HELM_WARN_END, args[0]->u.s.ptr);
}

/* ---- YAML ---------------------------------------------------------------------------- */

static void trim_newline(struct buf *b)
{
	if (b->len && b->ptr[b->len - 1] == '\n')
		b->ptr[--b->len] = 0;
}

static int yaml_out(struct texec *x, struct tv *const *args, struct tv **out, bool must,
		    bool pretty)
{
	struct buf b = BUF_INIT;
	int rc = pretty ? helm_to_yaml_pretty(x, &b, args[0]) : helm_to_yaml(x, &b, args[0]);
	if (rc) {
		buf_release(&b);
		/* toYaml swallows marshal errors ("" instead); caps are never swallowed */
		if (must || rc == ERR_TOOBIG || rc == ERR_TIMEOUT)
			return rc;
		*out = tv_str(texec_arena(x), "");
		return 0;
	}
	trim_newline(&b);
	*out = str_out(x, &b);
	buf_release(&b);
	return 0;
}

static int fn_to_yaml(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return yaml_out(x, args, out, false, false);
}

static int fn_must_to_yaml(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return yaml_out(x, args, out, true, false);
}

static int fn_to_yaml_pretty(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	return yaml_out(x, args, out, false, true);
}

/* json's name of a value's JSON type in "cannot unmarshal X into Go value of type". */
static const char *json_kind(const struct tv *v)
{
	switch (v->kind) {
	case TV_MAP: return "object";
	case TV_LIST: return "array";
	case TV_STRING: return "string";
	case TV_BOOL: return "bool";
	default: return "number";
	}
}

/*
 * go-yaml v2's message for a libyaml error, from the doc parser's "'NAME': line N:
 * PROBLEM[ CONTEXT]": v2 prints the problem only, and for parser (not scanner) errors
 * the 0-based line of the problem mark, so one less than the scanner's.
 */
static void yaml_error(struct buf *out, const char *msg)
{
	const char *p = strstr(msg, ": line ");
	if (!p) {
		const char *c = strstr(msg, "': ");
		buf_addf(out, "yaml: %s", c ? c + 3 : msg);
		return;
	}
	long line = strtol(p + 7, NULL, 10);
	const char *problem = strchr(p + 7, ':');
	problem = problem ? problem + 2 : "";
	size_t plen = strlen(problem);
	const char *ctx = strstr(problem, " while ");
	if (ctx)
		plen = (size_t)(ctx - problem);
	bool parser = !strncmp(problem, "did not find expected", 21) &&
		      strncmp(problem, "did not find expected comment", 29) &&
		      strncmp(problem, "did not find expected whitespace", 32) &&
		      strncmp(problem, "did not find expected hex", 25) &&
		      strncmp(problem, "did not find expected tag", 25) &&
		      strncmp(problem, "did not find expected alpha", 27) &&
		      strncmp(problem, "did not find expected digit", 27);
	if (parser)
		line--;
	buf_adds(out, "yaml: ");
	if (line > 0)
		buf_addf(out, "line %ld: ", line);
	buf_add(out, problem, plen);
}

/*
 * sigs.k8s.io/yaml's Unmarshal into a map (want 'm') or a slice (want 'l'): the first
 * document as YAML 1.1, through JSON (numbers float64). 0 with *out, or the error's
 * message in err (Helm's text, "error converting YAML to JSON: ..." or "error unmarshaling
 * JSON: ..."); *out NULL for a null document.
 */
static int yaml_decode(struct texec *x, const struct tv *in, char want, struct tv **out,
		       struct buf *err)
{
	struct arena *a = texec_arena(x);
	struct doc_stream st = { 0 };
	*out = NULL;
	if (in->u.s.len > MAX_CONVERT_INPUT) {
		buf_adds(err, "error converting YAML to JSON: yaml: input too large");
		return ERR_TOOBIG;
	}
	err_clear();
	if (doc_parse_yaml(a, "fromYaml", in->u.s.ptr, in->u.s.len, NULL, &st)) {
		buf_adds(err, "error converting YAML to JSON: ");
		yaml_error(err, err_msg());
		return ERR_INVALID;
	}
	if (!st.len)
		return 0;
	struct tv *v;
	if (tv_from_doc(a, st.docs[0], TV_FROM_DOC_YAML11, &v)) {
		const char *m = err_msg();
		if (strncmp(m, "error converting", 16))
			buf_adds(err, "error converting YAML to JSON: ");
		buf_adds(err, m);
		return ERR_INVALID;
	}
	if (v->kind == TV_NIL)
		return 0;
	if ((want == 'm') != (v->kind == TV_MAP) || (want == 'l' && v->kind != TV_LIST)) {
		buf_addf(err, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s "
			 "into Go value of type %s", json_kind(v),
			 want == 'm' ? "map[string]interface {}" : "[]interface {}");
		return ERR_INVALID;
	}
	*out = v;
	return 0;
}

static int fn_from_yaml(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf err = BUF_INIT;
	struct tv *v;
	int rc = yaml_decode(x, args[0], 'm', &v, &err);
	if (rc || !v) {
		v = tv_map_new(texec_arena(x));
		if (rc)
			tv_map_set(texec_arena(x), v, "Error", str_out(x, &err));
	}
	buf_release(&err);
	*out = v;
	return 0;
}

static int fn_from_yaml_array(struct texec *x, struct tv *const *args, size_t nargs,
			      struct tv **out)
{
	(void)nargs;
	struct buf err = BUF_INIT;
	struct tv *v;
	int rc = yaml_decode(x, args[0], 'l', &v, &err);
	if (rc || !v) {
		v = tv_list(texec_arena(x), 1);
		if (rc)
			tv_list_push(texec_arena(x), v, str_out(x, &err));
	}
	buf_release(&err);
	*out = v;
	return 0;
}

/* ---- JSON ---------------------------------------------------------------------------- */

/* encoding/json's string: HTML-safe (<, >, & escaped), U+2028/9 escaped, invalid UTF-8
 * as U+FFFD. */
static void json_string(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(out, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			switch (c) {
			case '"': buf_adds(out, "\\\""); break;
			case '\\': buf_adds(out, "\\\\"); break;
			case '\n': buf_adds(out, "\\n"); break;
			case '\r': buf_adds(out, "\\r"); break;
			case '\t': buf_adds(out, "\\t"); break;
			case '\b': buf_adds(out, "\\b"); break;
			case '\f': buf_adds(out, "\\f"); break;
			default:
				if (c < 0x20 || c == '<' || c == '>' || c == '&')
					buf_addf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
				else
					buf_addch(out, (char)c);
			}
			i++;
			continue;
		}
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (!l) {
			buf_adds(out, "\\ufffd");
			i++;
			continue;
		}
		uint32_t r = utf8_decode(s + i, l);
		if (r == 0x2028 || r == 0x2029)
			buf_addf(out, "\\u%04x", (unsigned)r);
		else
			buf_add(out, s + i, l);
		i += l;
	}
	buf_addch(out, '"');
}

static void json_write(struct buf *out, const struct doc_node *n)
{
	switch (n->kind) {
	case DOC_NULL: buf_adds(out, "null"); return;
	case DOC_BOOL: buf_adds(out, n->u.boolean ? "true" : "false"); return;
	case DOC_INT:
	case DOC_FLOAT: buf_add(out, n->u.str.ptr, n->u.str.len); return;
	case DOC_STR: json_string(out, n->u.str.ptr, n->u.str.len); return;
	case DOC_SEQ:
		buf_addch(out, '[');
		for (size_t i = 0; i < n->u.seq.len && !out->err; i++) {
			if (i)
				buf_addch(out, ',');
			json_write(out, n->u.seq.items[i]);
		}
		buf_addch(out, ']');
		return;
	case DOC_MAP:
		buf_addch(out, '{');
		for (size_t i = 0; i < n->u.map.len && !out->err; i++) {
			if (i)
				buf_addch(out, ',');
			json_string(out, n->u.map.items[i].key, n->u.map.items[i].keylen);
			buf_addch(out, ':');
			json_write(out, n->u.map.items[i].value);
		}
		buf_addch(out, '}');
		return;
	}
}

/* json.Marshal of v into out (capped); the error's message in *msg. */
static int json_marshal(struct texec *x, const struct tv *v, struct buf *out, const char **msg)
{
	struct doc_node *d;
	err_clear();
	int rc = tv_to_doc(x, texec_arena(x), v, &d);
	if (rc) {
		*msg = arena_strdup(texec_arena(x), err_msg());
		return rc;
	}
	buf_init(out, MAX_CONVERT_INPUT);
	json_write(out, d);
	if (out->err) {
		*msg = "json: output too large";
		return ERR_TOOBIG;
	}
	return 0;
}

static int fn_to_json(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b;
	const char *msg;
	int rc = json_marshal(x, args[0], &b, &msg);
	if (rc == ERR_TOOBIG) {
		buf_release(&b);
		return texec_failc(x, rc, "%s", msg);
	}
	*out = rc ? tv_str(texec_arena(x), "") : str_out(x, &b);
	buf_release(&b);
	return 0;
}

static int fn_must_to_json(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b;
	const char *msg;
	int rc = json_marshal(x, args[0], &b, &msg);
	if (rc) {
		buf_release(&b);
		return texec_failc(x, rc, "%s", msg);
	}
	*out = str_out(x, &b);
	buf_release(&b);
	return 0;
}

/* ---- A JSON reader with encoding/json's messages -------------------------------------- */

struct jread {
	struct arena *a;
	const char *s;
	size_t n, i;
	struct buf *err;
	int depth;
};

/* json's quoteChar: 'x', with Go's escapes for the rest. */
static int jfail(struct jread *r, const char *context)
{
	if (r->i >= r->n) {
		buf_adds(r->err, "unexpected end of JSON input");
		return ERR_INVALID;
	}
	unsigned char c = (unsigned char)r->s[r->i];
	buf_adds(r->err, "invalid character ");
	if (c == '\'')
		buf_adds(r->err, "'\\''");
	else if (c == '"')
		buf_adds(r->err, "'\"'");
	else {
		struct buf q = BUF_INIT;
		size_t l = utf8_valid_prefix(r->s + r->i, r->n - r->i);
		if (!l)
			go_quote(&q, "\xef\xbf\xbd", 3);
		else
			go_quote(&q, r->s + r->i, l);
		buf_addch(r->err, '\'');
		buf_add(r->err, q.ptr + 1, q.len - 2);
		buf_addch(r->err, '\'');
		buf_release(&q);
	}
	buf_addf(r->err, " %s", context);
	return ERR_INVALID;
}

static void jspace(struct jread *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' ||
			       r->s[r->i] == '\r'))
		r->i++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int jstring(struct jread *r, struct buf *b)
{
	r->i++; /* the opening quote */
	while (r->i < r->n) {
		unsigned char c = (unsigned char)r->s[r->i];
		if (c == '"') {
			r->i++;
			return 0;
		}
		if (c < 0x20)
			return jfail(r, "in string literal");
		if (c == '\\') {
			r->i++;
			if (r->i >= r->n)
				return jfail(r, "");
			char e = r->s[r->i];
			const char *simple = strchr("\"\\/bfnrt", e);
			if (e && simple) {
				static const char map[] = "\"\\/\b\f\n\r\t";
				buf_addch(b, map[simple - "\"\\/bfnrt"]);
				r->i++;
				continue;
			}
			if (e != 'u')
				return jfail(r, "in string escape code");
			uint32_t cp = 0;
			for (int k = 0; k < 4; k++) {
				r->i++;
				if (r->i >= r->n)
					return jfail(r, "");
				int h = hexval(r->s[r->i]);
				if (h < 0)
					return jfail(r, "in \\u hexadecimal character escape");
				cp = cp * 16 + (uint32_t)h;
			}
			r->i++;
			if (cp >= 0xd800 && cp < 0xdc00 && r->i + 6 <= r->n && r->s[r->i] == '\\' &&
			    r->s[r->i + 1] == 'u') {
				uint32_t lo = 0;
				bool ok = true;
				for (int k = 0; k < 4; k++) {
					int h = hexval(r->s[r->i + 2 + (size_t)k]);
					if (h < 0)
						ok = false;
					lo = lo * 16 + (uint32_t)(h < 0 ? 0 : h);
				}
				if (ok && lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					r->i += 6;
				} else {
					cp = 0xfffd;
				}
			} else if (cp >= 0xd800 && cp < 0xe000) {
				cp = 0xfffd;
			}
			char u[4];
			buf_add(b, u, utf8_encode(cp, u));
			continue;
		}
		size_t l = c < 0x80 ? 1 : utf8_valid_prefix(r->s + r->i, r->n - r->i);
		if (!l) {
			buf_adds(b, "\xef\xbf\xbd");
			r->i++;
		} else {
			buf_add(b, r->s + r->i, l);
			r->i += l;
		}
	}
	return jfail(r, "");
}

static bool jdigit(struct jread *r)
{
	return r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9';
}

static int jnumber(struct jread *r, struct tv **out)
{
	size_t start = r->i;
	if (r->s[r->i] == '-') {
		r->i++;
		if (!jdigit(r))
			return jfail(r, "in numeric literal");
	}
	if (r->s[r->i] == '0')
		r->i++;
	else
		while (jdigit(r))
			r->i++;
	if (r->i < r->n && r->s[r->i] == '.') {
		r->i++;
		if (!jdigit(r))
			return jfail(r, "after decimal point in numeric literal");
		while (jdigit(r))
			r->i++;
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (!jdigit(r))
			return jfail(r, "in exponent of numeric literal");
		while (jdigit(r))
			r->i++;
	}
	char *t = arena_strndup(r->a, r->s + start, r->i - start);
	*out = tv_float(r->a, strtod(t, NULL));
	return 0;
}

static int jvalue(struct jread *r, struct tv **out);

static int jliteral(struct jread *r, const char *word, struct tv *v, struct tv **out)
{
	for (size_t k = 0; word[k]; k++, r->i++) {
		if (r->i >= r->n || r->s[r->i] != word[k]) {
			char ctx[64];
			snprintf(ctx, sizeof(ctx), "in literal %s (expecting '%c')", word, word[k]);
			return jfail(r, ctx);
		}
	}
	*out = v;
	return 0;
}

static int jvalue(struct jread *r, struct tv **out)
{
	jspace(r);
	if (r->i >= r->n)
		return jfail(r, "");
	if (++r->depth > 10000) {
		buf_adds(r->err, "exceeded max depth");
		return ERR_TOOBIG;
	}
	int rc = 0;
	char c = r->s[r->i];
	if (c == '{') {
		struct tv *m = tv_map_new(r->a);
		r->i++;
		jspace(r);
		if (r->i < r->n && r->s[r->i] == '}') {
			r->i++;
		} else {
			for (;;) {
				jspace(r);
				if (r->i >= r->n || r->s[r->i] != '"')
					return jfail(r, "looking for beginning of object key string");
				struct buf k = BUF_INIT;
				rc = jstring(r, &k);
				char *key = arena_strndup(r->a, k.ptr, k.len);
				size_t klen = k.len;
				buf_release(&k);
				if (rc)
					return rc;
				jspace(r);
				if (r->i >= r->n || r->s[r->i] != ':')
					return jfail(r, "after object key");
				r->i++;
				struct tv *v;
				if ((rc = jvalue(r, &v)))
					return rc;
				tv_map_setn(r->a, m, key, klen, v);
				jspace(r);
				if (r->i < r->n && r->s[r->i] == ',') {
					r->i++;
					continue;
				}
				if (r->i < r->n && r->s[r->i] == '}') {
					r->i++;
					break;
				}
				return jfail(r, "after object key:value pair");
			}
		}
		*out = m;
	} else if (c == '[') {
		struct tv *l = tv_list(r->a, 0);
		r->i++;
		jspace(r);
		if (r->i < r->n && r->s[r->i] == ']') {
			r->i++;
		} else {
			for (;;) {
				struct tv *v;
				if ((rc = jvalue(r, &v)))
					return rc;
				tv_list_push(r->a, l, v);
				jspace(r);
				if (r->i < r->n && r->s[r->i] == ',') {
					r->i++;
					continue;
				}
				if (r->i < r->n && r->s[r->i] == ']') {
					r->i++;
					break;
				}
				return jfail(r, "after array element");
			}
		}
		*out = l;
	} else if (c == '"') {
		struct buf s = BUF_INIT;
		rc = jstring(r, &s);
		if (!rc)
			*out = tv_strn(r->a, s.ptr, s.len);
		buf_release(&s);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		rc = jnumber(r, out);
	} else if (c == 't') {
		rc = jliteral(r, "true", tv_bool(true), out);
	} else if (c == 'f') {
		rc = jliteral(r, "false", tv_bool(false), out);
	} else if (c == 'n') {
		rc = jliteral(r, "null", &tv_nil_value, out);
	} else {
		rc = jfail(r, "looking for beginning of value");
	}
	r->depth--;
	return rc;
}

/*
 * json.Unmarshal of s into a map ('m') or a slice ('l'): syntax first (Go checks the whole
 * text before decoding), then the type. *out NULL for null.
 */
static int json_decode(struct texec *x, const struct tv *in, char want, struct tv **out,
		       struct buf *err)
{
	struct jread r = { texec_arena(x), in->u.s.ptr, in->u.s.len, 0, err, 0 };
	*out = NULL;
	struct tv *v;
	int rc = jvalue(&r, &v);
	if (rc)
		return rc;
	jspace(&r);
	if (r.i < r.n)
		return jfail(&r, "after top-level value");
	if (v->kind == TV_NIL)
		return 0;
	if ((want == 'm' && v->kind != TV_MAP) || (want == 'l' && v->kind != TV_LIST)) {
		buf_addf(err, "json: cannot unmarshal %s into Go value of type %s", json_kind(v),
			 want == 'm' ? "map[string]interface {}" : "[]interface {}");
		return ERR_INVALID;
	}
	*out = v;
	return 0;
}

static int fn_from_json(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf err = BUF_INIT;
	struct tv *v;
	int rc = json_decode(x, args[0], 'm', &v, &err);
	if (rc || !v) {
		v = tv_map_new(texec_arena(x));
		if (rc)
			tv_map_set(texec_arena(x), v, "Error", str_out(x, &err));
	}
	buf_release(&err);
	*out = v;
	return 0;
}

static int fn_from_json_array(struct texec *x, struct tv *const *args, size_t nargs,
			      struct tv **out)
{
	(void)nargs;
	struct buf err = BUF_INIT;
	struct tv *v;
	int rc = json_decode(x, args[0], 'l', &v, &err);
	if (rc || !v) {
		v = tv_list(texec_arena(x), 1);
		if (rc)
			tv_list_push(texec_arena(x), v, str_out(x, &err));
	}
	buf_release(&err);
	*out = v;
	return 0;
}

/* ---- TOML, lookup, getHostByName ------------------------------------------------------- */

static int fn_to_toml(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf b;
	buf_init(&b, MAX_CONVERT_INPUT);
	int rc = to_toml(x, &b, args[0]);
	if (b.err) {
		buf_release(&b);
		return texec_failc(x, ERR_TOOBIG, "toToml: output too large");
	}
	(void)rc; /* toToml returns the error's text in place of the document */
	*out = str_out(x, &b);
	buf_release(&b);
	return 0;
}

static int fn_from_toml(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct buf err = BUF_INIT;
	struct tv *v = NULL;
	int rc = from_toml(texec_arena(x), args[0]->u.s.ptr, args[0]->u.s.len, &v, &err);
	if (rc || !v) {
		v = tv_map_new(texec_arena(x));
		if (rc)
			tv_map_set(texec_arena(x), v, "Error", str_out(x, &err));
	}
	buf_release(&err);
	*out = v;
	return 0;
}

static int fn_lookup(struct texec *x, struct tv *const *args, size_t nargs, struct tv **out)
{
	(void)nargs;
	struct helm_render_state *st = state(x);
	if (!st || !st->lookup) {
		*out = tv_map_new(texec_arena(x));
		return 0;
	}
	return st->lookup(st->lookup_ctx, x, args[0]->u.s.ptr, args[1]->u.s.ptr, args[2]->u.s.ptr,
			  args[3]->u.s.ptr, out);
}

static int fn_get_host_by_name(struct texec *x, struct tv *const *args, size_t nargs,
			       struct tv **out)
{
	(void)args;
	(void)nargs;
	/* NEEDSWORK: --enable-dns would resolve here; templates never reach the network. */
	*out = tv_str(texec_arena(x), "");
	return 0;
}

static const struct tfunc helm_funcs[] = {
	{ "toToml", fn_to_toml, "a", "s" },
	{ "fromToml", fn_from_toml, "s", "m" },
	{ "toYaml", fn_to_yaml, "a", "s" },
	{ "mustToYaml", fn_must_to_yaml, "a", "se" },
	{ "toYamlPretty", fn_to_yaml_pretty, "a", "s" },
	{ "fromYaml", fn_from_yaml, "s", "m" },
	{ "fromYamlArray", fn_from_yaml_array, "s", "l" },
	{ "toJson", fn_to_json, "a", "s" },
	{ "mustToJson", fn_must_to_json, "a", "se" },
	{ "fromJson", fn_from_json, "s", "m" },
	{ "fromJsonArray", fn_from_json_array, "s", "l" },
	{ "include", fn_include, "sa", "se" },
	{ "tpl", fn_tpl, "sa", "se" },
	{ "required", fn_required, "sa", "ae" },
	{ "fail", fn_fail, "s", "se" },
	{ "lookup", fn_lookup, "ssss", "me" },
	{ "getHostByName", fn_get_host_by_name, "s", "s" },
};

const struct tfunc_table helm_funcs_table = { helm_funcs, sizeof(helm_funcs) / sizeof(helm_funcs[0]) };

/* ---- TOML -------------------------------------------------------------------------------
 * toToml as BurntSushi/toml's Encoder writes a map: the keys holding plain values first,
 * then the tables ("[a.b]", a blank line before each top-level one) and arrays of tables
 * ("[[a]]"), each group sorted; two spaces of indentation per level below the top; nil
 * values skipped; floats always with a decimal point (80 -> 80.0, since values are
 * float64). */

static bool toml_bare(const char *k, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void toml_quote(struct buf *b, const char *s, size_t n)
{
	buf_addch(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '\b': buf_adds(b, "\\b"); break;
		case '\t': buf_adds(b, "\\t"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\f': buf_adds(b, "\\f"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '"': buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_addf(b, "\\u%04X", c);
			else
				buf_addch(b, (char)c);
		}
	}
	buf_addch(b, '"');
}

static void toml_key(struct buf *b, const char *k, size_t n)
{
	if (toml_bare(k, n))
		buf_add(b, k, n);
	else
		toml_quote(b, k, n);
}

struct tkey {
	const char **parts;
	size_t *lens;
	size_t n;
};

static void toml_path(struct buf *b, const struct tkey *k)
{
	for (size_t i = 0; i < k->n; i++) {
		if (i)
			buf_addch(b, '.');
		toml_key(b, k->parts[i], k->lens[i]);
	}
}

static void toml_indent(struct buf *b, size_t level)
{
	for (size_t i = 1; i < level; i++)
		buf_adds(b, "  ");
}

static const struct tv *toml_resolve(struct texec *x, const struct tv *v)
{
	if (v->kind == TV_OBJECT) {
		struct tv *d = v->u.obj.ops->to_data ? v->u.obj.ops->to_data(x, v) : NULL;
		return d ? d : tv_map_new(texec_arena(x));
	}
	return v;
}

static bool toml_is_table(struct texec *x, const struct tv *v)
{
	return toml_resolve(x, v)->kind == TV_MAP;
}

static bool toml_is_table_array(struct texec *x, const struct tv *v)
{
	v = toml_resolve(x, v);
	if (v->kind != TV_LIST || !v->u.list.len)
		return false;
	for (size_t i = 0; i < v->u.list.len; i++)
		if (!toml_is_table(x, v->u.list.items[i]))
			return false;
	return true;
}

static void toml_float(struct buf *b, double f)
{
	if (isnan(f)) {
		buf_adds(b, "nan");
		return;
	}
	if (isinf(f)) {
		buf_adds(b, f > 0 ? "inf" : "-inf");
		return;
	}
	/* strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that read back */
	char tmp[400];
	for (int prec = 0; prec <= 340; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*f", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	buf_adds(b, tmp);
	if (!strchr(tmp, '.'))
		buf_adds(b, ".0");
}

static int toml_inline(struct texec *x, struct buf *b, const struct tv *v, int depth);

static int toml_element(struct texec *x, struct buf *b, const struct tv *v, int depth)
{
	if (depth > 1000)
		return ERR_TOOBIG;
	v = toml_resolve(x, v);
	switch ((enum tv_kind)v->kind) {
	case TV_BOOL: buf_adds(b, v->u.b ? "true" : "false"); return 0;
	case TV_INT: buf_addf(b, "%lld", (long long)v->u.i); return 0;
	case TV_UINT: buf_addf(b, "%llu", (unsigned long long)v->u.u); return 0;
	case TV_FLOAT: toml_float(b, v->u.f); return 0;
	case TV_STRING:
	case TV_BYTES: toml_quote(b, v->u.s.ptr, v->u.s.len); return 0;
	case TV_LIST:
		buf_addch(b, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				buf_adds(b, ", ");
			int rc = toml_element(x, b, v->u.list.items[i], depth + 1);
			if (rc)
				return rc;
		}
		buf_addch(b, ']');
		return 0;
	case TV_MAP: return toml_inline(x, b, v, depth + 1);
	default:
		buf_adds(b, "toml: cannot encode a nil value");
		return ERR_INVALID;
	}
}

static int toml_inline(struct texec *x, struct buf *b, const struct tv *v, int depth)
{
	struct tv_pair **p = tv_map_sorted(texec_arena(x), v);
	buf_addch(b, '{');
	size_t k = 0;
	for (size_t i = 0; i < v->u.map.len; i++) {
		if (tv_is_nil(p[i]->value))
			continue;
		buf_adds(b, k++ ? ", " : "");
		toml_key(b, p[i]->key, p[i]->keylen);
		buf_adds(b, " = ");
		int rc = toml_element(x, b, p[i]->value, depth + 1);
		if (rc)
			return rc;
	}
	buf_addch(b, '}');
	return 0;
}

static void toml_newline(struct buf *b)
{
	if (b->len)
		buf_addch(b, '\n');
}

static int toml_table(struct texec *x, struct buf *b, struct tkey *key, const struct tv *m,
		      int depth);

static struct tkey toml_child(struct texec *x, const struct tkey *key, const struct tv_pair *p)
{
	struct tkey k = { arena_alloc(texec_arena(x), (key->n + 1) * sizeof(char *)),
			  arena_alloc(texec_arena(x), (key->n + 1) * sizeof(size_t)), key->n + 1 };
	for (size_t i = 0; i < key->n; i++) {
		k.parts[i] = key->parts[i];
		k.lens[i] = key->lens[i];
	}
	k.parts[key->n] = p->key;
	k.lens[key->n] = p->keylen;
	return k;
}

static int toml_table(struct texec *x, struct buf *b, struct tkey *key, const struct tv *m,
		      int depth)
{
	if (depth > 1000) {
		buf_adds(b, "toml: nesting too deep");
		return ERR_TOOBIG;
	}
	struct tv_pair **p = tv_map_sorted(texec_arena(x), m);
	/* plain values first */
	for (size_t i = 0; i < m->u.map.len; i++) {
		const struct tv *v = p[i]->value;
		if (tv_is_nil(v) || toml_is_table(x, v) || toml_is_table_array(x, v))
			continue;
		struct tkey k = toml_child(x, key, p[i]);
		toml_indent(b, k.n);
		toml_key(b, p[i]->key, p[i]->keylen);
		buf_adds(b, " = ");
		int rc = toml_element(x, b, v, depth + 1);
		if (rc)
			return rc;
		toml_newline(b);
	}
	for (size_t i = 0; i < m->u.map.len; i++) {
		const struct tv *v = p[i]->value;
		struct tkey k = toml_child(x, key, p[i]);
		int rc = 0;
		if (toml_is_table(x, v)) {
			if (k.n == 1)
				toml_newline(b);
			toml_indent(b, k.n);
			buf_addch(b, '[');
			toml_path(b, &k);
			buf_addch(b, ']');
			toml_newline(b);
			rc = toml_table(x, b, &k, toml_resolve(x, v), depth + 1);
		} else if (toml_is_table_array(x, v)) {
			v = toml_resolve(x, v);
			for (size_t j = 0; j < v->u.list.len && !rc; j++) {
				toml_newline(b);
				toml_indent(b, k.n);
				buf_adds(b, "[[");
				toml_path(b, &k);
				buf_adds(b, "]]");
				toml_newline(b);
				rc = toml_table(x, b, &k, toml_resolve(x, v->u.list.items[j]), depth + 1);
			}
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int to_toml(struct texec *x, struct buf *out, const struct tv *v)
{
	v = toml_resolve(x, v);
	if (v->kind != TV_MAP) {
		buf_addf(out, "toml: top-level values must be Go maps or structs");
		return ERR_INVALID;
	}
	struct tkey root = { NULL, NULL, 0 };
	struct buf b = BUF_INIT;
	int rc = toml_table(x, &b, &root, v, 0);
	if (rc) {
		/* the error's text replaces the document; what was written is dropped */
		const char *nl = memrchr(b.ptr, '\n', b.len);
		buf_adds(out, nl ? nl + 1 : b.ptr);
	} else {
		buf_add(out, b.ptr, b.len);
	}
	buf_release(&b);
	return rc;
}

/* A TOML reader for what charts pass fromToml: key = value lines with bare, quoted and
 * dotted keys, [tables], [[arrays of tables]], strings (basic, literal, multi-line),
 * integers (int64), floats, booleans, arrays and inline tables; dates stay strings.
 * Errors in BurntSushi's shape: "toml: line N (last key \"k\"): ...". */
struct tread {
	struct arena *a;
	const char *s;
	size_t n, i;
	size_t line;
	struct buf *err;
	const char *last_key;
	int depth;
};

static int tfail(struct tread *r, const char *what)
{
	buf_addf(r->err, "toml: line %zu", r->line);
	if (r->last_key)
		buf_addf(r->err, " (last key \"%s\")", r->last_key);
	buf_addf(r->err, ": %s", what);
	return ERR_INVALID;
}

static void tspace(struct tread *r)
{
	while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t'))
		r->i++;
}

/* Spaces, comments and newlines (inside arrays). */
static void tspace_nl(struct tread *r)
{
	for (;;) {
		tspace(r);
		if (r->i < r->n && r->s[r->i] == '#') {
			while (r->i < r->n && r->s[r->i] != '\n')
				r->i++;
		}
		if (r->i < r->n && (r->s[r->i] == '\n' || r->s[r->i] == '\r')) {
			if (r->s[r->i] == '\n')
				r->line++;
			r->i++;
			continue;
		}
		return;
	}
}

static int tstring(struct tread *r, struct buf *b)
{
	char q = r->s[r->i];
	bool multi = r->i + 2 < r->n && r->s[r->i + 1] == q && r->s[r->i + 2] == q;
	r->i += multi ? 3 : 1;
	if (multi && r->i < r->n && r->s[r->i] == '\n') {
		r->line++;
		r->i++;
	}
	while (r->i < r->n) {
		char c = r->s[r->i];
		if (c == q && (!multi || (r->i + 2 < r->n && r->s[r->i + 1] == q && r->s[r->i + 2] == q))) {
			r->i += multi ? 3 : 1;
			return 0;
		}
		if (c == '\n') {
			if (!multi)
				return tfail(r, "strings cannot contain newlines");
			r->line++;
		}
		if (c == '\\' && q == '"') {
			r->i++;
			char e = r->i < r->n ? r->s[r->i] : 0;
			switch (e) {
			case 'b': buf_addch(b, '\b'); break;
			case 't': buf_addch(b, '\t'); break;
			case 'n': buf_addch(b, '\n'); break;
			case 'f': buf_addch(b, '\f'); break;
			case 'r': buf_addch(b, '\r'); break;
			case '"': buf_addch(b, '"'); break;
			case '\\': buf_addch(b, '\\'); break;
			case 'u':
			case 'U': {
				int len = e == 'u' ? 4 : 8;
				uint32_t cp = 0;
				for (int k = 0; k < len; k++) {
					int h = r->i + 1 < r->n ? hexval(r->s[++r->i]) : -1;
					if (h < 0)
						return tfail(r, "invalid escape in string");
					cp = cp * 16 + (uint32_t)h;
				}
				char u[4];
				size_t ul = utf8_encode(cp, u);
				if (!ul)
					return tfail(r, "invalid escape in string");
				buf_add(b, u, ul);
				break;
			}
			case '\n':
				if (multi) {
					while (r->i < r->n && strchr(" \t\r\n", r->s[r->i])) {
						if (r->s[r->i] == '\n')
							r->line++;
						r->i++;
					}
					continue;
				}
				/* fall through */
			default: return tfail(r, "invalid escape in string");
			}
			r->i++;
			continue;
		}
		buf_addch(b, c);
		r->i++;
	}
	return tfail(r, "unexpected EOF; expected string end");
}

static int tkey_part(struct tread *r, const char **key, size_t *len)
{
	tspace(r);
	struct buf b = BUF_INIT;
	int rc = 0;
	if (r->i < r->n && (r->s[r->i] == '"' || r->s[r->i] == '\'')) {
		rc = tstring(r, &b);
	} else {
		while (r->i < r->n && toml_bare(r->s + r->i, 1))
			buf_addch(&b, r->s[r->i++]);
		if (!b.len) {
			char what[64];
			if (r->i >= r->n)
				snprintf(what, sizeof(what), "unexpected EOF; expected key name");
			else
				snprintf(what, sizeof(what), "bare keys cannot contain '%c'", r->s[r->i]);
			rc = tfail(r, what);
		}
	}
	*key = arena_strndup(r->a, b.ptr, b.len);
	*len = b.len;
	buf_release(&b);
	tspace(r);
	return rc;
}

/* The table at the dotted key path under root, made as needed (the last element of an
 * array of tables when one is met). */
static int tdescend(struct tread *r, struct tv *root, const char **parts, const size_t *lens,
		    size_t n, struct tv **out)
{
	struct tv *t = root;
	for (size_t i = 0; i < n; i++) {
		struct tv *c = tv_map_getn(t, parts[i], lens[i]);
		if (!c) {
			c = tv_map_new(r->a);
			tv_map_setn(r->a, t, parts[i], lens[i], c);
		} else if (c->kind == TV_LIST && c->u.list.len &&
			   c->u.list.items[c->u.list.len - 1]->kind == TV_MAP) {
			c = c->u.list.items[c->u.list.len - 1];
		} else if (c->kind != TV_MAP) {
			return tfail(r, "key is not a table");
		}
		t = c;
	}
	*out = t;
	return 0;
}

static int tvalue(struct tread *r, struct tv **out);

static int tkeyval(struct tread *r, struct tv *table)
{
	const char *parts[64];
	size_t lens[64], n = 0;
	for (;;) {
		if (n == 64)
			return tfail(r, "key has too many parts");
		int rc = tkey_part(r, &parts[n], &lens[n]);
		if (rc)
			return rc;
		n++;
		if (r->i < r->n && r->s[r->i] == '.') {
			r->i++;
			continue;
		}
		break;
	}
	r->last_key = parts[n - 1];
	if (r->i >= r->n || r->s[r->i] != '=') {
		char what[80];
		if (r->i >= r->n || r->s[r->i] == '\n')
			snprintf(what, sizeof(what), "expected key separator '=', but got '\\n' instead");
		else
			snprintf(what, sizeof(what), "expected key separator '=', but got '%c' instead",
				 r->s[r->i]);
		return tfail(r, what);
	}
	r->i++;
	tspace(r);
	struct tv *t;
	int rc = tdescend(r, table, parts, lens, n - 1, &t);
	if (rc)
		return rc;
	struct tv *v;
	if ((rc = tvalue(r, &v)))
		return rc;
	if (tv_map_getn(t, parts[n - 1], lens[n - 1]))
		return tfail(r, "key has already been defined");
	tv_map_setn(r->a, t, parts[n - 1], lens[n - 1], v);
	return 0;
}

static int tvalue(struct tread *r, struct tv **out)
{
	if (++r->depth > 1000)
		return tfail(r, "nesting too deep");
	int rc = 0;
	char c = r->i < r->n ? r->s[r->i] : 0;
	if (c == '"' || c == '\'') {
		struct buf b = BUF_INIT;
		rc = tstring(r, &b);
		*out = tv_strn(r->a, b.ptr, b.len);
		buf_release(&b);
	} else if (c == '[') {
		struct tv *l = tv_list(r->a, 0);
		r->i++;
		for (;;) {
			tspace_nl(r);
			if (r->i < r->n && r->s[r->i] == ']') {
				r->i++;
				break;
			}
			struct tv *v;
			if ((rc = tvalue(r, &v)))
				break;
			tv_list_push(r->a, l, v);
			tspace_nl(r);
			if (r->i < r->n && r->s[r->i] == ',') {
				r->i++;
				continue;
			}
			if (r->i < r->n && r->s[r->i] == ']') {
				r->i++;
				break;
			}
			rc = tfail(r, "expected a comma (',') or array terminator (']')");
			break;
		}
		*out = l;
	} else if (c == '{') {
		struct tv *m = tv_map_new(r->a);
		r->i++;
		tspace(r);
		if (r->i < r->n && r->s[r->i] == '}') {
			r->i++;
		} else {
			for (;;) {
				if ((rc = tkeyval(r, m)))
					break;
				tspace(r);
				if (r->i < r->n && r->s[r->i] == ',') {
					r->i++;
					continue;
				}
				if (r->i < r->n && r->s[r->i] == '}') {
					r->i++;
					break;
				}
				rc = tfail(r, "expected a comma or an inline table terminator '}'");
				break;
			}
		}
		*out = m;
	} else {
		size_t start = r->i;
		while (r->i < r->n && !strchr(" \t\r\n,]}#", r->s[r->i]))
			r->i++;
		/* a date-time's space between date and time */
		if (r->i + 1 < r->n && r->s[r->i] == ' ' && r->i - start == 10 && r->s[start + 4] == '-' &&
		    r->s[r->i + 1] >= '0' && r->s[r->i + 1] <= '9') {
			r->i++;
			while (r->i < r->n && !strchr(" \t\r\n,]}#", r->s[r->i]))
				r->i++;
		}
		size_t len = r->i - start;
		char *t = arena_strndup(r->a, r->s + start, len);
		if (!len) {
			char what[80];
			snprintf(what, sizeof(what), "expected value but found %s instead",
				 r->i < r->n ? (r->s[r->i] == '\n' ? "'\\n'" : "") : "EOF");
			if (r->i < r->n && r->s[r->i] != '\n')
				snprintf(what, sizeof(what), "expected value but found '%c' instead", r->s[r->i]);
			rc = tfail(r, what);
		} else if (!strcmp(t, "true") || !strcmp(t, "false")) {
			*out = tv_bool(t[0] == 't');
		} else if (!strcmp(t, "inf") || !strcmp(t, "+inf") || !strcmp(t, "-inf")) {
			*out = tv_float(r->a, t[0] == '-' ? -INFINITY : INFINITY);
		} else if (!strcmp(t, "nan") || !strcmp(t, "+nan") || !strcmp(t, "-nan")) {
			*out = tv_float(r->a, NAN);
		} else {
			char *clean = arena_strndup(r->a, t, len);
			size_t k = 0;
			for (size_t j = 0; j < len; j++)
				if (t[j] != '_')
					clean[k++] = t[j];
			clean[k] = 0;
			char *end;
			bool dateish = len >= 8 && (t[4] == '-' || t[2] == ':');
			int base = 10;
			const char *digits = clean;
			if (clean[0] == '0' && (clean[1] == 'x' || clean[1] == 'o' || clean[1] == 'b')) {
				base = clean[1] == 'x' ? 16 : clean[1] == 'o' ? 8 : 2;
				digits = clean + 2;
			}
			long long iv = strtoll(digits, &end, base);
			if (dateish) {
				*out = tv_strn(r->a, t, len);
			} else if (*digits && !*end && !strpbrk(clean, ".eE")) {
				*out = tv_int_typed(r->a, iv, "int64");
			} else {
				double f = strtod(clean, &end);
				if (*end || end == clean) {
					char what[128];
					snprintf(what, sizeof(what), "invalid value %.80s", t);
					rc = tfail(r, what);
				} else {
					*out = tv_float(r->a, f);
				}
			}
		}
	}
	r->depth--;
	return rc;
}

static int from_toml(struct arena *a, const char *s, size_t n, struct tv **out, struct buf *err)
{
	struct tread r = { a, s, n, 0, 1, err, NULL, 0 };
	struct tv *root = tv_map_new(a), *cur = root;
	*out = root;
	if (n > MAX_CONVERT_INPUT)
		return tfail(&r, "input too large");
	while (r.i < r.n) {
		tspace_nl(&r);
		if (r.i >= r.n)
			break;
		int rc;
		if (r.s[r.i] == '[') {
			bool arr = r.i + 1 < r.n && r.s[r.i + 1] == '[';
			r.i += arr ? 2 : 1;
			const char *parts[64];
			size_t lens[64], k = 0;
			for (;;) {
				if (k == 64)
					return tfail(&r, "key has too many parts");
				if ((rc = tkey_part(&r, &parts[k], &lens[k])))
					return rc;
				k++;
				if (r.i < r.n && r.s[r.i] == '.') {
					r.i++;
					continue;
				}
				break;
			}
			if (r.i >= r.n || r.s[r.i] != ']' || (arr && (r.i + 1 >= r.n || r.s[r.i + 1] != ']')))
				return tfail(&r, "expected a closing bracket for the table name");
			r.i += arr ? 2 : 1;
			struct tv *parent;
			if ((rc = tdescend(&r, root, parts, lens, k - 1, &parent)))
				return rc;
			struct tv *t = tv_map_getn(parent, parts[k - 1], lens[k - 1]);
			if (arr) {
				if (!t) {
					t = tv_list(a, 1);
					tv_map_setn(a, parent, parts[k - 1], lens[k - 1], t);
				} else if (t->kind != TV_LIST) {
					return tfail(&r, "key is not an array of tables");
				}
				cur = tv_map_new(a);
				tv_list_push(a, t, cur);
			} else {
				if (!t) {
					t = tv_map_new(a);
					tv_map_setn(a, parent, parts[k - 1], lens[k - 1], t);
				} else if (t->kind != TV_MAP) {
					return tfail(&r, "key is not a table");
				}
				cur = t;
			}
		} else if ((rc = tkeyval(&r, cur))) {
			return rc;
		}
		tspace(&r);
		if (r.i < r.n && r.s[r.i] == '#')
			while (r.i < r.n && r.s[r.i] != '\n')
				r.i++;
		if (r.i < r.n && r.s[r.i] == '\r')
			r.i++;
		if (r.i < r.n && r.s[r.i] != '\n') {
			char what[96];
			snprintf(what, sizeof(what), "expected a top-level item to end with a newline, comment, or EOF, but got '%c' instead", r.s[r.i]);
			return tfail(&r, what);
		}
	}
	return 0;
}
