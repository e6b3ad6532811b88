/* Monotonic milliseconds and RFC 3339 timestamps (see clock.h). */
#include "util/clock.h"

#include <errno.h>

#include "util/banned.h"

int64_t clock_mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_sleep_ms(int64_t ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool clock_nap_ms(const atomic_int *stop, int64_t ms)
{
	while (ms > 0 && !(stop && atomic_load(stop))) {
		int64_t step = ms < 50 ? ms : 50;
		clock_sleep_ms(step);
		ms -= step;
	}
	return !(stop && atomic_load(stop));
}

char *clock_rfc3339(char *out, size_t n, time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	if (!strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm) && n)
		out[0] = '\0';
	return out;
}
