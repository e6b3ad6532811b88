/*
 * Go regular expressions over PCRE2. This file owns the Go-compatibility contract of
 * util/regex.h: a pattern is first parsed here with Go's regexp/syntax rules (Perl flags, as
 * regexp.Compile uses), which rejects what Go rejects with Go's message and writes an
 * equivalent PCRE2 pattern as it goes; PCRE2 (8-bit, UTF, no UCP) then compiles that and
 * matches under limits. PCRE2 never sees the user's text, so none of its extensions (back
 * references, look-arounds, possessive quantifiers, atomic groups, \C, \K, verbs, callouts,
 * recursion, \R, \X, (?x), (?|...)) can be reached.
 *
 * What the parser follows from Go (regexp/syntax/parse.go, Go 1.22-1.25):
 *  - errors and their text: "error parsing regexp: <code>: `<expr>`" with Go's codes and the
 *    same <expr> Go quotes (the operator, the escape, the class, or the whole pattern for
 *    parentheses and limits). Invalid UTF-8 in a quoted expr is shown as U+FFFD, as Flux's
 *    JSON status shows Go's message.
 *  - repeat counts over 1000, and nested repeats whose counts multiply past 1000 ("invalid
 *    repeat count"); a repeat directly after a repeat, so a** a++ a*?? a{2}{3} ("invalid
 *    nested repetition operator"); parse trees deeper than 1000 ("expression nests too
 *    deeply") or larger than Go's 128 MiB program budget ("expression too large"), computed
 *    with Go's size formulas on a tree without Go's alternation factoring, so only the
 *    boundary can differ.
 *  - escapes: \a \f \n \r \t \v, octal \0 \012 (a lone \1..\9 is a back reference: invalid),
 *    \xHH \x{H..}, escaped ASCII punctuation, \A \z \b \B, \Q...\E, \d \D \s \S \w \W,
 *    \pN \p{Name} \PN \P{^Name}; anything else (\Z, \C, \e, \G, \K, \R, \X, \h, \cX, \o{..},
 *    [\b], \é, \E alone) is "invalid escape sequence".
 *  - groups: ( ) (?: ) (?flags) (?flags: ) with flags i m s U and one '-', (?P<name> and
 *    (?<name> with names [A-Za-z0-9_]+ (Go 1.22+); any other (? is "invalid or unsupported
 *    Perl syntax" or "invalid named capture" as Go says it.
 *  - classes: ] and - literal where Go takes them so, POSIX [:name:] and [:^name:] (ASCII),
 *    ranges checked lo <= hi, Perl and Unicode classes inside.
 *  - Unicode class names: general categories and their long names, scripts, Any, ASCII,
 *    Assigned, LC, matched ignoring case, '_', '-' and ' ' (Go 1.25 accepts all of these;
 *    older Go a subset, so nothing Go accepts is refused).
 *
 * How it is written for PCRE2, so that PCRE2's flags and tables play no part: each Go flag
 * is applied per item rather than passed on (^ is \A or ^ under PCRE2_MULTILINE|ALT_
 * CIRCUMFLEX, $ is \z or $, . is . or (?s:.), a case-folded literal or class is (?i:x),
 * greediness is written out per quantifier, so (?U) needs nothing); \d \w \s and the POSIX
 * classes are written as Go's ASCII ranges (Go's \s has no \v, PCRE2's has); literals are
 * written as \x{..}; a quantified assertion or a quantifier reached through a flag group
 * (a*(?i)*, legal in Go) is wrapped in (?:...); named groups become plain groups with their
 * names kept here (PCRE2 caps name length and refuses duplicates, Go does neither).
 *
 * Limits: patterns over REGEX_MAX_PATTERN bytes are refused; PCRE2's compiled size cap and
 * a parentheses nesting limit of 1100 (Go's tree height limit plus room for the wrappers
 * above) bound compile memory; matching runs with a step limit of 1M plus 16 per subject
 * byte (at most 50M, about a second at worst), a depth limit equal to it and a 64 MiB heap
 * limit, returning ERR_TIMEOUT or ERR_TOOBIG when one is hit.
 *
 * The files: this one (the API, PCRE2 compile and match), regex_syntax.c (the Go parser and
 * translation), regex_class.c (the class tables and Unicode names), regex_int.h between them.
 *
 * Known differences from Go, none reachable from a valid Kubernetes name:
 *  - NEEDSWORK: under (?i), \p{..} classes are not case-folded (PCRE2 does not fold them;
 *    Go does, so (?i)\p{Lu} also matches lowercase letters in Go), and \w and [a-z] fold as
 *    PCRE2 folds (which includes U+017F and U+212A as Go does).
 *  - submatches of a group under * or + whose body can match empty: PCRE2 keeps a final
 *    empty iteration ((a*)* on "a" sets the group to 1..1), Go drops it (0..1, golang/go
 *    #46123). Whether and where the whole pattern matches is the same.
 *  - invalid UTF-8 in a subject never matches . or a negated class (Go reads each bad byte
 *    as U+FFFD); \p{C} is Go's Cc|Cf|Co|Cs; Unicode tables are PCRE2's (14.0 on Debian 12),
 *    and scripts newer than them (Kawi, Nag_Mundari) fail with ERR_UNSUPPORTED.
 *  - PCRE2 10.42 refuses non-capturing groups nested more than 500 deep (Go: 1000), and
 *    patterns compiling past its 64 Ki code units; both are ERR_TOOBIG.
 *  - a pattern that backtracks past the step limit fails that match with ERR_TIMEOUT where
 *    Go, which never backtracks, would answer.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/regex.h"
#include "util/regex_int.h"
#include "util/xalloc.h"

#include "util/banned.h"

struct regex {
	pcre2_code *code;
	char *pattern;
	size_t ngroups;
	char **names; /* [ngroups + 1]; NULL for an unnamed group */
};

/* PCRE2's limits: see the top of the file. Fuzzing runs with a smaller step budget, so that
 * inputs that hit it (the same code path) do not take most of the fuzzer's time. */
#define PCRE_NEST_LIMIT 1100
#ifdef TIDE_FUZZING
#define MATCH_LIMIT_BASE 20000u
#else
#define MATCH_LIMIT_BASE 1000000u
#endif
#define MATCH_LIMIT_PER_BYTE 16u
#define MATCH_LIMIT_MAX 50000000u
#define HEAP_LIMIT_KIB 65536u

/* ---- compile and match ----------------------------------------------------------------- */

static void pcre_message(int code, char *msg, size_t n)
{
	if (pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, n) < 0)
		snprintf(msg, n, "pcre2 error %d", code);
}

static void quote_pattern(struct buf *b, const char *p, size_t len)
{
	rx_add_clean(b, p, len, 200);
	if (len > 200)
		buf_adds(b, "...");
}

int regex_compile(struct regex **out, const char *pattern, int flags)
{
	return regex_compile_n(out, pattern, strlen(pattern), flags);
}

int regex_compile_n(struct regex **out, const char *pattern, size_t len, int flags)
{
	*out = NULL;
	if (len > REGEX_MAX_PATTERN)
		return err_set(ERR_TOOBIG, "regexp of %zu bytes is over tide's limit of %d bytes", len,
			       REGEX_MAX_PATTERN);
	struct buf pat = BUF_INIT;
	char **names = NULL;
	size_t ngroups = 0;
	int rc = rx_translate(pattern, len, &pat, &names, &ngroups);
	if (rc)
		return rc;
	pcre2_compile_context *cc = NULL;
	if (flags & REGEX_WHOLE) {
		struct buf w = BUF_INIT;
		buf_addf(&w, "\\A(?:%s)\\z", pat.ptr);
		buf_release(&pat);
		pat = w;
	}
	cc = pcre2_compile_context_create(NULL);
	if (!cc) {
		rc = err_set(ERR_TOOBIG, "regexp: out of memory");
		goto done;
	}
	pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
	pcre2_set_parens_nest_limit(cc, PCRE_NEST_LIMIT);
	int ec;
	PCRE2_SIZE eo;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat.ptr, pat.len,
					 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NO_UTF_CHECK |
						 PCRE2_MULTILINE | PCRE2_ALT_CIRCUMFLEX | PCRE2_NEVER_UCP |
						 PCRE2_NEVER_BACKSLASH_C,
					 &ec, &eo, cc);
	if (!code) {
		char msg[256];
		pcre_message(ec, msg, sizeof(msg));
		struct buf q = BUF_INIT;
		quote_pattern(&q, pattern, len);
		if (ec == PCRE2_ERROR_PATTERN_TOO_LARGE || ec == PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP ||
		    ec == PCRE2_ERROR_QUERY_BARJX_NEST_TOO_DEEP || ec == PCRE2_ERROR_HEAP_FAILED ||
		    ec == PCRE2_ERROR_NOMEMORY)
			rc = err_set(ERR_TOOBIG, "regexp '%s' is too large to compile: %s", q.ptr, msg);
		else if (ec == PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY)
			rc = err_set(ERR_UNSUPPORTED, "regexp '%s': a Unicode class is newer than this PCRE2: %s",
				     q.ptr, msg);
		else
			rc = err_set(ERR_UNSUPPORTED, "regexp '%s' cannot be compiled: %s (pcre2 pattern %s)", q.ptr,
				     msg, pat.ptr);
		buf_release(&q);
		goto done;
	}
	struct regex *re = xcalloc(1, sizeof(*re));
	re->code = code;
	re->pattern = xstrndup(pattern, len);
	re->ngroups = ngroups;
	re->names = names;
	names = NULL;
	*out = re;
done:
	pcre2_compile_context_free(cc);
	if (names) {
		for (size_t i = 0; i <= ngroups; i++)
			free(names[i]);
		free(names);
	}
	buf_release(&pat);
	return rc;
}

void regex_free(struct regex *re)
{
	if (!re)
		return;
	pcre2_code_free(re->code);
	for (size_t i = 0; i <= re->ngroups; i++)
		free(re->names[i]);
	free(re->names);
	free(re->pattern);
	free(re);
}

static int run(const struct regex *re, const char *s, size_t len, size_t from, pcre2_match_data *md, bool *found)
{
	*found = false;
	if (from > len)
		return 0;
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (!mc)
		return err_set(ERR_TOOBIG, "regexp: out of memory");
	uint64_t limit = MATCH_LIMIT_BASE + (uint64_t)MATCH_LIMIT_PER_BYTE * len;
	if (limit > MATCH_LIMIT_MAX)
		limit = MATCH_LIMIT_MAX;
	pcre2_set_match_limit(mc, (uint32_t)limit);
	pcre2_set_depth_limit(mc, (uint32_t)limit);
	pcre2_set_heap_limit(mc, HEAP_LIMIT_KIB);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, md, mc);
	pcre2_match_context_free(mc);
	if (rc >= 0) {
		*found = true;
		return 0;
	}
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	struct buf q = BUF_INIT;
	quote_pattern(&q, re->pattern, strlen(re->pattern));
	int code;
	if (rc == PCRE2_ERROR_MATCHLIMIT)
		code = err_set(ERR_TIMEOUT,
			       "regexp '%s': match step limit (%llu) exceeded on a %zu-byte input: the pattern backtracks too much",
			       q.ptr, (unsigned long long)limit, len);
	else if (rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_NOMEMORY)
		code = err_set(ERR_TOOBIG, "regexp '%s': match memory limit (%u MiB) exceeded on a %zu-byte input",
			       q.ptr, HEAP_LIMIT_KIB / 1024, len);
	else {
		char msg[256];
		pcre_message(rc, msg, sizeof(msg));
		code = err_set(ERR_GENERIC, "regexp '%s': %s", q.ptr, msg);
	}
	buf_release(&q);
	return code;
}

int regex_match(const struct regex *re, const char *s, size_t len, bool *matched)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (!md)
		return err_set(ERR_TOOBIG, "regexp: out of memory");
	int rc = run(re, s, len, 0, md, matched);
	pcre2_match_data_free(md);
	return rc;
}

int regex_find(const struct regex *re, const char *s, size_t len, size_t from, struct regex_span *sub,
	       size_t nsub, bool *found)
{
	for (size_t i = 0; i < nsub; i++)
		sub[i].start = sub[i].end = -1;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (!md)
		return err_set(ERR_TOOBIG, "regexp: out of memory");
	int rc = run(re, s, len, from, md, found);
	if (!rc && *found) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		uint32_t n = pcre2_get_ovector_count(md);
		for (size_t i = 0; i < nsub && i < n && i <= re->ngroups; i++) {
			if (ov[2 * i] == PCRE2_UNSET)
				continue;
			sub[i].start = (ssize_t)ov[2 * i];
			sub[i].end = (ssize_t)ov[2 * i + 1];
		}
	}
	pcre2_match_data_free(md);
	return rc;
}

size_t regex_groups(const struct regex *re)
{
	return re->ngroups;
}

const char *regex_group_name(const struct regex *re, size_t i)
{
	if (i == 0 || i > re->ngroups || !re->names[i])
		return "";
	return re->names[i];
}

int regex_group_index(const struct regex *re, const char *name)
{
	if (!name || !*name)
		return -1;
	for (size_t i = 1; i <= re->ngroups; i++)
		if (re->names[i] && !strcmp(re->names[i], name))
			return (int)i;
	return -1;
}

const char *regex_pattern(const struct regex *re)
{
	return re->pattern;
}
