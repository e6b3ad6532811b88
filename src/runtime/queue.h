/*
 * A work queue of object keys, shaped like client-go's rate-limited delaying queue:
 *
 *  - an entry per key: adding a key that is already queued does nothing; adding a key that
 *    a worker is processing marks it dirty, and it is queued again when the worker calls
 *    rt_queue_done (so one key is never reconciled by two workers at once);
 *  - delayed adds (rt_queue_add_after): the key enters the queue when the delay passes; of
 *    several pending delays for one key the earliest wins;
 *  - per-key exponential backoff (rt_queue_add_backoff): 5 ms, 10 ms, 20 ms ... capped at
 *    1000 s (client-go's DefaultControllerRateLimiter's per-item part); rt_queue_forget
 *    resets it after a success.
 *
 * Keys are strings ("namespace/name"), copied in. The queue reports workqueue_* metrics
 * (metrics.h) labelled name=<queue name> when given a registry.
 * Thread-safe: any thread may add; workers block in rt_queue_get.
 */
#ifndef TIDE_RUNTIME_QUEUE_H
#define TIDE_RUNTIME_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct rt_metrics;
struct rt_queue;

struct rt_queue_opts {
	int64_t base_backoff_ms; /* 0 = 5 ms */
	int64_t max_backoff_ms;  /* 0 = 1000 s */
	struct rt_metrics *metrics; /* may be NULL; must outlive the queue */
};

/* A new queue. name labels its metrics (the controller's name, as controller-runtime
 * does). opts may be NULL. */
struct rt_queue *rt_queue_new(const char *name, const struct rt_queue_opts *opts);
/* Frees q; call rt_queue_shutdown and stop the workers first. NULL is allowed. */
void rt_queue_free(struct rt_queue *q);

void rt_queue_add(struct rt_queue *q, const char *key);
/* Adds key after delay_ms (<= 0: now). */
void rt_queue_add_after(struct rt_queue *q, const char *key, int64_t delay_ms);
/* Adds key after its backoff, and doubles the backoff for next time. Returns the delay. */
int64_t rt_queue_add_backoff(struct rt_queue *q, const char *key);
/* Forgets key's backoff (after a successful reconcile). */
void rt_queue_forget(struct rt_queue *q, const char *key);
/* How many times key was backed off since the last forget. */
int rt_queue_retries(struct rt_queue *q, const char *key);

/* Waits for a key. Returns 0 with *key_out set (a heap string the caller frees after
 * rt_queue_done), or 1 once the queue is shut down and nothing more will come. */
int rt_queue_get(struct rt_queue *q, char **key_out);
/* Tells the queue the worker finished key (requeues it if it was added meanwhile). */
void rt_queue_done(struct rt_queue *q, const char *key);

/* Wakes every waiting rt_queue_get (they return 1); later adds are ignored. Keys being
 * processed may still be rt_queue_done'd. */
void rt_queue_shutdown(struct rt_queue *q);

/* Keys ready now (not counting delayed ones or those being processed). */
size_t rt_queue_len(struct rt_queue *q);
/* Keys waiting for a delay or backoff to pass. */
size_t rt_queue_delayed(struct rt_queue *q);

#endif
