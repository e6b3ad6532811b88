/* Unit tests for src/cli/kinds.c: the kind words every verb parses, and the table's lists. */
#include <string.h>

#include "cli/kinds.h"
#include "test.h"
#include "util/error.h"

static const struct cli_verb_kinds get_words = { .verb = "get", .example = "kustomizations", .all = true,
						  .bare_sources = true };
static const struct cli_verb_kinds delete_words = { .verb = "delete", .example = "kustomization NAME",
						     .writes = true };
static const struct cli_verb_kinds export_words = { .verb = "export", .example = "kustomization NAME" };
static const struct cli_verb_kinds create_words = { .verb = "create", .create = true };

/* The kind args[0..n) name for v, or NULL; *words the words used. */
static const char *kind_of(const struct cli_verb_kinds *v, const char *const *args, size_t n, size_t *words)
{
	struct cli_kind_arg ka;
	if (cli_kind_parse(&ka, v, args, n))
		return NULL;
	*words = ka.words;
	return ka.kind ? ka.kind->kind : "(group)";
}

TEST(every_spelling_names_its_kind)
{
	static const struct {
		const char *words[2];
		const char *kind;
	} cases[] = {
		{ { "ks" }, "Kustomization" }, { { "kustomization" }, "Kustomization" },
		{ { "kustomizations" }, "Kustomization" }, { { "hr" }, "HelmRelease" },
		{ { "helmreleases" }, "HelmRelease" }, { { "source", "git" }, "GitRepository" },
		{ { "sources", "git" }, "GitRepository" }, { { "source", "gitrepositories" }, "GitRepository" },
		{ { "source", "chart" }, "HelmChart" }, { { "alert-provider" }, "Provider" },
		{ { "alert-providers" }, "Provider" }, { { "provider" }, "Provider" },
		{ { "image", "policy" }, "ImagePolicy" }, { { "images", "update" }, "ImageUpdateAutomation" },
		{ { "policy" }, "ImagePolicy" }, { { "imagerepositories" }, "ImageRepository" },
		{ { "receivers" }, "Receiver" }, { { "alert" }, "Alert" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = cases[i].words[1] ? 2 : 1, used = 0;
		const char *k = kind_of(&delete_words, cases[i].words, n, &used);
		CHECK_STR(k ? k : "(none)", cases[i].kind);
		CHECK_INT(used, n);
	}
}

TEST(sources_need_their_family_word_except_in_get)
{
	size_t used;
	const char *git[] = { "git", "name" };
	CHECK(kind_of(&delete_words, git, 2, &used) == NULL);
	CHECK_STR(err_msg(), "delete: unknown kind \"git\"");
	CHECK_STR(kind_of(&get_words, git, 2, &used), "GitRepository");
	CHECK_INT(used, 1);
	const char *wrong[] = { "source", "ks" };
	CHECK(kind_of(&get_words, wrong, 2, &used) == NULL);
	CHECK_STR(err_msg(), "get: unknown kind \"ks\"");
}

TEST(messages_name_what_the_verb_takes)
{
	struct cli_kind_arg ka;
	const char *source[] = { "source" }, *image[] = { "images" }, *bad[] = { "widgets" };
	CHECK_INT(cli_kind_parse(&ka, &delete_words, NULL, 0), ERR_INVALID);
	CHECK_STR(err_msg(), "delete: a kind is required, e.g. `tide delete kustomization NAME` (see --help)");
	CHECK_INT(cli_kind_parse(&ka, &delete_words, source, 1), ERR_INVALID);
	CHECK_STR(err_msg(), "delete source: a source kind is required: git, oci, helm, chart or bucket");
	CHECK_INT(cli_kind_parse(&ka, &get_words, source, 1), ERR_INVALID);
	CHECK_STR(err_msg(), "get sources: a source kind is required: all, git, oci, helm, chart, bucket or external");
	CHECK_INT(cli_kind_parse(&ka, &get_words, image, 1), ERR_INVALID);
	CHECK_STR(err_msg(), "get images: a kind is required: all, repository, policy or update");
	CHECK_INT(cli_kind_parse(&ka, &create_words, source, 1), ERR_INVALID);
	CHECK_STR(err_msg(), "create source: a source kind is required: git, oci, helm, chart or bucket");
	CHECK_INT(cli_kind_parse(&ka, &create_words, bad, 1), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "create: unknown or not yet implemented kind \"widgets\" (tide create --help)");
	const char *chart[] = { "source", "chart" };
	REQUIRE(cli_kind_parse(&ka, &create_words, chart, 2) == 0);
	CHECK_STR(ka.kind->kind, "HelmChart");
}

TEST(read_only_kinds_are_read_not_written)
{
	struct cli_kind_arg ka;
	size_t used;
	const char *gens[] = { "artifact", "generators" }, *gen[] = { "artifacts", "generator", "x" };
	const char *ext[] = { "source", "external" }, *art[] = { "artifact" };
	CHECK_STR(kind_of(&get_words, gens, 2, &used), "ArtifactGenerator");
	CHECK_STR(kind_of(&export_words, gen, 3, &used), "ArtifactGenerator");
	CHECK_INT(used, 2);
	CHECK_STR(kind_of(&get_words, ext, 2, &used), "ExternalArtifact");
	CHECK_STR(kind_of(&export_words, ext, 2, &used), "ExternalArtifact");
	/* flux has no verb that changes them */
	CHECK(kind_of(&delete_words, ext, 2, &used) == NULL);
	CHECK_STR(err_msg(), "delete: unknown kind \"external\"");
	CHECK(kind_of(&delete_words, gens, 2, &used) == NULL);
	CHECK_INT(cli_kind_parse(&ka, &delete_words, art, 1), ERR_NOTFOUND);
	CHECK_STR(err_msg(), "delete: unknown kind \"artifact\"");
	/* the family word is required */
	const char *bare[] = { "generator" };
	CHECK(kind_of(&get_words, bare, 1, &used) == NULL);
	CHECK_INT(cli_kind_parse(&ka, &get_words, art, 1), ERR_INVALID);
	CHECK_STR(err_msg(), "get artifacts: a kind is required: all or generator");
	CHECK_INT(cli_kind_parse(&ka, &export_words, art, 1), ERR_INVALID);
	CHECK_STR(err_msg(), "export artifact: a kind is required: generator");
}

TEST(groups_in_get)
{
	struct cli_kind_arg ka;
	const char *all[] = { "all" }, *sources_all[] = { "sources", "all" };
	REQUIRE(cli_kind_parse(&ka, &get_words, all, 1) == 0);
	CHECK(ka.kind == NULL && ka.group == CLI_FAMILY_NONE && ka.words == 1);
	REQUIRE(cli_kind_parse(&ka, &get_words, sources_all, 2) == 0);
	CHECK(ka.kind == NULL && ka.group == CLI_FAMILY_SOURCE && ka.words == 2);
	CHECK_INT(cli_kind_parse(&ka, &delete_words, all, 1), ERR_NOTFOUND);
}

TEST(lists_in_flux_order)
{
	const struct cli_kind *k[CLI_MAX_KINDS];
	/* flux's `get all` lists ExternalArtifacts with the sources, not ArtifactGenerators */
	size_t n = cli_kinds_in_order(k, CLI_LIST_GET_ALL);
	REQUIRE(n == cli_kind_count - 1);
	CHECK_STR(k[0]->kind, "OCIRepository");
	CHECK_STR(k[5]->kind, "ExternalArtifact");
	CHECK_STR(k[n - 1]->kind, "Alert");
	/* flux's stats leave both out */
	n = cli_kinds_in_order(k, CLI_LIST_STATS);
	REQUIRE(n == cli_kind_count - 2);
	CHECK_STR(k[0]->kind, "GitRepository");
	CHECK_STR(k[n - 1]->kind, "ImageRepository");
	/* uninstall removes the ArtifactGenerators' finalizer too (ExternalArtifacts have none) */
	n = cli_kinds_in_order(k, CLI_LIST_UNINSTALL);
	REQUIRE(n == cli_kind_count - 1);
	CHECK_STR(k[n - 2]->kind, "ImageUpdateAutomation");
	CHECK_STR(k[n - 1]->kind, "ArtifactGenerator");
	/* no row is in a list twice, and every rank below the count is taken */
	for (int l = 0; l < CLI_LIST_COUNT; l++) {
		n = cli_kinds_in_order(k, (enum cli_list)l);
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++)
				CHECK(k[i] != k[j]);
		for (size_t i = 0; i < n; i++)
			CHECK_INT(k[i]->order[l], i + 1);
	}
}

int main(void)
{
	RUN(every_spelling_names_its_kind);
	RUN(sources_need_their_family_word_except_in_get);
	RUN(messages_name_what_the_verb_takes);
	RUN(read_only_kinds_are_read_not_written);
	RUN(groups_in_get);
	RUN(lists_in_flux_order);
	return test_done();
}
