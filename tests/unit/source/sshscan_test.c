/* SSH host-key scans (src/source/sshscan.h): known_hosts names as Go's knownhosts.Normalize
 * writes them, and the failures against loopback listeners that are not SSH servers (the scan
 * of a real sshd is in tests/e2e/source-ssh/create-ssh.sh). */
#include "test.h"

#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "source/sshscan.h"
#include "util/buf.h"
#include "util/error.h"

static const char *name_of(const char *address)
{
	static char out[300];
	if (ssh_known_hosts_name(out, sizeof(out), address))
		return err_msg();
	return out;
}

TEST(known_hosts_names)
{
	CHECK_STR(name_of("github.com"), "github.com");
	CHECK_STR(name_of("github.com:22"), "github.com");
	CHECK_STR(name_of("127.0.0.1:2222"), "[127.0.0.1]:2222");
	CHECK_STR(name_of("[::1]:22"), "[::1]");
	CHECK_STR(name_of("[::1]:2222"), "[::1]:2222");
	CHECK_STR(name_of("[fe80::1]"), "[fe80::1]");
	CHECK(strstr(name_of("a:b:c"), "too many colons") != NULL);
	CHECK(strstr(name_of("host:x"), "invalid port") != NULL);
	CHECK(strstr(name_of("host:70000"), "invalid port") != NULL);
	CHECK(strstr(name_of(":22"), "missing host") != NULL);
	CHECK(strstr(name_of("[::1"), "missing ']'") != NULL);
}

/* A loopback listener; each accepted connection gets `reply` (NULL: nothing, held open
 * until the test ends). */
struct listener {
	int fd, port;
	const char *reply;
	pthread_t thread;
};

static void *serve(void *p)
{
	struct listener *l = p;
	int c = accept(l->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	if (l->reply) {
		ssize_t w = write(c, l->reply, strlen(l->reply));
		(void)w;
		close(c);
	} else {
		char b[256];
		while (read(c, b, sizeof(b)) > 0) {
		}
		close(c);
	}
	return NULL;
}

static void listen_on(struct listener *l, const char *reply)
{
	l->reply = reply;
	l->fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	REQUIRE(bind(l->fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	REQUIRE(listen(l->fd, 4) == 0);
	REQUIRE(getsockname(l->fd, (struct sockaddr *)&sa, &len) == 0);
	l->port = ntohs(sa.sin_port);
	pthread_create(&l->thread, NULL, serve, l);
}

static void stop(struct listener *l)
{
	shutdown(l->fd, SHUT_RDWR);
	close(l->fd);
	pthread_join(l->thread, NULL);
}

TEST(refused)
{
	/* a port bound and closed again is free, and nothing listens there */
	struct listener l;
	listen_on(&l, "");
	int port = l.port;
	stop(&l);
	char addr[64], want[128];
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", port);
	snprintf(want, sizeof(want), "dial tcp 127.0.0.1:%d: connect: connection refused", port);
	struct buf line = BUF_INIT;
	CHECK_INT(ssh_scan_host_key(&line, addr, 2000), ERR_UNAVAIL);
	CHECK_STR(err_msg(), want);
	CHECK_INT(line.len, 0);
	buf_release(&line);
}

TEST(not_ssh)
{
	struct listener l;
	listen_on(&l, "HTTP/1.0 400 Bad Request\r\n\r\n");
	char addr[64];
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", l.port);
	struct buf line = BUF_INIT;
	CHECK_INT(ssh_scan_host_key(&line, addr, 2000), ERR_GENERIC);
	CHECK(strncmp(err_msg(), "ssh: handshake failed: ", 23) == 0);
	printf("# %s\n", err_msg());
	CHECK_INT(line.len, 0);
	buf_release(&line);
	stop(&l);
}

TEST(silent_server_times_out)
{
	struct listener l;
	listen_on(&l, NULL);
	char addr[64];
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", l.port);
	struct buf line = BUF_INIT;
	CHECK_INT(ssh_scan_host_key(&line, addr, 300), ERR_TIMEOUT);
	CHECK_STR(err_msg(), "ssh: handshake failed: i/o timeout");
	buf_release(&line);
	stop(&l);
}

int main(void)
{
	RUN(known_hosts_names);
	RUN(refused);
	RUN(not_ssh);
	RUN(silent_server_times_out);
	return test_done();
}
