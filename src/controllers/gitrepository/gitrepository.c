/*
 * The GitRepository controller (source.toolkit.fluxcd.io/v1), as Flux's source-controller
 * reconciles it: resolve spec.ref on the remote, fetch into a per-object bare cache (nothing
 * downloaded when the commit is already there), check the tree out, apply the ignore rules,
 * pack a deterministic tarball into storage and record it in status.artifact; the storage
 * is served over HTTP on --storage-addr at the URL written in status.
 *
 * Storage layout under --storage-path (the served root):
 *   gitrepository/<namespace>/<name>/<commit>.tar.gz   artifacts (Flux's paths)
 *   .cache/gitrepository/<namespace>/<name>/           the bare Git cache
 *   .tmp/                                              per-reconcile checkouts
 * The file server refuses paths with a component starting with '.', so only artifacts are
 * served.
 *
 * Failures keep the last artifact in status (and on disk): FetchFailed / StorageOperationFailed
 * and Ready=False carry Flux's reason and message, and the reconcile is retried with backoff.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "controllers/controllers.h"
#include "doc/doc.h"
#include "kube/base64.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "source/artifact.h"
#include "source/git.h"
#include "source/git_archive.h"
#include "source/ignore.h"
#include "source/server.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define KIND "GitRepository"
#define COND_ARTIFACT_IN_STORAGE "ArtifactInStorage"
#define COND_FETCH_FAILED "FetchFailed"
#define COND_STORAGE_FAILED "StorageOperationFailed"
#define COND_ARTIFACT_OUTDATED "ArtifactOutdated"
#define REASON_GIT_FAILED "GitOperationFailed"
#define REASON_AUTH_FAILED "AuthenticationFailed"
#define REASON_URL_INVALID "URLInvalid"
#define REASON_ARCHIVE_FAILED "ArchiveOperationFailed"
#define REASON_DIR_FAILED "DirCreationFailed"
#define REASON_NEW_ARTIFACT "NewArtifact"

/* Artifacts kept per object, the newest first (Flux's --artifact-retention-records). */
#define KEEP_ARTIFACTS 2
/* Caps on what one artifact may hold. */
#define MAX_ARTIFACT_BYTES (512ULL << 20)
#define MAX_ARTIFACT_FILES 200000
#define MAX_SOURCEIGNORE_BYTES (1 << 20)

struct gitrepo_ctl {
	char *root;     /* absolute storage root */
	char *adv_addr; /* host:port written into artifact URLs */
	source_server *server;
};

/* ---- Files ------------------------------------------------------------------------------*/

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return err_set(ERR_INVALID, "path too long: '%s'", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return err_set(ERR_IO, "failed to create directory '%s': %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return err_set(ERR_IO, "failed to create directory '%s': %s", tmp, strerror(errno));
	return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void rm_rf(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Adds the patterns of every .sourceignore file under dir (at any depth, each for its own
 * directory), as Flux's sourceignore.LoadIgnorePatterns does. */
static int load_sourceignore(ignore_rules *ign, const char *root, const char *rel)
{
	char *dirpath = *rel ? xasprintf("%s/%s", root, rel) : xstrdup(root);
	char *file = xasprintf("%s/.sourceignore", dirpath);
	struct buf b = BUF_INIT;
	int rc = 0;
	struct stat st;
	if (lstat(file, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = fs_read_file(file, MAX_SOURCEIGNORE_BYTES, &b);
		if (!rc)
			rc = ignore_add(ign, rel, b.ptr, b.len);
	}
	buf_release(&b);
	free(file);
	if (rc) {
		free(dirpath);
		return rc;
	}
	/* Descend into directories the rules so far do not exclude (an excluded directory's
	 * .sourceignore cannot bring anything back, as in Git). */
	struct dirent **names = NULL;
	int n = scandir(dirpath, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		if (rc == 0 && strcmp(d, ".") && strcmp(d, "..")) {
			char *child = xasprintf("%s/%s", dirpath, d);
			char *crel = *rel ? xasprintf("%s/%s", rel, d) : xstrdup(d);
			if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode) && !ignore_match(ign, crel, 1))
				rc = load_sourceignore(ign, root, crel);
			free(crel);
			free(child);
		}
		free(names[i]);
	}
	free(names);
	free(dirpath);
	return rc;
}

/* Deletes all but the newest KEEP_ARTIFACTS *.tar.gz files of dir, never keep_file. */
static void garbage_collect(const char *dir, const char *keep_file)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	struct entry {
		char *path;
		struct timespec mtime;
	} *files = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*files));
	size_t nf = 0;
	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		size_t len = strlen(d);
		if (len > 7 && !strcmp(d + len - 7, ".tar.gz") && strcmp(d, keep_file)) {
			char *p = xasprintf("%s/%s", dir, d);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISREG(st.st_mode))
				files[nf++] = (struct entry){ p, st.st_mtim };
			else
				free(p);
		}
		free(names[i]);
	}
	free(names);
	/* Newest first; the kept file counts as one of KEEP_ARTIFACTS. */
	for (size_t i = 1; i < nf; i++)
		for (size_t j = i; j > 0; j--) {
			struct timespec x = files[j].mtime, y = files[j - 1].mtime;
			if (x.tv_sec > y.tv_sec || (x.tv_sec == y.tv_sec && x.tv_nsec > y.tv_nsec)) {
				struct entry t = files[j];
				files[j] = files[j - 1];
				files[j - 1] = t;
			}
		}
	for (size_t i = 0; i < nf; i++) {
		if (i >= KEEP_ARTIFACTS - 1)
			unlink(files[i].path);
		free(files[i].path);
	}
	free(files);
}

/* ---- Status -----------------------------------------------------------------------------*/

static void now_rfc3339(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Ready mirrors the failure condition, as Flux's summarize helper does. */
static void mark_failed(struct rt_reconcile *r, const char *cond, const char *reason,
			const char *msg)
{
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	rt_cond_mark_true(a, obj, cond, reason, "%s", msg);
	rt_cond_mark_false(a, obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(r, "Warning", reason, NULL, "%s", msg);
}

static const char *artifact_url(struct rt_reconcile *r, const char *path)
{
	struct gitrepo_ctl *ctl = rt_data(r);
	return arena_sprintf(rt_arena(r), "http://%s/%s", ctl->adv_addr, path);
}

/* ---- Secrets ----------------------------------------------------------------------------*/

struct secret_values {
	struct buf username, password, bearer, identity, known_hosts, ca;
	struct buf proxy_address, proxy_username, proxy_password; /* spec.proxySecretRef */
};

static void secret_release(struct secret_values *s)
{
	struct buf *all[] = { &s->username,	 &s->password,	     &s->bearer,
			      &s->identity,	 &s->known_hosts,    &s->ca,
			      &s->proxy_address, &s->proxy_username, &s->proxy_password };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i]->len)
			memset(all[i]->ptr, 0, all[i]->len);
		buf_release(all[i]);
	}
}

static int secret_key(const struct doc_node *secret, const char *key, struct buf *out)
{
	const struct doc_node *data = doc_map_get(secret, "data");
	const struct doc_node *v = doc_map_get(data, key);
	if (!v || v->kind != DOC_STR)
		return 0;
	if (base64_decode(out, v->u.str.ptr, v->u.str.len))
		return err_set(ERR_INVALID, "invalid base64 in key '%s'", key);
	return 0;
}

static int read_secret(struct rt_reconcile *r, const char *name, struct secret_values *s)
{
	struct doc_node *secret = NULL;
	int rc = rt_get(r, "v1", "Secret", rt_namespace(r), name, &secret);
	if (rc == ERR_NOTFOUND)
		return err_set(ERR_NOTFOUND, "failed to get secret '%s/%s': secrets \"%s\" not found",
			       rt_namespace(r), name, name);
	if (rc)
		return err_set(rc, "failed to get secret '%s/%s': %s", rt_namespace(r), name, err_msg());
	if ((rc = secret_key(secret, "username", &s->username)) ||
	    (rc = secret_key(secret, "password", &s->password)) ||
	    (rc = secret_key(secret, "bearerToken", &s->bearer)) ||
	    (rc = secret_key(secret, "identity", &s->identity)) ||
	    (rc = secret_key(secret, "known_hosts", &s->known_hosts)) ||
	    (rc = secret_key(secret, "ca.crt", &s->ca)) ||
	    (!s->ca.len && (rc = secret_key(secret, "caFile", &s->ca)))) /* Flux's legacy key */
		return err_set(rc, "failed to configure authentication options: secret '%s/%s': %s",
			       rt_namespace(r), name, err_msg());
	return 0;
}

/* spec.proxySecretRef, as Flux's secrets.ProxyURLFromSecret reads it: `address` (an http or
 * https URL; libgit2 has no SOCKS5), optional `username` and `password`. */
static int read_proxy_secret(struct rt_reconcile *r, const char *name, struct secret_values *s)
{
	const char *ns = rt_namespace(r);
	struct doc_node *secret = NULL;
	int rc = rt_get(r, "v1", "Secret", ns, name, &secret);
	if (rc == ERR_NOTFOUND)
		return err_set(ERR_NOTFOUND, "failed to configure proxy options: failed to get secret "
					     "'%s/%s': secrets \"%s\" not found", ns, name, name);
	if (rc)
		return err_set(rc, "failed to configure proxy options: failed to get secret '%s/%s': %s",
			       ns, name, err_msg());
	if (!doc_map_get(doc_map_get(secret, "data"), "address"))
		return err_set(ERR_INVALID, "failed to configure proxy options: secret '%s/%s': key "
					    "'address' not found", ns, name);
	if ((rc = secret_key(secret, "address", &s->proxy_address)) ||
	    (rc = secret_key(secret, "username", &s->proxy_username)) ||
	    (rc = secret_key(secret, "password", &s->proxy_password)))
		return err_set(rc, "failed to configure proxy options: secret '%s/%s': %s", ns, name,
			       err_msg());
	if (!s->proxy_address.len)
		return err_set(ERR_INVALID, "failed to configure proxy options: secret '%s/%s': proxy "
					    "address is empty", ns, name);
	const char *addr = s->proxy_address.ptr;
	if (strncmp(addr, "http://", 7) && strncmp(addr, "https://", 8))
		return err_set(ERR_INVALID, "failed to configure proxy options: secret '%s/%s': proxy "
					    "URL must use one of the supported schemes (http, https), got "
					    "'%.*s'", ns, name, (int)strcspn(addr, ":"), addr);
	return 0;
}

/* ---- Reconcile --------------------------------------------------------------------------*/

static bool url_supported(const char *url)
{
	static const char *const schemes[] = { "http://", "https://", "ssh://", "file://" };
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (!strncmp(url, schemes[i], strlen(schemes[i])))
			return true;
	/* scp-like: user@host:path */
	const char *at = strchr(url, '@'), *colon = strchr(url, ':');
	return at && colon && at < colon && !strstr(url, "://");
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct gitrepo_ctl *ctl = rt_data(r);
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	const char *ns = rt_namespace(r), *name = rt_name(r);
	(void)res;

	const char *url = doc_get_str(obj, "spec.url");
	if (!url || !url_supported(url)) {
		const char *msg = arena_sprintf(a, "failed to parse url '%s': unsupported scheme", url ? url : "");
		mark_failed(r, COND_FETCH_FAILED, REASON_URL_INVALID, msg);
		rt_cond_mark_stalled(a, obj, REASON_URL_INVALID, "%s", msg);
		res->outcome = RT_STALLED;
		return 0;
	}
	rt_cond_delete(obj, RT_COND_STALLED);

	/* Progress, written at once when the object changed since it was last handled, as
	 * Flux's ProgressiveStatus and its mid-reconcile patch. */
	int64_t gen = 0, observed = -1;
	doc_int64(doc_get(obj, "metadata.generation"), &gen);
	doc_int64(doc_get(obj, "status.observedGeneration"), &observed);
	if (gen != observed) {
		if (observed > 0)
			rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
						 "processing object: new generation %lld -> %lld",
						 (long long)observed, (long long)gen);
		else
			rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "reconciliation in progress");
		if (!rt_cond_get(obj, RT_COND_READY, &(struct rt_condition){ 0 }))
			rt_cond_mark_unknown(a, obj, RT_COND_READY, RT_REASON_PROGRESSING,
					     "reconciliation in progress");
		rt_write_status(r);
	}

	/* Credentials. */
	struct secret_values sv = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
				    BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	struct git_auth auth = { 0 };
	const char *secret_name = doc_get_str(obj, "spec.secretRef.name");
	if (secret_name && *secret_name) {
		if (read_secret(r, secret_name, &sv)) {
			secret_release(&sv);
			mark_failed(r, COND_FETCH_FAILED, REASON_AUTH_FAILED, err_msg());
			return -1;
		}
		auth.username = sv.username.len ? sv.username.ptr : NULL;
		auth.password = sv.password.len ? sv.password.ptr : NULL;
		auth.bearer_token = sv.bearer.len ? sv.bearer.ptr : NULL;
		/* SSH: `password` doubles as the identity's passphrase, as in Flux */
		auth.identity = sv.identity.len ? sv.identity.ptr : NULL;
		auth.known_hosts = sv.known_hosts.len ? sv.known_hosts.ptr : NULL;
		auth.ca = sv.ca.len ? sv.ca.ptr : NULL;
		auth.ca_len = sv.ca.len;
	}
	const char *proxy_name = doc_get_str(obj, "spec.proxySecretRef.name");
	if (proxy_name && *proxy_name) {
		if (read_proxy_secret(r, proxy_name, &sv)) {
			secret_release(&sv);
			mark_failed(r, COND_FETCH_FAILED, REASON_AUTH_FAILED, err_msg());
			return -1;
		}
		auth.proxy_url = sv.proxy_address.ptr;
		auth.proxy_username = sv.proxy_username.len ? sv.proxy_username.ptr : NULL;
		auth.proxy_password = sv.proxy_password.len ? sv.proxy_password.ptr : NULL;
	}

	/* Fetch. */
	struct git_ref_spec ref = {
		doc_get_str(obj, "spec.ref.branch"), doc_get_str(obj, "spec.ref.tag"),
		doc_get_str(obj, "spec.ref.semver"), doc_get_str(obj, "spec.ref.name"),
		doc_get_str(obj, "spec.ref.commit"),
	};
	char *cache = xasprintf("%s/.cache/gitrepository/%s/%s", ctl->root, ns, name);
	struct git_fetch_result fr;
	int rc = mkdir_p(cache);
	if (!rc)
		rc = git_source_fetch(url, cache, &ref, &auth, &fr);
	secret_release(&sv);
	if (rc) {
		const char *msg = arena_sprintf(a, "failed to checkout and determine revision: %s", err_msg());
		mark_failed(r, COND_FETCH_FAILED, REASON_GIT_FAILED, msg);
		free(cache);
		err_set(rc, "%s", msg);
		return -1;
	}
	rt_cond_delete(obj, COND_FETCH_FAILED);
	char *revision = artifact_revision(fr.ref, fr.commit);
	const char *rev = arena_strdup(a, revision);
	free(revision);

	/* Up to date: same revision, same ignore rules, and the file still in storage. */
	const char *file = arena_sprintf(a, "%s.tar.gz", fr.commit);
	char *rel = artifact_storage_path(KIND, ns, name, file);
	const char *path = arena_strdup(a, rel);
	free(rel);
	const char *full = arena_sprintf(a, "%s/%s", ctl->root, path);
	const struct doc_node *ignore = doc_get(obj, "spec.ignore");
	const struct doc_node *observed_ignore = doc_get(obj, "status.observedIgnore");
	const char *cur_rev = doc_get_str(obj, "status.artifact.revision");
	struct stat st;
	bool same_ignore = (!ignore && !observed_ignore) ||
			   (ignore && observed_ignore && doc_equal(ignore, observed_ignore));
	if (cur_rev && !strcmp(cur_rev, rev) && same_ignore && stat(full, &st) == 0) {
		doc_set(a, obj, "status.artifact.url", doc_new_str(a, artifact_url(r, path)));
		rt_cond_delete(obj, COND_STORAGE_FAILED);
		rt_cond_delete(obj, COND_ARTIFACT_OUTDATED);
		rt_cond_delete(obj, RT_COND_RECONCILING);
		rt_cond_mark_true(a, obj, COND_ARTIFACT_IN_STORAGE, RT_REASON_SUCCEEDED,
				  "stored artifact for revision '%s'", rev);
		rt_cond_mark_true(a, obj, RT_COND_READY, RT_REASON_SUCCEEDED,
				  "stored artifact for revision '%s'", rev);
		free(cache);
		return 0;
	}
	if (cur_rev) {
		rt_cond_mark_true(a, obj, COND_ARTIFACT_OUTDATED, "NewRevision",
				  "new upstream revision '%s'", rev);
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
					 "building artifact: new upstream revision '%s'", rev);
	} else {
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "building artifact");
	}

	/* Checkout, ignore rules, archive. Without include, sparseCheckout or submodules, which
	 * need a directory to work in, the tarball is packed straight from the Git tree objects
	 * (git_archive.h): the same bytes without writing, reading back and deleting every file
	 * (a 50,000-file repository: see bench/gitrepository.sh). */
	const struct doc_node *subs = doc_get(obj, "spec.recurseSubmodules");
	bool from_tree = !doc_get(obj, "spec.include") && !doc_get(obj, "spec.sparseCheckout") &&
			 !(subs && subs->kind == DOC_BOOL && subs->u.boolean);
	char *tmp_root = xasprintf("%s/.tmp", ctl->root);
	char *dir = xasprintf("%s/checkout-XXXXXX", tmp_root);
	const char *dest_dir = arena_sprintf(a, "%s/%s/%s", ctl->root, "gitrepository", ns);
	dest_dir = arena_sprintf(a, "%s/%s", dest_dir, name);
	ignore_rules *ign = NULL;
	struct artifact_info info;
	char subject[256] = "";
	const char *fail_reason = REASON_ARCHIVE_FAILED, *fail_cond = COND_STORAGE_FAILED;
	const char *fail_msg = NULL;
	bool made_dir = false;
	if (mkdir_p(tmp_root)) {
		fail_reason = REASON_DIR_FAILED;
		fail_msg = arena_sprintf(a, "failed to create temporary working directory: %s", err_msg());
		goto out;
	}
	if (!mkdtemp(dir)) {
		fail_reason = REASON_DIR_FAILED;
		fail_msg = arena_sprintf(a, "failed to create temporary working directory: %s", strerror(errno));
		goto out;
	}
	made_dir = true;
	if (!from_tree && git_source_checkout(cache, fr.commit, dir)) {
		fail_cond = COND_FETCH_FAILED;
		fail_reason = REASON_GIT_FAILED;
		fail_msg = arena_sprintf(a, "failed to checkout and determine revision: %s", err_msg());
		goto out;
	}
	ign = ignore_new();
	ignore_add_defaults(ign);
	if (from_tree ? git_source_load_ignore(cache, fr.commit, ign, MAX_SOURCEIGNORE_BYTES)
		      : load_sourceignore(ign, dir, "")) {
		fail_msg = arena_sprintf(a, "failed to load source ignore patterns from repository: %s", err_msg());
		goto out;
	}
	if (ignore && ignore->kind == DOC_STR && ignore_add(ign, "", ignore->u.str.ptr, ignore->u.str.len)) {
		fail_msg = arena_sprintf(a, "failed to load ignore patterns: %s", err_msg());
		goto out;
	}
	if (mkdir_p(dest_dir)) {
		fail_reason = REASON_DIR_FAILED;
		fail_msg = arena_sprintf(a, "failed to create artifact directory: %s", err_msg());
		goto out;
	}
	struct artifact_limits lim = { MAX_ARTIFACT_BYTES, MAX_ARTIFACT_FILES };
	if (from_tree ? git_source_archive(cache, fr.commit, ign, &lim, full, &info)
		      : artifact_archive(dir, ign, &lim, full, &info)) {
		fail_msg = arena_sprintf(a, "unable to archive artifact to storage: %s", err_msg());
		goto out;
	}
	garbage_collect(dest_dir, file);
	git_source_commit_subject(cache, fr.commit, subject, sizeof(subject));
	err_clear();

out:
	if (ign)
		ignore_free(ign);
	if (made_dir)
		rm_rf(dir);
	free(dir);
	free(tmp_root);
	free(cache);
	if (fail_msg) {
		mark_failed(r, fail_cond, fail_reason, fail_msg);
		err_set(ERR_GENERIC, "%s", fail_msg);
		return -1;
	}

	char when[32], size[32];
	now_rfc3339(when, sizeof(when));
	snprintf(size, sizeof(size), "%llu", (unsigned long long)info.size);
	struct doc_node *art = doc_new_map(a);
	doc_map_set(a, art, "digest", doc_new_str(a, info.digest));
	doc_map_set(a, art, "lastUpdateTime", doc_new_str(a, when));
	doc_map_set(a, art, "path", doc_new_str(a, path));
	doc_map_set(a, art, "revision", doc_new_str(a, rev));
	doc_map_set(a, art, "size", doc_new_int(a, (int64_t)info.size));
	doc_map_set(a, art, "url", doc_new_str(a, artifact_url(r, path)));
	doc_set(a, obj, "status.artifact", art);
	if (ignore)
		doc_set(a, obj, "status.observedIgnore", doc_clone(a, ignore));
	else
		doc_delete(obj, "status.observedIgnore");
	rt_cond_delete(obj, COND_STORAGE_FAILED);
	rt_cond_delete(obj, COND_ARTIFACT_OUTDATED);
	rt_cond_delete(obj, RT_COND_RECONCILING);
	rt_cond_mark_true(a, obj, COND_ARTIFACT_IN_STORAGE, RT_REASON_SUCCEEDED,
			  "stored artifact for revision '%s'", rev);
	rt_cond_mark_true(a, obj, RT_COND_READY, RT_REASON_SUCCEEDED,
			  "stored artifact for revision '%s'", rev);
	const char *const annotations[] = { "source.toolkit.fluxcd.io/revision", rev, NULL };
	rt_eventf(r, "Normal", REASON_NEW_ARTIFACT, annotations, "stored artifact for commit '%s'",
		  subject);
	rt_log(r, LOG_INFO, "stored artifact", "revision", rev, "digest", info.digest, "size", size,
	       NULL);
	return 0;
}

/* Deleting the object removes its artifacts and its Git cache. */
static int finalize(struct rt_reconcile *r)
{
	struct gitrepo_ctl *ctl = rt_data(r);
	char *dir = xasprintf("%s/gitrepository/%s/%s", ctl->root, rt_namespace(r), rt_name(r));
	char *cache = xasprintf("%s/.cache/gitrepository/%s/%s", ctl->root, rt_namespace(r), rt_name(r));
	rm_rf(dir);
	rm_rf(cache);
	free(dir);
	free(cache);
	return 0;
}

/* ---- Setup ------------------------------------------------------------------------------*/

/* Flux's default advertised address: the storage address, with this host's name when the
 * host part is empty (":9090"). */
static char *advertised_addr(const char *storage_addr, const char *adv, int port)
{
	if (adv && *adv)
		return xstrdup(adv);
	const char *colon = strrchr(storage_addr, ':');
	size_t hostlen = colon ? (size_t)(colon - storage_addr) : 0;
	char host[256] = "localhost";
	if (hostlen && hostlen < sizeof(host) && strncmp(storage_addr, "0.0.0.0", hostlen)) {
		memcpy(host, storage_addr, hostlen);
		host[hostlen] = '\0';
	} else if (gethostname(host, sizeof(host)) != 0) {
		snprintf(host, sizeof(host), "localhost");
	}
	return xasprintf("%s:%d", host, port);
}

static int setup(struct rt_manager *m, void **data)
{
	const struct rt_manager_opts *o = rt_manager_opts(m);
	const char *path = o->storage_path && *o->storage_path ? o->storage_path : "/data";
	const char *addr = o->storage_addr && *o->storage_addr ? o->storage_addr : ":9090";
	int rc = mkdir_p(path);
	if (rc)
		return err_set(rc, "storage path: %s", err_msg());
	char real[PATH_MAX];
	if (!realpath(path, real))
		return err_set(ERR_IO, "storage path '%s': %s", path, strerror(errno));
	struct gitrepo_ctl *ctl = xcalloc(1, sizeof(*ctl));
	ctl->root = xstrdup(real);
	if ((rc = source_server_start(ctl->root, addr, &ctl->server))) {
		free(ctl->root);
		free(ctl);
		return rc;
	}
	ctl->adv_addr = advertised_addr(addr, o->storage_adv_addr, source_server_port(ctl->server));
	*data = ctl;
	return 0;
}

static void teardown(void *data)
{
	struct gitrepo_ctl *ctl = data;
	if (!ctl)
		return;
	source_server_stop(ctl->server);
	free(ctl->root);
	free(ctl->adv_addr);
	free(ctl);
}

const struct rt_controller gitrepository_controller = {
	.name = "gitrepository",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.setup = setup,
	.teardown = teardown,
};
