/*
 * The lexer of Go's text/template (text/template/parse/lex.go), as the parser in parse.c
 * reads it: one item at a time, on demand. Items point into the input (their text is not
 * NUL-terminated) except error items, whose message lives in the arena. Also the small
 * pieces of Go's strconv and unicode that the parser needs to turn items into nodes and
 * to print them in messages (Unquote, Quote, IsPrint). Module-internal: parse.c only.
 */
#ifndef TIDE_TEMPLATE_LEX_H
#define TIDE_TEMPLATE_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

/* Go's itemType, in Go's order: everything after TI_KEYWORD is a keyword. */
enum titem_type {
	TI_ERROR,        /* val is the message */
	TI_BOOL,
	TI_CHAR,         /* a printable ASCII character: ',' and the like */
	TI_CHAR_CONSTANT,
	TI_COMMENT,
	TI_COMPLEX,
	TI_ASSIGN,
	TI_DECLARE,
	TI_EOF,
	TI_FIELD,
	TI_IDENTIFIER,
	TI_LEFT_DELIM,
	TI_LEFT_PAREN,
	TI_NUMBER,
	TI_PIPE,
	TI_RAW_STRING,
	TI_RIGHT_DELIM,
	TI_RIGHT_PAREN,
	TI_SPACE,
	TI_STRING,
	TI_TEXT,
	TI_VARIABLE,
	TI_KEYWORD,
	TI_BLOCK,
	TI_BREAK,
	TI_CONTINUE,
	TI_DOT,
	TI_DEFINE,
	TI_ELSE,
	TI_END,
	TI_IF,
	TI_NIL,
	TI_RANGE,
	TI_TEMPLATE,
	TI_WITH,
};

struct titem {
	int typ;         /* enum titem_type */
	size_t pos;      /* byte offset of the item in the input */
	const char *val; /* the item's text */
	size_t len;
	int line;        /* line (from 1) where the item starts */
};

struct tlexer {
	struct arena *arena;
	const char *in;
	size_t len;
	const char *ldelim, *rdelim;
	size_t ldlen, rdlen;
	bool emit_comment, break_ok, continue_ok;
	size_t pos, start;
	bool at_eof;      /* next() returned EOF once: backup() no longer moves (Go's atEOF) */
	bool inside;      /* between a left and a right delimiter */
	int paren_depth;
	int line, start_line;
	struct titem item;
};

/* Prepares l to scan in[0..len). NULL or "" delimiters are Go's "{{" and "}}". */
void tlex_init(struct tlexer *l, struct arena *a, const char *in, size_t len,
	       const char *ldelim, const char *rdelim);
/* The next item. After TI_EOF, EOF again; after an error, more errors (Go truncates the
 * input at an error). */
struct titem tlex_next(struct tlexer *l);

/* Go's item.String() as the parser's messages print a token: EOF, an error's text,
 * <keyword>, or the value %q-quoted (cut to 10 runes and "..." when longer). */
void titem_describe(struct buf *out, const struct titem *it);

/* strconv.Unquote of s[0..n) ("..." with Go's escapes, `raw`, or a one-rune '...' for
 * tunquote_char). The result is NUL-terminated in the arena and may hold NUL bytes.
 * Returns false on Go's "invalid syntax". */
bool tunquote(struct arena *a, const char *s, size_t n, const char **out, size_t *outlen);
/* A character constant's value ('a', '\n', '\u00e9'...): strconv.UnquoteChar of the text
 * after the opening quote, then the closing quote. Returns 0, -1 for invalid syntax, -2
 * when something follows the character (Go's "malformed character constant"). */
int tunquote_char(const char *s, size_t n, uint32_t *rune);
/* strconv.Quote of s[0..n): "..." with Go's escapes for what unicode.IsPrint rejects. */
void tquote(struct buf *out, const char *s, size_t n);
/* unicode.IsPrint. */
bool tis_print(uint32_t r);

#endif
