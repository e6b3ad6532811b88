/*
 * `tide create image repository|policy|update NAME`, as flux2's cmd/flux/create_image_*.go:
 * ImageRepository, ImagePolicy (image.toolkit.fluxcd.io/v1) and ImageUpdateAutomation
 * (image.toolkit.fluxcd.io/v1) with flux's flags, checks and messages; --export prints the
 * object, otherwise it is upserted and waited for until Ready (flux's upsertAndWait).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "cli/wait.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/error.h"

#define IMAGE_API "image.toolkit.fluxcd.io/v1"

static bool set(const char *s)
{
	return s && *s;
}

/* flux's upsertAndWait: export, or generate / apply / wait with its progress lines. */
static int finish(struct create_common *cc, struct arena *a, struct doc_node *obj, const char *kind)
{
	if (cc->export) {
		create_print_export(obj);
		arena_free(a);
		return 0;
	}
	int64_t deadline = clock_mono_ms() + cc->g.timeout_ms;
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = cli_connect(&c, &cc->g);
	if (!rc) {
		fprintf(stderr, "✚ generating %s\n► applying %s\n", kind, kind);
		rc = create_find_resource(&r, c, a, IMAGE_API, kind);
	}
	if (!rc)
		rc = create_upsert(c, a, r, obj, kind);
	if (!rc) {
		fprintf(stderr, "◎ waiting for %s reconciliation\n", kind);
		const char *message = "";
		rc = cli_wait_ready(c, r, cli_namespace(&cc->g), doc_get_str(obj, "metadata.name"), deadline,
				    &message, NULL, a);
	}
	if (!rc)
		fprintf(stderr, "✔ %s reconciliation completed\n", kind);
	kube_client_free(c);
	arena_free(a);
	return rc ? cli_fail("%s", err_msg()) : 0;
}

/* go-containerregistry's name.NewRepository, enough of it: an optional registry host, then a
 * non-empty repository path of lower-case letters, digits and _-./ */
static int check_image(const char *image)
{
	const char *repo = image, *slash = strchr(image, '/');
	if (slash && (memchr(image, '.', (size_t)(slash - image)) || memchr(image, ':', (size_t)(slash - image)) ||
		      !strncmp(image, "localhost/", 10)))
		repo = slash + 1;
	if (!*repo)
		return err_set(ERR_INVALID, "unable to parse image value: a repository name must be specified");
	for (const char *p = repo; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || strchr("_-./", *p)))
			return err_set(ERR_INVALID, "unable to parse image value: repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: %s", repo);
	return 0;
}

static int image_repository(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *image = NULL, *secret_ref = NULL, *cert_ref = NULL;
	int64_t scan_timeout_ms = 0;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 8];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "image", 0, FLAG_STRING, &image, "the image repository to scan; e.g., library/alpine", NULL };
	f[n++] = (struct cli_flag){ "secret-ref", 0, FLAG_STRING, &secret_ref, "the name of a docker-registry secret to use for credentials", NULL };
	f[n++] = (struct cli_flag){ "cert-ref", 0, FLAG_STRING, &cert_ref, "the name of a secret to use for TLS certificates", NULL };
	f[n++] = (struct cli_flag){ "scan-timeout", 0, FLAG_DURATION, &scan_timeout_ms, "a timeout for scanning; this defaults to the interval if not set", "0s" };
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage u = {
			"tide create image repository [name] [flags]",
			"The create image repository command generates an ImageRepository resource.\n"
			"An ImageRepository object specifies an image repository to scan.",
			"  # Create an ImageRepository object to scan the alpine image repository:\n"
			"  tide create image repository alpine-repo --image alpine --interval 20m\n\n"
			"  # Create an image repository that uses an image pull secret (assumed to\n"
			"  # have been created already):\n"
			"  tide create image repository myapp-repo \\\n"
			"    --secret-ref image-pull \\\n"
			"    --image ghcr.io/example.com/myapp --interval 5m\n\n"
			"  # Scan a registry whose certificate is signed by a local CA\n"
			"  tide create secret tls local-registry-cert --ca-crt-file ./ca.pem\n"
			"  tide create image repository app-repo \\\n"
			"    --cert-ref local-registry-cert \\\n"
			"    --image local-registry:5000/app --interval 5m",
		};
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	if (!set(image))
		return cli_fail("an image repository (--image) is required");
	if (check_image(image))
		return cli_fail("%s", err_msg());
	struct arena *a = arena_new();
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, IMAGE_API, "ImageRepository", args[0])) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	struct doc_node *spec = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (set(cert_ref))
		doc_map_set(a, spec, "certSecretRef", create_name_ref(a, cert_ref));
	doc_map_set(a, spec, "image", create_str(a, image));
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	if (set(secret_ref))
		doc_map_set(a, spec, "secretRef", create_name_ref(a, secret_ref));
	if (scan_timeout_ms)
		doc_map_set(a, spec, "timeout", create_duration(a, scan_timeout_ms));
	return finish(&cc, a, obj, "ImageRepository");
}

/* Go regexp's capture names in pattern: (?P<name>...) and (?<name>...). */
static bool has_capture(const char *pattern, const char *name, size_t len)
{
	for (const char *p = pattern; (p = strstr(p, "(?")); p += 2) {
		const char *q = p[2] == 'P' ? p + 3 : p + 2;
		if (*q != '<')
			continue;
		const char *end = strchr(q + 1, '>');
		if (end && (size_t)(end - q - 1) == len && !strncmp(q + 1, name, len))
			return true;
	}
	return false;
}

/* flux's validateExtractStr: every $name / ${name} must be a capture group of the regex. */
static int check_extract(const char *tpl, const char *pattern)
{
	for (const char *p = tpl; (p = strchr(p, '$'));) {
		if (p[1] == '$') {
			p += 2;
			continue;
		}
		bool brace = p[1] == '{';
		const char *s = p + (brace ? 2 : 1), *e = s;
		while (*e && (isalnum((unsigned char)*e) || *e == '_' || (unsigned char)*e >= 0x80))
			e++;
		if (e == s || (brace && *e != '}'))
			return err_set(ERR_INVALID, "--filter-extract is malformed");
		size_t len = (size_t)(e - s);
		bool number = true;
		for (const char *d = s; d < e; d++)
			number &= isdigit((unsigned char)*d) != 0;
		if (number && len > 1 && *s == '0')
			number = false;
		if (!number && !has_capture(pattern, s, len))
			return err_set(ERR_INVALID, "capture group $%.*s used in --filter-extract not found in --filter-regex", (int)len, s);
		p = brace ? e + 1 : e;
	}
	return 0;
}

static int image_policy(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *image_ref = NULL, *semver = NULL, *alpha = NULL, *numeric = NULL, *regex = NULL;
	const char *extract = NULL, *reflect = NULL;
	int64_t interval_ms = 0;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 12];
	size_t n = create_common_flags(f, &cc);
	/* flux's policy command has its own --interval (digest checks), with no default */
	for (size_t i = 0; i < n; i++)
		if (!strcmp(f[i].name, "interval"))
			f[i] = (struct cli_flag){ "interval", 0, FLAG_DURATION, &interval_ms,
						  "the interval at which to check for new image digests when the policy is set to 'Always'", "0s" };
	f[n++] = (struct cli_flag){ "image-ref", 0, FLAG_STRING, &image_ref, "the name of an image repository object", NULL };
	f[n++] = (struct cli_flag){ "select-semver", 0, FLAG_STRING, &semver, "a semver range to apply to tags; e.g., '1.x'", NULL };
	f[n++] = (struct cli_flag){ "select-alpha", 0, FLAG_STRING, &alpha, "use alphabetical sorting to select image; either \"asc\" meaning select the last, or \"desc\" meaning select the first", NULL };
	f[n++] = (struct cli_flag){ "select-numeric", 0, FLAG_STRING, &numeric, "use numeric sorting to select image; either \"asc\" meaning select the last, or \"desc\" meaning select the first", NULL };
	f[n++] = (struct cli_flag){ "filter-regex", 0, FLAG_STRING, &regex, "regular expression pattern used to filter the image tags", NULL };
	f[n++] = (struct cli_flag){ "filter-extract", 0, FLAG_STRING, &extract, "replacement pattern (using capture groups from --filter-regex) to use for sorting", NULL };
	f[n++] = (struct cli_flag){ "reflect-digest", 0, FLAG_STRING, &reflect, "the digest reflection policy to use when observing latest image tags (one of 'Never', 'IfNotPresent', 'Always')", NULL };
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
		static const struct cli_usage u = {
			"tide create image policy [name] [flags]",
			"The create image policy command generates an ImagePolicy resource.\n"
			"An ImagePolicy object calculates a \"latest image\" given an image\n"
			"repository and a policy, e.g., semver.",
			"  # Create an ImagePolicy to select the latest stable release\n"
			"  tide create image policy podinfo \\\n"
			"    --image-ref=podinfo \\\n"
			"    --select-semver=\">=1.0.0\"\n\n"
			"  # Select the latest main branch build tagged as \"${GIT_BRANCH}-${GIT_SHA:0:7}-$(date +%s)\"\n"
			"  tide create image policy podinfo \\\n"
			"    --image-ref=podinfo \\\n"
			"    --select-numeric=asc \\\n"
			"    --filter-regex='^main-[a-f0-9]+-(?P<ts>[0-9]+)' \\\n"
			"    --filter-extract='$ts'",
		};
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	if (!set(image_ref))
		return cli_fail("the name of an ImageRepository in the namespace is required (--image-ref)");
	if (set(semver) + set(alpha) + set(numeric) > 1)
		return cli_fail("only one of --select-semver, --select-alpha or --select-numeric can be specified");
	if (set(alpha) && strcmp(alpha, "asc") && strcmp(alpha, "desc"))
		return cli_fail("--select-alpha must be one of [\"asc\", \"desc\"]");
	if (set(numeric) && strcmp(numeric, "asc") && strcmp(numeric, "desc"))
		return cli_fail("--select-numeric must be one of [\"asc\", \"desc\"]");
	if (!set(semver) && !set(alpha) && !set(numeric))
		return cli_fail("a policy must be provided with either --select-semver or --select-alpha");
	if (set(regex)) {
		if (set(extract) && check_extract(extract, regex))
			return cli_fail("%s", err_msg());
	} else if (set(extract)) {
		return cli_fail("cannot specify --filter-extract without specifying --filter-regex");
	}
	if (set(reflect) && strcmp(reflect, "Never") && strcmp(reflect, "IfNotPresent") && strcmp(reflect, "Always"))
		return cli_fail("invalid value for --reflect-digest, must be one of 'Never', 'IfNotPresent', 'Always'");
	if (interval_ms && !(set(reflect) && !strcmp(reflect, "Always")))
		return cli_fail("the --interval flag can only be used with the 'Always' digest reflection policy, use --reflect-digest=Always");
	struct arena *a = arena_new();
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, IMAGE_API, "ImagePolicy", args[0])) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	struct doc_node *spec = doc_new_map(a), *policy = doc_new_map(a), *choice = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (set(reflect))
		doc_map_set(a, spec, "digestReflectionPolicy", create_str(a, reflect));
	if (set(regex)) {
		struct doc_node *ft = doc_new_map(a);
		doc_map_set(a, ft, "extract", create_str(a, set(extract) ? extract : ""));
		doc_map_set(a, ft, "pattern", create_str(a, regex));
		doc_map_set(a, spec, "filterTags", ft);
	}
	doc_map_set(a, spec, "imageRepositoryRef", create_name_ref(a, image_ref));
	if (interval_ms)
		doc_map_set(a, spec, "interval", create_duration(a, interval_ms));
	if (set(semver)) {
		doc_map_set(a, choice, "range", create_str(a, semver));
		doc_map_set(a, policy, "semver", choice);
	} else {
		doc_map_set(a, choice, "order", create_str(a, set(alpha) ? alpha : numeric));
		doc_map_set(a, policy, set(alpha) ? "alphabetical" : "numerical", choice);
	}
	doc_map_set(a, spec, "policy", policy);
	return finish(&cc, a, obj, "ImagePolicy");
}

static int image_update(int argc, char **argv)
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
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (cc.g.help) {
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
		cli_print_help(&u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	if (!set(repo))
		return cli_fail("a reference to a GitRepository is required (--git-repo-ref)");
	if (!set(checkout))
		return cli_fail("the Git repository branch is required (--checkout-branch)");
	if (!set(author))
		return cli_fail("the author name is required (--author-name)");
	if (!set(email))
		return cli_fail("the author email is required (--author-email)");
	if (set(sign_type) && !set(sign_secret))
		return cli_fail("--signing-key-type requires --signing-key-secret");
	if (set(sign_type) && strcmp(sign_type, "gpg") && strcmp(sign_type, "ssh"))
		return cli_fail("--signing-key-type must be one of: gpg, ssh");
	struct arena *a = arena_new();
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, IMAGE_API, "ImageUpdateAutomation", args[0])) {
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
	if (set(tpl))
		doc_map_set(a, commit, "messageTemplate", create_str(a, tpl));
	if (set(sign_secret)) {
		struct doc_node *sk = doc_new_map(a);
		doc_map_set(a, sk, "secretRef", create_name_ref(a, sign_secret));
		if (set(sign_type))
			doc_map_set(a, sk, "type", create_str(a, sign_type));
		doc_map_set(a, commit, "signingKey", sk);
	}
	doc_map_set(a, git, "commit", commit);
	if (set(push)) {
		struct doc_node *p = doc_new_map(a);
		doc_map_set(a, p, "branch", create_str(a, push));
		doc_map_set(a, git, "push", p);
	}
	doc_map_set(a, spec, "git", git);
	doc_map_set(a, spec, "interval", create_duration(a, cc.interval_ms));
	doc_map_set(a, src, "kind", create_str(a, "GitRepository"));
	doc_map_set(a, src, "name", create_str(a, repo));
	if (set(repo_ns))
		doc_map_set(a, src, "namespace", create_str(a, repo_ns));
	doc_map_set(a, spec, "sourceRef", src);
	if (set(path)) {
		struct doc_node *up = doc_new_map(a);
		doc_map_set(a, up, "path", create_str(a, path));
		doc_map_set(a, up, "strategy", create_str(a, "Setters"));
		doc_map_set(a, spec, "update", up);
	}
	return finish(&cc, a, obj, "ImageUpdateAutomation");
}

int create_image(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	if (!strcmp(w, "repository"))
		return image_repository(argc - 1, argv + 1);
	if (!strcmp(w, "policy"))
		return image_policy(argc - 1, argv + 1);
	if (!strcmp(w, "update"))
		return image_update(argc - 1, argv + 1);
	if (!strcmp(w, "--help") || !strcmp(w, "-h")) {
		printf("The create image sub-commands work with image automation objects;\n"
		       "that is, object controlling updates to git based on e.g., new container images\n"
		       "being available.\n\nUsage:\n  tide create image [command]\n\nAvailable Commands:\n"
		       "  policy      Create or update an ImagePolicy object\n"
		       "  repository  Create or update an ImageRepository object\n"
		       "  update      Create or update an ImageUpdateAutomation object\n");
		return 0;
	}
	return cli_fail("create image: a kind is required: repository, policy or update");
}
