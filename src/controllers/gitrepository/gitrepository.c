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
#include "controllers/gitrepository/verify.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "util/base64.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/duration.h"
#include "source/artifact.h"
#include "source/deadline.h"
#include "source/fetch.h"
#include "source/git.h"
#include "source/git_archive.h"
#include "source/ignore.h"
#include "source/storage.h"
#include "runtime/http.h"
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
#define COND_INCLUDE_UNAVAILABLE "IncludeUnavailable"
#define API_VERSION "source.toolkit.fluxcd.io/v1"

/* Caps on what one artifact may hold. */
#define MAX_ARTIFACT_BYTES (512ULL << 20)
#define MAX_ARTIFACT_FILES 200000
#define MAX_SOURCEIGNORE_BYTES (1 << 20)

struct gitrepo_ctl {
	struct storage *st;
	const char *root; /* storage_root(st) */
	char *adv_addr;   /* host:port written into artifact URLs */
	struct rt_http *server;
};

/* ---- Files ------------------------------------------------------------------------------*/

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

/* ---- Status -----------------------------------------------------------------------------*/

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

/* ---- Includes ---------------------------------------------------------------------------*/

/* Flux's fetchIncludes: the artifact of every spec.include[i] repository, in order, into
 * *out (a sequence of artifact maps). An included repository missing or without an artifact
 * is not an error but a wait: IncludeUnavailable=True and Ready=False with Flux's reason and
 * message, requeued after --requeue-dependency; returns 1 then. */
static int fetch_includes(struct rt_reconcile *r, struct rt_result *res, struct doc_node **out)
{
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	const struct doc_node *incl = doc_get(obj, "spec.include");
	*out = doc_new_seq(a);
	for (size_t i = 0; incl && incl->kind == DOC_SEQ && i < incl->u.seq.len; i++) {
		const char *dep_name = doc_get_str(incl->u.seq.items[i], "repository.name");
		struct doc_node *dep = NULL;
		const char *reason = NULL, *msg = NULL;
		int rc = dep_name ? rt_get(r, API_VERSION, KIND, rt_namespace(r), dep_name, &dep) : ERR_INVALID;
		if (rc) {
			reason = "NotFound";
			msg = rc == ERR_NOTFOUND
				      ? arena_sprintf(a, "could not get resource for include '%s': gitrepositories.source.toolkit.fluxcd.io \"%s\" not found",
						      dep_name, dep_name)
				      : arena_sprintf(a, "could not get resource for include '%s': %s",
						      dep_name ? dep_name : "", err_msg());
		} else if (!doc_get_str(dep, "status.artifact.path")) {
			reason = "NoArtifact";
			msg = arena_sprintf(a, "no artifact available for include '%s'", dep_name);
		}
		if (reason) {
			const struct rt_manager_opts *mo = rt_manager_opts(rt_manager(r));
			rt_cond_mark_true(a, obj, COND_INCLUDE_UNAVAILABLE, reason, "%s", msg);
			rt_cond_mark_false(a, obj, RT_COND_READY, reason, "%s", msg);
			rt_log(r, LOG_INFO, msg, NULL);
			res->outcome = RT_REQUEUE;
			res->requeue_after_ms = mo->requeue_dependency_ms ? mo->requeue_dependency_ms : 30000;
			return 1;
		}
		doc_seq_push(a, *out, doc_clone(a, doc_get(dep, "status.artifact")));
	}
	rt_cond_delete(obj, COND_INCLUDE_UNAVAILABLE);
	return 0;
}

static bool same_str(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/* Do the included artifacts differ from status.includedArtifacts (Flux's artifactSet.Diff:
 * by revision and digest, in order)? */
static bool includes_differ(const struct doc_node *obj, const struct doc_node *arts)
{
	const struct doc_node *cur = doc_get(obj, "status.includedArtifacts");
	size_t n = arts->u.seq.len, m = cur && cur->kind == DOC_SEQ ? cur->u.seq.len : 0;
	if (n != m)
		return true;
	for (size_t i = 0; i < n; i++) {
		const struct doc_node *x = arts->u.seq.items[i], *y = cur->u.seq.items[i];
		if (!same_str(doc_get_str(x, "revision"), doc_get_str(y, "revision")) ||
		    !same_str(doc_get_str(x, "digest"), doc_get_str(y, "digest")))
			return true;
	}
	return false;
}

/* A spec value against its status observation, where absent, null, false and empty count
 * the same (Go's omitempty round trip). */
static bool empty_node(const struct doc_node *n)
{
	return !n || n->kind == DOC_NULL || (n->kind == DOC_BOOL && !n->u.boolean) ||
	       (n->kind == DOC_SEQ && n->u.seq.len == 0) || (n->kind == DOC_STR && n->u.str.len == 0);
}

static bool observed_differs(const struct doc_node *obj, const char *spec, const char *status)
{
	const struct doc_node *x = doc_get(obj, spec), *y = doc_get(obj, status);
	if (empty_node(x) || empty_node(y))
		return empty_node(x) != empty_node(y);
	return !doc_equal(x, y);
}

/* Flux's gitContentConfigChanged: does the artifact need rebuilding although the revision
 * is the same? */
static bool content_config_changed(const struct doc_node *obj, const struct doc_node *arts)
{
	const struct doc_node *ignore = doc_get(obj, "spec.ignore");
	const struct doc_node *observed_ignore = doc_get(obj, "status.observedIgnore");
	bool same_ignore = (!ignore && !observed_ignore) ||
			   (ignore && observed_ignore && doc_equal(ignore, observed_ignore));
	return !same_ignore ||
	       observed_differs(obj, "spec.recurseSubmodules", "status.observedRecurseSubmodules") ||
	       observed_differs(obj, "spec.include", "status.observedInclude") ||
	       observed_differs(obj, "spec.sparseCheckout", "status.observedSparseCheckout") ||
	       includes_differ(obj, arts);
}

/* Refuses a path inside root that goes through a symlink (a checked-out repository may
 * hold symlinks pointing anywhere): securejoin's guarantee for the copy target. */
static int no_symlink_below(const char *root, const char *path)
{
	size_t rl = strlen(root);
	char *p = xstrdup(path);
	int rc = 0;
	for (char *c = p + rl + 1; !rc; c++) {
		char save = *c;
		if (save != '/' && save != '\0')
			continue;
		*c = '\0';
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
			rc = err_set(ERR_ESCAPE, "'%s' is a symlink", p + rl + 1);
		*c = save;
		if (!save)
			break;
	}
	free(p);
	return rc;
}

/* Flux's Storage.CopyToPath: unpacks the included artifact (from storage) into a scratch
 * directory and moves its fromPath to toPath inside dir. On failure *reason is Flux's. */
static int copy_include(struct gitrepo_ctl *ctl, const struct doc_node *incl,
			const struct doc_node *art, const char *dir, const char **reason)
{
	const char *dep_name = doc_get_str(incl, "repository.name");
	const char *from = doc_get_str(incl, "fromPath");
	const char *to = doc_get_str(incl, "toPath");
	if (!to || !*to)
		to = dep_name;
	if (!from)
		from = "";
	char *to_full = NULL, *src = NULL, *from_full = NULL, *scratch = NULL;
	struct buf data = BUF_INIT;
	int rc;
	*reason = "IllegalPath";
	if ((rc = fs_join_confined(&to_full, dir, to)) || (rc = no_symlink_below(dir, to_full))) {
		rc = err_set(rc, "path calculation for include '%s' failed: %s", dep_name, err_msg());
		goto done;
	}
	*reason = "CopyFailure";
	const char *fail = NULL;
	if ((rc = fs_join_confined(&src, ctl->root, doc_get_str(art, "path"))) ||
	    (rc = fs_read_file(src, MAX_ARTIFACT_BYTES, &data))) {
		fail = err_msg();
		goto copy_failed;
	}
	if ((rc = storage_tmpdir(ctl->st, "include", &scratch))) {
		fail = err_msg();
		goto copy_failed;
	}
	struct fetch_limits lim = { 0, MAX_ARTIFACT_BYTES, MAX_ARTIFACT_FILES, 0 };
	if ((rc = fetch_untar(data.ptr, data.len, scratch, &lim)) ||
	    (rc = fs_join_confined(&from_full, scratch, from))) {
		fail = err_msg();
		goto copy_failed;
	}
	char *parent = xstrdup(to_full);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	rc = fs_mkdir_p(parent);
	free(parent);
	if (rc) {
		fail = err_msg();
		goto copy_failed;
	}
	if (rename(from_full, to_full) != 0) {
		rc = err_set(ERR_IO, "rename %s %s: %s", from_full, to_full, strerror(errno));
		fail = err_msg();
	}
copy_failed:
	if (rc)
		rc = err_set(rc, "failed to copy '%s' include from %s to %s: %s", dep_name, from, to, fail);
done:
	if (scratch) {
		fs_rm_rf(scratch);
		free(scratch);
	}
	buf_release(&data);
	free(from_full);
	free(src);
	free(to_full);
	return rc;
}

/* Flux's validateSparseCheckoutPaths: every listed directory exists after the checkout. */
static int check_sparse(const struct doc_node *sparse, const char *dir)
{
	for (size_t i = 0; sparse && sparse->kind == DOC_SEQ && i < sparse->u.seq.len; i++) {
		const struct doc_node *p = sparse->u.seq.items[i];
		if (p->kind != DOC_STR)
			continue;
		char *full = NULL;
		int rc = fs_join_confined(&full, dir, p->u.str.ptr);
		if (rc)
			return err_set(rc, "sparse checkout dir '%s' cannot be resolved: %s", p->u.str.ptr, err_msg());
		struct stat st;
		if (lstat(full, &st) != 0) {
			rc = err_set(ERR_NOTFOUND, "sparse checkout dir '%s' does not exist in repository: lstat %s: %s",
				     p->u.str.ptr, full, strerror(errno));
			free(full);
			return rc;
		}
		free(full);
	}
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
	struct gitsrc_auth auth = { 0 };
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

	/* Included repositories' artifacts (before the fetch, as Flux orders it). */
	struct doc_node *incl_arts = NULL;
	if (fetch_includes(r, res, &incl_arts)) {
		secret_release(&sv);
		return 0;
	}
	if (includes_differ(obj, incl_arts)) {
		const char *m = "included artifacts differ from last observed includes";
		if (doc_get(obj, "status.includedArtifacts"))
			rt_cond_mark_true(a, obj, COND_ARTIFACT_OUTDATED, "IncludeChange", "%s", m);
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "building artifact: %s", m);
	}

	/* Fetch. */
	struct gitsrc_ref_spec ref = {
		doc_get_str(obj, "spec.ref.branch"), doc_get_str(obj, "spec.ref.tag"),
		doc_get_str(obj, "spec.ref.semver"), doc_get_str(obj, "spec.ref.name"),
		doc_get_str(obj, "spec.ref.commit"),
	};
	char *cache = xasprintf("%s/.cache/gitrepository/%s/%s", ctl->root, ns, name);
	struct gitsrc_fetch_result fr;
	/* spec.timeout bounds the Git operations (fetch, then submodules), as Flux's context */
	int64_t timeout_ms = 60000, started = clock_mono_ms();
	const char *timeout = doc_get_str(obj, "spec.timeout");
	if (timeout && duration_parse(timeout, &timeout_ms))
		timeout_ms = 60000;
	int rc = fs_mkdir_p(cache);
	if (!rc) {
		struct source_deadline *dl = source_deadline_arm(timeout_ms);
		rc = gitsrc_fetch(url, cache, &ref, &auth, &fr);
		if (source_deadline_disarm(dl) && rc)
			rc = err_set(ERR_TIMEOUT, "unable to clone '%s': context deadline exceeded", url);
	}
	if (rc) {
		secret_release(&sv);
		const char *msg = arena_sprintf(a, "failed to checkout and determine revision: %s", err_msg());
		mark_failed(r, COND_FETCH_FAILED, REASON_GIT_FAILED, msg);
		free(cache);
		err_set(rc, "%s", msg);
		return -1;
	}
	rt_cond_delete(obj, COND_FETCH_FAILED);
	/* spec.verify, before anything is built from the commit (no artifact on failure) */
	bool stalled = false;
	if (gitrepo_verify(r, cache, &fr, &stalled)) {
		secret_release(&sv);
		free(cache);
		if (stalled) {
			res->outcome = RT_STALLED;
			return 0;
		}
		return -1;
	}
	char *revision = artifact_revision(fr.ref, fr.commit);
	const char *rev = arena_strdup(a, revision);
	free(revision);

	/* Up to date: same revision, same ignore rules, and the file still in storage. */
	const char *file = arena_sprintf(a, "%s.tar.gz", fr.commit);
	const struct storage_object sobj = { KIND, ns, name };
	char *rel = storage_artifact_path(&sobj, file);
	const char *path = arena_strdup(a, rel);
	free(rel);
	const char *full = arena_sprintf(a, "%s/%s", ctl->root, path);
	const struct doc_node *ignore = doc_get(obj, "spec.ignore");
	const char *cur_rev = doc_get_str(obj, "status.artifact.revision");
	if (cur_rev && !strcmp(cur_rev, rev) && !content_config_changed(obj, incl_arts) &&
	    storage_exists(ctl->st, path)) {
		secret_release(&sv);
		/* Flux collects on every reconcile, so the TTL is honoured between new revisions */
		struct storage_lock *lock = NULL;
		if (storage_lock(ctl->st, &sobj, false, &lock) == 0)
			storage_gc(ctl->st, &sobj, file, NULL);
		storage_unlock(lock);
		err_clear();
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
	if (cur_rev && strcmp(cur_rev, rev)) {
		rt_cond_mark_true(a, obj, COND_ARTIFACT_OUTDATED, "NewRevision",
				  "new upstream revision '%s'", rev);
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
					 "building artifact: new upstream revision '%s'", rev);
	} else if (!cur_rev || !rt_cond_get(obj, RT_COND_RECONCILING, &(struct rt_condition){ 0 })) {
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "building artifact");
	}

	/* Checkout, ignore rules, archive. Without include, sparseCheckout or submodules, which
	 * need a directory to work in, the tarball is packed straight from the Git tree objects
	 * (git_archive.h): the same bytes without writing, reading back and deleting every file
	 * (a 50,000-file repository: see bench/gitrepository.sh). */
	bool from_tree = empty_node(doc_get(obj, "spec.include")) &&
			 empty_node(doc_get(obj, "spec.sparseCheckout")) &&
			 empty_node(doc_get(obj, "spec.recurseSubmodules"));
	char *dir = NULL;
	struct storage_lock *lock = NULL;
	ignore_rules *ign = NULL;
	struct artifact_info info;
	char subject[256] = "";
	const char *fail_reason = REASON_ARCHIVE_FAILED, *fail_cond = COND_STORAGE_FAILED;
	const char *fail_msg = NULL;
	bool made_dir = false;
	if (storage_tmpdir(ctl->st, "checkout", &dir)) {
		fail_reason = REASON_DIR_FAILED;
		fail_msg = arena_sprintf(a, "failed to create temporary working directory: %s", err_msg());
		goto out;
	}
	made_dir = true;
	const struct doc_node *sparse = doc_get(obj, "spec.sparseCheckout");
	const char **sparse_dirs = NULL;
	size_t nsparse = 0;
	if (sparse && sparse->kind == DOC_SEQ && sparse->u.seq.len) {
		sparse_dirs = arena_alloc(a, sparse->u.seq.len * sizeof(*sparse_dirs));
		for (size_t i = 0; i < sparse->u.seq.len; i++)
			if (sparse->u.seq.items[i]->kind == DOC_STR)
				sparse_dirs[nsparse++] = sparse->u.seq.items[i]->u.str.ptr;
	}
	const struct doc_node *recurse = doc_get(obj, "spec.recurseSubmodules");
	struct gitsrc_checkout_spec cos = {
		.sparse = sparse_dirs,
		.nsparse = nsparse,
		.recurse_submodules = recurse && recurse->kind == DOC_BOOL && recurse->u.boolean,
		.url = url,
		.auth = &auth, /* submodules use the parent's credentials, as in Flux */
		.modules_dir = arena_sprintf(a, "%s/modules", cache),
	};
	int crc = 0;
	if (!from_tree) {
		int64_t left = timeout_ms - (clock_mono_ms() - started);
		struct source_deadline *dl = cos.recurse_submodules ? source_deadline_arm(left > 0 ? left : 1) : NULL;
		crc = gitsrc_checkout_with(cache, fr.commit, dir, &cos);
		if (source_deadline_disarm(dl) && crc)
			crc = err_set(ERR_TIMEOUT, "unable to update submodules of '%s': context deadline exceeded", url);
	}
	secret_release(&sv);
	if (crc) {
		fail_cond = COND_FETCH_FAILED;
		fail_reason = REASON_GIT_FAILED;
		fail_msg = arena_sprintf(a, "failed to checkout and determine revision: %s", err_msg());
		goto out;
	}
	if (check_sparse(sparse, dir)) {
		fail_cond = COND_FETCH_FAILED;
		fail_reason = REASON_GIT_FAILED;
		fail_msg = arena_sprintf(a, "failed to sparse checkout directories : %s", err_msg());
		goto out;
	}
	const struct doc_node *incl = doc_get(obj, "spec.include");
	for (size_t i = 0; incl && incl->kind == DOC_SEQ && i < incl->u.seq.len; i++) {
		const char *why;
		if (copy_include(ctl, incl->u.seq.items[i], incl_arts->u.seq.items[i], dir, &why)) {
			fail_reason = why;
			fail_msg = arena_sprintf(a, "%s", err_msg());
			goto out;
		}
	}
	ign = ignore_new();
	ignore_add_defaults(ign);
	if (from_tree ? gitsrc_load_ignore(cache, fr.commit, ign, MAX_SOURCEIGNORE_BYTES)
		      : load_sourceignore(ign, dir, "")) {
		fail_msg = arena_sprintf(a, "failed to load source ignore patterns from repository: %s", err_msg());
		goto out;
	}
	if (ignore && ignore->kind == DOC_STR && ignore_add(ign, "", ignore->u.str.ptr, ignore->u.str.len)) {
		fail_msg = arena_sprintf(a, "failed to load ignore patterns: %s", err_msg());
		goto out;
	}
	if (storage_mkdir(ctl->st, &sobj)) {
		fail_reason = REASON_DIR_FAILED;
		fail_msg = arena_sprintf(a, "failed to create artifact directory: %s", err_msg());
		goto out;
	}
	if (storage_lock(ctl->st, &sobj, false, &lock)) {
		fail_reason = "AcquireLockFailed";
		fail_msg = arena_sprintf(a, "failed to acquire lock for artifact: %s", err_msg());
		goto out;
	}
	struct artifact_limits lim = { MAX_ARTIFACT_BYTES, MAX_ARTIFACT_FILES };
	if (from_tree ? gitsrc_archive(cache, fr.commit, ign, &lim, full, &info)
		      : artifact_archive(dir, ign, &lim, full, &info)) {
		fail_msg = arena_sprintf(a, "unable to archive artifact to storage: %s", err_msg());
		goto out;
	}
	storage_gc(ctl->st, &sobj, file, NULL);
	gitsrc_commit_subject(cache, fr.commit, subject, sizeof(subject));
	err_clear();

out:
	secret_release(&sv);
	if (ign)
		ignore_free(ign);
	if (made_dir)
		fs_rm_rf(dir);
	storage_unlock(lock);
	free(dir);
	free(cache);
	if (fail_msg) {
		mark_failed(r, fail_cond, fail_reason, fail_msg);
		err_set(ERR_GENERIC, "%s", fail_msg);
		return -1;
	}

	char when[32], size[32];
	clock_rfc3339(when, sizeof(when), time(NULL));
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
	/* The other observations, omitted when empty as Go's omitempty writes them. */
	static const char *const observations[][2] = {
		{ "spec.recurseSubmodules", "status.observedRecurseSubmodules" },
		{ "spec.include", "status.observedInclude" },
		{ "spec.sparseCheckout", "status.observedSparseCheckout" },
	};
	for (size_t i = 0; i < sizeof(observations) / sizeof(observations[0]); i++) {
		const struct doc_node *v = doc_get(obj, observations[i][0]);
		if (empty_node(v))
			doc_delete(obj, observations[i][1]);
		else
			doc_set(a, obj, observations[i][1], doc_clone(a, v));
	}
	if (incl_arts->u.seq.len)
		doc_set(a, obj, "status.includedArtifacts", incl_arts);
	else
		doc_delete(obj, "status.includedArtifacts");
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
	const struct storage_object sobj = { KIND, rt_namespace(r), rt_name(r) };
	char *cache = xasprintf("%s/.cache/gitrepository/%s/%s", ctl->root, rt_namespace(r), rt_name(r));
	storage_remove_all(ctl->st, &sobj);
	fs_rm_rf(cache);
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
	struct storage_opts so = { o->artifact_retention_ttl_ms, o->artifact_retention_records };
	struct gitrepo_ctl *ctl = xcalloc(1, sizeof(*ctl));
	int rc = storage_open(&ctl->st, path, &so);
	if (!rc)
		rc = rt_http_new(&ctl->server, addr);
	if (!rc)
		rc = storage_serve(ctl->st, ctl->server);
	if (!rc)
		rc = rt_http_start(ctl->server);
	if (rc) {
		rt_http_free(ctl->server);
		storage_free(ctl->st);
		free(ctl);
		return rc;
	}
	ctl->root = storage_root(ctl->st);
	ctl->adv_addr = advertised_addr(addr, o->storage_adv_addr, rt_http_port(ctl->server));
	*data = ctl;
	return 0;
}

static void teardown(void *data)
{
	struct gitrepo_ctl *ctl = data;
	if (!ctl)
		return;
	rt_http_free(ctl->server);
	storage_free(ctl->st);
	free(ctl->adv_addr);
	free(ctl);
}

/* ---- Watch on included repositories ------------------------------------------------------*/

struct include_match {
	struct rt_mapper *m;
	const char *ns, *name;
};

static int includes_it(void *ud, const struct rt_object *o)
{
	struct include_match *im = ud;
	const struct doc_node *incl = doc_get(o->doc, "spec.include");
	if (strcmp(o->namespace, im->ns) || !incl || incl->kind != DOC_SEQ)
		return 0;
	for (size_t i = 0; i < incl->u.seq.len; i++) {
		const char *n = doc_get_str(incl->u.seq.items[i], "repository.name");
		if (n && !strcmp(n, im->name)) {
			rt_map_enqueue(im->m, o->namespace, o->name);
			break;
		}
	}
	return 0;
}

/* A repository with a new artifact revision queues the repositories that include it, so
 * they rebuild without waiting for their interval. Only the revision counts, not the digest:
 * an includer's digest changes with its includes, and two repositories including each other
 * would otherwise rebuild each other forever. */
static void artifact_changed(struct rt_mapper *m, const struct rt_object *old,
			     const struct rt_object *obj)
{
	const char *x = old ? doc_get_str(old->doc, "status.artifact.revision") : NULL;
	const char *y = doc_get_str(obj->doc, "status.artifact.revision");
	if (!y || same_str(x, y))
		return;
	struct include_match im = { m, obj->namespace, obj->name };
	rt_map_each(m, includes_it, &im);
}

static const struct rt_watch watches[] = {
	{ API_VERSION, KIND, artifact_changed },
	{ 0 },
};

const struct rt_controller gitrepository_controller = {
	.name = "gitrepository",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.watches = watches,
	.setup = setup,
	.teardown = teardown,
};
