/*
 * The build both `tide build kustomization` and `tide diff kustomization` start with (see
 * build.h), shaped like flux2's internal/build: the Kustomization NAME read from the cluster
 * (or found in --kustomization-file), the local directory built as the kustomize-controller
 * would build it (Flux's generator and spec fields, commonMetadata, postBuild substitution
 * with substituteFrom read from the cluster), the owner labels stamped on every object.
 */
#include "cli/build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

/* ---- The build's copy of the directory -------------------------------------------------
 *
 * Flux's generator writes the Kustomization's spec fields into the directory's
 * kustomization file (and writes one when there is none). `flux build` does that in the
 * user's directory and puts the file back afterwards, so a Ctrl-C in between leaves it
 * rewritten (comments gone), and a kustomization.yaml that is a symlink has what it names
 * rewritten (or, written by a rename, the link replaced by a file). tide never writes under
 * --path: the build runs in a copy.
 *
 * The copy lives at <T><D>, where T is a fresh directory under $TMPDIR and D is the
 * resolved --path: every directory from / down to D's parent is mirrored in T by real
 * directories whose other entries are symlinks to the originals, and D itself is copied
 * (files, directories, and symlinks pointing at the copy when their target is inside D). So
 * every path the build resolves from D ("../base", a component two levels up) reaches the
 * same file as it would from D, and only the files under D, which the generator may write,
 * are the copy's. Error messages name the original paths (<T> is taken out of them).
 *
 * T is removed when the build ends; a small process forked beside the command removes it
 * when the command dies (SIGINT, SIGTERM, even SIGKILL), for it waits on a pipe whose only
 * writer is the command.
 */

#define COPY_MAX_FILE ((uint64_t)64 << 20)    /* kustomize's per-file cap */
#define COPY_MAX_BYTES ((uint64_t)1 << 30)
#define COPY_MAX_ENTRIES 200000
#define COPY_MAX_DEPTH 64

struct shadow {
	char *top;    /* T */
	char *dir;    /* T + D, where the build runs */
	const char *src; /* D */
	pid_t reaper; /* -1 when none */
	int pipe_w;   /* the reaper's pipe, -1 when none */
	uint64_t bytes;
	size_t entries;
};

/* The reaper: waits for EOF on fd (every writer gone: the command ended, however it ended),
 * removes top, and exits. It ignores the terminal's signals, which reach the whole process
 * group, so that a Ctrl-C ends the command and not its cleaner. */
static void reap_when_closed(int fd, const char *top)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Not the command's output: a pipeline reading it ends when the command does. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	char c;
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	fs_rm_rf(top);
	_exit(0);
}

static int shadow_start(struct shadow *sh, const char *src)
{
	*sh = (struct shadow){ .src = src, .reaper = -1, .pipe_w = -1 };
	const char *base = getenv("TMPDIR");
	sh->top = xasprintf("%s/tide-build-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(sh->top)) {
		int rc = err_set(ERR_IO, "failed to create temporary working directory '%s': %s", sh->top, strerror(errno));
		free(sh->top);
		sh->top = NULL;
		return rc;
	}
	int p[2];
	if (pipe2(p, O_CLOEXEC) == 0) {
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			close(p[1]);
			reap_when_closed(p[0], sh->top);
		}
		close(p[0]);
		if (pid > 0) {
			sh->reaper = pid;
			sh->pipe_w = p[1];
		} else {
			close(p[1]); /* no reaper: the normal exits still clean up */
		}
	}
	return 0;
}

static void shadow_end(struct shadow *sh)
{
	if (sh->top)
		fs_rm_rf(sh->top);
	if (sh->pipe_w >= 0)
		close(sh->pipe_w);
	if (sh->reaper > 0)
		while (waitpid(sh->reaper, NULL, 0) < 0 && errno == EINTR)
			;
	free(sh->top);
	free(sh->dir);
	*sh = (struct shadow){ .reaper = -1, .pipe_w = -1 };
}

static int count_entry(struct shadow *sh)
{
	if (++sh->entries > COPY_MAX_ENTRIES)
		return err_set(ERR_TOOBIG, "'%s': more than %d files and directories to build from", sh->src,
			       COPY_MAX_ENTRIES);
	return 0;
}

static int copy_error(const char *what, const char *path)
{
	return err_set(ERR_IO, "failed to copy '%s' for the build: %s %s", path, what, strerror(errno));
}

/* Copies the regular file from into to, without following a symlink at from and without
 * blocking on what turned into a FIFO since it was listed. A file the build could not have
 * read either keeps failing as it would have: one that cannot be opened becomes a link to
 * it, one past kustomize's size cap a sparse file of its size (never read here). */
static int copy_file(struct shadow *sh, const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0 && errno == EACCES)
		return symlink(from, to) == 0 ? 0 : copy_error("symlink:", to);
	if (in < 0)
		return copy_error("open:", from);
	struct stat st;
	if (fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(in);
		return err_set(ERR_INVALID, "'%s': not a regular file", from);
	}
	int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode & 0755);
	if (out < 0) {
		close(in);
		return copy_error("create:", to);
	}
	if ((uint64_t)st.st_size > COPY_MAX_FILE) {
		close(in);
		int rc = ftruncate(out, st.st_size) == 0 ? 0 : copy_error("truncate:", to);
		close(out);
		return rc;
	}
	int rc = 0;
	uint64_t size = 0;
	char b[65536];
	for (;;) {
		ssize_t n = read(in, b, sizeof(b));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = copy_error("read:", from);
			break;
		}
		if (n == 0)
			break;
		size += (uint64_t)n;
		sh->bytes += (uint64_t)n;
		if (size > COPY_MAX_FILE) {
			rc = err_set(ERR_TOOBIG, "'%s': file is larger than %llu MiB", from,
				     (unsigned long long)(COPY_MAX_FILE >> 20));
			break;
		}
		if (sh->bytes > COPY_MAX_BYTES) {
			rc = err_set(ERR_TOOBIG, "'%s': more than %llu MiB of files to build from", sh->src,
				     (unsigned long long)(COPY_MAX_BYTES >> 20));
			break;
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, b + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				rc = copy_error("write:", to);
				break;
			}
			off += w;
		}
		if (rc)
			break;
	}
	close(in);
	if (close(out) != 0 && !rc)
		rc = copy_error("write:", to);
	return rc;
}

static bool inside(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

/* A symlink of D's at from, made at to: pointing at the copy when it resolves inside D, at
 * the resolved original when it resolves elsewhere (the build's load restrictor decides
 * about that file, as it would have), and as it was when it resolves nowhere. */
static int copy_link(struct shadow *sh, const char *from, const char *to)
{
	char real[PATH_MAX];
	char *target;
	if (realpath(from, real)) {
		target = inside(real, sh->src) ? xasprintf("%s%s", sh->top, real) : xstrdup(real);
	} else {
		char t[PATH_MAX];
		ssize_t n = readlink(from, t, sizeof(t) - 1);
		if (n < 0)
			return copy_error("readlink:", from);
		target = xstrndup(t, (size_t)n);
	}
	int rc = symlink(target, to) == 0 ? 0 : copy_error("symlink:", to);
	free(target);
	return rc;
}

static int copy_tree(struct shadow *sh, const char *from, const char *to, int depth)
{
	if (depth > COPY_MAX_DEPTH)
		return err_set(ERR_TOOBIG, "'%s': directories nested too deep", from);
	DIR *d = opendir(from);
	if (!d)
		return copy_error("opendir:", from);
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if ((rc = count_entry(sh)))
			break;
		char *f = xasprintf("%s/%s", from, e->d_name), *t = xasprintf("%s/%s", to, e->d_name);
		struct stat st;
		if (lstat(f, &st) != 0)
			rc = copy_error("lstat:", f);
		else if (S_ISDIR(st.st_mode) && !strcmp(e->d_name, ".git"))
			/* Git's objects are nothing a build reads (Flux's generator ignores .git) */
			rc = symlink(f, t) == 0 ? 0 : copy_error("symlink:", t);
		else if (S_ISDIR(st.st_mode))
			rc = mkdir(t, 0755) == 0 ? copy_tree(sh, f, t, depth + 1) : copy_error("mkdir:", t);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(sh, f, t, st.st_mode);
		else if (S_ISLNK(st.st_mode))
			rc = copy_link(sh, f, t);
		else
			/* A FIFO, socket or device: a link to it, which the build refuses as not
			 * a regular file (never opened here, where it could block) */
			rc = symlink(f, t) == 0 ? 0 : copy_error("symlink:", t);
		free(f);
		free(t);
	}
	closedir(d);
	return rc;
}

/* Mirrors dir (an ancestor of D, resolved) into T + dir: a real directory holding links to
 * each of its entries but next (the component on the way down to D, made by the caller). */
static int mirror_dir(struct shadow *sh, const char *dir, const char *next)
{
	char *at = xasprintf("%s%s", sh->top, strcmp(dir, "/") ? dir : "");
	int rc = 0;
	if (mkdir(at, 0755) != 0 && errno != EEXIST)
		rc = copy_error("mkdir:", at);
	DIR *d = rc ? NULL : opendir(dir);
	struct dirent *e;
	while (d && !rc && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, next))
			continue;
		if ((rc = count_entry(sh)))
			break;
		char *f = xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		char *t = xasprintf("%s/%s", at, e->d_name);
		if (symlink(f, t) != 0)
			rc = copy_error("symlink:", t);
		free(f);
		free(t);
	}
	if (d)
		closedir(d);
	free(at);
	return rc;
}

/* Makes the copy of sh->src (a resolved absolute path) at sh->dir. */
static int shadow_copy(struct shadow *sh)
{
	const char *src = sh->src;
	int rc = 0;
	/* each ancestor: "/", "/a", "/a/b", ... with the next component */
	for (const char *p = src; !rc && (p = strchr(p, '/')) && p[1]; p++) {
		char *dir = p == src ? xstrdup("/") : xstrndup(src, (size_t)(p - src));
		const char *end = strchr(p + 1, '/');
		char *next = end ? xstrndup(p + 1, (size_t)(end - p - 1)) : xstrdup(p + 1);
		rc = mirror_dir(sh, dir, next);
		free(dir);
		free(next);
	}
	if (rc)
		return rc;
	sh->dir = xasprintf("%s%s", sh->top, src);
	if (mkdir(sh->dir, 0755) != 0)
		return copy_error("mkdir:", sh->dir);
	return copy_tree(sh, src, sh->dir, 0);
}

/* The error's message with the copy's prefix taken out, so it names the user's paths. */
static int shadow_error(const struct shadow *sh, int rc)
{
	const char *m = err_msg();
	size_t tl = strlen(sh->top);
	struct buf b = BUF_INIT;
	for (const char *p; (p = strstr(m, sh->top)); m = p + tl)
		buf_add(&b, m, (size_t)(p - m));
	buf_add(&b, m, strlen(m));
	err_set(rc, "%s", b.ptr);
	buf_release(&b);
	return rc;
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
	/* A kustomization file linked from outside --path is refused: the build's copy would
	 * read it, and flux's build replaces it. */
	if ((rc = kustomization_check_paths(root, root)))
		return rc;
	struct shadow sh;
	if ((rc = shadow_start(&sh, root)))
		return rc;
	if ((rc = shadow_copy(&sh)) == 0) {
		struct getter gt = { b->c, b->a, b->ns };
		rc = kustomization_build_budget(b->a, b->ks, "/", sh.dir, get_from_cluster, &gt, false,
						 o->max_mib > 0 ? (size_t)o->max_mib << 20 : 0, &b->objs, &b->n);
	}
	if (rc)
		shadow_error(&sh, rc);
	shadow_end(&sh);
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
