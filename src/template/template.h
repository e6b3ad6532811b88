/*
 * template: the Go text/template engine and its function library (sprig's, and Helm's
 * include/tpl/required/toYaml), which the helm engine renders charts with. It sits on util
 * and doc only, so it can be unit-tested and fuzzed alone, and it must never reach the
 * cluster or the network: a template is untrusted input, and its output, recursion depth,
 * memory and run time are capped.
 *
 * A template set (struct tset) is Go's *template.Template with its associated templates:
 * parse any number of named texts into it (each may `define` more), then execute one by
 * name with a data value. Output and error messages are Go's, byte for byte:
 *   template: NAME:LINE:COL: executing "NAME" at <.Values.x>: ...
 *
 * Functions come from tables (struct tfunc) registered on the set before parsing, as
 * Go's Funcs(); a later table overrides an earlier name (sprig's `slice` over the
 * builtin, Helm's `fromJson` over sprig's). Builtins (and, or, not, len, index, slice, eq,
 * ne, lt, le, gt, ge, print, printf, println, html, js, urlquery, call) are always there.
 *
 * Values are template/value.h's. Not thread-safe: a set belongs to one thread.
 */
#ifndef TIDE_TEMPLATE_TEMPLATE_H
#define TIDE_TEMPLATE_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "template/value.h"

struct arena;
struct buf;
struct tset;
struct texec;

/*
 * A function's implementation: args already converted to the declared parameter types
 * (see struct tfunc.params), results in x's arena. Returns 0 with *out set, or a negative
 * ERR_* after texec_fail(), which the engine reports as Go does:
 *   error calling NAME: MESSAGE
 */
typedef int (*tfunc_impl)(struct texec *x, struct tv *const *args, size_t nargs,
			  struct tv **out);

/*
 * Parameter and result types, one character per parameter, as Go's reflect would check
 * and convert them (with Go's "wrong type for value; expected string; got int"):
 *   a interface{}   s string    i int      I int64    f float64   b bool
 *   l []interface{} m map[string]interface{}           S []string
 * A '*' after the last code makes it variadic (`a*` is ...interface{}). result is one code
 * (the result's Go type, stamped on *out when the impl left out->type NULL), followed by
 * 'e' when the function may fail. The implementation always sees the real argument count.
 */
struct tfunc {
	const char *name;
	tfunc_impl impl;
	const char *params;
	const char *result;
};

struct tfunc_table {
	const struct tfunc *funcs;
	size_t len;
};

/* Go's Option("missingkey=..."). */
enum tmissing {
	TMISSING_DEFAULT, /* missingkey=default / invalid: "<no value>" */
	TMISSING_ZERO,    /* missingkey=zero: the map's zero value (for interface maps also "<no value>") */
	TMISSING_ERROR,   /* missingkey=error: "map has no entry for key" */
};

struct tlimits {
	size_t max_output;     /* bytes written by one execute, nested templates included; 0 = 64 MiB */
	size_t max_depth;      /* nested template/include calls; 0 = 1,000 (Helm's include limit is separate) */
	size_t max_memory;     /* arena bytes for one set's execution; 0 = 256 MiB */
	uint64_t max_time_ms;  /* wall time of one execute; 0 = 30 s */
	size_t max_range;      /* iterations of one range over an integer; 0 = 10,000,000 */
};

/* A new, empty set named name (Go's template.New(name)). Values and parse trees live in
 * arena a, which the caller owns and frees after tset_free(). limits may be NULL. */
struct tset *tset_new(struct arena *a, const char *name, const struct tlimits *limits);
void tset_free(struct tset *s);

/* Go's Funcs(): adds a table (kept by pointer; it must outlive the set). */
void tset_add_funcs(struct tset *s, const struct tfunc_table *table);
void tset_set_missing(struct tset *s, enum tmissing m);
/* Go's Delims(); NULL restores "{{" and "}}". */
void tset_set_delims(struct tset *s, const char *left, const char *right);
/* Opaque pointer handed to functions through texec_userdata() (Helm's render state). */
void tset_set_userdata(struct tset *s, void *userdata);

/*
 * Go's New(name).Parse(text) on the set: parses text as template name and adds its
 * `define`s. A define with an empty body does not replace an existing template of that
 * name; otherwise a later definition replaces an earlier one (Go's AddParseTree rules).
 * ERR_INVALID with Go's message ("template: NAME:LINE: unexpected ..."). text need not be
 * NUL-terminated.
 */
int tset_parse(struct tset *s, const char *name, const char *text, size_t len);

/* tset_parse over n texts in order, parsed on two threads when there are two CPUs and
 * enough text: the same trees and the same outcome as calling tset_parse on each in turn
 * (the first text that fails, in order, gives the error; its index in *failed). */
struct tset_source {
	const char *name, *text;
	size_t len;
};
int tset_parse_all(struct tset *s, const struct tset_source *src, size_t n, size_t *failed);

/* True when the set holds a template called name (defined or parsed). */
bool tset_has(const struct tset *s, const char *name);

/*
 * Executes template name with data (dot and $) and appends the output to out. ERR_INVALID
 * for Go's exec errors ("template: NAME:LINE:COL: executing \"NAME\" at <...>: ..."),
 * ERR_TOOBIG (output or memory cap), ERR_TIMEOUT (time cap), ERR_NOTFOUND ("template: no
 * template %q associated with template %q"). On error out holds what was written so far.
 */
int tset_execute(struct tset *s, const char *name, struct tv *data, struct buf *out);

/* ---- For function implementations ----------------------------------------------- */
struct arena *texec_arena(struct texec *x);
struct tset *texec_set(struct texec *x);
void *texec_userdata(struct texec *x);
/* Sets the message of the failing call (printf-style) and returns ERR_INVALID. */
int texec_fail(struct texec *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same with an explicit code (ERR_TOOBIG, ERR_TIMEOUT pass through unchanged). */
int texec_failc(struct texec *x, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Executes template name of the running set with data into out, as `template` does but
 * as a function (Helm's include). Depth, output and time caps are shared with the caller's
 * execution. Errors come back with Go's message for the nested template. */
int texec_include(struct texec *x, const char *name, struct tv *data, struct buf *out);
/* Parses text as a new template name in the running set and executes it with data (Helm's
 * tpl, which parses into a clone of the set: defines made by text are visible afterwards
 * only in text itself). */
int texec_tpl(struct texec *x, const char *name, const char *text, size_t len,
	      struct tv *data, struct buf *out);
/* Nesting depth of template/include/tpl calls so far (Helm caps include at 1,000). */
size_t texec_depth(const struct texec *x);

/* ---- Printing as Go's fmt does ---------------------------------------------------- */
/* fmt.Sprint(args...): spaces between operands when neither is a string. */
void tfmt_sprint(struct buf *out, struct tv *const *args, size_t nargs);
/* fmt.Sprintln: always spaces, and a newline. */
void tfmt_sprintln(struct buf *out, struct tv *const *args, size_t nargs);
/* fmt.Sprintf with Go's verbs, flags, width and precision, and its %!verb(type=value)
 * complaints for mismatches and missing or extra operands. */
void tfmt_sprintf(struct buf *out, const char *format, size_t flen, struct tv *const *args,
		  size_t nargs);
/* %v of one value (what `{{ . }}` prints: text/template prints "<no value>" for invalid). */
void tfmt_value(struct buf *out, const struct tv *v);
/* Go's strconv.IsPrint (unicode.IsPrint): letters, marks, numbers, punctuation, symbols
 * and the ASCII space. */
bool tfmt_is_print(uint32_t r);

/* ---- Function libraries ----------------------------------------------------------- */
/* sprig's functions as Helm registers them (without env and expandenv), in sprig's order
 * (template/sprig.c). */
void tset_add_sprig(struct tset *s);

#endif
