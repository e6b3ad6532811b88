/*
 * The evaluator of Go's text/template (exec.go): template sets and their association rules,
 * execution of every parse-tree node with Go's variables and scopes, field access on maps,
 * objects and nil, function calls through the registered tables with Go's argument
 * checking and conversion, range over lists, maps, integers and objects, break/continue,
 * nested template calls, and Helm's include and tpl on top. Error messages are Go's:
 *   template: PARSENAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE
 * with NODE the node Go's state was last "at" (exec.go's s.at), so every at() here sits
 * where Go has one.
 *
 * Values are struct xv (exec_int.h): a tv plus whether reflect would see it behind an
 * interface{}, which Go's messages and a few rules depend on.
 *
 * Untrusted templates: the output, the arena memory, the wall time, the iterations of a
 * range over an integer and the nesting of template calls are capped (struct tlimits), and
 * so is the C stack the recursive walk uses (measured from the frame address, so deep
 * nesting of parentheses or control structures fails with ERR_TOOBIG instead of crashing).
 */
#include "template/exec_int.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* parse.h quotes a comment opener inside a comment (TN_COMMENT): NEEDSWORK, drop this
 * once the header spells it otherwise. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "template/parse.h"
#pragma GCC diagnostic pop
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/strmap.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* The C stack the walk may use below the frame of tset_execute: the worker threads have
 * 8 MiB, and 1,000 nested includes use well under this. */
enum { STACK_BUDGET = 4 << 20 };
/* include and tpl may nest a little deeper than `template` calls, so that Helm's own
 * include limit (1,000 of one name) reports first with its message. */
enum { INCLUDE_EXTRA_DEPTH = 64 };
/* Steps between looks at the clock and the arena. */
enum { TICK_MASK = 1023 };

enum { WALK_BREAK = 1, WALK_CONTINUE = 2 };

struct tset {
	struct arena *a;
	const char *name;
	struct tlimits lim;
	const struct tfunc_table **tables;
	size_t ntables, captables;
	struct strmap funcs; /* name -> const struct tfunc *, built on demand */
	bool funcs_ok;
	enum tmissing missing;
	const char *ldelim, *rdelim;
	void *userdata;
	struct strmap tmpls; /* name -> struct ttree * */
	/* The values of literal nodes (numbers, strings), made once: scalars never change,
	 * so a loop does not allocate its constants again on every iteration. */
	struct lit { const struct tnode *node; struct tv *v; char kind; } *lits;
	size_t nlits, caplits;
};

struct xvar {
	const char *name;
	struct xv val;
};

struct xstate {
	struct tset *set;
	struct texec *x;
	struct arena *a;
	struct buf *out;
	struct xvar *vars;
	size_t nvars, capvars, base;
	const struct ttree *tree; /* the executing template's tree (for LINE:COL) */
	const char *tname;        /* Go's s.tmpl.Name() */
	const struct tnode *node; /* Go's s.node */
	struct buf msg;
	int code;
	size_t written, steps;
	int64_t deadline;
	size_t mem_base;
	char *stack_base;
	size_t depth;
};

static const struct xv XV_INVALID = { &tv_invalid_value, false };

/* ---- Small helpers ----------------------------------------------------------------- */

bool xv_elem_iface(const struct tv *c)
{
	if (!c->type)
		return true;
	size_t n = strlen(c->type);
	bool ends = n >= 12 && strcmp(c->type + n - 12, "interface {}") == 0;
	if (c->kind == TV_LIST)
		return strncmp(c->type, "[]", 2) != 0 || ends;
	if (c->kind == TV_MAP)
		return strncmp(c->type, "map[", 4) != 0 || ends;
	return false;
}

void xv_quote(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_addch(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': buf_adds(out, "\\\""); break;
		case '\\': buf_adds(out, "\\\\"); break;
		case '\n': buf_adds(out, "\\n"); break;
		case '\t': buf_adds(out, "\\t"); break;
		case '\r': buf_adds(out, "\\r"); break;
		case '\a': buf_adds(out, "\\a"); break;
		case '\b': buf_adds(out, "\\b"); break;
		case '\f': buf_adds(out, "\\f"); break;
		case '\v': buf_adds(out, "\\v"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				buf_adds(out, "\\x");
				buf_addch(out, hex[c >> 4]);
				buf_addch(out, hex[c & 15]);
			} else {
				buf_addch(out, (char)c);
			}
		}
	}
	buf_addch(out, '"');
}

static const char *node_str(struct xstate *S, const struct tnode *n)
{
	struct buf b = BUF_INIT;
	tnode_string(&b, n);
	char *s = arena_strndup(S->a, b.ptr, b.len);
	buf_release(&b);
	return s;
}

static const char *quoted(struct xstate *S, const char *s)
{
	struct buf b = BUF_INIT;
	xv_quote(&b, s, strlen(s));
	char *r = arena_strndup(S->a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static const char *value_str(struct xstate *S, const struct tv *v)
{
	struct buf b = BUF_INIT;
	tfmt_value(&b, v);
	char *r = arena_strndup(S->a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static const char *xv_type(struct xv a)
{
	return a.iface ? "interface {}" : tv_type_name(a.v);
}

static void at(struct xstate *S, const struct tnode *n)
{
	S->node = n;
}

/* Go's state.errorf: the message with the location and context of the current node. */
__attribute__((format(printf, 2, 3)))
static int errorf(struct xstate *S, const char *fmt, ...)
{
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	buf_reset(&S->msg);
	struct buf q = BUF_INIT;
	xv_quote(&q, S->tname, strlen(S->tname));
	if (!S->node || !S->tree) {
		buf_addf(&S->msg, "template: %s: %s", S->tname, m.ptr);
	} else {
		int line, col;
		ttree_position(S->tree, S->node->pos, &line, &col);
		struct buf ctx = BUF_INIT;
		tnode_string(&ctx, S->node);
		buf_addf(&S->msg, "template: %s:%d:%d: executing %s at <%s>: %s",
			 S->tree->parse_name ? S->tree->parse_name : S->tname, line, col, q.ptr,
			 ctx.ptr, m.ptr);
		buf_release(&ctx);
	}
	buf_release(&q);
	buf_release(&m);
	S->code = ERR_INVALID;
	return ERR_INVALID;
}

/* A failure reported as it is (caps), without Go's location. */
__attribute__((format(printf, 3, 4)))
static int fail_raw(struct xstate *S, int code, const char *fmt, ...)
{
	buf_reset(&S->msg);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&S->msg, fmt, ap);
	va_end(ap);
	S->code = code;
	return code;
}

static int tick(struct xstate *S)
{
	char *here = __builtin_frame_address(0);
	if (S->stack_base > here && (size_t)(S->stack_base - here) > STACK_BUDGET)
		return fail_raw(S, ERR_TOOBIG, "template: %s: nesting too deep for the stack limit",
				S->tname);
	if ((++S->steps & TICK_MASK) != 0)
		return 0;
	if (clock_mono_ms() > S->deadline)
		return fail_raw(S, ERR_TIMEOUT,
				"template: %s: execution exceeded the time limit of %llu ms", S->tname,
				(unsigned long long)S->set->lim.max_time_ms);
	if (arena_used(S->a) - S->mem_base > S->set->lim.max_memory)
		return fail_raw(S, ERR_TOOBIG, "template: %s: execution exceeded the memory limit of %zu bytes",
				S->tname, S->set->lim.max_memory);
	return 0;
}

static int write_out(struct xstate *S, const char *p, size_t n)
{
	if (n > S->set->lim.max_output || S->written + n > S->set->lim.max_output)
		return fail_raw(S, ERR_TOOBIG, "template: %s: output exceeds the limit of %zu bytes",
				S->tname, S->set->lim.max_output);
	S->written += n;
	buf_add(S->out, p, n);
	if (S->out->err)
		return fail_raw(S, ERR_TOOBIG, "template: %s: output exceeds the buffer's limit",
				S->tname);
	return 0;
}

/* ---- Variables ------------------------------------------------------------------------ */

static void push_var(struct xstate *S, const char *name, struct xv v)
{
	if (S->nvars == S->capvars)
		S->vars = xgrow(S->vars, &S->capvars, S->nvars + 1, sizeof(*S->vars));
	S->vars[S->nvars++] = (struct xvar){ name, v };
}

static int set_var(struct xstate *S, const char *name, struct xv v)
{
	for (size_t i = S->nvars; i-- > S->base;)
		if (strcmp(S->vars[i].name, name) == 0) {
			S->vars[i].val = v;
			return 0;
		}
	return errorf(S, "undefined variable: %s", name);
}

static int var_value(struct xstate *S, const char *name, struct xv *out)
{
	for (size_t i = S->nvars; i-- > S->base;)
		if (strcmp(S->vars[i].name, name) == 0) {
			*out = S->vars[i].val;
			return 0;
		}
	return errorf(S, "undefined variable: %s", name);
}

/* ---- Functions ----------------------------------------------------------------------- */

static void build_funcs(struct tset *s)
{
	strmap_clear(&s->funcs);
	for (size_t t = 0; t < s->ntables; t++)
		for (size_t i = 0; i < s->tables[t]->len; i++) {
			const struct tfunc *f = &s->tables[t]->funcs[i];
			strmap_put(&s->funcs, f->name, (void *)f);
		}
	s->funcs_ok = true;
}

static const struct tfunc *find_user(struct tset *s, const char *name)
{
	if (!s->funcs_ok)
		build_funcs(s);
	return strmap_get(&s->funcs, name);
}

static bool has_func(void *ud, const char *name)
{
	return find_user(ud, name) || tbuiltin_find(name);
}

const char *tparam_type_name(char code)
{
	switch (code) {
	case 's': return "string";
	case 'i': return "int";
	case 'I': return "int64";
	case 'f': return "float64";
	case 'b': return "bool";
	case 'l': return "[]interface {}";
	case 'm': return "map[string]interface {}";
	case 'S': return "[]string";
	case 'r': return "reflect.Value";
	default: return "interface {}";
	}
}

struct sig {
	const char *codes;
	size_t n;      /* parameters (the variadic one counts once) */
	bool variadic;
};

static struct sig parse_sig(const char *p)
{
	struct sig g = { p ? p : "", 0, false };
	for (const char *c = g.codes; *c; c++) {
		if (*c == '*')
			g.variadic = true;
		else
			g.n++;
	}
	return g;
}

/* The code of parameter i (the variadic element for i past the fixed ones). */
static char sig_code(const struct sig *g, size_t i)
{
	if (g->n == 0)
		return 'a';
	if (i >= g->n)
		i = g->n - 1;
	return g->codes[i];
}

static bool assignable(const struct tv *v, char code)
{
	const char *t = v->type;
	switch (code) {
	case 'a':
	case 'r': return true;
	case 's': return v->kind == TV_STRING && (!t || strcmp(t, "string") == 0);
	case 'i': return v->kind == TV_INT && (!t || strcmp(t, "int") == 0);
	case 'I': return v->kind == TV_INT && t && strcmp(t, "int64") == 0;
	case 'f': return v->kind == TV_FLOAT && (!t || strcmp(t, "float64") == 0);
	case 'b': return v->kind == TV_BOOL && (!t || strcmp(t, "bool") == 0);
	case 'l':
		return v->kind == TV_LIST &&
		       (!t || strcmp(t, "[]interface {}") == 0 || strncmp(t, "[]", 2) != 0);
	case 'm':
		return v->kind == TV_MAP &&
		       (!t || strcmp(t, "map[string]interface {}") == 0 || strncmp(t, "map[", 4) != 0);
	case 'S': return v->kind == TV_LIST && t && strcmp(t, "[]string") == 0;
	}
	return false;
}

static bool can_be_nil(char code)
{
	return code == 'a' || code == 'r' || code == 'l' || code == 'm' || code == 'S';
}

static struct xv zero_of(struct xstate *S, char code)
{
	struct tv *v;
	switch (code) {
	case 'l': return (struct xv){ tv_list(S->a, 0), false };
	case 'S':
		v = tv_list(S->a, 0);
		v->type = "[]string";
		return (struct xv){ v, false };
	case 'm': return (struct xv){ tv_map_new(S->a), false };
	case 'r': return XV_INVALID;
	default: return (struct xv){ &tv_nil_value, false };
	}
}

/* Go's validateType for a parameter code. */
static int validate(struct xstate *S, struct xv v, char code, struct xv *out)
{
	if (code == 'r') {
		*out = xv_invalid(v) ? XV_INVALID : v;
		return 0;
	}
	if (xv_invalid(v)) {
		if (can_be_nil(code)) {
			*out = zero_of(S, code);
			return 0;
		}
		return errorf(S, "invalid value; expected %s", tparam_type_name(code));
	}
	if (code == 'a') {
		*out = (struct xv){ v.v, false };
		return 0;
	}
	if (v.iface) {
		if (v.v->kind == TV_NIL)
			return errorf(S, "wrong type for value; expected %s; got interface {}",
				      tparam_type_name(code));
		v.iface = false;
	}
	if (!assignable(v.v, code))
		return errorf(S, "wrong type for value; expected %s; got %s", tparam_type_name(code),
			      tv_type_name(v.v));
	*out = v;
	return 0;
}

/* ---- Evaluation ---------------------------------------------------------------------- */

static int walk(struct xstate *S, struct xv dot, const struct tnode *n);
static int eval_pipeline(struct xstate *S, struct xv dot, const struct tnode *pipe,
			 struct xv *out);
static int eval_arg(struct xstate *S, struct xv dot, char code, const struct tnode *n,
		    struct xv *out);
static int eval_function(struct xstate *S, struct xv dot, const struct tnode *ident,
			 const struct tnode *cmd, const struct tnode_list *args,
			 const struct xv *final, struct xv *out);

static int not_a_function(struct xstate *S, const struct tnode_list *args, const struct xv *final)
{
	if ((args && args->len > 1) || final)
		return errorf(S, "can't give argument to non-function %s",
			      node_str(S, args->items[0]));
	return 0;
}

static bool is_hex_int(const char *s)
{
	return strlen(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && !strpbrk(s, "pP");
}

/*
 * complex128 constants ({{ 1i }}, {{ 1+2i }}): value.h has no complex kind, so they are
 * objects of type complex128 that print as Go prints them, "(0+1i)".
 */
struct xcomplex {
	double re, im;
};

static void complex_format(struct buf *out, const struct tv *self)
{
	const struct xcomplex *c = self->u.obj.data;
	struct tv re = { .kind = TV_FLOAT, .u.f = c->re }, im = { .kind = TV_FLOAT, .u.f = c->im };
	buf_addch(out, '(');
	tfmt_value(out, &re);
	if (!signbit(c->im) || isnan(c->im))
		buf_addch(out, '+');
	tfmt_value(out, &im);
	buf_adds(out, "i)");
}

static const struct tv_object_type complex_type = { "complex128", NULL, NULL, complex_format };

/* strconv.ParseComplex of a literal the lexer accepted: "2.5i", "1+2i", "1e3-4i". */
static struct tv *complex_value(struct xstate *S, const char *text)
{
	struct xcomplex *c = arena_alloc(S->a, sizeof(*c));
	size_t n = strlen(text);
	char *t = arena_alloc(S->a, n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (text[i] != '_')
			t[k++] = text[i];
	t[k] = 0;
	if (k && t[k - 1] == 'i')
		t[--k] = 0;
	size_t split = 0;
	for (size_t i = 1; i < k; i++)
		if ((t[i] == '+' || t[i] == '-') && !strchr("eEpP", t[i - 1]))
			split = i;
	if (split) {
		char sign = t[split];
		t[split] = 0;
		c->re = strtod(t, NULL);
		t[split] = sign;
		c->im = strtod(t + split, NULL);
	} else {
		c->im = strtod(t, NULL);
	}
	return tv_object(S->a, &complex_type, c);
}

static size_t lit_slot(const struct tset *s, const struct tnode *n, char kind)
{
	size_t h = ((uintptr_t)n >> 3) * 0x9e3779b97f4a7c15ull + (unsigned char)kind;
	size_t mask = s->caplits - 1;
	for (size_t i = (h >> 16) & mask;; i = (i + 1) & mask)
		if (!s->lits[i].node || (s->lits[i].node == n && s->lits[i].kind == kind))
			return i;
}

static struct tv *lit_get(const struct tset *s, const struct tnode *n, char kind)
{
	if (!s->caplits)
		return NULL;
	struct lit *l = &s->lits[lit_slot(s, n, kind)];
	return l->node ? l->v : NULL;
}

static struct tv *lit_put(struct tset *s, const struct tnode *n, char kind, struct tv *v)
{
	if ((s->nlits + 1) * 2 > s->caplits) {
		struct lit *old = s->lits;
		size_t oldcap = s->caplits;
		s->caplits = oldcap ? oldcap * 2 : 64;
		s->lits = xcalloc(s->caplits, sizeof(*s->lits));
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].node)
				s->lits[lit_slot(s, old[i].node, old[i].kind)] = old[i];
		free(old);
	}
	struct lit *l = &s->lits[lit_slot(s, n, kind)];
	if (!l->node) {
		*l = (struct lit){ n, v, kind };
		s->nlits++;
	}
	return v;
}

/* The value of a literal node as code wants it ('f' float, 'i' int, 'I' int64, 's'). */
static struct tv *literal(struct xstate *S, const struct tnode *n, char kind)
{
	struct tv *v = lit_get(S->set, n, kind);
	if (v)
		return v;
	switch (kind) {
	case 'f': v = tv_float(S->a, n->u.number->f); break;
	case 'i': v = tv_int(S->a, n->u.number->i); break;
	case 'I': v = tv_int_typed(S->a, n->u.number->i, "int64"); break;
	default: v = tv_str_borrow(S->a, n->u.str.text, n->u.str.len); break;
	}
	return lit_put(S->set, n, kind, v);
}

static int ideal_constant(struct xstate *S, const struct tnode *c, struct xv *out)
{
	at(S, c);
	const char *text = c->u.number->text ? c->u.number->text : "";
	if (c->u.number->is_complex) {
		*out = (struct xv){ complex_value(S, text), false };
		return 0;
	}
	if (c->u.number->is_float && !is_hex_int(text) && text[0] != '\'' && strpbrk(text, ".eEpP")) {
		*out = (struct xv){ literal(S, c, 'f'), false };
		return 0;
	}
	if (c->u.number->is_int) {
		*out = (struct xv){ literal(S, c, 'i'), false };
		return 0;
	}
	if (c->u.number->is_uint)
		return errorf(S, "%s overflows int", text);
	*out = XV_INVALID;
	return 0;
}

static struct xv str_value(struct xstate *S, const struct tnode *n)
{
	return (struct xv){ literal(S, n, 's'), false };
}

/* An error from a function or method: Go's "error calling NAME: MSG", caps as they are. */
static int call_error(struct xstate *S, const struct tnode *node, const char *name, int rc,
		      bool method)
{
	struct texec *x = S->x;
	const char *msg = x->code ? x->message.ptr : err_msg();
	if (rc == ERR_TOOBIG || rc == ERR_TIMEOUT)
		return fail_raw(S, rc, "%s", msg);
	at(S, node);
	if (method && (strncmp(msg, "wrong number of args for ", 25) == 0 ||
		       strncmp(msg, "wrong type for value; ", 22) == 0 ||
		       strncmp(msg, "can't evaluate field ", 21) == 0 ||
		       strncmp(msg, "nil pointer evaluating ", 23) == 0))
		return errorf(S, "%s", msg);
	return errorf(S, "error calling %s: %s", name, msg);
}

static struct xv user_result(struct xstate *S, const struct tfunc *f, struct tv *res)
{
	char rcode = f->result && f->result[0] ? f->result[0] : 'a';
	if (!res)
		res = rcode == 'a' ? &tv_nil_value : &tv_invalid_value;
	if (!res->type && (rcode == 'I' || rcode == 'S')) {
		if ((rcode == 'I' && res->kind == TV_INT) || (rcode == 'S' && res->kind == TV_LIST)) {
			struct tv *c = tv_new(S->a, res->kind);
			*c = *res;
			c->type = rcode == 'I' ? "int64" : "[]string";
			res = c;
		}
	}
	if (rcode == 'a') {
		if (res->kind == TV_INVALID)
			res = &tv_nil_value;
		return (struct xv){ res, true };
	}
	return (struct xv){ res, false };
}

/* Called after each function or method: one call may allocate a lot (string doubling). */
static int check_memory(struct xstate *S)
{
	if (arena_used(S->a) - S->mem_base > S->set->lim.max_memory)
		return fail_raw(S, ERR_TOOBIG, "template: %s: execution exceeded the memory limit of %zu bytes",
				S->tname, S->set->lim.max_memory);
	return 0;
}

static int call_user(struct xstate *S, const struct tfunc *f, const struct tnode *node,
		     const char *name, struct xv *argv, size_t n, struct xv *out)
{
	struct texec *x = S->x;
	struct tv **args = arena_alloc8(S->a, (n ? n : 1) * sizeof(*args));
	for (size_t i = 0; i < n; i++)
		args[i] = argv[i].v;
	x->code = 0;
	buf_reset(&x->message);
	struct tv *res = NULL;
	int rc = f->impl(x, args, n, &res);
	if (rc < 0)
		return call_error(S, node, name, rc, false);
	*out = user_result(S, f, res);
	return check_memory(S);
}

/*
 * Go's evalCall: argument count, then the arguments evaluated against the parameter
 * types, the final (piped) value last; and/or evaluate lazily.
 */
static int eval_call(struct xstate *S, struct xv dot, const struct tfunc *uf,
		     const struct tbuiltin *bf, const struct tnode *node, const char *name,
		     const struct tnode_list *args, const struct xv *final, struct xv *out)
{
	struct tnode *const *items = args && args->len ? args->items + 1 : NULL;
	size_t nargs = args && args->len ? args->len - 1 : 0;
	struct sig g = parse_sig(uf ? uf->params : bf->params);
	size_t num_in = nargs + (final ? 1 : 0);
	size_t num_fixed = nargs;
	int rc;
	if (g.variadic) {
		num_fixed = g.n - 1;
		if (num_in < num_fixed)
			return errorf(S, "wrong number of args for %s: want at least %zu got %zu", name,
				      g.n - 1, nargs);
	} else if (num_in != g.n) {
		return errorf(S, "wrong number of args for %s: want %zu got %zu", name, g.n, num_in);
	}
	if (bf && (bf->id == TB_AND || bf->id == TB_OR)) {
		struct xv v = XV_INVALID;
		for (size_t i = 0; i < nargs; i++) {
			if ((rc = eval_arg(S, dot, 'r', items[i], &v)))
				return rc;
			if (tbuiltin_truth(v) == (bf->id == TB_OR)) {
				*out = v;
				return 0;
			}
		}
		if (final && (rc = validate(S, *final, 'r', &v)))
			return rc;
		*out = v;
		return 0;
	}
	struct xv small[8];
	struct xv *argv = num_in <= 8 ? small : arena_alloc8(S->a, num_in * sizeof(*argv));
	size_t i = 0;
	for (; i < num_fixed && i < nargs; i++)
		if ((rc = eval_arg(S, dot, sig_code(&g, i), items[i], &argv[i])))
			return rc;
	if (g.variadic)
		for (; i < nargs; i++)
			if ((rc = eval_arg(S, dot, sig_code(&g, g.n - 1), items[i], &argv[i])))
				return rc;
	if (final) {
		char code = g.variadic && num_in - 1 >= num_fixed ? sig_code(&g, g.n - 1)
								  : sig_code(&g, num_in - 1);
		if ((rc = validate(S, *final, code, &argv[i])))
			return rc;
	}
	if (uf)
		return call_user(S, uf, node, name, argv, num_in, out);
	const char *callee = "";
	if (bf->id == TB_CALL)
		callee = nargs ? node_str(S, items[0]) : "<func Value>";
	S->x->code = 0;
	buf_reset(&S->x->message);
	rc = tbuiltin_call(S->x, bf->id, callee, argv, num_in, out);
	if (rc < 0)
		return call_error(S, node, name, rc, false);
	return check_memory(S);
}

static int eval_function(struct xstate *S, struct xv dot, const struct tnode *ident,
			 const struct tnode *cmd, const struct tnode_list *args,
			 const struct xv *final, struct xv *out)
{
	at(S, ident);
	const char *name = ident->u.ident;
	const struct tfunc *uf = find_user(S->set, name);
	const struct tbuiltin *bf = uf ? NULL : tbuiltin_find(name);
	if (!uf && !bf)
		return errorf(S, "%s is not a defined function", quoted(S, name));
	return eval_call(S, dot, uf, bf, cmd, name, args, final, out);
}

/* A method or field of an object (ops->member), its arguments as interface{}. */
static int eval_member(struct xstate *S, struct xv dot, struct tv *self, const char *name,
		       const struct tnode *node, const struct tnode_list *args,
		       const struct xv *final, const char *typ, struct xv *out)
{
	struct tnode *const *items = args && args->len > 1 ? args->items + 1 : NULL;
	size_t nargs = args && args->len > 1 ? args->len - 1 : 0;
	size_t n = nargs + (final ? 1 : 0);
	struct tv **argv = arena_alloc8(S->a, (n ? n : 1) * sizeof(*argv));
	int rc;
	for (size_t i = 0; i < nargs; i++) {
		struct xv v;
		if ((rc = eval_arg(S, dot, 'a', items[i], &v)))
			return rc;
		argv[i] = v.v;
	}
	if (final) {
		struct xv v;
		if ((rc = validate(S, *final, 'a', &v)))
			return rc;
		argv[nargs] = v.v;
	}
	struct texec *x = S->x;
	x->code = 0;
	buf_reset(&x->message);
	struct tv *res = NULL;
	rc = self->u.obj.ops->member(x, self, name, argv, n, n > 0, &res);
	if (rc < 0)
		return call_error(S, node, name, rc, true);
	int found = rc;
	if ((rc = check_memory(S)))
		return rc;
	if (found == 0) {
		at(S, node);
		return errorf(S, "can't evaluate field %s in type %s", name, typ);
	}
	if (!res || res->kind == TV_NIL)
		res = &tv_invalid_value;
	*out = (struct xv){ res, false };
	return 0;
}

/* Go's evalField: .name on receiver, with args when it is the last of a chain. */
static int eval_field(struct xstate *S, struct xv dot, const char *name,
		      const struct tnode *node, const struct tnode_list *args,
		      const struct xv *final, struct xv recv, struct xv *out)
{
	if (xv_invalid(recv)) {
		if (S->set->missing == TMISSING_ERROR)
			return errorf(S, "nil data; no entry for key %s", quoted(S, name));
		*out = XV_INVALID;
		return 0;
	}
	const char *typ = xv_type(recv);
	if (recv.iface && recv.v->kind == TV_NIL)
		return errorf(S, "nil pointer evaluating %s.%s", typ, name);
	struct tv *v = recv.v;
	if (v->kind == TV_OBJECT && v->u.obj.ops->member)
		return eval_member(S, dot, v, name, node, args, final, typ, out);
	bool has_args = (args && args->len > 1) || final;
	if (v->kind == TV_MAP) {
		if (has_args)
			return errorf(S, "%s is not a method but has arguments", name);
		struct tv *r = tv_map_get(v, name);
		bool ei = xv_elem_iface(v);
		if (!r) {
			switch (S->set->missing) {
			case TMISSING_DEFAULT: *out = XV_INVALID; return 0;
			case TMISSING_ZERO:
				if (!ei && v->type && strcmp(v->type, "map[string]string") == 0)
					*out = (struct xv){ tv_str(S->a, ""), false };
				else
					*out = (struct xv){ &tv_nil_value, true };
				return 0;
			case TMISSING_ERROR:
				return errorf(S, "map has no entry for key %s", quoted(S, name));
			}
		}
		*out = (struct xv){ r, ei };
		if (!ei && r->kind == TV_NIL)
			*out = XV_INVALID;
		return 0;
	}
	return errorf(S, "can't evaluate field %s in type %s", name, typ);
}

static int eval_field_chain(struct xstate *S, struct xv dot, struct xv recv,
			    const struct tnode *node, const char *const *ident, size_t n,
			    const struct tnode_list *args, const struct xv *final, struct xv *out)
{
	int rc;
	for (size_t i = 0; i + 1 < n; i++)
		if ((rc = eval_field(S, dot, ident[i], node, NULL, NULL, recv, &recv)))
			return rc;
	return eval_field(S, dot, ident[n - 1], node, args, final, recv, out);
}

static int eval_field_node(struct xstate *S, struct xv dot, const struct tnode *field,
			   const struct tnode_list *args, const struct xv *final, struct xv *out)
{
	at(S, field);
	return eval_field_chain(S, dot, dot, field, field->u.field.items, field->u.field.len, args,
				final, out);
}

static int eval_chain_node(struct xstate *S, struct xv dot, const struct tnode *chain,
			   const struct tnode_list *args, const struct xv *final, struct xv *out)
{
	at(S, chain);
	if (chain->u.chain.field.len == 0)
		return errorf(S, "internal error: no fields in evalChainNode");
	if (chain->u.chain.node->type == TN_NIL)
		return errorf(S, "indirection through explicit nil in %s", node_str(S, chain));
	struct xv pipe;
	int rc = eval_arg(S, dot, 0, chain->u.chain.node, &pipe);
	if (rc)
		return rc;
	return eval_field_chain(S, dot, pipe, chain, chain->u.chain.field.items,
				chain->u.chain.field.len, args, final, out);
}

static int eval_variable_node(struct xstate *S, struct xv dot, const struct tnode *var,
			      const struct tnode_list *args, const struct xv *final,
			      struct xv *out)
{
	at(S, var);
	struct xv value;
	int rc = var_value(S, var->u.var.items[0], &value);
	if (rc)
		return rc;
	if (var->u.var.len == 1) {
		if ((rc = not_a_function(S, args, final)))
			return rc;
		*out = value;
		return 0;
	}
	return eval_field_chain(S, dot, value, var, var->u.var.items + 1, var->u.var.len - 1, args,
				final, out);
}

static int eval_empty_interface(struct xstate *S, struct xv dot, const struct tnode *n,
				struct xv *out)
{
	at(S, n);
	switch ((enum tnode_type)n->type) {
	case TN_BOOL: *out = (struct xv){ tv_bool(n->u.b), false }; return 0;
	case TN_DOT: *out = dot; return 0;
	case TN_FIELD: return eval_field_node(S, dot, n, NULL, NULL, out);
	case TN_IDENTIFIER: return eval_function(S, dot, n, n, NULL, NULL, out);
	case TN_NUMBER: return ideal_constant(S, n, out);
	case TN_STRING: *out = str_value(S, n); return 0;
	case TN_VARIABLE: return eval_variable_node(S, dot, n, NULL, NULL, out);
	case TN_PIPE: return eval_pipeline(S, dot, n, out);
	default: break;
	}
	return errorf(S, "can't handle assignment of %s to empty interface argument",
		      node_str(S, n));
}

/* Go's evalArg; code 0 is Go's nil type (the operand of a chain). */
static int eval_arg(struct xstate *S, struct xv dot, char code, const struct tnode *n,
		    struct xv *out)
{
	at(S, n);
	struct xv v;
	int rc;
	struct tnode_list self = { (struct tnode **)&n, 1 };
	switch ((enum tnode_type)n->type) {
	case TN_DOT:
		v = dot;
		goto check;
	case TN_NIL:
		if (code && can_be_nil(code)) {
			*out = zero_of(S, code);
			return 0;
		}
		return errorf(S, "cannot assign nil to %s", tparam_type_name(code));
	case TN_FIELD:
		if ((rc = eval_field_node(S, dot, n, &self, NULL, &v)))
			return rc;
		goto check;
	case TN_VARIABLE:
		if ((rc = eval_variable_node(S, dot, n, NULL, NULL, &v)))
			return rc;
		goto check;
	case TN_PIPE:
		if ((rc = eval_pipeline(S, dot, n, &v)))
			return rc;
		goto check;
	case TN_IDENTIFIER:
		if ((rc = eval_function(S, dot, n, n, NULL, NULL, &v)))
			return rc;
		goto check;
	case TN_CHAIN:
		if ((rc = eval_chain_node(S, dot, n, NULL, NULL, &v)))
			return rc;
		goto check;
	default:
		break;
	}
	switch (code) {
	case 'b':
		at(S, n);
		if (n->type == TN_BOOL) {
			*out = (struct xv){ tv_bool(n->u.b), false };
			return 0;
		}
		return errorf(S, "expected bool; found %s", node_str(S, n));
	case 'f':
		at(S, n);
		if (n->type == TN_NUMBER && n->u.number->is_float) {
			*out = (struct xv){ literal(S, n, 'f'), false };
			return 0;
		}
		return errorf(S, "expected float; found %s", node_str(S, n));
	case 'i':
	case 'I':
		at(S, n);
		if (n->type == TN_NUMBER && n->u.number->is_int) {
			*out = (struct xv){ literal(S, n, code), false };
			return 0;
		}
		return errorf(S, "expected integer; found %s", node_str(S, n));
	case 's':
		at(S, n);
		if (n->type == TN_STRING) {
			*out = str_value(S, n);
			return 0;
		}
		return errorf(S, "expected string; found %s", node_str(S, n));
	case 'a':
	case 'r':
	case 0:
		if ((rc = eval_empty_interface(S, dot, n, &v)))
			return rc;
		*out = v;
		return 0;
	default:
		return errorf(S, "can't handle %s for arg of type %s", node_str(S, n),
			      tparam_type_name(code));
	}
check:
	if (code == 0) {
		*out = xv_invalid(v) ? XV_INVALID : v;
		return 0;
	}
	return validate(S, v, code, out);
}

static int eval_command(struct xstate *S, struct xv dot, const struct tnode *cmd,
			const struct xv *final, struct xv *out)
{
	int rc = tick(S);
	if (rc)
		return rc;
	const struct tnode_list *args = &cmd->u.cmd.args;
	const struct tnode *first = args->items[0];
	switch ((enum tnode_type)first->type) {
	case TN_FIELD: return eval_field_node(S, dot, first, args, final, out);
	case TN_CHAIN: return eval_chain_node(S, dot, first, args, final, out);
	case TN_IDENTIFIER: return eval_function(S, dot, first, cmd, args, final, out);
	case TN_PIPE:
		if ((rc = not_a_function(S, args, final)))
			return rc;
		return eval_pipeline(S, dot, first, out);
	case TN_VARIABLE: return eval_variable_node(S, dot, first, args, final, out);
	default: break;
	}
	at(S, first);
	if ((rc = not_a_function(S, args, final)))
		return rc;
	switch ((enum tnode_type)first->type) {
	case TN_BOOL: *out = (struct xv){ tv_bool(first->u.b), false }; return 0;
	case TN_DOT: *out = dot; return 0;
	case TN_NIL: return errorf(S, "nil is not a command");
	case TN_NUMBER: return ideal_constant(S, first, out);
	case TN_STRING: *out = str_value(S, first); return 0;
	default: break;
	}
	return errorf(S, "can't evaluate command %s", quoted(S, node_str(S, first)));
}

static int eval_pipeline(struct xstate *S, struct xv dot, const struct tnode *pipe,
			 struct xv *out)
{
	if (!pipe) {
		*out = XV_INVALID;
		return 0;
	}
	int rc = tick(S);
	if (rc)
		return rc;
	at(S, pipe);
	struct xv value = XV_INVALID;
	bool have = false;
	for (size_t i = 0; i < pipe->u.pipe.cmds.len; i++) {
		struct xv next;
		if ((rc = eval_command(S, dot, pipe->u.pipe.cmds.items[i], have ? &value : NULL, &next)))
			return rc;
		value = xv_strip(next);
		have = true;
	}
	for (size_t i = 0; i < tpipe_ndecl(pipe); i++) {
		const char *name = tpipe_decl(pipe, i)->u.var.items[0];
		if (pipe->is_assign) {
			if ((rc = set_var(S, name, value)))
				return rc;
		} else {
			push_var(S, name, value);
		}
	}
	*out = value;
	return 0;
}

/* ---- Walking ------------------------------------------------------------------------- */

static int print_value(struct xstate *S, const struct tnode *n, struct xv v)
{
	at(S, n);
	v = xv_strip(v);
	if (v.v->kind == TV_INVALID)
		return write_out(S, "<no value>", 10);
	if (v.v->kind == TV_FUNC)
		return errorf(S, "can't print %s of type %s", node_str(S, n), tv_type_name(v.v));
	size_t before = S->out->len;
	tfmt_value(S->out, v.v);
	size_t len = S->out->len - before;
	if (S->out->err || len > S->set->lim.max_output || S->written + len > S->set->lim.max_output) {
		bool buf_full = S->out->err != 0;
		if (S->out->cap) {
			S->out->len = before;
			S->out->ptr[before] = 0;
		}
		if (buf_full)
			return fail_raw(S, ERR_TOOBIG, "template: %s: output exceeds the buffer's limit",
					S->tname);
		return fail_raw(S, ERR_TOOBIG, "template: %s: output exceeds the limit of %zu bytes",
				S->tname, S->set->lim.max_output);
	}
	S->written += len;
	return 0;
}

static int walk_if_with(struct xstate *S, bool with, struct xv dot, const struct tnode *n)
{
	size_t mark = S->nvars;
	struct xv val;
	int rc = eval_pipeline(S, dot, n->u.branch.pipe, &val);
	if (!rc) {
		if (tv_truth(xv_strip(val).v))
			rc = walk(S, with ? val : dot, n->u.branch.list);
		else if (n->u.branch.else_list)
			rc = walk(S, dot, n->u.branch.else_list);
	}
	S->nvars = mark;
	return rc;
}

/* One iteration of a range: the variables set as Go's oneIteration does. */
static int range_iter(struct xstate *S, const struct tnode *r, size_t mark, struct xv index,
		      struct xv elem)
{
	const struct tnode *pipe = r->u.branch.pipe;
	size_t nd = tpipe_ndecl(pipe);
	int rc;
	if (nd > 0) {
		if (pipe->is_assign) {
			const char *v0 = tpipe_decl(pipe, 0)->u.var.items[0];
			if ((rc = set_var(S, v0, nd > 1 ? index : elem)))
				return rc;
		} else {
			S->vars[S->nvars - 1].val = elem;
		}
	}
	if (nd > 1) {
		if (pipe->is_assign) {
			if ((rc = set_var(S, tpipe_decl(pipe, 1)->u.var.items[0], elem)))
				return rc;
		} else {
			S->vars[S->nvars - 2].val = index;
		}
	}
	rc = walk(S, elem, r->u.branch.list);
	S->nvars = mark;
	if (rc == WALK_CONTINUE)
		rc = 0;
	return rc;
}

static int walk_range(struct xstate *S, struct xv dot, const struct tnode *r)
{
	at(S, r);
	size_t mark0 = S->nvars;
	struct xv val;
	int rc = eval_pipeline(S, dot, r->u.branch.pipe, &val);
	if (rc)
		goto done;
	val = xv_strip(val);
	size_t mark = S->nvars;
	size_t nd = r->u.branch.pipe ? tpipe_ndecl(r->u.branch.pipe) : 0;
	struct tv *v = val.v;
	bool ran = false;
	for (int hops = 0; v->kind == TV_OBJECT && hops < 4; hops++) {
		struct tv *d = v->u.obj.ops->to_data ? v->u.obj.ops->to_data(S->x, v) : NULL;
		if (!d)
			break;
		v = d;
	}
	switch ((enum tv_kind)v->kind) {
	case TV_INT:
	case TV_UINT: {
		if (nd > 1) {
			rc = errorf(S, "can't use %s to iterate over more than one variable",
				    value_str(S, v));
			goto done;
		}
		uint64_t n = v->kind == TV_INT ? (v->u.i > 0 ? (uint64_t)v->u.i : 0) : v->u.u;
		if (n > S->set->lim.max_range) {
			rc = fail_raw(S, ERR_TOOBIG,
				      "template: %s: range over %llu exceeds the limit of %zu iterations",
				      S->tname, (unsigned long long)n, S->set->lim.max_range);
			goto done;
		}
		for (uint64_t i = 0; i < n; i++) {
			struct tv *e = v->kind == TV_INT ? tv_int_typed(S->a, (int64_t)i, v->type)
							  : tv_uint(S->a, i, v->type);
			ran = true;
			if ((rc = range_iter(S, r, mark, XV_INVALID, (struct xv){ e, false })))
				break;
		}
		break;
	}
	case TV_LIST: {
		bool ei = xv_elem_iface(v);
		for (size_t i = 0; i < v->u.list.len; i++) {
			ran = true;
			struct xv e = { v->u.list.items[i], ei };
			if (!ei && e.v->kind == TV_NIL)
				e = XV_INVALID;
			if ((rc = range_iter(S, r, mark, (struct xv){ tv_int(S->a, (int64_t)i), false }, e)))
				break;
		}
		break;
	}
	case TV_BYTES:
		for (size_t i = 0; i < v->u.s.len; i++) {
			ran = true;
			struct xv e = { tv_uint(S->a, (unsigned char)v->u.s.ptr[i], "uint8"), false };
			if ((rc = range_iter(S, r, mark, (struct xv){ tv_int(S->a, (int64_t)i), false }, e)))
				break;
		}
		break;
	case TV_MAP: {
		if (v->u.map.len == 0)
			break;
		bool ei = xv_elem_iface(v);
		size_t n = v->u.map.len;
		struct tv_pair **sorted = tv_map_sorted(S->a, v);
		for (size_t i = 0; i < n; i++) {
			ran = true;
			struct xv k = { tv_str_borrow(S->a, sorted[i]->key, sorted[i]->keylen), false };
			struct xv e = { sorted[i]->value, ei };
			if (!ei && e.v->kind == TV_NIL)
				e = XV_INVALID;
			if ((rc = range_iter(S, r, mark, k, e)))
				break;
		}
		break;
	}
	case TV_INVALID:
	case TV_NIL:
		break;
	default:
		rc = errorf(S, "range can't iterate over %s", value_str(S, v));
		goto done;
	}
	if (rc == WALK_BREAK)
		rc = 0;
	else if (!rc && !ran && r->u.branch.else_list)
		rc = walk(S, dot, r->u.branch.else_list);
done:
	S->nvars = mark0;
	return rc;
}

/* Runs tree with dot in a fresh variable frame ($ = dot), as Go's walkTemplate and
 * ExecuteTemplate do; output to out. */
static int run_tree(struct xstate *S, const struct ttree *tree, const char *tname,
		    struct xv dot, struct buf *out)
{
	const struct ttree *otree = S->tree;
	const char *oname = S->tname;
	struct buf *oout = S->out;
	size_t obase = S->base, onvars = S->nvars;
	S->tree = tree;
	S->tname = tname;
	S->out = out;
	S->base = S->nvars;
	push_var(S, "$", dot);
	S->depth++;
	S->x->depth = S->depth;
	int rc = walk(S, dot, tree->root);
	if (rc > 0)
		rc = 0; /* break/continue cannot leave a template (the parser refuses them) */
	S->depth--;
	S->x->depth = S->depth;
	S->nvars = onvars;
	S->base = obase;
	S->out = oout;
	S->tree = otree;
	S->tname = oname;
	return rc;
}

static int walk_template(struct xstate *S, struct xv dot, const struct tnode *t)
{
	at(S, t);
	const struct ttree *tree = strmap_get(&S->set->tmpls, t->u.tmpl.name);
	if (!tree)
		return errorf(S, "template %s not defined", quoted(S, t->u.tmpl.name));
	if (S->depth >= S->set->lim.max_depth)
		return errorf(S, "exceeded maximum template depth (%zu)", S->set->lim.max_depth);
	struct xv v;
	int rc = eval_pipeline(S, dot, t->u.tmpl.pipe, &v);
	if (rc)
		return rc;
	return run_tree(S, tree, tree->name, v, S->out);
}

static int walk(struct xstate *S, struct xv dot, const struct tnode *n)
{
	at(S, n);
	int rc = tick(S);
	if (rc)
		return rc;
	switch ((enum tnode_type)n->type) {
	case TN_ACTION: {
		struct xv v;
		if ((rc = eval_pipeline(S, dot, n->u.action.pipe, &v)))
			return rc;
		if (tpipe_ndecl(n->u.action.pipe) == 0)
			return print_value(S, n, v);
		return 0;
	}
	case TN_BREAK: return WALK_BREAK;
	case TN_CONTINUE: return WALK_CONTINUE;
	case TN_COMMENT: return 0;
	case TN_IF: return walk_if_with(S, false, dot, n);
	case TN_WITH: return walk_if_with(S, true, dot, n);
	case TN_LIST:
		for (size_t i = 0; i < n->u.list.len; i++)
			if ((rc = walk(S, dot, n->u.list.items[i])))
				return rc;
		return 0;
	case TN_RANGE: return walk_range(S, dot, n);
	case TN_TEMPLATE: return walk_template(S, dot, n);
	case TN_TEXT: return write_out(S, n->u.text.text, n->u.text.len);
	default: break;
	}
	return errorf(S, "unknown node: %s", node_str(S, n));
}

/* ---- Sets ---------------------------------------------------------------------------- */

struct tset *tset_new(struct arena *a, const char *name, const struct tlimits *limits)
{
	struct tset *s = xcalloc(1, sizeof(*s));
	s->a = a;
	s->name = arena_strdup(a, name ? name : "");
	if (limits)
		s->lim = *limits;
	if (!s->lim.max_output)
		s->lim.max_output = (size_t)64 << 20;
	if (!s->lim.max_depth)
		s->lim.max_depth = 1000;
	if (!s->lim.max_memory)
		s->lim.max_memory = (size_t)256 << 20;
	if (!s->lim.max_time_ms)
		s->lim.max_time_ms = 30000;
	if (!s->lim.max_range)
		s->lim.max_range = 10000000;
	return s;
}

void tset_free(struct tset *s)
{
	if (!s)
		return;
	strmap_clear(&s->funcs);
	strmap_clear(&s->tmpls);
	free(s->tables);
	free(s->lits);
	free(s);
}

void tset_add_funcs(struct tset *s, const struct tfunc_table *table)
{
	if (s->ntables == s->captables)
		s->tables = xgrow(s->tables, &s->captables, s->ntables + 1, sizeof(*s->tables));
	s->tables[s->ntables++] = table;
	s->funcs_ok = false;
}

void tset_set_missing(struct tset *s, enum tmissing m)
{
	s->missing = m;
}

void tset_set_delims(struct tset *s, const char *left, const char *right)
{
	s->ldelim = left && *left ? arena_strdup(s->a, left) : NULL;
	s->rdelim = right && *right ? arena_strdup(s->a, right) : NULL;
}

void tset_set_userdata(struct tset *s, void *userdata)
{
	s->userdata = userdata;
}

/* One entry of the undo log texec_tpl keeps. */
struct undo {
	const char *name;
	struct ttree *old;
};

/* Go's AddParseTree/associate: an empty tree does not replace an existing one. */
static void add_tree(struct tset *s, struct ttree *t, struct undo *u)
{
	struct ttree *old = strmap_get(&s->tmpls, t->name);
	if (u) {
		u->name = t->name;
		u->old = old;
	}
	if (old && tnode_is_empty_tree(t->root))
		return;
	strmap_put(&s->tmpls, t->name, t);
}

static int parse_into(struct tset *s, const char *name, const char *text, size_t len,
		      struct ttree ***trees, size_t *n)
{
	struct tparse_opts o = {
		.left_delim = s->ldelim,
		.right_delim = s->rdelim,
		.has_func = has_func,
		.ud = s,
	};
	return tparse(s->a, name, text, len, &o, trees, n);
}

int tset_parse(struct tset *s, const char *name, const char *text, size_t len)
{
	struct ttree **trees;
	size_t n;
	int rc = parse_into(s, name, text, len, &trees, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		add_tree(s, trees[i], NULL);
	return 0;
}

struct parse_job {
	const struct tset_source *src;
	struct ttree **trees;
	size_t n;
	int rc;
	const char *msg;
};

struct parse_pool {
	struct tset *s;
	struct parse_job *jobs;
	struct parse_job **order; /* biggest first, so the two threads finish together */
	size_t njobs;
	_Atomic size_t next;
	struct arena *worker_arena;
};

/* Takes jobs from the pool until none is left; everything allocated in a. */
static void run_parse_jobs(struct parse_pool *p, struct arena *a)
{
	struct tparse_opts o = {
		.left_delim = p->s->ldelim,
		.right_delim = p->s->rdelim,
		.has_func = has_func,
		.ud = p->s,
	};
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->njobs)
			break;
		struct parse_job *j = p->order[i];
		j->rc = tparse(a, j->src->name, j->src->text, j->src->len, &o, &j->trees, &j->n);
		if (j->rc)
			j->msg = arena_strdup(a, err_msg());
	}
}

static void *parse_worker(void *arg)
{
	struct parse_pool *p = arg;
	run_parse_jobs(p, p->worker_arena);
	return NULL;
}

static int bigger_job_first(const void *x, const void *y)
{
	const struct parse_job *a = *(struct parse_job *const *)x, *b = *(struct parse_job *const *)y;
	if (a->src->len != b->src->len)
		return a->src->len > b->src->len ? -1 : 1;
	return a < b ? -1 : a > b; /* the order they came in: a stable result */
}

int tset_parse_all(struct tset *s, const struct tset_source *src, size_t n, size_t *failed)
{
	*failed = 0;
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += src[i].len;
	struct parse_pool p = { .s = s, .njobs = n };
	p.jobs = xcalloc(n ? n : 1, sizeof(*p.jobs));
	p.order = xcalloc(n ? n : 1, sizeof(*p.order));
	for (size_t i = 0; i < n; i++) {
		p.jobs[i].src = &src[i];
		p.order[i] = &p.jobs[i];
	}
	if (n > 1)
		qsort(p.order, n, sizeof(*p.order), bigger_job_first);
	atomic_init(&p.next, 0);
	(void)find_user(s, ""); /* the function table is built lazily: build it before sharing */
	pthread_t th;
	bool threaded = n > 1 && total >= 64 * 1024 && sysconf(_SC_NPROCESSORS_ONLN) > 1;
	if (threaded) {
		p.worker_arena = arena_new();
		threaded = pthread_create(&th, NULL, parse_worker, &p) == 0;
		if (!threaded)
			arena_free(p.worker_arena), p.worker_arena = NULL;
	}
	run_parse_jobs(&p, s->a);
	if (threaded) {
		pthread_join(th, NULL);
		arena_adopt(s->a, p.worker_arena);
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (p.jobs[i].rc) {
			rc = err_set(p.jobs[i].rc, "%s", p.jobs[i].msg);
			*failed = i;
			break;
		}
		for (size_t t = 0; t < p.jobs[i].n; t++)
			add_tree(s, p.jobs[i].trees[t], NULL);
	}
	free(p.jobs);
	free(p.order);
	return rc;
}

bool tset_has(const struct tset *s, const char *name)
{
	return strmap_get(&s->tmpls, name) != NULL;
}

static struct xv data_value(struct tv *data)
{
	if (!data || data->kind == TV_NIL)
		return XV_INVALID;
	return (struct xv){ data, false };
}

int tset_execute(struct tset *s, const char *name, struct tv *data, struct buf *out)
{
	const struct ttree *tree = strmap_get(&s->tmpls, name);
	if (!tree) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		xv_quote(&a, name, strlen(name));
		xv_quote(&b, s->name, strlen(s->name));
		int rc = err_set(ERR_NOTFOUND, "template: no template %s associated with template %s",
				 a.ptr, b.ptr);
		buf_release(&a);
		buf_release(&b);
		return rc;
	}
	struct texec x;
	texec_init_standalone(&x, s->a, s->userdata);
	x.set = s;
	struct xstate S = {
		.set = s,
		.x = &x,
		.a = s->a,
		.out = out,
		.msg = BUF_INIT,
		.tname = tree->name,
		.tree = tree,
		.deadline = clock_mono_ms() + (int64_t)s->lim.max_time_ms,
		.mem_base = arena_used(s->a),
		.stack_base = __builtin_frame_address(0),
	};
	x.state = &S;
	x.max_value = s->lim.max_output;
	/* Go's Execute: the top-level state has depth 0 and $ = data. */
	S.depth = 0;
	push_var(&S, "$", data_value(data));
	int rc = walk(&S, data_value(data), tree->root);
	if (rc > 0)
		rc = 0;
	if (rc < 0)
		err_set(rc, "%s", S.msg.ptr);
	free(S.vars);
	buf_release(&S.msg);
	texec_release(&x);
	return rc;
}

/* ---- include and tpl ----------------------------------------------------------------- */

static int nested_fail(struct texec *x, int rc, const char *msg)
{
	texec_failc(x, rc, "%s", msg);
	return err_set(rc, "%s", msg);
}

int texec_include(struct texec *x, const char *name, struct tv *data, struct buf *out)
{
	struct xstate *S = x->state;
	if (!S)
		return nested_fail(x, ERR_INVALID, "include called outside a template execution");
	const struct ttree *tree = strmap_get(&S->set->tmpls, name);
	if (!tree) {
		struct buf a = BUF_INIT, b = BUF_INIT;
		xv_quote(&a, name, strlen(name));
		xv_quote(&b, S->set->name, strlen(S->set->name));
		buf_reset(&S->msg);
		buf_addf(&S->msg, "template: no template %s associated with template %s", a.ptr, b.ptr);
		buf_release(&a);
		buf_release(&b);
		return nested_fail(x, ERR_INVALID, S->msg.ptr);
	}
	if (S->depth >= S->set->lim.max_depth + INCLUDE_EXTRA_DEPTH) {
		fail_raw(S, ERR_TOOBIG, "template: %s: exceeded maximum template depth (%zu)",
			 tree->name, S->set->lim.max_depth + INCLUDE_EXTRA_DEPTH);
		return nested_fail(x, ERR_TOOBIG, S->msg.ptr);
	}
	const struct tnode *onode = S->node;
	S->code = 0;
	int rc = run_tree(S, tree, tree->name, data_value(data), out);
	S->node = onode;
	if (rc < 0) {
		S->code = 0;
		return nested_fail(x, rc, S->msg.ptr);
	}
	return 0;
}

int texec_tpl(struct texec *x, const char *name, const char *text, size_t len,
	      struct tv *data, struct buf *out)
{
	struct xstate *S = x->state;
	if (!S)
		return nested_fail(x, ERR_INVALID, "tpl called outside a template execution");
	if (S->depth >= S->set->lim.max_depth + INCLUDE_EXTRA_DEPTH) {
		fail_raw(S, ERR_TOOBIG, "template: %s: exceeded maximum template depth (%zu)", name,
			 S->set->lim.max_depth + INCLUDE_EXTRA_DEPTH);
		return nested_fail(x, ERR_TOOBIG, S->msg.ptr);
	}
	struct ttree **trees;
	size_t n;
	int rc = parse_into(S->set, name, text, len, &trees, &n);
	if (rc)
		return nested_fail(x, rc, err_msg());
	/* Helm parses into a clone of the set: the text's defines are seen by the text (and
	 * what it includes) only, so they are undone afterwards, in reverse order. */
	struct undo *log = xcalloc(n ? n : 1, sizeof(*log));
	for (size_t i = 0; i < n; i++)
		add_tree(S->set, trees[i], &log[i]);
	const struct tnode *onode = S->node;
	S->code = 0;
	rc = run_tree(S, trees[0], trees[0]->name, data_value(data), out);
	S->node = onode;
	for (size_t i = n; i-- > 0;) {
		if (log[i].old)
			strmap_put(&S->set->tmpls, log[i].name, log[i].old);
		else
			strmap_remove(&S->set->tmpls, log[i].name);
	}
	free(log);
	if (rc < 0) {
		S->code = 0;
		return nested_fail(x, rc, S->msg.ptr);
	}
	return 0;
}

size_t texec_depth(const struct texec *x)
{
	return x->depth;
}
