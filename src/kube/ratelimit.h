/*
 * A token bucket like client-go's flowcontrol.NewTokenBucketRateLimiter: it starts full
 * with `burst` tokens and refills at `qps` tokens a second; each request takes one token,
 * waiting for it when the bucket is empty. Thread-safe. Internal to the kube module.
 */
#ifndef TIDE_KUBE_RATELIMIT_H
#define TIDE_KUBE_RATELIMIT_H

#include <pthread.h>
#include <stdint.h>

struct ratelimit {
	pthread_mutex_t lock;
	double qps;      /* <= 0: unlimited */
	double burst;
	double tokens;   /* may go negative: tokens reserved by waiters */
	int64_t last_ns; /* when tokens was last brought up to date */
};

void ratelimit_init(struct ratelimit *rl, double qps, int burst);
void ratelimit_release(struct ratelimit *rl);

/* Takes a token at time now_ns (a monotonic clock) and returns how long the caller must
 * wait before using it, in nanoseconds (0 = go now). Pure arithmetic, for tests. */
int64_t ratelimit_reserve(struct ratelimit *rl, int64_t now_ns);

/* Takes a token, sleeping as long as needed. */
void ratelimit_wait(struct ratelimit *rl);

int64_t ratelimit_now_ns(void);

#endif
