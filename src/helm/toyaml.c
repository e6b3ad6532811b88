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
 * small in memory and endless in text): ERR_TOOBIG past TOYAML_MAX_OUTPUT bytes (or the
 * room left under the output buffer's own cap, when it has one) or TOYAML_MAX_DEPTH
 * levels.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
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
	size_t max;      /* bytes we may add: TOYAML_MAX_OUTPUT, or less if out has a cap */
	bool pretty;     /* yaml.v3 (toYamlPretty) instead of JSON + yaml.v2 */
	size_t width;    /* fold scalars at spaces past this column (v2: 80; v3: never) */
	/* sorted keys by map, for maps met more than once (shared values are common, and a
	 * value sharing the same map at every level is the cheap way to huge output) */
	struct kcache {
		const struct tv *map;
		struct key_runes *keys;
	} *cache;
	size_t cache_len, cache_cap;
	int err;         /* first error, sticky */
	size_t column;
	bool whitespace; /* the last character written was a space or a line start */
	bool indention;  /* only indentation written on this line so far */
};

static bool needs_quotes(const char *s, size_t n);

/* ---- Output ------------------------------------------------------------------------ */

static void put(struct yemit *e, const char *s, size_t n)
{
	if (e->err)
		return;
	if (e->out->len - e->start + n > e->max) {
		e->err = texec_failc(e->x, ERR_TOOBIG, "toYaml: output larger than %zu bytes", e->max);
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
	static const char spaces[64] = "                                                                ";
	while (e->column < indent && !e->err) {
		size_t k = indent - e->column;
		put(e, spaces, k < sizeof(spaces) ? k : sizeof(spaces));
	}
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

static void analyze(const char *s, size_t n, struct analysis *an, bool v3)
{
	bool tabs = false;
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
		if (v3 && c == '\t')
			tabs = true; /* yaml.v3: no plain or single-quoted tabs, but blocks may hold them */
		else if (!is_printable_cp(c))
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
	if (space_break || tabs || special)
		an->flow_plain = an->block_plain = an->single_quoted = false;
	if (space_break || special)
		an->block = false;
	if (line_breaks)
		an->flow_plain = an->block_plain = false;
	if (flow_ind)
		an->flow_plain = false;
	if (block_ind)
		an->block_plain = false;
}

/* ---- Scalar writers (libyaml's yaml_emitter_write_*_scalar) ------------------------- */

/* U+2028 and U+2029: printable to yaml.v2, and line breaks. */
static bool is_wide_break(const char *s, size_t n)
{
	return n >= 3 && (unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	       ((unsigned char)s[2] == 0xa8 || (unsigned char)s[2] == 0xa9);
}

/* libyaml's write_break for a break other than \n: the character itself, then a new line. */
static void put_raw_break(struct yemit *e, const char *s)
{
	put(e, s, 3);
	e->column = 0;
	e->whitespace = true;
	e->indention = true;
}

static void write_plain(struct yemit *e, const char *s, size_t n, size_t indent, bool breaks)
{
	if (!e->whitespace)
		put(e, " ", 1);
	bool spaces = false;
	for (size_t i = 0; i < n && !e->err; i++) {
		if (s[i] == ' ') {
			if (breaks && !spaces && e->column > e->width && i + 1 < n && s[i + 1] != ' ')
				write_indent(e, indent);
			else
				put(e, " ", 1);
			spaces = true;
		} else {
			size_t j = i + 1;
			while (j < n && s[j] != ' ')
				j++;
			put(e, s + i, j - i);
			i = j - 1;
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
	bool spaces = false, brk = false;
	for (size_t i = 0; i < n && !e->err; i++) {
		if (is_wide_break(s + i, n - i)) {
			put_raw_break(e, s + i);
			i += 2;
			brk = true;
			continue;
		}
		if (brk && s[i] != ' ')
			write_indent(e, indent);
		brk = false;
		if (s[i] == ' ') {
			if (breaks && !spaces && e->column > e->width && i != 0 && i != n - 1 &&
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
			if (breaks && !spaces && e->column > e->width && i != 0 && i != n - 1) {
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
	if (s[0] == ' ' || s[0] == '\n' || is_wide_break(s, n))
		put(e, "2", 1);
	/* chomping from the last character and the one before it */
	size_t last = n - 1;
	while (last && ((unsigned char)s[last] & 0xc0) == 0x80)
		last--;
	bool last_break = s[last] == '\n' || is_wide_break(s + last, n - last);
	size_t prev = last;
	if (prev) {
		prev--;
		while (prev && ((unsigned char)s[prev] & 0xc0) == 0x80)
			prev--;
	}
	if (!last_break)
		put(e, "-", 1);
	else if (last == 0 || s[prev] == '\n' || is_wide_break(s + prev, n - prev))
		put(e, "+", 1);
	/* yaml.v3 writes no line break after the header: a leading newline of the text ends
	 * the header line (and is lost), as it does in toYamlPretty's output */
	e->indention = false;
	if (!e->pretty)
		put_break(e);
	e->whitespace = true;
	bool breaks = true;
	for (size_t i = 0; i < n && !e->err; i++) {
		if (s[i] == '\n') {
			put_break(e);
			breaks = true;
		} else if (is_wide_break(s + i, n - i)) {
			put_raw_break(e, s + i);
			i += 2;
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
	analyze(s, n, &an, e->pretty);
	enum doc_style style;
	if (memchr(s, '\n', n))
		style = DOC_STYLE_LITERAL;
	else if (needs_quotes(s, n))
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

/* Go's strconv.FormatFloat(f, 'g', -1, 64), with yaml's spellings of the infinities (also
 * toToml's float form, funcs.c). */
void helm_go_float_g(struct buf *b, double f);
void helm_go_float_g(struct buf *b, double f)
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

/* The shortest decimal digits of f (> 0, finite) that read back as f, and the exponent of
 * the first: f = d.ddd * 10^exp. */
static int shortest_digits(double f, char digits[24], int *exp)
{
	char tmp[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	int nd = 0;
	const char *p = tmp;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	*exp = (int)strtol(p + 1, NULL, 10);
	return nd;
}

/*
 * A float64 as toYaml prints it: encoding/json writes whole numbers below 1e21 as their
 * shortest digits padded with zeros (2^63 -> 9223372036854776000), yaml.v2 reads such a
 * text as an integer when it fits int64 or uint64 and prints it back unchanged; any other
 * number it reads as a float64 and prints in %g form.
 */
static void json_yaml_float(struct buf *b, double f)
{
	double r = fabs(f);
	if (r < 1e21 && f == floor(f)) {
		if (r == 0) {
			buf_addch(b, '0');
			return;
		}
		char d[24];
		int exp, nd = shortest_digits(r, d, &exp);
		char text[32];
		size_t k = 0;
		for (int i = 0; i <= exp; i++)
			text[k++] = i < nd ? d[i] : '0';
		text[k] = 0;
		/* int64 takes up to 9223372036854775807 (or ...808 negative), uint64 up to
		 * 18446744073709551615 when positive */
		const char *lim = f < 0 ? "9223372036854775808" : "18446744073709551615";
		size_t ll = strlen(lim);
		if (k < ll || (k == ll && strcmp(text, lim) <= 0)) {
			if (f < 0)
				buf_addch(b, '-');
			buf_add(b, text, k);
			return;
		}
	}
	helm_go_float_g(b, f);
}

/* ---- Which strings yaml.v2 would read back as another type ------------------------- */

static bool all_digits(const char *s, size_t n, int base)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
		if (d >= base)
			return false;
	}
	return true;
}

/* strconv.ParseInt/ParseUint(s, 0, 64) succeeding for some sign (range ignored beyond
 * uint64: an overflowing integer is still a number to the float rule below, except for
 * base prefixes). */
static bool go_int_syntax(const char *s, size_t n, bool *fits)
{
	size_t i = 0;
	bool neg = false;
	if (n && (s[0] == '+' || s[0] == '-')) {
		neg = s[0] == '-';
		i++;
	}
	int base = 10;
	if (n - i >= 2 && s[i] == '0') {
		char c = s[i + 1];
		if (c == 'x' || c == 'X')
			base = 16, i += 2;
		else if (c == 'o' || c == 'O')
			base = 8, i += 2;
		else if (c == 'b' || c == 'B')
			base = 2, i += 2;
		else
			base = 8, i += 1;
	}
	if (!all_digits(s + i, n - i, base))
		return false;
	/* does the magnitude fit uint64 (or int64 when negative)? */
	unsigned long long v = 0;
	bool over = false;
	for (size_t k = i; k < n; k++) {
		char c = s[k];
		unsigned d = (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
		if (v > (~0ull - d) / (unsigned)base)
			over = true;
		v = v * (unsigned)base + d;
	}
	*fits = !over && (!neg || v <= 9223372036854775808ull);
	return true;
}

/* yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static bool yaml_style_float(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i < n && s[i] == '.') {
		i++;
		size_t st = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == st)
			return false;
	} else {
		size_t st = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == st)
			return false;
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		size_t st = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == st)
			return false;
	}
	return i == n;
}

/* strconv.ParseFloat without a range error (overflow is an error, underflow is not). */
static bool float_in_range(const char *s, size_t n)
{
	char tmp[400];
	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1; /* long digit strings: the exponent decides, and it is short */
	memcpy(tmp, s, n);
	tmp[n] = 0;
	double f = strtod(tmp, NULL);
	return !isinf(f);
}

static size_t read_num(const char *s, size_t n, size_t *i, size_t min, size_t max, int *out)
{
	size_t st = *i;
	int v = 0;
	while (*i < n && *i - st < max && s[*i] >= '0' && s[*i] <= '9')
		v = v * 10 + (s[(*i)++] - '0');
	*out = v;
	return *i - st >= min ? *i - st : 0;
}

/* go-yaml's parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (T or t),
 * "2006-1-2 15:4:5.999999999" or "2006-1-2". */
static bool is_timestamp(const char *s, size_t n)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t i = 0;
	int y, m, d, h, mi, sec;
	if (!read_num(s, n, &i, 4, 4, &y) || i >= n || s[i] != '-')
		return false;
	i++;
	if (!read_num(s, n, &i, 1, 2, &m) || i >= n || s[i] != '-' || m < 1 || m > 12)
		return false;
	i++;
	if (!read_num(s, n, &i, 1, 2, &d) || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	if (i == n)
		return true;
	char sep = s[i++];
	if (sep != 'T' && sep != 't' && sep != ' ')
		return false;
	if (!read_num(s, n, &i, 1, 2, &h) || i >= n || s[i] != ':' || h > 23)
		return false;
	i++;
	if (!read_num(s, n, &i, 1, 2, &mi) || i >= n || s[i] != ':' || mi > 59)
		return false;
	i++;
	if (!read_num(s, n, &i, 1, 2, &sec) || sec > 59)
		return false;
	if (i + 1 < n && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	if (sep == ' ')
		return i == n;
	if (i < n && s[i] == 'Z')
		return i + 1 == n;
	int zh, zm;
	if (i >= n || (s[i] != '+' && s[i] != '-'))
		return false;
	i++;
	if (read_num(s, n, &i, 2, 2, &zh) != 2 || i >= n || s[i] != ':')
		return false;
	i++;
	return read_num(s, n, &i, 2, 2, &zm) == 2 && i == n && zh <= 24 && zm <= 59;
}

/* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
static bool is_base60(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	if (i >= n || s[i] < '0' || s[i] > '9')
		return false;
	while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
		i++;
	int groups = 0;
	while (i < n && s[i] == ':') {
		i++;
		size_t st = i;
		while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 2)
			i++;
		size_t len = i - st;
		if (len == 0 || (len == 2 && s[st] > '5'))
			return false;
		groups++;
	}
	if (!groups)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			i++;
	}
	return i == n;
}

/*
 * True when s written plain would not read back as the same string: go-yaml v2's resolve()
 * gives it another tag (YAML 1.1 booleans, nulls, .inf/.nan, integers in any base with
 * underscores dropped, floats, timestamps), or it is a base-60 number. yaml.v3 quotes the
 * same set (its isOldBool adds back the 1.1 booleans).
 */
static bool needs_quotes(const char *s, size_t n)
{
	static const char *const words[] = {
		"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
		"", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
		"+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
	};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], s, n))
			return true;
	if (is_base60(s, n))
		return true;
	char c = s[0];
	if (c == '.')
		return yaml_style_float(s, n) && float_in_range(s, n);
	if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')))
		return false;
	if (is_timestamp(s, n))
		return true;
	char buf[256];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_')
			continue;
		if (k == sizeof(buf) - 1)
			return false; /* no number of ours is this long: a string */
		buf[k++] = s[i];
	}
	buf[k] = 0;
	bool fits;
	if (go_int_syntax(buf, k, &fits) && fits)
		return true;
	if (yaml_style_float(buf, k) && float_in_range(buf, k))
		return true;
	return false;
}

static void write_number(struct yemit *e, const struct tv *v)
{
	struct buf t = BUF_INIT;
	switch (v->kind) {
	case TV_INT: buf_addf(&t, "%lld", (long long)v->u.i); break;
	case TV_UINT: buf_addf(&t, "%llu", (unsigned long long)v->u.u); break;
	default:
		if (e->pretty)
			helm_go_float_g(&t, v->u.f);
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
 * json leaves U+0085 raw in its strings, and yaml.v2 reads it as a line break inside the
 * double-quoted scalar: folded with the spaces around it into one space, or into n-1
 * newlines for a run of n breaks.
 */
static const char *fold_nel(struct arena *a, const char *t, size_t *len)
{
	struct buf b = BUF_INIT;
	size_t n = *len;
	for (size_t i = 0; i < n;) {
		size_t j = i, breaks = 0;
		while (j < n && (t[j] == ' ' || ((unsigned char)t[j] == 0xc2 && j + 1 < n &&
						 (unsigned char)t[j + 1] == 0x85))) {
			if (t[j] == ' ') {
				j++;
			} else {
				breaks++;
				j += 2;
			}
		}
		if (breaks) {
			if (breaks == 1)
				buf_addch(&b, ' ');
			else
				buf_addnch(&b, '\n', breaks - 1);
			i = j;
		} else if (j > i) {
			buf_add(&b, t + i, j - i);
			i = j;
		} else {
			buf_addch(&b, t[i++]);
		}
	}
	char *r = arena_strndup(a, b.ptr, b.len);
	*len = b.len;
	buf_release(&b);
	return r;
}

/*
 * A string's text for the emitter: json's (invalid UTF-8 as U+FFFD), and for toYaml also
 * what yaml.v2's reader accepts when it reads json's output back: json leaves DEL, the C1
 * controls and U+FFFE/U+FFFF raw, and the reader refuses them ("control characters are
 * not allowed"), which makes the whole toYaml fail. NULL after that error.
 */
static const char *text_of(struct yemit *e, const char *s, size_t n, size_t *outlen)
{
	const char *t = json_string(e->a, s, n, outlen);
	if (e->pretty)
		return t;
	size_t len;
	bool nel = false;
	for (size_t i = 0; i < *outlen; i += len) {
		uint32_t c = cp_at(t, *outlen, i, &len);
		nel |= c == 0x85;
		if (c == 0x7f || (c >= 0x80 && c <= 0x9f && c != 0x85) || c == 0xfffe || c == 0xffff) {
			e->err = texec_fail(e->x, "error converting JSON to YAML: yaml: control "
					    "characters are not allowed");
			return NULL;
		}
	}
	return nel ? fold_nel(e->a, t, outlen) : t;
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
		if (!strncmp(v->u.obj.ops->name, "complex", 7)) { /* {{ 1i }}: json has no form */
			e->err = texec_fail(e->x, "error marshaling into JSON: json: unsupported type: %s",
					    v->u.obj.ops->name);
			return NULL;
		}
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

/* unicode.IsLetter: exact for Latin-1; past it, the symbol and punctuation blocks keys
 * are likely to hold are non-letters and the rest letters (names in other scripts). */
static bool rune_is_letter(uint32_t r)
{
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
	if (r < 0x100)
		return r == 0xaa || r == 0xb5 || r == 0xba || (r >= 0xc0 && r != 0xd7 && r != 0xf7);
	if ((r >= 0x2000 && r <= 0x2bff) || (r >= 0x3000 && r <= 0x3004) || (r >= 0x3007 && r <= 0x3030) ||
	    (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff20) || (r >= 0xfff0 && r <= 0xffff) ||
	    (r >= 0x1f000 && r <= 0x1faff) || (r >= 0xd800 && r <= 0xf8ff))
		return false;
	return true;
}

static bool rune_is_digit(uint32_t r)
{
	return r >= '0' && r <= '9';
}

/* sorter.go's keyList.Less: letters by code point, a non-letter before a letter, runs of
 * digits as numbers. */
static bool key_less(const struct key_runes *a, const struct key_runes *b, bool v3)
{
	const uint32_t *ar = a->r, *br = b->r;
	bool digits = false; /* yaml.v3: the last equal rune was a digit */
	for (size_t i = 0; i < a->n && i < b->n; i++) {
		if (ar[i] == br[i]) {
			digits = rune_is_digit(ar[i]);
			continue;
		}
		bool al = rune_is_letter(ar[i]), bl = rune_is_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i];
		if (al || bl)
			return v3 && digits ? al : bl;
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

static int cmp_keys(const struct key_runes *a, const struct key_runes *b, bool v3)
{
	if (key_less(a, b, v3))
		return -1;
	if (key_less(b, a, v3))
		return 1;
	/* equal to the sorter: byte order, so the output does not depend on qsort */
	size_t n = a->pair->keylen < b->pair->keylen ? a->pair->keylen : b->pair->keylen;
	int c = memcmp(a->pair->key, b->pair->key, n);
	return c ? c : (a->pair->keylen > b->pair->keylen) - (a->pair->keylen < b->pair->keylen);
}

static int cmp_keys_v2(const void *a, const void *b)
{
	return cmp_keys(a, b, false);
}

static int cmp_keys_v3(const void *a, const void *b)
{
	return cmp_keys(a, b, true);
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

static size_t cache_slot(const struct kcache *c, size_t cap, const struct tv *m)
{
	size_t h = ((uintptr_t)m >> 4) * 0x9e3779b97f4a7c15ull;
	for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
		if (!c[i].map || c[i].map == m)
			return i;
}

static struct key_runes *sort_keys(struct yemit *e, const struct tv *m);

static struct key_runes *sorted_keys(struct yemit *e, const struct tv *m)
{
	if (e->cache_cap && e->cache[cache_slot(e->cache, e->cache_cap, m)].map == m)
		return e->cache[cache_slot(e->cache, e->cache_cap, m)].keys;
	struct key_runes *k = sort_keys(e, m);
	if (2 * (e->cache_len + 1) > e->cache_cap) {
		size_t cap = e->cache_cap ? 2 * e->cache_cap : 64;
		struct kcache *c = arena_alloc(e->a, cap * sizeof(*c));
		memset(c, 0, cap * sizeof(*c));
		for (size_t i = 0; i < e->cache_cap; i++)
			if (e->cache[i].map)
				c[cache_slot(c, cap, e->cache[i].map)] = e->cache[i];
		e->cache = c;
		e->cache_cap = cap;
	}
	e->cache[cache_slot(e->cache, e->cache_cap, m)] = (struct kcache){ m, k };
	e->cache_len++;
	return k;
}

static struct key_runes *sort_keys(struct yemit *e, const struct tv *m)
{
	size_t n = m->u.map.len;
	struct key_runes *k = arena_alloc(e->a, (n ? n : 1) * sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		const struct tv_pair *p = &m->u.map.items[i];
		k[i].pair = p;
		k[i].r = arena_alloc(e->a, (p->keylen + 1) * sizeof(uint32_t));
		k[i].n = to_runes(p->key, p->keylen, k[i].r);
	}
	/* The sorter's order is not transitive for some keys with digits ("1" < "0755" <
	 * "0x" < "1"), so the algorithm shows: Go's sort.Sort is an insertion sort up to 12
	 * elements, which is what maps in charts mostly have. */
	if (n <= 12) {
		for (size_t i = 1; i < n; i++) {
			for (size_t j = i; j > 0 && key_less(&k[j], &k[j - 1], e->pretty); j--) {
				struct key_runes t = k[j];
				k[j] = k[j - 1];
				k[j - 1] = t;
			}
		}
	} else {
		qsort(k, n, sizeof(*k), e->pretty ? cmp_keys_v3 : cmp_keys_v2);
	}
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
		const char *s = text_of(e, v->u.s.ptr, v->u.s.len, &n);
		if (s)
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
	if (n > 128)
		return false;
	struct analysis an;
	analyze(s, n, &an, false);
	return !an.multiline;
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
		const char *k = text_of(e, keys[i].pair->key, keys[i].pair->keylen, &kn);
		if (k && !e->pretty && memmem(keys[i].pair->key, keys[i].pair->keylen, "\xc2\x85", 2)) {
			/* a raw NEL ends the key's line in json's one-line text for yaml.v2 */
			e->err = texec_fail(e->x, "error converting JSON to YAML: yaml: line 1: did "
					    "not find expected ',' or '}'");
			return;
		}
		const struct tv *val = k ? resolve(e, keys[i].pair->value) : NULL;
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
		.width = pretty ? (size_t)-1 : BEST_WIDTH,
		.max = TOYAML_MAX_OUTPUT,
		.whitespace = true, .indention = true,
	};
	if (out->max && out->max - (out->len < out->max ? out->len : out->max) < e.max)
		e.max = out->max - (out->len < out->max ? out->len : out->max);
	const struct tv *r = resolve(&e, v);
	if (r)
		emit_node(&e, r, 0, 0, false, false);
	if (!e.err && e.column != 0)
		put_break(&e);
	if (!e.err && out->err)
		e.err = texec_failc(x, ERR_TOOBIG, "toYaml: output too large");
	if (e.err) { /* nothing of a failed document stays in out */
		out->len = e.start;
		out->ptr[out->len] = 0;
	}
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
