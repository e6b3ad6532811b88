/*
 * Leader election with a coordination.k8s.io/v1 Lease, as client-go's leaderelection does
 * for Flux's controllers (--enable-leader-election):
 *
 *  - a candidate takes the Lease when it is free or its holder has not renewed it within
 *    leaseDurationSeconds (updates are optimistic: resourceVersion-guarded PUTs, so two
 *    candidates never both win);
 *  - the leader renews every retry period; when it cannot renew for renew_deadline it gives
 *    up leadership (rt_leader_lost becomes true, and the process should exit as Flux's do);
 *  - rt_leader_release, on clean shutdown, empties holderIdentity so a standby takes over
 *    at its next retry instead of waiting for the lease to expire.
 *
 * The Lease is named like Flux's ("<component>-leader-election"; tide's controller uses
 * "tide-controller-leader-election") in the controller's namespace.
 * Defaults are Flux's: lease 35 s, renew deadline 30 s, retry period 5 s.
 */
#ifndef TIDE_RUNTIME_LEADER_H
#define TIDE_RUNTIME_LEADER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct kube_client;
struct rt_leader;
struct rt_metrics;

struct rt_leader_opts {
	const char *namespace;     /* where the Lease lives */
	const char *name;          /* the Lease's name */
	const char *identity;      /* NULL = "<hostname>_<random hex>" */
	int64_t lease_duration_ms; /* 0 = 35 s */
	int64_t renew_deadline_ms; /* 0 = 30 s */
	int64_t retry_period_ms;   /* 0 = 5 s */
	struct rt_metrics *metrics; /* leader_election_master_status{name}; may be NULL */
};

/* A candidate; c must outlive it. opts is copied. */
int rt_leader_new(struct rt_leader **out, struct kube_client *c, const struct rt_leader_opts *opts);

/* Blocks until this candidate holds the Lease (returns 0; a renewal thread then keeps it)
 * or stop is set (returns 1). API errors are logged and retried. */
int rt_leader_acquire(struct rt_leader *l, const atomic_int *stop);

/* Whether leadership, once acquired, was lost (renewals failed for the renew deadline or
 * another holder took the Lease). */
bool rt_leader_lost(struct rt_leader *l);

/* Whether this candidate may act as the leader now: acquired, not lost, and renewed within
 * the renew deadline by the monotonic clock. Past the deadline (the process was paused, or
 * renewals are failing) it marks leadership lost and returns false, so that a leader resumed
 * after another took over stops before it writes. Callers check it before each unit of work
 * (the controller's workers, before a reconcile). Thread-safe. */
bool rt_leader_valid(struct rt_leader *l);

/* This candidate's identity. */
const char *rt_leader_identity(const struct rt_leader *l);

/* Stops renewing and, if the Lease is still ours, releases it. */
void rt_leader_release(struct rt_leader *l);

/* Releases if needed and frees l. NULL is allowed. */
void rt_leader_free(struct rt_leader *l);

#endif
