/*
 * `tide create image update NAME`, as flux2's cmd/flux/create_image_updateauto.go: an
 * ImageUpdateAutomation (image.toolkit.fluxcd.io/v1) committing image updates to the
 * GitRepository --git-repo-ref, with the commit's author, template and signing key; upserted
 * and waited for until Ready. --export prints it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/create.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int create_image_update(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *repo = NULL, *repo_ns = NULL, *path = NULL, *checkout = NULL, *push = NULL;
	const char *tpl = NULL, *author = NULL, *email = NULL, *sign_secret = NULL, *sign_type = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 14];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "git-repo-ref", 0, FLAG_STRING, &repo, "the name of a GitRepository resource with details of the upstream Git repository", NULL };
	f[n++] = (struct cli_flag){ "git-repo-namespace", 0, FLAG_STRING, &repo_ns, "the namespace of the GitRepository resource, defaults to the ImageUpdateAutomation namespace", NULL };
	f[n++] = (struct cli_flag){ "git-repo-path", 0, FLAG_STRING, &path, "path to the directory containing the manifests to be updated, defaults to the repository root", NULL };
	f[n++] = (struct cli_flag){ "checkout-branch", 0, FLAG_STRING, &checkout, "the branch to checkout", NULL };
	f[n++] = (struct cli_flag){ "push-branch", 0, FLAG_STRING, &push, "the branch to push commits to, defaults to the checkout branch if not specified", NULL };
	f[n++] = (struct cli_flag){ "commit-template", 0, FLAG_STRING, &tpl, "a template for commit messages", NULL };
	f[n++] = (struct cli_flag){ "author-name", 0, FLAG_STRING, &author, "the name to use for commit author", NULL };
	f[n++] = (struct cli_flag){ "author-email", 0, FLAG_STRING, &email, "the email to use for commit author", NULL };
	f[n++] = (struct cli_flag){ "signing-key-secret", 0, FLAG_STRING, &sign_secret, "name of the Secret containing the signing key referenced in spec.git.commit.signingKey", NULL };
	f[n++] = (struct cli_flag){ "signing-key-type", 0, FLAG_STRING, &sign_type, "signing-key format: gpg or ssh (defaults to gpg when --signing-key-secret is set)", NULL };
	static const struct cli_usage u = {
		"tide create image update [name] [flags]",
		"The create image update command generates an ImageUpdateAutomation resource.\n"
		"An ImageUpdateAutomation object specifies an automated update to images\n"
		"mentioned in YAMLs in a git repository.",
		"  # Configure image updates for the main repository\n"
		"  tide create image update flux-system \\\n"
		"    --git-repo-ref=flux-system \\\n"
		"    --git-repo-path=\"./clusters/my-cluster\" \\\n"
		"    --checkout-branch=main \\\n"
		"    --author-name=flux \\\n"
		"    --author-email=flux@example.com \\\n"
		"    --commit-template=\"{{range .Updated.Images}}{{println .}}{{end}}\"\n\n"
		"  # Push the changes to another branch (created if missing)\n"
		"  tide create image update flux-system \\\n"
		"    --git-repo-ref=flux-system \\\n"
		"    --checkout-branch=main \\\n"
		"    --push-branch=image-updates \\\n"
		"    --author-name=flux \\\n"
		"    --author-email=flux@example.com",
	};
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(repo))
		return cli_fail("a reference to a GitRepository is required (--git-repo-ref)");
	if (!create_given(checkout))
		return cli_fail("the Git repository branch is required (--checkout-branch)");
	if (!create_given(author))
		return cli_fail("the author name is required (--author-name)");
	if (!create_given(email))
		return cli_fail("the author email is required (--author-email)");
	if (create_given(sign_type) && !create_given(sign_secret))
		return cli_fail("--signing-key-type requires --signing-key-secret");
	if (create_given(sign_type) && strcmp(sign_type, "gpg") && strcmp(sign_type, "ssh"))
		return cli_fail("--signing-key-type must be one of: gpg, ssh");
	struct arena *a = arena_new();
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, cli_kind_by_name("ImageUpdateAutomation")->api_version, "ImageUpdateAutomation", name)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	struct doc_node *spec = doc_new_map(a), *git = doc_new_map(a), *co = doc_new_map(a), *ref = doc_new_map(a);
	struct doc_node *commit = doc_new_map(a), *who = doc_new_map(a), *src = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	doc_map_set(a, ref, "branch", create_str(a, checkout));
	doc_map_set(a, co, "ref", ref);
	doc_map_set(a, git, "checkout", co);
	doc_map_set(a, who, "email", create_str(a, email));
	doc_map_set(a, who, "name", create_str(a, author));
	doc_map_set(a, commit, "author", who);
	if (create_given(tpl))
		doc_map_set(a, commit, "messageTemplate", create_str(a, tpl));
	if (create_given(sign_secret)) {
		struct doc_node *sk = doc_new_map(a);
		doc_map_set(a, sk, "secretRef", create_name_ref(a, sign_secret));
		if (create_given(sign_type))
			doc_map_set(a, sk, "type", create_str(a, sign_type));
		doc_map_set(a, commit, "signingKey", sk);
	}
	doc_map_set(a, git, "commit", commit);
	if (create_given(push)) {
		struct doc_node *p = doc_new_map(a);
		doc_map_set(a, p, "branch", create_str(a, push));
		doc_map_set(a, git, "push", p);
	}
	doc_map_set(a, spec, "git", git);
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	doc_map_set(a, src, "kind", create_str(a, "GitRepository"));
	doc_map_set(a, src, "name", create_str(a, repo));
	if (create_given(repo_ns))
		doc_map_set(a, src, "namespace", create_str(a, repo_ns));
	doc_map_set(a, spec, "sourceRef", src);
	if (create_given(path)) {
		struct doc_node *up = doc_new_map(a);
		doc_map_set(a, up, "path", create_str(a, path));
		doc_map_set(a, up, "strategy", create_str(a, "Setters"));
		doc_map_set(a, spec, "update", up);
	}
	return create_upsert_and_wait(&cc, a, obj);
}
