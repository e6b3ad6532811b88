/* controllers/kustomization/build: what the build may read and write (issue 16, row 10). A
 * kustomization file linked from outside the artifact root, or a path that leads out of it,
 * is refused before Flux's generator reads or writes anything; a link inside the root is
 * built. */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controllers/kustomization/build.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

static char top[] = "/tmp/tide-ks-build-test-XXXXXX";

static void put(const char *rel, const char *text)
{
	char p[600];
	snprintf(p, sizeof(p), "%s/%s", top, rel);
	FILE *f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static char *path(const char *rel)
{
	static char p[4][600];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", top, rel);
	return p[i];
}

static bool same(const char *rel, const char *text)
{
	struct buf b = BUF_INIT;
	bool ok = fs_read_file(path(rel), 0, &b) == 0 && !strcmp(b.ptr, text);
	buf_release(&b);
	return ok;
}

static struct doc_node *ks(struct arena *a)
{
	static const char y[] = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
				"metadata: {name: k, namespace: n}\nspec: {targetNamespace: t}\n";
	struct doc_stream s = { 0 };
	return doc_parse_yaml(a, "ks", y, strlen(y), NULL, &s) == 0 ? s.docs[0] : NULL;
}

static const char CM[] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n";
static const char OUTSIDE[] = "# outside\nresources: [cm.yaml]\n";

TEST(kustomization_file_linked_from_outside_is_refused)
{
	struct arena *a = arena_new();
	struct doc_node **objs;
	size_t n;
	REQUIRE(fs_mkdir_p(path("root/app")) == 0);
	put("root/app/cm.yaml", CM);
	put("outside.yaml", OUTSIDE);
	REQUIRE(symlink("../../outside.yaml", path("root/app/kustomization.yaml")) == 0);
	CHECK_INT(kustomization_build(a, ks(a), path("root"), path("root/app"), NULL, NULL, &objs, &n), ERR_ESCAPE);
	CHECK(strstr(err_msg(), "is a symlink to '../../outside.yaml', which is not in or below") != NULL);
	CHECK(same("outside.yaml", OUTSIDE));
	char t[100] = "";
	CHECK(readlink(path("root/app/kustomization.yaml"), t, sizeof(t) - 1) > 0 && !strcmp(t, "../../outside.yaml"));
	/* linked inside the root: built (the link replaced by the generated file, in the
	 * reconcile's own copy, never its target) */
	unlink(path("root/app/kustomization.yaml"));
	put("root/real.yaml", "resources: [cm.yaml]\n");
	REQUIRE(symlink("../real.yaml", path("root/app/kustomization.yaml")) == 0);
	CHECK_INT(kustomization_build(a, ks(a), path("root"), path("root/app"), NULL, NULL, &objs, &n), 0);
	CHECK_INT(n, 1);
	CHECK_STR(doc_get_str(objs[0], "metadata.namespace"), "t");
	CHECK(same("root/real.yaml", "resources: [cm.yaml]\n"));
	/* dangling: no kustomization file, one is generated */
	unlink(path("root/app/kustomization.yaml"));
	REQUIRE(symlink("/nonexistent/k.yaml", path("root/app/kustomization.yaml")) == 0);
	CHECK_INT(kustomization_build(a, ks(a), path("root"), path("root/app"), NULL, NULL, &objs, &n), 0);
	CHECK_INT(n, 1);
	arena_free(a);
}

TEST(path_leading_out_of_the_root_is_refused)
{
	struct arena *a = arena_new();
	struct doc_node **objs;
	size_t n;
	REQUIRE(fs_mkdir_p(path("elsewhere")) == 0);
	put("elsewhere/cm.yaml", CM);
	REQUIRE(symlink("../elsewhere", path("root/out")) == 0);
	CHECK_INT(kustomization_build(a, ks(a), path("root"), path("root/out"), NULL, NULL, &objs, &n), ERR_ESCAPE);
	/* nothing was generated there */
	CHECK(access(path("elsewhere/kustomization.yaml"), F_OK) != 0);
	arena_free(a);
}

int main(void)
{
	if (!mkdtemp(top))
		return 1;
	RUN(kustomization_file_linked_from_outside_is_refused);
	RUN(path_leading_out_of_the_root_is_refused);
	fs_rm_rf(top);
	return test_done();
}
