/*
 * Semantic versions and version constraints, as Flux selects Git tags for spec.ref.semver
 * (Masterminds/semver v3 semantics).
 *
 * Versions are parsed laxly like Masterminds' NewVersion: an optional leading 'v', one to three
 * numeric parts (missing ones are 0), an optional "-prerelease" and an optional "+build"
 * (ignored when comparing). Comparison follows semver 2.0.0: a prerelease sorts before its
 * release, prerelease identifiers compare numerically when both are numeric, numeric ones sort
 * before alphanumeric ones, and a longer list wins when one is a prefix of the other.
 *
 * Constraints: terms joined by ',' or spaces (all must hold) in groups joined by "||" (one group
 * must hold). A term is an operator (=, !=, >, <, >=, <=, =<, ~, ~>, ^, or none) followed by a
 * version whose missing or x, X or * parts are wildcards, or a hyphen range "1.2 - 1.4.5".
 * "1.2" and "1.2.x" mean >=1.2.0 <1.3.0; "~1.2.3" means >=1.2.3 <1.3.0; "^1.2.3" means >=1.2.3
 * <2.0.0 and "^0.2.3" means >=0.2.3 <0.3.0. A prerelease version satisfies a term only if the
 * term's version has a prerelease itself, so "1.x" never picks 1.5.0-rc.1. "=>" is ">=".
 */
#ifndef TIDE_UTIL_SEMVER_H
#define TIDE_UTIL_SEMVER_H

#include <stddef.h>
#include <stdint.h>

#define SEMVER_PRE_MAX 128

struct semver {
	uint64_t major, minor, patch;
	char pre[SEMVER_PRE_MAX]; /* "" when there is no prerelease */
};

/* Parse a version (see above). Returns 0, or ERR_INVALID with a message naming the input. */
int semver_parse(const char *s, struct semver *out);

/* <0, 0 or >0 as a sorts before, equal to, or after b. */
int semver_compare(const struct semver *a, const struct semver *b);

struct semver_constraint;

/* Parse a constraint into *out (owned by the caller, freed with semver_constraint_free).
 * Returns 0, or ERR_INVALID with a message quoting the constraint. */
int semver_constraint_parse(const char *s, struct semver_constraint **out);
void semver_constraint_free(struct semver_constraint *c);

/* Masterminds/semver v3.4's rule for prereleases (what Helm v4's semverCompare uses): a
 * prerelease version may satisfy every term of an AND group as soon as one term of that
 * group names a prerelease (">=1.21.0-0 <1.30.0" admits 1.29.2-eks-1), instead of each
 * term deciding for itself. */
#define SEMVER_C_GROUP_PRE 1u
/* semver_constraint_parse with SEMVER_C_* flags. */
int semver_constraint_parse_flags(const char *s, unsigned flags,
				  struct semver_constraint **out);

/* 1 if v satisfies c, else 0. */
int semver_constraint_check(const struct semver_constraint *c, const struct semver *v);

/* Index of the highest of the n names (e.g. tag names) that parses as a version and satisfies
 * c, or -1 when none does. Names that are not versions are skipped. On equal versions the
 * first name wins. */
long semver_latest(const struct semver_constraint *c, const char *const *names, size_t n);

#endif
