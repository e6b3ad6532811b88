/*
 * The HTTP server (see http.h) on libmicrohttpd: an epoll thread pool of fixed size (few
 * workers, any number of idle connections), routes matched by the longest prefix and the
 * method, POST bodies buffered up to their route's cap, responses built from a buffer or
 * streamed from a file descriptor, and a file handler confined to its root.
 */
#include "runtime/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DEFAULT_THREADS 4
#define DEFAULT_MAX_CONNS 1000
#define DEFAULT_MAX_CONNS_PER_IP 100
#define DEFAULT_TIMEOUT_S 60
/* A chunked body past its cap is read and thrown away so the 413 can be sent (libmicrohttpd
 * cannot answer mid-upload); past this many bytes more the connection is dropped instead. */
#define MAX_DISCARD (1u << 20)

enum { M_GET = 1, M_POST = 2 };

struct route {
	char *prefix;
	unsigned methods;
	size_t max_body;
	rt_http_fn fn;
	void *ud;
};

/* A directory served by rt_http_route_files. */
struct files {
	char *root; /* resolved, no trailing slash */
	int dirfd;
	struct files *next;
};

struct rt_http {
	char *addr;
	struct sockaddr_storage sa;
	struct MHD_Daemon *d;
	struct route *routes;
	size_t nroutes, cap;
	struct files *files;
	struct rt_http_limits lim;
	int port;
};

/* One request in flight: its route, and a POST's body as it arrives. */
struct req_state {
	const struct route *rt;
	struct buf body;
	bool too_big;
	size_t discarded;
};

int rt_http_new(struct rt_http **out, const char *addr)
{
	const char *colon = strrchr(addr, ':');
	if (!colon || !colon[1])
		return err_set(ERR_INVALID, "'%s': address must be host:port or :port", addr);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		return err_set(ERR_INVALID, "'%s': invalid port", addr);
	char host[256];
	size_t hl = (size_t)(colon - addr);
	if (hl >= sizeof(host))
		return err_set(ERR_INVALID, "'%s': host name too long", addr);
	memcpy(host, addr, hl);
	host[hl] = 0;
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') { /* [::1]:8080 */
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = 0;
	}
	struct rt_http *s = xcalloc(1, sizeof(*s));
	if (!*host) {
		struct sockaddr_in *in = (struct sockaddr_in *)&s->sa;
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_ANY);
		in->sin_port = htons((uint16_t)port);
	} else {
		struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
		struct addrinfo *res = NULL;
		if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res) {
			free(s);
			return err_set(ERR_INVALID, "'%s': cannot resolve host '%s'", addr, host);
		}
		memcpy(&s->sa, res->ai_addr, res->ai_addrlen);
		freeaddrinfo(res);
		if (s->sa.ss_family == AF_INET6)
			((struct sockaddr_in6 *)&s->sa)->sin6_port = htons((uint16_t)port);
		else
			((struct sockaddr_in *)&s->sa)->sin_port = htons((uint16_t)port);
	}
	s->addr = xstrdup(addr);
	*out = s;
	return 0;
}

void rt_http_set_limits(struct rt_http *s, const struct rt_http_limits *lim)
{
	s->lim = *lim;
}

static void add_route(struct rt_http *s, const char *prefix, unsigned methods, size_t max_body,
		      rt_http_fn fn, void *ud)
{
	s->routes = xgrow(s->routes, &s->cap, s->nroutes + 1, sizeof(*s->routes));
	s->routes[s->nroutes++] = (struct route){ xstrdup(prefix), methods, max_body, fn, ud };
}

void rt_http_route(struct rt_http *s, const char *prefix, rt_http_fn fn, void *ud)
{
	add_route(s, prefix, M_GET, 0, fn, ud);
}

void rt_http_route_post(struct rt_http *s, const char *prefix, size_t max_body, rt_http_fn fn,
			void *ud)
{
	add_route(s, prefix, M_POST, max_body, fn, ud);
}

/* The longest route matching path that takes method; *path_matched says whether any route
 * matched the path at all (a 405 rather than a 404). */
static const struct route *match(const struct rt_http *s, const char *path, unsigned method,
				 bool *path_matched)
{
	const struct route *best = NULL;
	size_t best_len = 0;
	*path_matched = false;
	for (size_t i = 0; i < s->nroutes; i++) {
		const char *p = s->routes[i].prefix;
		size_t n = strlen(p);
		bool ok = n && p[n - 1] == '/' ? !strncmp(path, p, n) : !strcmp(path, p);
		if (!ok)
			continue;
		*path_matched = true;
		if ((s->routes[i].methods & method) && n >= best_len) {
			best = &s->routes[i];
			best_len = n;
		}
	}
	return best;
}

const char *rt_http_query(const struct rt_http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *rt_http_header(const struct rt_http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

#define TOO_LARGE "request body too large\n"

/* Calls the route's handler and queues what it answered. */
static enum MHD_Result dispatch(struct MHD_Connection *c, const char *url, const char *method,
				struct req_state *st)
{
	const struct route *rt = st->rt;
	struct rt_http_request req = { .method = method, .path = url, .route = rt->prefix,
				       .conn = c };
	if (rt->methods & M_POST) {
		req.body = st->body.ptr;
		req.body_len = st->body.len;
	}
	struct rt_http_response resp = { .status = 200, .body = BUF_INIT, .fd = -1 };
	rt->fn(rt->ud, &req, &resp);
	struct MHD_Response *r;
	if (resp.fd >= 0) {
		r = MHD_create_response_from_fd(resp.fd_size, resp.fd);
		if (!r)
			close(resp.fd);
		buf_release(&resp.body);
	} else {
		size_t len;
		char *body = buf_detach(&resp.body, &len);
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
		if (!r)
			free(body);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
				resp.content_type ? resp.content_type : "text/plain; charset=utf-8");
	for (size_t i = 0; i + 1 < 8 && resp.headers[i]; i += 2)
		MHD_add_response_header(r, resp.headers[i], resp.headers[i + 1]);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp.status, r);
	MHD_destroy_response(r);
	return ret;
}

/* libmicrohttpd calls this once with the headers, then once per piece of the body, then
 * once more with no data: the answer goes out on that last call, or at once for a request
 * refused on its headers. */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	(void)version;
	struct rt_http *s = cls;
	struct req_state *st = *state;
	if (!st) {
		unsigned m = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD)
				     ? M_GET
			     : !strcmp(method, MHD_HTTP_METHOD_POST) ? M_POST
								      : 0;
		bool path_matched;
		const struct route *rt = m ? match(s, url, m, &path_matched) : NULL;
		st = xcalloc(1, sizeof(*st));
		st->body = (struct buf)BUF_INIT;
		*state = st;
		if (!rt)
			return m && !path_matched
				       ? reply_text(c, MHD_HTTP_NOT_FOUND, "404 page not found\n")
				       : reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
		st->rt = rt;
		if (m == M_POST) {
			const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								     MHD_HTTP_HEADER_CONTENT_LENGTH);
			char *end;
			unsigned long long n = cl ? strtoull(cl, &end, 10) : 0;
			if (cl && (*end || n > rt->max_body))
				return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE, TOO_LARGE);
			buf_init(&st->body, rt->max_body + 1);
		}
		return MHD_YES;
	}
	if (!st->rt) /* refused on its headers; the rest is not read */
		return MHD_YES;
	if (*upload_size) {
		if (!(st->rt->methods & M_POST)) {
			*upload_size = 0; /* a body on a GET: ignored */
			return MHD_YES;
		}
		if (!st->too_big && st->body.len + *upload_size <= st->rt->max_body) {
			buf_add(&st->body, upload, *upload_size);
		} else {
			st->too_big = true;
			buf_release(&st->body);
			st->discarded += *upload_size;
			if (st->discarded > MAX_DISCARD)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->too_big)
		return reply_text(c, MHD_HTTP_CONTENT_TOO_LARGE, TOO_LARGE);
	return dispatch(c, url, method, st);
}

static void completed(void *cls, struct MHD_Connection *c, void **state,
		      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct req_state *st = *state;
	if (!st)
		return;
	buf_release(&st->body);
	free(st);
	*state = NULL;
}

/* ---- Files -----------------------------------------------------------------------------*/

/* 1 when rel is "a/b/..." with no empty component and none starting with '.'. */
static int clean_rel(const char *rel)
{
	if (!*rel)
		return 0;
	for (const char *p = rel;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || p[0] == '.')
			return 0;
		if (p[n] == '\0')
			return 1;
		p += n + 1;
	}
}

/* Opens rel below f's root, never outside it: openat2's RESOLVE_BENEATH where the kernel has
 * it (atomic), else the resolved path checked against the root. O_NONBLOCK so that opening
 * a FIFO does not wait for a writer (it is refused after the fstat). */
static int open_beneath(const struct files *f, const char *rel)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	long fd = syscall(SYS_openat2, f->dirfd, rel, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return (int)fd;
	char *full = xasprintf("%s/%s", f->root, rel);
	char real[PATH_MAX];
	size_t rl = strlen(f->root);
	int ok = realpath(full, real) && !strncmp(real, f->root, rl) && real[rl] == '/';
	free(full);
	return ok ? open(real, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY) : -1;
}

static int serve_file(void *ud, const struct rt_http_request *req, struct rt_http_response *resp)
{
	const struct files *f = ud;
	const char *rel = req->path + strlen(req->route);
	int fd = clean_rel(rel) ? open_beneath(f, rel) : -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		resp->status = 404;
		buf_adds(&resp->body, "404 page not found\n");
		return 0;
	}
	resp->fd = fd;
	resp->fd_size = (uint64_t)st.st_size;
	resp->content_type = "application/octet-stream";
	return 0;
}

int rt_http_route_files(struct rt_http *s, const char *prefix, const char *root)
{
	char real[PATH_MAX];
	if (!realpath(root, real))
		return err_set(ERR_NOTFOUND, "'%s': %s", root, strerror(errno));
	int dfd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_set(ERR_NOTFOUND, "'%s': %s", root, strerror(errno));
	struct files *f = xcalloc(1, sizeof(*f));
	f->root = xstrdup(real);
	f->dirfd = dfd;
	f->next = s->files;
	s->files = f;
	rt_http_route(s, prefix, serve_file, f);
	return 0;
}

/* ---- Lifecycle -------------------------------------------------------------------------*/

static unsigned or_default(unsigned v, unsigned def)
{
	return v ? v : def;
}

int rt_http_start(struct rt_http *s)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC |
			 (s->sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&s->sa,
		MHD_OPTION_THREAD_POOL_SIZE, or_default(s->lim.threads, DEFAULT_THREADS),
		MHD_OPTION_CONNECTION_LIMIT, or_default(s->lim.max_conns, DEFAULT_MAX_CONNS),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		or_default(s->lim.max_conns_per_ip, DEFAULT_MAX_CONNS_PER_IP),
		MHD_OPTION_CONNECTION_TIMEOUT, or_default(s->lim.timeout_s, DEFAULT_TIMEOUT_S),
		MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (!s->d)
		return err_set(ERR_IO, "listen tcp %s: address already in use or not available", s->addr);
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : 0;
	return 0;
}

int rt_http_port(const struct rt_http *s)
{
	return s->port;
}

void rt_http_free(struct rt_http *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	for (size_t i = 0; i < s->nroutes; i++)
		free(s->routes[i].prefix);
	free(s->routes);
	while (s->files) {
		struct files *f = s->files;
		s->files = f->next;
		close(f->dirfd);
		free(f->root);
		free(f);
	}
	free(s->addr);
	free(s);
}
