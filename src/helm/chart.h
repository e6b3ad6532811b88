/*
 * Helm charts in memory, as helm's pkg/chart and pkg/chart/loader hold them: the metadata
 * of Chart.yaml, the templates, the default values, the schema, the CRDs, every other file
 * (for .Files), and the subcharts of charts/ (directories or .tgz archives), each a chart of
 * its own with its parent set.
 *
 * A chart is tenant input: loading caps the archive size, the decompressed size, the file
 * count and the nesting of subcharts, refuses paths that leave the chart (.., absolute,
 * symlinks out of the root) and skips what .helmignore ignores, as helm's loader does.
 * Everything of a chart lives in the arena it was loaded into.
 */
#ifndef TIDE_HELM_CHART_H
#define TIDE_HELM_CHART_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct doc_node;
struct tv;

/* One file of a chart, path relative to the chart's root with '/' separators
 * ("templates/deployment.yaml", "files/a.conf"). data is NUL-terminated. */
struct helm_file {
	const char *name;
	const char *data;
	size_t len;
};

struct helm_maintainer {
	const char *name, *email, *url;
};

/* One entry of Chart.yaml's dependencies (or requirements.yaml for apiVersion v1). */
struct helm_dependency {
	const char *name, *version, *repository, *condition, *alias;
	const char **tags;
	size_t ntags;
	struct doc_node *import_values; /* the import-values sequence as written, or NULL */
	bool enabled;                   /* after conditions and tags (helm_values_coalesce) */
};

/* Chart.yaml (helm's chart.Metadata). Strings are NULL when absent. */
struct helm_metadata {
	const char *name, *home, *version, *description, *api_version, *app_version,
		*kube_version, *type, *icon;
	bool deprecated;
	const char **sources, **keywords;
	size_t nsources, nkeywords;
	struct helm_maintainer *maintainers;
	size_t nmaintainers;
	struct doc_node *annotations; /* mapping of strings, or NULL */
	struct helm_dependency *dependencies;
	size_t ndependencies;
	struct doc_node *raw;         /* Chart.yaml as parsed, for .Chart's fields in toYaml */
};

struct helm_chart {
	struct helm_metadata metadata;
	struct helm_chart *parent;   /* NULL for the chart being rendered */
	struct helm_file *templates; /* templates/ in load order (helm sorts by name on render) */
	size_t ntemplates;
	struct helm_file *files;     /* every other file but Chart.yaml, values.yaml and charts/ */
	size_t nfiles;
	struct helm_file *crds;      /* crds/ files (also in files, as helm keeps them) */
	size_t ncrds;
	struct helm_file *values_file; /* values.yaml as read, or NULL */
	struct tv *values;           /* the parsed defaults (map; empty map when none) */
	const char *schema;          /* values.schema.json text, or NULL */
	size_t schema_len;
	struct helm_chart **dependencies; /* subcharts from charts/, in load order */
	size_t ndependencies;
	struct helm_file *lock;      /* Chart.lock or requirements.lock, or NULL */
};

struct helm_load_limits {
	size_t max_archive_bytes;  /* a .tgz's compressed size; 0 = 100 MiB */
	size_t max_total_bytes;    /* decompressed bytes of a chart and its subcharts; 0 = 256 MiB */
	size_t max_file_bytes;     /* one file; 0 = 20 MiB */
	size_t max_files;          /* files of a chart and its subcharts; 0 = 20,000 */
	size_t max_depth;          /* subchart nesting; 0 = 20 */
};

/*
 * Loads the chart at path: a directory or a .tgz/.tar.gz archive (one top-level folder, as
 * helm package writes it). Errors are helm's where a user sees them ("Chart.yaml file is
 * missing", "validation: chart.metadata.name is required", "chart illegally references
 * parent directory"); ERR_NOTFOUND, ERR_INVALID, ERR_TOOBIG, ERR_ESCAPE. limits may be NULL.
 */
int helm_chart_load(struct arena *a, const char *path, const struct helm_load_limits *limits,
		    struct helm_chart **out);
/* The same from an archive already in memory (a HelmChart artifact). */
int helm_chart_load_archive(struct arena *a, const void *data, size_t len,
			    const struct helm_load_limits *limits, struct helm_chart **out);

/* helm's action.CheckDependencies: every dependency of Chart.yaml has a chart in charts/
 * (by name). ERR_NOTFOUND "found in Chart.yaml, but missing in charts/ directory: a, b"
 * (helm install/template prefix it with their own advice). */
int helm_chart_check_dependencies(const struct helm_chart *c);

/* The chart's path as templates see it in names: "mychart", "mychart/charts/sub". */
const char *helm_chart_path(struct arena *a, const struct helm_chart *c);

#endif
