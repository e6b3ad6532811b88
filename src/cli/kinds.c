/*
 * The Flux kinds table and the kind-word parser (see kinds.h). The table owns what the CLI
 * knows of each kind: its API resource, the words flux's commands name it by, its `flux
 * get` columns, what it refers to, where flux lists it, and the function that creates it.
 * The verbs own only what they do with a kind.
 *
 * To add a kind to the CLI:
 *   1. Add its row below, in the order flux's help lists kinds (a new source or image kind
 *      with its family; a notification kind before the image ones). Give it an order entry
 *      for each list of enum cli_list (renumber the rows after it), its columns as `flux
 *      get` prints them, and, when `flux events --for` follows a reference from it, the
 *      ref_* fields.
 *   2. Write its `create` in create_<family>_<word>.c (create_source_git.c,
 *      create_kustomization.c ...) on top of create.h's shared parts, declare it in create.h
 *      and name it in the row's .create. Add a line to the help in cmd_create.c.
 * get, export, reconcile, suspend, resume, delete, events, stats, uninstall and completion
 * then take the kind without any change of their own.
 */
#include "cli/kinds.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/create.h"
#include "kube/client.h"
#include "util/error.h"
#include "util/banned.h"

#define API(kind_, singular_, group_, version_, plural_) \
	.kind = kind_, .singular = singular_, .group = group_, .version = version_, \
	.api_version = group_ "/" version_, .plural = plural_, .namespaced = true
#define SOURCE_API(kind_, singular_, plural_) API(kind_, singular_, "source.toolkit.fluxcd.io", "v1", plural_)

#define COL_REVISION { "Revision", CLI_CELL_REVISION, NULL }
#define COL_SUSPENDED { "Suspended", CLI_CELL_SUSPENDED, NULL }
#define ARTIFACT_REVISION "status.artifact.revision"

/* The order of the rows is flux's help and completion order; .order places a row in the
 * lists flux prints otherwise (enum cli_list). */
const struct cli_kind cli_kinds[] = {
	{ API("Kustomization", "kustomization", "kustomize.toolkit.fluxcd.io", "v1", "kustomizations"),
	  .word = "kustomization", .alias = "ks", .human = "kustomization",
	  .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = "status.lastAppliedRevision",
	  .ref_field = "spec.sourceRef", .ref_cross_namespace = true,
	  .order = { 11, 6, 6 }, .create = create_kustomization },
	{ API("HelmRelease", "helmrelease", "helm.toolkit.fluxcd.io", "v2", "helmreleases"),
	  .word = "helmrelease", .alias = "hr", .human = "helmrelease",
	  .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = "status.lastAttemptedRevision",
	  .ref_field = "spec.chart.spec.sourceRef", .ref_cross_namespace = true,
	  .order = { 10, 7, 7 }, .create = create_helmrelease },
	{ SOURCE_API("GitRepository", "gitrepository", "gitrepositories"), .word = "git", .family = CLI_FAMILY_SOURCE,
	  .human = "source git", .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = ARTIFACT_REVISION,
	  .order = { 3, 1, 1 }, .create = create_source_git },
	{ SOURCE_API("OCIRepository", "ocirepository", "ocirepositories"), .word = "oci", .family = CLI_FAMILY_SOURCE,
	  .human = "source oci", .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = ARTIFACT_REVISION,
	  .order = { 1, 2, 2 }, .create = create_source_oci },
	{ SOURCE_API("HelmRepository", "helmrepository", "helmrepositories"), .word = "helm", .family = CLI_FAMILY_SOURCE,
	  .human = "source helm", .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = ARTIFACT_REVISION,
	  .order = { 4, 3, 3 }, .create = create_source_helm },
	{ SOURCE_API("HelmChart", "helmchart", "helmcharts"), .word = "chart", .family = CLI_FAMILY_SOURCE,
	  .human = "source chart", .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = ARTIFACT_REVISION,
	  .ref_field = "spec.sourceRef", .ref_cross_namespace = true, .order = { 5, 4, 4 },
	  .create = create_source_chart },
	{ SOURCE_API("Bucket", "bucket", "buckets"), .word = "bucket", .family = CLI_FAMILY_SOURCE,
	  .human = "source bucket", .columns = { COL_REVISION, COL_SUSPENDED }, .revision_path = ARTIFACT_REVISION,
	  .order = { 2, 5, 5 }, .create = create_source_bucket },
	/* flux2's get_source_external.go and export_source_external.go; not in stats or
	 * uninstall (no finalizer of its own) */
	{ SOURCE_API("ExternalArtifact", "externalartifact", "externalartifacts"), .word = "external",
	  .family = CLI_FAMILY_SOURCE, .human = "source external-artifact",
	  .columns = { COL_REVISION, { "Source", CLI_CELL_SOURCE_REF, "spec.sourceRef" } },
	  .revision_path = ARTIFACT_REVISION, .read_only = true, .order = { 6, 0, 0 } },
	/* flux2's get/export/tree_artifact_generator.go (not in `get all`); uninstall removes
	 * its source-watcher finalizer (tide's: flux's uninstall leaves it) */
	{ API("ArtifactGenerator", "artifactgenerator", "source.extensions.fluxcd.io", "v1beta1", "artifactgenerators"),
	  .word = "generator", .list_word = "generators", .family = CLI_FAMILY_ARTIFACT,
	  .human = "artifactgenerator",
	  .columns = { { "Suspended", CLI_CELL_DISABLED, "source.extensions.fluxcd.io/reconcile" } },
	  .raw_message = true, .read_only = true, .order = { 0, 0, 14 } },
	{ API("Alert", "alert", "notification.toolkit.fluxcd.io", "v1beta3", "alerts"),
	  .word = "alert", .human = "alert", .columns = { COL_SUSPENDED }, .static_ready = true,
	  .ref_field = "spec.providerRef", .ref_kind = "Provider", .order = { 14, 8, 8 }, .create = create_alert },
	{ API("Provider", "provider", "notification.toolkit.fluxcd.io", "v1beta3", "providers"),
	  .word = "alert-provider", .list_word = "alert-providers", .human = "alert provider",
	  .static_ready = true, .order = { 13, 9, 9 }, .create = create_alert_provider },
	{ API("Receiver", "receiver", "notification.toolkit.fluxcd.io", "v1", "receivers"),
	  .word = "receiver", .human = "receiver", .columns = { COL_SUSPENDED },
	  .order = { 12, 10, 10 }, .create = create_receiver },
	{ API("ImageRepository", "imagerepository", "image.toolkit.fluxcd.io", "v1", "imagerepositories"),
	  .word = "repository", .family = CLI_FAMILY_IMAGE, .human = "image repository",
	  .columns = { { "Last scan", CLI_CELL_TEXT, "status.lastScanResult.scanTime" }, COL_SUSPENDED },
	  .order = { 7, 13, 12 }, .create = create_image_repository },
	{ API("ImagePolicy", "imagepolicy", "image.toolkit.fluxcd.io", "v1", "imagepolicies"),
	  .word = "policy", .family = CLI_FAMILY_IMAGE, .human = "image policy",
	  .columns = { { "Image", CLI_CELL_TEXT, "status.latestRef.name" }, { "Tag", CLI_CELL_TEXT, "status.latestRef.tag" } },
	  .ref_field = "spec.imageRepositoryRef", .ref_kind = "ImageRepository", .ref_cross_namespace = true,
	  .order = { 8, 12, 11 }, .create = create_image_policy },
	{ API("ImageUpdateAutomation", "imageupdateautomation", "image.toolkit.fluxcd.io", "v1", "imageupdateautomations"),
	  .word = "update", .family = CLI_FAMILY_IMAGE, .human = "image update automation",
	  .columns = { { "Last run", CLI_CELL_TEXT, "status.lastAutomationRunTime" }, COL_SUSPENDED },
	  .order = { 9, 11, 13 }, .create = create_image_update },
};
const size_t cli_kind_count = sizeof(cli_kinds) / sizeof(cli_kinds[0]);
_Static_assert(sizeof(cli_kinds) / sizeof(cli_kinds[0]) <= CLI_MAX_KINDS, "raise CLI_MAX_KINDS");

const struct cli_kind *cli_kind_by_name(const char *kind)
{
	for (size_t i = 0; kind && i < cli_kind_count; i++)
		if (!strcasecmp(kind, cli_kinds[i].kind))
			return &cli_kinds[i];
	return NULL;
}

size_t cli_kinds_in_order(const struct cli_kind **out, enum cli_list l)
{
	size_t n = 0;
	for (unsigned rank = 1; n < cli_kind_count && rank <= cli_kind_count; rank++)
		for (size_t i = 0; i < cli_kind_count; i++)
			if (cli_kinds[i].order[l] == rank)
				out[n++] = &cli_kinds[i];
	return n;
}

void cli_kind_resource(struct kube_resource *out, const struct cli_kind *k)
{
	*out = (struct kube_resource){ k->group, k->version, k->plural, k->kind, k->singular, k->namespaced };
}

static bool names(const struct cli_kind *k, const char *word)
{
	return !strcmp(word, k->word) || (k->alias && !strcmp(word, k->alias)) ||
	       (k->list_word && !strcmp(word, k->list_word)) || !strcmp(word, k->plural) ||
	       !strcmp(word, k->singular);
}

bool cli_word_names(const char *word, const char *kind)
{
	const struct cli_kind *k = cli_kind_by_name(kind);
	return k && names(k, word);
}

static enum cli_family family_word(const char *w)
{
	if (!strcmp(w, "source") || !strcmp(w, "sources"))
		return CLI_FAMILY_SOURCE;
	if (!strcmp(w, "image") || !strcmp(w, "images"))
		return CLI_FAMILY_IMAGE;
	if (!strcmp(w, "artifact") || !strcmp(w, "artifacts"))
		return CLI_FAMILY_ARTIFACT;
	return CLI_FAMILY_NONE;
}

static const struct cli_kind *find(const struct cli_verb_kinds *v, const char *word, enum cli_family fam,
				   bool after_family_word)
{
	for (size_t i = 0; i < cli_kind_count; i++) {
		const struct cli_kind *k = &cli_kinds[i];
		if (!names(k, word) || (v->create && !k->create) || (v->writes && k->read_only))
			continue;
		if (after_family_word ? k->family != fam
				      : (k->family == CLI_FAMILY_SOURCE && !v->bare_sources) || k->family == CLI_FAMILY_ARTIFACT)
			continue;
		return k;
	}
	return NULL;
}

/* "<verb> source: a source kind is required: git, oci, helm, chart or bucket": the words of
 * the family's kinds the verb takes, "all" first where groups are named. `get` says
 * "sources" and "images", as it lists them. */
static int family_kind_required(const struct cli_verb_kinds *v, enum cli_family fam)
{
	const char *words[16];
	size_t n = 0;
	if (v->all)
		words[n++] = "all";
	for (size_t i = 0; i < cli_kind_count && n < sizeof(words) / sizeof(words[0]); i++)
		if (cli_kinds[i].family == fam && (!v->create || cli_kinds[i].create) &&
		    (!v->writes || !cli_kinds[i].read_only))
			words[n++] = cli_kinds[i].word;
	if (n == (v->all ? 1u : 0u))
		return err_set(ERR_NOTFOUND, "%s: unknown kind \"%s\"", v->verb, fam == CLI_FAMILY_ARTIFACT ? "artifact" : "image");
	char list[256];
	size_t len = 0;
	list[0] = '\0';
	for (size_t i = 0; i < n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
					words[i]);
	bool source = fam == CLI_FAMILY_SOURCE;
	const char *family = source ? "source" : fam == CLI_FAMILY_IMAGE ? "image" : "artifact";
	return err_set(ERR_INVALID, "%s %s%s: a %skind is required: %s", v->verb, family, v->all ? "s" : "",
		       source ? "source " : "", list);
}

int cli_kind_parse(struct cli_kind_arg *out, const struct cli_verb_kinds *v, const char *const *args,
		   size_t nargs)
{
	*out = (struct cli_kind_arg){ 0 };
	if (nargs == 0)
		return err_set(ERR_INVALID, "%s: a kind is required, e.g. `tide %s %s` (see --help)", v->verb, v->verb,
			       v->example);
	if (v->all && !strcmp(args[0], "all")) {
		out->words = 1;
		return 0;
	}
	enum cli_family fam = family_word(args[0]);
	if (fam != CLI_FAMILY_NONE) {
		if (nargs < 2)
			return family_kind_required(v, fam);
		out->words = 2;
		if (v->all && !strcmp(args[1], "all")) {
			out->group = fam;
			return 0;
		}
		out->kind = find(v, args[1], fam, true);
		if (out->kind)
			return 0;
		/* create names what it can make instead */
		return v->create ? family_kind_required(v, fam)
				 : err_set(ERR_NOTFOUND, "%s: unknown kind \"%s\"", v->verb, args[1]);
	}
	out->words = 1;
	out->kind = find(v, args[0], CLI_FAMILY_NONE, false);
	if (out->kind)
		return 0;
	if (v->create)
		return err_set(ERR_NOTFOUND, "create: unknown or not yet implemented kind \"%s\" (tide create --help)", args[0]);
	return err_set(ERR_NOTFOUND, "%s: unknown kind \"%s\"", v->verb, args[0]);
}

bool cli_kind_in_group(const struct cli_kind *k, enum cli_family g)
{
	return g == CLI_FAMILY_NONE || k->family == g;
}
