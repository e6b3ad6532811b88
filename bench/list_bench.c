/*
 * LIST benchmark: against the cluster named by KUBECONFIG (a test control plane), makes
 * sure namespace tide-bench holds N ConfigMaps (default 5000, argv[1]), creating the
 * missing ones from 8 threads, then times a paged LIST of all ConfigMaps in all namespaces
 * into the document model (limit 500, argv[2]) and prints the time, item count, bytes held
 * by the arena and peak RSS. bench/list_vs_kubectl.sh sets it beside kubectl.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/config.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"

#define NS "tide-bench"

static struct kube_client *client;
static atomic_int next_index;
static int total;
static atomic_int failures;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *creator(void *ud)
{
	(void)ud;
	struct buf body = BUF_INIT, path = BUF_INIT;
	for (;;) {
		int i = atomic_fetch_add(&next_index, 1);
		if (i >= total)
			break;
		buf_reset(&body);
		buf_addf(&body, "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":"
			 "\"bench-%05d\",\"namespace\":\"" NS "\",\"labels\":{\"app\":\"bench\"}},"
			 "\"data\":{\"index\":\"%d\",\"payload\":\"%0200d\"}}", i, i, i);
		struct kube_request req = { .method = "POST",
					    .path = "/api/v1/namespaces/" NS "/configmaps",
					    .body = body.ptr, .body_len = body.len };
		struct buf out = BUF_INIT;
		int rc = kube_request(&out, client, &req, NULL);
		if (rc < 0 && rc != ERR_CONFLICT && atomic_fetch_add(&failures, 1) < 3)
			fprintf(stderr, "create bench-%05d: %s\n", i, err_msg());
		buf_release(&out);
	}
	buf_release(&body);
	buf_release(&path);
	return NULL;
}

int main(int argc, char **argv)
{
	total = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 5000;
	long page = argc > 2 ? strtol(argv[2], NULL, 10) : 500;
	struct kube_config *cfg = NULL;
	if (kube_config_load(&cfg, NULL) != 0) {
		fprintf(stderr, "list_bench: %s\n", err_msg());
		return 1;
	}
	struct kube_client_opts co = { .qps = -1 };
	if (kube_client_new(&client, cfg, &co) != 0) {
		fprintf(stderr, "list_bench: %s\n", err_msg());
		return 1;
	}
	const struct kube_resource *cm, *nsr;
	if (kube_mapper_find(&cm, client, "v1", "ConfigMap") ||
	    kube_mapper_find(&nsr, client, "v1", "Namespace")) {
		fprintf(stderr, "list_bench: %s\n", err_msg());
		return 1;
	}
	/* setup: the namespace and the ConfigMaps that are missing */
	struct arena *a = arena_new();
	struct doc_node *out = NULL;
	const char *nsdoc = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
			    "{\"name\":\"" NS "\"}}";
	struct kube_request nreq = { .method = "POST", .path = "/api/v1/namespaces",
				     .body = nsdoc, .body_len = strlen(nsdoc) };
	struct buf nb = BUF_INIT;
	kube_request(&nb, client, &nreq, NULL);
	buf_release(&nb);
	struct kube_opts lo = { .limit = 500, .label_selector = "app=bench" };
	int have = 0;
	if (kube_list(&out, client, a, cm, NS, false, &lo) == 0)
		have = (int)doc_get(out, "items")->u.seq.len;
	arena_free(a);
	if (have < total) {
		double t0 = now_s();
		pthread_t th[8];
		for (int i = 0; i < 8; i++)
			pthread_create(&th[i], NULL, creator, NULL);
		for (int i = 0; i < 8; i++)
			pthread_join(th[i], NULL);
		fprintf(stderr, "created %d ConfigMaps (had %d) in %.1f s\n", total - have, have,
			now_s() - t0);
	}
	/* the measured LIST */
	a = arena_new();
	struct kube_opts o = { .limit = page };
	double t0 = now_s();
	int rc = kube_list(&out, client, a, cm, NULL, true, &o);
	double dt = now_s() - t0;
	if (rc != 0) {
		fprintf(stderr, "list_bench: %s\n", err_msg());
		return 1;
	}
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("tide  list cm -A (limit %ld): %zu items in %.3f s, arena %.1f MiB, "
	       "peak RSS %.1f MiB\n", page, doc_get(out, "items")->u.seq.len, dt,
	       (double)arena_used(a) / 1048576.0, (double)ru.ru_maxrss / 1024.0);
	printf("TIDE_SECONDS=%.3f TIDE_RSS_KB=%ld\n", dt, ru.ru_maxrss);
	arena_free(a);
	kube_client_free(client);
	kube_config_free(cfg);
	return 0;
}
