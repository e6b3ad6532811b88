/*
 * The text/template parser (parse.h): Go's recursive descent from text/template/parse
 * (parse.go and node.go, Go 1.23: break/continue, else with, range over integers), built
 * on the lexer in lex.c, with Go's three-token look-ahead per tree (an error's LINE is
 * the line of the token the failing tree read last, as Go's errorf takes it), variable
 * scopes, the function check through opts->has_func, and Go's messages word for word.
 *
 * Each template ({{define}} or {{block}} body) is parsed by its own tree state sharing the
 * lexer, as Go's nested Trees do; trees are kept in order of appearance with a hash index
 * by name (Go's treeSet). Errors unwind with longjmp to tparse(), as Go's parser panics:
 * everything allocated lives in the arena, so nothing leaks on the way out.
 *
 * Caps: parenthesized pipelines nest at most MAX_DEPTH deep (Go's maxStackDepth, "max
 * expression depth exceeded"); control structures too, counted with parentheses and
 * blocks in one depth so hostile input cannot exhaust the C stack (Go has no such cap:
 * its stacks grow); a pipeline has at most 100,000 commands (Go's maxPipelineCmds).
 */
/* parse.h quotes a comment delimiter inside a comment (TN_COMMENT's); NEEDSWORK: drop
 * this once the header spells it otherwise. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcomment"
#include "template/parse.h"
#pragma GCC diagnostic pop

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "template/lex.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_DEPTH 10000
#define MAX_PIPELINE_CMDS 100000

/* The end and else actions, which never enter a tree. */
enum { TN_END_ = 200, TN_ELSE_ = 201 };

/* A small hash from names (bytes, not NUL-terminated) to a count or an index. */
struct sent {
	const char *k;
	size_t n;
	size_t v;
};

struct shash {
	struct sent *e;
	size_t cap, len;
};

struct parser {
	struct arena *a;
	struct tlexer lex;
	const struct tparse_opts *opts;
	const char *parse_name;
	const char *text;
	size_t text_len;
	jmp_buf jmp;
	int code;
	const char *msg;
	struct ttree **trees; /* Go's treeSet, in order of appearance */
	size_t ntrees, treecap;
	struct shash names;   /* tree name -> index in trees */
	int depth;            /* nesting of controls, blocks and parentheses, all trees */
};

/* One Tree while it is parsed. */
struct tstate {
	struct parser *p;
	struct ttree *tree;
	struct titem token[3];
	int peek_count;
	const char **vars; /* declared variables in scope, innermost last */
	size_t *varlen;
	size_t nvars, varcap;
	struct shash varset; /* name -> how many times it is in vars */
	int range_depth;
	int stack_depth; /* parentheses, as Go counts them (per tree) */
	int action_line;
};

/* --- hash ------------------------------------------------------------------------- */

static uint64_t hash_bytes(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ull;
	return h;
}

/* The entry for k, added (with v = 0) when absent and add is set; NULL otherwise. */
static struct sent *sh_get(struct arena *a, struct shash *h, const char *k, size_t n, bool add)
{
	if (add && (h->len + 1) * 2 > h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 16;
		struct sent *ne = arena_alloc(a, ncap * sizeof(*ne));
		for (size_t i = 0; i < h->cap; i++) {
			if (!h->e[i].k)
				continue;
			size_t j = hash_bytes(h->e[i].k, h->e[i].n) & (ncap - 1);
			while (ne[j].k)
				j = (j + 1) & (ncap - 1);
			ne[j] = h->e[i];
		}
		h->e = ne;
		h->cap = ncap;
	}
	if (!h->cap)
		return NULL;
	size_t j = hash_bytes(k, n) & (h->cap - 1);
	while (h->e[j].k) {
		if (h->e[j].n == n && memcmp(h->e[j].k, k, n) == 0)
			return &h->e[j];
		j = (j + 1) & (h->cap - 1);
	}
	if (!add)
		return NULL;
	h->e[j].k = n ? k : "";
	h->e[j].n = n;
	h->e[j].v = 0;
	h->len++;
	return &h->e[j];
}

/* --- errors ----------------------------------------------------------------------- */

static _Noreturn void t_fail(struct tstate *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static _Noreturn void t_fail(struct tstate *t, int code, const char *fmt, ...)
{
	struct parser *p = t->p;
	struct buf b = BUF_INIT;
	buf_addf(&b, "template: %s:%d: ", p->parse_name, t->token[0].line);
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	p->msg = arena_strndup(p->a, b.ptr, b.len);
	p->code = code;
	buf_release(&b);
	longjmp(p->jmp, 1);
}

#define t_errorf(t, ...) t_fail((t), ERR_INVALID, __VA_ARGS__)

/* A %q of s[0..n), in the arena (for messages). */
__attribute__((noinline)) static const char *q(struct tstate *t, const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	tquote(&b, s, n);
	const char *r = arena_strndup(t->p->a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static const char *describe(struct tstate *t, const struct titem *it)
{
	struct buf b = BUF_INIT;
	titem_describe(&b, it);
	const char *r = arena_strndup(t->p->a, b.ptr, b.len);
	buf_release(&b);
	return r;
}

static _Noreturn __attribute__((noinline)) void unexpected(struct tstate *t, const struct titem *it, const char *context)
{
	if (it->typ == TI_ERROR) {
		if (t->action_line != 0 && t->action_line != it->line) {
			/* "unclosed action started at x:1", not "... action in action ..." */
			bool action = it->len >= 7 && memcmp(it->val + it->len - 7, " action", 7) == 0;
			t_errorf(t, "%.*s%s started at %s:%d", (int)it->len, it->val,
				 action ? "" : " in action", t->p->parse_name, t->action_line);
		}
		t_errorf(t, "%.*s", (int)it->len, it->val);
	}
	t_errorf(t, "unexpected %s in %s", describe(t, it), context);
}

/* --- tokens (Go's next, backup, peek with three tokens of look-ahead) ------------- */

/* The token functions hand out pointers into the look-ahead buffer, valid until the next
 * call that moves it: recursive frames stay small (no item copies on the C stack). */
static const struct titem *next(struct tstate *t)
{
	if (t->peek_count > 0)
		t->peek_count--;
	else
		t->token[0] = tlex_next(&t->p->lex);
	return &t->token[t->peek_count];
}

static void backup(struct tstate *t)
{
	t->peek_count++;
}

static void backup2(struct tstate *t, struct titem t1)
{
	t->token[1] = t1;
	t->peek_count = 2;
}

static void backup3(struct tstate *t, struct titem t2, struct titem t1)
{
	t->token[1] = t1;
	t->token[2] = t2;
	t->peek_count = 3;
}

static const struct titem *peek(struct tstate *t)
{
	if (t->peek_count > 0)
		return &t->token[t->peek_count - 1];
	t->peek_count = 1;
	t->token[0] = tlex_next(&t->p->lex);
	return &t->token[0];
}

static const struct titem *next_non_space(struct tstate *t)
{
	const struct titem *it;
	do
		it = next(t);
	while (it->typ == TI_SPACE);
	return it;
}

static const struct titem *peek_non_space(struct tstate *t)
{
	const struct titem *it = next_non_space(t);
	backup(t);
	return it;
}

static const struct titem *expect(struct tstate *t, int typ, const char *context)
{
	const struct titem *it = next_non_space(t);
	if (it->typ != typ)
		unexpected(t, it, context);
	return it;
}

/* --- nodes ------------------------------------------------------------------------ */

static struct tnode *new_node(struct tstate *t, int type, size_t pos)
{
	struct tnode *n = arena_alloc8(t->p->a, sizeof(*n));
	n->type = (uint8_t)type;
	n->pos = pos;
	return n;
}

/* Appends to an arena array whose capacity is implied by its length (1, 2, 4, 8 ...): most
 * lists of a template (a pipe's commands, a command's arguments) hold one or two. */
static void *grow_implied(struct arena *a, void *items, size_t len, size_t size)
{
	if (len != 0 && (len & (len - 1)) != 0)
		return items;
	size_t ncap = len ? len * 2 : 1;
	void *n = arena_alloc8(a, ncap * size);
	if (len)
		memcpy(n, items, len * size);
	return n;
}

static void list_add(struct tstate *t, struct tnode_list *l, struct tnode *n)
{
	l->items = grow_implied(t->p->a, l->items, l->len, sizeof(*l->items));
	l->items[l->len++] = n;
}

/* Splits "a.b.c" at dots into idents (Go's strings.Split): one copy of the text with each
 * dot made a NUL, the names pointing into it. */
static void split_ident(struct tstate *t, struct tident *id, const char *s, size_t n)
{
	size_t parts = 1;
	for (const char *d = s; (d = memchr(d, '.', (size_t)(s + n - d))) != NULL; d++)
		parts++;
	id->items = arena_alloc8(t->p->a, parts * sizeof(*id->items));
	char *copy = arena_strndup(t->p->a, s, n);
	id->items[0] = copy;
	id->len = 1;
	for (size_t i = 0; i < n; i++) {
		if (copy[i] == '.') {
			copy[i] = '\0';
			id->items[id->len++] = copy + i + 1;
		}
	}
}

static struct tnode *new_variable(struct tstate *t, size_t pos, const char *s, size_t n)
{
	struct tnode *v = new_node(t, TN_VARIABLE, pos);
	split_ident(t, &v->u.var, s, n);
	return v;
}

static struct tnode *new_field(struct tstate *t, size_t pos, const char *s, size_t n)
{
	struct tnode *f = new_node(t, TN_FIELD, pos);
	split_ident(t, &f->u.field, s + 1, n - 1); /* drop the leading period */
	return f;
}

static struct tnode *new_list(struct tstate *t, size_t pos)
{
	return new_node(t, TN_LIST, pos);
}

/* --- numbers (Go's newNumber with strconv's ParseUint, ParseInt, ParseFloat) ------ */

static char lower(char c)
{
	return (char)(c | ('x' - 'X'));
}

/* strconv's underscoreOK: '_' only between digits, or after a base prefix. */
static bool underscore_ok(const char *s, size_t n)
{
	char saw = '^';
	size_t i = 0;
	if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
		s++;
		n--;
	}
	bool hex = false;
	if (n >= 2 && s[0] == '0' && (lower(s[1]) == 'b' || lower(s[1]) == 'o' || lower(s[1]) == 'x')) {
		i = 2;
		saw = '0';
		hex = lower(s[1]) == 'x';
	}
	for (; i < n; i++) {
		if ((s[i] >= '0' && s[i] <= '9') || (hex && lower(s[i]) >= 'a' && lower(s[i]) <= 'f')) {
			saw = '0';
			continue;
		}
		if (s[i] == '_') {
			if (saw != '0')
				return false;
			saw = '_';
			continue;
		}
		if (saw == '_')
			return false;
		saw = '!';
	}
	return saw != '_';
}

/* strconv.ParseUint(s, 0, 64). */
static bool parse_uint(const char *s0, size_t n0, uint64_t *out)
{
	const char *s = s0;
	size_t n = n0;
	if (n == 0)
		return false;
	unsigned base = 10;
	if (s[0] == '0') {
		if (n >= 3 && lower(s[1]) == 'b')
			base = 2, s += 2, n -= 2;
		else if (n >= 3 && lower(s[1]) == 'o')
			base = 8, s += 2, n -= 2;
		else if (n >= 3 && lower(s[1]) == 'x')
			base = 16, s += 2, n -= 2;
		else
			base = 8, s += 1, n -= 1;
	}
	uint64_t v = 0;
	bool underscores = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		unsigned d;
		if (c == '_') {
			underscores = true;
			continue;
		} else if (c >= '0' && c <= '9') {
			d = (unsigned)(c - '0');
		} else if (lower(c) >= 'a' && lower(c) <= 'z') {
			d = (unsigned)(lower(c) - 'a' + 10);
		} else {
			return false;
		}
		if (d >= base)
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false; /* range error */
		v = v * base + d;
	}
	if (underscores && !underscore_ok(s0, n0))
		return false;
	*out = v;
	return true;
}

/* strconv.ParseInt(s, 0, 64). */
static bool parse_int(const char *s, size_t n, int64_t *out)
{
	if (n == 0)
		return false;
	bool neg = false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		s++;
		n--;
	}
	uint64_t u;
	if (!parse_uint(s, n, &u))
		return false;
	if (!neg && u > (uint64_t)INT64_MAX)
		return false;
	if (neg && u > (uint64_t)INT64_MAX + 1)
		return false;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return true;
}

/* strconv.ParseFloat(s, 64): Go's syntax checked here (a hex mantissa needs a 'p'
 * exponent; '_' as underscoreOK allows), the value from strtod; out of range fails. */
static bool parse_float(struct arena *a, const char *s, size_t n, double *out)
{
	size_t i = 0;
	bool underscores = false;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	bool hex = false;
	if (i + 2 < n && s[i] == '0' && lower(s[i + 1]) == 'x') {
		hex = true;
		i += 2;
	}
	bool sawdot = false, sawdigits = false;
	for (; i < n; i++) {
		char c = s[i];
		if (c == '_') {
			underscores = true;
		} else if (c == '.') {
			if (sawdot)
				break;
			sawdot = true;
		} else if ((c >= '0' && c <= '9') || (hex && lower(c) >= 'a' && lower(c) <= 'f')) {
			sawdigits = true;
		} else {
			break;
		}
	}
	if (!sawdigits)
		return false;
	if (i < n && lower(s[i]) == (hex ? 'p' : 'e')) {
		i++;
		if (i >= n)
			return false;
		if (s[i] == '+' || s[i] == '-')
			i++;
		if (i >= n || s[i] < '0' || s[i] > '9')
			return false;
		for (; i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_'); i++)
			underscores |= s[i] == '_';
	} else if (hex) {
		return false;
	}
	if (i != n)
		return false;
	if (underscores && !underscore_ok(s, n))
		return false;
	char *c = arena_alloc(a, n + 1);
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		if (s[j] != '_')
			c[k++] = s[j];
	c[k] = 0;
	char *end;
	double f = strtod(c, &end);
	if (*end != 0 || isinf(f))
		return false;
	*out = f;
	return true;
}

static void set_float_ints(struct tnode *n, double f)
{
	/* float64(int64(f)) == f, without C's undefined out-of-range conversion */
	if (!n->u.number->is_int && f == floor(f) && f >= -9223372036854775808.0 &&
	    f < 9223372036854775808.0) {
		n->u.number->is_int = true;
		n->u.number->i = (int64_t)f;
	}
	if (!n->u.number->is_uint && f == floor(f) && f >= 0 && f < 18446744073709551616.0) {
		n->u.number->is_uint = true;
		n->u.number->u = (uint64_t)f;
	}
}

__attribute__((noinline)) static struct tnode *new_number(struct tstate *t, const struct titem *it)
{
	struct tnode *n = new_node(t, TN_NUMBER, it->pos);
	n->u.number = arena_alloc8(t->p->a, sizeof(*n->u.number));
	const char *s = it->val;
	size_t len = it->len;
	n->u.number->text = arena_strndup(t->p->a, s, len);
	if (it->typ == TI_CHAR_CONSTANT) {
		uint32_t r;
		int rc = tunquote_char(s + 1, len - 1, &r);
		if (rc == -1)
			t_errorf(t, "invalid syntax");
		if (rc == -2)
			t_errorf(t, "malformed character constant: %.*s", (int)len, s);
		n->u.number->is_int = n->u.number->is_uint = n->u.number->is_float = true;
		n->u.number->i = r;
		n->u.number->u = r;
		n->u.number->f = r; /* odd, but those are Go's rules */
		return n;
	}
	if (it->typ == TI_COMPLEX) {
		/* re+imi: split before the sign of the imaginary part */
		size_t k = len - 1;
		while (k > 0 && !((s[k] == '+' || s[k] == '-') && lower(s[k - 1]) != 'e' &&
				  lower(s[k - 1]) != 'p'))
			k--;
		double re, im;
		if (k == 0 || !parse_float(t->p->a, s, k, &re) ||
		    !parse_float(t->p->a, s + k, len - k - 1, &im))
			t_errorf(t, "syntax error scanning complex number");
		n->u.number->is_complex = true;
		if (im == 0) {
			n->u.number->is_float = true;
			n->u.number->f = re;
			set_float_ints(n, re);
		}
		return n;
	}
	double f;
	if (len > 0 && s[len - 1] == 'i' && parse_float(t->p->a, s, len - 1, &f)) {
		n->u.number->is_complex = true;
		if (f == 0) { /* complex(0, 0): the float 0 */
			n->u.number->is_float = true;
			n->u.number->f = 0;
			set_float_ints(n, 0);
		}
		return n;
	}
	uint64_t u;
	int64_t i;
	if (parse_uint(s, len, &u)) {
		n->u.number->is_uint = true;
		n->u.number->u = u;
	}
	if (parse_int(s, len, &i)) {
		n->u.number->is_int = true;
		n->u.number->i = i;
		if (i == 0) { /* -0 */
			n->u.number->is_uint = true;
			n->u.number->u = 0;
		}
	}
	if (n->u.number->is_int) {
		n->u.number->is_float = true;
		n->u.number->f = (double)n->u.number->i;
	} else if (n->u.number->is_uint) {
		n->u.number->is_float = true;
		n->u.number->f = (double)n->u.number->u;
	} else if (parse_float(t->p->a, s, len, &f)) {
		if (!memchr(s, '.', len) && !memchr(s, 'e', len) && !memchr(s, 'E', len) &&
		    !memchr(s, 'p', len) && !memchr(s, 'P', len))
			t_errorf(t, "integer overflow: %s", q(t, s, len));
		n->u.number->is_float = true;
		n->u.number->f = f;
		set_float_ints(n, f);
	}
	if (!n->u.number->is_int && !n->u.number->is_uint && !n->u.number->is_float)
		t_errorf(t, "illegal number syntax: %s", q(t, s, len));
	return n;
}

/* --- variables -------------------------------------------------------------------- */

static void push_var(struct tstate *t, const char *name, size_t n)
{
	if (t->nvars == t->varcap) {
		size_t ncap = t->varcap ? t->varcap * 2 : 8;
		const char **nv = arena_alloc8(t->p->a, ncap * sizeof(*nv));
		size_t *nl = arena_alloc8(t->p->a, ncap * sizeof(*nl));
		if (t->nvars) {
			memcpy(nv, t->vars, t->nvars * sizeof(*nv));
			memcpy(nl, t->varlen, t->nvars * sizeof(*nl));
		}
		t->vars = nv;
		t->varlen = nl;
		t->varcap = ncap;
	}
	t->vars[t->nvars] = name;
	t->varlen[t->nvars] = n;
	t->nvars++;
	sh_get(t->p->a, &t->varset, name, n, true)->v++;
}

static void pop_vars(struct tstate *t, size_t n)
{
	while (t->nvars > n) {
		t->nvars--;
		sh_get(t->p->a, &t->varset, t->vars[t->nvars], t->varlen[t->nvars], false)->v--;
	}
}

static struct tnode *use_var(struct tstate *t, const struct titem *it)
{
	struct tnode *v = new_variable(t, it->pos, it->val, it->len);
	const char *name = v->u.var.items[0];
	struct sent *e = sh_get(t->p->a, &t->varset, name, strlen(name), false);
	if (!e || e->v == 0)
		t_errorf(t, "undefined variable %s", q(t, name, strlen(name)));
	return v;
}

/* --- the grammar ------------------------------------------------------------------ */

static struct tnode *pipeline(struct tstate *t, const char *context, int end);
static void item_list(struct tstate *t, struct tnode **list, struct tnode **next);

static void nest_enter(struct tstate *t)
{
	if (t->p->depth >= MAX_DEPTH)
		t_fail(t, ERR_TOOBIG, "max nesting depth exceeded");
	t->p->depth++;
}

static void nest_leave(struct tstate *t)
{
	t->p->depth--;
}

static bool has_function(struct parser *p, const char *name)
{
	return p->opts->has_func && p->opts->has_func(p->opts->ud, name);
}


#define COLD __attribute__((noinline, cold))

COLD static struct tnode *string_node(struct tstate *t, const struct titem *it)
{
	const char *s;
	size_t len;
	if (!tunquote(t->p->a, it->val, it->len, &s, &len))
		t_errorf(t, "invalid syntax");
	struct tnode *n = new_node(t, TN_STRING, it->pos);
	n->u.str.quoted = arena_strndup(t->p->a, it->val, it->len);
	n->u.str.text = s;
	n->u.str.len = len;
	return n;
}

COLD static struct tnode *identifier_node(struct tstate *t, const struct titem *it)
{
	const char *name = arena_strndup(t->p->a, it->val, it->len);
	if (t->p->opts->has_func && !t->p->opts->has_func(t->p->opts->ud, name))
		t_errorf(t, "function %s not defined", q(t, it->val, it->len));
	struct tnode *n = new_node(t, TN_IDENTIFIER, it->pos);
	n->u.ident = name;
	return n;
}

/* '(' pipeline ')': the one recursive term */
static struct tnode *paren_pipeline(struct tstate *t)
{
	if (t->stack_depth >= MAX_DEPTH)
		t_errorf(t, "max expression depth exceeded");
	nest_enter(t);
	t->stack_depth++;
	struct tnode *n = pipeline(t, "parenthesized pipeline", TI_RIGHT_PAREN);
	t->stack_depth--;
	nest_leave(t);
	return n;
}

/* term: a literal, a function name, ., .Field, $x, or '(' pipeline ')'. NULL when the
 * next item is none of those. */
static struct tnode *term(struct tstate *t)
{
	const struct titem *it = next_non_space(t);
	struct tnode *n;
	switch (it->typ) {
	case TI_IDENTIFIER:
		return identifier_node(t, it);
	case TI_DOT:
		return new_node(t, TN_DOT, it->pos);
	case TI_NIL:
		return new_node(t, TN_NIL, it->pos);
	case TI_VARIABLE:
		return use_var(t, it);
	case TI_FIELD:
		return new_field(t, it->pos, it->val, it->len);
	case TI_BOOL:
		n = new_node(t, TN_BOOL, it->pos);
		n->u.b = it->len == 4;
		return n;
	case TI_CHAR_CONSTANT: case TI_COMPLEX: case TI_NUMBER:
		return new_number(t, it);
	case TI_LEFT_PAREN:
		return paren_pipeline(t);
	case TI_STRING: case TI_RAW_STRING:
		return string_node(t, it);
	}
	backup(t);
	return NULL;
}

/* The fields after a term: Go's chain, folded into the term when that is a field or a
 * variable, an error after a literal. */
COLD static struct tnode *chain(struct tstate *t, struct tnode *node)
{
	if (node->type == TN_FIELD || node->type == TN_VARIABLE) {
		/* ".Values.a.b", "$x.a": the term and its fields are adjacent tokens (a space
		 * would end the chain), so the joined name is the source text they span */
		size_t pos = peek(t)->pos;
		const char *start = t->p->lex.in + node->pos, *end = start;
		while (peek(t)->typ == TI_FIELD) {
			const struct titem *f = next(t);
			end = f->val + f->len;
		}
		size_t n = (size_t)(end - start);
		return node->type == TN_FIELD ? new_field(t, pos, start, n)
					      : new_variable(t, pos, start, n);
	}
	struct tnode *ch = new_node(t, TN_CHAIN, peek(t)->pos);
	ch->u.chain.node = node;
	struct buf fields = BUF_INIT; /* ".a.b": the chained fields as written */
	size_t nfields = 0;
	while (peek(t)->typ == TI_FIELD) {
		const struct titem *f = next(t);
		buf_add(&fields, f->val, f->len);
		nfields++;
	}
	struct tnode *res = ch;
	struct buf s = BUF_INIT;
	switch (node->type) {
	case TN_FIELD:
	case TN_VARIABLE:
		tnode_string(&s, node);
		buf_add(&s, fields.ptr, fields.len);
		res = node->type == TN_FIELD ? new_field(t, ch->pos, s.ptr, s.len)
					     : new_variable(t, ch->pos, s.ptr, s.len);
		break;
	case TN_BOOL: case TN_STRING: case TN_NUMBER: case TN_NIL: case TN_DOT: {
		tnode_string(&s, node);
		const char *str = arena_strndup(t->p->a, s.ptr, s.len);
		size_t slen = s.len;
		buf_release(&s);
		buf_release(&fields);
		t_errorf(t, "unexpected . after term %s", q(t, str, slen));
	}
	default: {
		struct tident *id = &ch->u.chain.field;
		id->items = arena_alloc8(t->p->a, nfields * sizeof(*id->items));
		const char *f = fields.ptr + 1;
		for (size_t i = 0; i < nfields; i++) {
			const char *e = memchr(f, '.', fields.len - (size_t)(f - fields.ptr));
			size_t flen = e ? (size_t)(e - f) : fields.len - (size_t)(f - fields.ptr);
			id->items[id->len++] = arena_strndup(t->p->a, f, flen);
			f += flen + 1;
		}
		break;
	}
	}
	buf_release(&s);
	buf_release(&fields);
	return res;
}

/* operand: term .Field* */
static struct tnode *operand(struct tstate *t)
{
	struct tnode *node = term(t);
	if (node && peek(t)->typ == TI_FIELD)
		return chain(t, node);
	return node;
}

/* command: operand (space operand)*, up to a pipe (consumed) or a right delimiter or
 * parenthesis (left for the caller). */
static struct tnode *command(struct tstate *t)
{
	struct tnode *cmd = new_node(t, TN_COMMAND, peek_non_space(t)->pos);
	for (;;) {
		peek_non_space(t); /* skip leading spaces */
		struct tnode *op = operand(t);
		if (op)
			list_add(t, &cmd->u.cmd.args, op);
		const struct titem *it = next(t);
		if (it->typ == TI_SPACE)
			continue;
		if (it->typ == TI_RIGHT_DELIM || it->typ == TI_RIGHT_PAREN)
			backup(t);
		else if (it->typ != TI_PIPE)
			unexpected(t, it, "operand");
		break;
	}
	if (cmd->u.cmd.args.len == 0)
		t_errorf(t, "empty command");
	return cmd;
}

static void check_pipeline(struct tstate *t, struct tnode *pipe, const char *context)
{
	if (pipe->u.pipe.cmds.len == 0)
		t_errorf(t, "missing value for %s", context);
	/* only the first command of a pipeline may start with a non-executable operand */
	for (size_t i = 1; i < pipe->u.pipe.cmds.len; i++) {
		switch (pipe->u.pipe.cmds.items[i]->u.cmd.args.items[0]->type) {
		case TN_BOOL: case TN_DOT: case TN_NIL: case TN_NUMBER: case TN_STRING:
			t_errorf(t, "non executable command in pipeline stage %zu", i + 1);
		}
	}
}

static struct tnode_list *pipe_decls(struct tstate *t, struct tnode *pipe)
{
	if (!pipe->u.pipe.decl)
		pipe->u.pipe.decl = arena_alloc8(t->p->a, sizeof(*pipe->u.pipe.decl));
	return pipe->u.pipe.decl;
}

/* The declarations that may open a pipeline: $x :=, $x =, and $i, $v := in a range. */
COLD static void declarations(struct tstate *t, struct tnode *pipe, const char *context)
{
	bool is_range = strcmp(context, "range") == 0;
	for (;;) { /* Go's "decls:" label */
		if (peek_non_space(t)->typ != TI_VARIABLE)
			return;
		struct titem v = *next(t);
		/* "$x foo" needs three tokens of look-ahead to see that $x is an argument */
		struct titem after = *peek(t);
		const struct titem *nx = peek_non_space(t);
		if (nx->typ == TI_ASSIGN || nx->typ == TI_DECLARE) {
			pipe->is_assign = nx->typ == TI_ASSIGN;
			next_non_space(t);
			list_add(t, pipe_decls(t, pipe), new_variable(t, v.pos, v.val, v.len));
			push_var(t, v.val, v.len);
		} else if (nx->typ == TI_CHAR && nx->len == 1 && nx->val[0] == ',') {
			next_non_space(t);
			list_add(t, pipe_decls(t, pipe), new_variable(t, v.pos, v.val, v.len));
			push_var(t, v.val, v.len);
			if (is_range && tpipe_ndecl(pipe) < 2) {
				int ty = peek_non_space(t)->typ;
				if (ty == TI_VARIABLE || ty == TI_RIGHT_DELIM || ty == TI_RIGHT_PAREN)
					continue; /* the second variable of a range */
				t_errorf(t, "range can only initialize variables");
			}
			t_errorf(t, "too many declarations in %s", context);
		} else if (after.typ == TI_SPACE) {
			backup3(t, v, after);
		} else {
			backup2(t, v);
		}
		return;
	}
}

/* pipeline: declarations? command ('|' command)*, up to the end item (consumed). */
static struct tnode *pipeline(struct tstate *t, const char *context, int end)
{
	struct tnode *pipe = new_node(t, TN_PIPE, peek_non_space(t)->pos);
	if (peek_non_space(t)->typ == TI_VARIABLE)
		declarations(t, pipe, context);
	for (;;) {
		const struct titem *it = next_non_space(t);
		if (it->typ == end) {
			check_pipeline(t, pipe, context);
			return pipe;
		}
		switch (it->typ) {
		case TI_BOOL: case TI_CHAR_CONSTANT: case TI_COMPLEX: case TI_DOT: case TI_FIELD:
		case TI_IDENTIFIER: case TI_NUMBER: case TI_NIL: case TI_RAW_STRING: case TI_STRING:
		case TI_VARIABLE: case TI_LEFT_PAREN:
			backup(t);
			list_add(t, &pipe->u.pipe.cmds, command(t));
			if (pipe->u.pipe.cmds.len > MAX_PIPELINE_CMDS)
				t_errorf(t, "pipeline too long");
			break;
		default:
			unexpected(t, it, context);
		}
	}
}

COLD static const char *template_name(struct tstate *t, const struct titem *it,
				      const char *context)
{
	if (it->typ != TI_STRING && it->typ != TI_RAW_STRING)
		unexpected(t, it, context);
	const char *s;
	size_t len;
	if (!tunquote(t->p->a, it->val, it->len, &s, &len))
		t_errorf(t, "invalid syntax");
	return s;
}

/* if, range and with: the pipeline, the list, and an else list or else-if/else-with. */
static struct tnode *parse_control(struct tstate *t, int type, const char *context)
{
	nest_enter(t);
	size_t nvars = t->nvars;
	struct tnode *pipe = pipeline(t, context, TI_RIGHT_DELIM);
	struct tnode *n = new_node(t, type, pipe->pos);
	n->u.branch.pipe = pipe;
	struct tnode *nx;
	if (type == TN_RANGE)
		t->range_depth++;
	item_list(t, &n->u.branch.list, &nx);
	if (type == TN_RANGE)
		t->range_depth--;
	if (nx->type == TN_ELSE_) {
		/* {{else if b}} is {{else}}{{if b}}...{{end}} sharing the outer {{end}}; the
		 * same for {{else with}} in a with */
		int pk = peek(t)->typ;
		if ((type == TN_IF && pk == TI_IF) || (type == TN_WITH && pk == TI_WITH)) {
			next(t);
			struct tnode *el = new_list(t, nx->pos);
			list_add(t, &el->u.list, parse_control(t, type, context));
			n->u.branch.else_list = el;
		} else {
			item_list(t, &n->u.branch.else_list, &nx);
			if (nx->type != TN_END_)
				t_errorf(t, "expected end; found %s", "{{else}}");
		}
	}
	pop_vars(t, nvars);
	nest_leave(t);
	return n;
}

COLD static struct tnode *else_control(struct tstate *t)
{
	const struct titem *pk = peek_non_space(t);
	/* else if / else with: leave the keyword for parse_control */
	if (pk->typ == TI_IF || pk->typ == TI_WITH)
		return new_node(t, TN_ELSE_, pk->pos);
	return new_node(t, TN_ELSE_, expect(t, TI_RIGHT_DELIM, "else")->pos);
}

static struct tnode *end_control(struct tstate *t)
{
	return new_node(t, TN_END_, expect(t, TI_RIGHT_DELIM, "end")->pos);
}

static void start_parse(struct tstate *t, struct parser *p, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->p = p;
	t->tree = arena_alloc8(p->a, sizeof(*t->tree));
	t->tree->name = name;
	t->tree->parse_name = p->parse_name;
	t->tree->text = p->text;
	t->tree->text_len = p->text_len;
	push_var(t, "$", 1);
}

/* Go's Tree.add: into the tree set, unless a non-empty one of that name is there. */
static void add_tree(struct tstate *t)
{
	struct parser *p = t->p;
	const char *name = t->tree->name;
	struct sent *e = sh_get(p->a, &p->names, name, strlen(name), true);
	if (e->v == 0) {
		if (p->ntrees == p->treecap) {
			size_t ncap = p->treecap ? p->treecap * 2 : 8;
			struct ttree **nt = arena_alloc8(p->a, ncap * sizeof(*nt));
			if (p->ntrees)
				memcpy(nt, p->trees, p->ntrees * sizeof(*nt));
			p->trees = nt;
			p->treecap = ncap;
		}
		p->trees[p->ntrees++] = t->tree;
		e->v = p->ntrees; /* index + 1 */
		return;
	}
	struct ttree **slot = &p->trees[e->v - 1];
	if (tnode_is_empty_tree((*slot)->root)) {
		*slot = t->tree;
		return;
	}
	if (!tnode_is_empty_tree(t->tree->root))
		t_errorf(t, "template: multiple definition of template %s", q(t, name, strlen(name)));
}

/* {{block "name" pipeline}} body {{end}}: a tree for the body, and a template call. */
COLD static struct tnode *block_control(struct tstate *t)
{
	static const char context[] = "block clause";
	const struct titem *tok = next_non_space(t);
	size_t pos = tok->pos;
	const char *name = template_name(t, tok, context);
	struct tnode *pipe = pipeline(t, context, TI_RIGHT_DELIM);
	nest_enter(t);
	struct tstate *b = arena_alloc8(t->p->a, sizeof(*b));
	start_parse(b, t->p, name);
	struct tnode *nx;
	item_list(b, &b->tree->root, &nx);
	if (nx->type != TN_END_)
		t_errorf(t, "unexpected %s in %s", "{{else}}", context);
	add_tree(b);
	nest_leave(t);
	struct tnode *n = new_node(t, TN_TEMPLATE, pos);
	n->u.tmpl.name = name;
	n->u.tmpl.pipe = pipe;
	return n;
}

COLD static struct tnode *template_control(struct tstate *t)
{
	static const char context[] = "template clause";
	const struct titem *tok = next_non_space(t);
	size_t pos = tok->pos;
	const char *name = template_name(t, tok, context);
	struct tnode *pipe = NULL;
	if (next_non_space(t)->typ != TI_RIGHT_DELIM) {
		backup(t);
		pipe = pipeline(t, context, TI_RIGHT_DELIM);
	}
	struct tnode *n = new_node(t, TN_TEMPLATE, pos);
	n->u.tmpl.name = name;
	n->u.tmpl.pipe = pipe;
	return n;
}

COLD static struct tnode *break_control(struct tstate *t, size_t pos, bool is_break)
{
	const struct titem *it = next_non_space(t);
	if (it->typ != TI_RIGHT_DELIM)
		unexpected(t, it, is_break ? "{{break}}" : "{{continue}}");
	if (t->range_depth == 0)
		t_errorf(t, "%s outside {{range}}", is_break ? "{{break}}" : "{{continue}}");
	return new_node(t, is_break ? TN_BREAK : TN_CONTINUE, pos);
}

/* action: a control keyword, or a pipeline; the left delimiter is past. */
static struct tnode *action(struct tstate *t)
{
	const struct titem *it = next_non_space(t);
	switch (it->typ) {
	case TI_BLOCK: return block_control(t);
	case TI_BREAK: return break_control(t, it->pos, true);
	case TI_CONTINUE: return break_control(t, it->pos, false);
	case TI_ELSE: return else_control(t);
	case TI_END: return end_control(t);
	case TI_IF: return parse_control(t, TN_IF, "if");
	case TI_RANGE: return parse_control(t, TN_RANGE, "range");
	case TI_TEMPLATE: return template_control(t);
	case TI_WITH: return parse_control(t, TN_WITH, "with");
	}
	backup(t);
	struct tnode *n = new_node(t, TN_ACTION, peek(t)->pos);
	/* variables declared here persist until the enclosing {{end}} */
	n->u.action.pipe = pipeline(t, "command", TI_RIGHT_DELIM);
	return n;
}

static struct tnode *text_or_action(struct tstate *t)
{
	const struct titem *it = next_non_space(t);
	struct tnode *n;
	switch (it->typ) {
	case TI_TEXT:
		n = new_node(t, TN_TEXT, it->pos);
		n->u.text.text = it->val;
		n->u.text.len = it->len;
		return n;
	case TI_LEFT_DELIM:
		t->action_line = it->line;
		n = action(t);
		t->action_line = 0;
		return n;
	case TI_COMMENT:
		n = new_node(t, TN_COMMENT, it->pos);
		n->u.comment.text = arena_strndup(t->p->a, it->val, it->len);
		return n;
	}
	unexpected(t, it, "input");
}

/* itemList: textOrAction* up to {{end}} or {{else}}, returned in *next. */
static void item_list(struct tstate *t, struct tnode **list, struct tnode **nx)
{
	struct tnode *l = new_list(t, peek_non_space(t)->pos);
	while (peek_non_space(t)->typ != TI_EOF) {
		struct tnode *n = text_or_action(t);
		if (n->type == TN_END_ || n->type == TN_ELSE_) {
			*list = l;
			*nx = n;
			return;
		}
		list_add(t, &l->u.list, n);
	}
	t_errorf(t, "unexpected EOF");
}

static void parse_definition(struct tstate *t)
{
	static const char context[] = "define clause";
	const struct titem *it = next_non_space(t);
	if (it->typ != TI_STRING && it->typ != TI_RAW_STRING)
		unexpected(t, it, context);
	const char *name;
	size_t len;
	if (!tunquote(t->p->a, it->val, it->len, &name, &len))
		t_errorf(t, "invalid syntax");
	t->tree->name = name;
	expect(t, TI_RIGHT_DELIM, context);
	struct tnode *nx;
	item_list(t, &t->tree->root, &nx);
	if (nx->type != TN_END_)
		t_errorf(t, "unexpected %s in %s", "{{else}}", context);
	add_tree(t);
}

/* The top level: itemList that also takes {{define}}, up to EOF. */
static void parse_top(struct tstate *t)
{
	t->tree->root = new_list(t, peek(t)->pos);
	while (peek(t)->typ != TI_EOF) {
		if (peek(t)->typ == TI_LEFT_DELIM) {
			struct titem delim = *next(t);
			if (next_non_space(t)->typ == TI_DEFINE) {
				struct tstate *d = arena_alloc8(t->p->a, sizeof(*d));
				start_parse(d, t->p, "definition");
				parse_definition(d);
				continue;
			}
			backup2(t, delim);
		}
		struct tnode *n = text_or_action(t);
		if (n->type == TN_END_ || n->type == TN_ELSE_)
			t_errorf(t, "unexpected %s", n->type == TN_END_ ? "{{end}}" : "{{else}}");
		list_add(t, &t->tree->root->u.list, n);
	}
}

int tparse(struct arena *a, const char *name, const char *text, size_t len,
	   const struct tparse_opts *opts, struct ttree ***out, size_t *nout)
{
	static const struct tparse_opts defaults;
	struct parser *p = arena_alloc8(a, sizeof(*p));
	p->a = a;
	p->opts = opts ? opts : &defaults;
	p->parse_name = arena_strdup(a, name ? name : "");
	p->text = text ? text : "";
	p->text_len = text ? len : 0;
	*out = NULL;
	*nout = 0;
	tlex_init(&p->lex, a, p->text, p->text_len, p->opts->left_delim, p->opts->right_delim);
	p->lex.emit_comment = p->opts->keep_comments;
	p->lex.break_ok = !has_function(p, "break");
	p->lex.continue_ok = !has_function(p, "continue");
	struct tstate *top = arena_alloc8(a, sizeof(*top));
	start_parse(top, p, p->parse_name);
	if (setjmp(p->jmp)) {
		return err_set(p->code, "%s", p->msg);
	}
	parse_top(top);
	add_tree(top);
	/* the tree of name first, then the others in order of appearance */
	struct sent *e = sh_get(a, &p->names, p->parse_name, strlen(p->parse_name), false);
	size_t first = e->v - 1;
	struct ttree **res = arena_alloc8(a, (p->ntrees ? p->ntrees : 1) * sizeof(*res));
	size_t k = 0;
	res[k++] = p->trees[first];
	for (size_t i = 0; i < p->ntrees; i++)
		if (i != first)
			res[k++] = p->trees[i];
	*out = res;
	*nout = k;
	return 0;
}

/* --- what the evaluator uses ------------------------------------------------------ */

static bool is_unicode_space_at(const char *s, size_t n, size_t *w)
{
	unsigned char c = (unsigned char)s[0];
	*w = 1;
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return true;
	if (c == 0xC2 && n >= 2 && ((unsigned char)s[1] == 0x85 || (unsigned char)s[1] == 0xA0)) {
		*w = 2;
		return true;
	}
	if (n >= 3 && c == 0xE1 && (unsigned char)s[1] == 0x9A && (unsigned char)s[2] == 0x80) {
		*w = 3;
		return true;
	}
	if (n >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x80) {
		unsigned char d = (unsigned char)s[2];
		if (d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF) {
			*w = 3;
			return true;
		}
	}
	if (n >= 3 && c == 0xE2 && (unsigned char)s[1] == 0x81 && (unsigned char)s[2] == 0x9F) {
		*w = 3;
		return true;
	}
	if (n >= 3 && c == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80) {
		*w = 3;
		return true;
	}
	return false;
}

bool tnode_is_empty_tree(const struct tnode *n)
{
	if (!n)
		return true;
	switch (n->type) {
	case TN_COMMENT:
		return true;
	case TN_LIST:
		for (size_t i = 0; i < n->u.list.len; i++)
			if (!tnode_is_empty_tree(n->u.list.items[i]))
				return false;
		return true;
	case TN_TEXT: {
		/* bytes.TrimSpace(text) is empty: every rune is a Unicode space */
		size_t i = 0, w;
		while (i < n->u.text.len) {
			if (!is_unicode_space_at(n->u.text.text + i, n->u.text.len - i, &w))
				return false;
			i += w;
		}
		return true;
	}
	}
	return false;
}

/* The length of a string or character literal as written, which may hold NUL bytes: up
 * to its closing quote (the lexer has checked that there is one). Other text: strlen. */
static size_t quoted_len(const char *s)
{
	size_t i = 1;
	if (s[0] == '`') {
		while (s[i] != '`')
			i++;
		return i + 1;
	}
	if (s[0] != '"' && s[0] != '\'')
		return strlen(s);
	while (s[i] != s[0])
		i += s[i] == '\\' ? 2 : 1;
	return i + 1;
}

static void write_ident(struct buf *out, const struct tident *id, bool lead_dot)
{
	for (size_t i = 0; i < id->len; i++) {
		if (i > 0 || lead_dot)
			buf_addch(out, '.');
		buf_adds(out, id->items[i]);
	}
}

void tnode_string(struct buf *out, const struct tnode *n)
{
	if (!n)
		return;
	switch (n->type) {
	case TN_TEXT:
		buf_add(out, n->u.text.text, n->u.text.len);
		break;
	case TN_ACTION:
		buf_adds(out, "{{");
		tnode_string(out, n->u.action.pipe);
		buf_adds(out, "}}");
		break;
	case TN_BOOL:
		buf_adds(out, n->u.b ? "true" : "false");
		break;
	case TN_CHAIN:
		if (n->u.chain.node && n->u.chain.node->type == TN_PIPE) {
			buf_addch(out, '(');
			tnode_string(out, n->u.chain.node);
			buf_addch(out, ')');
		} else {
			tnode_string(out, n->u.chain.node);
		}
		write_ident(out, &n->u.chain.field, true);
		break;
	case TN_COMMAND:
		for (size_t i = 0; i < n->u.cmd.args.len; i++) {
			const struct tnode *arg = n->u.cmd.args.items[i];
			if (i > 0)
				buf_addch(out, ' ');
			if (arg->type == TN_PIPE) {
				buf_addch(out, '(');
				tnode_string(out, arg);
				buf_addch(out, ')');
			} else {
				tnode_string(out, arg);
			}
		}
		break;
	case TN_DOT:
		buf_addch(out, '.');
		break;
	case TN_FIELD:
		write_ident(out, &n->u.field, true);
		break;
	case TN_IDENTIFIER:
		buf_adds(out, n->u.ident);
		break;
	case TN_IF: case TN_RANGE: case TN_WITH:
		buf_adds(out, n->type == TN_IF ? "{{if " : n->type == TN_RANGE ? "{{range " : "{{with ");
		tnode_string(out, n->u.branch.pipe);
		buf_adds(out, "}}");
		tnode_string(out, n->u.branch.list);
		if (n->u.branch.else_list) {
			buf_adds(out, "{{else}}");
			tnode_string(out, n->u.branch.else_list);
		}
		buf_adds(out, "{{end}}");
		break;
	case TN_LIST:
		for (size_t i = 0; i < n->u.list.len; i++)
			tnode_string(out, n->u.list.items[i]);
		break;
	case TN_NIL:
		buf_adds(out, "nil");
		break;
	case TN_NUMBER:
		buf_add(out, n->u.number->text, quoted_len(n->u.number->text));
		break;
	case TN_PIPE:
		for (size_t i = 0; i < tpipe_ndecl(n); i++) {
			if (i > 0)
				buf_adds(out, ", ");
			tnode_string(out, tpipe_decl(n, i));
		}
		if (tpipe_ndecl(n))
			buf_adds(out, " := ");
		for (size_t i = 0; i < n->u.pipe.cmds.len; i++) {
			if (i > 0)
				buf_adds(out, " | ");
			tnode_string(out, n->u.pipe.cmds.items[i]);
		}
		break;
	case TN_STRING:
		buf_add(out, n->u.str.quoted, quoted_len(n->u.str.quoted));
		break;
	case TN_TEMPLATE:
		buf_adds(out, "{{template ");
		tquote(out, n->u.tmpl.name, strlen(n->u.tmpl.name));
		if (n->u.tmpl.pipe) {
			buf_addch(out, ' ');
			tnode_string(out, n->u.tmpl.pipe);
		}
		buf_adds(out, "}}");
		break;
	case TN_VARIABLE:
		write_ident(out, &n->u.var, false);
		break;
	case TN_COMMENT:
		buf_adds(out, "{{");
		buf_adds(out, n->u.comment.text);
		buf_adds(out, "}}");
		break;
	case TN_BREAK:
		buf_adds(out, "{{break}}");
		break;
	case TN_CONTINUE:
		buf_adds(out, "{{continue}}");
		break;
	case TN_END_:
		buf_adds(out, "{{end}}");
		break;
	case TN_ELSE_:
		buf_adds(out, "{{else}}");
		break;
	}
}

void ttree_position(const struct ttree *t, size_t pos, int *line, int *col)
{
	if (pos > t->text_len)
		pos = t->text_len;
	int ln = 1;
	size_t last_nl = 0;
	bool seen = false;
	for (size_t i = 0; i < pos; i++) {
		if (t->text[i] == '\n') {
			ln++;
			last_nl = i;
			seen = true;
		}
	}
	*line = ln;
	*col = (int)(seen ? pos - (last_nl + 1) : pos);
}
