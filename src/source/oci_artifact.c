/*
 * Flux artifacts in a registry (oci_artifact.h): pulling one into a directory, tagging and
 * listing, over the client's operations in oci_registry.c. This file owns the choices
 * fluxcd/pkg oci makes around those requests (the first layer, the reverse tag order, the
 * cosign tags, the filters) and the confined move of an unpacked layer into a directory
 * that already has files of its own.
 */
#include "source/oci_artifact.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/regex.h"
#include "util/semver.h"
#include "util/untar.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define GIB ((uint64_t)1 << 30)
#define MERGE_DEPTH_MAX 512

static const char *ann(const struct oci_manifest *m, const char *key)
{
	const char *v = oci_kv_get(m->annotations, m->nannotations, key);
	return v ? v : "";
}

static void fill_meta(struct oci_artifact_meta *out, const struct oci_manifest *m,
		      const char *digest)
{
	snprintf(out->digest, sizeof(out->digest), "%s", digest);
	out->created = ann(m, OCI_ANN_CREATED);
	out->source = ann(m, OCI_ANN_SOURCE);
	out->revision = ann(m, OCI_ANN_REVISION);
	out->annotations = m->annotations;
	out->nannotations = m->nannotations;
}

/* ---- Moving an unpacked tree into dest ------------------------------------------------------*/

static const char *type_name(mode_t m)
{
	return S_ISLNK(m) ? "a symlink" : S_ISDIR(m) ? "a directory" : S_ISREG(m) ? "a file"
										  : "a special file";
}

/* Moves every entry of the directory sfd into the directory dfd (see oci_artifact.h). rel is
 * the path of both below their roots, for messages; skip is a name of dfd's to leave alone
 * (the staging directory, at the top). */
static int merge(int sfd, int dfd, struct buf *rel, const char *skip, int depth)
{
	if (depth > MERGE_DEPTH_MAX)
		return err_set(ERR_TOOBIG, "'%s': directories nested more than %d deep", rel->ptr,
			       MERGE_DEPTH_MAX);
	int fd = dup(sfd);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return err_set(ERR_IO, "reading the unpacked layer: %s", strerror(errno));
	}
	int rc = 0;
	size_t base = rel->len;
	struct dirent *e;
	while (!rc && (errno = 0, e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, ".."))
			continue;
		rel->len = base;
		rel->ptr[base] = '\0';
		buf_addf(rel, "%s%s", base ? "/" : "", name);
		struct stat ss, ds;
		if (fstatat(sfd, name, &ss, AT_SYMLINK_NOFOLLOW)) {
			rc = err_set(ERR_IO, "'%s': %s", rel->ptr, strerror(errno));
			break;
		}
		if (skip && !strcmp(name, skip)) {
			rc = err_set(ERR_CONFLICT, "'%s': the artifact has an entry of the name tide unpacks into",
				     rel->ptr);
			break;
		}
		if (fstatat(dfd, name, &ds, AT_SYMLINK_NOFOLLOW)) {
			if (errno != ENOENT)
				rc = err_set(ERR_IO, "'%s': %s", rel->ptr, strerror(errno));
			else if (renameat(sfd, name, dfd, name))
				rc = err_set(ERR_IO, "moving '%s' into place: %s", rel->ptr, strerror(errno));
			continue;
		}
		if (S_ISREG(ss.st_mode) && S_ISREG(ds.st_mode)) {
			if (renameat(sfd, name, dfd, name))
				rc = err_set(ERR_IO, "replacing '%s': %s", rel->ptr, strerror(errno));
			continue;
		}
		if (!S_ISDIR(ss.st_mode) || !S_ISDIR(ds.st_mode)) {
			rc = err_set(ERR_CONFLICT, "'%s' is %s in the output directory and %s in the artifact: not replaced",
				     rel->ptr, type_name(ds.st_mode), type_name(ss.st_mode));
			break;
		}
		int s2 = openat(sfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int d2 = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (s2 < 0 || d2 < 0)
			rc = err_set(errno == ELOOP || errno == ENOTDIR ? ERR_CONFLICT : ERR_IO, "'%s': %s",
				     rel->ptr, strerror(errno));
		else
			rc = merge(s2, d2, rel, NULL, depth + 1);
		if (s2 >= 0)
			close(s2);
		if (d2 >= 0)
			close(d2);
	}
	if (!rc && errno)
		rc = err_set(ERR_IO, "reading the unpacked layer: %s", strerror(errno));
	closedir(d);
	rel->len = base;
	rel->ptr[base] = '\0';
	return rc;
}

/* Unpacks the gzip tarball at layer into stage/tree, then moves it into dest. */
static int unpack(const char *layer, const char *stage, const char *dest, const char *skip,
		  const struct oci_pull_limits *lim, const struct oci_descriptor *desc)
{
	int fd = open(layer, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(ERR_IO, "'%s': %s", layer, strerror(errno));
	struct stat st;
	int rc = fstat(fd, &st) ? err_set(ERR_IO, "'%s': %s", layer, strerror(errno)) : 0;
	void *map = MAP_FAILED;
	if (!rc && st.st_size >= 2)
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (!rc && st.st_size >= 2 && map == MAP_FAILED)
		rc = err_set(ERR_IO, "'%s': %s", layer, strerror(errno));
	const unsigned char *p = map == MAP_FAILED ? NULL : map;
	if (!rc && (!p || p[0] != 0x1f || p[1] != 0x8b))
		rc = err_set(ERR_INVALID, "layer %s (%s) is not a gzip tarball: not extracted",
			     desc->digest, desc->media_type);
	char tree[4200];
	snprintf(tree, sizeof(tree), "%s/tree", stage);
	if (!rc && mkdir(tree, 0755))
		rc = err_set(ERR_IO, "'%s': %s", tree, strerror(errno));
	if (!rc) {
		struct untar_limits ul = {
			.max_bytes = lim && lim->max_bytes ? lim->max_bytes : (size_t)GIB,
			.max_entries = lim && lim->max_files ? lim->max_files : 100000,
		};
		rc = untar_to_dir(p, (size_t)st.st_size, tree, &ul);
	}
	if (p)
		munmap(map, (size_t)st.st_size);
	if (rc)
		return rc;
	int sfd = open(tree, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int dfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0 || dfd < 0)
		rc = err_set(ERR_IO, "'%s': %s", sfd < 0 ? tree : dest, strerror(errno));
	struct buf rel = BUF_INIT;
	if (!rc)
		rc = merge(sfd, dfd, &rel, skip, 0);
	buf_release(&rel);
	if (sfd >= 0)
		close(sfd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int oci_artifact_pull(struct oci_client *c, const char *repo, const char *ref, const char *dest,
		      const struct oci_pull_limits *lim, struct arena *a,
		      struct oci_artifact_meta *out)
{
	memset(out, 0, sizeof(*out));
	struct stat st;
	if (stat(dest, &st))
		return err_set(errno == ENOENT ? ERR_NOTFOUND : ERR_IO, "invalid output path \"%s\": %s",
			       dest, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return err_set(ERR_INVALID, "invalid output path \"%s\": not a directory", dest);
	struct oci_resolved res;
	int rc = oci_resolve(c, repo, ref, NULL, a, &res);
	if (rc)
		return rc;
	fill_meta(out, res.manifest, res.digest);
	out->tag = arena_strdup(a, ref);
	if (res.manifest->nlayers < 1)
		return err_set(ERR_NOTFOUND, "no layers found in artifact");
	const struct oci_descriptor *layer = &res.manifest->layers[0];

	char stage[4096];
	int n = snprintf(stage, sizeof(stage), "%s/.tide-pull-XXXXXX", dest);
	if (n < 0 || (size_t)n >= sizeof(stage) - 100)
		return err_set(ERR_TOOBIG, "output path too long");
	if (!mkdtemp(stage))
		return err_set(ERR_IO, "'%s': %s", dest, strerror(errno));
	char path[4200];
	snprintf(path, sizeof(path), "%s/layer", stage);
	rc = oci_blob_get(c, repo, layer->digest, layer->size, lim ? lim->max_layer : 0, path);
	if (!rc)
		rc = unpack(path, stage, dest, strrchr(stage, '/') + 1, lim, layer);
	fs_rm_rf(stage);
	return rc;
}

/* ---- Tag ------------------------------------------------------------------------------------*/

int oci_artifact_tag(struct oci_client *c, const char *repo, const char *ref, const char *tag,
		     char digest_out[OCI_DIGEST_MAX + 1])
{
	if (digest_out)
		digest_out[0] = '\0';
	if (!tag || !oci_tag_valid(tag))
		return err_set(ERR_INVALID, "invalid tag '%.200s'", tag ? tag : "");
	struct buf body = BUF_INIT;
	struct oci_manifest_info info;
	int rc = oci_manifest_get(c, repo, ref, &body, &info);
	struct arena *a = arena_new();
	struct oci_manifest *m = NULL;
	if (!rc)
		rc = oci_manifest_parse(a, body.ptr, body.len, info.media_type, NULL, &m);
	char got[OCI_DIGEST_MAX + 1];
	if (!rc)
		rc = oci_manifest_put(c, repo, tag, m->media_type, body.ptr, body.len, got);
	if (!rc && strcmp(got, info.digest) != 0)
		rc = err_set(ERR_INVALID, "the registry stored %s as %s, not %s", tag, got, info.digest);
	if (!rc && digest_out)
		memcpy(digest_out, got, OCI_DIGEST_MAX + 1);
	arena_free(a);
	buf_release(&body);
	return rc;
}

/* ---- List -----------------------------------------------------------------------------------*/

static int reverse_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)y, *(const char *const *)x);
}

/* fluxcd/pkg oci's IsCosignArtifact. */
static bool cosign_tag(const char *t)
{
	static const char *const suffixes[] = { ".att", ".sbom", ".sig" };
	size_t n = strlen(t);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);
		if (n >= k && !strcmp(t + n - k, suffixes[i]))
			return true;
	}
	return false;
}

/* fluxcd/pkg version.ParseVersion: three dot-separated parts, then Masterminds' lax parse. */
static bool tag_version(const char *t, struct semver *v)
{
	const char *d1 = strchr(t, '.');
	if (!d1 || !strchr(d1 + 1, '.'))
		return false;
	return semver_parse(t, v) == 0;
}

int oci_artifact_list(struct oci_client *c, const char *repo, const struct oci_list_opts *o,
		      struct arena *a, struct oci_artifact_meta **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct oci_list_opts none = { 0 };
	if (!o)
		o = &none;
	const char **tags = NULL;
	size_t ntags = 0;
	int rc = oci_tags_list(c, repo, a, &tags, &ntags);
	if (rc)
		return err_wrap(rc, "listing tags failed");
	if (ntags)
		qsort(tags, ntags, sizeof(*tags), reverse_cmp);
	struct semver_constraint *sc = NULL;
	struct regex *re = NULL;
	if (o->semver && *o->semver && semver_constraint_parse(o->semver, &sc))
		return err_set(ERR_INVALID, "semver '%s' parse error: %s", o->semver, err_msg());
	if (o->regex && *o->regex && (rc = regex_compile(&re, o->regex, 0))) {
		semver_constraint_free(sc);
		return err_set(rc, "regex '%s' parse error: %s", o->regex, err_msg());
	}
	struct oci_artifact_meta *list = NULL;
	size_t len = 0, cap = 0;
	struct buf body = BUF_INIT;
	for (size_t i = 0; i < ntags && !rc; i++) {
		const char *t = tags[i];
		if (!o->include_cosign && cosign_tag(t))
			continue;
		struct semver v;
		if (sc && (!tag_version(t, &v) || !semver_constraint_check(sc, &v)))
			continue;
		bool matched = true;
		if (re && (rc = regex_match(re, t, strlen(t), &matched)))
			break;
		if (!matched)
			continue;
		struct oci_manifest_info info;
		rc = oci_manifest_get(c, repo, t, &body, &info);
		if (rc) {
			rc = err_wrap(rc, "fetching manifest failed");
			break;
		}
		struct oci_manifest *m = NULL;
		rc = oci_manifest_parse(a, body.ptr, body.len, info.media_type, NULL, &m);
		if (rc) {
			rc = err_wrap(rc, "parsing manifest failed");
			break;
		}
		list = arena_grow(a, list, &cap, len + 1, sizeof(*list));
		struct oci_artifact_meta *e = &list[len++];
		memset(e, 0, sizeof(*e));
		fill_meta(e, m, info.digest);
		e->tag = t;
	}
	buf_release(&body);
	regex_free(re);
	semver_constraint_free(sc);
	if (rc)
		return rc;
	*out = list;
	*n = len;
	return 0;
}
