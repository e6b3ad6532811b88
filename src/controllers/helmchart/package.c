/* TEMPORARY stub (the helper's package.c replaces it) */
#include "controllers/helmchart/package.h"
#include "util/error.h"
int helmchart_values_from_dir(struct arena *a, struct helm_chart *c, const char *source_root,
        const char *const *paths, size_t n, bool ignore_missing, struct helmchart_values *out)
{ (void)a; (void)c; (void)source_root; (void)paths; (void)n; (void)ignore_missing; (void)out; return err_set(ERR_UNSUPPORTED, "stub"); }
int helmchart_values_from_chart(struct arena *a, struct helm_chart *c, const char *const *paths,
        size_t n, bool ignore_missing, struct helmchart_values *out)
{ (void)a; (void)c; (void)paths; (void)n; (void)ignore_missing; (void)out; return err_set(ERR_UNSUPPORTED, "stub"); }
int helmchart_package(struct arena *a, const struct helm_chart *c, const char *out_path,
        const struct artifact_limits *lim, struct artifact_info *info)
{ (void)a; (void)c; (void)out_path; (void)lim; (void)info; return err_set(ERR_UNSUPPORTED, "stub"); }
