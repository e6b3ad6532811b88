/*
 * Lease-based leader election (see leader.h), client-go's tryAcquireOrRenew: expiry is
 * judged by the local time at which this candidate last saw the Lease record change (not
 * by the holder's clock), and every write is a resourceVersion-guarded PUT, so a lost race
 * is a 409 and nothing more.
 */
#include "runtime/leader.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "runtime/metrics.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const struct kube_resource lease_resource = {
	.group = "coordination.k8s.io", .version = "v1", .resource = "leases", .kind = "Lease",
	.singular = "lease", .namespaced = true,
};

struct rt_leader {
	struct kube_client *client;
	char *namespace, *name, *identity;
	int64_t lease_ms, renew_ms, retry_ms;
	struct rt_metric *m_status;

	char *observed;          /* holder + renewTime + transitions last seen */
	int64_t observed_at;     /* monotonic ms when observed changed */
	bool leading;
	atomic_int lost;
	_Atomic int64_t renewed_at; /* monotonic ms of the last successful acquire or renew */
	atomic_int stop_renew;
	pthread_t renewer;
	bool renewing;
};

static void micro_time(char *out, size_t n)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	struct tm tm;
	gmtime_r(&tv.tv_sec, &tm);
	char day[32];
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%06ldZ", day, (long)tv.tv_usec);
}

int rt_leader_new(struct rt_leader **out, struct kube_client *c, const struct rt_leader_opts *o)
{
	if (!o || !o->namespace || !o->name)
		return err_set(ERR_INVALID, "leader election needs a namespace and a lease name");
	struct rt_leader *l = xcalloc(1, sizeof(*l));
	l->client = c;
	l->namespace = xstrdup(o->namespace);
	l->name = xstrdup(o->name);
	if (o->identity) {
		l->identity = xstrdup(o->identity);
	} else {
		char host[256] = "";
		gethostname(host, sizeof(host) - 1);
		unsigned char rnd[8];
		FILE *f = fopen("/dev/urandom", "rb");
		if (!f || fread(rnd, 1, sizeof(rnd), f) != sizeof(rnd))
			for (size_t i = 0; i < sizeof(rnd); i++)
				rnd[i] = (unsigned char)random();
		if (f)
			fclose(f);
		l->identity = xasprintf("%s_%02x%02x%02x%02x-%02x%02x-%02x%02x", host, rnd[0], rnd[1],
					rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	}
	l->lease_ms = o->lease_duration_ms > 0 ? o->lease_duration_ms : 35000;
	l->renew_ms = o->renew_deadline_ms > 0 ? o->renew_deadline_ms : 30000;
	l->retry_ms = o->retry_period_ms > 0 ? o->retry_period_ms : 5000;
	if (o->metrics) {
		static const char *const labels[] = { "name", NULL };
		l->m_status = rt_metrics_gauge(o->metrics, "leader_election_master_status",
					       "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master. 'name' is the string used to identify the lease. Please make sure to group by name.",
					       labels);
		const char *v[] = { l->name };
		rt_metric_set(l->m_status, v, 0);
	}
	*out = l;
	return 0;
}

const char *rt_leader_identity(const struct rt_leader *l)
{
	return l->identity;
}

bool rt_leader_lost(struct rt_leader *l)
{
	return atomic_load(&l->lost) != 0;
}

bool rt_leader_valid(struct rt_leader *l)
{
	if (atomic_load(&l->lost))
		return false;
	/* The monotonic clock runs on while the process is stopped (SIGSTOP, a frozen VM): a
	 * leader resumed after its renew deadline may have been replaced, so it gives up before
	 * its renewal thread has even woken to find out. */
	if (clock_mono_ms() - atomic_load(&l->renewed_at) >= l->renew_ms) {
		if (!atomic_exchange(&l->lost, 1))
			log_error("leader election lost: not renewed within the renew deadline", "lease",
				  l->name, "identity", l->identity, NULL);
		return false;
	}
	return true;
}

static void set_status(struct rt_leader *l, double v)
{
	if (l->m_status) {
		const char *vals[] = { l->name };
		rt_metric_set(l->m_status, vals, v);
	}
}

/* One round of client-go's tryAcquireOrRenew. Returns 0 when we hold the Lease now, 1 when
 * someone else does, or an API error. release: give it up instead (holder ""). */
static int try_acquire(struct rt_leader *l, bool release)
{
	struct arena *a = arena_new();
	struct doc_node *lease = NULL;
	char now[48];
	micro_time(now, sizeof(now));
	long dur_s = (long)((l->lease_ms + 999) / 1000);
	int rc = kube_get(&lease, l->client, a, &lease_resource, l->namespace, l->name, NULL);
	if (rc == ERR_NOTFOUND) {
		if (release) {
			arena_free(a);
			return 1;
		}
		struct buf b = BUF_INIT;
		buf_addf(&b, "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\","
			     "\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\"},"
			     "\"spec\":{\"holderIdentity\":\"%s\",\"leaseDurationSeconds\":%ld,"
			     "\"acquireTime\":\"%s\",\"renewTime\":\"%s\",\"leaseTransitions\":0}}",
			 l->name, l->namespace, l->identity, dur_s, now, now);
		struct doc_node *obj = NULL;
		rc = doc_parse_json(a, "lease", b.ptr, b.len, NULL, &obj);
		if (rc == 0)
			rc = kube_create(NULL, l->client, a, obj, NULL);
		buf_release(&b);
		arena_free(a);
		if (rc == ERR_CONFLICT)
			return 1; /* another candidate created it first */
		if (rc == 0) {
			l->observed_at = clock_mono_ms();
		}
		return rc;
	}
	if (rc) {
		arena_free(a);
		return rc;
	}
	const char *holder = doc_get_str(lease, "spec.holderIdentity");
	const char *renew = doc_get_str(lease, "spec.renewTime");
	int64_t transitions = 0;
	struct doc_node *t = doc_get(lease, "spec.leaseTransitions");
	if (t)
		doc_int64(t, &transitions);
	int64_t lease_s = 0;
	struct doc_node *d = doc_get(lease, "spec.leaseDurationSeconds");
	if (d)
		doc_int64(d, &lease_s);
	char *rec = xasprintf("%s|%s|%lld", holder ? holder : "", renew ? renew : "",
			      (long long)transitions);
	if (!l->observed || strcmp(rec, l->observed)) {
		free(l->observed);
		l->observed = rec;
		l->observed_at = clock_mono_ms();
	} else {
		free(rec);
	}
	bool ours = holder && !strcmp(holder, l->identity);
	if (release && !ours) {
		arena_free(a);
		return 1;
	}
	if (!release && holder && *holder && !ours &&
	    l->observed_at + (lease_s > 0 ? lease_s * 1000 : l->lease_ms) > clock_mono_ms()) {
		arena_free(a);
		return 1; /* held by someone else, not expired */
	}
	struct doc_node *spec = doc_map_get(lease, "spec");
	if (!spec) {
		spec = doc_new_map(a);
		doc_map_set(a, lease, "spec", spec);
	}
	if (release) {
		doc_map_set(a, spec, "holderIdentity", doc_new_str(a, ""));
		doc_map_set(a, spec, "leaseDurationSeconds", doc_new_int(a, 1));
		doc_map_set(a, spec, "renewTime", doc_new_str(a, now));
		doc_map_set(a, spec, "acquireTime", doc_new_str(a, now));
	} else {
		if (!ours) {
			doc_map_set(a, spec, "acquireTime", doc_new_str(a, now));
			doc_map_set(a, spec, "leaseTransitions",
				    doc_new_int(a, holder && *holder ? transitions + 1 : transitions));
		}
		doc_map_set(a, spec, "holderIdentity", doc_new_str(a, l->identity));
		doc_map_set(a, spec, "leaseDurationSeconds", doc_new_int(a, dur_s));
		doc_map_set(a, spec, "renewTime", doc_new_str(a, now));
	}
	rc = kube_update(NULL, l->client, a, lease, NULL);
	arena_free(a);
	if (rc == ERR_CONFLICT)
		return 1;
	if (rc)
		return rc;
	l->observed_at = clock_mono_ms();
	return release ? 1 : 0;
}

static void *renew_loop(void *p)
{
	struct rt_leader *l = p;
	int64_t last_ok = clock_mono_ms();
	while (clock_nap_ms(&l->stop_renew, l->retry_ms)) {
		int rc = try_acquire(l, false);
		if (rc == 0) {
			last_ok = clock_mono_ms();
			atomic_store(&l->renewed_at, last_ok);
			continue;
		}
		if (rc < 0)
			log_error("error renewing the leader election lease", "lease", l->name,
				  "error", err_msg(), NULL);
		if (rc == 1 || clock_mono_ms() - last_ok >= l->renew_ms) {
			log_error("leader election lost", "lease", l->name, "identity", l->identity, NULL);
			atomic_store(&l->lost, 1);
			l->leading = false;
			set_status(l, 0);
			break;
		}
	}
	return NULL;
}

int rt_leader_acquire(struct rt_leader *l, const atomic_int *stop)
{
	char lease[512];
	snprintf(lease, sizeof(lease), "%s/%s", l->namespace, l->name);
	log_info("attempting to acquire leader lease...", "lease", lease, NULL);
	for (;;) {
		if (stop && atomic_load(stop))
			return 1;
		int rc = try_acquire(l, false);
		if (rc == 0)
			break;
		if (rc < 0)
			log_error("error retrieving resource lock", "lease", lease, "error", err_msg(), NULL);
		if (!clock_nap_ms(stop, l->retry_ms))
			return 1;
	}
	log_info("successfully acquired lease", "lease", lease, "identity", l->identity, NULL);
	atomic_store(&l->renewed_at, clock_mono_ms());
	l->leading = true;
	set_status(l, 1);
	atomic_store(&l->stop_renew, 0);
	if (pthread_create(&l->renewer, NULL, renew_loop, l) == 0)
		l->renewing = true;
	return 0;
}

void rt_leader_release(struct rt_leader *l)
{
	if (l->renewing) {
		atomic_store(&l->stop_renew, 1);
		pthread_join(l->renewer, NULL);
		l->renewing = false;
	}
	if (l->leading && !rt_leader_lost(l)) {
		int rc = try_acquire(l, true);
		if (rc < 0)
			log_error("failed to release the leader election lease", "lease", l->name,
				  "error", err_msg(), NULL);
		else
			log_info("released the leader election lease", "lease", l->name, NULL);
	}
	l->leading = false;
	set_status(l, 0);
}

void rt_leader_free(struct rt_leader *l)
{
	if (!l)
		return;
	rt_leader_release(l);
	free(l->namespace);
	free(l->name);
	free(l->identity);
	free(l->observed);
	free(l);
}
