/*
 * `tide install`: server-side apply of the embedded manifests, in order, as `flux install`
 * does: the namespace, the CRDs (waiting until each is Established, so the kinds are served
 * before anything uses them), then RBAC, Services and the controller Deployment. Each
 * object is reported as created, configured or unchanged.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/manifests.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

#define FIELD_MANAGER "tide"

static bool crd_established(const struct doc_node *crd)
{
	const struct doc_node *conds = doc_get(crd, "status.conditions");
	if (!conds || conds->kind != DOC_SEQ)
		return false;
	for (size_t i = 0; i < conds->u.seq.len; i++) {
		const char *type = doc_get_str(conds->u.seq.items[i], "type");
		const char *status = doc_get_str(conds->u.seq.items[i], "status");
		if (type && status && !strcmp(type, "Established") && !strcmp(status, "True"))
			return true;
	}
	return false;
}

static int wait_established(struct kube_client *c, struct arena *a, const char *name, long long deadline)
{
	const struct kube_resource *r;
	int rc = kube_mapper_find(&r, c, "apiextensions.k8s.io/v1", "CustomResourceDefinition");
	if (rc)
		return rc;
	for (;;) {
		struct doc_node *crd;
		rc = kube_get(&crd, c, a, r, NULL, name, NULL);
		if (rc)
			return rc;
		if (crd_established(crd))
			return 0;
		if (clock_mono_ms() > deadline)
			return err_set(ERR_TIMEOUT, "CustomResourceDefinition/%s: not established before the timeout", name);
		struct timespec pause = { 0, 100 * 1000 * 1000 };
		nanosleep(&pause, NULL);
	}
}

/* Applies one object and prints what happened to it. */
static int apply_one(struct kube_client *c, struct arena *a, struct doc_node *obj, const char *ns)
{
	const char *api = doc_get_str(obj, "apiVersion");
	const char *kind = doc_get_str(obj, "kind");
	const char *name = doc_get_str(obj, "metadata.name");
	if (!api || !kind || !name)
		return err_set(ERR_INVALID, "an embedded manifest lacks apiVersion, kind or metadata.name");
	const struct kube_resource *r;
	int rc = kube_mapper_find(&r, c, api, kind);
	if (rc)
		return rc;
	if (r->namespaced && !doc_get_str(obj, "metadata.namespace"))
		doc_set(a, obj, "metadata.namespace", doc_new_str(a, ns));
	struct doc_node *before = NULL, *after = NULL;
	rc = kube_get(&before, c, a, r, doc_get_str(obj, "metadata.namespace"), name, NULL);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	struct kube_opts o = { .field_manager = FIELD_MANAGER, .force = true };
	rc = kube_apply(&after, c, a, obj, &o);
	/* Two installs at once (e2e files do that) race to create: the loser's apply is
	 * refused with AlreadyExists (409), and applying again then updates. */
	for (int again = 0; rc == ERR_CONFLICT && again < 3; again++)
		rc = kube_apply(&after, c, a, obj, &o);
	if (rc)
		return err_wrap(rc, "%s/%s", kind, name);
	const char *what = "created";
	if (before) {
		const char *rv0 = doc_get_str(before, "metadata.resourceVersion");
		const char *rv1 = doc_get_str(after, "metadata.resourceVersion");
		what = rv0 && rv1 && !strcmp(rv0, rv1) ? "unchanged" : "configured";
	}
	printf("%s/%s %s\n", kind, name, what);
	return 0;
}

int install_apply(const struct cli_globals *g)
{
	const char *ns = cli_namespace(g);
	long long deadline = clock_mono_ms() + g->timeout_ms;
	struct kube_client *c = NULL;
	struct arena *a = arena_new();
	int rc = cli_connect(&c, g);
	if (rc)
		goto done;

	const struct embedded_manifest *list[256];
	size_t n;
	install_manifests_in_order(list, &n);
	fprintf(stderr, "► installing components in %s namespace\n", ns);
	fflush(stderr);
	for (size_t i = 0; i < n; i++) {
		struct doc_stream docs = { 0 };
		rc = doc_parse_yaml(a, list[i]->name, list[i]->data, list[i]->len, NULL, &docs);
		if (rc)
			goto done;
		for (size_t d = 0; d < docs.len; d++) {
			rc = apply_one(c, a, docs.docs[d], ns);
			if (rc)
				goto done;
			const char *kind = doc_get_str(docs.docs[d], "kind");
			if (kind && !strcmp(kind, "CustomResourceDefinition")) {
				rc = wait_established(c, a, doc_get_str(docs.docs[d], "metadata.name"), deadline);
				if (rc)
					goto done;
			}
		}
	}
	fflush(stdout);
	fprintf(stderr, "✔ install finished\n");
done:
	kube_client_free(c);
	arena_free(a);
	return rc ? cli_fail("install failed: %s", err_msg()) : 0;
}
