/* Token-bucket rate limiting of API requests (see ratelimit.h). Reservations are made under
 * the lock and slept outside it, so waiters queue in arrival order without holding it. */
#include "kube/ratelimit.h"

#include <errno.h>
#include <time.h>

#include "util/banned.h"

int64_t ratelimit_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void ratelimit_init(struct ratelimit *rl, double qps, int burst)
{
	pthread_mutex_init(&rl->lock, NULL);
	rl->qps = qps;
	rl->burst = burst > 0 ? burst : 1;
	rl->tokens = rl->burst;
	rl->last_ns = -1;
}

void ratelimit_release(struct ratelimit *rl)
{
	pthread_mutex_destroy(&rl->lock);
}

int64_t ratelimit_reserve(struct ratelimit *rl, int64_t now_ns)
{
	if (rl->qps <= 0)
		return 0;
	pthread_mutex_lock(&rl->lock);
	if (rl->last_ns < 0)
		rl->last_ns = now_ns;
	if (now_ns > rl->last_ns) {
		rl->tokens += (double)(now_ns - rl->last_ns) * rl->qps / 1e9;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last_ns = now_ns;
	}
	rl->tokens -= 1;
	int64_t wait = 0;
	if (rl->tokens < 0)
		wait = (int64_t)(-rl->tokens * 1e9 / rl->qps);
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

void ratelimit_wait(struct ratelimit *rl)
{
	int64_t ns = ratelimit_reserve(rl, ratelimit_now_ns());
	if (ns <= 0)
		return;
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
