/* Unit tests for src/cli/kinds.c: the kind words every verb parses, and the table's lists. */
#include <string.h>

#include "cli/kinds.h"
#include "test.h"
#include "util/error.h"

static const struct cli_verb_kinds get_words = { .verb = "get", .example = "kustomizations", .all = true,
						  .bare_sources = true };
static const struct cli_verb_kinds delete_words = { .verb = "delete", .example = "kustomization NAME" };
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
	CHECK_STR(err_msg(), "get sources: a source kind is required: all, git, oci, helm, chart or bucket");
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
	REQUIRE(cli_kinds_in_order(k, CLI_LIST_GET_ALL) == cli_kind_count);
	CHECK_STR(k[0]->kind, "OCIRepository");
	CHECK_STR(k[cli_kind_count - 1]->kind, "Alert");
	REQUIRE(cli_kinds_in_order(k, CLI_LIST_STATS) == cli_kind_count);
	CHECK_STR(k[0]->kind, "GitRepository");
	CHECK_STR(k[cli_kind_count - 1]->kind, "ImageRepository");
	REQUIRE(cli_kinds_in_order(k, CLI_LIST_UNINSTALL) == cli_kind_count);
	CHECK_STR(k[cli_kind_count - 1]->kind, "ImageUpdateAutomation");
	/* every row is in every list once */
	for (int l = 0; l < CLI_LIST_COUNT; l++)
		CHECK_INT(cli_kinds_in_order(k, (enum cli_list)l), cli_kind_count);
}

int main(void)
{
	RUN(every_spelling_names_its_kind);
	RUN(sources_need_their_family_word_except_in_get);
	RUN(messages_name_what_the_verb_takes);
	RUN(groups_in_get);
	RUN(lists_in_flux_order);
	return test_done();
}
