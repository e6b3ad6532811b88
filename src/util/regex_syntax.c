/*
 * Go's regexp/syntax rules for util/regex (Perl flags, as regexp.Compile parses): one pass
 * over the pattern that rejects what Go rejects with Go's message and writes the equivalent
 * PCRE2 pattern as it goes. The parse stack mirrors Go's: one frame per open group holding
 * the measures Go checks (compiled size, tree height, products of nested repeat counts), so
 * Go's limits are enforced without building a tree, and no recursion follows the pattern's
 * nesting. See regex.c for the contract and the translation rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/regex_int.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include "util/banned.h"

/* ---- Go's limits (regexp/syntax/parse.go) --------------------------------------------- */

#define GO_MAX_REPEAT 1000
#define GO_MAX_HEIGHT 1000
#define GO_MAX_SIZE ((128 << 20) / 40)


static const char E_CLASS_RANGE[] = "invalid character class range";
static const char E_ESCAPE[] = "invalid escape sequence";
static const char E_NAMED[] = "invalid named capture";
static const char E_PERL[] = "invalid or unsupported Perl syntax";
static const char E_REPEAT_OP[] = "invalid nested repetition operator";
static const char E_REPEAT_SIZE[] = "invalid repeat count";
static const char E_UTF8[] = "invalid UTF-8";
static const char E_BRACKET[] = "missing closing ]";
static const char E_PAREN[] = "missing closing )";
static const char E_REPEAT_ARG[] = "missing argument to repetition operator";
static const char E_BACKSLASH[] = "trailing backslash at end of expression";
static const char E_UNEXPECTED_PAREN[] = "unexpected )";
static const char E_DEPTH[] = "expression nests too deeply";
static const char E_LARGE[] = "expression too large";

/* Go's parser flags that change what an item means. */
enum {
	F_FOLD = 1,     /* i */
	F_ONELINE = 2,  /* not m */
	F_DOTNL = 4,    /* s */
	F_NONGREEDY = 8, /* U */
	F_ALL = 15,
};

/* What the last item of a concatenation is, for the quantifier that may follow. */
enum { K_NONE, K_LIT, K_ASSERT, K_ATOM, K_CLASS, K_REPEAT };

/* Go's measures of a parse-tree node: compiled size, height, and the largest product of
 * nested repeat counts on a path down from it (repeatIsValid). */
struct measure {
	int64_t size;
	int height;
	int prod;
};

struct frame {
	size_t open;    /* offset of the group's text in the output */
	unsigned flags; /* Go flags to restore at its ')' */
	bool capture;
	struct measure alt; /* the finished branches */
	int nbranch;
	struct measure cat; /* the committed items of the current branch */
	int ncat;
	bool cat_lit; /* the last committed item was a literal (a string grows) */
	int cat_kind; /* the kind of the branch's item when it has one, K_ATOM for a string */
	bool alt_char; /* the last branch was one character or class: Go merges a run of them */
	int last_kind;
	size_t last_start;
	struct measure last;
};

struct parser {
	const char *whole, *end;
	unsigned flags;
	struct buf out;
	struct frame *st;
	size_t nst, cap;
	char **names;
	size_t ngroups, names_cap;
	const char *last_repeat; /* where the previous token began, if it was a repeat */
	/* Go checks sizes only once nodes times the product of every repeat count seen could
	 * pass its budget (checkSize), so which error a huge pattern gets follows that too */
	int64_t nodes, repeats;
	bool sizing;
};

/* ---- errors --------------------------------------------------------------------------- */

/* Appends s[0..n) with each invalid UTF-8 byte as U+FFFD, cut at about max bytes. */
void rx_add_clean(struct buf *b, const char *s, size_t n, size_t max)
{
	size_t i = 0;
	while (i < n && b->len < max) {
		size_t k = utf8_valid_prefix(s + i, n - i);
		if (k == 0) {
			buf_adds(b, "\xef\xbf\xbd");
			i++;
		} else {
			buf_add(b, s + i, k);
			i += k;
		}
	}
}

static int go_error(const char *code, const char *expr, size_t n)
{
	struct buf b = BUF_INIT;
	buf_addf(&b, "error parsing regexp: %s: `", code);
	rx_add_clean(&b, expr, n, 900);
	buf_addch(&b, '`');
	int rc = err_set(ERR_INVALID, "%s", b.ptr);
	buf_release(&b);
	return rc;
}

static int whole_error(const struct parser *ps, const char *code)
{
	return go_error(code, ps->whole, (size_t)(ps->end - ps->whole));
}

/* ---- runes ---------------------------------------------------------------------------- */

/* Go's nextRune: the rune at s into *c and the rest into *rest; at the end, U+FFFD and no
 * progress (as utf8.DecodeRuneInString("") gives); invalid UTF-8 is an error quoting the
 * rest of the pattern. */
static int next_rune(const struct parser *ps, const char *s, uint32_t *c, const char **rest)
{
	if (s >= ps->end) {
		*c = 0xFFFD;
		*rest = s;
		return 0;
	}
	size_t k = utf8_valid_prefix(s, (size_t)(ps->end - s));
	if (k == 0)
		return go_error(E_UTF8, s, (size_t)(ps->end - s));
	*c = utf8_decode(s, k);
	*rest = s + k;
	return 0;
}

static int check_utf8(const char *s, const char *e)
{
	while (s < e) {
		size_t k = utf8_valid_prefix(s, (size_t)(e - s));
		if (k == 0)
			return go_error(E_UTF8, s, (size_t)(e - s));
		s += k;
	}
	return 0;
}

/* Go's parseUnicodeClass at s ("\p" or "\P"): the class items into cls, the rest into *rest. */
static int parse_unicode(const struct parser *ps, const char *s, struct buf *cls, const char **rest)
{
	int sign = s[1] == 'P' ? -1 : 1;
	uint32_t c;
	const char *t;
	int rc = next_rune(ps, s + 2, &c, &t);
	if (rc)
		return rc;
	const char *name, *name_end, *seq_end;
	if (c != '{') {
		name = s + 2;
		name_end = seq_end = t;
	} else {
		const char *e = memchr(s, '}', (size_t)(ps->end - s));
		if (!e) {
			if ((rc = check_utf8(s, ps->end)))
				return rc;
			return go_error(E_CLASS_RANGE, s, (size_t)(ps->end - s));
		}
		name = s + 3;
		name_end = e;
		seq_end = e + 1;
		if ((rc = check_utf8(name, name_end)))
			return rc;
	}
	if (name < name_end && *name == '^') {
		sign = -sign;
		name++;
	}
	if (!rx_add_unicode(cls, name, (size_t)(name_end - name), sign))
		return go_error(E_CLASS_RANGE, s, (size_t)(seq_end - s));
	*rest = seq_end;
	return 0;
}

/* ---- escapes -------------------------------------------------------------------------- */

/* Go's parseEscape at s (a backslash): the rune into *r. */
static int parse_escape(const struct parser *ps, const char *s, uint32_t *r, const char **rest)
{
	const char *t = s + 1;
	if (t >= ps->end)
		return go_error(E_BACKSLASH, "", 0);
	uint32_t c;
	int rc = next_rune(ps, t, &c, &t);
	if (rc)
		return rc;
	switch (c) {
	case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		/* a single non-zero digit is a back reference: not supported */
		if (t >= ps->end || *t < '0' || *t > '7')
			break;
		/* fall through */
	case '0':
		*r = c - '0';
		for (int i = 1; i < 3 && t < ps->end && *t >= '0' && *t <= '7'; i++)
			*r = *r * 8 + (uint32_t)(*t++ - '0');
		*rest = t;
		return 0;
	case 'x':
		if (t >= ps->end)
			break;
		if ((rc = next_rune(ps, t, &c, &t)))
			return rc;
		if (c == '{') {
			int nhex = 0;
			uint32_t v = 0;
			for (;;) {
				if (t >= ps->end)
					goto invalid;
				if ((rc = next_rune(ps, t, &c, &t)))
					return rc;
				if (c == '}')
					break;
				int h = rx_unhex(c);
				if (h < 0)
					goto invalid;
				v = v * 16 + (uint32_t)h;
				if (v > 0x10FFFF)
					goto invalid;
				nhex++;
			}
			if (nhex == 0)
				break;
			*r = v;
			*rest = t;
			return 0;
		} else {
			int x = rx_unhex(c);
			if ((rc = next_rune(ps, t, &c, &t)))
				return rc;
			int y = rx_unhex(c);
			if (x < 0 || y < 0)
				break;
			*r = (uint32_t)(x * 16 + y);
			*rest = t;
			return 0;
		}
	case 'a': *r = '\a'; *rest = t; return 0;
	case 'f': *r = '\f'; *rest = t; return 0;
	case 'n': *r = '\n'; *rest = t; return 0;
	case 'r': *r = '\r'; *rest = t; return 0;
	case 't': *r = '\t'; *rest = t; return 0;
	case 'v': *r = '\v'; *rest = t; return 0;
	default:
		if (c < 0x80 && !rx_is_alnum(c)) {
			*r = c;
			*rest = t;
			return 0;
		}
	}
invalid:
	return go_error(E_ESCAPE, s, (size_t)(t - s));
}

/* ---- the parse stack ------------------------------------------------------------------- */

static struct frame *top(struct parser *ps)
{
	return &ps->st[ps->nst - 1];
}

static void push_frame(struct parser *ps, size_t open, unsigned flags, bool capture)
{
	if (ps->nst == ps->cap)
		ps->st = xrealloc(ps->st, (ps->cap = ps->cap ? 2 * ps->cap : 16) * sizeof(*ps->st));
	struct frame *f = &ps->st[ps->nst++];
	memset(f, 0, sizeof(*f));
	f->open = open;
	f->flags = flags;
	f->capture = capture;
}

/* Go's checkLimits for a new node; count is a repeat node's count (max, or min when
 * unbounded), 0 for other nodes. */
static int check_node(struct parser *ps, const struct measure *m, int count)
{
	ps->nodes++;
	if (!ps->sizing) {
		if (ps->repeats == 0)
			ps->repeats = 1;
		if (count != 0) {
			int64_t n = count < 0 ? 1 : count;
			ps->repeats = n > GO_MAX_SIZE / ps->repeats ? GO_MAX_SIZE : ps->repeats * n;
		}
		ps->sizing = ps->nodes >= GO_MAX_SIZE / ps->repeats;
	}
	if (ps->sizing && m->size > GO_MAX_SIZE)
		return whole_error(ps, E_LARGE);
	if (m->height > GO_MAX_HEIGHT)
		return whole_error(ps, E_DEPTH);
	return 0;
}

static void commit_last(struct frame *f)
{
	if (f->last_kind == K_NONE)
		return;
	if (f->last_kind == K_LIT && f->cat_lit) {
		f->cat.size++; /* the string grows; Go keeps it one node */
		f->cat_kind = K_ATOM;
	} else {
		f->cat_kind = f->last_kind;
		f->ncat++;
		f->cat.size += f->last.size;
		if (f->last.height > f->cat.height)
			f->cat.height = f->last.height;
		if (f->last.prod > f->cat.prod)
			f->cat.prod = f->last.prod;
	}
	f->cat_lit = f->last_kind == K_LIT;
	f->last_kind = K_NONE;
}

/* A new item of kind k whose text starts at out offset start. */
static int add_item(struct parser *ps, int k, size_t start, struct measure m)
{
	struct frame *f = top(ps);
	commit_last(f);
	int rc = check_node(ps, &m, 0);
	if (rc)
		return rc;
	f->last_kind = k;
	f->last_start = start;
	f->last = m;
	return 0;
}

static int add_simple(struct parser *ps, int k, const char *text)
{
	size_t start = ps->out.len;
	buf_adds(&ps->out, text);
	return add_item(ps, k, start, (struct measure){ 1, 1, 1 });
}

/* Ends the current branch of the top frame (at '|', ')' or the end). */
static int end_branch(struct parser *ps)
{
	struct frame *f = top(ps);
	commit_last(f);
	struct measure v = { 1, 1, 1 };
	if (f->ncat == 1)
		v = f->cat;
	else if (f->ncat > 1)
		v = (struct measure){ f->cat.size, f->cat.height + 1, f->cat.prod };
	if (v.size < 1)
		v.size = 1;
	if (v.prod < 1)
		v.prod = 1;
	int rc = check_node(ps, &v, 0);
	if (rc)
		return rc;
	bool ch = f->ncat == 1 && (f->cat_kind == K_LIT || f->cat_kind == K_CLASS);
	bool merged = ch && f->alt_char; /* a|b is one class in Go's tree */
	f->alt_char = ch;
	f->ncat = 0;
	f->cat = (struct measure){ 0, 0, 0 };
	f->cat_lit = false;
	if (merged)
		return 0;
	f->nbranch++;
	f->alt.size += v.size;
	if (v.height > f->alt.height)
		f->alt.height = v.height;
	if (v.prod > f->alt.prod)
		f->alt.prod = v.prod;
	return 0;
}

static int frame_value(struct parser *ps, struct measure *out)
{
	struct frame *f = top(ps);
	int rc = end_branch(ps);
	if (rc)
		return rc;
	struct measure v = f->alt;
	if (f->nbranch > 1)
		v = (struct measure){ f->alt.size + f->nbranch - 1, f->alt.height + 1, f->alt.prod };
	if ((rc = check_node(ps, &v, 0)))
		return rc;
	*out = v;
	return 0;
}

static int close_group(struct parser *ps)
{
	if (ps->nst < 2)
		return whole_error(ps, E_UNEXPECTED_PAREN);
	struct measure v;
	int rc = frame_value(ps, &v);
	if (rc)
		return rc;
	struct frame f = *top(ps);
	ps->nst--;
	ps->flags = f.flags;
	if (f.capture) {
		v.size += 2;
		v.height++;
	}
	buf_addch(&ps->out, ')');
	return add_item(ps, K_ATOM, f.open, v);
}

/* ---- literals and classes -------------------------------------------------------------- */

static int add_literal(struct parser *ps, uint32_t c)
{
	size_t start = ps->out.len;
	struct buf *o = &ps->out;
	if (rx_is_surrogate(c)) {
		/* legal in Go, and never in UTF-8 text: matches nothing */
		buf_adds(o, "[^\\x{0}-\\x{10ffff}]");
	} else if ((ps->flags & F_FOLD) && (c >= 0x80 || (rx_is_alnum(c) && !(c >= '0' && c <= '9')))) {
		buf_adds(o, "(?i:");
		rx_add_cp(o, c);
		buf_addch(o, ')');
	} else {
		rx_add_cp(o, c);
	}
	return add_item(ps, K_LIT, start, (struct measure){ 1, 1, 1 });
}

/* Writes class items cls as one class item of the output. */
static int add_class(struct parser *ps, const struct buf *cls, bool negate)
{
	size_t start = ps->out.len;
	struct buf *o = &ps->out;
	bool fold = ps->flags & F_FOLD;
	if (fold)
		buf_adds(o, "(?i:");
	if (!cls->len)
		buf_adds(o, negate ? "[\\x{0}-\\x{10ffff}]" : "[^\\x{0}-\\x{10ffff}]");
	else
		buf_addf(o, "[%s%s]", negate ? "^" : "", cls->ptr);
	if (fold)
		buf_addch(o, ')');
	return add_item(ps, K_CLASS, start, (struct measure){ 1, 1, 1 });
}

static int parse_class_char(struct parser *ps, const char *s, const char *whole_class, uint32_t *r,
			    const char **rest)
{
	if (s >= ps->end)
		return go_error(E_BRACKET, whole_class, (size_t)(ps->end - whole_class));
	if (*s == '\\')
		return parse_escape(ps, s, r, rest);
	return next_rune(ps, s, r, rest);
}

/* Go's parseClass at s ('['). */
static int parse_class(struct parser *ps, const char *s, const char **rest)
{
	const char *t = s + 1;
	const char *end = ps->end;
	bool negate = false;
	if (t < end && *t == '^') {
		negate = true;
		t++;
	}
	struct buf cls = BUF_INIT;
	int rc = 0;
	bool first = true;
	while (t >= end || *t != ']' || first) {
		first = false;
		/* POSIX [:alnum:] */
		if (end - t > 2 && t[0] == '[' && t[1] == ':') {
			const char *e = NULL;
			for (const char *q = t + 2; q + 1 < end; q++) {
				if (q[0] == ':' && q[1] == ']') {
					e = q + 2;
					break;
				}
			}
			if (e) {
				const char *nm = t + 2;
				size_t nl = (size_t)(e - 2 - nm);
				bool neg = nl && *nm == '^';
				if (neg) {
					nm++;
					nl--;
				}
				const struct rx_ascii_class *pc = rx_posix_class(nm, nl);
				if (!pc) {
					rc = go_error(E_CLASS_RANGE, t, (size_t)(e - t));
					goto done;
				}
				rx_add_ascii(&cls, pc, neg);
				t = e;
				continue;
			}
		}
		/* Unicode \p{Han} */
		if (end - t >= 2 && t[0] == '\\' && (t[1] == 'p' || t[1] == 'P')) {
			if ((rc = parse_unicode(ps, t, &cls, &t)))
				goto done;
			continue;
		}
		/* Perl \d */
		bool neg;
		const struct rx_ascii_class *pc;
		if (end - t >= 2 && t[0] == '\\' && (pc = rx_perl_class(t[1], &neg))) {
			rx_add_ascii(&cls, pc, neg);
			t += 2;
			continue;
		}
		/* a character or a range */
		const char *rng = t;
		uint32_t lo, hi;
		if ((rc = parse_class_char(ps, t, s, &lo, &t)))
			goto done;
		hi = lo;
		if (end - t >= 2 && t[0] == '-' && t[1] != ']') {
			t++;
			if ((rc = parse_class_char(ps, t, s, &hi, &t)))
				goto done;
			if (hi < lo) {
				rc = go_error(E_CLASS_RANGE, rng, (size_t)(t - rng));
				goto done;
			}
		}
		rx_add_range(&cls, lo, hi);
	}
	t++; /* ] */
	rc = add_class(ps, &cls, negate);
	*rest = t;
done:
	buf_release(&cls);
	return rc;
}

/* ---- repetition ------------------------------------------------------------------------ */

enum { OP_STAR, OP_PLUS, OP_QUEST, OP_REPEAT };

/* Go's parseInt: decimal without leading zeros; -1 when too big; false when not a number. */
static bool parse_int(const char **s, const char *end, int *n)
{
	const char *t = *s;
	if (t >= end || *t < '0' || *t > '9')
		return false;
	if (end - t >= 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9')
		return false;
	long v = 0;
	for (; t < end && *t >= '0' && *t <= '9'; t++) {
		if (v >= 100000000)
			v = -1;
		if (v >= 0)
			v = v * 10 + (*t - '0');
	}
	*n = (int)v;
	*s = t;
	return true;
}

/* Go's parseRepeat at s ('{'): false when it is not a repeat (then '{' is a literal). */
static bool parse_repeat(const char *s, const char *end, int *min, int *max, const char **rest)
{
	const char *t = s + 1;
	if (!parse_int(&t, end, min) || t >= end)
		return false;
	if (*t != ',') {
		*max = *min;
	} else {
		t++;
		if (t >= end)
			return false;
		if (*t == '}') {
			*max = -1;
		} else {
			if (!parse_int(&t, end, max))
				return false;
			if (*max < 0)
				*min = -1;
		}
	}
	if (t >= end || *t != '}')
		return false;
	*rest = t + 1;
	return true;
}

/* Go's repeat(): applies op to the last item. before is where the operator starts, after
 * just past it; returns the rest of the pattern in *rest. */
static int apply_repeat(struct parser *ps, int op, int min, int max, const char *before, const char *after,
			const char **rest)
{
	bool nongreedy = ps->flags & F_NONGREEDY;
	if (after < ps->end && *after == '?') {
		after++;
		nongreedy = !nongreedy;
	}
	if (ps->last_repeat)
		return go_error(E_REPEAT_OP, ps->last_repeat, (size_t)(after - ps->last_repeat));
	struct frame *f = top(ps);
	if (f->last_kind == K_NONE)
		return go_error(E_REPEAT_ARG, before, (size_t)(after - before));
	struct buf *o = &ps->out;
	if (f->last_kind == K_ASSERT || f->last_kind == K_REPEAT) {
		/* PCRE2 quantifies neither an assertion nor a quantifier: group it */
		struct buf tail = BUF_INIT;
		buf_add(&tail, o->ptr + f->last_start, o->len - f->last_start);
		o->len = f->last_start;
		o->ptr[o->len] = '\0';
		buf_adds(o, "(?:");
		buf_add(o, tail.ptr, tail.len);
		buf_addch(o, ')');
		buf_release(&tail);
	}
	struct measure sub = f->last, m;
	switch (op) {
	case OP_STAR:
		buf_addch(o, '*');
		m.size = 2 + sub.size;
		break;
	case OP_PLUS:
		buf_addch(o, '+');
		m.size = 1 + sub.size;
		break;
	case OP_QUEST:
		buf_addch(o, '?');
		m.size = 1 + sub.size;
		break;
	default:
		if (max == -1)
			buf_addf(o, "{%d,}", min);
		else if (max == min)
			buf_addf(o, "{%d}", min);
		else
			buf_addf(o, "{%d,%d}", min, max);
		if (max == -1)
			m.size = min == 0 ? 2 + sub.size : 1 + (int64_t)min * sub.size;
		else
			m.size = (int64_t)max * sub.size + (max - min);
		break;
	}
	if (nongreedy)
		buf_addch(o, '?');
	if (m.size < 1)
		m.size = 1;
	m.height = sub.height + 1;
	m.prod = sub.prod;
	if (op == OP_REPEAT) {
		int n = max == -1 ? min : max;
		if (max == 0)
			m.prod = 1;
		else if (n > 0)
			m.prod = (int64_t)n * sub.prod > GO_MAX_REPEAT ? GO_MAX_REPEAT + 1 : n * sub.prod;
	}
	int rc = check_node(ps, &m, op == OP_REPEAT ? (max == -1 ? min : max) : 0);
	if (rc)
		return rc;
	if (op == OP_REPEAT && (min >= 2 || max >= 2) && m.prod > GO_MAX_REPEAT)
		return go_error(E_REPEAT_SIZE, before, (size_t)(after - before));
	f->last_kind = K_REPEAT;
	f->last = m;
	*rest = after;
	return 0;
}

/* ---- groups and flags ------------------------------------------------------------------ */

static void add_group_name(struct parser *ps, const char *name, size_t n)
{
	/* ps->ngroups counts the groups opened so far, this one included */
	if (ps->ngroups >= ps->names_cap) {
		size_t cap = ps->names_cap ? 2 * ps->names_cap : 8;
		while (cap <= ps->ngroups)
			cap *= 2;
		ps->names = xrealloc(ps->names, cap * sizeof(*ps->names));
		memset(ps->names + ps->names_cap, 0, (cap - ps->names_cap) * sizeof(*ps->names));
		ps->names_cap = cap;
	}
	if (name)
		ps->names[ps->ngroups] = xstrndup(name, n);
}

static void open_capture(struct parser *ps, const char *name, size_t n)
{
	ps->ngroups++;
	add_group_name(ps, name, n);
	push_frame(ps, ps->out.len, ps->flags, true);
	buf_addch(&ps->out, '(');
}

/* Go's parsePerlFlags at s ("(?"). */
static int parse_perl_flags(struct parser *ps, const char *s, const char **rest)
{
	const char *end = ps->end;
	size_t rem = (size_t)(end - s);
	bool starts_p = rem > 4 && s[2] == 'P' && s[3] == '<';
	bool starts_name = rem > 3 && s[2] == '<';
	int rc;
	if (starts_p || starts_name) {
		const char *name = s + (starts_p ? 4 : 3);
		const char *gt = memchr(s, '>', rem);
		if (!gt) {
			if ((rc = check_utf8(s, end)))
				return rc;
			return go_error(E_NAMED, s, rem);
		}
		if ((rc = check_utf8(name, gt)))
			return rc;
		bool ok = name < gt;
		for (const char *q = name; q < gt; q++)
			if (*q != '_' && !rx_is_alnum((unsigned char)*q))
				ok = false;
		if (!ok)
			return go_error(E_NAMED, s, (size_t)(gt + 1 - s));
		open_capture(ps, name, (size_t)(gt - name));
		*rest = gt + 1;
		return 0;
	}
	const char *t = s + 2;
	unsigned flags = ps->flags;
	int sign = 1;
	bool saw = false;
	while (t < end) {
		uint32_t c;
		if ((rc = next_rune(ps, t, &c, &t)))
			return rc;
		switch (c) {
		case 'i':
			flags |= F_FOLD;
			saw = true;
			continue;
		case 'm':
			flags &= ~(unsigned)F_ONELINE;
			saw = true;
			continue;
		case 's':
			flags |= F_DOTNL;
			saw = true;
			continue;
		case 'U':
			flags |= F_NONGREEDY;
			saw = true;
			continue;
		case '-':
			if (sign < 0)
				break;
			sign = -1;
			flags = ~flags;
			saw = false;
			continue;
		case ':':
		case ')':
			if (sign < 0) {
				if (!saw)
					break;
				flags = ~flags;
			}
			if (c == ':') {
				push_frame(ps, ps->out.len, ps->flags, false);
				buf_adds(&ps->out, "(?:");
			}
			ps->flags = flags & F_ALL;
			*rest = t;
			return 0;
		}
		break;
	}
	return go_error(E_PERL, s, (size_t)(t - s));
}

/* ---- the parser ------------------------------------------------------------------------ */

static int parse_backslash(struct parser *ps, const char *t, const char **rest)
{
	const char *end = ps->end;
	int rc;
	if (end - t >= 2) {
		switch (t[1]) {
		case 'A':
			*rest = t + 2;
			return add_simple(ps, K_ASSERT, "\\A");
		case 'b':
			*rest = t + 2;
			return add_simple(ps, K_ASSERT, "\\b");
		case 'B':
			*rest = t + 2;
			return add_simple(ps, K_ASSERT, "\\B");
		case 'z':
			*rest = t + 2;
			return add_simple(ps, K_ASSERT, "\\z");
		case 'C':
			return go_error(E_ESCAPE, t, 2);
		case 'Q': {
			const char *lit = t + 2, *lit_end = end, *after = end;
			for (const char *q = lit; q + 1 < end; q++) {
				if (q[0] == '\\' && q[1] == 'E') {
					lit_end = q;
					after = q + 2;
					break;
				}
			}
			while (lit < lit_end) {
				size_t k = utf8_valid_prefix(lit, (size_t)(lit_end - lit));
				if (k == 0)
					return go_error(E_UTF8, lit, (size_t)(lit_end - lit));
				if ((rc = add_literal(ps, utf8_decode(lit, k))))
					return rc;
				lit += k;
			}
			*rest = after;
			return 0;
		}
		case 'p':
		case 'P': {
			struct buf cls = BUF_INIT;
			rc = parse_unicode(ps, t, &cls, rest);
			if (!rc)
				rc = add_class(ps, &cls, false);
			buf_release(&cls);
			return rc;
		}
		}
		bool neg;
		const struct rx_ascii_class *pc = rx_perl_class(t[1], &neg);
		if (pc) {
			struct buf cls = BUF_INIT;
			rx_add_ascii(&cls, pc, false);
			rc = add_class(ps, &cls, neg);
			buf_release(&cls);
			*rest = t + 2;
			return rc;
		}
	}
	uint32_t c;
	if ((rc = parse_escape(ps, t, &c, rest)))
		return rc;
	return add_literal(ps, c);
}

static int parse(struct parser *ps)
{
	const char *t = ps->whole, *end = ps->end;
	push_frame(ps, 0, ps->flags, false);
	int rc = 0;
	while (t < end) {
		const char *repeat = NULL;
		uint32_t c;
		switch (*t) {
		default:
			if ((rc = next_rune(ps, t, &c, &t)))
				return rc;
			rc = add_literal(ps, c);
			break;
		case '(':
			if (end - t >= 2 && t[1] == '?') {
				rc = parse_perl_flags(ps, t, &t);
				break;
			}
			open_capture(ps, NULL, 0);
			t++;
			break;
		case '|':
			if ((rc = end_branch(ps)))
				return rc;
			buf_addch(&ps->out, '|');
			t++;
			break;
		case ')':
			rc = close_group(ps);
			t++;
			break;
		case '^':
			rc = add_simple(ps, K_ASSERT, ps->flags & F_ONELINE ? "\\A" : "^");
			t++;
			break;
		case '$':
			rc = add_simple(ps, K_ASSERT, ps->flags & F_ONELINE ? "\\z" : "$");
			t++;
			break;
		case '.':
			rc = add_simple(ps, K_CLASS, ps->flags & F_DOTNL ? "(?s:.)" : ".");
			t++;
			break;
		case '[':
			rc = parse_class(ps, t, &t);
			break;
		case '*':
		case '+':
		case '?': {
			int op = *t == '*' ? OP_STAR : *t == '+' ? OP_PLUS : OP_QUEST;
			repeat = t;
			rc = apply_repeat(ps, op, 0, 0, t, t + 1, &t);
			break;
		}
		case '{': {
			int min, max;
			const char *after;
			if (!parse_repeat(t, end, &min, &max, &after)) {
				rc = add_literal(ps, '{');
				t++;
				break;
			}
			if (min < 0 || min > GO_MAX_REPEAT || max > GO_MAX_REPEAT || (max >= 0 && min > max))
				return go_error(E_REPEAT_SIZE, t, (size_t)(after - t));
			repeat = t;
			rc = apply_repeat(ps, OP_REPEAT, min, max, t, after, &t);
			break;
		}
		case '\\':
			rc = parse_backslash(ps, t, &t);
			break;
		}
		if (rc)
			return rc;
		ps->last_repeat = repeat;
	}
	struct measure v;
	if ((rc = frame_value(ps, &v)))
		return rc;
	if (ps->nst != 1)
		return whole_error(ps, E_PAREN);
	return 0;
}

int rx_translate(const char *pattern, size_t len, struct buf *out, char ***names, size_t *ngroups)
{
	struct parser ps = { .whole = pattern, .end = pattern + len, .flags = F_ONELINE };
	buf_init(&ps.out, 0);
	int rc = parse(&ps);
	free(ps.st);
	if (rc) {
		for (size_t i = 0; i < ps.names_cap; i++)
			free(ps.names[i]);
		free(ps.names);
		buf_release(&ps.out);
		return rc;
	}
	char **n = xcalloc(ps.ngroups + 1, sizeof(*n));
	for (size_t i = 1; i <= ps.ngroups && i < ps.names_cap; i++)
		n[i] = ps.names[i];
	free(ps.names);
	*out = ps.out;
	*names = n;
	*ngroups = ps.ngroups;
	return 0;
}
