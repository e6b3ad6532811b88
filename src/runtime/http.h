/*
 * A small HTTP/1.1 server on libmicrohttpd, for /metrics, /healthz and /readyz, the source
 * controllers' artifacts on --storage-addr, and the receivers that take POSTs (events,
 * webhooks).
 *
 * Routes are path prefixes: "/metrics" matches that path exactly, "/artifacts/" matches
 * every path under it; the longest matching route that takes the request's method wins. A
 * path no route matches is a 404, a method its routes do not take a 405. GET routes answer
 * GET and HEAD (HEAD with the headers of the GET); POST routes take a body of at most their
 * cap, buffered for the handler: a longer one is answered 413 without being buffered (a
 * Content-Length over the cap is refused before the body is read; a chunked body is
 * discarded past the cap, and the connection dropped when it goes on much longer).
 *
 * Connections are served by a fixed pool of worker threads, each polling its connections
 * with epoll, so idle connections cost a descriptor, not a thread. The server caps open
 * connections in all and per client address, and closes a connection idle for the timeout:
 * one client holding a thousand idle connections cannot keep the others out (see struct
 * rt_http_limits). Handlers run on the workers (several at once), so they must be
 * thread-safe, and quick: a handler that blocks holds up the connections of its worker.
 *
 * To serve a file, a handler opens it and hands the descriptor over in the response
 * (resp->fd, resp->fd_size): the server streams it with sendfile and closes it.
 * rt_http_route_files does that for a directory tree. A controller that wants its own
 * listener (a second address) makes its own struct rt_http.
 *
 *   struct rt_http *s;
 *   rt_http_new(&s, ":9090");
 *   rt_http_route_files(s, "/", storage_root);
 *   rt_http_start(s);
 *   ...
 *   rt_http_free(s);
 */
#ifndef TIDE_RUNTIME_HTTP_H
#define TIDE_RUNTIME_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct rt_http;

struct rt_http_request {
	const char *method; /* "GET", "HEAD" or "POST" */
	const char *path;   /* decoded path, without the query */
	const char *route;  /* the route prefix that matched */
	const char *body;   /* POST: the body (NUL-terminated), else NULL */
	size_t body_len;
	void *conn;         /* for rt_http_query and rt_http_header */
};

/* The value of query parameter name, or NULL. Borrowed for the handler's call. */
const char *rt_http_query(const struct rt_http_request *req, const char *name);

/* The value of request header name (any case), or NULL. Borrowed for the handler's call. */
const char *rt_http_header(const struct rt_http_request *req, const char *name);

struct rt_http_response {
	int status;               /* 200 unless the handler says otherwise */
	const char *content_type; /* a static string; NULL = "text/plain; charset=utf-8" */
	struct buf body;          /* the body, unless fd >= 0 */
	int fd;                   /* -1, or a file to send (the server closes it) */
	uint64_t fd_size;         /* bytes of fd to send from offset 0 (the Content-Length) */
	/* Up to four extra headers (name, value pairs of static or body-lived strings). */
	const char *headers[8];
};

/* Fills resp (the server passes a fresh one, status 200). The return value is ignored;
 * set resp->status instead. */
typedef int (*rt_http_fn)(void *ud, const struct rt_http_request *req,
			  struct rt_http_response *resp);

/* Per-connection limits; a 0 field takes the default in brackets. */
struct rt_http_limits {
	unsigned threads;          /* worker threads [4] */
	unsigned max_conns;        /* open connections in all [1000] */
	unsigned max_conns_per_ip; /* open connections from one client address [100] */
	unsigned timeout_s;        /* a connection with no traffic this long is closed [60] */
};

/* A server for addr: ":8080" (all interfaces), "127.0.0.1:8080", "localhost:0" (any free
 * port; see rt_http_port). ERR_INVALID for a malformed address. Nothing listens before
 * rt_http_start. */
int rt_http_new(struct rt_http **out, const char *addr);

/* Sets the limits (before rt_http_start); without a call, every default applies. */
void rt_http_set_limits(struct rt_http *s, const struct rt_http_limits *lim);

/* Adds a GET (and HEAD) route (before rt_http_start). prefix is copied; ud is borrowed. */
void rt_http_route(struct rt_http *s, const char *prefix, rt_http_fn fn, void *ud);

/* Adds a POST route taking bodies of at most max_body bytes (before rt_http_start). */
void rt_http_route_post(struct rt_http *s, const char *prefix, size_t max_body, rt_http_fn fn,
			void *ud);

/* Serves the files under the directory root at prefix (which ends in '/'): a GET of
 * prefix + "a/b" answers the regular file root/a/b with its size as Content-Length and
 * type application/octet-stream. Anything else is a 404: a path with an empty component or
 * one starting with '.' (".", "..", and the dot-files and dot-directories a store keeps
 * private, such as caches and temporary files), a symlink leading outside root, a
 * directory, a FIFO or a device. Symlinks that stay inside root are followed. Returns
 * ERR_NOTFOUND when root cannot be opened as a directory. */
int rt_http_route_files(struct rt_http *s, const char *prefix, const char *root);

/* Listens. ERR_IO ("listen tcp :8080: address already in use", as Go says it). */
int rt_http_start(struct rt_http *s);

/* The port listened on (after rt_http_start), or 0. */
int rt_http_port(const struct rt_http *s);

/* Stops listening, waits for handlers in flight, and frees s. NULL is allowed. */
void rt_http_free(struct rt_http *s);

#endif
