/*
 * .helmignore rules (helm's pkg/ignore), for the directory loader of src/helm/chart.c.
 */
#ifndef TIDE_HELM_HELMIGNORE_H
#define TIDE_HELM_HELMIGNORE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct helm_ignore;

/* Parses a .helmignore file (data may be NULL for none) and adds helm's default rule
 * `templates/.?*`. ERR_INVALID with helm's message for "**" or a bad pattern. */
int helm_ignore_parse(struct arena *a, const char *data, size_t len, struct helm_ignore **out);
/* Whether path (relative, '/'-separated) is ignored. */
bool helm_ignore_match(const struct helm_ignore *ig, const char *path, bool is_dir);
/* Go's path.Match: 1 match, 0 no match, -1 bad pattern. */
int helm_path_match(const char *pattern, const char *name);

#endif
