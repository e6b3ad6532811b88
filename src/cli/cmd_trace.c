/*
 * `tide trace <resource> <name> [<name> ...]` (or `<resource>/<name>`, or `<name> --kind
 * --api-version`): from an object in the cluster back to the Kustomization that applied it
 * (its kustomize.toolkit.fluxcd.io/name and /namespace labels) and that Kustomization's
 * source, printed as flux2's cmd/flux/trace.go prints it. Objects applied by a HelmRelease
 * are recognised and reported as not traceable yet (tide has no Helm engine).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/banned.h"

static const char *str_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

static void print_ready(const struct doc_node *obj, bool failed_wording)
{
	struct rt_condition c;
	if (!rt_cond_get(obj, RT_COND_READY, &c)) {
		printf("Status:          Unknown\n");
		return;
	}
	if (failed_wording && !strcmp(c.status, "False"))
		printf("Status:          Last reconciliation failed at %s\n", c.last_transition_time);
	else
		printf("Status:          Last reconciled at %s\n", c.last_transition_time);
	printf("Message:         %s\n", c.message);
}

/* flux's ExternalArtifact block: its source reference, the revision, then a line per origin
 * annotation flux knows ("Origin Revision: ", "Origin Source:   ", in that order), empty when
 * the artifact's metadata has none of it, as flux's template prints them. */
static int trace_external(const struct doc_node *ea, const char *name, const char *ns)
{
	if (!doc_get(ea, "spec.sourceRef"))
		return err_set(ERR_INVALID, "ExternalArtifact %s/%s is missing spec.sourceRef", ns, name);
	printf("---\nExternalArtifact:%s\n", name);
	printf("Namespace:       %s\n", ns);
	printf("Source:          %s/%s/%s\n", str_or(doc_get_str(ea, "spec.sourceRef.kind"), ""),
	       str_or(doc_get_str(ea, "spec.sourceRef.namespace"), ""), str_or(doc_get_str(ea, "spec.sourceRef.name"), ""));
	const struct doc_node *art = doc_get(ea, "status.artifact");
	if (art) {
		printf("Revision:        %s\n", str_or(doc_get_str(art, "revision"), ""));
		const struct doc_node *md = doc_map_get(art, "metadata");
		if (md && md->kind == DOC_MAP && md->u.map.len) {
			static const char *const keys[][2] = {
				{ "Origin Revision: ", "org.opencontainers.image.revision" },
				{ "Origin Source:   ", "org.opencontainers.image.source" },
			};
			for (size_t i = 0; i < 2; i++) {
				const struct doc_node *v = doc_map_get(md, keys[i][1]);
				if (v && v->kind == DOC_STR && *v->u.str.ptr)
					printf("%s%s", keys[i][0], v->u.str.ptr);
				printf("\n");
			}
		}
	}
	print_ready(ea, true);
	return 0;
}

static int trace_one(struct kube_client *c, struct arena *a, const struct doc_node *obj)
{
	const char *kind = str_or(doc_get_str(obj, "kind"), ""), *name = str_or(doc_get_str(obj, "metadata.name"), "");
	const char *ns = doc_get_str(obj, "metadata.namespace");
	const char *ks_name = doc_get_str(obj, "metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name");
	const char *ks_ns = doc_get_str(obj, "metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/namespace");
	if (!ks_name || !ks_ns) {
		if (doc_get_str(obj, "metadata.labels.helm\\.toolkit\\.fluxcd\\.io/name"))
			return err_set(ERR_UNSUPPORTED, "object managed by a HelmRelease: tide cannot trace Helm releases yet");
		return err_set(ERR_NOTFOUND, "object not managed by Flux");
	}
	struct doc_node *ks = NULL;
	struct kube_resource kustomizations;
	cli_kind_resource(&kustomizations, cli_kind_by_name("Kustomization"));
	if (kube_get(&ks, c, a, &kustomizations, ks_ns, ks_name, NULL))
		return err_wrap(ERR_NOTFOUND, "failed to find kustomization");
	const char *skind = str_or(doc_get_str(ks, "spec.sourceRef.kind"), "");
	const char *sname = str_or(doc_get_str(ks, "spec.sourceRef.name"), "");
	const char *sns = doc_get_str(ks, "spec.sourceRef.namespace");
	if (!sns || !*sns)
		sns = ks_ns;
	struct doc_node *src = NULL;
	if (!strcmp(skind, "GitRepository") || !strcmp(skind, "OCIRepository") || !strcmp(skind, "ExternalArtifact")) {
		const struct kube_resource *r = NULL;
		if (kube_mapper_find(&r, c, cli_kind_by_name(skind)->api_version, skind) ||
		    kube_get(&src, c, a, r, sns, sname, NULL))
			return err_wrap(ERR_NOTFOUND, "failed to find %s", skind);
	}

	printf("\nObject:          %s/%s\n", kind, name);
	if (ns && *ns)
		printf("Namespace:       %s\n", ns);
	printf("Status:          Managed by Flux\n---\n");
	printf("Kustomization:   %s\n", ks_name);
	printf("Namespace:       %s\n", ks_ns);
	const char *target = doc_get_str(ks, "spec.targetNamespace");
	if (target && *target)
		printf("Target:          %s\n", target);
	printf("Path:            %s\n", str_or(doc_get_str(ks, "spec.path"), ""));
	printf("Revision:        %s\n", str_or(doc_get_str(ks, "status.lastAppliedRevision"), ""));
	print_ready(ks, false);
	if (!src)
		return 0;
	if (!strcmp(skind, "ExternalArtifact"))
		return trace_external(src, sname, sns);
	printf("---\n%-17s%s\n", arena_sprintf(a, "%s:", skind), sname);
	printf("Namespace:       %s\n", sns);
	printf("URL:             %s\n", str_or(doc_get_str(src, "spec.url"), ""));
	const char *tag = doc_get_str(src, "spec.ref.tag"), *semver = doc_get_str(src, "spec.ref.semver");
	const char *branch = doc_get_str(src, "spec.ref.branch"), *digest = doc_get_str(src, "spec.ref.digest");
	if (tag && *tag)
		printf("Tag:             %s\n", tag);
	else if (semver && *semver)
		printf("Tag:             %s\n", semver);
	else if (!strcmp(skind, "GitRepository") && branch && *branch)
		printf("Branch:          %s\n", branch);
	else if (!strcmp(skind, "OCIRepository") && digest && *digest)
		printf("Digest:          %s\n", digest);
	const char *rev = doc_get_str(src, "status.artifact.revision");
	if (rev)
		printf("Revision:        %s\n", rev);
	print_ready(src, true);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct cli_globals g;
	const char *kind = NULL, *api_version = NULL;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 2];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "kind", 0, FLAG_STRING, &kind, "the Kubernetes object kind, e.g. Deployment", NULL },
		{ "api-version", 0, FLAG_STRING, &api_version, "the Kubernetes object API version, e.g. 'apps/v1'", NULL },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof(own));
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + 2;
	const char *args[32];
	size_t nargs = 0;
	static const struct cli_usage u = {
		"tide trace <resource> <name> [<name> ...] [flags]",
		"The trace command shows how one or more objects are managed by Flux,\n"
		"from which source and revision they come, and what the latest reconciliation status is.",
		"  # Trace a Kubernetes Deployment\n"
		"  tide trace -n apps deployment my-app\n\n"
		"  # Trace a Pod and a config map\n"
		"  tide trace -n redis pod/redis-master-0 cm/redis\n\n"
		"  # Trace a Kubernetes namespace\n"
		"  tide trace namespace redis\n\n"
		"  # Trace a Kubernetes Deployment with --kind and --api-version\n"
		"  tide trace my-app --kind=deployment --api-version=apps/v1 -n apps",
	};
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, nflags, args, 32, &nargs, &g.help, &u))
		return code;
	if (nargs == 0)
		return cli_fail("object name is required");
	struct kube_client *c = NULL;
	if (cli_connect(&c, &g))
		return cli_fail("%s", err_msg());
	/* flux's trace looks objects up in the namespace given, else the context's: not
	 * flux-system. */
	const char *ns = g.namespace && *g.namespace ? g.namespace : kube_client_namespace(c);
	struct arena *a = arena_new();
	int ret = 0;
	const char *type = NULL;
	size_t first = 0;
	if ((kind && *kind) || (api_version && *api_version)) {
		if (!kind || !*kind || !api_version || !*api_version) {
			ret = cli_fail("both --kind and --api-version must be set");
			goto out;
		}
	} else if (!strchr(args[0], '/')) {
		if (nargs < 2) {
			ret = cli_fail("you must specify the name of the object to trace: %s NAME", args[0]);
			goto out;
		}
		type = args[0];
		first = 1;
	}
	for (size_t i = first; i < nargs; i++) {
		const struct kube_resource *r = NULL;
		const char *name = args[i];
		const char *slash = strchr(args[i], '/');
		int rc;
		if (kind && *kind) {
			rc = kube_mapper_find(&r, c, api_version, kind);
			if (rc)
				rc = kube_mapper_find_name(&r, c, kind);
		} else if (type) {
			rc = kube_mapper_find_name(&r, c, type);
		} else if (slash) {
			rc = kube_mapper_find_name(&r, c, arena_sprintf(a, "%.*s", (int)(slash - args[i]), args[i]));
			name = slash + 1;
		} else {
			rc = err_set(ERR_INVALID, "'%s': expected <resource>/<name> after another <resource>/<name>", args[i]);
		}
		struct doc_node *obj = NULL;
		if (!rc)
			rc = kube_get(&obj, c, a, r, ns, name, NULL);
		if (!rc && !doc_get_str(obj, "kind"))
			doc_map_set(a, obj, "kind", doc_new_str(a, r->kind));
		if (!rc)
			rc = trace_one(c, a, obj);
		if (rc) {
			fprintf(stderr, "✗ failed to trace %s in namespace %s: %s\n", args[i], ns, err_msg());
			ret = 1;
		}
		if (i + 1 < nargs)
			printf("---\n");
	}
out:
	arena_free(a);
	kube_client_free(c);
	return ret;
}
