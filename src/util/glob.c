/*
 * Glob matching (see glob.h): Go's path.Match, chunk by chunk as Go scans it (a run of
 * stars, then a literal chunk matched at the earliest position that lets the rest match,
 * the remainder checked for syntax after a mismatch), and doublestar v4's Match, a single
 * pass with one '*' and one '/\*\*' backtrack point and alternatives tried one by one, each
 * on the pattern rewritten with that alternative in place of the group. Runes are decoded
 * as Go decodes them: an invalid byte is U+FFFD of width 1.
 */
#include "util/glob.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define RUNE_ERROR 0xfffdu
#define MAX_RUNE 0x10ffffu
#define BAD_PATTERN() err_set(ERR_INVALID, "syntax error in pattern")

/* utf8.DecodeRuneInString: U+FFFD of width 1 for an invalid byte, width 0 at the end. */
static uint32_t decode(const char *s, size_t n, size_t *w)
{
	if (n == 0) {
		*w = 0;
		return RUNE_ERROR;
	}
	size_t l = utf8_valid_prefix(s, n);
	if (!l) {
		*w = 1;
		return RUNE_ERROR;
	}
	*w = l;
	return utf8_decode(s, l);
}

/* ---- Go's path.Match -------------------------------------------------------------------*/

/* scanChunk: the leading stars, then the chunk up to the next star outside a class. */
static void scan_chunk(const char **p, size_t *pn, bool *star, const char **chunk, size_t *cl)
{
	*star = false;
	while (*pn > 0 && **p == '*') {
		(*p)++;
		(*pn)--;
		*star = true;
	}
	bool inrange = false;
	size_t i;
	for (i = 0; i < *pn; i++) {
		char c = (*p)[i];
		if (c == '\\') {
			if (i + 1 < *pn)
				i++;
		} else if (c == '[') {
			inrange = true;
		} else if (c == ']') {
			inrange = false;
		} else if (c == '*' && !inrange) {
			break;
		}
	}
	*chunk = *p;
	*cl = i;
	*p += i;
	*pn -= i;
}

/* getEsc: one (possibly escaped) character of a class; bad when none is left after it. */
static int get_esc(const char **c, size_t *cn, uint32_t *r)
{
	const char *p = *c;
	size_t n = *cn;
	if (n == 0 || p[0] == '-' || p[0] == ']')
		return BAD_PATTERN();
	if (p[0] == '\\') {
		p++;
		n--;
		if (n == 0)
			return BAD_PATTERN();
	}
	size_t w;
	*r = decode(p, n, &w);
	bool bad = *r == RUNE_ERROR && w == 1;
	p += w;
	n -= w;
	*c = p;
	*cn = n;
	return bad || n == 0 ? BAD_PATTERN() : 0;
}

/* matchChunk: whether chunk matches a prefix of s; *rest is what is left of s. The whole
 * chunk is parsed even after a mismatch, so that a malformed one is always reported. */
static int match_chunk(const char *c, size_t cn, const char *s, size_t sn, size_t *rest, bool *ok)
{
	bool failed = false;
	size_t si = 0;
	*ok = false;
	while (cn > 0) {
		if (!failed && si == sn)
			failed = true;
		switch (c[0]) {
		case '[': {
			uint32_t r = 0;
			if (!failed) {
				size_t w;
				r = decode(s + si, sn - si, &w);
				si += w;
			}
			c++;
			cn--;
			bool negated = false;
			if (cn > 0 && c[0] == '^') {
				negated = true;
				c++;
				cn--;
			}
			bool match = false;
			int nrange = 0;
			for (;;) {
				if (cn > 0 && c[0] == ']' && nrange > 0) {
					c++;
					cn--;
					break;
				}
				uint32_t lo, hi;
				if (get_esc(&c, &cn, &lo))
					return ERR_INVALID;
				hi = lo;
				if (c[0] == '-') {
					c++;
					cn--;
					if (get_esc(&c, &cn, &hi))
						return ERR_INVALID;
				}
				if (lo <= r && r <= hi)
					match = true;
				nrange++;
			}
			if (match == negated)
				failed = true;
			break;
		}
		case '?':
			if (!failed) {
				if (s[si] == '/')
					failed = true;
				size_t w;
				decode(s + si, sn - si, &w);
				si += w;
			}
			c++;
			cn--;
			break;
		case '\\':
			c++;
			cn--;
			if (cn == 0)
				return BAD_PATTERN();
			/* fallthrough */
		default:
			if (!failed) {
				if (c[0] != s[si])
					failed = true;
				si++;
			}
			c++;
			cn--;
			break;
		}
	}
	if (failed)
		return 0;
	*rest = sn - si;
	*ok = true;
	return 0;
}

int glob_match(const char *pattern, const char *name, bool *out)
{
	const char *p = pattern, *s = name;
	size_t pn = strlen(pattern), sn = strlen(name);
	*out = false;
	while (pn > 0) {
		bool star, ok;
		const char *chunk;
		size_t cl, rest;
		scan_chunk(&p, &pn, &star, &chunk, &cl);
		if (star && cl == 0) {
			/* a trailing star matches the rest unless it holds a '/' */
			*out = memchr(s, '/', sn) == NULL;
			return 0;
		}
		int rc = match_chunk(chunk, cl, s, sn, &rest, &ok);
		if (ok && (rest == 0 || pn > 0)) {
			s += sn - rest;
			sn = rest;
			continue;
		}
		if (rc)
			return rc;
		bool next = false;
		if (star) {
			for (size_t i = 0; i < sn && s[i] != '/' && !next; i++) {
				rc = match_chunk(chunk, cl, s + i + 1, sn - i - 1, &rest, &ok);
				if (ok) {
					if (pn == 0 && rest > 0)
						continue;
					s += sn - rest;
					sn = rest;
					next = true;
				} else if (rc) {
					return rc;
				}
			}
		}
		if (next)
			continue;
		/* no match: the rest of the pattern must still be well-formed */
		while (pn > 0) {
			scan_chunk(&p, &pn, &star, &chunk, &cl);
			if ((rc = match_chunk(chunk, cl, "", 0, &rest, &ok)))
				return rc;
		}
		return 0;
	}
	*out = sn == 0;
	return 0;
}

bool glob_has_meta(const char *pattern)
{
	return strpbrk(pattern, "*?[\\") != NULL;
}

/* ---- doublestar's Match ----------------------------------------------------------------*/

struct ds {
	long steps;
	int depth;
};

#define DS_MAX_DEPTH 1000

static int ds_budget(struct ds *d, size_t cost)
{
	d->steps += (long)cost + 1;
	if (d->steps > GLOB_DS_MAX_STEPS)
		return err_set(ERR_TOOBIG, "pattern too complex: matching took more than %d steps",
			       GLOB_DS_MAX_STEPS);
	return 0;
}

static bool ds_validate(const char *s, size_t l)
{
	int alt_depth = 0;
	for (size_t i = 0; i < l; i++) {
		switch (s[i]) {
		case '\\':
			if (++i >= l)
				return false;
			continue;
		case '[':
			if (++i >= l)
				return false;
			if (s[i] == '^' || s[i] == '!')
				i++;
			if (i >= l || s[i] == ']')
				return false;
			for (; i < l; i++) {
				if (s[i] == '\\')
					i++;
				else if (s[i] == ']')
					break;
			}
			if (i >= l)
				return false;
			continue;
		case '{':
			alt_depth++;
			continue;
		case '}':
			if (alt_depth == 0)
				return false;
			alt_depth--;
			continue;
		}
	}
	return alt_depth == 0;
}

bool glob_ds_valid(const char *pattern)
{
	return ds_validate(pattern, strlen(pattern));
}

static long index_unescaped_byte(const char *s, size_t l, char c)
{
	for (size_t i = 0; i < l; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == c)
			return (long)i;
	}
	return -1;
}

/* The '}' closing the group whose '{' is just before s. */
static long index_matched_closing_alt(const char *s, size_t l)
{
	int alts = 1;
	for (size_t i = 0; i < l; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '{') {
			alts++;
		} else if (s[i] == '}') {
			if (--alts == 0)
				return (long)i;
		}
	}
	return -1;
}

/* The next ',' of this group, nested groups skipped. */
static long index_next_alt(const char *s, size_t l)
{
	int alts = 1;
	for (size_t i = 0; i < l; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '{')
			alts++;
		else if (s[i] == '}')
			alts--;
		else if (s[i] == ',' && alts == 1)
			return (long)i;
	}
	return -1;
}

/* a[0..an) + b[0..bn) + c[0..cn), NUL-terminated, heap. */
static char *concat3(const char *a, size_t an, const char *b, size_t bn, const char *c, size_t cn)
{
	char *s = xmalloc(an + bn + cn + 1);
	memcpy(s, a, an);
	memcpy(s + an, b, bn);
	memcpy(s + an + bn, c, cn);
	s[an + bn + cn] = '\0';
	return s;
}

/* isZeroLengthPattern: whether what is left of the pattern matches an empty name ("/\*\*"
 * after a directory matches the directory itself). */
static int ds_zero_length(struct ds *d, const char *p, size_t l, bool validate, bool *out)
{
	*out = false;
	int rc;
	if ((rc = ds_budget(d, l)))
		return rc;
	switch (l) {
	case 0:
		*out = true;
		return 0;
	case 1:
		if (p[0] == '*')
			return *out = true, 0;
		break;
	case 2:
		if (!memcmp(p, "**", 2))
			return *out = true, 0;
		break;
	case 3:
		if ((!memcmp(p + 1, "**", 2) && p[0] == '/') || (!memcmp(p, "**", 2) && p[2] == '/'))
			return *out = true, 0;
		break;
	case 4:
		if (!memcmp(p + 1, "**", 2) && p[0] == '/' && p[3] == '/')
			return *out = true, 0;
		break;
	}
	if (p[0] == '{') {
		long closing = index_matched_closing_alt(p + 1, l - 1);
		if (closing < 0)
			return BAD_PATTERN();
		size_t ci = (size_t)closing + 1, pi = 1;
		if (++d->depth > DS_MAX_DEPTH)
			return err_set(ERR_TOOBIG, "pattern too complex: alternatives nested more than %d deep",
				       DS_MAX_DEPTH);
		for (;;) {
			long comma = index_next_alt(p + pi, ci - pi);
			size_t end = comma < 0 ? ci : pi + (size_t)comma;
			char *alt = concat3(p + pi, end - pi, p + ci + 1, l - ci - 1, "", 0);
			rc = ds_zero_length(d, alt, strlen(alt), validate, out);
			free(alt);
			if (rc || *out || comma < 0)
				break;
			pi = end + 1;
		}
		d->depth--;
		return rc;
	}
	if (validate && !ds_validate(p, l))
		return BAD_PATTERN();
	return 0;
}

struct ds_state {
	long ds_pat, ds_name; /* the '/\*\*' backtrack point, or -1 */
	long star_pat, star_name; /* the '*' backtrack point, or -1 */
	size_t pat, name;
};

static int ds_do(struct ds *d, const char *pattern, size_t plen, const char *name, size_t nlen,
		 bool validate, struct ds_state st, bool *out);

/* A '{' at st.pat: each alternative in turn, on the pattern with it in the group's place. */
static int ds_alts(struct ds *d, const char *pattern, size_t plen, const char *name, size_t nlen,
		   bool validate, struct ds_state st, bool *out)
{
	size_t before = st.pat, pi = st.pat + 1;
	long closing = index_matched_closing_alt(pattern + pi, plen - pi);
	if (closing < 0)
		return BAD_PATTERN();
	size_t ci = pi + (size_t)closing;
	if (++d->depth > DS_MAX_DEPTH)
		return err_set(ERR_TOOBIG, "pattern too complex: alternatives nested more than %d deep",
			       DS_MAX_DEPTH);
	int rc = 0;
	for (;;) {
		long comma = index_next_alt(pattern + pi, ci - pi);
		size_t end = comma < 0 ? ci : pi + (size_t)comma;
		char *alt = concat3(pattern, before, pattern + pi, end - pi, pattern + ci + 1, plen - ci - 1);
		struct ds_state sub = st;
		sub.pat = before;
		rc = ds_budget(d, plen);
		if (!rc)
			rc = ds_do(d, alt, strlen(alt), name, nlen, validate, sub, out);
		free(alt);
		if (rc || *out || comma < 0)
			break;
		pi = end + 1;
	}
	d->depth--;
	return rc;
}

static int ds_do(struct ds *d, const char *pattern, size_t plen, const char *name, size_t nlen,
		 bool validate, struct ds_state st, bool *out)
{
	bool seg_start = true;
	size_t pi = st.pat, ni = st.name;
	int rc;
	*out = false;
	while (ni < nlen) {
		if ((rc = ds_budget(d, 0)))
			return rc;
		if (pi < plen) {
			switch (pattern[pi]) {
			case '*':
				if (++pi < plen && pattern[pi] == '*') {
					/* a doublestar only starts a segment and ends with a '/' */
					pi++;
					if (seg_start) {
						if (pi >= plen)
							return *out = true, 0; /* ends in "/\*\*" */
						if (pattern[pi] == '/') {
							pi++;
							st.ds_pat = (long)pi;
							st.ds_name = (long)ni;
							st.star_pat = st.star_name = -1;
							continue;
						}
					}
				}
				seg_start = false;
				st.star_pat = (long)pi;
				st.star_name = (long)ni;
				continue;
			case '?': {
				seg_start = false;
				size_t w;
				if (decode(name + ni, nlen - ni, &w) == '/')
					break;
				pi++;
				ni += w;
				continue;
			}
			case '[': {
				seg_start = false;
				if (++pi >= plen)
					return BAD_PATTERN();
				size_t nw;
				uint32_t nr = decode(name + ni, nlen - ni, &nw);
				bool matched = false, negate = pattern[pi] == '!' || pattern[pi] == '^';
				if (negate)
					pi++;
				if (pi >= plen || pattern[pi] == ']')
					return BAD_PATTERN();
				uint32_t last = MAX_RUNE;
				while (pi < plen && pattern[pi] != ']') {
					size_t pw;
					uint32_t pr = decode(pattern + pi, plen - pi, &pw);
					pi += pw;
					if (last < MAX_RUNE && pr == '-' && pi < plen && pattern[pi] != ']') {
						if (pattern[pi] == '\\')
							pi++;
						pr = decode(pattern + pi, plen - pi, &pw);
						pi += pw;
						if (last <= nr && nr <= pr) {
							matched = true;
							break;
						}
						last = MAX_RUNE;
						continue;
					}
					if (pr == '\\') {
						pr = decode(pattern + pi, plen - pi, &pw);
						pi += pw;
					}
					if (pr == nr) {
						matched = true;
						break;
					}
					last = pr;
				}
				if (matched == negate) {
					if (pi >= plen)
						return BAD_PATTERN();
					break;
				}
				long closing = index_unescaped_byte(pattern + pi, plen - pi, ']');
				if (closing < 0)
					return BAD_PATTERN();
				pi += (size_t)closing + 1;
				ni += nw;
				continue;
			}
			case '{':
				st.pat = pi;
				st.name = ni;
				return ds_alts(d, pattern, plen, name, nlen, validate, st, out);
			case '\\':
				if (++pi >= plen)
					return BAD_PATTERN();
				/* fallthrough */
			default: {
				size_t pw, nw;
				uint32_t pr = decode(pattern + pi, plen - pi, &pw);
				uint32_t nr = decode(name + ni, nlen - ni, &nw);
				if (pr != nr) {
					if (pi > 0 && pattern[pi - 1] == '\\')
						pi--; /* back to the escape, for the backtrack or validation */
					break;
				}
				pi += pw;
				ni += nw;
				seg_start = pr == '/';
				continue;
			}
			}
		}
		if (st.star_pat >= 0) {
			/* '*' backtrack, unless it would swallow a '/' */
			size_t w;
			if (decode(name + st.star_name, nlen - (size_t)st.star_name, &w) != '/') {
				st.star_name += (long)w;
				pi = (size_t)st.star_pat;
				ni = (size_t)st.star_name;
				seg_start = false;
				continue;
			}
		}
		if (st.ds_pat >= 0) {
			/* '/\*\*' backtrack: the name past its next '/' */
			bool again = false;
			ni = (size_t)st.ds_name;
			while (ni < nlen && !again) {
				size_t w;
				uint32_t r = decode(name + ni, nlen - ni, &w);
				ni += w;
				if (r == '/') {
					st.ds_name = (long)ni;
					pi = (size_t)st.ds_pat;
					seg_start = true;
					again = true;
				}
			}
			if (again)
				continue;
		}
		if (validate && pi < plen && !ds_validate(pattern + pi, plen - pi))
			return BAD_PATTERN();
		return 0;
	}
	return ds_zero_length(d, pattern + pi, plen - pi, validate, out);
}

int glob_ds_match(const char *pattern, const char *name, bool validate, bool *out)
{
	struct ds d = { 0, 0 };
	struct ds_state st = { -1, -1, -1, -1, 0, 0 };
	int rc = ds_do(&d, pattern, strlen(pattern), name, strlen(name), validate, st, out);
	if (rc == ERR_INVALID && !validate) {
		/* MatchUnvalidated: the error is dropped, the answer is no */
		err_clear();
		*out = false;
		return 0;
	}
	if (rc)
		*out = false;
	return rc;
}
