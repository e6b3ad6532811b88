/*
 * Exclusion rules for source artifacts: gitignore patterns as Flux applies them (go-git's
 * gitignore semantics) from Flux's default excludes, `.sourceignore` files and spec.ignore.
 *
 * A pattern is one line: blank lines and lines starting with '#' are skipped, a leading '!'
 * re-includes, a trailing '/' matches directories only, a '\' escapes a leading '#' or '!'.
 * A pattern without an inner '/' matches a name at any depth (and then everything below it); a
 * pattern with one is anchored at its domain (the directory of the file it came from) and
 * matched component by component with shell globs, where "**" spans any number of
 * directories. The last pattern that matches a path decides.
 */
#ifndef TIDE_SOURCE_IGNORE_H
#define TIDE_SOURCE_IGNORE_H

#include <stddef.h>

struct ignore_rules;

/* An empty rule set, owned by the caller (ignore_free). */
struct ignore_rules *ignore_new(void);
void ignore_free(struct ignore_rules *r);

/* Adds the patterns of text (len bytes, one per line) for domain, a '/'-separated directory
 * relative to the root ("" for the root itself). Returns 0, or ERR_TOOBIG past 10,000
 * patterns in total. */
int ignore_add(struct ignore_rules *r, const char *domain, const char *text, size_t len);

/* Adds Flux's default excludes for Git sources: VCS files (.git/, .gitignore, .gitmodules,
 * .gitattributes), images and archives (*.jpg, *.jpeg, *.gif, *.png, *.wmv, *.flv, *.tar.gz,
 * *.zip), CI configuration (.github/, .circleci/, .travis.yml, .gitlab-ci.yml, appveyor.yml,
 * .drone.yml, cloudbuild.yaml, codeship-services.yml, codeship-steps.yml) and CLI
 * configuration (**\/.goreleaser.yml, **\/.sops.yaml, **\/.flux.yaml). */
void ignore_add_defaults(struct ignore_rules *r);

/* Adds the patterns of every .sourceignore file in the tree at root (each for its own
 * directory, at any depth, a file at most max_file bytes), as Flux's
 * sourceignore.LoadIgnorePatterns; directories the rules so far exclude are not descended
 * into. Errors: ERR_TOOBIG, ERR_IO, or a pattern's. */
int ignore_load_tree(struct ignore_rules *r, const char *root, size_t max_file);

/* 1 if path ('/'-separated, relative to the root, no leading '/') is excluded, else 0. */
int ignore_match(const struct ignore_rules *r, const char *path, int is_dir);

#endif
