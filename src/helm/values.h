/*
 * Helm's values: values files read as helm reads them (sigs.k8s.io/yaml: YAML 1.1 scalars,
 * through JSON, numbers float64), the --set family parsed as helm's strvals parser does,
 * user values coalesced with the chart's defaults, its subcharts' and the globals exactly
 * as chartutil.CoalesceValues and ProcessDependencies do (conditions, tags, aliases,
 * import-values), and values.schema.json validation with helm v4's messages.
 * Values are template/value.h maps in the caller's arena.
 */
#ifndef TIDE_HELM_VALUES_H
#define TIDE_HELM_VALUES_H

#include <stddef.h>

struct arena;
struct helm_chart;
struct tv;

/* A values file (name for messages). An empty file is an empty map; a document that is
 * not a mapping is ERR_INVALID as helm words it. */
int helm_values_read(struct arena *a, const char *name, const char *data, size_t len,
		     struct tv **out);
/* The same as sigs.k8s.io/yaml's Unmarshal into a map reads a file (Flux's valuesFiles):
 * only the first document counts, and a message is the parser's alone ("error converting
 * YAML to JSON: yaml: line 2: ...", without helm's "cannot unmarshal yaml document: "). */
int helm_values_read_first(struct arena *a, const char *name, const char *data, size_t len,
			   struct tv **out);

/* The doc parser's "'NAME': line N: PROBLEM while CONTEXT" (parsed with
 * doc_limits.yaml_v2_error_lines) in goyaml.v2's words, "yaml: line N: PROBLEM": what
 * sigs.k8s.io/yaml's "error converting YAML to JSON: " is followed by. */
const char *helm_yaml_v2_message(struct arena *a, const char *msg);

enum helm_set_kind {
	HELM_SET,         /* --set: typed (int64, bool, null deletes), lists {a,b}, a[0].b */
	HELM_SET_STRING,  /* --set-string: every value a string */
	HELM_SET_JSON,    /* --set-json: each value is JSON */
	HELM_SET_FILE,    /* --set-file: key=path, the file's contents as a string */
	HELM_SET_LITERAL, /* --set-literal: one key, the rest literally */
};

/* Applies one flag's argument (e.g. "a.b=1,c[0]=x") to dest (a map), as helm's strvals
 * does. For HELM_SET_FILE, paths are read relative to the working directory from the real
 * filesystem (regular files only, 64 MiB at most). For HELM_SET_JSON an argument that is
 * a JSON object ("{...}") is merged whole, as helm does. ERR_INVALID with helm's message
 * ("failed parsing --set data: key \"a\" has no value"); dest may be partly changed.
 * Helm applies the flags by kind, not in command-line order: every -f file, then every
 * --set-json, --set, --set-string, --set-file and --set-literal, each kind in its order;
 * the caller keeps that order. */
int helm_values_apply_set(struct arena *a, struct tv *dest, enum helm_set_kind kind,
			  const char *arg);

/* Merges src into dest as helm merges -f files left to right (loader.MergeMaps: src wins,
 * maps merge recursively). dest keeps its identity; values of src are shared, not copied. */
void helm_values_merge(struct arena *a, struct tv *dest, const struct tv *src);

/*
 * The values a render sees: dependencies enabled or disabled by condition and tags (the
 * disabled ones removed from chart->dependencies, as helm's ProcessDependencies does),
 * import-values, then user coalesced over the chart's defaults, each subchart's defaults
 * under its name (or alias), and `global` copied down into every subchart. null in user
 * values deletes a default. Returns the coalesced top-level map in *out. ERR_INVALID with
 * helm's message.
 */
int helm_values_coalesce(struct arena *a, struct helm_chart *chart, struct tv *user,
			 struct tv **out);

/* Validates values (what helm_values_coalesce returned) against the chart's
 * values.schema.json and, recursively, each enabled subchart's against its own (under its
 * key), as helm v4's ValidateAgainstSchema with jsonschema v6 (src/helm/schema.c lists
 * the keywords). ERR_INVALID with helm v4's text ("values don't meet the specifications
 * of the schema(s) in the following chart(s):\nc:\n- at '/replicas': got string, want
 * integer\n"); ERR_TOOBIG for a schema nested past 200 levels or a $ref cycle. */
int helm_values_validate(struct arena *a, const struct helm_chart *chart, const struct tv *values);

#endif
