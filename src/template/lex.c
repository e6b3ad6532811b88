/*
 * The text/template lexer (lex.h): Go's state machine from text/template/parse/lex.go
 * (Go 1.22: synchronous, one item per call), with Go's positions, line counting, trim
 * markers ("{{- " and " -}}", the space is required), comments, and error messages. A
 * state either produces an item (tlex_next returns it) or moves to another state; the
 * next call starts in the text state or, between delimiters, the action state, as Go's.
 *
 * Runes: the input is read as UTF-8 the way Go's utf8.DecodeRune does (an invalid byte is
 * U+FFFD, one byte wide). unicode.IsLetter, IsDigit and IsPrint outside ASCII are
 * approximated by ranges (NEEDSWORK: Unicode tables), which only matters for identifiers
 * spelled with symbols from other scripts and for how messages quote odd runes.
 *
 * Also here: strconv's Unquote, UnquoteChar and Quote, for strings and names.
 */
#include "template/lex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/banned.h"

#define LEX_EOF (-1)
#define RUNE_ERROR 0xFFFDu

enum lstate {
	LS_TEXT,
	LS_LEFT_DELIM,
	LS_COMMENT,
	LS_RIGHT_DELIM,
	LS_INSIDE,
	LS_SPACE,
	LS_IDENTIFIER,
	LS_FIELD,
	LS_VARIABLE,
	LS_CHAR,
	LS_NUMBER,
	LS_QUOTE,
	LS_RAW_QUOTE,
	LS_DONE, /* an item is ready */
};

/* --- runes ------------------------------------------------------------------------ */

/* The rune at s[0..n) and its width, as utf8.DecodeRune. */
static int32_t decode(const char *s, size_t n, size_t *w)
{
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80) {
		*w = 1;
		return c;
	}
	size_t k = utf8_valid_prefix(s, n);
	if (!k) {
		*w = 1;
		return (int32_t)RUNE_ERROR;
	}
	*w = k;
	return (int32_t)utf8_decode(s, k);
}

bool tis_print(uint32_t r)
{
	if (r < 0x80)
		return r >= 0x20 && r < 0x7f;
	if (r < 0xA0 || r == 0xA0 || r == 0xAD)
		return false;
	if (r == 0x1680 || (r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) ||
	    (r >= 0x205F && r <= 0x206F) || r == 0x3000 || r == 0xFEFF ||
	    (r >= 0xFFF0 && r <= 0xFFFB) || r == 0xFFFE || r == 0xFFFF)
		return false;
	if ((r >= 0xD800 && r <= 0xF8FF) || r >= 0xF0000 || (r >= 0xE0000 && r <= 0xE0FFF) ||
	    r > 0x10FFFF)
		return false;
	return true;
}

static bool is_letter_or_digit(int32_t r)
{
	if (r < 0)
		return false;
	if (r < 0x80)
		return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
	uint32_t u = (uint32_t)r;
	if (!tis_print(u))
		return false;
	if (u <= 0xBF)
		return u == 0xAA || u == 0xB5 || u == 0xBA;
	if (u == 0xD7 || u == 0xF7)
		return false;
	/* punctuation, symbols, arrows, maths, boxes, dingbats, CJK punctuation, forms */
	if ((u >= 0x2000 && u <= 0x2BFF) || (u >= 0x3000 && u <= 0x3004) ||
	    (u >= 0x3008 && u <= 0x3020) || u == 0x3030 || (u >= 0xFE10 && u <= 0xFE6F) ||
	    (u >= 0xFF01 && u <= 0xFF0F) || (u >= 0xFF1A && u <= 0xFF20) ||
	    (u >= 0xFF3B && u <= 0xFF40) || (u >= 0xFF5B && u <= 0xFF65) ||
	    (u >= 0xFFE0 && u <= 0xFFFF) || (u >= 0x1F000 && u <= 0x1FFFF))
		return false;
	return true;
}

static bool is_alnum(int32_t r)
{
	return r == '_' || is_letter_or_digit(r);
}

static bool is_space(int32_t r)
{
	return r == ' ' || r == '\t' || r == '\r' || r == '\n';
}

/* --- scanning primitives ---------------------------------------------------------- */

static int32_t next(struct tlexer *l)
{
	if (l->pos >= l->len) {
		l->at_eof = true;
		return LEX_EOF;
	}
	size_t w;
	int32_t r = decode(l->in + l->pos, l->len - l->pos, &w);
	l->pos += w;
	if (r == '\n')
		l->line++;
	return r;
}

/* Steps back over the rune before pos (utf8.DecodeLastRune), unless EOF was seen. */
static void backup(struct tlexer *l)
{
	if (l->at_eof || l->pos == 0)
		return;
	size_t w = 1;
	for (size_t k = 2; k <= 4 && k <= l->pos; k++) {
		unsigned char c = (unsigned char)l->in[l->pos - k];
		if ((c & 0xC0) != 0x80) {
			if (c >= 0xC0 && utf8_valid_prefix(l->in + l->pos - k, k) == k)
				w = k;
			break;
		}
	}
	l->pos -= w;
	if (l->in[l->pos] == '\n')
		l->line--;
}

static int32_t peek(struct tlexer *l)
{
	int32_t r = next(l);
	backup(l);
	return r;
}

static size_t count_nl(const char *s, size_t n)
{
	size_t c = 0;
	if (n == 0)
		return 0;
	for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
		c++;
	return c;
}

static bool has_prefix(const struct tlexer *l, size_t at, const char *p, size_t n)
{
	return at <= l->len && l->len - at >= n && memcmp(l->in + at, p, n) == 0;
}

/* thisItem: the pending text as an item; the input moves on. */
static struct titem this_item(struct tlexer *l, int typ)
{
	struct titem it = { typ, l->start, l->in + l->start, l->pos - l->start, l->start_line };
	l->start = l->pos;
	l->start_line = l->line;
	return it;
}

static enum lstate emit(struct tlexer *l, int typ)
{
	l->item = this_item(l, typ);
	return LS_DONE;
}

static void ignore(struct tlexer *l)
{
	l->line += (int)count_nl(l->in + l->start, l->pos - l->start);
	l->start = l->pos;
	l->start_line = l->line;
}

static bool accept(struct tlexer *l, const char *valid)
{
	int32_t r = next(l);
	if (r > 0 && r < 0x80 && strchr(valid, (int)r))
		return true;
	backup(l);
	return false;
}

static void accept_run(struct tlexer *l, const char *valid)
{
	for (;;) {
		int32_t r = next(l);
		if (!(r > 0 && r < 0x80 && strchr(valid, (int)r)))
			break;
	}
	backup(l);
}

/* An error item; Go empties the input so that the scan ends there. */
static enum lstate lex_errorf(struct tlexer *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static enum lstate lex_errorf(struct tlexer *l, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	char *m = arena_strdup(l->arena, msg);
	l->item = (struct titem){ TI_ERROR, l->start, m, strlen(m), l->start_line };
	l->start = 0;
	l->pos = 0;
	l->len = 0;
	return LS_DONE;
}

/* Go's %#U: U+0041 'A', or U+0007 when the rune is not printable. */
static void fmt_U(char *out, size_t n, int32_t r)
{
	char enc[5] = { 0 };
	if (r >= 0 && tis_print((uint32_t)r) && utf8_encode((uint32_t)r, enc)) {
		snprintf(out, n, "U+%04X '%s'", (unsigned)r, enc);
		return;
	}
	snprintf(out, n, "U+%04X", (unsigned)(r < 0 ? 0xFFFD : r));
}

static bool has_left_trim(const struct tlexer *l, size_t at)
{
	return at + 2 <= l->len && l->in[at] == '-' && is_space((unsigned char)l->in[at + 1]);
}

static bool has_right_trim(const struct tlexer *l, size_t at)
{
	return at + 2 <= l->len && is_space((unsigned char)l->in[at]) && l->in[at + 1] == '-';
}

static void at_right_delim(const struct tlexer *l, bool *delim, bool *trim)
{
	*delim = *trim = false;
	if (has_right_trim(l, l->pos) && has_prefix(l, l->pos + 2, l->rdelim, l->rdlen)) {
		*delim = *trim = true;
		return;
	}
	if (has_prefix(l, l->pos, l->rdelim, l->rdlen))
		*delim = true;
}

static size_t right_trim_length(const char *s, size_t n)
{
	size_t k = n;
	while (k > 0 && is_space((unsigned char)s[k - 1]))
		k--;
	return n - k;
}

static size_t left_trim_length(const char *s, size_t n)
{
	size_t k = 0;
	while (k < n && is_space((unsigned char)s[k]))
		k++;
	return k;
}

/* Whether what follows an identifier may end it: space, EOF, . , | : ( ) or "}}". */
static bool at_terminator(struct tlexer *l)
{
	int32_t r = peek(l);
	if (is_space(r))
		return true;
	switch (r) {
	case LEX_EOF: case '.': case ',': case '|': case ':': case ')': case '(':
		return true;
	}
	return has_prefix(l, l->pos, l->rdelim, l->rdlen);
}

/* --- states ----------------------------------------------------------------------- */

static enum lstate lex_text(struct tlexer *l)
{
	const char *hit = NULL;
	if (l->pos < l->len)
		hit = memmem(l->in + l->pos, l->len - l->pos, l->ldelim, l->ldlen);
	if (hit) {
		size_t x = (size_t)(hit - (l->in + l->pos));
		if (x > 0) {
			l->pos += x;
			size_t trim = 0;
			if (has_left_trim(l, l->pos + l->ldlen))
				trim = right_trim_length(l->in + l->start, l->pos - l->start);
			l->pos -= trim;
			l->line += (int)count_nl(l->in + l->start, l->pos - l->start);
			struct titem it = this_item(l, TI_TEXT);
			l->pos += trim;
			ignore(l);
			if (it.len > 0) {
				l->item = it;
				return LS_DONE;
			}
		}
		return LS_LEFT_DELIM;
	}
	l->pos = l->len;
	if (l->pos > l->start) {
		l->line += (int)count_nl(l->in + l->start, l->pos - l->start);
		return emit(l, TI_TEXT);
	}
	return emit(l, TI_EOF);
}

static enum lstate lex_left_delim(struct tlexer *l)
{
	l->pos += l->ldlen;
	bool trim = has_left_trim(l, l->pos);
	size_t after = trim ? 2 : 0;
	if (has_prefix(l, l->pos + after, "/*", 2)) {
		l->pos += after;
		ignore(l);
		return LS_COMMENT;
	}
	struct titem it = this_item(l, TI_LEFT_DELIM);
	l->inside = true;
	l->pos += after;
	ignore(l);
	l->paren_depth = 0;
	l->item = it;
	return LS_DONE;
}

static enum lstate lex_comment(struct tlexer *l)
{
	l->pos += 2;
	const char *end = l->pos < l->len ? memmem(l->in + l->pos, l->len - l->pos, "*/", 2) : NULL;
	if (!end)
		return lex_errorf(l, "unclosed comment");
	l->pos = (size_t)(end - l->in) + 2;
	bool delim, trim;
	at_right_delim(l, &delim, &trim);
	if (!delim)
		return lex_errorf(l, "comment ends before closing delimiter");
	l->line += (int)count_nl(l->in + l->start, l->pos - l->start);
	struct titem it = this_item(l, TI_COMMENT);
	if (trim)
		l->pos += 2;
	l->pos += l->rdlen;
	if (trim)
		l->pos += left_trim_length(l->in + l->pos, l->len - l->pos);
	ignore(l);
	if (l->emit_comment) {
		l->item = it;
		return LS_DONE;
	}
	return LS_TEXT;
}

static enum lstate lex_right_delim(struct tlexer *l)
{
	bool delim, trim;
	at_right_delim(l, &delim, &trim);
	if (trim) {
		l->pos += 2;
		ignore(l);
	}
	l->pos += l->rdlen;
	struct titem it = this_item(l, TI_RIGHT_DELIM);
	if (trim) {
		l->pos += left_trim_length(l->in + l->pos, l->len - l->pos);
		ignore(l);
	}
	l->inside = false;
	l->item = it;
	return LS_DONE;
}

static enum lstate lex_inside(struct tlexer *l)
{
	bool delim, trim;
	at_right_delim(l, &delim, &trim);
	if (delim) {
		if (l->paren_depth == 0)
			return LS_RIGHT_DELIM;
		return lex_errorf(l, "unclosed left paren");
	}
	int32_t r = next(l);
	char u[32];
	if (r == LEX_EOF)
		return lex_errorf(l, "unclosed action");
	if (is_space(r)) {
		backup(l); /* put the space back in case this is " -}}" */
		return LS_SPACE;
	}
	switch (r) {
	case '=':
		return emit(l, TI_ASSIGN);
	case ':':
		if (next(l) != '=')
			return lex_errorf(l, "expected :=");
		return emit(l, TI_DECLARE);
	case '|':
		return emit(l, TI_PIPE);
	case '"':
		return LS_QUOTE;
	case '`':
		return LS_RAW_QUOTE;
	case '$':
		return LS_VARIABLE;
	case '\'':
		return LS_CHAR;
	case '.':
		/* ".field", unless a digit follows: ".5" is a number */
		if (l->pos < l->len && (l->in[l->pos] < '0' || l->in[l->pos] > '9'))
			return LS_FIELD;
		backup(l);
		return LS_NUMBER;
	case '(':
		l->paren_depth++;
		return emit(l, TI_LEFT_PAREN);
	case ')':
		l->paren_depth--;
		if (l->paren_depth < 0)
			return lex_errorf(l, "unexpected right paren");
		return emit(l, TI_RIGHT_PAREN);
	}
	if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
		backup(l);
		return LS_NUMBER;
	}
	if (is_alnum(r)) {
		backup(l);
		return LS_IDENTIFIER;
	}
	if (r < 0x80 && r >= 0x20 && r < 0x7f)
		return emit(l, TI_CHAR);
	fmt_U(u, sizeof(u), r);
	return lex_errorf(l, "unrecognized character in action: %s", u);
}

static enum lstate lex_space(struct tlexer *l)
{
	int n = 0;
	while (is_space(peek(l))) {
		next(l);
		n++;
	}
	/* a trim-marked right delimiter starts with a space: leave that space to it */
	if (has_right_trim(l, l->pos - 1) && has_prefix(l, l->pos + 1, l->rdelim, l->rdlen)) {
		backup(l);
		if (n == 1)
			return LS_RIGHT_DELIM;
	}
	return emit(l, TI_SPACE);
}

static const struct {
	const char *word;
	int typ;
} keywords[] = {
	{ ".", TI_DOT },          { "block", TI_BLOCK },   { "break", TI_BREAK },
	{ "continue", TI_CONTINUE }, { "define", TI_DEFINE }, { "else", TI_ELSE },
	{ "end", TI_END },        { "if", TI_IF },         { "range", TI_RANGE },
	{ "nil", TI_NIL },        { "template", TI_TEMPLATE }, { "with", TI_WITH },
};

static enum lstate lex_identifier(struct tlexer *l)
{
	int32_t r;
	while (is_alnum(r = next(l)))
		;
	backup(l);
	const char *w = l->in + l->start;
	size_t n = l->pos - l->start;
	if (!at_terminator(l)) {
		char u[32];
		fmt_U(u, sizeof(u), r);
		return lex_errorf(l, "bad character %s", u);
	}
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		if (strlen(keywords[i].word) == n && memcmp(keywords[i].word, w, n) == 0) {
			int typ = keywords[i].typ;
			if ((typ == TI_BREAK && !l->break_ok) || (typ == TI_CONTINUE && !l->continue_ok))
				typ = TI_IDENTIFIER;
			return emit(l, typ);
		}
	}
	if (n && w[0] == '.')
		return emit(l, TI_FIELD);
	if ((n == 4 && !memcmp(w, "true", 4)) || (n == 5 && !memcmp(w, "false", 5)))
		return emit(l, TI_BOOL);
	return emit(l, TI_IDENTIFIER);
}

/* [.$]Alphanumeric; the . or $ is scanned. */
static enum lstate lex_field_or_variable(struct tlexer *l, int typ)
{
	if (at_terminator(l))
		return emit(l, typ == TI_VARIABLE ? TI_VARIABLE : TI_DOT);
	int32_t r;
	while (is_alnum(r = next(l)))
		;
	backup(l);
	if (!at_terminator(l)) {
		char u[32];
		fmt_U(u, sizeof(u), r);
		return lex_errorf(l, "bad character %s", u);
	}
	return emit(l, typ);
}

static enum lstate lex_char(struct tlexer *l)
{
	for (;;) {
		int32_t r = next(l);
		if (r == '\\') {
			r = next(l);
			if (r != LEX_EOF && r != '\n')
				continue;
			return lex_errorf(l, "unterminated character constant");
		}
		if (r == LEX_EOF || r == '\n')
			return lex_errorf(l, "unterminated character constant");
		if (r == '\'')
			break;
	}
	return emit(l, TI_CHAR_CONSTANT);
}

/* Go's scanNumber: permissive (it takes "089" and "0x0.2"); the parser's strconv checks. */
static bool scan_number(struct tlexer *l)
{
	accept(l, "+-");
	const char *digits = "0123456789_";
	if (accept(l, "0")) {
		if (accept(l, "xX"))
			digits = "0123456789abcdefABCDEF_";
		else if (accept(l, "oO"))
			digits = "01234567_";
		else if (accept(l, "bB"))
			digits = "01_";
	}
	accept_run(l, digits);
	if (accept(l, "."))
		accept_run(l, digits);
	size_t nd = strlen(digits);
	if (nd == 11 && accept(l, "eE")) {
		accept(l, "+-");
		accept_run(l, "0123456789_");
	}
	if (nd == 23 && accept(l, "pP")) {
		accept(l, "+-");
		accept_run(l, "0123456789_");
	}
	accept(l, "i");
	if (is_alnum(peek(l))) {
		next(l);
		return false;
	}
	return true;
}

static enum lstate lex_number(struct tlexer *l)
{
	if (!scan_number(l))
		goto bad;
	int32_t sign = peek(l);
	if (sign == '+' || sign == '-') {
		/* complex: 1+2i, no spaces, ends in 'i' */
		if (!scan_number(l) || l->in[l->pos - 1] != 'i')
			goto bad;
		return emit(l, TI_COMPLEX);
	}
	return emit(l, TI_NUMBER);
bad:;
	struct buf q = BUF_INIT;
	tquote(&q, l->in + l->start, l->pos - l->start);
	enum lstate s = lex_errorf(l, "bad number syntax: %s", q.ptr);
	buf_release(&q);
	return s;
}

static enum lstate lex_quote(struct tlexer *l)
{
	for (;;) {
		int32_t r = next(l);
		if (r == '\\') {
			r = next(l);
			if (r != LEX_EOF && r != '\n')
				continue;
			return lex_errorf(l, "unterminated quoted string");
		}
		if (r == LEX_EOF || r == '\n')
			return lex_errorf(l, "unterminated quoted string");
		if (r == '"')
			break;
	}
	return emit(l, TI_STRING);
}

static enum lstate lex_raw_quote(struct tlexer *l)
{
	for (;;) {
		int32_t r = next(l);
		if (r == LEX_EOF)
			return lex_errorf(l, "unterminated raw quoted string");
		if (r == '`')
			break;
	}
	return emit(l, TI_RAW_STRING);
}

void tlex_init(struct tlexer *l, struct arena *a, const char *in, size_t len,
	       const char *ldelim, const char *rdelim)
{
	memset(l, 0, sizeof(*l));
	l->arena = a;
	l->in = in;
	l->len = len;
	l->ldelim = ldelim && *ldelim ? ldelim : "{{";
	l->rdelim = rdelim && *rdelim ? rdelim : "}}";
	l->ldlen = strlen(l->ldelim);
	l->rdlen = strlen(l->rdelim);
	l->line = l->start_line = 1;
}

struct titem tlex_next(struct tlexer *l)
{
	l->item = (struct titem){ TI_EOF, l->pos, "EOF", 3, l->start_line };
	enum lstate s = l->inside ? LS_INSIDE : LS_TEXT;
	for (;;) {
		switch (s) {
		case LS_TEXT: s = lex_text(l); break;
		case LS_LEFT_DELIM: s = lex_left_delim(l); break;
		case LS_COMMENT: s = lex_comment(l); break;
		case LS_RIGHT_DELIM: s = lex_right_delim(l); break;
		case LS_INSIDE: s = lex_inside(l); break;
		case LS_SPACE: s = lex_space(l); break;
		case LS_IDENTIFIER: s = lex_identifier(l); break;
		case LS_FIELD: s = lex_field_or_variable(l, TI_FIELD); break;
		case LS_VARIABLE:
			s = at_terminator(l) ? emit(l, TI_VARIABLE)
					     : lex_field_or_variable(l, TI_VARIABLE);
			break;
		case LS_CHAR: s = lex_char(l); break;
		case LS_NUMBER: s = lex_number(l); break;
		case LS_QUOTE: s = lex_quote(l); break;
		case LS_RAW_QUOTE: s = lex_raw_quote(l); break;
		case LS_DONE: return l->item;
		}
	}
}

/* --- strconv ---------------------------------------------------------------------- */

static void quote_runes(struct buf *out, const char *s, size_t n, size_t max_runes)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(out, '"');
	size_t i = 0, runes = 0;
	while (i < n && runes < max_runes) {
		size_t w;
		int32_t r = decode(s + i, n - i, &w);
		runes++;
		if (r == (int32_t)RUNE_ERROR && w == 1) {
			unsigned char c = (unsigned char)s[i];
			buf_addf(out, "\\x%c%c", hex[c >> 4], hex[c & 15]);
			i += w;
			continue;
		}
		if (r == '"' || r == '\\') {
			buf_addch(out, '\\');
			buf_addch(out, (char)r);
		} else if (tis_print((uint32_t)r)) {
			buf_add(out, s + i, w);
		} else {
			switch (r) {
			case '\a': buf_adds(out, "\\a"); break;
			case '\b': buf_adds(out, "\\b"); break;
			case '\f': buf_adds(out, "\\f"); break;
			case '\n': buf_adds(out, "\\n"); break;
			case '\r': buf_adds(out, "\\r"); break;
			case '\t': buf_adds(out, "\\t"); break;
			case '\v': buf_adds(out, "\\v"); break;
			default:
				if (r < ' ' || r == 0x7f)
					buf_addf(out, "\\x%c%c", hex[r >> 4], hex[r & 15]);
				else if (r < 0x10000)
					buf_addf(out, "\\u%04x", (unsigned)r);
				else
					buf_addf(out, "\\U%08x", (unsigned)r);
			}
		}
		i += w;
	}
	buf_addch(out, '"');
}

void tquote(struct buf *out, const char *s, size_t n)
{
	quote_runes(out, s, n, (size_t)-1);
}

void titem_describe(struct buf *out, const struct titem *it)
{
	if (it->typ == TI_EOF) {
		buf_adds(out, "EOF");
	} else if (it->typ == TI_ERROR) {
		buf_add(out, it->val, it->len);
	} else if (it->typ > TI_KEYWORD) {
		buf_addch(out, '<');
		buf_add(out, it->val, it->len);
		buf_addch(out, '>');
	} else if (it->len > 10) {
		/* %.10q: the first ten runes, quoted */
		quote_runes(out, it->val, it->len, 10);
		buf_adds(out, "...");
	} else {
		quote_runes(out, it->val, it->len, (size_t)-1);
	}
}

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* strconv.UnquoteChar: the first character of s (quoted by q) or escape; *adv bytes. */
static bool unquote_one(const char *s, size_t n, char q, uint32_t *r, bool *multibyte,
			size_t *adv)
{
	unsigned char c = (unsigned char)s[0];
	*multibyte = false;
	if (c == (unsigned char)q && (q == '\'' || q == '"'))
		return false;
	if (c >= 0x80) {
		size_t w;
		*r = (uint32_t)decode(s, n, &w);
		*adv = w;
		*multibyte = true;
		return true;
	}
	if (c != '\\') {
		*r = c;
		*adv = 1;
		return true;
	}
	if (n <= 1)
		return false;
	c = (unsigned char)s[1];
	*adv = 2;
	switch (c) {
	case 'a': *r = '\a'; return true;
	case 'b': *r = '\b'; return true;
	case 'f': *r = '\f'; return true;
	case 'n': *r = '\n'; return true;
	case 'r': *r = '\r'; return true;
	case 't': *r = '\t'; return true;
	case 'v': *r = '\v'; return true;
	case '\\': *r = '\\'; return true;
	case '\'': case '"':
		if (c != (unsigned char)q)
			return false;
		*r = c;
		return true;
	case 'x': case 'u': case 'U': {
		size_t nd = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		if (n - 2 < nd)
			return false;
		uint32_t v = 0;
		for (size_t j = 0; j < nd; j++) {
			int d = unhex(s[2 + j]);
			if (d < 0)
				return false;
			v = v << 4 | (uint32_t)d;
		}
		*adv = 2 + nd;
		if (c == 'x') {
			*r = v;
			return true;
		}
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			return false;
		*r = v;
		*multibyte = true;
		return true;
	}
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
		uint32_t v = c - '0';
		if (n - 2 < 2)
			return false;
		for (size_t j = 0; j < 2; j++) {
			unsigned char d = (unsigned char)s[2 + j];
			if (d < '0' || d > '7')
				return false;
			v = v << 3 | (uint32_t)(d - '0');
		}
		if (v > 255)
			return false;
		*adv = 4;
		*r = v;
		return true;
	}
	}
	return false;
}

bool tunquote(struct arena *a, const char *s, size_t n, const char **out, size_t *outlen)
{
	if (n < 2 || s[0] != s[n - 1])
		return false;
	char q = s[0];
	const char *in = s + 1;
	size_t m = n - 2;
	if (q == '`') {
		if (memchr(in, '`', m))
			return false;
		char *o = arena_alloc(a, m + 1);
		size_t k = 0;
		for (size_t i = 0; i < m; i++)
			if (in[i] != '\r')
				o[k++] = in[i];
		o[k] = 0;
		*out = o;
		*outlen = k;
		return true;
	}
	if (q != '"' && q != '\'')
		return false;
	if (memchr(in, '\n', m))
		return false;
	/* up to 4 output bytes for each input byte (an invalid byte becomes U+FFFD) */
	char *o = arena_alloc(a, m * 3 + 1);
	size_t k = 0, i = 0, chars = 0;
	while (i < m) {
		uint32_t r;
		bool mb;
		size_t adv;
		if (!unquote_one(in + i, m - i, q, &r, &mb, &adv))
			return false;
		i += adv;
		chars++;
		if (r < 0x80 || !mb) {
			o[k++] = (char)r;
		} else {
			char enc[4];
			size_t w = utf8_encode(r, enc);
			memcpy(o + k, enc, w);
			k += w;
		}
	}
	if (q == '\'' && chars != 1)
		return false;
	o[k] = 0;
	*out = o;
	*outlen = k;
	return true;
}

int tunquote_char(const char *s, size_t n, uint32_t *rune)
{
	bool mb;
	size_t adv;
	if (n == 0 || !unquote_one(s, n, '\'', rune, &mb, &adv))
		return -1;
	if (n - adv != 1 || s[adv] != '\'')
		return -2;
	return 0;
}
