/* Semantic versions and Masterminds-style constraints; see semver.h. */
#include "util/semver.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* Reads digits at *p into *out; 0, or ERR_INVALID on no digits or overflow. This and the
 * static parsers below leave the message to semver_parse and semver_constraint_parse. */
static int read_num(const char **p, uint64_t *out)
{
	const char *s = *p;
	uint64_t v = 0;
	if (!isdigit((unsigned char)*s))
		return ERR_INVALID;
	while (isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return ERR_INVALID;
		v = v * 10 + d;
		s++;
	}
	*out = v;
	*p = s;
	return 0;
}

static int ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '-';
}

/* Reads dot-separated non-empty identifiers; returns the length read or -1. */
static long read_idents(const char *s)
{
	const char *p = s;
	for (;;) {
		const char *start = p;
		while (ident_char(*p))
			p++;
		if (p == start)
			return -1;
		if (*p != '.')
			break;
		p++;
	}
	return (long)(p - s);
}

/* Parses a version at *p, leaving *p after it. parts gets how many numeric parts were given
 * (0 when the first is a wildcard); wildcards are allowed only when allow_wild. 0 or ERR_INVALID. */
static int parse_at(const char **p, struct semver *out, int *parts, int allow_wild)
{
	const char *s = *p;
	uint64_t nums[3] = {0, 0, 0};
	int n = 0, wild = 0;
	memset(out, 0, sizeof(*out));
	if (*s == 'v' || *s == 'V')
		s++;
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*s != '.')
				break;
			s++;
		}
		if (allow_wild && (*s == 'x' || *s == 'X' || *s == '*')) {
			wild = 1;
			s++;
			continue;
		}
		if (wild || read_num(&s, &nums[i]) != 0)
			return ERR_INVALID;
		n++;
	}
	if (*s == '-') {
		long len = read_idents(s + 1);
		if (len < 0 || len >= SEMVER_PRE_MAX)
			return ERR_INVALID;
		memcpy(out->pre, s + 1, (size_t)len);
		out->pre[len] = '\0';
		s += 1 + len;
	}
	if (*s == '+') {
		long len = read_idents(s + 1);
		if (len < 0)
			return ERR_INVALID;
		s += 1 + len;
	}
	out->major = nums[0];
	out->minor = nums[1];
	out->patch = nums[2];
	*parts = n;
	*p = s;
	return 0;
}

int semver_parse(const char *s, struct semver *out)
{
	const char *p = s;
	int parts;
	if (parse_at(&p, out, &parts, 0) != 0 || *p != '\0')
		return err_set(ERR_INVALID, "'%.200s': not a semantic version", s);
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return n > 0;
}

static int compare_pre(const char *a, const char *b)
{
	if (!*a || !*b)
		return (!*a) - (!*b); /* no prerelease sorts after one */
	for (;;) {
		size_t la = strcspn(a, "."), lb = strcspn(b, ".");
		int da = all_digits(a, la), db = all_digits(b, lb);
		int c;
		if (da && db) {
			/* numeric: skip leading zeros, longer is larger */
			while (la > 1 && *a == '0') a++, la--;
			while (lb > 1 && *b == '0') b++, lb--;
			c = la != lb ? (la < lb ? -1 : 1) : memcmp(a, b, la);
		} else if (da != db) {
			c = da ? -1 : 1;
		} else {
			c = memcmp(a, b, la < lb ? la : lb);
			if (c == 0 && la != lb)
				c = la < lb ? -1 : 1;
		}
		if (c)
			return c < 0 ? -1 : 1;
		a += la;
		b += lb;
		if (!*a || !*b)
			return (*a != 0) - (*b != 0);
		a++;
		b++;
	}
}

int semver_compare(const struct semver *a, const struct semver *b)
{
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->patch != b->patch)
		return a->patch < b->patch ? -1 : 1;
	return compare_pre(a->pre, b->pre);
}

/* One term as a range [lo, hi] with per-end inclusiveness; negate for "!=". */
struct semver_term {
	struct semver lo, hi;
	unsigned has_lo : 1, has_hi : 1, lo_incl : 1, hi_incl : 1, negate : 1, never : 1, pre : 1;
};

struct semver_constraint {
	unsigned flags; /* SEMVER_C_* */
	struct semver_term *terms;
	size_t nterms;
	size_t *group_end; /* terms[group_end[g-1] .. group_end[g]) form group g */
	size_t ngroups;
};

/* The version just past the range named by the first n parts of v ("1.2" -> 1.3.0). */
static struct semver next_after(const struct semver *v, int n)
{
	struct semver r;
	memset(&r, 0, sizeof(r));
	r.major = v->major;
	if (n <= 1) {
		r.major = v->major + 1;
	} else if (n == 2) {
		r.minor = v->minor + 1;
	} else {
		r.minor = v->minor;
		r.patch = v->patch + 1;
	}
	return r;
}

static void set_lo(struct semver_term *t, struct semver v, int incl)
{
	t->lo = v;
	t->has_lo = 1;
	t->lo_incl = incl ? 1 : 0;
}

static void set_hi(struct semver_term *t, struct semver v, int incl)
{
	t->hi = v;
	t->has_hi = 1;
	t->hi_incl = incl ? 1 : 0;
}

/* Builds the range for operator op applied to v with n given parts; ERR_INVALID for an
 * unknown operator. */
static int make_term(const char *op, const struct semver *v, int n, struct semver_term *t)
{
	struct semver floor = *v;
	memset(t, 0, sizeof(*t));
	t->pre = v->pre[0] != 0;
	if (!strcmp(op, "") || !strcmp(op, "=") || !strcmp(op, "!=")) {
		t->negate = op[0] == '!';
		if (n == 3) {
			set_lo(t, floor, 1);
			set_hi(t, floor, 1);
		} else if (n > 0) {
			set_lo(t, floor, 1);
			set_hi(t, next_after(v, n), 0);
		}
	} else if (!strcmp(op, ">")) {
		if (n == 3)
			set_lo(t, floor, 0);
		else if (n > 0)
			set_lo(t, next_after(v, n), 1);
		else
			set_lo(t, floor, 0); /* ">*": anything above 0.0.0, as Masterminds has it */
	} else if (!strcmp(op, ">=") || !strcmp(op, "=>")) {
		set_lo(t, floor, 1);
	} else if (!strcmp(op, "<")) {
		if (n > 0)
			set_hi(t, floor, 0);
		else
			t->never = 1;
	} else if (!strcmp(op, "<=") || !strcmp(op, "=<")) {
		if (n == 3)
			set_hi(t, floor, 1);
		else if (n > 0)
			set_hi(t, next_after(v, n), 0);
	} else if (!strcmp(op, "~") || !strcmp(op, "~>")) {
		if (n > 0) {
			set_lo(t, floor, 1);
			set_hi(t, next_after(v, n <= 1 ? 1 : 2), 0);
		}
	} else if (!strcmp(op, "^")) {
		if (n > 0) {
			int keep = (v->major > 0 || n == 1) ? 1 : (v->minor > 0 || n == 2) ? 2 : 3;
			set_lo(t, floor, 1);
			set_hi(t, next_after(v, keep), 0);
		}
	} else {
		return ERR_INVALID;
	}
	return 0;
}

/* pre: whether this term lets prerelease versions through (its own version has one, or,
 * under SEMVER_C_GROUP_PRE, some term of its group does). */
static int term_check(const struct semver_term *t, const struct semver *v, int pre)
{
	if (t->never)
		return 0;
	if (v->pre[0] && !pre)
		return 0;
	int in = 1;
	if (t->has_lo) {
		int c = semver_compare(v, &t->lo);
		in = in && (t->lo_incl ? c >= 0 : c > 0);
	}
	if (t->has_hi) {
		int c = semver_compare(v, &t->hi);
		in = in && (t->hi_incl ? c <= 0 : c < 0);
	}
	return t->negate ? !in : in;
}

static void skip_space(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static int push_term(struct semver_constraint *c, size_t *cap, const struct semver_term *t)
{
	if (c->nterms == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		c->terms = xrealloc(c->terms, *cap * sizeof(*c->terms));
	}
	c->terms[c->nterms++] = *t;
	return 0;
}

#define SEMVER_MAX_TERMS 1024

int semver_constraint_parse(const char *s, struct semver_constraint **out)
{
	return semver_constraint_parse_flags(s, 0, out);
}

int semver_constraint_parse_flags(const char *s, unsigned flags,
				  struct semver_constraint **out)
{
	struct semver_constraint *c = xcalloc(1, sizeof(*c));
	c->flags = flags;
	size_t cap = 0, gcap = 0;
	const char *p = s;
	*out = NULL;
	for (;;) {
		/* one group: terms until "||" or the end */
		size_t before = c->nterms;
		for (;;) {
			skip_space(&p);
			if (*p == '\0' || (p[0] == '|' && p[1] == '|'))
				break;
			if (c->nterms >= SEMVER_MAX_TERMS)
				goto bad;
			char op[3] = "";
			size_t ol = strspn(p, "=!<>~^");
			if (ol > 2)
				goto bad;
			memcpy(op, p, ol);
			op[ol] = '\0';
			p += ol;
			skip_space(&p);
			struct semver v;
			int n;
			struct semver_term t;
			if (parse_at(&p, &v, &n, 1) != 0)
				goto bad;
			/* hyphen range: "A - B" (spaces required around the hyphen) */
			const char *q = p;
			skip_space(&q);
			if (!op[0] && q != p && q[0] == '-' && (q[1] == ' ' || q[1] == '\t')) {
				q++;
				skip_space(&q);
				struct semver v2;
				int n2;
				if (parse_at(&q, &v2, &n2, 1) != 0)
					goto bad;
				make_term(">=", &v, n, &t);
				push_term(c, &cap, &t);
				make_term("<=", &v2, n2, &t);
				push_term(c, &cap, &t);
				p = q;
			} else {
				if (make_term(op, &v, n, &t) != 0)
					goto bad;
				push_term(c, &cap, &t);
			}
			skip_space(&p);
			if (*p == ',')
				p++;
			else if (*p && !(p[0] == '|' && p[1] == '|') && p[-1] != ' ' && p[-1] != '\t')
				goto bad;
		}
		if (c->nterms == before)
			goto bad; /* empty group */
		if (c->ngroups == gcap) {
			gcap = gcap ? gcap * 2 : 4;
			c->group_end = xrealloc(c->group_end, gcap * sizeof(*c->group_end));
		}
		c->group_end[c->ngroups++] = c->nterms;
		if (*p == '\0')
			break;
		p += 2;
	}
	*out = c;
	return 0;
bad:
	semver_constraint_free(c);
	return err_set(ERR_INVALID, "improper constraint: %.200s", s);
}

void semver_constraint_free(struct semver_constraint *c)
{
	if (!c)
		return;
	free(c->terms);
	free(c->group_end);
	free(c);
}

int semver_constraint_check(const struct semver_constraint *c, const struct semver *v)
{
	size_t start = 0;
	for (size_t g = 0; g < c->ngroups; g++) {
		int ok = 1, group_pre = 0;
		if (c->flags & SEMVER_C_GROUP_PRE)
			for (size_t i = start; i < c->group_end[g]; i++)
				group_pre |= c->terms[i].pre;
		for (size_t i = start; i < c->group_end[g] && ok; i++)
			ok = term_check(&c->terms[i], v,
					(c->flags & SEMVER_C_GROUP_PRE) ? group_pre : c->terms[i].pre);
		if (ok)
			return 1;
		start = c->group_end[g];
	}
	return 0;
}

long semver_latest(const struct semver_constraint *c, const char *const *names, size_t n)
{
	long best = -1;
	struct semver bv, v;
	for (size_t i = 0; i < n; i++) {
		if (semver_parse(names[i], &v) != 0)
			continue;
		if (!semver_constraint_check(c, &v))
			continue;
		if (best < 0 || semver_compare(&v, &bv) > 0) {
			best = (long)i;
			bv = v;
		}
	}
	err_clear();
	return best;
}
