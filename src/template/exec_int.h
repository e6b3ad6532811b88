/*
 * Between the evaluator (exec.c) and the builtins (builtins.c): the value as Go's reflect
 * sees it during evaluation, and the builtin table. Module-internal.
 *
 * A struct xv is a reflect.Value: v is what it holds and iface says whether its static
 * type is interface{} (an element of a []interface{} or map[string]interface{}, or what a
 * function declared to return interface{}). Go's messages depend on it ("can't evaluate
 * field x in type interface {}", "nil pointer evaluating interface {}.x", "got interface
 * {}"), and evaluation strips it where Go does (the end of each pipeline stage). A nil
 * interface is {TV_NIL, iface}; Go's invalid Value (a missing key) is {TV_INVALID, !iface}
 * (TV_NIL without iface means the same).
 */
#ifndef TIDE_TEMPLATE_EXEC_INT_H
#define TIDE_TEMPLATE_EXEC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "template/template_int.h"

struct xv {
	struct tv *v;
	bool iface;
};

/* Go's reflect.Value.IsValid() false: a missing key, an untyped nil. */
static inline bool xv_invalid(struct xv a)
{
	return !a.iface && (!a.v || a.v->kind == TV_INVALID || a.v->kind == TV_NIL);
}

/* indirectInterface: the value inside an interface (invalid for a nil one). */
static inline struct xv xv_strip(struct xv a)
{
	if (a.iface) {
		a.iface = false;
		if (a.v->kind == TV_NIL)
			a.v = &tv_invalid_value;
	}
	if (!a.v || a.v->kind == TV_NIL)
		a.v = &tv_invalid_value;
	return a;
}

/* Whether the elements of a list or map have static type interface{}: the default types
 * and named types (chartutil.Values) do; "[]string" or "map[string]string" do not. */
bool xv_elem_iface(const struct tv *container);

/* Go's %q of s[0..n) appended to out. */
void xv_quote(struct buf *out, const char *s, size_t n);

/*
 * Builtins: Go's parameter codes as in struct tfunc plus 'r' for reflect.Value (the
 * builtin sees the xv as evaluation left it). and/or are evaluated by exec.c (lazily);
 * call's callee name is the source text of its first argument.
 */
enum tbuiltin_id {
	TB_AND, TB_OR, TB_NOT, TB_LEN, TB_INDEX, TB_SLICE, TB_EQ, TB_NE, TB_LT, TB_LE, TB_GT,
	TB_GE, TB_PRINT, TB_PRINTF, TB_PRINTLN, TB_HTML, TB_JS, TB_URLQUERY, TB_CALL,
};

struct tbuiltin {
	const char *name;
	int id;
	const char *params;
};

const struct tbuiltin *tbuiltin_find(const char *name);

/* Calls builtin id (not and/or) with evaluated args; 0 with *out, or a negative code after
 * texec_fail() with Go's message (without "error calling NAME: "). */
int tbuiltin_call(struct texec *x, int id, const char *callee, struct xv *args, size_t nargs,
		  struct xv *out);

/* Go's truth of an argument (and, or, not). */
bool tbuiltin_truth(struct xv a);

/* Go's name of a parameter code's type ("string", "interface {}", ...). */
const char *tparam_type_name(char code);

#endif
