/*
 * Shell-style glob matching of '/'-separated paths, in the two dialects Flux's
 * source-watcher uses for an ArtifactGenerator's copy rules, each with its reference's exact
 * semantics (these patterns are tenant input; the code is ours, written from the
 * references' documented behaviour and their tests):
 *
 *  - Go's path.Match (the dialect of io/fs.Glob, which selects the files a copy rule's
 *    `from` names): '*' any run of non-'/' bytes, '?' one non-'/' character, '[...]' a
 *    class ('^' negates, ranges lo-hi, '\' escapes), '\' escapes; "**" is two stars, so it
 *    never crosses a '/'.
 *  - bmatcuk/doublestar v4's Match (the dialect of `exclude` and of the Extract strategy's
 *    Glob): the same terms plus '[!...]' negation, "{a,b}" alternatives (nested), and "**"
 *    as a whole path component matching zero or more directories ("a/\*\*" also matches "a").
 *
 * Both are bounded: Go's algorithm is polynomial by construction; doublestar's alternatives
 * are expanded by recursion, so its matching runs under a step budget and a pattern that
 * would take longer fails with ERR_TOOBIG instead of running for ever. Thread safe.
 */
#ifndef TIDE_UTIL_GLOB_H
#define TIDE_UTIL_GLOB_H

#include <stdbool.h>

/* Steps one doublestar match may take (each pattern or name byte examined counts one). */
#define GLOB_DS_MAX_STEPS 1000000

/* Go's path.Match(pattern, name): 0 and *out; ERR_INVALID "syntax error in pattern" (Go's
 * path.ErrBadPattern) when pattern is malformed, which Go also reports after a mismatch. */
int glob_match(const char *pattern, const char *name, bool *out);

/* Whether pattern holds a character io/fs.Glob treats as special ('*', '?', '[', '\'). */
bool glob_has_meta(const char *pattern);

/* doublestar.Match(pattern, name) when validate, else doublestar.MatchUnvalidated: 0 and
 * *out; with validate, ERR_INVALID "syntax error in pattern" (doublestar.ErrBadPattern)
 * when the part of pattern the match reached is malformed, as doublestar validates while
 * matching (unvalidated, such a pattern just does not match); ERR_TOOBIG past
 * GLOB_DS_MAX_STEPS either way. */
int glob_ds_match(const char *pattern, const char *name, bool validate, bool *out);

/* doublestar.ValidatePattern: classes closed and not empty, alternatives balanced, no
 * trailing '\'. */
bool glob_ds_valid(const char *pattern);

#endif
