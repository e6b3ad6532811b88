/*
 * One generated artifact (source-watcher internal/builder: Build, dirhash.go), in Flux's
 * layout: the copy operations applied in order into <tmp>/artifacts/<name>, the staged
 * tree hashed as golang.org/x/mod's dirhash.HashDir with source-watcher's Adler-32 hash
 * (the artifact's file name, "<decimal>.tar.gz"), then archived through the shared storage
 * as externalartifact/<namespace>/<name>/<file> with Flux's default exclusions (VCS files,
 * images and archives, CI and CLI configuration: Storage.Archive with SourceIgnoreFilter),
 * under the ExternalArtifact's lock, and its older artifacts collected (retention flags).
 * The revision is "latest@<tarball digest>", or the revision of the source the output's
 * `revision` names; `originRevision` puts the source's origin revision (its revision when
 * it has none) in the artifact's metadata.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "controllers/artifactgenerator/ag.h"
#include "source/artifact.h"
#include "source/ignore.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct hash_walk {
	const char *dir;
	char **names;
	size_t n, cap;
	uint64_t bytes;
};

static int hash_visit(void *ud, const char *path, enum ag_entry type)
{
	struct hash_walk *h = ud;
	if (type == AG_ENTRY_DIR)
		return 0;
	if (strchr(path, '\n'))
		return err_set(ERR_INVALID, "filenames with newlines are not supported");
	h->names = xgrow(h->names, &h->cap, h->n + 1, sizeof(*h->names));
	h->names[h->n++] = xstrdup(path);
	return 0;
}

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Adler-32 of the file at path. */
static int adler_file(const char *path, uLong *out, uint64_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(ERR_IO, "open %s: cannot read", path);
	uLong a = adler32(0L, Z_NULL, 0);
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		a = adler32(a, buf, (uInt)n);
		*size += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return err_set(ERR_IO, "read %s: i/o error", path);
	*out = a;
	return 0;
}

int ag_dirhash(const char *dir, const char *prefix, char out[16], size_t *files, uint64_t *bytes)
{
	struct hash_walk h = { dir, NULL, 0, 0, 0 };
	int rc = ag_walk(dir, ".", hash_visit, &h);
	struct buf lines = BUF_INIT;
	/* names sorted with their prefix, as the hash sees them */
	char **full = h.n ? xcalloc(h.n, sizeof(*full)) : NULL;
	for (size_t i = 0; i < h.n; i++)
		full[i] = xasprintf("%s/%s", prefix, h.names[i]);
	if (!rc && h.n)
		qsort(full, h.n, sizeof(*full), cmp_names);
	size_t plen = strlen(prefix) + 1;
	for (size_t i = 0; !rc && i < h.n; i++) {
		char *path = xasprintf("%s/%s", dir, full[i] + plen);
		uLong sum;
		rc = adler_file(path, &sum, &h.bytes);
		free(path);
		if (!rc)
			buf_addf(&lines, "%lx  %s\n", (unsigned long)sum, full[i]);
	}
	if (!rc) {
		uLong total = adler32(0L, Z_NULL, 0);
		total = adler32(total, (const Bytef *)(lines.ptr ? lines.ptr : ""), (uInt)lines.len);
		snprintf(out, 16, "%lu", (unsigned long)total);
		*files = h.n;
		*bytes = h.bytes;
	}
	for (size_t i = 0; i < h.n; i++) {
		free(h.names[i]);
		free(full[i]);
	}
	free(h.names);
	free(full);
	buf_release(&lines);
	return rc;
}

static int stage(struct ag *g, const struct ag_output *o, const char *dir, char hash[16])
{
	struct ag_stage st = { g->a, dir, 0, 0, AG_MAX_BYTES, AG_MAX_FILES };
	int rc = fs_mkdir_p(dir);
	if (rc)
		return err_set(rc, "failed to create staging dir: %s", err_msg());
	for (size_t i = 0; i < o->ncopy; i++)
		if ((rc = ag_copy_apply(&st, &o->copy[i], g->spec.sources, g->spec.nsources)))
			return err_set(rc, "failed to apply copy operations: %s", err_msg());
	size_t files;
	uint64_t bytes;
	if ((rc = ag_dirhash(dir, o->name, hash, &files, &bytes)))
		return err_set(rc, "failed to hash staging dir: %s", err_msg());
	if (files > AG_MAX_FILES)
		return err_set(ERR_TOOBIG, "artifact exceeds the limit of %d files", AG_MAX_FILES);
	if (bytes > AG_MAX_BYTES)
		return err_set(ERR_TOOBIG, "artifact exceeds the limit of %llu bytes", (unsigned long long)AG_MAX_BYTES);
	return 0;
}

/* setArtifactRevisions */
static void revisions(struct ag *g, const struct ag_output *o, struct ag_built *b)
{
	if (*o->revision) {
		const struct ag_source *s = ag_source_find(g, o->revision + (o->revision[0] == '@'));
		if (s)
			b->revision = s->revision;
	}
	if (*o->origin_revision) {
		const struct ag_source *s = ag_source_find(g, o->origin_revision + (o->origin_revision[0] == '@'));
		if (s)
			b->origin = *s->origin_revision ? s->origin_revision : s->revision;
	}
}

int ag_build(struct ag *g, const struct ag_output *o, struct ag_built *out)
{
	struct arena *a = g->a;
	memset(out, 0, sizeof(*out));
	const char *dir = arena_sprintf(a, "%s/artifacts/%s", g->tmp, o->name);
	char hash[16];
	int rc = stage(g, o, dir, hash);
	if (rc)
		return rc;
	struct storage *s = g->ctl->st;
	const struct storage_object sobj = { EA_KIND, g->ns, o->name };
	out->file = arena_sprintf(a, "%s.tar.gz", hash);
	char *rel = storage_artifact_path(&sobj, out->file);
	out->path = arena_strdup(a, rel);
	free(rel);
	if ((rc = storage_mkdir(s, &sobj)))
		return err_set(rc, "failed to create artifact directory: %s", err_msg());
	struct storage_lock *lock = NULL;
	if ((rc = storage_lock(s, &sobj, false, &lock)))
		return err_set(rc, "failed to acquire artifact lock: %s", err_msg());
	struct ignore_rules *ign = ignore_new();
	ignore_add_defaults(ign);
	struct artifact_limits lim = { AG_MAX_BYTES, AG_MAX_FILES };
	struct artifact_info info;
	char *full = storage_local_path(s, out->path);
	rc = artifact_archive(dir, ign, &lim, full, &info);
	free(full);
	ignore_free(ign);
	if (!rc) {
		storage_gc(s, &sobj, out->file, NULL);
		err_clear();
	} else {
		rc = err_set(rc, "failed to create artifact: %s", err_msg());
	}
	storage_unlock(lock);
	if (rc)
		return rc;
	char when[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
	out->digest = arena_strdup(a, info.digest);
	out->size = info.size;
	out->revision = arena_sprintf(a, "latest@%s", info.digest);
	out->url = ctl_storage_url(g->ctl->svc, a, out->path);
	out->updated = arena_strdup(a, when);
	revisions(g, o, out);
	return 0;
}
