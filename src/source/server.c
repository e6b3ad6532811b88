/* Artifact file server on libmicrohttpd; see server.h. */
#include "source/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct source_server {
	struct MHD_Daemon *d;
	char *root; /* resolved, no trailing slash */
	int port;
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* 1 when url is "/a/b/..." with no empty component and none starting with '.'. */
static int clean_path(const char *url)
{
	if (url[0] != '/' || url[1] == '\0')
		return 0;
	const char *p = url + 1;
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || p[0] == '.') /* also ".", "..", and the hidden cache and temp dirs */
			return 0;
		if (p[n] == '\0')
			return 1;
		p += n + 1;
	}
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *size, void **state)
{
	struct source_server *s = cls;
	(void)version;
	(void)data;
	(void)size;
	(void)state;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	if (!clean_path(url))
		return reply(c, MHD_HTTP_NOT_FOUND, "404 page not found\n");
	char *full = xasprintf("%s%s", s->root, url);
	char real[PATH_MAX];
	int ok = realpath(full, real) != NULL && strncmp(real, s->root, strlen(s->root)) == 0 &&
		 real[strlen(s->root)] == '/';
	free(full);
	int fd = ok ? open(real, O_RDONLY | O_CLOEXEC) : -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return reply(c, MHD_HTTP_NOT_FOUND, "404 page not found\n");
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	MHD_add_response_header(r, "Content-Type", "application/octet-stream");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int source_server_start(const char *root, const char *addr, source_server **out)
{
	char real[PATH_MAX];
	*out = NULL;
	if (!realpath(root, real))
		return err_set(ERR_NOTFOUND, "storage path '%s': %s", root, strerror(errno));
	const char *colon = strrchr(addr, ':');
	char host[256] = "0.0.0.0";
	if (!colon || (size_t)(colon - addr) >= sizeof(host))
		return err_set(ERR_INVALID, "storage address '%s': expected host:port", addr);
	if (colon > addr) {
		memcpy(host, addr, (size_t)(colon - addr));
		host[colon - addr] = '\0';
	}
	char *end;
	long port = strtol(colon + 1, &end, 10);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &sa.sin_addr) != 1)
		return err_set(ERR_INVALID, "storage address '%s': expected IPv4 host:port", addr);
	source_server *s = xcalloc(1, sizeof(*s));
	s->root = xstrdup(real);
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0,
				NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
				MHD_OPTION_END);
	if (!s->d) {
		int rc = err_set(ERR_GENERIC, "storage address '%s': cannot listen", addr);
		free(s->root);
		free(s);
		return rc;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : (int)port;
	*out = s;
	return 0;
}

int source_server_port(const source_server *s)
{
	return s->port;
}

void source_server_stop(source_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s->root);
	free(s);
}
