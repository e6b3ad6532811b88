/*
 * The work queue (see queue.h). One struct entry per key known to the queue, in a chained
 * hash table; an entry is freed as soon as it is neither queued, dirty, processing, waiting
 * nor backing off. Invariants:
 *   - an entry is in the ready FIFO iff it is dirty and not processing;
 *   - an entry is in the waiting heap iff wait_at != 0, at index heap_idx.
 * Delays need no timer thread: every locked operation first moves due entries from the
 * heap to the FIFO, and rt_queue_get sleeps until the earliest due time at most.
 */
#include "runtime/queue.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/metrics.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct entry {
	struct entry *next_hash;
	struct entry *next_ready;
	char *key;
	uint64_t hash;
	bool dirty, processing, in_ready;
	int64_t wait_at;  /* monotonic ms when a delayed add is due; 0 = none */
	size_t heap_idx;
	int retries;
	int64_t added_at; /* when it entered the ready FIFO (queue duration metric) */
	int64_t started;  /* when a worker took it (work duration metric) */
};

struct rt_queue {
	pthread_mutex_t mu;
	pthread_cond_t cond;
	char *name;
	int64_t base_ms, max_ms;
	bool shutdown;
	struct entry **buckets;
	size_t nbuckets, nentries;
	struct entry *ready_head, *ready_tail;
	size_t ready_len;
	struct entry **heap;
	size_t heap_len, heap_cap;
	struct rt_metrics *metrics;
	struct rt_metric *m_depth, *m_adds, *m_retries, *m_qdur, *m_wdur, *m_unfinished, *m_longest;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Scrape-time gauges from the keys being processed (client-go's updateUnfinishedWork). */
static void collect(void *ud)
{
	struct rt_queue *q = ud;
	int64_t now = clock_mono_ms();
	double total = 0, longest = 0;
	pthread_mutex_lock(&q->mu);
	for (size_t i = 0; i < q->nbuckets; i++)
		for (struct entry *e = q->buckets[i]; e; e = e->next_hash) {
			if (!e->processing)
				continue;
			double s = (double)(now - e->started) / 1000.0;
			total += s;
			if (s > longest)
				longest = s;
		}
	pthread_mutex_unlock(&q->mu);
	const char *v[] = { q->name };
	rt_metric_set(q->m_unfinished, v, total);
	rt_metric_set(q->m_longest, v, longest);
}

struct rt_queue *rt_queue_new(const char *name, const struct rt_queue_opts *opts)
{
	struct rt_queue *q = xcalloc(1, sizeof(*q));
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->cond, &ca);
	pthread_condattr_destroy(&ca);
	q->name = xstrdup(name ? name : "");
	q->base_ms = opts && opts->base_backoff_ms > 0 ? opts->base_backoff_ms : 5;
	q->max_ms = opts && opts->max_backoff_ms > 0 ? opts->max_backoff_ms : 1000 * 1000;
	q->nbuckets = 64;
	q->buckets = xcalloc(q->nbuckets, sizeof(*q->buckets));
	if (opts && opts->metrics) {
		static const char *const labels[] = { "name", NULL };
		struct rt_metrics *m = opts->metrics;
		q->m_depth = rt_metrics_gauge(m, "workqueue_depth", "Current depth of workqueue", labels);
		q->m_adds = rt_metrics_counter(m, "workqueue_adds_total",
					       "Total number of adds handled by workqueue", labels);
		q->m_retries = rt_metrics_counter(m, "workqueue_retries_total",
						  "Total number of retries handled by workqueue", labels);
		static const double buckets[] = { 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10 };
		q->m_qdur = rt_metrics_histogram(m, "workqueue_queue_duration_seconds",
						 "How long in seconds an item stays in workqueue before being requested",
						 labels, buckets, 10);
		q->m_wdur = rt_metrics_histogram(m, "workqueue_work_duration_seconds",
						 "How long in seconds processing an item from workqueue takes",
						 labels, buckets, 10);
		q->m_unfinished = rt_metrics_gauge(m, "workqueue_unfinished_work_seconds",
						   "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads. One can deduce the number of stuck threads by observing the rate at which this increases.",
						   labels);
		q->m_longest = rt_metrics_gauge(m, "workqueue_longest_running_processor_seconds",
						"How many seconds has the longest running processor for workqueue been running.",
						labels);
		q->metrics = m;
		rt_metrics_add_collector(m, collect, q);
		const char *v[] = { q->name };
		rt_metric_set(q->m_depth, v, 0);
		rt_metric_add(q->m_adds, v, 0);
		rt_metric_add(q->m_retries, v, 0);
	}
	return q;
}

static void free_entries(struct rt_queue *q)
{
	for (size_t i = 0; i < q->nbuckets; i++) {
		struct entry *e = q->buckets[i];
		while (e) {
			struct entry *n = e->next_hash;
			free(e->key);
			free(e);
			e = n;
		}
	}
}

void rt_queue_free(struct rt_queue *q)
{
	if (!q)
		return;
	if (q->metrics)
		rt_metrics_remove_collector(q->metrics, q);
	free_entries(q);
	free(q->buckets);
	free(q->heap);
	free(q->name);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cond);
	free(q);
}

static struct entry *lookup(struct rt_queue *q, const char *key, bool create)
{
	uint64_t h = hash_str(key);
	struct entry **slot = &q->buckets[h % q->nbuckets];
	for (struct entry *e = *slot; e; e = e->next_hash)
		if (e->hash == h && !strcmp(e->key, key))
			return e;
	if (!create)
		return NULL;
	if (q->nentries + 1 > q->nbuckets * 2) {
		size_t nb = q->nbuckets * 4;
		struct entry **b = xcalloc(nb, sizeof(*b));
		for (size_t i = 0; i < q->nbuckets; i++) {
			struct entry *e = q->buckets[i];
			while (e) {
				struct entry *n = e->next_hash;
				e->next_hash = b[e->hash % nb];
				b[e->hash % nb] = e;
				e = n;
			}
		}
		free(q->buckets);
		q->buckets = b;
		q->nbuckets = nb;
		slot = &q->buckets[h % q->nbuckets];
	}
	struct entry *e = xcalloc(1, sizeof(*e));
	e->key = xstrdup(key);
	e->hash = h;
	e->next_hash = *slot;
	*slot = e;
	q->nentries++;
	return e;
}

/* Frees e when nothing refers to it any more. */
static void maybe_drop(struct rt_queue *q, struct entry *e)
{
	if (e->dirty || e->processing || e->in_ready || e->wait_at || e->retries)
		return;
	struct entry **p = &q->buckets[e->hash % q->nbuckets];
	while (*p != e)
		p = &(*p)->next_hash;
	*p = e->next_hash;
	q->nentries--;
	free(e->key);
	free(e);
}

static void update_depth(struct rt_queue *q)
{
	if (q->m_depth) {
		const char *v[] = { q->name };
		rt_metric_set(q->m_depth, v, (double)q->ready_len);
	}
}

static void push_ready(struct rt_queue *q, struct entry *e)
{
	e->in_ready = true;
	e->next_ready = NULL;
	e->added_at = clock_mono_ms();
	if (q->ready_tail)
		q->ready_tail->next_ready = e;
	else
		q->ready_head = e;
	q->ready_tail = e;
	q->ready_len++;
	update_depth(q);
	pthread_cond_signal(&q->cond);
}

/* client-go's Add, under the lock. */
static void add_locked(struct rt_queue *q, struct entry *e)
{
	if (q->m_adds) {
		const char *v[] = { q->name };
		rt_metric_add(q->m_adds, v, 1);
	}
	if (e->dirty)
		return;
	e->dirty = true;
	if (e->processing)
		return;
	push_ready(q, e);
}

/* ---- The waiting heap, ordered by wait_at -------------------------------------------*/

static void heap_swap(struct rt_queue *q, size_t i, size_t j)
{
	struct entry *t = q->heap[i];
	q->heap[i] = q->heap[j];
	q->heap[j] = t;
	q->heap[i]->heap_idx = i;
	q->heap[j]->heap_idx = j;
}

static void heap_up(struct rt_queue *q, size_t i)
{
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (q->heap[p]->wait_at <= q->heap[i]->wait_at)
			break;
		heap_swap(q, i, p);
		i = p;
	}
}

static void heap_down(struct rt_queue *q, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < q->heap_len && q->heap[l]->wait_at < q->heap[m]->wait_at)
			m = l;
		if (r < q->heap_len && q->heap[r]->wait_at < q->heap[m]->wait_at)
			m = r;
		if (m == i)
			return;
		heap_swap(q, i, m);
		i = m;
	}
}

static void heap_remove_top(struct rt_queue *q)
{
	struct entry *e = q->heap[0];
	q->heap_len--;
	if (q->heap_len) {
		q->heap[0] = q->heap[q->heap_len];
		q->heap[0]->heap_idx = 0;
		heap_down(q, 0);
	}
	e->wait_at = 0;
}

/* Moves entries whose delay passed to the ready FIFO. */
static void promote_due(struct rt_queue *q)
{
	int64_t now = clock_mono_ms();
	while (q->heap_len && q->heap[0]->wait_at <= now) {
		struct entry *e = q->heap[0];
		heap_remove_top(q);
		add_locked(q, e);
	}
}

static void add_after_locked(struct rt_queue *q, const char *key, int64_t delay_ms)
{
	struct entry *e = lookup(q, key, true);
	if (delay_ms <= 0) {
		add_locked(q, e);
		return;
	}
	int64_t at = clock_mono_ms() + delay_ms;
	if (e->wait_at) {
		/* One pending delay per key; the earliest wins (client-go's waitingForQueue). */
		if (at < e->wait_at) {
			e->wait_at = at;
			heap_up(q, e->heap_idx);
		}
	} else {
		q->heap = xgrow(q->heap, &q->heap_cap, q->heap_len + 1, sizeof(*q->heap));
		e->wait_at = at;
		e->heap_idx = q->heap_len;
		q->heap[q->heap_len++] = e;
		heap_up(q, e->heap_idx);
	}
	/* A waiting rt_queue_get may need to wake earlier. */
	pthread_cond_broadcast(&q->cond);
}

void rt_queue_add(struct rt_queue *q, const char *key)
{
	rt_queue_add_after(q, key, 0);
}

void rt_queue_add_after(struct rt_queue *q, const char *key, int64_t delay_ms)
{
	pthread_mutex_lock(&q->mu);
	if (!q->shutdown) {
		promote_due(q);
		add_after_locked(q, key, delay_ms);
	}
	pthread_mutex_unlock(&q->mu);
}

int64_t rt_queue_add_backoff(struct rt_queue *q, const char *key)
{
	pthread_mutex_lock(&q->mu);
	int64_t delay = 0;
	if (!q->shutdown) {
		struct entry *e = lookup(q, key, true);
		delay = q->base_ms;
		for (int i = 0; i < e->retries && delay < q->max_ms; i++)
			delay *= 2;
		if (delay > q->max_ms)
			delay = q->max_ms;
		if (e->retries < 1000)
			e->retries++;
		if (q->m_retries) {
			const char *v[] = { q->name };
			rt_metric_add(q->m_retries, v, 1);
		}
		promote_due(q);
		add_after_locked(q, key, delay);
	}
	pthread_mutex_unlock(&q->mu);
	return delay;
}

void rt_queue_forget(struct rt_queue *q, const char *key)
{
	pthread_mutex_lock(&q->mu);
	struct entry *e = lookup(q, key, false);
	if (e) {
		e->retries = 0;
		maybe_drop(q, e);
	}
	pthread_mutex_unlock(&q->mu);
}

int rt_queue_retries(struct rt_queue *q, const char *key)
{
	pthread_mutex_lock(&q->mu);
	struct entry *e = lookup(q, key, false);
	int n = e ? e->retries : 0;
	pthread_mutex_unlock(&q->mu);
	return n;
}

int rt_queue_get(struct rt_queue *q, char **key_out)
{
	pthread_mutex_lock(&q->mu);
	for (;;) {
		if (q->shutdown) {
			pthread_mutex_unlock(&q->mu);
			return 1;
		}
		promote_due(q);
		if (q->ready_head)
			break;
		if (q->heap_len) {
			int64_t at = q->heap[0]->wait_at;
			struct timespec ts = { .tv_sec = at / 1000, .tv_nsec = (at % 1000) * 1000000 };
			pthread_cond_timedwait(&q->cond, &q->mu, &ts);
		} else {
			pthread_cond_wait(&q->cond, &q->mu);
		}
	}
	struct entry *e = q->ready_head;
	q->ready_head = e->next_ready;
	if (!q->ready_head)
		q->ready_tail = NULL;
	q->ready_len--;
	e->in_ready = false;
	e->processing = true;
	e->dirty = false;
	e->started = clock_mono_ms();
	update_depth(q);
	if (q->m_qdur) {
		const char *v[] = { q->name };
		rt_metric_observe(q->m_qdur, v, (double)(e->started - e->added_at) / 1000.0);
	}
	*key_out = xstrdup(e->key);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

void rt_queue_done(struct rt_queue *q, const char *key)
{
	pthread_mutex_lock(&q->mu);
	struct entry *e = lookup(q, key, false);
	if (e && e->processing) {
		e->processing = false;
		if (q->m_wdur) {
			const char *v[] = { q->name };
			rt_metric_observe(q->m_wdur, v, (double)(clock_mono_ms() - e->started) / 1000.0);
		}
		if (e->dirty && !q->shutdown)
			push_ready(q, e);
		else
			maybe_drop(q, e);
	}
	pthread_mutex_unlock(&q->mu);
}

void rt_queue_shutdown(struct rt_queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->shutdown = true;
	pthread_cond_broadcast(&q->cond);
	pthread_mutex_unlock(&q->mu);
}

size_t rt_queue_len(struct rt_queue *q)
{
	pthread_mutex_lock(&q->mu);
	if (!q->shutdown)
		promote_due(q);
	size_t n = q->ready_len;
	pthread_mutex_unlock(&q->mu);
	return n;
}

size_t rt_queue_delayed(struct rt_queue *q)
{
	pthread_mutex_lock(&q->mu);
	if (!q->shutdown)
		promote_due(q);
	size_t n = q->heap_len;
	pthread_mutex_unlock(&q->mu);
	return n;
}
