/*
 * The build both `tide build kustomization` and `tide diff kustomization` start with (see
 * build.h), shaped like flux2's internal/build: the Kustomization NAME read from the cluster
 * (or found in --kustomization-file), the local directory built as the kustomize-controller
 * would build it (Flux's generator and spec fields, commonMetadata, postBuild substitution
 * with substituteFrom read from the cluster), the owner labels stamped on every object.
 */
#include "cli/build.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "controllers/kustomization/build.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

static const struct kube_resource configmaps = { "", "v1", "configmaps", "ConfigMap", "configmap", true };
static const struct kube_resource secrets = { "", "v1", "secrets", "Secret", "secret", true };

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

/* The Kustomization name of --kustomization-file, its namespace taken when it names one. */
static int read_kustomization_file(struct cli_build *b, const char *kfile, bool dry_run)
{
	struct buf data = BUF_INIT;
	struct doc_stream s;
	int rc = fs_read_regular_file(kfile, 16 << 20, &data);
	if (!rc)
		rc = doc_parse_yaml(b->a, kfile, data.ptr, data.len, NULL, &s);
	buf_release(&data);
	if (rc)
		return rc;
	for (size_t i = 0; i < s.len && !b->ks; i++) {
		const char *k = doc_get_str(s.docs[i], "kind"), *n = doc_get_str(s.docs[i], "metadata.name");
		if (k && n && !strcmp(k, "Kustomization") && !strcmp(n, b->name))
			b->ks = s.docs[i];
	}
	if (!b->ks)
		return err_set(ERR_NOTFOUND, "failed to find Kustomization '%s' in '%s'", b->name, kfile);
	const char *kns = doc_get_str(b->ks, "metadata.namespace");
	if (kns && *kns)
		b->ns = kns;
	/* No cluster to read them from, as flux's dry-run: substituteFrom is skipped. */
	if (dry_run)
		doc_delete(b->ks, "spec.postBuild.substituteFrom");
	return 0;
}

int cli_build_run(struct cli_build *b, const struct cli_globals *g, const char *const *args, size_t nargs,
		  const struct cli_build_opts *o)
{
	*b = (struct cli_build){ .a = arena_new(), .ns = cli_namespace(g) };
	if (nargs < 1 || !cli_word_names(args[0], "Kustomization"))
		return err_set(ERR_INVALID, "%s: a kind is required: kustomization", o->verb);
	if (nargs < 2)
		return err_set(ERR_INVALID, "%s kustomization: name is required", o->verb);
	b->name = args[1];
	struct stat st;
	if (!o->path || !*o->path || stat(o->path, &st) != 0 || !S_ISDIR(st.st_mode))
		return err_set(ERR_INVALID, "invalid resource path \"%s\"", o->path ? o->path : "");
	if (o->dry_run && !o->kfile)
		return err_set(ERR_INVALID, "dry-run mode requires a kustomization file");
	int rc;
	if (!o->dry_run && (rc = cli_connect(&b->c, g)))
		return rc;
	if (o->kfile) {
		if ((rc = read_kustomization_file(b, o->kfile, o->dry_run)))
			return rc;
	} else {
		struct kube_resource kustomizations;
		cli_kind_resource(&kustomizations, cli_kind_by_name("Kustomization"));
		if ((rc = kube_get(&b->ks, b->c, b->a, &kustomizations, b->ns, b->name, NULL)))
			return err_wrap(rc, "failed to get kustomization object");
	}
	char root[4096];
	if (!realpath(o->path, root))
		return err_set(ERR_INVALID, "invalid resource path \"%s\": %s", o->path, strerror(errno));
	struct saved_kustomization saved;
	if ((rc = save_kustomization(&saved, root)))
		return rc;
	struct getter gt = { b->c, b->a, b->ns };
	rc = kustomization_build_budget(b->a, b->ks, "/", root, get_from_cluster, &gt, false,
					 o->max_mib > 0 ? (size_t)o->max_mib << 20 : 0, &b->objs, &b->n);
	restore_kustomization(&saved, root);
	if (rc)
		return rc;
	for (size_t i = 0; i < b->n; i++)
		stamp_owner(b->a, b->objs[i], b->name, b->ns);
	return 0;
}

void cli_build_release(struct cli_build *b)
{
	kube_client_free(b->c);
	arena_free(b->a);
	*b = (struct cli_build){ 0 };
}
