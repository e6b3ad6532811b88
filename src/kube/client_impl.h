/*
 * The kube module's internals shared between its files: the client structs, the transport
 * (transport.c) and the discovery cache's lifecycle (discovery.c). Not for other modules.
 */
#ifndef TIDE_KUBE_CLIENT_IMPL_H
#define TIDE_KUBE_CLIENT_IMPL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "kube/client.h"
#include "kube/ratelimit.h"

struct kube_config;
struct mapper;
struct net_pool;

/* What every client made from one kube_client_new shares. Refcounted. */
struct kube_shared {
	atomic_int refs;
	struct kube_config *cfg;   /* a private copy */
	double qps;
	int burst;
	long connect_timeout_ms, timeout_ms, max_backoff_ms;
	size_t max_body;
	int max_retries;
	char *user_agent;
	struct net_pool *pool;     /* HTTP/2 connections, shared by every request */
	struct ratelimit rl;
	pthread_mutex_t token_lock; /* token re-read from cfg->token_file */
	char *token;
	struct timespec token_mtime;
	long long token_size;
	struct mapper *mapper;
	_Atomic(kube_write_gate_fn) write_gate; /* NULL = writes always allowed */
	void *_Atomic write_gate_ud;
};

struct kube_client {
	struct kube_shared *sh;
	char *imp_user;
	char **imp_groups; /* NULL-terminated, or NULL */
};

/* Receives response bytes of a 2xx response; returns 0, or an error code to abort the
 * transfer (which kube_transport_perform then returns). */
typedef int (*transport_sink_fn)(void *ud, const char *data, size_t n);

struct transport_call {
	const struct kube_request *req;
	transport_sink_fn sink;   /* NULL = append to body (capped at max_body) */
	void *sink_ud;
	struct buf *body;
	long timeout_ms;          /* 0 = the client's; < 0 = none (watches) */
	const atomic_int *stop;   /* set non-zero to abort: the call returns 0 */
	bool no_retry;            /* watches: the caller re-establishes them */
};

/* Performs call with rate limiting and retries. Returns 0 for a 2xx, else a code with the
 * message set (Status, connection, TLS). *status_out gets the last HTTP status (0 when no
 * response). */
int kube_transport_perform(struct kube_client *c, struct transport_call *call,
			   long *status_out);

struct mapper *mapper_new(void);
void mapper_free(struct mapper *m);

#endif
