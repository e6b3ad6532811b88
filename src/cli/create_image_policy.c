/*
 * `tide create image policy NAME`, as flux2's cmd/flux/create_image_policy.go: an
 * ImagePolicy (image.toolkit.fluxcd.io/v1) choosing the latest tag of --image-ref by semver,
 * alphabetical or numerical order, with flux's checks of the tag filter and of digest
 * reflection; upserted and waited for until Ready. --export prints it.
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

int create_image_policy(int argc, char **argv)
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
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(image_ref))
		return cli_fail("the name of an ImageRepository in the namespace is required (--image-ref)");
	if (create_given(semver) + create_given(alpha) + create_given(numeric) > 1)
		return cli_fail("only one of --select-semver, --select-alpha or --select-numeric can be specified");
	if (create_given(alpha) && strcmp(alpha, "asc") && strcmp(alpha, "desc"))
		return cli_fail("--select-alpha must be one of [\"asc\", \"desc\"]");
	if (create_given(numeric) && strcmp(numeric, "asc") && strcmp(numeric, "desc"))
		return cli_fail("--select-numeric must be one of [\"asc\", \"desc\"]");
	if (!create_given(semver) && !create_given(alpha) && !create_given(numeric))
		return cli_fail("a policy must be provided with either --select-semver or --select-alpha");
	if (create_given(regex)) {
		if (create_given(extract) && check_extract(extract, regex))
			return cli_fail("%s", err_msg());
	} else if (create_given(extract)) {
		return cli_fail("cannot specify --filter-extract without specifying --filter-regex");
	}
	if (create_given(reflect) && strcmp(reflect, "Never") && strcmp(reflect, "IfNotPresent") && strcmp(reflect, "Always"))
		return cli_fail("invalid value for --reflect-digest, must be one of 'Never', 'IfNotPresent', 'Always'");
	if (interval_ms && !(create_given(reflect) && !strcmp(reflect, "Always")))
		return cli_fail("the --interval flag can only be used with the 'Always' digest reflection policy, use --reflect-digest=Always");
	struct arena *a = arena_new();
	struct doc_node *obj;
	if (create_new_object(&obj, a, &cc, cli_kind_by_name("ImagePolicy")->api_version, "ImagePolicy", name)) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	struct doc_node *spec = doc_new_map(a), *policy = doc_new_map(a), *choice = doc_new_map(a);
	doc_map_set(a, obj, "spec", spec);
	if (create_given(reflect))
		doc_map_set(a, spec, "digestReflectionPolicy", create_str(a, reflect));
	if (create_given(regex)) {
		struct doc_node *ft = doc_new_map(a);
		doc_map_set(a, ft, "extract", create_str(a, create_given(extract) ? extract : ""));
		doc_map_set(a, ft, "pattern", create_str(a, regex));
		doc_map_set(a, spec, "filterTags", ft);
	}
	doc_map_set(a, spec, "imageRepositoryRef", create_name_ref(a, image_ref));
	if (interval_ms)
		doc_map_set(a, spec, "interval", create_duration(a, interval_ms));
	if (create_given(semver)) {
		doc_map_set(a, choice, "range", create_str(a, semver));
		doc_map_set(a, policy, "semver", choice);
	} else {
		doc_map_set(a, choice, "order", create_str(a, create_given(alpha) ? alpha : numeric));
		doc_map_set(a, policy, create_given(alpha) ? "alphabetical" : "numerical", choice);
	}
	doc_map_set(a, spec, "policy", policy);
	return create_upsert_and_wait(&cc, a, obj);
}
