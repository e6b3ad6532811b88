/*
 * The HTTP server (see http.h) on libmicrohttpd: a thread per connection (few clients:
 * Prometheus, the kubelet's probes, controllers fetching artifacts), routes matched by the
 * longest prefix, responses built from a buffer or streamed from a file descriptor.
 */
#include "runtime/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct route {
	char *prefix;
	rt_http_fn fn;
	void *ud;
};

struct rt_http {
	char *addr;
	struct sockaddr_storage sa;
	struct MHD_Daemon *d;
	struct route *routes;
	size_t nroutes, cap;
	int port;
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

void rt_http_route(struct rt_http *s, const char *prefix, rt_http_fn fn, void *ud)
{
	s->routes = xgrow(s->routes, &s->cap, s->nroutes + 1, sizeof(*s->routes));
	s->routes[s->nroutes++] = (struct route){ xstrdup(prefix), fn, ud };
}

static const struct route *match(const struct rt_http *s, const char *path)
{
	const struct route *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < s->nroutes; i++) {
		const char *p = s->routes[i].prefix;
		size_t n = strlen(p);
		bool ok = n && p[n - 1] == '/' ? !strncmp(path, p, n) : !strcmp(path, p);
		if (ok && n >= best_len) {
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

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned code, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	(void)version;
	(void)upload;
	(void)upload_size;
	struct rt_http *s = cls;
	if (!*state) { /* first call: headers only; answer on the second */
		*state = s;
		return MHD_YES;
	}
	bool head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
	if (!head && strcmp(method, MHD_HTTP_METHOD_GET))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	const struct route *rt = match(s, url);
	if (!rt)
		return reply_text(c, MHD_HTTP_NOT_FOUND, "404 page not found\n");
	struct rt_http_request req = { .method = method, .path = url, .route = rt->prefix, .conn = c };
	struct rt_http_response resp = { .status = 200, .body = BUF_INIT, .fd = -1 };
	rt->fn(rt->ud, &req, &resp);
	struct MHD_Response *r;
	if (resp.fd >= 0) {
		r = MHD_create_response_from_fd(resp.fd_size, resp.fd);
		buf_release(&resp.body);
	} else {
		size_t len;
		char *body = buf_detach(&resp.body, &len);
		r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
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

int rt_http_start(struct rt_http *s)
{
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
					(s->sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
				0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&s->sa,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_END);
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
	free(s->addr);
	free(s);
}
