/*
 * The copy operations into an artifact's staging directory, with source-watcher's cp-like
 * semantics (internal/builder/builder.go applyCopyOperation and what it calls):
 *
 *  - a `from` without glob characters names one file or directory: a file lands at `to`,
 *    or below it when `to` ends with '/' or is a directory already; a directory is copied
 *    as a subdirectory of `to` ("@src/dir/" makes <to>/dir/), "@src/" copies the root;
 *  - a glob selects with io/fs.Glob (doublestar.Glob for Extract), "dir/\*\*" dropping the
 *    "dir/" prefix of what it matched, other globs keeping the matched path; nothing
 *    matched, or everything excluded, is an error;
 *  - `exclude` drops files and whole directories (relative to the source root or to the
 *    glob's literal prefix); Merge merges YAML into a file copied earlier; Extract unpacks
 *    .tar.gz/.tgz files (a glob skips other files).
 *
 * Confinement: the source path and every destination are cleaned as Go's filepath.Join
 * cleans them and refused (ERR_ESCAPE) when they would leave the source's or the artifact's
 * root, before anything is read or written; files are created without following symlinks
 * (there are none: see fsglob.c). Caps: AG_MAX_FILES files and AG_MAX_BYTES bytes written
 * into one artifact (overwrites included), so a rule copying a source many times over is
 * stopped with ERR_TOOBIG.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controllers/artifactgenerator/ag.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/untar.h"
#include "util/xalloc.h"
#include "util/banned.h"

/* One operation being applied. */
struct op_run {
	struct ag_stage *st;
	const struct ag_copy *op;
	const char *src;      /* the source's directory, absolute */
	const char *alias;
};

static const char *full(struct ag_stage *st, const char *root, const char *rel)
{
	return strcmp(rel, ".") && *rel ? arena_sprintf(st->a, "%s/%s", root, rel) : root;
}

/* A destination relative to the artifact root, confined. */
static int dest_check(const char *dest)
{
	if (ag_path_escapes(dest))
		return err_set(ERR_ESCAPE, "destination '%s' escapes from the artifact root", dest);
	return 0;
}

/* createDirRecursive: dest and its parents; an existing entry is accepted (a file there
 * makes the copy below it fail). */
static int mkdirs(struct ag_stage *st, const char *dest)
{
	if (!strcmp(dest, ".") || !*dest)
		return 0;
	const char *p = full(st, st->dir, dest);
	if (mkdir(p, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return err_set(ERR_IO, "mkdir %s: %s", dest, strerror(errno));
	const char *slash = strrchr(dest, '/');
	if (slash) {
		int rc = mkdirs(st, arena_strndup(st->a, dest, (size_t)(slash - dest)));
		if (rc)
			return rc;
	}
	if (mkdir(p, 0755) == 0 || errno == EEXIST)
		return 0;
	return err_set(ERR_IO, "mkdir %s: %s", dest, strerror(errno));
}

static int count(struct ag_stage *st, uint64_t bytes)
{
	st->files++;
	st->bytes += bytes;
	if (st->files > st->max_files)
		return err_set(ERR_TOOBIG, "artifact exceeds the limit of %zu files", st->max_files);
	if (st->bytes > st->max_bytes)
		return err_set(ERR_TOOBIG, "artifact exceeds the limit of %llu bytes",
			       (unsigned long long)st->max_bytes);
	return 0;
}

/* copyRegularFileWithRoots: src (relative to r->src) to dest, with its mode. */
static int copy_file(struct op_run *r, const char *src, const char *dest)
{
	struct ag_stage *st = r->st;
	int rc;
	if ((rc = dest_check(dest)))
		return rc;
	const char *slash = strrchr(dest, '/');
	if (slash && (rc = mkdirs(st, arena_strndup(st->a, dest, (size_t)(slash - dest)))))
		return rc;
	int in = open(full(st, r->src, src), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return err_set(ERR_IO, "open %s: %s", src, strerror(errno));
	struct stat sst;
	if (fstat(in, &sst) != 0 || !S_ISREG(sst.st_mode)) {
		close(in);
		return err_set(ERR_IO, "open %s: not a regular file", src);
	}
	if ((rc = count(st, (uint64_t)sst.st_size))) {
		close(in);
		return rc;
	}
	int out = open(full(st, st->dir, dest), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (out < 0) {
		int e = errno;
		close(in);
		return err_set(ERR_IO, "open %s: %s", dest, strerror(e));
	}
	char buf[65536];
	ssize_t n;
	uint64_t left = (uint64_t)sst.st_size;
	while (!rc && left > 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = err_set(ERR_IO, "read %s: %s", src, strerror(errno));
			break;
		}
		if ((uint64_t)n > left)
			n = (ssize_t)left; /* grown since fstat: what was counted */
		for (ssize_t off = 0; off < n && !rc;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));
			if (w < 0 && errno != EINTR)
				rc = err_set(ERR_IO, "write %s: %s", dest, strerror(errno));
			else if (w > 0)
				off += w;
		}
		left -= (uint64_t)n;
	}
	if (!rc && fchmod(out, sst.st_mode & 07777) != 0)
		rc = err_set(ERR_IO, "chmod %s: %s", dest, strerror(errno));
	close(in);
	if (close(out) != 0 && !rc)
		rc = err_set(ERR_IO, "close %s: %s", dest, strerror(errno));
	return rc;
}

/* copyDirWithRoots: the tree at src below dest, excluded files and directories left out. */
struct dir_copy {
	struct op_run *r;
	const char *src, *dest, *exclude_base;
};

static int dir_visit(void *ud, const char *path, enum ag_entry type)
{
	struct dir_copy *dc = ud;
	struct op_run *r = dc->r;
	struct arena *a = r->st->a;
	if (!strcmp(path, dc->src))
		return mkdirs(r->st, dc->dest);
	bool ex;
	int rc = ag_excluded(a, path, dc->exclude_base, r->op->exclude, r->op->nexclude, &ex);
	if (rc)
		return rc;
	if (ex)
		return type == AG_ENTRY_DIR ? AG_WALK_SKIP : 0;
	const char *rel = strcmp(dc->src, ".") ? path + strlen(dc->src) + 1 : path;
	const char *dest = ag_path_join(a, dc->dest, rel);
	if ((rc = dest_check(dest)))
		return rc;
	if (type == AG_ENTRY_DIR)
		return mkdirs(r->st, dest);
	if (type == AG_ENTRY_FILE)
		return copy_file(r, path, dest);
	return 0; /* Go's os.Root would follow a symlink inside the root; unpacked sources have none */
}

/* copyFileWithRoots: a directory recursively, a file merged (Merge onto an existing file)
 * or copied. */
static int copy_entry(struct op_run *r, const char *src, const char *dest, const char *exclude_base)
{
	int rc;
	if ((rc = dest_check(dest)))
		return rc;
	int t = ag_entry_type(r->src, src);
	if (t < 0)
		return err_set(ERR_NOTFOUND, "stat %s: no such file or directory", src);
	if (t == AG_ENTRY_DIR) {
		struct dir_copy dc = { r, src, dest, exclude_base };
		return ag_walk(r->src, src, dir_visit, &dc);
	}
	if (t != AG_ENTRY_FILE)
		return err_set(ERR_INVALID, "'%s' is not a regular file", src);
	if (r->op->strategy == AG_MERGE && ag_entry_type(r->st->dir, dest) >= 0) {
		struct ag_stage *st = r->st;
		return ag_merge_yaml(st->a, full(st, r->src, src), full(st, st->dir, dest),
				     st->max_bytes - (st->bytes < st->max_bytes ? st->bytes : st->max_bytes));
	}
	return copy_file(r, src, dest);
}

/* The regular files of the stage and their bytes. */
struct usage {
	const char *dir;
	size_t files;
	uint64_t bytes;
};

static int usage_visit(void *ud, const char *path, enum ag_entry type)
{
	struct usage *u = ud;
	struct stat sst;
	if (type != AG_ENTRY_FILE)
		return 0;
	char *p = xasprintf("%s/%s", u->dir, path);
	if (lstat(p, &sst) == 0) {
		u->files++;
		u->bytes += (uint64_t)sst.st_size;
	}
	free(p);
	return 0;
}

static int usage_of(struct ag_stage *st, struct usage *u)
{
	*u = (struct usage){ st->dir, 0, 0 };
	return ag_walk(st->dir, ".", usage_visit, u);
}

/* extractTarball: the archive at src unpacked below dest, what it added counted. */
static int extract(struct op_run *r, const char *src, const char *dest)
{
	struct ag_stage *st = r->st;
	struct usage before, after;
	int rc;
	const char *d = ag_path_clean(st->a, *dest ? dest : ".");
	if ((rc = dest_check(d)) || (rc = mkdirs(st, d)) || (rc = usage_of(st, &before)))
		return rc;
	uint64_t left = st->max_bytes > st->bytes ? st->max_bytes - st->bytes : 0;
	size_t files_left = st->max_files > st->files ? st->max_files - st->files : 0;
	struct untar_limits lim = { left ? (size_t)left : 1, files_left ? files_left : 1 };
	rc = untar_file_to_dir(full(st, r->src, src), full(st, st->dir, d), &lim);
	if (rc)
		return err_set(rc, "failed to extract tarball \"%s\" to \"%s\": %s", src, d, err_msg());
	if ((rc = usage_of(st, &after)))
		return rc;
	st->files += after.files > before.files ? after.files - before.files : 0;
	return count(st, after.bytes > before.bytes ? after.bytes - before.bytes : 0);
}

/* applySingleFileCopy */
static int single_file(struct op_run *r, const char *src, const char *dest, bool slash)
{
	struct arena *a = r->st->a;
	bool ex;
	int rc = ag_excluded(a, src, ".", r->op->exclude, r->op->nexclude, &ex);
	if (rc || ex)
		return rc;
	if (r->op->strategy == AG_EXTRACT) {
		if (!ag_is_tarball(src))
			return err_set(ERR_INVALID, "extract strategy requires tarball file (.tar.gz or .tgz), got '%s'", src);
		return extract(r, src, dest);
	}
	const char *final;
	const char *d = *dest ? ag_path_clean(a, dest) : "";
	if (slash || (*d && ag_entry_type(r->st->dir, d) == AG_ENTRY_DIR && !ag_path_escapes(d)))
		final = ag_path_join(a, dest, ag_path_base(a, src));
	else
		final = d;
	return copy_entry(r, src, final, ".");
}

/* applySingleSourceCopy: a path without glob characters, a file or a directory. */
static int single_source(struct op_run *r, const char *pattern, const char *dest, bool slash)
{
	struct arena *a = r->st->a;
	const char *src = ag_path_clean(a, pattern);
	if (ag_path_escapes(src))
		return err_set(ERR_ESCAPE, "failed to stat source '%s': path escapes from the source root", src);
	int t = ag_entry_type(r->src, src);
	if (t < 0)
		return err_set(ERR_NOTFOUND, "source '%s' does not exist", src);
	if (t == AG_ENTRY_DIR) {
		if (r->op->strategy == AG_EXTRACT)
			return err_set(ERR_INVALID, "extract strategy is not supported for directories, got '%s'", src);
		return copy_entry(r, src, ag_path_join(a, dest, ag_path_base(a, src)), src);
	}
	return single_file(r, src, dest, slash);
}

static int apply(struct op_run *r, const char *pattern, const char *dest)
{
	struct arena *a = r->st->a;
	const struct ag_copy *op = r->op;
	int rc;
	if ((rc = ag_excludes_check(op->exclude, op->nexclude)))
		return rc;
	size_t tl = strlen(op->to);
	bool slash = tl > 0 && op->to[tl - 1] == '/';
	if (!ag_has_glob(pattern))
		return single_source(r, pattern, dest, slash);
	const char **matches;
	size_t n;
	rc = op->strategy == AG_EXTRACT ? ag_ds_glob(a, r->src, pattern, &matches, &n)
					: ag_fs_glob(a, r->src, pattern, &matches, &n);
	if (rc == ERR_INVALID)
		return err_set(rc, "invalid glob pattern '%s': %s", pattern, err_msg());
	if (rc)
		return rc;
	if (n == 0)
		return err_set(ERR_NOTFOUND, "no files match pattern '%s' in source '%s'", pattern, r->alias);
	const char *base = ag_selection_root(a, pattern);
	size_t kept = 0;
	for (size_t i = 0; i < n; i++) {
		bool ex = false;
		if (!strcmp(matches[i], ".") || !strcmp(matches[i], ".."))
			continue;
		if ((rc = ag_excluded(a, matches[i], base, op->exclude, op->nexclude, &ex)))
			return rc;
		if (!ex)
			matches[kept++] = matches[i];
	}
	if (kept == 0)
		return err_set(ERR_NOTFOUND, "all files matching pattern '%s' in source '%s' were excluded", pattern,
			       r->alias);
	for (size_t i = 0; i < kept; i++) {
		const char *m = matches[i];
		if (op->strategy == AG_EXTRACT) {
			if (!ag_is_tarball(m) || ag_entry_type(r->src, m) != AG_ENTRY_FILE)
				continue;
			if ((rc = extract(r, m, dest)))
				return err_set(rc, "failed to extract tarball '%s' to '%s': %s", m, dest, err_msg());
			continue;
		}
		const char *to = ag_glob_destination(a, pattern, m, dest);
		if ((rc = copy_entry(r, m, to, base)))
			return err_set(rc, "failed to copy file '%s' to '%s': %s", m, to, err_msg());
	}
	return 0;
}

int ag_copy_apply(struct ag_stage *st, const struct ag_copy *op, const struct ag_source *sources,
		  size_t nsources)
{
	const char *alias, *pattern, *dest;
	struct op_run r = { st, op, NULL, NULL };
	int rc = 0;
	if (ag_parse_from(st->a, op->from, &alias, &pattern))
		rc = err_set(ERR_INVALID, "invalid copy source '%s': %s", op->from, err_msg());
	else if (ag_parse_to(op->to, &dest))
		rc = err_set(ERR_INVALID, "invalid copy destination '%s': %s", op->to, err_msg());
	for (size_t i = 0; !rc && i < nsources && !r.src; i++)
		if (!strcmp(sources[i].alias, alias) && sources[i].dir) {
			r.src = sources[i].dir;
			r.alias = alias;
		}
	if (!rc && !r.src)
		rc = err_set(ERR_NOTFOUND, "source alias '%s' not found", alias);
	if (!rc)
		rc = apply(&r, pattern, dest);
	if (rc)
		return err_set(rc, "failed to apply copy operation from '%s' to '%s': %s", op->from, op->to, err_msg());
	return 0;
}
