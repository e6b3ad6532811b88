/*
 * Helm's YAML output: toYaml (sigs.k8s.io/yaml's Marshal) and toYamlPretty (yaml.v3's
 * encoder with a 2-space indent), written straight from template values.
 *
 * sigs.k8s.io/yaml marshals through JSON: encoding/json turns the value into text, go-yaml
 * v2 reads that text back (numbers become int, uint64 or float64 by YAML 1.1's rules, keys
 * strings) and its libyaml-derived emitter writes it. So what toYaml prints is fixed by
 * three things we model here: json's view of a value (objects through to_data, []byte as
 * base64, invalid UTF-8 as U+FFFD, NaN and functions refused), the number a JSON number
 * text becomes in yaml.v2 (1e+06 is the integer 1000000, 0.000001 the float 1e-06), and
 * the v2 emitter's choices: keys in its natural order (sorter.go), sequences under a key
 * at the key's column, strings double-quoted when they would read back as another type,
 * single-quoted or double-quoted when plain cannot carry them (libyaml's scalar analysis),
 * literal blocks for multi-line text, and long scalars folded at spaces past column 80.
 * toYamlPretty skips JSON (floats print in Go's %g form, 1e+06) and indents sequences.
 *
 * Output and nesting are capped (a map holding the same map twice, fifty levels deep, is
 * small in memory and endless in text): ERR_TOOBIG past TOYAML_MAX_OUTPUT bytes or
 * TOYAML_MAX_DEPTH levels.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/scalar.h"
#include "helm/render_int.h"
#include "template/value.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/utf8.h"
#include "util/banned.h"

#define BEST_WIDTH 80
#define BEST_INDENT 2
#define TOYAML_MAX_OUTPUT ((size_t)64 << 20)
/* encoding/json reports a cycle past 1,000 nested pointers; deeper acyclic trees are
 * refused too, with the same message, well before the C stack is at risk. */
#define TOYAML_MAX_DEPTH 1000

struct yemit {
	struct texec *x;
	struct arena *a;
	struct buf *out;
	size_t start;    /* out->len when we began: the cap counts our bytes only */
	bool pretty;     /* yaml.v3 (toYamlPretty) instead of JSON + yaml.v2 */
	int err;         /* first error, sticky */
	size_t column;
	bool whitespace; /* the last character written was a space or a line start */
	bool indention;  /* only indentation written on this line so far */
};

/* ---- Output ------------------------------------------------------------------------ */

static void put(struct yemit *e, const char *s, size_t n)
{
	if (e->err)
		return;
	if (e->out->len - e->start + n > TOYAML_MAX_OUTPUT) {
		e->err = texec_failc(e->x, ERR_TOOBIG, "toYaml: output larger than %zu bytes",
				     TOYAML_MAX_OUTPUT);
		return;
	}
	buf_add(e->out, s, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			e->column = 0;
		else if ((c & 0xc0) != 0x80)
			e->column++;
	}
}

static void put_break(struct yemit *e)
{
	put(e, "\n", 1);
	e->whitespace = true;
	e->indention = true;
}

/* libyaml's yaml_emitter_write_indent. */
static void write_indent(struct yemit *e, size_t indent)
{
	if (!e->indention || e->column > indent || (e->column == indent && !e->whitespace))
		put_break(e);
	while (e->column < indent && !e->err)
		put(e, " ", 1);
	e->whitespace = true;
	e->indention = true;
}

/* ---- Scalar analysis (yaml.v2's yaml_emitter_analyze_scalar) ------------------------ */

struct analysis {
	bool multiline, flow_plain, block_plain, single_quoted, block;
};

#define CP_INVALID 0xffffffffu

static uint32_t cp_at(const char *s, size_t n, size_t i, size_t *len)
{
	size_t l = utf8_valid_prefix(s + i, n - i);
	if (!l) {
		*len = 1;
		return CP_INVALID;
	}
	*len = l;
	return utf8_decode(s + i, l);
}

static bool is_break_cp(uint32_t c)
{
	return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* yaml.v2's is_printable: note that it knows no characters past U+FFFF (an emoji is
 * escaped) and not U+0085. */
static bool is_printable_cp(uint32_t c)
{
	return c == 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd && c != 0xfeff);
}

static void analyze(const char *s, size_t n, struct analysis *an)
{
	if (n == 0) {
		*an = (struct analysis){ false, false, true, true, false };
		return;
	}
	bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
	bool leading_space = false, leading_break = false, trailing_space = false;
	bool trailing_break = false, break_space = false, space_break = false;
	bool prev_space = false, prev_break = false, preceded_ws = true;
	if (n >= 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3)))
		block_ind = flow_ind = true;
	size_t len;
	for (size_t i = 0; i < n; i += len) {
		uint32_t c = cp_at(s, n, i, &len);
		bool last = i + len >= n;
		char next = last ? 0 : s[i + len];
		bool followed_ws = last || next == ' ' || next == '\t' || next == '\n' ||
				   next == '\r' || (unsigned char)next == 0xc2 ||
				   (unsigned char)next == 0xe2;
		if (!last && ((unsigned char)next == 0xc2 || (unsigned char)next == 0xe2)) {
			size_t nl;
			followed_ws = is_break_cp(cp_at(s, n, i + len, &nl));
		}
		if (i == 0) {
			if (c < 0x80 && c && strchr("#,[]{}&*!|>'\"%@`", (int)c))
				flow_ind = block_ind = true;
			if (c == '?' || c == ':') {
				flow_ind = true;
				if (followed_ws)
					block_ind = true;
			}
			if (c == '-' && followed_ws)
				flow_ind = block_ind = true;
		} else {
			if (c < 0x80 && c && strchr(",?[]{}", (int)c))
				flow_ind = true;
			if (c == ':') {
				flow_ind = true;
				if (followed_ws)
					block_ind = true;
			}
			if (c == '#' && preceded_ws)
				flow_ind = block_ind = true;
		}
		if (!is_printable_cp(c))
			special = true;
		if (c == ' ') {
			if (i == 0)
				leading_space = true;
			if (last)
				trailing_space = true;
			if (prev_break)
				break_space = true;
			prev_space = true;
			prev_break = false;
		} else if (is_break_cp(c)) {
			line_breaks = true;
			if (i == 0)
				leading_break = true;
			if (last)
				trailing_break = true;
			if (prev_space)
				space_break = true;
			prev_break = true;
			prev_space = false;
		} else {
			prev_space = prev_break = false;
		}
		preceded_ws = c == ' ' || c == '\t' || is_break_cp(c);
	}
	an->multiline = line_breaks;
	an->flow_plain = an->block_plain = an->single_quoted = an->block = true;
	if (leading_space || leading_break || trailing_space || trailing_break)
		an->flow_plain = an->block_plain = false;
	if (trailing_space)
		an->block = false;
	if (break_space)
		an->flow_plain = an->block_plain = an->single_quoted = false;
	if (space_break || special)
		an->flow_plain = an->block_plain = an->single_quoted = an->block = false;
	if (line_breaks)
		an->flow_plain = an->block_plain = false;
	if (flow_ind)
		an->flow_plain = false;
	if (block_ind)
		an->block_plain = false;
}

/* ---- Scalar writers (libyaml's yaml_emitter_write_*_scalar) ------------------------- */

static void write_plain(struct yemit *e, const char *s, size_t n, size_t indent, bool breaks)
{
	if (!e->whitespace)
		put(e, " ", 1);
	bool spaces = false;
	for (size_t i = 0; i < n && !e->err; i++) {
		if (s[i] == ' ') {
			if (breaks && !spaces && e->column > BEST_WIDTH && i + 1 < n && s[i + 1] != ' ')
				write_indent(e, indent);
			else
				put(e, " ", 1);
			spaces = true;
		} else {
			put(e, s + i, 1);
			e->indention = false;
			spaces = false;
		}
	}
	e->whitespace = false;
	e->indention = false;
}

static void write_single(struct yemit *e, const char *s, size_t n, size_t indent, bool breaks)
{
	if (!e->whitespace)
		put(e, " ", 1);
	put(e, "'", 1);
	bool spaces = false;
	for (size_t i = 0; i < n && !e->err; i++) {
		if (s[i] == ' ') {
			if (breaks && !spaces && e->column > BEST_WIDTH && i != 0 && i != n - 1 &&
			    s[i + 1] != ' ')
				write_indent(e, indent);
			else
				put(e, " ", 1);
			spaces = true;
		} else {
			if (s[i] == '\'')
				put(e, "'", 1);
			put(e, s + i, 1);
			e->indention = false;
			spaces = false;
		}
	}
	put(e, "'", 1);
	e->whitespace = false;
	e->indention = false;
}

static void write_double(struct yemit *e, const char *s, size_t n, size_t indent, bool breaks)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!e->whitespace)
		put(e, " ", 1);
	put(e, "\"", 1);
	bool spaces = false;
	size_t len;
	for (size_t i = 0; i < n && !e->err; i += len) {
		uint32_t c = cp_at(s, n, i, &len);
		if (!is_printable_cp(c) || is_break_cp(c) || c == '"' || c == '\\') {
			char esc[12];
			size_t k = 0;
			esc[k++] = '\\';
			switch (c) {
			case 0x00: esc[k++] = '0'; break;
			case 0x07: esc[k++] = 'a'; break;
			case 0x08: esc[k++] = 'b'; break;
			case 0x09: esc[k++] = 't'; break;
			case 0x0a: esc[k++] = 'n'; break;
			case 0x0b: esc[k++] = 'v'; break;
			case 0x0c: esc[k++] = 'f'; break;
			case 0x0d: esc[k++] = 'r'; break;
			case 0x1b: esc[k++] = 'e'; break;
			case '"': esc[k++] = '"'; break;
			case '\\': esc[k++] = '\\'; break;
			case 0x85: esc[k++] = 'N'; break;
			case 0xa0: esc[k++] = '_'; break;
			case 0x2028: esc[k++] = 'L'; break;
			case 0x2029: esc[k++] = 'P'; break;
			default: {
				uint32_t v = c;
				int digits;
				if (c == CP_INVALID) {
					v = (unsigned char)s[i];
					esc[k++] = 'x';
					digits = 2;
				} else if (v <= 0xff) {
					esc[k++] = 'x';
					digits = 2;
				} else if (v <= 0xffff) {
					esc[k++] = 'u';
					digits = 4;
				} else {
					esc[k++] = 'U';
					digits = 8;
				}
				for (int d = digits - 1; d >= 0; d--)
					esc[k++] = hex[(v >> (4 * d)) & 15];
			}
			}
			put(e, esc, k);
			spaces = false;
		} else if (c == ' ') {
			if (breaks && !spaces && e->column > BEST_WIDTH && i != 0 && i != n - 1) {
				write_indent(e, indent);
				if (i + 1 < n && s[i + 1] == ' ')
					put(e, "\\", 1);
			} else {
				put(e, " ", 1);
			}
			spaces = true;
		} else {
			put(e, s + i, len);
			spaces = false;
		}
		e->indention = false;
	}
	put(e, "\"", 1);
	e->whitespace = false;
	e->indention = false;
}

static void write_literal(struct yemit *e, const char *s, size_t n, size_t indent)
{
	if (!e->whitespace)
		put(e, " ", 1);
	put(e, "|", 1);
	if (s[0] == ' ' || s[0] == '\n')
		put(e, "2", 1);
	if (s[n - 1] != '\n')
		put(e, "-", 1);
	else if (n == 1 || s[n - 2] == '\n')
		put(e, "+", 1);
	put_break(e);
	bool breaks = true;
	for (size_t i = 0; i < n && !e->err; i++) {
		if (s[i] == '\n') {
			put_break(e);
			breaks = true;
		} else {
			if (breaks)
				write_indent(e, indent);
			put(e, s + i, 1);
			e->indention = false;
			breaks = false;
		}
	}
	e->whitespace = e->indention = e->column == 0;
}

/*
 * Writes a string as yaml.v2's encoder (stringv) and emitter (select_scalar_style) choose:
 * literal when it holds a newline, plain when it reads back as the same string, else
 * double-quoted; then plain falls back to single quotes and single quotes to double
 * where the analysis forbids them, and a block to double quotes in a key. indent is the
 * column continuation lines start at.
 */
static void write_string(struct yemit *e, const char *s, size_t n, size_t indent, bool key)
{
	struct analysis an;
	analyze(s, n, &an);
	enum doc_style style;
	if (memchr(s, '\n', n))
		style = DOC_STYLE_LITERAL;
	else if (scalar_needs_quotes(s, n) || n == 0)
		style = DOC_STYLE_DOUBLE;
	else
		style = DOC_STYLE_PLAIN;
	if (style == DOC_STYLE_PLAIN && !an.block_plain)
		style = DOC_STYLE_SINGLE;
	if (style == DOC_STYLE_SINGLE && !an.single_quoted)
		style = DOC_STYLE_DOUBLE;
	if (style == DOC_STYLE_LITERAL && (!an.block || key))
		style = DOC_STYLE_DOUBLE;
	switch (style) {
	case DOC_STYLE_PLAIN: write_plain(e, s, n, indent, !key); break;
	case DOC_STYLE_SINGLE: write_single(e, s, n, indent, !key); break;
	case DOC_STYLE_LITERAL: write_literal(e, s, n, indent); break;
	default: write_double(e, s, n, indent, !key); break;
	}
}

/* ---- Numbers ---------------------------------------------------------------------- */

/* Go's strconv.FormatFloat(f, 'g', -1, 64), with yaml's spellings of the infinities. */
static void go_float_g(struct buf *b, double f)
{
	if (isnan(f)) {
		buf_adds(b, ".nan");
		return;
	}
	if (isinf(f)) {
		buf_adds(b, f > 0 ? ".inf" : "-.inf");
		return;
	}
	if (f == 0) {
		buf_adds(b, signbit(f) ? "-0" : "0");
		return;
	}
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	/* tmp is [-]d.ddde[+-]XX: the digits and the exponent of the first digit */
	char digits[24];
	int nd = 0;
	const char *p = tmp;
	if (*p == '-') {
		buf_addch(b, '-');
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	int exp = (int)strtol(p + 1, NULL, 10);
	/* shortest 'g': %e form when the exponent is < -4 or >= 6 */
	if (exp < -4 || exp >= 6) {
		buf_addch(b, digits[0]);
		if (nd > 1) {
			buf_addch(b, '.');
			buf_add(b, digits + 1, (size_t)nd - 1);
		}
		int ax = exp < 0 ? -exp : exp;
		buf_addf(b, "e%c%02d", exp < 0 ? '-' : '+', ax);
	} else if (exp < 0) {
		buf_adds(b, "0.");
		buf_addnch(b, '0', (size_t)(-exp - 1));
		buf_add(b, digits, (size_t)nd);
	} else if (exp + 1 >= nd) {
		buf_add(b, digits, (size_t)nd);
		buf_addnch(b, '0', (size_t)(exp + 1 - nd));
	} else {
		buf_add(b, digits, (size_t)exp + 1);
		buf_addch(b, '.');
		buf_add(b, digits + exp + 1, (size_t)(nd - exp - 1));
	}
}

/*
 * A float64 as toYaml prints it: encoding/json writes it ('f' form below 1e21, so whole
 * numbers are integer texts), yaml.v2 reads that text as an int when it fits int64 or
 * uint64 and as a float64 otherwise, and prints the float in %g form.
 */
static void json_yaml_float(struct buf *b, double f)
{
	double r = f < 0 ? -f : f;
	if (r < 1e21 && f == floor(f)) {
		if (f >= -9223372036854775808.0 && f < 9223372036854775808.0) {
			buf_addf(b, "%lld", (long long)f);
			return;
		}
		if (f >= 0 && f < 18446744073709551616.0) {
			buf_addf(b, "%llu", (unsigned long long)f);
			return;
		}
	}
	go_float_g(b, f);
}

static void write_number(struct yemit *e, const struct tv *v)
{
	struct buf t = BUF_INIT;
	switch (v->kind) {
	case TV_INT: buf_addf(&t, "%lld", (long long)v->u.i); break;
	case TV_UINT: buf_addf(&t, "%llu", (unsigned long long)v->u.u); break;
	default:
		if (e->pretty)
			go_float_g(&t, v->u.f);
		else
			json_yaml_float(&t, v->u.f);
	}
	write_plain(e, t.ptr, t.len, 0, false);
	buf_release(&t);
}

/* ---- Values as JSON sees them ------------------------------------------------------- */

/* encoding/json's text for a string: invalid UTF-8 bytes become U+FFFD. Returns s itself
 * when it is valid. */
static const char *json_string(struct arena *a, const char *s, size_t n, size_t *outlen)
{
	size_t i = 0;
	while (i < n) {
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (!l)
			break;
		i += l;
	}
	if (i == n) {
		*outlen = n;
		return s;
	}
	struct buf b = BUF_INIT;
	for (i = 0; i < n;) {
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (l) {
			buf_add(&b, s + i, l);
			i += l;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	char *r = arena_strndup(a, b.ptr, b.len);
	*outlen = b.len;
	buf_release(&b);
	return r;
}

/*
 * The value with objects resolved and bytes encoded, as the emitter writes it; NULL after
 * an error (json's message). Pretty mode (yaml.v3 on Go values) also goes through
 * to_data: Helm's objects are maps or structs whose fields yaml.v3 would write alike.
 */
static const struct tv *resolve(struct yemit *e, const struct tv *v)
{
	switch ((enum tv_kind)v->kind) {
	case TV_OBJECT: {
		struct tv *d = v->u.obj.ops->to_data ? v->u.obj.ops->to_data(e->x, v) : NULL;
		return d ? d : tv_map_new(e->a);
	}
	case TV_BYTES: {
		struct buf b = BUF_INIT;
		base64_encode(&b, v->u.s.ptr, v->u.s.len);
		struct tv *s = tv_strn(e->a, b.ptr, b.len);
		buf_release(&b);
		return s;
	}
	case TV_FUNC:
		e->err = texec_fail(e->x, "error marshaling into JSON: json: unsupported type: %s",
				    tv_type_name(v));
		return NULL;
	case TV_FLOAT:
		if (!e->pretty && (isnan(v->u.f) || isinf(v->u.f))) {
			e->err = texec_fail(e->x, "error marshaling into JSON: json: unsupported value: %s",
					    isnan(v->u.f) ? "NaN" : v->u.f > 0 ? "+Inf" : "-Inf");
			return NULL;
		}
		return v;
	default:
		return v;
	}
}

/* ---- Key order (yaml.v2's and yaml.v3's sorter.go for string keys) ---------------- */

struct key_runes {
	const struct tv_pair *pair;
	uint32_t *r;
	size_t n;
};

static bool rune_is_letter(uint32_t r)
{
	/* unicode.IsLetter for ASCII; other runes are taken as letters (keys are names) */
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0x80 && r != 0xfffd);
}

static bool rune_is_digit(uint32_t r)
{
	return r >= '0' && r <= '9';
}

/* sorter.go's keyList.Less: letters by code point, a non-letter before a letter, runs of
 * digits as numbers. */
static bool key_less(const struct key_runes *a, const struct key_runes *b)
{
	const uint32_t *ar = a->r, *br = b->r;
	for (size_t i = 0; i < a->n && i < b->n; i++) {
		if (ar[i] == br[i])
			continue;
		bool al = rune_is_letter(ar[i]), bl = rune_is_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i];
		if (al || bl)
			return bl;
		uint64_t an = 0, bn = 0;
		if (ar[i] == '0' || br[i] == '0') {
			for (size_t j = i; j-- > 0 && rune_is_digit(ar[j]);) {
				if (ar[j] != '0') {
					an = bn = 1;
					break;
				}
			}
		}
		size_t ai = i, bi = i;
		for (; ai < a->n && rune_is_digit(ar[ai]); ai++)
			an = an * 10 + (ar[ai] - '0');
		for (; bi < b->n && rune_is_digit(br[bi]); bi++)
			bn = bn * 10 + (br[bi] - '0');
		if (an != bn)
			return (int64_t)an < (int64_t)bn;
		if (ai != bi)
			return ai < bi;
		return ar[i] < br[i];
	}
	return a->n < b->n;
}

static int cmp_keys(const void *pa, const void *pb)
{
	const struct key_runes *a = pa, *b = pb;
	if (key_less(a, b))
		return -1;
	if (key_less(b, a))
		return 1;
	/* equal to the sorter: byte order, so the output does not depend on qsort */
	size_t n = a->pair->keylen < b->pair->keylen ? a->pair->keylen : b->pair->keylen;
	int c = memcmp(a->pair->key, b->pair->key, n);
	return c ? c : (a->pair->keylen > b->pair->keylen) - (a->pair->keylen < b->pair->keylen);
}

/* Go's []rune(s): an invalid byte is one U+FFFD. */
static size_t to_runes(const char *s, size_t n, uint32_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; k++) {
		size_t l = utf8_valid_prefix(s + i, n - i);
		if (!l) {
			out[k] = 0xfffd;
			i++;
		} else {
			out[k] = utf8_decode(s + i, l);
			i += l;
		}
	}
	return k;
}

static struct key_runes *sorted_keys(struct yemit *e, const struct tv *m)
{
	size_t n = m->u.map.len;
	struct key_runes *k = arena_alloc(e->a, (n ? n : 1) * sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		const struct tv_pair *p = &m->u.map.items[i];
		k[i].pair = p;
		k[i].r = arena_alloc(e->a, (p->keylen + 1) * sizeof(uint32_t));
		k[i].n = to_runes(p->key, p->keylen, k[i].r);
	}
	qsort(k, n, sizeof(*k), cmp_keys);
	return k;
}

/* ---- Collections ------------------------------------------------------------------ */

static bool is_collection(const struct tv *v)
{
	return v->kind == TV_LIST || v->kind == TV_MAP;
}

static bool is_empty_collection(const struct tv *v)
{
	return (v->kind == TV_LIST && v->u.list.len == 0) || (v->kind == TV_MAP && v->u.map.len == 0);
}

static void emit_node(struct yemit *e, const struct tv *v, size_t indent, int depth, bool in_seq,
		      bool in_map);

static void write_scalar(struct yemit *e, const struct tv *v, size_t indent)
{
	switch ((enum tv_kind)v->kind) {
	case TV_BOOL:
		write_plain(e, v->u.b ? "true" : "false", v->u.b ? 4 : 5, indent, false);
		return;
	case TV_INT:
	case TV_UINT:
	case TV_FLOAT: write_number(e, v); return;
	case TV_STRING: {
		size_t n;
		const char *s = json_string(e->a, v->u.s.ptr, v->u.s.len, &n);
		write_string(e, s, n, indent, false);
		return;
	}
	case TV_LIST:
		write_plain(e, "[]", 2, indent, false);
		return;
	case TV_MAP:
		write_plain(e, "{}", 2, indent, false);
		return;
	default:
		write_plain(e, "null", 4, indent, false);
		return;
	}
}

/* libyaml's check_simple_key for a string key: at most 128 bytes, one line. */
static bool simple_key(const char *s, size_t n)
{
	return n <= 128 && !memchr(s, '\n', n) && !memchr(s, '\r', n);
}

static void start_line(struct yemit *e, size_t indent)
{
	write_indent(e, indent);
}

static void emit_map(struct yemit *e, const struct tv *m, size_t indent, int depth, bool first_inline)
{
	struct key_runes *keys = sorted_keys(e, m);
	for (size_t i = 0; i < m->u.map.len && !e->err; i++) {
		if (!(first_inline && i == 0))
			start_line(e, indent);
		size_t kn;
		const char *k = json_string(e->a, keys[i].pair->key, keys[i].pair->keylen, &kn);
		const struct tv *val = resolve(e, keys[i].pair->value);
		if (!val)
			return;
		if (!simple_key(k, kn)) {
			put(e, "?", 1);
			e->whitespace = false;
			write_string(e, k, kn, indent + BEST_INDENT, false);
			start_line(e, indent);
			put(e, ":", 1);
			e->whitespace = false;
			emit_node(e, val, indent, depth + 1, true, false);
			continue;
		}
		write_string(e, k, kn, indent + BEST_INDENT, true);
		put(e, ":", 1);
		e->whitespace = false;
		emit_node(e, val, indent, depth + 1, false, true);
	}
}

static void emit_seq(struct yemit *e, const struct tv *l, size_t indent, int depth, bool first_inline)
{
	for (size_t i = 0; i < l->u.list.len && !e->err; i++) {
		if (!(first_inline && i == 0))
			start_line(e, indent);
		put(e, "-", 1);
		e->whitespace = false;
		e->indention = false;
		const struct tv *val = resolve(e, l->u.list.items[i]);
		if (!val)
			return;
		emit_node(e, val, indent, depth + 1, true, false);
	}
}

/*
 * Writes v as the value of a mapping entry whose key is at column indent (in_map), of a
 * sequence item whose dash is at indent (in_seq), or as the document (neither).
 */
static void emit_node(struct yemit *e, const struct tv *v, size_t indent, int depth, bool in_seq,
		      bool in_map)
{
	if (e->err)
		return;
	if (depth > TOYAML_MAX_DEPTH) {
		e->err = texec_failc(e->x, ERR_TOOBIG,
				     "error marshaling into JSON: json: unsupported value: encountered a cycle via %s",
				     tv_type_name(v));
		return;
	}
	bool root = !in_seq && !in_map;
	if (!is_collection(v) || is_empty_collection(v)) {
		write_scalar(e, v, root ? BEST_INDENT : indent + BEST_INDENT);
		return;
	}
	if (root) {
		if (v->kind == TV_MAP)
			emit_map(e, v, 0, depth, true);
		else
			emit_seq(e, v, 0, depth, true);
		return;
	}
	if (in_seq) {
		/* "- key: value" and "- - item": the collection starts on the dash's line */
		put(e, " ", 1);
		e->whitespace = true;
		if (v->kind == TV_MAP)
			emit_map(e, v, indent + BEST_INDENT, depth, true);
		else
			emit_seq(e, v, indent + BEST_INDENT, depth, true);
		return;
	}
	if (v->kind == TV_MAP)
		emit_map(e, v, indent + BEST_INDENT, depth, false);
	else /* yaml.v2 writes a sequence at its key's column; yaml.v3 indents it */
		emit_seq(e, v, e->pretty ? indent + BEST_INDENT : indent, depth, false);
}

static int emit_doc(struct texec *x, struct buf *out, const struct tv *v, bool pretty)
{
	struct yemit e = {
		.x = x, .a = texec_arena(x), .out = out, .start = out->len, .pretty = pretty,
		.whitespace = true, .indention = true,
	};
	const struct tv *r = resolve(&e, v);
	if (r)
		emit_node(&e, r, 0, 0, false, false);
	if (!e.err && e.column != 0)
		put_break(&e);
	if (!e.err && out->err)
		e.err = texec_failc(x, ERR_TOOBIG, "toYaml: output too large");
	return e.err;
}

int helm_to_yaml(struct texec *x, struct buf *out, const struct tv *v)
{
	return emit_doc(x, out, v, false);
}

/* yaml.v3's Encoder with SetIndent(2) (Helm's toYamlPretty), appended to out. */
int helm_to_yaml_pretty(struct texec *x, struct buf *out, const struct tv *v);
int helm_to_yaml_pretty(struct texec *x, struct buf *out, const struct tv *v)
{
	return emit_doc(x, out, v, true);
}
