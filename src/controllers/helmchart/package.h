/* TEMPORARY stub header (the helper's package.h replaces it) */
#ifndef TIDE_CONTROLLERS_HELMCHART_PACKAGE_H
#define TIDE_CONTROLLERS_HELMCHART_PACKAGE_H
#include <stdbool.h>
#include <stddef.h>
#include "helm/chart.h"
#include "source/artifact.h"
struct helmchart_values { const char **found; size_t nfound; bool changed; };
int helmchart_values_from_dir(struct arena *a, struct helm_chart *c, const char *source_root,
        const char *const *paths, size_t n, bool ignore_missing, struct helmchart_values *out);
int helmchart_values_from_chart(struct arena *a, struct helm_chart *c, const char *const *paths,
        size_t n, bool ignore_missing, struct helmchart_values *out);
int helmchart_package(struct arena *a, const struct helm_chart *c, const char *out_path,
        const struct artifact_limits *lim, struct artifact_info *info);
#endif
