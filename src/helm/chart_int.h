/*
 * The chart loader's readings of Chart.yaml that the saver (save.c) needs too, so that a
 * field it writes back is the field the loader would read. Module-internal: nothing outside
 * src/helm includes it, except unit tests.
 */
#ifndef TIDE_HELM_CHART_INT_H
#define TIDE_HELM_CHART_INT_H

struct arena;
struct doc_node;

/* A scalar as sigs.k8s.io/yaml reads it into a Go string field: numbers and booleans as
 * their text (floats in float32's shortest form), NULL for null, absent or a collection. */
const char *helm_chart_go_string(struct arena *a, const struct doc_node *n);

/* helm's sanitizeString (Metadata.Validate): whitespace becomes a space, other unprintable
 * bytes go. NULL stays NULL. */
const char *helm_chart_sanitize(struct arena *a, const char *s);

#endif
