/*
 * libFuzzer target: the kustomize engine over an arbitrary kustomization. The input is split
 * at lines "#---" into kustomization.yaml, then patch.yaml and extra.yaml, written beside a
 * fixed resource file (a Deployment, a Service, a ConfigMap) in a fresh directory, and built
 * with the default load restrictor and the directory as confine root. Any input must build or
 * fail with a message; nothing may crash, leak, or read outside the directory (a sibling file
 * "secret" with a random name is planted to make an escape visible in the output).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kustomize/kustomize.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char resources[] =
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  labels:\n    app: app\n"
	"spec:\n  selector:\n    matchLabels:\n      app: app\n  template:\n    metadata:\n"
	"      labels:\n        app: app\n    spec:\n      containers:\n      - name: main\n"
	"        image: nginx:1.0\n        envFrom:\n        - configMapRef:\n            name: cfg\n"
	"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector:\n"
	"    app: app\n  ports:\n  - port: 80\n"
	"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n";

static char root[64];
static char marker[40];

/* A plain byte loop, not strstr: libFuzzer intercepts strstr and would learn the marker. */
static bool contains(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++) {
		size_t j = 0;
		while (j < m && hay[i + j] == needle[j])
			j++;
		if (j == m)
			return true;
	}
	return false;
}

static void write_file(const char *name, const char *p, size_t n)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/in/%s", root, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	if (n && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static void setup(void)
{
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(root, sizeof(root), "%s/fuzz-kust-XXXXXX", tmp);
	if (!mkdtemp(root))
		abort();
	char path[128];
	snprintf(path, sizeof(path), "%s/in", root);
	if (mkdir(path, 0755))
		abort();
	snprintf(path, sizeof(path), "%s/secret", root);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	snprintf(marker, sizeof(marker), "outside-%08lx%08lx", (unsigned long)getpid(), (unsigned long)random());
	fprintf(f, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: %s\n", marker);
	fclose(f);
	write_file("resources.yaml", resources, sizeof(resources) - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!root[0])
		setup();
	static const char *names[] = { "kustomization.yaml", "patch.yaml", "extra.yaml" };
	const char *p = (const char *)data, *end = p + size;
	for (size_t i = 0; i < 3; i++) {
		const char *cut = NULL;
		for (const char *q = p; q + 4 <= end; q++)
			if (!memcmp(q, "#---", 4) && (q == p || q[-1] == '\n')) {
				cut = q;
				break;
			}
		const char *stop = cut && i < 2 ? cut : end;
		write_file(names[i], p, (size_t)(stop - p));
		p = stop == end ? end : stop + 4;
	}
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/in", root);
	struct kust_options o = KUST_OPTIONS_INIT;
	o.confine_root = dir;
	struct buf out = BUF_INIT;
	err_clear();
	if (kust_build_yaml(dir, &o, &out) == 0) {
		if (contains(out.ptr, out.len, marker)) {
			fprintf(stderr, "a file outside the root was read:\n%s\n", out.ptr);
			abort();
		}
	} else if (!err_msg()[0]) {
		fprintf(stderr, "build failed without a message\n");
		abort();
	}
	buf_release(&out);
	return 0;
}
