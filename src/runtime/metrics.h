/*
 * Prometheus metrics: a registry of counters, gauges and histograms with labels, written in
 * the Prometheus text exposition format (version 0.0.4) for /metrics.
 *
 * The manager registers the names Flux's controllers export, so dashboards and alerts work
 * unchanged:
 *   gotk_reconcile_duration_seconds{kind,name,namespace}   histogram
 *   gotk_reconcile_condition{kind,name,namespace,type,status} gauge (1 for the current status)
 *   gotk_suspend_status{kind,name,namespace}                gauge
 *   controller_runtime_reconcile_total{controller,result}   counter
 *   controller_runtime_reconcile_errors_total{controller}   counter
 *   controller_runtime_active_workers{controller}           gauge
 *   controller_runtime_max_concurrent_reconciles{controller} gauge
 *   workqueue_depth, workqueue_adds_total, workqueue_retries_total{name} and the
 *   workqueue_queue_duration_seconds / workqueue_work_duration_seconds histograms{name},
 *   workqueue_unfinished_work_seconds, workqueue_longest_running_processor_seconds{name}
 *   process_* (cpu, memory, fds, start time) and go-style leader_election_master_status.
 *
 * Families are created once (rt_metrics_counter, ...); values are addressed by label values
 * given in the family's label order. Thread-safe.
 */
#ifndef TIDE_RUNTIME_METRICS_H
#define TIDE_RUNTIME_METRICS_H

#include <stddef.h>

struct buf;
struct rt_metrics;
struct rt_metric;

struct rt_metrics *rt_metrics_new(void);
void rt_metrics_free(struct rt_metrics *m);

/* Families. labels is a NULL-terminated list of label names (NULL = none). Asking again for
 * an existing name returns the same family. Borrowed: valid until rt_metrics_free. */
struct rt_metric *rt_metrics_counter(struct rt_metrics *m, const char *name, const char *help,
				     const char *const *labels);
struct rt_metric *rt_metrics_gauge(struct rt_metrics *m, const char *name, const char *help,
				   const char *const *labels);
/* buckets: ascending upper bounds (+Inf is implied); NULL = Prometheus' defaults
 * (.005 .01 .025 .05 .1 .25 .5 1 2.5 5 10). */
struct rt_metric *rt_metrics_histogram(struct rt_metrics *m, const char *name, const char *help,
				       const char *const *labels, const double *buckets,
				       size_t nbuckets);

/* values: one per label name, in order (NULL when the family has no labels). */
void rt_metric_add(struct rt_metric *f, const char *const *values, double v);  /* counter, gauge */
void rt_metric_set(struct rt_metric *f, const char *const *values, double v);  /* gauge */
void rt_metric_observe(struct rt_metric *f, const char *const *values, double v); /* histogram */
/* Removes the series with these label values (e.g. after an object is deleted). */
void rt_metric_delete(struct rt_metric *f, const char *const *values);
/* Removes every series whose label `label` equals value (all of a deleted object's
 * gotk_reconcile_condition series). */
void rt_metric_delete_matching(struct rt_metric *f, const char *label, const char *value);
/* The value of a counter or gauge series; 0 when absent. For tests. */
double rt_metric_value(struct rt_metric *f, const char *const *values);

/* Registers fn to run at the start of every rt_metrics_write, outside the registry's lock, to
 * refresh gauges computed on demand (a queue's unfinished work). ud is borrowed: remove the
 * collector (which waits for a collection in progress) before ud goes away. */
void rt_metrics_add_collector(struct rt_metrics *m, void (*fn)(void *ud), void *ud);
void rt_metrics_remove_collector(struct rt_metrics *m, void *ud);

/* Whether the registry writes the process_* family (default on). */
void rt_metrics_process(struct rt_metrics *m, int on);

/* Appends the exposition text: families in name order, each with # HELP and # TYPE lines,
 * series in label order, label values escaped (\\, \", \n). */
void rt_metrics_write(struct rt_metrics *m, struct buf *out);

#endif
