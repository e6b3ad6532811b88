/*
 * Regular expressions with Go's syntax and semantics (package regexp, RE2 syntax), for every
 * part of tide that takes a pattern from a user: kustomize's patch target selectors today,
 * Go templates' sprig regex* functions, image policies and receivers later.
 *
 * The contract: a pattern Go's regexp.Compile rejects is rejected with Go's message
 * ("error parsing regexp: invalid or unsupported Perl syntax: `(?=`"), and a pattern it
 * accepts matches what Go matches (leftmost-first, Go's flags i m s U, ASCII \d \w \s \b,
 * POSIX classes, Unicode classes). Matching runs on PCRE2 under match, depth and heap
 * limits, so no pattern and subject can run or grow without bound: a limit hit is an error,
 * never a hang. src/util/regex.c says how the Go syntax is checked and translated, and lists
 * the few known differences.
 *
 * A compiled struct regex is immutable: it may be used by many threads at once.
 */
#ifndef TIDE_UTIL_REGEX_H
#define TIDE_UTIL_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct regex;

/* Flags for regex_compile. */
enum {
	/* Matches only the whole subject, as Go's "^(?:" + pattern + ")$". Error messages
	 * quote the pattern as given. (kustomize compiles the anchored text itself, so that
	 * its messages quote what Go would; see src/kustomize/patch.c.) */
	REGEX_WHOLE = 1 << 0,
};

/* Longest pattern accepted, in bytes (Go has no such cap; tide does, so that a pattern's
 * parse and compile memory stay small). Longer ones fail with ERR_TOOBIG. */
#define REGEX_MAX_PATTERN 65536

/* Compiles pattern (Go syntax) into *out, owned by the caller (regex_free). Returns 0;
 * ERR_INVALID with Go's message when Go would reject the pattern; ERR_TOOBIG when it is
 * longer than REGEX_MAX_PATTERN or too large for the matcher; ERR_UNSUPPORTED for what Go
 * accepts and tide cannot match (a Unicode script newer than PCRE2's tables). *out is NULL
 * on error. */
int regex_compile(struct regex **out, const char *pattern, int flags);
/* The same for a pattern of len bytes that may contain NUL. */
int regex_compile_n(struct regex **out, const char *pattern, size_t len, int flags);

void regex_free(struct regex *re);

/* Whether re matches somewhere in s[0..len) (Go's MatchString; the whole of it with
 * REGEX_WHOLE). Returns 0 and sets *matched; ERR_TIMEOUT when the match step limit is hit
 * (a pattern that backtracks without bound), ERR_TOOBIG when the depth or heap limit is hit,
 * each with a message quoting the pattern. */
int regex_match(const struct regex *re, const char *s, size_t len, bool *matched);

/* A submatch: byte offsets into the subject, both -1 when the group did not take part. */
struct regex_span {
	ssize_t start, end;
};

/* Finds the leftmost-first match in s[0..len) that starts at or after byte offset from
 * (the text before from is still seen by ^, \b and \A, as Go's matching at an offset
 * does). On a match, sets *found and fills sub[0] (the whole match) and sub[1..] (the
 * groups, as Go's FindSubmatchIndex) up to nsub entries; entries for groups past
 * regex_groups(re) are set to -1. sub may be NULL when nsub is 0. Errors as regex_match. */
int regex_find(const struct regex *re, const char *s, size_t len, size_t from,
	       struct regex_span *sub, size_t nsub, bool *found);

/* The number of capturing groups (Go's NumSubexp). */
size_t regex_groups(const struct regex *re);
/* The name of group i (1..regex_groups), "" when unnamed or out of range (Go's
 * SubexpNames). Borrowed from re. */
const char *regex_group_name(const struct regex *re, size_t i);
/* The index of the leftmost group named name, or -1 (Go's SubexpIndex). */
int regex_group_index(const struct regex *re, const char *name);
/* The pattern as given to regex_compile. Borrowed from re. */
const char *regex_pattern(const struct regex *re);

#endif
