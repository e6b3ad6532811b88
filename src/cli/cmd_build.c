/*
 * `tide build kustomization NAME --path DIR` and `tide diff kustomization NAME --path DIR`,
 * shaped like flux2's cmd/flux/build_kustomization.go and diff_kustomization.go: the local
 * directory is built as the kustomize-controller would build it for the Kustomization NAME
 * (Flux's generator and spec fields, commonMetadata, postBuild substitution with
 * substituteFrom read from the cluster, owner labels), then printed (build) or compared with
 * the cluster by a server-side dry-run apply (diff; exit 1 when something would change).
 *
 * As flux does, the generated kustomization is written into DIR for the build and DIR is put
 * back as it was afterwards (the original kustomization file restored, a generated one
 * removed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apply/apply.h"
#include "cli/cli.h"
#include "cli/connect.h"
#include "cli/flags.h"
#include "controllers/kustomization/build.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "kustomize/kustomize.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"

static const struct kube_resource configmaps = { "", "v1", "configmaps", "ConfigMap", "configmap", true };
static const struct kube_resource secrets = { "", "v1", "secrets", "Secret", "secret", true };
static const struct kube_resource kustomizations = { "kustomize.toolkit.fluxcd.io", "v1", "kustomizations",
						     "Kustomization", "kustomization", true };

struct getter {
	struct kube_client *c;
	struct arena *a;
	const char *ns;
};

static int get_from_cluster(void *ud, const char *kind, const char *name, struct doc_node **out)
{
	struct getter *g = ud;
	return kube_get(out, g->c, g->a, strcmp(kind, "Secret") ? &configmaps : &secrets, g->ns, name, NULL);
}

/* The kustomization file flux's generator would read or write in dir, and its bytes. */
struct saved_kustomization {
	char *path;   /* NULL when dir had none */
	struct buf data;
};

static const char *const kust_names[] = { "kustomization.yaml", "kustomization.yml", "Kustomization" };

static int save_kustomization(struct saved_kustomization *s, const char *dir)
{
	s->path = NULL;
	s->data = (struct buf)BUF_INIT;
	for (size_t i = 0; i < sizeof(kust_names) / sizeof(kust_names[0]); i++) {
		char *p = xasprintf("%s/%s", dir, kust_names[i]);
		struct stat st;
		if (lstat(p, &st) == 0) {
			s->path = p;
			return fs_read_regular_file(p, 64 << 20, &s->data);
		}
		free(p);
	}
	return 0;
}

static void restore_kustomization(struct saved_kustomization *s, const char *dir)
{
	if (s->path) {
		fs_write_atomic(s->path, s->data.ptr, s->data.len, 0644);
		free(s->path);
	} else {
		/* The generator made kustomization.yaml: remove it again. */
		char *p = xasprintf("%s/kustomization.yaml", dir);
		unlink(p);
		free(p);
	}
	buf_release(&s->data);
}

static void stamp_owner(struct arena *a, struct doc_node *obj, const char *name, const char *ns)
{
	doc_set(a, obj, "metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name", doc_new_str(a, name));
	doc_set(a, obj, "metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/namespace", doc_new_str(a, ns));
}

/* Secret values replaced, as flux diff masks them. */
static void mask_secret(struct arena *a, struct doc_node *obj)
{
	const char *kind = doc_get_str(obj, "kind");
	if (!obj || !kind || strcmp(kind, "Secret"))
		return;
	const char *fields[] = { "data", "stringData" };
	for (size_t f = 0; f < 2; f++) {
		struct doc_node *m = doc_map_get(obj, fields[f]);
		for (size_t i = 0; m && m->kind == DOC_MAP && i < m->u.map.len; i++)
			m->u.map.items[i].value = doc_new_str(a, "*****");
	}
}

/* Drops what the server owns so a diff shows the user's fields. */
static void strip_server_fields(struct doc_node *obj)
{
	if (!obj)
		return;
	doc_delete(obj, "status");
	static const char *const meta[] = { "managedFields", "resourceVersion", "uid", "creationTimestamp",
					    "generation", "selfLink" };
	struct doc_node *md = doc_map_get(obj, "metadata");
	for (size_t i = 0; md && i < sizeof(meta) / sizeof(meta[0]); i++)
		doc_map_delete(md, meta[i]);
}

/* A line diff of two YAML texts (longest common subsequence): the changed lines only, "- "
 * for the cluster's, "+ " for the build's. */
static void print_line_diff(const char *x, const char *y)
{
	char **xl = NULL, **yl = NULL;
	size_t nx = 0, ny = 0, cx = 0, cy = 0;
	char *xs = xstrdup(x), *ys = xstrdup(y);
	for (char *p = strtok(xs, "\n"); p; p = strtok(NULL, "\n")) {
		xl = xgrow(xl, &cx, nx + 1, sizeof(*xl));
		xl[nx++] = p;
	}
	for (char *p = strtok(ys, "\n"); p; p = strtok(NULL, "\n")) {
		yl = xgrow(yl, &cy, ny + 1, sizeof(*yl));
		yl[ny++] = p;
	}
	size_t w = ny + 1;
	unsigned *lcs = xcalloc((nx + 1) * w, sizeof(unsigned));
	for (size_t i = nx; i-- > 0;)
		for (size_t j = ny; j-- > 0;)
			lcs[i * w + j] = !strcmp(xl[i], yl[j]) ? lcs[(i + 1) * w + j + 1] + 1
				       : (lcs[(i + 1) * w + j] > lcs[i * w + j + 1] ? lcs[(i + 1) * w + j]
										: lcs[i * w + j + 1]);
	size_t i = 0, j = 0;
	while (i < nx || j < ny) {
		if (i < nx && j < ny && !strcmp(xl[i], yl[j])) {
			i++;
			j++;
		} else if (i < nx && (j == ny || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
			printf("- %s\n", xl[i++]);
		} else {
			printf("+ %s\n", yl[j++]);
		}
	}
	free(lcs);
	free(xl);
	free(yl);
	free(xs);
	free(ys);
}

static int run(int argc, char **argv, bool diff)
{
	struct cli_globals g;
	const char *path = NULL, *kfile = NULL;
	bool dry_run = false;
	long max_mib = (long)(KUST_MAX_MEMORY_DEFAULT >> 20);
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT + 4];
	cli_global_flags(flags, &g);
	const struct cli_flag own[] = {
		{ "path", 0, FLAG_STRING, &path, "Path to the manifests location.", NULL },
		{ "kustomization-file", 0, FLAG_STRING, &kfile, "Path to the Flux Kustomization YAML file.", NULL },
		{ "max-build-memory", 0, FLAG_INT, &max_mib, "The most memory, in MiB, the build may use (as tide controller's flag).", "256" },
		{ "dry-run", 0, FLAG_BOOL, &dry_run, "Dry run mode (build only: no cluster is contacted, --kustomization-file is required).", "false" },
	};
	memcpy(flags + CLI_GLOBAL_FLAG_COUNT, own, sizeof(own));
	size_t nflags = CLI_GLOBAL_FLAG_COUNT + (diff ? 3 : 4);
	const char *args[2];
	size_t nargs = 0;
	if (cli_parse(argc, argv, flags, nflags, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		const struct cli_usage u = diff ? (struct cli_usage){
			"tide diff kustomization NAME --path DIR [flags]",
			"The diff command does a build, then it performs a server-side dry-run and prints the diff.\n"
			"Exit status: 0 No differences were found. 1 Differences were found. >1 diff failed with an error.",
			"  # Preview local changes as they were applied on the cluster\n"
			"  tide diff kustomization my-app --path ./path/to/local/manifests",
		} : (struct cli_usage){
			"tide build kustomization NAME --path DIR [flags]",
			"The build command queries the Kubernetes API and fetches the specified Flux Kustomization.\n"
			"It then uses the fetched in cluster Flux Kustomization to perform needed transformation on the local kustomization.yaml\n"
			"pointed at by --path. The local kustomization.yaml is generated if it does not exist. Finally it builds the overlays\n"
			"using the local kustomization.yaml, and writes the resulting multi-doc YAML to stdout.",
			"  # Build the local manifests as they were built on the cluster\n"
			"  tide build kustomization my-app --path ./path/to/local/manifests\n\n"
			"  # Build without the cluster, from a Kustomization file\n"
			"  tide build kustomization my-app --path ./manifests --kustomization-file ./ks.yaml --dry-run",
		};
		cli_print_help(&u, flags, nflags);
		return 0;
	}
	if (nargs < 1 || (strcmp(args[0], "kustomization") && strcmp(args[0], "ks") && strcmp(args[0], "kustomizations")))
		return cli_fail("%s: a kind is required: kustomization", diff ? "diff" : "build");
	if (nargs < 2)
		return cli_fail("%s kustomization: name is required", diff ? "diff" : "build");
	const char *name = args[1];
	if (!path || !*path)
		return cli_fail("invalid resource path \"\"");
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return cli_fail("invalid resource path \"%s\"", path);
	if (dry_run && !kfile)
		return cli_fail("dry-run mode requires a kustomization file");

	struct arena *a = arena_new();
	struct kube_client *c = NULL;
	int ret = 1;
	const char *ns = cli_namespace(&g);
	struct doc_node *ks = NULL;
	if (!dry_run && cli_connect(&c, &g)) {
		cli_fail("%s", err_msg());
		goto out;
	}
	if (kfile) {
		struct buf b = BUF_INIT;
		struct doc_stream s;
		if (fs_read_regular_file(kfile, 16 << 20, &b) ||
		    doc_parse_yaml(a, kfile, b.ptr, b.len, NULL, &s)) {
			buf_release(&b);
			cli_fail("%s", err_msg());
			goto out;
		}
		buf_release(&b);
		for (size_t i = 0; i < s.len && !ks; i++) {
			const char *k = doc_get_str(s.docs[i], "kind"), *n = doc_get_str(s.docs[i], "metadata.name");
			if (k && n && !strcmp(k, "Kustomization") && !strcmp(n, name))
				ks = s.docs[i];
		}
		if (!ks) {
			cli_fail("failed to find Kustomization '%s' in '%s'", name, kfile);
			goto out;
		}
		const char *kns = doc_get_str(ks, "metadata.namespace");
		if (kns && *kns)
			ns = kns;
		/* No cluster to read them from, as flux's dry-run: substituteFrom is skipped. */
		if (dry_run)
			doc_delete(ks, "spec.postBuild.substituteFrom");
	} else if (kube_get(&ks, c, a, &kustomizations, ns, name, NULL)) {
		cli_fail("failed to get kustomization object: %s", err_msg());
		goto out;
	}

	char root[4096];
	if (!realpath(path, root)) {
		cli_fail("invalid resource path \"%s\": %s", path, strerror(errno));
		goto out;
	}
	struct saved_kustomization saved;
	if (save_kustomization(&saved, root)) {
		cli_fail("%s", err_msg());
		goto out;
	}
	struct getter gt = { c, a, ns };
	struct doc_node **objs = NULL;
	size_t n = 0;
	int rc = kustomization_build_budget(a, ks, "/", root, get_from_cluster, &gt, false,
					    max_mib > 0 ? (size_t)max_mib << 20 : 0, &objs, &n);
	restore_kustomization(&saved, root);
	if (rc) {
		cli_fail("%s", err_msg());
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		stamp_owner(a, objs[i], name, ns);

	if (!diff) {
		struct buf out = BUF_INIT;
		doc_emit_yaml_stream(&out, objs, n, DOC_EMIT_SORT_KEYS);
		fwrite(out.ptr, 1, out.len, stdout);
		buf_release(&out);
		ret = 0;
		goto out;
	}

	printf("► Kustomization diffing...\n");
	struct apply_manager *m = NULL;
	struct apply_opts ao = { 0 };
	ao.owner_name = name;
	ao.owner_namespace = ns;
	if (apply_manager_new(&m, c, &ao)) {
		cli_fail("%s", err_msg());
		goto out;
	}
	struct apply_changeset cs = { 0 };
	struct doc_node **live = NULL, **merged = NULL;
	rc = apply_diff(&cs, &live, &merged, m, a, objs, n);
	if (rc) {
		apply_manager_free(m);
		fprintf(stderr, "✗ %s\n", err_msg());
		ret = 2;
		goto out;
	}
	bool changed = false;
	for (size_t i = 0; i < cs.len; i++) {
		const struct apply_entry *e = &cs.items[i];
		if (e->action == APPLY_CREATED) {
			printf("► %s created\n", e->subject);
			changed = true;
		} else if (e->action == APPLY_CONFIGURED) {
			printf("► %s drifted\n", e->subject);
			changed = true;
			strip_server_fields(live[i]);
			strip_server_fields(merged[i]);
			mask_secret(a, live[i]);
			mask_secret(a, merged[i]);
			struct buf x = BUF_INIT, y = BUF_INIT;
			doc_emit_yaml(&x, live[i], DOC_EMIT_SORT_KEYS);
			doc_emit_yaml(&y, merged[i], DOC_EMIT_SORT_KEYS);
			printf("\n");
			print_line_diff(x.ptr, y.ptr);
			printf("\n");
			buf_release(&x);
			buf_release(&y);
		}
	}
	/* What the controller would prune: in the inventory, not in the build. */
	const struct doc_node *prune = doc_get(ks, "spec.prune");
	if (prune && prune->kind == DOC_BOOL && prune->u.boolean) {
		struct apply_inventory old_inv = { 0 }, new_inv = { 0 };
		apply_inventory_from_doc(&old_inv, a, doc_get(ks, "status.inventory"));
		apply_inventory_add_changeset(a, &new_inv, &cs);
		struct apply_ref *stale = NULL;
		size_t nstale = 0;
		apply_inventory_diff(&stale, &nstale, a, &old_inv, &new_inv);
		for (size_t i = 0; i < nstale; i++) {
			printf("► %s deleted\n", apply_subject(a, &stale[i]));
			changed = true;
		}
	}
	apply_manager_free(m);
	if (changed) {
		fprintf(stderr, "⚠️ identified at least one change, exiting with non-zero exit code\n");
		ret = 1;
	} else {
		ret = 0;
	}
out:
	kube_client_free(c);
	arena_free(a);
	return ret;
}

int cmd_build(int argc, char **argv)
{
	return run(argc, argv, false);
}

int cmd_diff(int argc, char **argv)
{
	return run(argc, argv, true);
}
