/*
 * YAML writer producing what kustomize (kyaml, a yaml.v3 fork) and kubectl (yaml.v2) print:
 * block style, 2-space indentation, sequences under a key at the key's column ("- " under
 * the key), long plain and quoted scalars folded at spaces past column 80, multi-line
 * strings as literal blocks. Which style a scalar gets follows libyaml's analysis
 * (yaml_emitter_analyze_scalar / select_scalar_style) after yaml.v3's first choice: strings
 * that would read back as another type are double-quoted, strings the plain style cannot
 * carry (leading indicators, ": ", " #", edge spaces) are single-quoted, and strings with
 * characters that need escapes are double-quoted.
 */
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "doc/scalar.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/banned.h"

#define BEST_WIDTH 80
#define BEST_INDENT 2

struct emitter {
	struct buf *out;
	unsigned flags;
	size_t column;
	bool whitespace; /* the last character written was a space or a line start */
	bool indention;  /* only indentation written on this line so far */
};

static void put(struct emitter *e, const char *s, size_t n)
{
	buf_add(e->out, s, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			e->column = 0;
		else if ((c & 0xc0) != 0x80)
			e->column++;
	}
}

static void put_break(struct emitter *e)
{
	buf_addch(e->out, '\n');
	e->column = 0;
	e->whitespace = true;
	e->indention = true;
}

static void write_indent(struct emitter *e, size_t indent)
{
	if (!e->indention || e->column > indent || (e->column == indent && !e->whitespace))
		put_break(e);
	while (e->column < indent)
		put(e, " ", 1);
	e->whitespace = true;
	e->indention = true;
}

/* ---- Scalar analysis (libyaml's yaml_emitter_analyze_scalar) ---------------------------- */

struct analysis {
	bool multiline, flow_plain, block_plain, single_quoted, block;
};

static bool is_break_cp(uint32_t c)
{
	return c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static bool is_printable_cp(uint32_t c)
{
	return c == 0x0a || (c >= 0x20 && c <= 0x7e) || c == 0x85 || (c >= 0xa0 && c <= 0xd7ff) ||
	       (c >= 0xe000 && c <= 0xfffd && c != 0xfeff) || (c >= 0x10000 && c <= 0x10ffff);
}

/* The code point at s[i] and its byte length; invalid bytes read as U+FFFD of length 1. */
static uint32_t cp_at(const char *s, size_t n, size_t i, size_t *len)
{
	size_t l = utf8_valid_prefix(s + i, n - i);
	if (!l) {
		*len = 1;
		return 0xfffd0000u; /* not printable: forces double quotes */
	}
	*len = l;
	return utf8_decode(s + i, l);
}

static void analyze(const char *s, size_t n, struct analysis *an)
{
	if (n == 0) {
		*an = (struct analysis){ false, false, true, true, false };
		return;
	}
	bool block_ind = false, flow_ind = false, line_breaks = false, special = false;
	bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
	bool break_space = false, space_break = false, prev_space = false, prev_break = false;
	if (n >= 3 && (!memcmp(s, "---", 3) || !memcmp(s, "...", 3))) {
		block_ind = flow_ind = true;
	}
	bool preceded_ws = true;
	size_t len;
	for (size_t i = 0; i < n; i += len) {
		uint32_t c = cp_at(s, n, i, &len);
		size_t nl;
		uint32_t next = i + len < n ? cp_at(s, n, i + len, &nl) : 0;
		bool followed_ws = i + len >= n || next == ' ' || next == '\t' || is_break_cp(next);
		bool first = i == 0, last = i + len >= n;
		if (first) {
			if (c && strchr("#,[]{}&*!|>'\"%@`", (int)c)) {
				flow_ind = block_ind = true;
			}
			if (c == '?' || c == ':') {
				flow_ind = true;
				if (followed_ws)
					block_ind = true;
			}
			if (c == '-' && followed_ws)
				flow_ind = block_ind = true;
		} else {
			if (c && strchr(",?[]{}", (int)c))
				flow_ind = true;
			if (c == ':') {
				flow_ind = true;
				if (followed_ws)
					block_ind = true;
			}
			if (c == '#' && preceded_ws)
				flow_ind = block_ind = true;
		}
		/* Breaks other than \n are normalised by readers, so only an escape keeps them. */
		if (!is_printable_cp(c) || (is_break_cp(c) && c != '\n'))
			special = true;
		if (is_break_cp(c))
			line_breaks = true;
		if (c == ' ') {
			if (first)
				leading_space = true;
			if (last)
				trailing_space = true;
			if (prev_break)
				break_space = true;
			prev_space = true;
			prev_break = false;
		} else if (is_break_cp(c)) {
			if (first)
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

/* ---- Scalar writers (libyaml's yaml_emitter_write_*) ----------------------------------- */

static void write_plain(struct emitter *e, const char *s, size_t n, size_t indent, bool allow_breaks)
{
	if (n && !e->whitespace)
		put(e, " ", 1);
	bool spaces = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i + 1 < n && s[i + 1] != ' ')
				write_indent(e, indent);
			else
				put(e, " ", 1);
			spaces = true;
		} else {
			put(e, s + i, 1);
			spaces = false;
		}
	}
	e->whitespace = false;
	e->indention = false;
}

static void write_single(struct emitter *e, const char *s, size_t n, size_t indent, bool allow_breaks)
{
	if (!e->whitespace)
		put(e, " ", 1);
	put(e, "'", 1);
	bool spaces = false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ') {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i != 0 && i != n - 1 && s[i + 1] != ' ') {
				write_indent(e, indent);
				e->indention = false;
			} else {
				put(e, " ", 1);
			}
			spaces = true;
		} else {
			if (s[i] == '\'')
				put(e, "'", 1);
			put(e, s + i, 1);
			spaces = false;
		}
	}
	put(e, "'", 1);
	e->whitespace = false;
	e->indention = false;
}

static void write_double(struct emitter *e, const char *s, size_t n, size_t indent, bool allow_breaks)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!e->whitespace)
		put(e, " ", 1);
	put(e, "\"", 1);
	bool spaces = false;
	size_t len;
	for (size_t i = 0; i < n; i += len) {
		uint32_t c = cp_at(s, n, i, &len);
		if (!is_printable_cp(c) || c == 0xfeff || is_break_cp(c) || c == '"' || c == '\\') {
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
				if (c == 0xfffd0000u) { /* an invalid byte: write it as \xXX */
					v = (unsigned char)s[i];
					esc[k++] = 'x';
					digits = 2;
				} else if (v <= 0xff) { esc[k++] = 'x'; digits = 2; }
				else if (v <= 0xffff) { esc[k++] = 'u'; digits = 4; }
				else { esc[k++] = 'U'; digits = 8; }
				for (int d = digits - 1; d >= 0; d--)
					esc[k++] = hex[(v >> (4 * d)) & 15];
			}
			}
			put(e, esc, k);
			spaces = false;
		} else if (c == ' ') {
			if (allow_breaks && !spaces && e->column > BEST_WIDTH && i != 0 && i != n - 1) {
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
	}
	put(e, "\"", 1);
	e->whitespace = false;
	e->indention = false;
}

static void block_hints(struct emitter *e, const char *s, size_t n)
{
	char hints[4];
	size_t k = 0;
	if (n && (s[0] == ' ' || s[0] == '\n'))
		hints[k++] = (char)('0' + BEST_INDENT);
	if (!n || s[n - 1] != '\n')
		hints[k++] = '-';
	else if (n == 1 || s[n - 2] == '\n')
		hints[k++] = '+';
	put(e, hints, k);
}

static void write_literal(struct emitter *e, const char *s, size_t n, size_t indent)
{
	if (!e->whitespace)
		put(e, " ", 1);
	put(e, "|", 1);
	block_hints(e, s, n);
	put_break(e);
	bool breaks = true;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n') {
			put_break(e);
			breaks = true;
		} else {
			if (breaks) {
				write_indent(e, indent);
				e->indention = false;
			}
			put(e, s + i, 1);
			breaks = false;
		}
	}
	/* A block that ended with its own line break leaves us at a line start. */
	e->whitespace = e->indention = e->column == 0;
}

/* ---- Style choice ---------------------------------------------------------------------- */

/* Writes string s in the style yaml.v3 would pick for it, honouring `requested` when still
 * valid. indent is the column continuation lines start at; simple_key for mapping keys;
 * flow inside flow collections. */
static void write_string(struct emitter *e, const char *s, size_t n, enum doc_style requested,
			 size_t indent, bool simple_key, bool flow)
{
	struct analysis an;
	analyze(s, n, &an);
	enum doc_style style = requested;
	/* NEEDSWORK: folded scalars are written as literal blocks (same content, other style);
	 * re-folding exactly as libyaml does is left for when a user needs it. */
	if (style == DOC_STYLE_FOLDED)
		style = DOC_STYLE_LITERAL;
	if (style == DOC_STYLE_ANY || style == DOC_STYLE_FLOW) {
		if (memchr(s, '\n', n))
			style = flow ? DOC_STYLE_DOUBLE : DOC_STYLE_LITERAL;
		else if (scalar_needs_quotes(s, n))
			style = DOC_STYLE_DOUBLE;
		else
			style = DOC_STYLE_PLAIN;
	} else if (style == DOC_STYLE_PLAIN && scalar_resolve_plain(s, n) != DOC_STR) {
		style = DOC_STYLE_DOUBLE;
	}
	if (style == DOC_STYLE_PLAIN) {
		if ((flow && !an.flow_plain) || (!flow && !an.block_plain) || (n == 0 && (flow || simple_key)))
			style = DOC_STYLE_SINGLE;
	}
	if (simple_key && (an.multiline || n > 128))
		style = DOC_STYLE_DOUBLE;
	if (style == DOC_STYLE_SINGLE && (!an.single_quoted || an.multiline))
		style = DOC_STYLE_DOUBLE;
	if ((style == DOC_STYLE_LITERAL || style == DOC_STYLE_FOLDED) && (!an.block || flow || simple_key))
		style = DOC_STYLE_DOUBLE;
	bool breaks = !simple_key;
	switch (style) {
	case DOC_STYLE_PLAIN: write_plain(e, s, n, indent, breaks); break;
	case DOC_STYLE_SINGLE: write_single(e, s, n, indent, breaks); break;
	case DOC_STYLE_LITERAL: write_literal(e, s, n, indent); break;
	default: write_double(e, s, n, indent, breaks); break;
	}
}

/* Characters a tag may hold as they are (YAML's ns-uri-char less '%', and '!' only in the
 * handle); everything else is %-escaped, as the reader unescaped it. */
static bool tag_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-;/?:@&=+$_.~*'()", c));
}

static void write_tag(struct emitter *e, const struct doc_node *n)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!n->tag)
		return;
	if (!e->whitespace)
		put(e, " ", 1);
	const char *t = n->tag;
	bool local = t[0] == '!';
	if (local) {
		/* "!!name" (the core schema's handle, name non-empty and plain) or "!name" with
		 * the rest escaped (a local tag "!!" is written "!%21"). */
		size_t h = 1;
		if (t[1] == '!' && t[2]) {
			h = 2;
			for (const char *q = t + 2; *q; q++)
				if (!tag_char_ok((unsigned char)*q))
					h = 1;
		}
		put(e, t, h);
		t += h;
	} else {
		put(e, "!<", 2);
	}
	for (; *t; t++) {
		unsigned char c = (unsigned char)*t;
		if (tag_char_ok(c) || (!local && (c == ',' || c == '[' || c == ']' || c == '#' || c == '!'))) {
			put(e, (const char *)&c, 1);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			put(e, esc, 3);
		}
	}
	if (!local)
		put(e, ">", 1);
	e->whitespace = false;
}

static void write_scalar(struct emitter *e, const struct doc_node *n, size_t indent, bool flow)
{
	write_tag(e, n);
	enum doc_style req = (e->flags & DOC_EMIT_NO_STYLE) ? DOC_STYLE_ANY : (enum doc_style)n->style;
	const char *text;
	switch (n->kind) {
	case DOC_NULL:
		text = !(e->flags & DOC_EMIT_NO_STYLE) && n->style == DOC_STYLE_PLAIN && n->u.str.ptr ? n->u.str.ptr : "null";
		if (flow && !*text)
			text = "null"; /* "{a:}" does not read back */
		write_plain(e, text, strlen(text), indent, false);
		return;
	case DOC_BOOL:
		text = n->u.boolean ? "true" : "false";
		write_plain(e, text, strlen(text), indent, false);
		return;
	case DOC_INT:
	case DOC_FLOAT:
		if ((e->flags & DOC_EMIT_JSON_SCALARS) && !n->tag) {
			struct buf t = BUF_INIT;
			bool ok = scalar_json_number(&t, n->u.str.ptr, n->u.str.len);
			if (ok)
				write_plain(e, t.ptr, t.len, indent, false);
			buf_release(&t);
			if (ok)
				return;
		}
		write_plain(e, n->u.str.ptr, n->u.str.len, indent, false);
		return;
	case DOC_STR:
		write_string(e, n->u.str.ptr, n->u.str.len, req, indent, false, flow);
		return;
	default:
		return;
	}
}

static void write_key(struct emitter *e, const struct doc_pair *p, bool flow)
{
	if (p->key_kind != DOC_STR && p->keylen) {
		write_plain(e, p->key, p->keylen, 0, false);
		return;
	}
	if (p->key_kind != DOC_STR) {
		write_double(e, "", 0, 0, false); /* an empty null key ("? ") */
		return;
	}
	enum doc_style req = (e->flags & DOC_EMIT_NO_STYLE) ? DOC_STYLE_ANY : (enum doc_style)p->key_style;
	write_string(e, p->key, p->keylen, req, 0, true, flow);
}

/* ---- Collections ----------------------------------------------------------------------- */

static bool is_empty_collection(const struct doc_node *n)
{
	return (n->kind == DOC_MAP && n->u.map.len == 0) || (n->kind == DOC_SEQ && n->u.seq.len == 0);
}

/* Whether a key can be written as a simple key ("key: value"); libyaml's rule: at most 128
 * characters and on one line. Other keys take the explicit "? key" form. */
static bool is_simple_key(const struct doc_pair *p)
{
	return p->keylen <= 128 && !memchr(p->key, '\n', p->keylen) && !memchr(p->key, '\r', p->keylen);
}

static bool flow_allowed(const struct doc_node *n)
{
	if (n->kind == DOC_MAP) {
		for (size_t i = 0; i < n->u.map.len; i++)
			if (!is_simple_key(&n->u.map.items[i]) || !flow_allowed(n->u.map.items[i].value))
				return false;
	} else if (n->kind == DOC_SEQ) {
		for (size_t i = 0; i < n->u.seq.len; i++)
			if (!flow_allowed(n->u.seq.items[i]))
				return false;
	}
	return true;
}

static bool use_flow(const struct emitter *e, const struct doc_node *n)
{
	return is_empty_collection(n) ||
	       (!(e->flags & DOC_EMIT_NO_STYLE) && n->style == DOC_STYLE_FLOW && flow_allowed(n));
}

/* Go's []rune conversion: invalid bytes become U+FFFD one at a time. Returns the count. */
static size_t to_runes(const char *s, size_t n, uint32_t *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; k++) {
		size_t w = utf8_valid_prefix(s + i, n - i < 4 ? n - i : 4);
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (len > w) {
			out[k] = 0xfffd;
			i++;
		} else {
			out[k] = utf8_decode(s + i, len);
			i += len;
		}
	}
	return k;
}

/* unicode.IsLetter for ASCII; other runes count as letters (keys are names). */
static bool rune_is_letter(uint32_t r)
{
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= 0x80 && r != 0xfffd);
}

static bool rune_is_digit(uint32_t r) { return r >= '0' && r <= '9'; }

/* yaml.v2's key order (sorter.go), which kubectl -o yaml and kustomize build print through
 * sigs.k8s.io/yaml: letters compare by code point, non-letters sort before letters, and
 * runs of digits compare as numbers ("a2" before "a10"). */
static bool yaml_v2_key_less(const uint32_t *ar, size_t an_len, const uint32_t *br, size_t bn_len)
{
	for (size_t i = 0; i < an_len && i < bn_len; i++) {
		if (ar[i] == br[i])
			continue;
		bool al = rune_is_letter(ar[i]), bl = rune_is_letter(br[i]);
		if (al && bl)
			return ar[i] < br[i];
		if (al || bl)
			return bl;
		int64_t an = 0, bn = 0;
		if (ar[i] == '0' || br[i] == '0') {
			for (size_t j = i; j-- > 0 && rune_is_digit(ar[j]);) {
				if (ar[j] != '0') {
					an = bn = 1;
					break;
				}
			}
		}
		size_t ai = i, bi = i;
		for (; ai < an_len && rune_is_digit(ar[ai]); ai++)
			an = (int64_t)((uint64_t)an * 10 + (ar[ai] - '0'));
		for (; bi < bn_len && rune_is_digit(br[bi]); bi++)
			bn = (int64_t)((uint64_t)bn * 10 + (br[bi] - '0'));
		if (an != bn)
			return an < bn;
		if (ai != bi)
			return ai < bi;
		return ar[i] < br[i];
	}
	return an_len < bn_len;
}

static int cmp_pairs(const void *a, const void *b)
{
	const struct doc_pair *p = *(const struct doc_pair *const *)a, *q = *(const struct doc_pair *const *)b;
	uint32_t pbuf[64], qbuf[64];
	uint32_t *pr = p->keylen <= 64 ? pbuf : malloc(p->keylen * sizeof(*pr));
	uint32_t *qr = q->keylen <= 64 ? qbuf : malloc(q->keylen * sizeof(*qr));
	if (!pr || !qr)
		abort();
	size_t pn = to_runes(p->key, p->keylen, pr), qn = to_runes(q->key, q->keylen, qr);
	int c = yaml_v2_key_less(pr, pn, qr, qn) ? -1 : yaml_v2_key_less(qr, qn, pr, pn) ? 1 : 0;
	if (!c) { /* not ordered by yaml.v2 (e.g. equal runes): keep a total order */
		size_t n = p->keylen < q->keylen ? p->keylen : q->keylen;
		c = memcmp(p->key, q->key, n);
		if (!c)
			c = (p->keylen > q->keylen) - (p->keylen < q->keylen);
	}
	if (pr != pbuf)
		free(pr);
	if (qr != qbuf)
		free(qr);
	return c;
}

/* The pairs of map in output order (sorted with DOC_EMIT_SORT_KEYS, in yaml.v2 order). Caller frees. */
static const struct doc_pair **ordered_pairs(const struct emitter *e, const struct doc_node *map)
{
	const struct doc_pair **v = malloc((map->u.map.len + 1) * sizeof(*v));
	if (!v)
		abort();
	for (size_t i = 0; i < map->u.map.len; i++)
		v[i] = &map->u.map.items[i];
	if (e->flags & DOC_EMIT_SORT_KEYS)
		qsort(v, map->u.map.len, sizeof(*v), cmp_pairs);
	return v;
}

static void emit_flow(struct emitter *e, const struct doc_node *n, size_t indent)
{
	write_tag(e, n);
	if (n->kind == DOC_SEQ) {
		if (!e->whitespace)
			put(e, " ", 1);
		put(e, "[", 1);
		e->whitespace = true;
		for (size_t i = 0; i < n->u.seq.len; i++) {
			if (i)
				put(e, ", ", 2);
			e->whitespace = true;
			const struct doc_node *it = n->u.seq.items[i];
			if (it->kind == DOC_SEQ || it->kind == DOC_MAP)
				emit_flow(e, it, indent);
			else
				write_scalar(e, it, indent, true);
		}
		put(e, "]", 1);
	} else if (n->kind == DOC_MAP) {
		if (!e->whitespace)
			put(e, " ", 1);
		put(e, "{", 1);
		e->whitespace = true;
		const struct doc_pair **pairs = ordered_pairs(e, n);
		for (size_t i = 0; i < n->u.map.len; i++) {
			if (i)
				put(e, ", ", 2);
			e->whitespace = true;
			write_key(e, pairs[i], true);
			put(e, ":", 1);
			e->whitespace = false;
			const struct doc_node *v = pairs[i]->value;
			if (v->kind == DOC_SEQ || v->kind == DOC_MAP)
				emit_flow(e, v, indent);
			else
				write_scalar(e, v, indent, true);
		}
		free(pairs);
		put(e, "}", 1);
	}
	e->whitespace = false;
	e->indention = false;
}

static void emit_block_map(struct emitter *e, const struct doc_node *map, size_t indent, bool inline_first);
static void emit_block_seq(struct emitter *e, const struct doc_node *seq, size_t indent, bool inline_first);

/* Writes the value of a mapping entry whose key starts at column `indent`, or of a
 * sequence item whose "-" is at `indent`. */
static void emit_value(struct emitter *e, const struct doc_node *v, size_t indent, bool in_seq)
{
	if (v->kind != DOC_MAP && v->kind != DOC_SEQ) {
		write_scalar(e, v, indent + BEST_INDENT, false);
		return;
	}
	if (use_flow(e, v)) {
		emit_flow(e, v, indent + BEST_INDENT);
		return;
	}
	if (in_seq) {
		/* "- key: value" and "- - item": the collection starts on the dash's line. */
		if (v->tag) {
			write_tag(e, v);
			if (v->kind == DOC_MAP)
				emit_block_map(e, v, indent + BEST_INDENT, false);
			else
				emit_block_seq(e, v, indent + BEST_INDENT, false);
			return;
		}
		put(e, " ", 1);
		e->whitespace = true;
		if (v->kind == DOC_MAP)
			emit_block_map(e, v, indent + BEST_INDENT, true);
		else
			emit_block_seq(e, v, indent + BEST_INDENT, true);
		return;
	}
	write_tag(e, v);
	if (v->kind == DOC_MAP)
		emit_block_map(e, v, indent + BEST_INDENT, false);
	else
		emit_block_seq(e, v, indent, false); /* sequences sit at their key's column */
}

static void start_entry(struct emitter *e, size_t indent, bool inline_here)
{
	if (inline_here)
		return;
	if (e->column != 0 || !e->indention)
		put_break(e);
	while (e->column < indent)
		put(e, " ", 1);
	e->whitespace = true;
	e->indention = true;
}

static void emit_block_map(struct emitter *e, const struct doc_node *map, size_t indent, bool inline_first)
{
	const struct doc_pair **pairs = ordered_pairs(e, map);
	for (size_t i = 0; i < map->u.map.len; i++) {
		start_entry(e, indent, inline_first && i == 0);
		if (!is_simple_key(pairs[i])) {
			put(e, "?", 1);
			e->whitespace = false;
			write_string(e, pairs[i]->key, pairs[i]->keylen, DOC_STYLE_ANY, indent + BEST_INDENT, false, false);
			start_entry(e, indent, false);
			put(e, ":", 1);
			e->whitespace = false;
			emit_value(e, pairs[i]->value, indent, true);
			continue;
		}
		write_key(e, pairs[i], false);
		put(e, ":", 1);
		e->whitespace = false;
		emit_value(e, pairs[i]->value, indent, false);
	}
	free(pairs);
}

static void emit_block_seq(struct emitter *e, const struct doc_node *seq, size_t indent, bool inline_first)
{
	for (size_t i = 0; i < seq->u.seq.len; i++) {
		start_entry(e, indent, inline_first && i == 0);
		put(e, "-", 1);
		e->whitespace = false;
		emit_value(e, seq->u.seq.items[i], indent, true);
	}
}

void doc_emit_yaml(struct buf *out, const struct doc_node *n, unsigned flags)
{
	struct emitter e = { out, flags, 0, true, true };
	if (n->kind == DOC_MAP && !use_flow(&e, n)) {
		write_tag(&e, n);
		emit_block_map(&e, n, 0, !n->tag);
	} else if (n->kind == DOC_SEQ && !use_flow(&e, n)) {
		write_tag(&e, n);
		emit_block_seq(&e, n, 0, !n->tag);
	} else if (n->kind == DOC_MAP || n->kind == DOC_SEQ) {
		emit_flow(&e, n, 0);
	} else {
		/* A root scalar is indented like a nested one (yaml.v3: the best indent), which a
		 * block scalar needs to be read back. */
		write_scalar(&e, n, BEST_INDENT, false);
	}
	if (e.column != 0)
		put_break(&e);
}

void doc_emit_yaml_stream(struct buf *out, struct doc_node *const *docs, size_t len, unsigned flags)
{
	for (size_t i = 0; i < len; i++) {
		if (i)
			buf_add(out, "---\n", 4);
		doc_emit_yaml(out, docs[i], flags);
	}
}
