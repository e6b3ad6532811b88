/*
 * `tide reconcile <kind> NAME`, as flux2's cmd/flux/reconcile.go and reconcile_with_source.go:
 * a suspended object is refused ("resource is suspended"); otherwise the object is
 * merge-patched with reconcile.fluxcd.io/requestedAt = now, and polled until
 * status.lastHandledReconcileAt moves on from what it was and the object settles (the
 * current generation observed, Ready not Unknown, Reconciling not True); then Ready=True
 * prints the kind's success line, anything else fails with the Ready message.
 * `reconcile kustomization|helmrelease --with-source` first does the same to the source.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/get.h"
#include "cli/kinds.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

static const char *condition(const struct doc_node *obj, const char *type, const char **message)
{
	const struct doc_node *conds = doc_get(obj, "status.conditions");
	if (!conds || conds->kind != DOC_SEQ)
		return NULL;
	for (size_t i = 0; i < conds->u.seq.len; i++) {
		const struct doc_node *cd = conds->u.seq.items[i];
		const char *t = doc_get_str(cd, "type");
		if (t && !strcmp(t, type)) {
			if (message) {
				const char *m = doc_get_str(cd, "message");
				*message = m ? m : "";
			}
			const char *s = doc_get_str(cd, "status");
			return s ? s : "Unknown";
		}
	}
	return NULL;
}

/* The line flux prints on success: the revision the controller fetched or applied. */
static void success(const struct cli_kind *k, const struct doc_node *obj)
{
	const char *rev = doc_get_str(obj, k->revision_path);
	if (k->family == CLI_FAMILY_SOURCE)
		fprintf(stderr, "✔ fetched revision %s\n", rev ? rev : "");
	else
		fprintf(stderr, "✔ applied revision %s\n", rev ? rev : "");
}

static int reconcile_one(struct kube_client *c, struct arena *a, const struct cli_kind *k,
			 const char *ns, const char *name, int64_t deadline, bool with_source);

static int reconcile_source_of(struct kube_client *c, struct arena *a, const struct doc_node *obj,
			       const char *ns, int64_t deadline)
{
	bool hr = !strcmp(doc_get_str(obj, "kind") ? doc_get_str(obj, "kind") : "", "HelmRelease");
	const char *kind, *name, *sns;
	if (hr && doc_get(obj, "spec.chartRef")) {
		kind = doc_get_str(obj, "spec.chartRef.kind");
		name = doc_get_str(obj, "spec.chartRef.name");
		sns = doc_get_str(obj, "spec.chartRef.namespace");
	} else if (hr) {
		/* the chart template's HelmChart is named <namespace>-<name> in the source's namespace */
		kind = "HelmChart";
		sns = doc_get_str(obj, "spec.chart.spec.sourceRef.namespace");
		name = arena_sprintf(a, "%s-%s", ns, doc_get_str(obj, "metadata.name"));
	} else {
		kind = doc_get_str(obj, "spec.sourceRef.kind");
		name = doc_get_str(obj, "spec.sourceRef.name");
		sns = doc_get_str(obj, "spec.sourceRef.namespace");
	}
	const struct cli_kind *sk = kind ? cli_kind_by_name(kind) : NULL;
	if (!sk || sk->family != CLI_FAMILY_SOURCE || strcmp(sk->kind, kind) || !name)
		return err_set(ERR_UNSUPPORTED, "cannot reconcile source of kind %s", kind ? kind : "");
	return reconcile_one(c, a, sk, sns && *sns ? sns : ns, name, deadline, false);
}

static int reconcile_one(struct kube_client *c, struct arena *a, const struct cli_kind *k,
			 const char *ns, const char *name, int64_t deadline, bool with_source)
{
	const struct kube_resource *r;
	int rc = cli_find_resource(&r, c, k->api_version, k->kind);
	if (rc)
		return rc;
	struct doc_node *obj;
	rc = kube_get(&obj, c, a, r, ns, name, NULL);
	if (rc)
		return rc;
	const struct doc_node *susp = doc_get(obj, "spec.suspend");
	if (susp && susp->kind == DOC_BOOL && susp->u.boolean)
		return err_set(ERR_INVALID, "resource is suspended");
	if (with_source && (rc = reconcile_source_of(c, a, obj, ns, deadline)))
		return rc;
	const char *before = doc_get_str(obj, "status.lastHandledReconcileAt");
	before = before ? before : "";
	fprintf(stderr, "► annotating %s %s in %s namespace\n", k->kind, name, ns);
	char stamp[64];
	cli_requested_at(stamp, sizeof(stamp));
	const char *body = arena_sprintf(a, "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"%s\"}}}", stamp);
	rc = kube_patch(NULL, c, a, r, ns, name, KUBE_PATCH_MERGE, body, strlen(body), NULL);
	if (rc)
		return rc;
	fprintf(stderr, "✔ %s annotated\n", k->kind);
	fprintf(stderr, "◎ waiting for %s reconciliation\n", k->kind);
	for (;;) {
		rc = kube_get(&obj, c, a, r, ns, name, NULL);
		if (rc)
			return rc;
		const char *handled = doc_get_str(obj, "status.lastHandledReconcileAt");
		int64_t gen = 0, observed = -1;
		doc_int64(doc_get(obj, "metadata.generation"), &gen);
		doc_int64(doc_get(obj, "status.observedGeneration"), &observed);
		const char *ready = condition(obj, "Ready", NULL);
		const char *reconciling = condition(obj, "Reconciling", NULL);
		const char *stalled = condition(obj, "Stalled", NULL);
		bool settled = observed == gen && ready && strcmp(ready, "Unknown") &&
			       !(reconciling && !strcmp(reconciling, "True"));
		if (handled && strcmp(handled, before) && (settled || (stalled && !strcmp(stalled, "True"))))
			break;
		int64_t left = deadline - clock_mono_ms();
		if (left <= 0)
			return err_set(ERR_TIMEOUT, "context deadline exceeded");
		clock_sleep_ms(left < 2000 ? (long)left : 2000);
	}
	const char *message = "";
	const char *ready = condition(obj, "Ready", &message);
	if (!ready)
		return err_set(ERR_GENERIC, "status can't be determined");
	if (strcmp(ready, "True"))
		return err_set(ERR_GENERIC, "%s reconciliation failed: '%s'", k->kind, message);
	success(k, obj);
	return 0;
}

int cmd_reconcile(int argc, char **argv)
{
	struct cli_globals g;
	bool with_source = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 1];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "with-source", 0, FLAG_BOOL, &with_source,
					 "reconcile the source too (kustomization and helmrelease)", "false" };
	const char *args[4];
	size_t nargs;
	static const struct cli_usage u = {
		"tide reconcile <kustomization|helmrelease|source git|source oci|source helm|source chart|source bucket> [name] [flags]",
		"The reconcile sub-commands trigger a reconciliation of sources and resources and wait for it to finish.",
		"  # Trigger a reconciliation for an existing source\n"
		"  tide reconcile source git podinfo\n\n"
		"  # Trigger a Kustomization apply after the source finished syncing\n"
		"  tide reconcile kustomization podinfo --with-source",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nf, args, 4, &nargs, &g.help, &u))
		return code;
	static const struct cli_verb_kinds words = { .verb = "reconcile", .example = "kustomization NAME", .writes = true };
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, &words, args, nargs))
		return cli_fail("%s", err_msg());
	const struct cli_kind *k = ka.kind;
	size_t at = ka.words - 1;
	if (nargs == at + 1)
		return cli_fail("%s name is required", k->kind);
	if (nargs > at + 2)
		return cli_fail("reconcile: too many arguments");
	if (with_source && k->family == CLI_FAMILY_SOURCE)
		return cli_fail("unknown flag: --with-source");
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	int64_t deadline = clock_mono_ms() + g.timeout_ms;
	int rc = cli_connect(&c, &g);
	if (!rc)
		rc = reconcile_one(c, a, k, cli_namespace(&g), args[at + 1], deadline, with_source);
	kube_client_free(c);
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}
