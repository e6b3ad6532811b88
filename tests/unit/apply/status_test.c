/* kstatus rules (apply_status_of) on sample objects, with kstatus's messages. */
#include "test.h"

#include <stdlib.h>

#include "apply/apply.h"
#include "doc/doc.h"
#include "util/arena.h"

static struct arena *A;

static enum apply_status st(const char *y, const char **msg)
{
	struct doc_stream s = { 0 };
	if (doc_parse_yaml(A, "t", y, strlen(y), NULL, &s) || s.len != 1)
		abort();
	return apply_status_of(s.docs[0], A, msg);
}

/* An object, the status kstatus gives it, and its message (NULL: not checked). */
struct status_case {
	const char *yaml;
	enum apply_status want;
	const char *message;
};

/* Checks st() on each of the n cases; a failure names its case by index. */
static void check_statuses(const struct status_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *m = NULL;
		enum apply_status got = st(t[i].yaml, &m);
		if (got != t[i].want || (t[i].message && (!m || strcmp(m, t[i].message)))) {
			test_cur_failed = 1;
			printf("#   %s: case %zu: got %s [%s], want %s [%s]\n", __FILE__, i,
			       apply_status_name(got), m ? m : "(null)", apply_status_name(t[i].want),
			       t[i].message ? t[i].message : "(any)");
		}
	}
}
#define CHECK_STATUSES(cases) check_statuses(cases, sizeof(cases) / sizeof(*(cases)))

#define DEPLOY(spec, status)                                                            \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  generation: 2\n" \
	"spec:\n" spec "status:\n  observedGeneration: 2\n" status

TEST(deployment)
{
	const char *m;
	CHECK_INT(st(DEPLOY("  replicas: 3\n", "  replicas: 1\n"), &m), APPLY_STATUS_IN_PROGRESS);
	CHECK_STR(m, "Replicas: 1/3");
	CHECK_INT(st(DEPLOY("  replicas: 1\n", "  replicas: 1\n  updatedReplicas: 1\n  availableReplicas: 1\n"
				"  readyReplicas: 0\n"), &m), APPLY_STATUS_IN_PROGRESS);
	CHECK_STR(m, "Ready: 0/1");
	const char *ok = DEPLOY("  replicas: 1\n", "  replicas: 1\n  updatedReplicas: 1\n  availableReplicas: 1\n"
			"  readyReplicas: 1\n  conditions:\n  - type: Available\n    status: \"True\"\n"
			"  - type: Progressing\n    status: \"True\"\n    reason: NewReplicaSetAvailable\n");
	CHECK_INT(st(ok, &m), APPLY_STATUS_CURRENT);
	CHECK_STR(m, "Deployment is available. Replicas: 1");
	CHECK_INT(st(DEPLOY("  replicas: 1\n", "  conditions:\n  - type: Progressing\n    status: \"False\"\n"
				"    reason: ProgressDeadlineExceeded\n"), &m), APPLY_STATUS_FAILED);
	CHECK_STR(m, "Progress deadline exceeded");
	/* zero replicas: ready once the controller says so */
	CHECK_INT(st(DEPLOY("  replicas: 0\n", "  conditions:\n  - type: Available\n    status: \"True\"\n"
				"  - type: Progressing\n    status: \"True\"\n    reason: NewReplicaSetAvailable\n"), &m),
		  APPLY_STATUS_CURRENT);
}

TEST(observed_generation)
{
	const char *m;
	CHECK_INT(st("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  generation: 3\n"
		     "status:\n  observedGeneration: 2\n", &m), APPLY_STATUS_IN_PROGRESS);
	CHECK_STR(m, "Deployment generation is 3, but latest observed generation is 2");
}

TEST(terminating)
{
	const char *m;
	CHECK_INT(st("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  deletionTimestamp: \"2024-01-01T00:00:00Z\"\n", &m),
		  APPLY_STATUS_TERMINATING);
	CHECK_STR(apply_status_name(APPLY_STATUS_TERMINATING), "Terminating");
}

TEST(statefulset_daemonset_replicaset)
{
	static const struct status_case cases[] = {
		{ "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  replicas: 2\n"
		  "status:\n  replicas: 2\n  readyReplicas: 1\n",
		  APPLY_STATUS_IN_PROGRESS, "Ready: 1/2" },
		{ "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: s\nspec:\n  replicas: 2\n"
		  "status:\n  replicas: 2\n  readyReplicas: 2\n  currentReplicas: 2\n  currentRevision: a\n  updateRevision: a\n",
		  APPLY_STATUS_CURRENT, NULL },
		{ "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: d\n  generation: 1\nstatus:\n"
		  "  observedGeneration: 1\n  desiredNumberScheduled: 2\n  currentNumberScheduled: 2\n"
		  "  updatedNumberScheduled: 2\n  numberAvailable: 1\n  numberReady: 2\n",
		  APPLY_STATUS_IN_PROGRESS, "Available: 1/2" },
		{ "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: r\nspec:\n  replicas: 1\nstatus:\n"
		  "  replicas: 1\n  fullyLabeledReplicas: 1\n  availableReplicas: 1\n  readyReplicas: 1\n",
		  APPLY_STATUS_CURRENT, NULL },
	};
	CHECK_STATUSES(cases);
}

TEST(job_pod_pvc_service)
{
	static const struct status_case cases[] = {
		{ "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  completions: 1\nstatus:\n"
		  "  succeeded: 1\n  conditions:\n  - type: Complete\n    status: \"True\"\n",
		  APPLY_STATUS_CURRENT, "Job Completed. succeeded: 1/1" },
		{ "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nstatus:\n  failed: 1\n"
		  "  conditions:\n  - type: Failed\n    status: \"True\"\n",
		  APPLY_STATUS_FAILED, NULL },
		{ "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n",
		  APPLY_STATUS_IN_PROGRESS, "Job not started" },
		{ "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nstatus:\n  phase: Running\n  conditions:\n"
		  "  - type: Ready\n    status: \"True\"\n",
		  APPLY_STATUS_CURRENT, NULL },
		{ "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nstatus:\n  phase: Pending\n",
		  APPLY_STATUS_IN_PROGRESS, NULL },
		{ "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nstatus:\n  phase: Failed\n",
		  APPLY_STATUS_FAILED, NULL },
		{ "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nstatus:\n  phase: Pending\n",
		  APPLY_STATUS_IN_PROGRESS, "PVC is not Bound. phase: Pending" },
		{ "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: ClusterIP\n",
		  APPLY_STATUS_CURRENT, NULL },
		{ "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: LoadBalancer\n",
		  APPLY_STATUS_IN_PROGRESS, NULL },
	};
	CHECK_STATUSES(cases);
}

TEST(crd_namespace_generic)
{
	const char *m;
	CHECK_INT(st("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x\n"
		     "status:\n  conditions:\n  - type: Established\n    status: \"True\"\n", &m), APPLY_STATUS_CURRENT);
	CHECK_INT(st("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x\n", &m),
		  APPLY_STATUS_IN_PROGRESS);
	CHECK_INT(st("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\nstatus:\n  phase: Active\n", &m),
		  APPLY_STATUS_CURRENT);
#define CR "apiVersion: x.dev/v1\nkind: Widget\nmetadata:\n  name: w\n  generation: 1\nstatus:\n" \
	   "  observedGeneration: 1\n  conditions:\n  - type: Ready\n    status: \"%s\"\n    message: %s\n"
	char buf[512];
	snprintf(buf, sizeof buf, CR, "False", "waiting");
	CHECK_INT(st(buf, &m), APPLY_STATUS_IN_PROGRESS);
	CHECK_STR(m, "waiting");
	snprintf(buf, sizeof buf, CR, "True", "fine");
	CHECK_INT(st(buf, &m), APPLY_STATUS_CURRENT);
	CHECK_INT(st("apiVersion: x.dev/v1\nkind: Widget\nmetadata:\n  name: w\nstatus:\n  conditions:\n"
		     "  - type: Stalled\n    status: \"True\"\n    message: stuck\n", &m), APPLY_STATUS_FAILED);
	CHECK_STR(m, "stuck");
	CHECK_INT(st("apiVersion: x.dev/v1\nkind: Widget\nmetadata:\n  name: w\nstatus:\n  conditions:\n"
		     "  - type: Reconciling\n    status: \"True\"\n    message: busy\n", &m), APPLY_STATUS_IN_PROGRESS);
	CHECK_INT(st("apiVersion: x.dev/v1\nkind: Widget\nmetadata:\n  name: w\n", &m), APPLY_STATUS_CURRENT);
}

int main(void)
{
	A = arena_new();
	RUN(deployment);
	RUN(observed_generation);
	RUN(terminating);
	RUN(statefulset_daemonset_replicaset);
	RUN(job_pod_pvc_service);
	RUN(crd_namespace_generic);
	arena_free(A);
	return test_done();
}
