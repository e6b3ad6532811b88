/*
 * The HelmChart builder's last two steps (source-controller internal/helm/chart): the
 * valuesFiles merged and put in place of the chart's values.yaml (builder_local.go
 * mergeFileValues, builder_remote.go mergeChartValues, metadata.go
 * OverwriteChartDefaultValues), and the chart packaged as `helm package` writes it
 * (builder.go packageToPath over helm's chartutil.Save: src/helm/save.h lists the entries),
 * through the deterministic artifact writer.
 *
 * Values files are tenant input: each is read capped (HELMCHART_VALUES_FILE_MAX), and a
 * path inside a source artifact never resolves outside its root.
 */
#ifndef TIDE_CONTROLLERS_HELMCHART_PACKAGE_H
#define TIDE_CONTROLLERS_HELMCHART_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct artifact_info;
struct artifact_limits;
struct helm_chart;
struct tv;

/* One values file at most (the chart loader's per-file default; Flux has no cap). */
#define HELMCHART_VALUES_FILE_MAX ((size_t)20 << 20)

struct helmchart_values {
	/* The valuesFiles that were merged, as the spec names them, in order (the missing ones
	 * skipped under ignoreMissingValuesFiles): Flux's Build.ValuesFiles, recorded in
	 * status.observedValuesFiles. In the arena. */
	const char **found;
	size_t nfound;
	/* values.yaml was replaced (OverwriteChartDefaultValues returned true): Flux reports
	 * found only then. */
	bool changed;
	struct tv *merged; /* the merge (a map), NULL when no paths were given */
};

/*
 * Flux's mergeFileValues: the files at paths, relative to source_root (the unpacked source
 * artifact; a leading '/' is relative to it too, as securejoin reads it), each read as
 * sigs.k8s.io/yaml reads a map (the first document) and merged left to right (a later file
 * wins, maps merge deeply, anything else is replaced: lists are not appended). A missing
 * path is skipped when ignore_missing, else ERR_NOTFOUND "no values file found at path
 * '/x.yaml' (reference 'x.yaml')" (also for a directory, with or without ignore_missing).
 * ERR_ESCAPE for a path whose ".." climbs above the root or that resolves outside it
 * through a symlink (securejoin would clamp it inside; tide refuses it, as for GitRepository
 * includes). ERR_INVALID "unmarshaling values from 'x.yaml' failed: error converting YAML to
 * JSON: ...", ERR_TOOBIG past HELMCHART_VALUES_FILE_MAX. out->found and out->merged are
 * filled, out->changed false: nothing is put in the chart yet (Flux merges before it loads
 * the chart). n == 0 leaves out->merged NULL.
 */
int helmchart_values_merge_dir(struct arena *a, const char *source_root, const char *const *paths,
			       size_t n, bool ignore_missing, struct helmchart_values *out);

/*
 * Flux's mergeChartValues, for a chart from a Helm repository: each path (filepath.Clean'd)
 * names a file of the chart itself; "values.yaml" merges the chart's default values. A
 * path that is no file of the chart (templates and subcharts are not among them) is skipped
 * when ignore_missing, else ERR_NOTFOUND "no values file found at path 'x.yaml'". Parse
 * errors as helmchart_values_merge_dir's. The remote builder words its error "failed to
 * merge chart values: <this message>".
 */
int helmchart_values_merge_chart(struct arena *a, const struct helm_chart *c,
				 const char *const *paths, size_t n, bool ignore_missing,
				 struct helmchart_values *out);

/*
 * Flux's OverwriteChartDefaultValues with v->merged: nothing when it is NULL; else the
 * merge marshaled (sigs.k8s.io/yaml) replaces the chart's values.yaml (and c->values) unless
 * its bytes are the same, and v->changed says whether it did. An empty merge always counts
 * as a change and empties values.yaml, as Flux's comparison of a nil buffer with the file's
 * bytes never matches. ERR_NOTFOUND "failed to locate values file: values.yaml" for a chart
 * without one.
 */
int helmchart_values_overwrite(struct arena *a, struct helm_chart *c, struct helmchart_values *v);

/* merge_dir then overwrite; merge_chart then overwrite (the two builders' sequences). */
int helmchart_values_from_dir(struct arena *a, struct helm_chart *c, const char *source_root,
			      const char *const *paths, size_t n, bool ignore_missing,
			      struct helmchart_values *out);
int helmchart_values_from_chart(struct arena *a, struct helm_chart *c, const char *const *paths,
				size_t n, bool ignore_missing, struct helmchart_values *out);

/*
 * Writes c as `helm package` would (helm_chart_save_entries: the same entry names in the
 * same order, the same bytes), as a deterministic .tgz at out_path (atomically; zero
 * mtimes, mode 0644, no directory entries, gzip without helm's header extras). lim may be
 * NULL. info gets the archive's digest and size. Package before helm_values_coalesce or a
 * render, which remove disabled subcharts from c. Errors as Flux's packageToPath words
 * them: "failed to package chart: <helm's message>" (ERR_INVALID, ERR_TOOBIG for lim) or
 * "failed to write chart to file: ..." (ERR_IO); nothing is left at out_path then.
 */
int helmchart_package(struct arena *a, const struct helm_chart *c, const char *out_path,
		      const struct artifact_limits *lim, struct artifact_info *info);

#endif
