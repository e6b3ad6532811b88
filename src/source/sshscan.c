/* SSH host-key scan; see sshscan.h. */
#include "source/sshscan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* Splits address as Go's net.SplitHostPort, with port 22 when there is none. */
static int split_address(const char *address, char *host, size_t hn, int *port)
{
	const char *h = address, *end, *p = NULL;
	size_t len;
	if (*address == '[') {
		end = strchr(address, ']');
		if (!end || (end[1] && end[1] != ':'))
			return err_set(ERR_INVALID, "address %s: missing ']' in address", address);
		h = address + 1;
		len = (size_t)(end - h);
		if (end[1] == ':')
			p = end + 2;
	} else {
		const char *colon = strchr(address, ':');
		if (colon && strchr(colon + 1, ':'))
			return err_set(ERR_INVALID, "address %s: too many colons in address", address);
		len = colon ? (size_t)(colon - address) : strlen(address);
		if (colon)
			p = colon + 1;
	}
	if (len == 0 || len >= hn)
		return err_set(ERR_INVALID, "address %s: missing host", address);
	memcpy(host, h, len);
	host[len] = 0;
	*port = 22;
	if (p) {
		char *e;
		errno = 0;
		long v = strtol(p, &e, 10);
		if (!*p || *e || errno || v < 1 || v > 65535 || !isdigit((unsigned char)*p))
			return err_set(ERR_INVALID, "address %s: invalid port", address);
		*port = (int)v;
	}
	return 0;
}

static int format_name(char *out, unsigned n, const char *host, int port)
{
	int w;
	if (port != 22)
		w = snprintf(out, n, "[%s]:%d", host, port);
	else if (strchr(host, ':'))
		w = snprintf(out, n, "[%s]", host);
	else
		w = snprintf(out, n, "%s", host);
	if (w < 0 || (unsigned)w >= n)
		return err_set(ERR_TOOBIG, "host name %s is too long", host);
	return 0;
}

int ssh_known_hosts_name(char *out, unsigned n, const char *address)
{
	char host[256];
	int port, rc = split_address(address, host, sizeof(host), &port);
	return rc ? rc : format_name(out, n, host, port);
}

/* "Connection refused" -> "connection refused", as Go prints errno texts. */
static const char *lower_strerror(int e, char *out, size_t n)
{
	snprintf(out, n, "%s", strerror(e));
	if (out[0])
		out[0] = (char)tolower((unsigned char)out[0]);
	return out;
}

/* *out = a connected blocking socket to one of host's addresses. */
static int dial(int *out, const char *host, int port, const char *dial_name, int timeout_ms)
{
	char service[8];
	snprintf(service, sizeof(service), "%d", port);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
	int g = getaddrinfo(host, service, &hints, &res);
	if (g) {
		const char *why = g == EAI_NONAME || g == EAI_NODATA ? "no such host" : gai_strerror(g);
		return err_set(ERR_UNAVAIL, "dial tcp: lookup %s: %s", host, why);
	}
	int64_t deadline = clock_mono_ms() + timeout_ms;
	int fd = -1, last = ECONNREFUSED;
	for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
		int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
		if (s < 0) {
			last = errno;
			continue;
		}
		int r = connect(s, ai->ai_addr, ai->ai_addrlen);
		if (r && errno == EINPROGRESS) {
			struct pollfd pfd = { .fd = s, .events = POLLOUT };
			int left = (int)(deadline - clock_mono_ms());
			r = left > 0 ? poll(&pfd, 1, left) : 0;
			if (r == 0) {
				close(s);
				freeaddrinfo(res);
				return err_set(ERR_TIMEOUT, "dial tcp %s: i/o timeout", dial_name);
			}
			int soerr = 0;
			socklen_t sl = sizeof(soerr);
			if (r < 0)
				soerr = errno;
			else if (getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &sl))
				soerr = errno;
			r = soerr ? -1 : 0;
			errno = soerr;
		}
		if (r) {
			last = errno;
			close(s);
			continue;
		}
		int fl = fcntl(s, F_GETFL);
		if (fl < 0 || fcntl(s, F_SETFL, fl & ~O_NONBLOCK)) {
			last = errno;
			close(s);
			continue;
		}
		fd = s;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		char why[128];
		return err_set(ERR_UNAVAIL, "dial tcp %s: connect: %s", dial_name, lower_strerror(last, why, sizeof(why)));
	}
	*out = fd;
	return 0;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;
static void init_libssh2(void)
{
	init_rc = libssh2_init(0);
}

/* The key type named at the start of an SSH wire-format key blob ("ssh-ed25519"). */
static int blob_type(const unsigned char *key, size_t len, char *out, size_t n)
{
	if (len < 4)
		return err_set(ERR_INVALID, "ssh: the server's host key is truncated");
	uint32_t tl = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 | (uint32_t)key[2] << 8 | key[3];
	if (tl == 0 || tl > len - 4 || tl >= n)
		return err_set(ERR_INVALID, "ssh: the server's host key is malformed");
	for (uint32_t i = 0; i < tl; i++)
		if (!isgraph(key[4 + i]))
			return err_set(ERR_INVALID, "ssh: the server's host key is malformed");
	memcpy(out, key + 4, tl);
	out[tl] = 0;
	return 0;
}

int ssh_scan_host_key(struct buf *line, const char *address, int timeout_ms)
{
	char host[256], name[300], dial_name[300];
	int port, rc = split_address(address, host, sizeof(host), &port);
	if (rc || (rc = format_name(name, sizeof(name), host, port)))
		return rc;
	snprintf(dial_name, sizeof(dial_name), strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
	pthread_once(&init_once, init_libssh2);
	if (init_rc)
		return err_set(ERR_GENERIC, "ssh: libssh2 could not be initialised");
	int fd = -1;
	if ((rc = dial(&fd, host, port, dial_name, timeout_ms)))
		return rc;
	LIBSSH2_SESSION *s = libssh2_session_init();
	if (!s) {
		close(fd);
		return err_set(ERR_GENERIC, "ssh: out of memory");
	}
	libssh2_session_set_blocking(s, 1);
	libssh2_session_set_timeout(s, timeout_ms);
	int hr = libssh2_session_handshake(s, fd);
	if (hr) {
		char *msg = NULL, why[256];
		libssh2_session_last_error(s, &msg, NULL, 0);
		snprintf(why, sizeof(why), "%s", hr == LIBSSH2_ERROR_TIMEOUT ? "i/o timeout" : msg && *msg ? msg : "connection closed");
		why[0] = (char)tolower((unsigned char)why[0]); /* "Failed getting banner", in Go's case */
		rc = err_set(hr == LIBSSH2_ERROR_TIMEOUT ? ERR_TIMEOUT : ERR_GENERIC, "ssh: handshake failed: %s", why);
		goto out;
	}
	size_t klen = 0;
	int ktype = 0;
	const char *key = libssh2_session_hostkey(s, &klen, &ktype);
	char type[64];
	if (!key || !klen) {
		rc = err_set(ERR_GENERIC, "ssh: the server sent no host key");
		goto out;
	}
	if ((rc = blob_type((const unsigned char *)key, klen, type, sizeof(type))))
		goto out;
	size_t enc_len = 4 * ((klen + 2) / 3) + 1;
	unsigned char *enc = malloc(enc_len);
	if (!enc) {
		rc = err_set(ERR_GENERIC, "out of memory");
		goto out;
	}
	EVP_EncodeBlock(enc, (const unsigned char *)key, (int)klen);
	buf_addf(line, "%s %s %s", name, type, (const char *)enc);
	free(enc);
	libssh2_session_disconnect(s, "host key scan");
out:
	libssh2_session_free(s);
	close(fd);
	return rc;
}
