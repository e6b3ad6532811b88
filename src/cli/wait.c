#include "cli/wait.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/get.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/error.h"

int64_t cli_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void cli_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void cli_requested_at(char *out, size_t len)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char frac[16] = "";
	if (ts.tv_nsec) {
		snprintf(frac, sizeof(frac), ".%09ld", ts.tv_nsec);
		size_t n = strlen(frac);
		while (n > 1 && frac[n - 1] == '0')
			frac[--n] = 0;
	}
	snprintf(out, len, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

bool cli_is_ready(const struct doc_node *obj, const char **message)
{
	int64_t gen = 0, observed = -1;
	doc_int64(doc_get(obj, "metadata.generation"), &gen);
	doc_int64(doc_get(obj, "status.observedGeneration"), &observed);
	const char *status;
	flux_status_and_message(obj, &status, message);
	return observed == gen && !strcmp(status, "True");
}

int cli_wait_ready(struct kube_client *c, const struct kube_resource *r, const char *ns,
		   const char *name, int64_t deadline, const char **message,
		   struct doc_node **out, struct arena *a)
{
	for (;;) {
		struct doc_node *obj;
		int rc = kube_get(&obj, c, a, r, ns, name, NULL);
		if (rc && rc != ERR_NOTFOUND && rc != ERR_UNAVAIL)
			return rc;
		if (!rc && out)
			*out = obj;
		if (!rc && cli_is_ready(obj, message))
			return 0;
		int64_t left = deadline - cli_now_ms();
		if (left <= 0)
			return err_set(ERR_TIMEOUT, "context deadline exceeded");
		cli_sleep_ms(left < 2000 ? (long)left : 2000);
	}
}
