/*
 * The helm engine's internals shared by render.c and objects.c (the renderer and Helm's
 * objects) and by funcs.c and toyaml.c (Helm's own template functions): the state of one
 * chart render, which every Helm function reaches through texec_userdata(). Module-internal:
 * nothing outside src/helm includes it, except unit tests.
 *
 * One state belongs to one render of one chart (helm's Engine.render): it is made by
 * helm_render() before the first template is parsed and lives until the render returns,
 * in the render's arena. Not thread-safe, as the set it belongs to.
 */
#ifndef TIDE_HELM_RENDER_INT_H
#define TIDE_HELM_RENDER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "template/template.h"

struct arena;
struct buf;
struct helm_chart;

/* Helm's recursionMaxNums: an include of a name already being included more than this
 * many times fails with "rendering template has a nested reference name: NAME: unable to
 * execute template" (engine.go includeFun). */
#define HELM_INCLUDE_MAX 1000

/*
 * Helm wraps the messages of `fail` and `required` in these markers (engine.go warnWrap)
 * so that the renderer can print them alone: "execution error at (c/templates/x.yaml:3:4):
 * MESSAGE". funcs.c's fail and required return
 *   texec_fail(x, HELM_WARN_START "%s" HELM_WARN_END, msg)
 * and render.c finds the markers in the engine's error.
 */
#define HELM_WARN_START "HELM_ERR_START"
#define HELM_WARN_END "HELM_ERR_END"

/*
 * The cluster behind `lookup`: returns 0 with *out a map (the object, or a list object
 * {"items": [...]} when name is ""), an empty map when the object is not found, or a
 * negative ERR_* after texec_fail(). namespace "" is cluster-wide. NULL under `helm
 * template` (no cluster): lookup then returns an empty map, as helm does without a
 * client.
 */
typedef int (*helm_lookup_fn)(void *ctx, struct texec *x, const char *api_version,
			      const char *kind, const char *namespace, const char *name,
			      struct tv **out);

/* One name being included, and how many times it is on the include stack. */
struct helm_include_count {
	const char *name;
	size_t count;
};

struct helm_render_state {
	struct arena *arena;      /* the render's arena: values, names, outputs */
	struct tset *set;         /* the set every template of the chart is parsed into */
	/* Helm's includedNames, shared by include and tpl over the whole render: find an
	 * entry with helm_include_count() (render.c), ++ before the nested execution, -- after. */
	struct helm_include_count *included;
	size_t nincluded, included_cap;
	bool strict;              /* missingkey=error (helm's Engine.Strict; off for template) */
	bool lint_mode;           /* helm lint: required and fail do not fail */
	bool enable_dns;          /* getHostByName resolves (off: it returns "") */
	helm_lookup_fn lookup;    /* NULL: lookup returns an empty map */
	void *lookup_ctx;
};

/* The counter of name in st->included (added at 0 when absent). The pointer is valid
 * until the next call. */
size_t *helm_include_count(struct helm_render_state *st, const char *name);

/* Helm's own functions (funcs.c): include, tpl, required, fail, toYaml, mustToYaml,
 * toYamlPretty, fromYaml, fromYamlArray, toJson, mustToJson, fromJson, fromJsonArray,
 * toToml, fromToml, lookup, getHostByName. render.c registers it after sprig's. */
extern const struct tfunc_table helm_funcs_table;

/* sigs.k8s.io/yaml's Marshal of v (encoding/json, then go-yaml v2's emitter), appended to
 * out: what toYaml prints before it trims the final newline (toyaml.c). 0, or a negative
 * ERR_* after texec_fail() (json's message for values it cannot marshal). objects.c uses it
 * for .Files.AsConfig and .Files.AsSecrets. */
int helm_to_yaml(struct texec *x, struct buf *out, const struct tv *v);

/* ---- objects.c: Helm's render objects -------------------------------------------- */

/* .Files of chart c (engine.files: a map type with methods; %T "engine.files"). */
struct tv *helm_files_object(struct arena *a, const struct helm_chart *c);

struct helm_caps_options {
	const char *kube_version;   /* as given to --kube-version ("1.33.0", "v1.32.1"), or NULL */
	const char *const *api_versions; /* extra --api-versions */
	size_t napi_versions;
};

/* .Capabilities (*common.Capabilities). ERR_INVALID "invalid kube version '%s': ..." for
 * a version k8s's ParseGeneric refuses. */
int helm_capabilities_object(struct arena *a, const struct helm_caps_options *o,
			     struct tv **out);
/* The normalized kube version of caps ("v1.33.0"), for Chart.yaml's kubeVersion check. */
const char *helm_capabilities_kube_version(const struct tv *caps);

/* .Chart of c: its metadata as a map (helm's MetadataAsMap: Chart.yaml's JSON field names,
 * empty fields omitted) with IsRoot added when is_root_key. */
struct tv *helm_chart_map(struct arena *a, const struct helm_chart *c);

#endif
