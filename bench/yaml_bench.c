/*
 * YAML parse + emit throughput of the document model. Reads a multi-document YAML file,
 * parses it into trees and writes it back (kustomize's style), N times, and prints the best
 * time and the peak RSS. bench/yaml_vs_pyyaml.sh runs it beside PyYAML with libyaml.
 *
 *   build/bench/yaml_bench FILE [repeat=3]
 *   build/bench/yaml_bench --generate FILE [megabytes=10]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Kubernetes-like objects: Deployments, Services and ConfigMaps with labels, annotations,
 * lists of containers, env vars, ports, multi-line data and quoted numbers. */
static int generate(const char *path, long megabytes)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	long target = megabytes << 20, written = 0;
	for (int i = 0; written < target; i++) {
		int n = fprintf(f,
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  namespace: team-%d\n"
			"  labels:\n    app.kubernetes.io/name: app-%d\n    app.kubernetes.io/part-of: shop\n"
			"  annotations:\n    deployment.kubernetes.io/revision: \"%d\"\n    description: 'service number %d: handles: orders'\n"
			"spec:\n  replicas: %d\n  selector:\n    matchLabels:\n      app: app-%d\n  template:\n    metadata:\n"
			"      labels:\n        app: app-%d\n    spec:\n      containers:\n      - name: main\n"
			"        image: registry.example.com/shop/app-%d:1.%d.0\n        args: [\"--port=8080\", \"--verbose\"]\n"
			"        env:\n        - name: LOG_LEVEL\n          value: info\n        - name: ENABLED\n          value: \"true\"\n"
			"        ports:\n        - containerPort: 8080\n          protocol: TCP\n        resources:\n"
			"          limits:\n            cpu: 500m\n            memory: 128Mi\n---\n"
			"apiVersion: v1\nkind: Service\nmetadata:\n  name: app-%d\nspec:\n  ports:\n  - port: 80\n    targetPort: 8080\n"
			"  selector:\n    app: app-%d\n---\n"
			"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-%d-config\ndata:\n  config.yaml: |\n"
			"    server:\n      port: 8080\n      timeout: 30s\n  threshold: \"0.75\"\n  empty: \"\"\n---\n",
			i, i % 17, i, i % 9 + 1, i, i % 5 + 1, i, i, i, i % 30, i, i, i);
		if (n < 0)
			break;
		written += n;
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "--generate"))
		return generate(argv[2], argc > 3 ? strtol(argv[3], NULL, 10) : 10);
	if (argc < 2) {
		fprintf(stderr, "usage: yaml_bench FILE [repeat] | --generate FILE [MB]\n");
		return 2;
	}
	int repeat = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
	struct buf in = BUF_INIT;
	if (fs_read_file(argv[1], 0, &in)) {
		fprintf(stderr, "%s\n", err_msg());
		return 1;
	}
	double best_parse = 1e9, best_total = 1e9;
	size_t docs = 0, out_len = 0;
	for (int r = 0; r < repeat; r++) {
		double t0 = now();
		struct arena *a = arena_new();
		struct doc_stream s;
		struct doc_limits lim = { .max_bytes = 1u << 30 };
		if (doc_parse_yaml(a, argv[1], in.ptr, in.len, &lim, &s)) {
			fprintf(stderr, "%s\n", err_msg());
			return 1;
		}
		double t1 = now();
		struct buf out = BUF_INIT;
		doc_emit_yaml_stream(&out, s.docs, s.len, DOC_EMIT_DEFAULT);
		double t2 = now();
		docs = s.len;
		out_len = out.len;
		buf_release(&out);
		arena_free(a);
		if (t1 - t0 < best_parse)
			best_parse = t1 - t0;
		if (t2 - t0 < best_total)
			best_total = t2 - t0;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("tide: %zu documents, %.1f MB in, %.1f MB out: parse %.3f s, parse+emit %.3f s, peak RSS %.0f MiB\n",
	       docs, (double)in.len / 1e6, (double)out_len / 1e6, best_parse, best_total, (double)ru.ru_maxrss / 1024);
	printf("TIDE_SECONDS=%.3f\nTIDE_RSS_MIB=%.0f\n", best_total, (double)ru.ru_maxrss / 1024);
	buf_release(&in);
	return 0;
}
