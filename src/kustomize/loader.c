/*
 * The loader: files and directories of a build, read relative to a kustomization root.
 * Under the default load restrictor (LoadRestrictionsRootOnly) a file must lie in or below
 * the root of the kustomization that names it, after symlinks are resolved; directories
 * (bases, components) may be anywhere, but a root may not contain a root already on the
 * chain of kustomizations being built (a cycle).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include "util/banned.h"

#define KUST_MAX_FILE (64u << 20)

static const char *join(struct kust_ctx *c, const struct kust_loader *ldr, const char *path)
{
	if (path[0] == '/')
		return path;
	return arena_sprintf(c->a, "%s/%s", ldr->root, path);
}

static bool in_or_below(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return !strncmp(path, root, n) && (path[n] == '/' || path[n] == '\0');
}

/* The confine_root option: ERR_ESCAPE when r (resolved) lies outside it. */
static int check_confined(struct kust_ctx *c, const char *r)
{
	const char *root = c->opt->confine_root;
	if (!root)
		return 0;
	char *rr = realpath(root, NULL);
	bool ok = rr && in_or_below(r, rr);
	free(rr);
	if (!ok)
		return err_set(ERR_ESCAPE, "security; file '%s' is not in or below '%s'", r, root);
	return 0;
}

int kust_load_file(struct kust_ctx *c, const struct kust_loader *ldr, const char *path,
		   struct buf *out, const char **abs)
{
	/* Field values that should name a file may be mappings or lists in bad input. */
	if (!path)
		return err_set(ERR_INVALID, "expected a file name, got a mapping or a list");
	const char *full = join(c, ldr, path);
	char *real = realpath(full, NULL);
	if (!real)
		return err_set(ERR_NOTFOUND, "evalsymlink failure on '%s' : lstat %s: no such file or directory",
			       full, full);
	const char *r = arena_strdup(c->a, real);
	free(real);
	if (!c->opt->load_restrictor_none && !in_or_below(r, ldr->root))
		return err_set(ERR_ESCAPE, "security; file '%s' is not in or below '%s'", r, ldr->root);
	int rc = check_confined(c, r);
	if (rc)
		return rc;
	struct stat st;
	if (stat(r, &st) == 0 && S_ISDIR(st.st_mode))
		return err_set(ERR_IO, "'%s': is a directory", r);
	if (abs)
		*abs = r;
	return fs_read_regular_file(r, KUST_MAX_FILE, out);
}

int kust_load_yaml(struct kust_ctx *c, const struct kust_loader *ldr, const char *path,
		   struct doc_stream *out)
{
	struct buf b = BUF_INIT;
	int rc = kust_load_file(c, ldr, path, &b, NULL);
	if (!rc)
		rc = doc_parse_yaml(c->a, path, b.ptr, b.len, NULL, out);
	buf_release(&b);
	return rc;
}

bool kust_is_dir(struct kust_ctx *c, const struct kust_loader *ldr, const char *path, const char **abs)
{
	const char *full = join(c, ldr, path);
	char *real = realpath(full, NULL);
	if (!real)
		return false;
	struct stat st;
	bool dir = stat(real, &st) == 0 && S_ISDIR(st.st_mode);
	if (abs)
		*abs = arena_strdup(c->a, real);
	free(real);
	return dir;
}

int kust_loader_sub(struct kust_ctx *c, const struct kust_loader *ldr, const char *abs,
		    struct kust_loader *out)
{
	int rc = check_confined(c, abs);
	if (rc)
		return rc;
	for (const struct kust_loader *l = ldr; l; l = l->parent) {
		if (in_or_below(l->root, abs))
			return err_set(ERR_INVALID, "cycle detected: candidate root '%s' contains visited root '%s'",
				       abs, l->root);
	}
	out->root = abs;
	out->origin = ldr->origin;
	out->parent = ldr;
	return 0;
}
