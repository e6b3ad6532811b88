/*
 * `tide suspend` and `tide resume`, shaped like flux2's cmd/flux/suspend.go and resume.go:
 * each named object (or every object of the kind with --all) is listed by name in the
 * namespace and merge-patched. Resume also stamps reconcile.fluxcd.io/requestedAt and, like
 * flux, waits for Ready when given exactly one name (or --wait), until --timeout. Unlike
 * flux, a missing object makes the exit status 1 (flux prints the failure and exits 0).
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
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_NAMES 64

static void print_help(bool suspend, const struct cli_flag *flags, size_t n)
{
	static const struct cli_usage su = {
		"tide suspend <kustomization|source git|source oci|source helm|source bucket|helmrelease> [name...] [flags]",
		"The suspend command disables the reconciliation of Flux resources.",
		"  # Suspend reconciliation for an existing Kustomization\n"
		"  tide suspend kustomization podinfo\n\n"
		"  # Suspend all Git sources in a namespace\n"
		"  tide suspend source git --all -n apps",
	};
	static const struct cli_usage ru = {
		"tide resume <kustomization|source git|source oci|source helm|source bucket|helmrelease> [name...] [flags]",
		"The resume command marks previously suspended resources for reconciliation and waits for them to finish.",
		"  # Resume reconciliation for an existing Kustomization\n"
		"  tide resume kustomization podinfo\n\n"
		"  # Resume without waiting for the reconciliation\n"
		"  tide resume kustomization podinfo --wait=false",
	};
	cli_print_help(suspend ? &su : &ru, flags, n);
}

/* Whether argv sets --wait explicitly (cobra's Changed), which decides resume's default. */
static bool wait_given(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--wait") || !strncmp(argv[i], "--wait=", 7))
			return true;
	}
	return false;
}

int cli_suspend_resume(int argc, char **argv, bool suspend)
{
	const char *verb = suspend ? "suspend" : "resume";
	struct cli_globals g;
	bool all = false, wait = false;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 2];
	cli_global_flags(flags, &g);
	size_t nf = CLI_GLOBAL_FLAG_COUNT;
	flags[nf++] = (struct cli_flag){ "all", 0, FLAG_BOOL, &all,
					 suspend ? "suspend all resources in that namespace"
						 : "resume all resources in that namespace", "false" };
	if (!suspend)
		flags[nf++] = (struct cli_flag){ "wait", 0, FLAG_BOOL, &wait,
						 "wait for the resource to reconcile (default when one name is given)",
						 "false" };
	const char *args[MAX_NAMES + 2];
	size_t nargs;
	if (cli_parse(argc, argv, flags, nf, args, MAX_NAMES + 2, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		print_help(suspend, flags, nf);
		return 0;
	}
	const struct cli_verb_kinds words = { .verb = verb, .example = "kustomization NAME", .writes = true };
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, &words, args, nargs))
		return cli_fail("%s", err_msg());
	const struct cli_kind *k = ka.kind;
	const char **names = args + ka.words;
	size_t nnames = nargs - ka.words;
	const char *human = k->human;
	if (nnames == 0 && !all)
		return cli_fail("%s name is required", human);
	if (nnames > 0 && all)
		return cli_fail("%s: give names or --all, not both", verb);
	bool should_wait = !suspend && ((!wait_given(argc, argv) && nnames == 1) || wait);

	const char *ns = cli_namespace(&g);
	int64_t deadline = clock_mono_ms() + g.timeout_ms;
	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = get_resource(&c, &r, &g, k);
	if (rc)
		goto fail;

	char stamp[64];
	cli_requested_at(stamp, sizeof(stamp));
	const char *body = suspend ? "{\"spec\":{\"suspend\":true}}"
				   : arena_sprintf(a, "{\"metadata\":{\"annotations\":{\"reconcile.fluxcd.io/requestedAt\":\"%s\"}},\"spec\":{\"suspend\":false}}", stamp);
	const char *done[256];
	size_t ndone = 0;
	int failed = 0;
	for (size_t i = 0; i < (all ? 1 : nnames); i++) {
		bool seen = false;
		for (size_t j = 0; j < i; j++)
			seen |= !strcmp(names[j], names[i]);
		if (seen)
			continue; /* a name given twice is acted on once, as flux does */
		struct kube_opts o = { 0 };
		if (!all)
			o.field_selector = arena_sprintf(a, "metadata.name=%s", names[i]);
		struct doc_node *list;
		rc = kube_list(&list, c, a, r, ns, false, &o);
		if (rc)
			goto fail;
		struct doc_node *items = doc_map_get(list, "items");
		size_t n = items && items->kind == DOC_SEQ ? items->u.seq.len : 0;
		if (n == 0) {
			if (all)
				cli_fail("no %s objects found in %s namespace", k->kind, ns);
			else
				cli_fail("%s object '%s' not found in %s namespace", k->kind, names[i], ns);
			failed++;
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			const char *name = doc_get_str(items->u.seq.items[j], "metadata.name");
			fprintf(stderr, "► %s %s %s in %s namespace\n", suspend ? "suspending" : "resuming", human, name, ns);
			struct doc_node *patched;
			rc = kube_patch(&patched, c, a, r, ns, name, KUBE_PATCH_MERGE, body, strlen(body), NULL);
			if (rc) {
				cli_fail("failed %s %s %s in %s namespace: %s", suspend ? "suspending" : "resuming",
					 human, name, ns, err_msg());
				failed++;
				continue;
			}
			fprintf(stderr, "✔ %s %s\n", human, suspend ? "suspended" : "resumed");
			if (ndone < sizeof(done) / sizeof(done[0]))
				done[ndone++] = name;
		}
	}
	if (should_wait) {
		int wfailed = 0;
		for (size_t i = 0; i < ndone; i++) {
			fprintf(stderr, "◎ waiting for %s reconciliation\n", k->kind);
			const char *message = "";
			rc = cli_wait_ready(c, r, ns, done[i], deadline, &message, NULL, a);
			if (rc) {
				cli_fail("%s %s reconciliation failed: %s", k->kind, done[i], err_msg());
				wfailed++;
				continue;
			}
			fprintf(stderr, "✔ %s %s reconciliation completed\n", k->kind, done[i]);
			if (*message)
				fprintf(stderr, "✔ %s\n", message);
		}
		if (wfailed)
			cli_fail("reconciliation failed for %d %s(s)", wfailed, k->kind);
		failed += wfailed;
	}
	kube_client_free(c);
	arena_free(a);
	return failed ? 1 : 0;
fail:
	kube_client_free(c);
	arena_free(a);
	return cli_fail("%s", err_msg());
}
