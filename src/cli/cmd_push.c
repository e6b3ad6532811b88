/*
 * `tide push artifact oci://HOST/REPO:TAG --path DIR|FILE --source URL --revision REV`, as
 * flux2's cmd/flux/push_artifact.go over fluxcd/pkg oci's Push: the directory (or the one
 * file, at the root of the archive; `-` reads it from standard input) archived as a
 * deterministic .tar.gz (source/artifact.h) without what --ignore-paths names (by default
 * flux's: VCS files and *.jpg ... *.tar.gz; .sourceignore files are not read, as flux does
 * not read them) and what --add-ignore-paths adds, then pushed as a Flux artifact
 * (oci_flux_push) with the created, source and revision annotations and the --annotations
 * given. --reproducible fixes the created time at the Unix epoch so the same tree always gives
 * the same digest. Prints flux's progress lines, or with --output json|yaml flux's metadata.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/artifact.h"
#include "cli/cli.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "source/artifact.h"
#include "source/ignore.h"
#include "source/oci_registry.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* flux's excludeOCI: sourceignore.ExcludeVCS and ExcludeExt. */
static const char *const exclude_oci[] = {
	".git/", ".gitignore", ".gitmodules", ".gitattributes", "*.jpg", "*.jpeg", "*.gif",
	"*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
};
#define NEXCLUDE (sizeof(exclude_oci) / sizeof(exclude_oci[0]))
#define STDIN_MAX ((size_t)256 << 20)

/* The ignore rules: --ignore-paths (or flux's default list), then --add-ignore-paths. */
static struct ignore_rules *rules(const struct cli_strings *ignore, const struct cli_strings *add)
{
	struct buf text = BUF_INIT;
	if (ignore->len)
		for (size_t i = 0; i < ignore->len; i++)
			buf_addf(&text, "%s\n", ignore->items[i]);
	else
		for (size_t i = 0; i < NEXCLUDE; i++)
			buf_addf(&text, "%s\n", exclude_oci[i]);
	for (size_t i = 0; i < add->len; i++)
		buf_addf(&text, "%s\n", add->items[i]);
	struct ignore_rules *r = ignore_new();
	ignore_add(r, "", text.ptr, text.len);
	buf_release(&text);
	return r;
}

/* A tarball of one file, at the root under name: data (len bytes) or the file at path. */
static int archive_file(const char *out, const char *name, const char *path, const char *data,
			size_t len, const struct ignore_rules *ign)
{
	struct artifact_writer *w = NULL;
	int rc = artifact_writer_open(&w, out, NULL);
	if (rc)
		return rc;
	struct artifact_info info;
	if (ignore_match(ign, name, 0)) {
		fprintf(stderr, "⚠️ '%s' is excluded by the ignore paths: the artifact is empty\n", name);
		return artifact_writer_close(w, &info);
	}
	int fd = -1;
	struct stat st = { 0 };
	if (path) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || fstat(fd, &st)) {
			rc = err_set(ERR_IO, "'%s': %s", path, strerror(errno));
		} else if (!S_ISREG(st.st_mode)) {
			rc = err_set(ERR_INVALID, "'%s' is not a regular file or a directory", path);
		}
		len = (size_t)st.st_size;
	}
	if (!rc)
		rc = artifact_writer_file(w, name, path && (st.st_mode & 0111), len);
	if (!rc && !path)
		rc = artifact_writer_data(w, data, len);
	char chunk[1 << 16];
	for (size_t done = 0; !rc && path && done < len;) {
		ssize_t n = read(fd, chunk, sizeof(chunk) < len - done ? sizeof(chunk) : len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = err_set(ERR_IO, "'%s': %s", path, n ? strerror(errno) : "file shrank while read");
			break;
		}
		rc = artifact_writer_data(w, chunk, (size_t)n);
		done += (size_t)n;
	}
	if (fd >= 0)
		close(fd);
	if (rc) {
		artifact_writer_abort(w);
		return rc;
	}
	return artifact_writer_close(w, &info);
}

/* Standard input, as flux's saveReaderToFile keeps it (trailing CR and LF dropped). */
static int read_stdin(struct buf *out)
{
	char chunk[1 << 16];
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), stdin);
		if (out->len + n > STDIN_MAX)
			return err_set(ERR_TOOBIG, "standard input is larger than %zu MiB", STDIN_MAX >> 20);
		buf_add(out, chunk, n);
		if (n < sizeof(chunk))
			break;
	}
	if (ferror(stdin))
		return err_set(ERR_IO, "reading standard input: %s", strerror(errno));
	while (out->len && (out->ptr[out->len - 1] == '\n' || out->ptr[out->len - 1] == '\r'))
		out->ptr[--out->len] = '\0';
	return 0;
}

static void print_info(const char *format, const char *repo, const char *tag, const char *digest)
{
	struct arena *a = arena_new();
	struct doc_node *m = doc_new_map(a);
	doc_map_set(a, m, "url", doc_new_str(a, arena_sprintf(a, "oci://%s@%s", repo, digest)));
	doc_map_set(a, m, "repository", doc_new_str(a, repo));
	doc_map_set(a, m, "tag", doc_new_str(a, tag));
	doc_map_set(a, m, "digest", doc_new_str(a, digest));
	struct buf out = BUF_INIT;
	if (!strcmp(format, "json")) {
		doc_emit_json(&out, m, 2);
		buf_addch(&out, '\n');
	} else {
		doc_emit_yaml(&out, m, DOC_EMIT_SORT_KEYS);
	}
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	arena_free(a);
}

int cmd_push(int argc, char **argv)
{
	int code;
	if (cli_artifact_word(&code, argc, argv, "push", "artifact",
			      "The push command is used to publish OCI artifacts.", "Push artifact"))
		return code;
	argc--;
	argv++;
	struct cli_globals g;
	struct cli_oci o;
	const char *path = NULL, *source = NULL, *revision = NULL, *output = NULL;
	struct cli_strings ignore = { 0 }, add_ignore = { 0 }, annotations = { 0 };
	bool debug = false, reproducible = false, resolve = false;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 13];
	cli_global_flags(f, &g);
	size_t n = CLI_GLOBAL_FLAG_COUNT;
	f[n++] = (struct cli_flag){ "path", 'f', FLAG_STRING, &path, "path to the directory where the Kubernetes manifests are located", NULL };
	f[n++] = (struct cli_flag){ "source", 0, FLAG_STRING, &source, "the source address, e.g. the Git URL", NULL };
	f[n++] = (struct cli_flag){ "revision", 0, FLAG_STRING, &revision, "the source revision in the format '<branch|tag>@sha1:<commit-sha>'", NULL };
	n += cli_oci_flags(f + n, &o, "allows artifacts to be pushed without TLS");
	f[n++] = (struct cli_flag){ "ignore-paths", 0, FLAG_STRINGS, &ignore, "set paths to ignore in .gitignore format",
				    "[.git/,.gitignore,.gitmodules,.gitattributes,*.jpg,*.jpeg,*.gif,*.png,*.wmv,*.flv,*.tar.gz,*.zip]" };
	f[n++] = (struct cli_flag){ "add-ignore-paths", 0, FLAG_STRINGS, &add_ignore, "additional paths to ignore in .gitignore format (appended to --ignore-paths)", NULL };
	f[n++] = (struct cli_flag){ "annotations", 'a', FLAG_ARRAY, &annotations, "Set custom OCI annotations in the format '<key>=<value>'", NULL };
	f[n++] = (struct cli_flag){ "output", 'o', FLAG_STRING, &output, "the format in which the artifact digest should be printed, can be 'json' or 'yaml'", NULL };
	f[n++] = (struct cli_flag){ "debug", 0, FLAG_BOOL, &debug, "display logs from underlying library (accepted; tide prints nothing more)", "false" };
	f[n++] = (struct cli_flag){ "reproducible", 0, FLAG_BOOL, &reproducible, "ensure reproducible image digests by setting the created timestamp to '1970-01-01T00:00:00Z'", "false" };
	f[n++] = (struct cli_flag){ "resolve-symlinks", 0, FLAG_BOOL, &resolve, "resolve symlinks by copying their targets into the artifact (not supported by tide yet)", "false" };
	static const struct cli_usage u = {
		"tide push artifact [flags]",
		"The push artifact command creates a tarball from the given directory or the single file and uploads the artifact to an OCI repository.\n"
		"The command can read the credentials from '~/.docker/config.json' but they can also be passed with --creds.",
		"  # Push manifests to GHCR using the short Git SHA as the OCI artifact tag\n"
		"  echo $GITHUB_PAT | docker login ghcr.io --username flux --password-stdin\n"
		"  tide push artifact oci://ghcr.io/org/config/app:$(git rev-parse --short HEAD) \\\n"
		"\t--path=\"./path/to/local/manifests\" \\\n"
		"\t--source=\"$(git config --get remote.origin.url)\" \\\n"
		"\t--revision=\"$(git branch --show-current)@sha1:$(git rev-parse HEAD)\"\n\n"
		"  # Push manifests passed into stdin and set custom OCI annotations\n"
		"  tide kustomize build . | tide push artifact oci://ghcr.io/org/config/app:$(git rev-parse --short HEAD) -f - \\\n"
		"    --source=\"$(git config --get remote.origin.url)\" \\\n"
		"    --revision=\"$(git branch --show-current)@sha1:$(git rev-parse HEAD)\" \\\n"
		"    --annotations='org.opencontainers.image.licenses=Apache-2.0'\n\n"
		"  # Login by passing credentials directly\n"
		"  tide push artifact oci://docker.io/org/app-config:$(git tag --points-at HEAD) \\\n"
		"\t--path=\"./path/to/local/manifests\" \\\n"
		"\t--source=\"$(git config --get remote.origin.url)\" \\\n"
		"\t--revision=\"$(git tag --points-at HEAD)@sha1:$(git rev-parse HEAD)\" \\\n"
		"\t--creds flux:$DOCKER_PAT",
	};
	const char *args[2];
	size_t nargs = 0;
	if (cli_parse_verb(&code, argc, argv, f, n, args, 1, &nargs, &g.help, &u))
		return code;
	(void)debug;
	if (nargs < 1)
		return cli_fail("artifact URL is required");
	if (!source || !*source)
		return cli_fail("--source is required");
	if (!revision || !*revision)
		return cli_fail("--revision is required");
	if (!path || !*path)
		return cli_fail("invalid path \"%s\"", path ? path : "");
	struct oci_ref ref;
	if (cli_oci_ref(&ref, args[0]))
		return cli_fail("%s", err_msg());
	if (ref.digest[0])
		return cli_fail("artifact tag parsing failed: '%s' names a digest: a tag is required", args[0]);
	const char *tag = ref.tag[0] ? ref.tag : "latest"; /* go-containerregistry's default */
	struct stat st;
	bool from_stdin = !strcmp(path, "-");
	if (!from_stdin && stat(path, &st))
		return cli_fail("invalid path '%s', must point to an existing directory or file: stat %s: %s",
				path, path, strerror(errno));
	if (resolve)
		return cli_fail("--resolve-symlinks is not supported by tide yet: symlinks are skipped");
	struct oci_kv kv[64];
	size_t nkv = 0;
	const char *created = NULL;
	for (size_t i = 0; i < annotations.len; i++) {
		const char *a = annotations.items[i];
		const char *eq = strchr(a, '=');
		if (!eq || eq == a || strchr(eq + 1, '='))
			return cli_fail("invalid annotation %s, must be in the format key=value", a);
		/* the values point into argv, which is ours: cut the key off there */
		((char *)eq)[0] = '\0';
		kv[nkv++] = (struct oci_kv){ a, eq + 1 };
		if (!strcmp(a, OCI_ANN_CREATED))
			created = eq + 1;
	}
	if (reproducible && !created)
		created = "1970-01-01T00:00:00Z";

	const char *tmpdir = getenv("TMPDIR");
	char *tmpl = xasprintf("%s/tide-push-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmpl)) {
		int e = errno;
		free(tmpl);
		return cli_fail("creating a temporary directory: %s", strerror(e));
	}
	char *tgz = xasprintf("%s/artifact.tgz", tmpl);
	struct ignore_rules *ign = rules(&ignore, &add_ignore);
	struct oci_client *c = NULL;
	int rc = cli_oci_client(&c, &o, &g, &ref);
	if (!rc && from_stdin) {
		struct buf in = BUF_INIT;
		rc = read_stdin(&in);
		if (!rc)
			rc = archive_file(tgz, "stdin.yaml", NULL, in.ptr, in.len, ign);
		buf_release(&in);
	} else if (!rc && S_ISDIR(st.st_mode)) {
		struct artifact_info info;
		rc = artifact_archive(path, ign, NULL, tgz, &info);
	} else if (!rc) {
		const char *slash = strrchr(path, '/');
		rc = archive_file(tgz, slash ? slash + 1 : path, path, NULL, 0, ign);
	}
	if (rc)
		rc = err_wrap(rc, "pushing artifact failed: error creating layer");
	char repo[OCI_HOST_MAX + OCI_REPO_MAX + 2];
	cli_oci_repo(repo, sizeof(repo), &ref);
	const char *url = args[0] + strlen("oci://");
	if (!rc && !output)
		fprintf(stderr, "► pushing artifact to %s\n", url);
	char digest[OCI_DIGEST_MAX + 1] = "";
	if (!rc) {
		struct oci_flux_meta meta = { .created = created, .source = source, .revision = revision,
					      .annotations = kv, .nannotations = nkv };
		rc = oci_flux_push(c, ref.repo, tag, tgz, &meta, digest);
		if (rc)
			rc = err_wrap(rc, "pushing artifact failed");
	}
	int ret = 0;
	if (rc)
		ret = cli_fail("%s", err_msg());
	else if (output && (!strcmp(output, "json") || !strcmp(output, "yaml")))
		print_info(output, repo, tag, digest);
	else
		fprintf(stderr, "✔ artifact successfully pushed to %s@%s\n", repo, digest);
	oci_client_free(c);
	ignore_free(ign);
	fs_rm_rf(tmpl);
	free(tgz);
	free(tmpl);
	return ret;
}
