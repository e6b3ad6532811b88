/*
 * What `helm package` writes for a loaded chart (helm v4's chartutil.Save and its
 * writeTarContents), as a list of archive entries: names and bytes, without the writing,
 * which belongs to whoever owns the archive format (controllers/helmchart writes them
 * through the deterministic artifact writer). Also the two marshalers behind it, which Flux's
 * HelmChart builder uses on their own: sigs.k8s.io/yaml's Marshal of values (the merged
 * valuesFiles that replace values.yaml) and of chart metadata.
 *
 * Everything is in the caller's arena; nothing here reads files.
 */
#ifndef TIDE_HELM_SAVE_H
#define TIDE_HELM_SAVE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct helm_chart;
struct tv;

/* One entry of a packaged chart: "mychart/templates/x.yaml" and its bytes. */
struct helm_saved_file {
	const char *name;
	const char *data;
	size_t len;
};

/*
 * The entries helm's Save writes for c, in its order, every one a regular file (helm writes
 * no directory entries), all under "<name>/":
 *   Chart.yaml (the metadata marshaled again: JSON field names, sorted keys, empty fields
 *     left out; an apiVersion v1 chart without its dependencies, which stay in the
 *     requirements.yaml among its files),
 *   Chart.lock (apiVersion v2 only, when the chart has Chart.lock or requirements.lock:
 *     marshaled again, "generated" in RFC 3339 with nanoseconds),
 *   values.yaml (the bytes as loaded, or as helmchart's valuesFiles replaced them),
 *   values.schema.json (as loaded; it must be valid JSON),
 *   the templates, then the other files, in load order,
 *   then every subchart the same way under "<name>/charts/<subname>/" (directories, never
 *     nested archives), in load order (helm's order is Go's map order: random).
 * The root chart's version is checked again (callers set build metadata on it).
 * ERR_INVALID with helm's message ("chart validation: validation: chart.metadata.version
 * \"x\" is invalid", "invalid JSON in values.schema.json", "cannot load Chart.lock: ...");
 * ERR_TOOBIG when a marshaled file passes toYaml's output cap.
 */
int helm_chart_save_entries(struct arena *a, const struct helm_chart *c,
			    struct helm_saved_file **out, size_t *n);

/* sigs.k8s.io/yaml's Marshal of v (a values map), appended to out: what helm's
 * Values.Encode writes. ERR_INVALID with json's message for values it cannot marshal,
 * ERR_TOOBIG past toYaml's output cap. */
int helm_values_marshal(struct arena *a, const struct tv *v, struct buf *out);

/* Chart.yaml as Save writes it (chart.Metadata through sigs.k8s.io/yaml), appended to out;
 * with_dependencies false for an apiVersion v1 chart. */
int helm_metadata_marshal(struct arena *a, const struct helm_chart *c, bool with_dependencies,
			  struct buf *out);

/* encoding/json's Valid: exactly one JSON value (RFC 8259 grammar, any bytes but control
 * characters inside strings, nesting up to Go's 10,000 levels). */
bool helm_json_valid(const char *s, size_t n);

#endif
