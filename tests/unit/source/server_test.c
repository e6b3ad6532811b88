/* The artifact file server on loopback, checked with curl. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "source/server.h"
#include "util/error.h"

static char root[] = "/tmp/tide-server-test-XXXXXX";
static int port;

/* HTTP status (and body into out) of a GET of path via curl. */
static int get(const char *path, char *out, size_t cap)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "curl -s --path-as-is -o %s/body -w '%%{http_code}' 'http://127.0.0.1:%d%s'", root, port, path);
	FILE *p = popen(cmd, "r");
	char code[16] = "";
	if (!p || !fgets(code, sizeof(code), p))
		return -1;
	pclose(p);
	snprintf(cmd, sizeof(cmd), "%s/body", root);
	FILE *f = fopen(cmd, "r");
	out[0] = '\0';
	if (f) {
		size_t n = fread(out, 1, cap - 1, f);
		out[n] = '\0';
		fclose(f);
	}
	return (int)strtol(code, NULL, 10);
}

TEST(serves_files_confined_to_root)
{
	char body[256];
	CHECK_INT(get("/gitrepository/default/app/x.tar.gz", body, sizeof(body)), 200);
	CHECK_STR(body, "tarball\n");
	CHECK_INT(get("/gitrepository/default/app/missing", body, sizeof(body)), 404);
	CHECK_INT(get("/gitrepository/default/app", body, sizeof(body)), 404);
	CHECK_INT(get("/../secret", body, sizeof(body)), 404);
	CHECK_INT(get("/gitrepository/../../secret", body, sizeof(body)), 404);
	CHECK_INT(get("/gitrepository/default/app/escape", body, sizeof(body)), 404);
	CHECK(strstr(body, "outside") == NULL);
}

int main(void)
{
	char cmd[1024];
	if (!mkdtemp(root))
		return 1;
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/store/gitrepository/default/app && echo tarball > %s/store/gitrepository/default/app/x.tar.gz"
		 " && echo outside > %s/secret && ln -s %s/secret %s/store/gitrepository/default/app/escape",
		 root, root, root, root, root);
	if (system(cmd) != 0)
		return 1;
	snprintf(cmd, sizeof(cmd), "%s/store", root);
	source_server *s;
	if (source_server_start(cmd, "127.0.0.1:0", &s) != 0) {
		printf("# %s\n", err_msg());
		return 1;
	}
	port = source_server_port(s);
	RUN(serves_files_confined_to_root);
	source_server_stop(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
