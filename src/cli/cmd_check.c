/*
 * `tide check [--pre]`, as flux2's cmd/flux/check.go: the API server's version against the
 * minimum tide supports, then (without --pre) the installed version, the controller
 * Deployments labelled app.kubernetes.io/part-of=flux in the namespace (polled until ready or
 * --timeout) with their images, and the CRDs with that label and their stored version.
 * Exit 1 when any check failed ("✗ check failed").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

/* tide's CRDs and controller run on Kubernetes 1.20 and later (see docs/differences.md). */
#define MIN_MAJOR 1
#define MIN_MINOR 20
#define MIN_CONSTRAINT ">=1.20.0-0"
#define PART_OF "app.kubernetes.io/part-of=flux"

static bool kubernetes_check(struct kube_client *c, struct arena *a)
{
	struct buf body = BUF_INIT;
	int rc = kube_request(&body, c, &(struct kube_request){ .method = "GET", .path = "/version", .idempotent = true }, NULL);
	struct doc_node *v = NULL;
	if (!rc)
		rc = doc_parse_json(a, "/version", body.ptr, body.len, NULL, &v);
	buf_release(&body);
	if (rc) {
		fprintf(stderr, "✗ Kubernetes API call failed: %s\n", err_msg());
		return false;
	}
	const char *git = doc_get_str(v, "gitVersion");
	int major = 0, minor = 0, patch = 0;
	if (!git || sscanf(git, "v%d.%d.%d", &major, &minor, &patch) != 3) {
		fprintf(stderr, "✗ Kubernetes version can't be determined\n");
		return false;
	}
	if (major < MIN_MAJOR || (major == MIN_MAJOR && minor < MIN_MINOR)) {
		fprintf(stderr, "✗ Kubernetes version %s does not match %s\n", git, MIN_CONSTRAINT);
		return false;
	}
	fprintf(stderr, "✔ Kubernetes %s %s\n", git + 1, MIN_CONSTRAINT);
	return true;
}

static bool deployment_ready(const struct doc_node *d)
{
	int64_t gen = 0, observed = -1, want = 1, ready = 0, updated = 0;
	doc_int64(doc_get(d, "metadata.generation"), &gen);
	doc_int64(doc_get(d, "status.observedGeneration"), &observed);
	doc_int64(doc_get(d, "spec.replicas"), &want);
	doc_int64(doc_get(d, "status.readyReplicas"), &ready);
	doc_int64(doc_get(d, "status.updatedReplicas"), &updated);
	return observed >= gen && ready >= want && updated >= want;
}

/* The objects of kind labelled as flux's in ns into *items, their resource into *r: the
 * controllers' Deployments, or with ns NULL the CRDs. 0 when there are none; a failure,
 * and finding none, is printed as flux prints it. */
static size_t list_part_of(struct doc_node ***items, const struct kube_resource **r, struct kube_client *c,
			   struct arena *a, const char *api_version, const char *kind, const char *ns)
{
	struct doc_node *list;
	int rc = kube_mapper_find(r, c, api_version, kind);
	if (!rc)
		rc = kube_list(&list, c, a, *r, ns, false, &(struct kube_opts){ .label_selector = PART_OF });
	if (rc) {
		fprintf(stderr, "✗ %s\n", err_msg());
		return 0;
	}
	struct doc_node *seq = doc_map_get(list, "items");
	if (!seq || seq->kind != DOC_SEQ || seq->u.seq.len == 0) {
		if (ns)
			fprintf(stderr, "✗ no controllers found in the '%s' namespace with the label selector '%s'\n", ns, PART_OF);
		else
			fprintf(stderr, "✗ no crds found with the label selector '%s'\n", PART_OF);
		return 0;
	}
	*items = seq->u.seq.items;
	return seq->u.seq.len;
}

static bool components_check(struct kube_client *c, struct arena *a, const char *ns, int64_t deadline)
{
	const struct kube_resource *r;
	struct doc_node **items;
	size_t n = list_part_of(&items, &r, c, a, "apps/v1", "Deployment", ns);
	bool ok = n > 0;
	for (size_t i = 0; i < n; i++) {
		struct doc_node *d = items[i];
		const char *name = doc_get_str(d, "metadata.name");
		/* flux's status checker polls each Deployment until it is ready or the time is up */
		while (!deployment_ready(d) && clock_mono_ms() < deadline) {
			clock_sleep_ms(2000);
			struct doc_node *fresh;
			if (kube_get(&fresh, c, a, r, ns, name, NULL) == 0)
				d = fresh;
		}
		if (deployment_ready(d)) {
			fprintf(stderr, "✔ %s: deployment ready\n", name);
		} else {
			fprintf(stderr, "✗ %s: deployment not ready\n", name);
			ok = false;
		}
		struct doc_node *cs = doc_get(d, "spec.template.spec.containers");
		for (size_t j = 0; cs && cs->kind == DOC_SEQ && j < cs->u.seq.len; j++) {
			const char *image = doc_get_str(cs->u.seq.items[j], "image");
			fprintf(stderr, "► %s\n", image ? image : "");
		}
	}
	return ok;
}

static bool crds_check(struct kube_client *c, struct arena *a)
{
	const struct kube_resource *r;
	struct doc_node **items;
	size_t n = list_part_of(&items, &r, c, a, "apiextensions.k8s.io/v1", "CustomResourceDefinition", NULL);
	bool ok = n > 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = doc_get_str(items[i], "metadata.name");
		struct doc_node *v = doc_get(items[i], "status.storedVersions");
		size_t nv = v && v->kind == DOC_SEQ ? v->u.seq.len : 0;
		const char *last = NULL;
		if (nv && v->u.seq.items[nv - 1]->kind == DOC_STR)
			last = v->u.seq.items[nv - 1]->u.str.ptr;
		if (last) {
			fprintf(stderr, "✔ %s/%s\n", name, last);
		} else {
			fprintf(stderr, "✗ no stored versions for %s\n", name);
			ok = false;
		}
	}
	return ok;
}

int cmd_check(int argc, char **argv)
{
	struct cli_globals g;
	bool pre = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 1];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "pre", 0, FLAG_BOOL, &pre, "only run pre-installation checks", "false" };
	const char *args[1];
	size_t nargs;
	static const struct cli_usage u = {
		"tide check [flags]",
		"The check command will perform a series of checks to validate that the local environment is configured correctly and if the installed components are healthy.",
		"  # Run pre-installation checks\n"
		"  tide check --pre\n\n"
		"  # Run installation checks\n"
		"  tide check",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 0, &nargs, &g.help, &u))
		return code;
	fprintf(stderr, "► checking prerequisites\n");
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	int64_t deadline = clock_mono_ms() + g.timeout_ms;
	if (cli_connect(&c, &g)) {
		arena_free(a);
		return cli_fail("Kubernetes client initialization failed: %s", err_msg());
	}
	bool ok = kubernetes_check(c, a);
	if (pre) {
		if (ok)
			fprintf(stderr, "✔ prerequisites checks passed\n");
		kube_client_free(c);
		arena_free(a);
		return ok ? 0 : 1;
	}
	const char *ns = cli_namespace(&g);
	fprintf(stderr, "► checking version in cluster\n");
	const struct kube_resource *nr;
	struct doc_node *nsobj;
	if (kube_mapper_find(&nr, c, "v1", "Namespace") == 0 && kube_get(&nsobj, c, a, nr, NULL, ns, NULL) == 0) {
		const char *ver = doc_get_str(nsobj, "metadata.labels.app\\.kubernetes\\.io/version");
		fprintf(stderr, "✔ distribution: tide%s%s\n", ver ? "-" : "", ver ? ver : "");
		fprintf(stderr, "✔ bootstrapped: false\n");
	} else {
		fprintf(stderr, "✗ checking failed: %s\n", err_msg());
		ok = false;
	}
	fprintf(stderr, "► checking controllers\n");
	ok &= components_check(c, a, ns, deadline);
	fprintf(stderr, "► checking crds\n");
	ok &= crds_check(c, a);
	kube_client_free(c);
	arena_free(a);
	if (!ok) {
		fprintf(stderr, "✗ check failed\n");
		return 1;
	}
	fprintf(stderr, "✔ all checks passed\n");
	return 0;
}
