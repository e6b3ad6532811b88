/*
 * A small HTTP/1.1 server on libmicrohttpd, for /metrics, /healthz and /readyz, and for
 * anything else a controller serves (the source controller's artifacts on --storage-addr).
 *
 * Routes are path prefixes: "/metrics" matches that path exactly, "/artifacts/" matches
 * every path under it; the longest matching route wins, and a request matching none is a
 * 404. Handlers run on libmicrohttpd's thread pool (several at once), so they must be
 * thread-safe. Only GET and HEAD reach handlers (others get 405); HEAD is answered with the
 * headers of the GET.
 *
 * To serve files, a handler opens the file and hands the descriptor over in the response
 * (resp->fd, resp->fd_size): the server streams it with sendfile and closes it. A
 * controller that wants its own listener (a second address) makes its own struct rt_http.
 *
 *   struct rt_http *s;
 *   rt_http_new(&s, ":9090");
 *   rt_http_route(s, "/artifacts/", serve_artifact, storage);
 *   rt_http_start(s);
 *   ...
 *   rt_http_free(s);
 */
#ifndef TIDE_RUNTIME_HTTP_H
#define TIDE_RUNTIME_HTTP_H

#include <stdint.h>

#include "util/buf.h"

struct rt_http;

struct rt_http_request {
	const char *method; /* "GET" or "HEAD" */
	const char *path;   /* decoded path, without the query */
	const char *route;  /* the route prefix that matched */
	void *conn;         /* for rt_http_query */
};

/* The value of query parameter name, or NULL. Borrowed for the handler's call. */
const char *rt_http_query(const struct rt_http_request *req, const char *name);

struct rt_http_response {
	int status;               /* 200 unless the handler says otherwise */
	const char *content_type; /* a static string; NULL = "text/plain; charset=utf-8" */
	struct buf body;          /* the body, unless fd >= 0 */
	int fd;                   /* -1, or a file to send (the server closes it) */
	uint64_t fd_size;         /* bytes of fd to send from offset 0 */
	/* Up to four extra headers (name, value pairs of static or body-lived strings). */
	const char *headers[8];
};

/* Fills resp (the server passes a fresh one, status 200). The return value is ignored;
 * set resp->status instead. */
typedef int (*rt_http_fn)(void *ud, const struct rt_http_request *req,
			  struct rt_http_response *resp);

/* A server for addr: ":8080" (all interfaces), "127.0.0.1:8080", "localhost:0" (any free
 * port; see rt_http_port). ERR_INVALID for a malformed address. Nothing listens before
 * rt_http_start. */
int rt_http_new(struct rt_http **out, const char *addr);

/* Adds a route (before rt_http_start). prefix is copied; ud is borrowed. */
void rt_http_route(struct rt_http *s, const char *prefix, rt_http_fn fn, void *ud);

/* Listens. ERR_IO ("listen tcp :8080: address already in use", as Go says it). */
int rt_http_start(struct rt_http *s);

/* The port listened on (after rt_http_start), or 0. */
int rt_http_port(const struct rt_http *s);

/* Stops listening, waits for handlers in flight, and frees s. NULL is allowed. */
void rt_http_free(struct rt_http *s);

#endif
