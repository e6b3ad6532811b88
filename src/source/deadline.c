/* Deadlines by signal; see deadline.h. */
#include "source/deadline.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"
#include "util/banned.h"

#define RESEND_MS 50

struct source_deadline {
	pthread_t target, watchdog;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct timespec at; /* CLOCK_MONOTONIC */
	int done, fired;
};

static void on_signal(int sig)
{
	(void)sig; /* the point is the EINTR */
}

static pthread_once_t handler_once = PTHREAD_ONCE_INIT;
static void install_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: blocking calls must return */
	sigaction(SIGRTMIN + 3, &sa, NULL);
}

static void add_ms(struct timespec *t, int64_t ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static void *watch(void *arg)
{
	struct source_deadline *d = arg;
	pthread_mutex_lock(&d->mu);
	struct timespec next = d->at;
	while (!d->done) {
		if (pthread_cond_timedwait(&d->cv, &d->mu, &next) == ETIMEDOUT && !d->done) {
			d->fired = 1;
			pthread_kill(d->target, SIGRTMIN + 3);
			clock_gettime(CLOCK_MONOTONIC, &next);
			add_ms(&next, RESEND_MS);
		}
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

struct source_deadline *source_deadline_arm(int64_t timeout_ms)
{
	if (timeout_ms <= 0)
		return NULL;
	pthread_once(&handler_once, install_handler);
	struct source_deadline *d = xcalloc(1, sizeof(*d));
	d->target = pthread_self();
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	clock_gettime(CLOCK_MONOTONIC, &d->at);
	add_ms(&d->at, timeout_ms);
	if (pthread_create(&d->watchdog, NULL, watch, d) != 0) {
		/* no watchdog: the work runs without a deadline rather than not at all */
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return NULL;
	}
	return d;
}

int source_deadline_disarm(struct source_deadline *d)
{
	if (!d)
		return 0;
	pthread_mutex_lock(&d->mu);
	d->done = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->watchdog, NULL);
	int fired = d->fired;
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
	return fired;
}
