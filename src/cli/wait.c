/* Waiting for Flux objects (see wait.h): polling until Ready, as flux's create, resume and
 * reconcile do, and watching with re-watches until a deadline, as `get -w` and `events -w` do. */
#include "cli/wait.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/get.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/watch.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

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
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			return err_set(ERR_TIMEOUT, "context deadline exceeded");
		clock_sleep_ms(left < 2000 ? (long)left : 2000);
	}
}

struct watch_state {
	int (*fn)(void *ud, struct kube_event *ev);
	void *ud;
	char rv[64];
};

static int watch_event(void *ud, struct kube_event *ev)
{
	struct watch_state *s = ud;
	if (ev->resource_version && *ev->resource_version)
		snprintf(s->rv, sizeof(s->rv), "%s", ev->resource_version);
	if (ev->type == KUBE_EVENT_BOOKMARK)
		return 0;
	return s->fn(s->ud, ev);
}

int cli_watch(struct kube_client *c, const struct kube_resource *r, const char *ns,
	      bool all_namespaces, const char *field_selector, const char *label_selector,
	      int64_t deadline, int (*fn)(void *ud, struct kube_event *ev), void *ud)
{
	struct watch_state s = { fn, ud, "" };
	for (;;) {
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			return err_set(ERR_TIMEOUT, "timed out waiting for the condition");
		struct kube_watch_opts o = {
			.resource_version = s.rv[0] ? s.rv : NULL,
			.bookmarks = true,
			/* the server ends the stream at the deadline (whole seconds, at least one) */
			.timeout_seconds = (long)((left + 999) / 1000),
			.label_selector = label_selector,
			.field_selector = field_selector,
		};
		int rc = kube_watch(c, r, ns, all_namespaces, &o, watch_event, &s);
		if (rc == ERR_GONE) {
			s.rv[0] = '\0';
			continue;
		}
		if (rc)
			return rc;
		if (clock_mono_ms() < deadline)
			clock_sleep_ms(100); /* a stream the server closed early: do not spin */
	}
}
