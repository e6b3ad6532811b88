/*
 * The Kustomization controller (kustomize.toolkit.fluxcd.io/v1), as Flux's
 * kustomize-controller reconciles it: wait for dependencies, resolve the source and its
 * artifact, download and verify it into a per-reconcile directory, prepare spec.path as Flux's
 * generator does (src/kustomize/fluxgen.h), build it (src/kustomize), set commonMetadata,
 * substitute postBuild variables (src/kustomize/varsub.h), apply the set in stages with the
 * owner labels (src/apply), record the inventory, prune what left it, wait for health, and
 * write Flux's conditions, reasons and messages.
 *
 * Sources are watched: a new artifact revision of a GitRepository, OCIRepository or Bucket
 * queues the Kustomizations that reference it at once.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "apply/apply.h"
#include "controllers/controllers.h"
#include "controllers/kustomization/build.h"
#include "controllers/kustomization/cache.h"
#include "controllers/kustomization/kustomization.h"
#include "controllers/common/secret.h"
#include "doc/doc.h"
#include "util/clock.h"
#include "kube/client.h"
#include "kube/config.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "util/duration.h"
#include "source/fetch.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"

#define GROUP "kustomize.toolkit.fluxcd.io"
#define API_VERSION GROUP "/v1"
#define SOURCE_API_VERSION "source.toolkit.fluxcd.io/v1"
#define REASON_ACCESS_DENIED "AccessDenied"
#define DEFAULT_TIMEOUT_MS (5 * 60 * 1000)

/* A Go duration from the spec, or dflt when missing or malformed (the CRD's pattern keeps
 * malformed ones out). */
static int64_t spec_duration(const struct doc_node *obj, const char *path, int64_t dflt)
{
	const char *s = doc_get_str(obj, path);
	int64_t ms;
	if (!s || duration_parse(s, &ms))
		return dflt;
	return ms;
}

static bool spec_bool(const struct doc_node *obj, const char *path)
{
	const struct doc_node *n = doc_get(obj, path);
	return n && n->kind == DOC_BOOL && n->u.boolean;
}

/* Go's time.Duration.String() ("5m0s"), in a. */
static const char *go_duration(struct arena *a, int64_t ms)
{
	char b[64];
	return arena_strdup(a, duration_format(b, sizeof(b), ms));
}

static void fail(struct rt_reconcile *r, const char *reason, const char *msg)
{
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	rt_cond_mark_false(a, obj, RT_COND_READY, reason, "%s", msg);
	rt_eventf(r, "Warning", reason, NULL, "%s", msg);
}

/* ---- Feature gates ---------------------------------------------------------------------*/

/* Flux's default since kustomize-controller v1.9 ("opt-out from v1.9"). */
static bool strict_substitutions = true;

/* The kustomize-controller's gates (internal/features and the runtime's), so that Flux's
 * manifests' flags are accepted. */
static const char *const known_gates[] = {
	"CacheSecretsAndConfigMaps", "DisableStatusPollerCache", "DisableFailFastBehavior",
	"StrictPostBuildSubstitutions", "GroupChangeLog", "AdditiveCELDependencyCheck",
	"ExternalArtifact", "CancelHealthCheckOnNewRevision", "DisableConfigWatchers",
	"DirectSourceFetch", "MigrateAPIVersion", "ObjectLevelWorkloadIdentity", NULL,
};

int kustomization_feature_gates(const char *spec)
{
	const char *p = spec ? spec : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (len) {
			if (!eq)
				return err_set(ERR_INVALID, "missing bool value for feature gate '%.*s'", (int)len, p);
			size_t nl = (size_t)(eq - p), vl = len - nl - 1;
			bool on;
			if (vl == 4 && !strncmp(eq + 1, "true", 4))
				on = true;
			else if (vl == 5 && !strncmp(eq + 1, "false", 5))
				on = false;
			else
				return err_set(ERR_INVALID, "invalid value of %.*s: %.*s", (int)nl, p, (int)vl, eq + 1);
			size_t k = 0;
			while (known_gates[k] && (strlen(known_gates[k]) != nl || strncmp(known_gates[k], p, nl)))
				k++;
			if (!known_gates[k])
				return err_set(ERR_INVALID, "unrecognized feature gate: %.*s", (int)nl, p);
			if (!strcmp(known_gates[k], "StrictPostBuildSubstitutions"))
				strict_substitutions = on;
		}
		p += len + (end ? 1 : 0);
	}
	return 0;
}

/* ---- Dependencies -----------------------------------------------------------------------*/

static int check_dependencies(struct rt_reconcile *r, const char **why)
{
	struct arena *a = rt_arena(r);
	const struct doc_node *deps = doc_get(rt_object_doc(r), "spec.dependsOn");
	for (size_t i = 0; deps && deps->kind == DOC_SEQ && i < deps->u.seq.len; i++) {
		const char *dn = doc_get_str(deps->u.seq.items[i], "name");
		const char *dns = doc_get_str(deps->u.seq.items[i], "namespace");
		if (!dn)
			continue;
		if (!dns || !*dns)
			dns = rt_namespace(r);
		struct doc_node *d = NULL;
		int rc = rt_get(r, API_VERSION, "Kustomization", dns, dn, &d);
		if (rc) {
			*why = arena_sprintf(a, "dependency '%s/%s' not found: %s", dns, dn, err_msg());
			return -1;
		}
		if (!rt_cond_is_ready(d)) {
			*why = arena_sprintf(a, "dependency '%s/%s' is not ready", dns, dn);
			return -1;
		}
	}
	return 0;
}

/* The service account to impersonate: spec.serviceAccountName, else the controller's
 * default (a service account of this cluster, so not with spec.kubeConfig); NULL for none. */
static const char *service_account(struct rt_reconcile *r)
{
	const char *sa = doc_get_str(rt_object_doc(r), "spec.serviceAccountName");
	const char *secret = doc_get_str(rt_object_doc(r), "spec.kubeConfig.secretRef.name");
	if ((!sa || !*sa) && !(secret && *secret))
		sa = rt_manager_opts(rt_manager(r))->default_service_account;
	return sa && *sa ? sa : NULL;
}

/* The clients a reconcile applies through; ks_client_free releases what was made for it. */
struct ks_client {
	struct kube_client *use;    /* what to apply, prune and wait through */
	struct kube_client *remote; /* spec.kubeConfig's cluster, or NULL */
	struct kube_client *imp;    /* the impersonating client, or NULL */
};

static void ks_client_free(struct ks_client *c)
{
	kube_client_free(c->imp);
	kube_client_free(c->remote);
	*c = (struct ks_client){ 0 };
}

/* The kubeconfig of spec.kubeConfig.secretRef, as Flux reads it: the key named by
 * secretRef.key, else "value", else "value.yaml", from the Secret in the Kustomization's
 * namespace. *out and *len in a. */
static int remote_kubeconfig(struct rt_reconcile *r, const char *secret, const char *key,
			     const char **out, size_t *len)
{
	struct arena *a = rt_arena(r);
	struct doc_node *s = NULL;
	int rc = rt_get(r, "v1", "Secret", rt_namespace(r), secret, &s);
	if (rc)
		return err_set(rc, "unable to read KubeConfig secret '%s/%s' error: %s", rt_namespace(r), secret,
			       err_msg());
	char *value = NULL;
	if (key && *key) {
		rc = secret_data(a, s, key, &value, len);
		if (rc == ERR_NOTFOUND)
			return err_set(ERR_NOTFOUND, "KubeConfig secret '%s/%s' does not contain a '%s' key with a kubeconfig",
				       rt_namespace(r), secret, key);
	} else {
		rc = secret_data(a, s, "value", &value, len);
		if (rc == ERR_NOTFOUND)
			rc = secret_data(a, s, "value.yaml", &value, len);
		if (rc == ERR_NOTFOUND)
			return err_set(ERR_NOTFOUND,
				       "KubeConfig secret '%s/%s' does not contain a 'value' nor 'value.yaml' key with a kubeconfig",
				       rt_namespace(r), secret);
	}
	if (rc)
		return err_set(rc, "KubeConfig secret '%s/%s': invalid base64", rt_namespace(r), secret);
	*out = value;
	return 0;
}

/* The client to apply with: the cluster of spec.kubeConfig.secretRef when set (else the
 * manager's), acting as the Kustomization's service account when it names one. The
 * controller's --default-service-account is a service account of this cluster, so, as in
 * Flux, it only applies when there is no kubeConfig. */
static int client_for(struct rt_reconcile *r, struct ks_client *c)
{
	struct arena *a = rt_arena(r);
	const struct doc_node *obj = rt_object_doc(r);
	const char *secret = doc_get_str(obj, "spec.kubeConfig.secretRef.name");
	const char *sa = service_account(r);
	*c = (struct ks_client){ .use = rt_client(r) };
	if (secret && *secret) {
		const char *data = NULL;
		size_t len = 0;
		int rc = remote_kubeconfig(r, secret, doc_get_str(obj, "spec.kubeConfig.secretRef.key"), &data, &len);
		if (rc)
			return rc;
		struct kube_config *cfg = NULL;
		const char *cname = arena_sprintf(a, "KubeConfig secret '%s/%s'", rt_namespace(r), secret);
		rc = kube_config_parse(&cfg, cname, NULL, data, len, NULL);
		memset((char *)data, 0, len);
		if (!rc)
			rc = kube_client_new(&c->remote, cfg, NULL);
		kube_config_free(cfg);
		if (rc)
			return rc;
		c->use = c->remote;
	}
	if (!sa)
		return 0;
	char user[512];
	snprintf(user, sizeof(user), "system:serviceaccount:%s:%s", rt_namespace(r), sa);
	const char *const groups[] = { "system:serviceaccounts",
				       arena_sprintf(a, "system:serviceaccounts:%s", rt_namespace(r)), NULL };
	int rc = kube_client_impersonate(&c->imp, c->use, user, groups);
	if (rc)
		return rc;
	c->use = c->imp;
	return 0;
}

/* Reads a ConfigMap or Secret of substituteFrom, from the informer cache or the API. */
static int get_source_object(void *ud, const char *kind, const char *name, struct doc_node **out)
{
	struct rt_reconcile *r = ud;
	return rt_get(r, "v1", kind, rt_namespace(r), name, out);
}

static const char *changeset_log(struct arena *a, const struct apply_changeset *cs)
{
	struct buf b = BUF_INIT;
	apply_changeset_format(&b, cs, true);
	const char *s = arena_strdup(a, b.ptr);
	buf_release(&b);
	return s;
}

/* Flux moves an object owned by another Kustomization to this one without a word (its
 * owner labels are overwritten); tide moves it too but says so, in the log and with a
 * Warning event listing the objects and their previous owners, so that two Kustomizations
 * fighting over an object are seen. */
static void warn_taken_over(struct rt_reconcile *r, const struct apply_changeset *cs,
			    const char *revision)
{
	struct arena *a = rt_arena(r);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < cs->len; i++) {
		if (!cs->items[i].previous_owner)
			continue;
		buf_addf(&b, "%s%s was owned by Kustomization %s", b.len ? "\n" : "", cs->items[i].subject,
			   cs->items[i].previous_owner);
	}
	if (b.len) {
		const char *msg = arena_sprintf(a, "objects taken over from another Kustomization:\n%s", b.ptr);
		rt_log(r, LOG_INFO, msg, "revision", revision, NULL);
		const char *const ann[] = { GROUP "/revision", revision, NULL };
		rt_eventf(r, "Warning", "OwnershipChanged", ann, "%s", msg);
	}
	buf_release(&b);
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	const char *ns = rt_namespace(r), *name = rt_name(r);
	const struct rt_manager_opts *mo = rt_manager_opts(rt_manager(r));
	int64_t interval = spec_duration(obj, "spec.interval", 10 * 60 * 1000);
	int64_t retry = spec_duration(obj, "spec.retryInterval", interval);
	int64_t timeout = spec_duration(obj, "spec.timeout", interval);
	int64_t requeue_dep = mo->requeue_dependency_ms ? mo->requeue_dependency_ms : 30000;
	int64_t started = clock_mono_ms();

	/* Source. */
	const char *skind = doc_get_str(obj, "spec.sourceRef.kind");
	const char *sname = doc_get_str(obj, "spec.sourceRef.name");
	const char *sns = doc_get_str(obj, "spec.sourceRef.namespace");
	if (!sns || !*sns)
		sns = ns;
	if (!skind || !sname || (strcmp(skind, "GitRepository") && strcmp(skind, "OCIRepository") &&
				 strcmp(skind, "Bucket"))) {
		const char *msg = arena_sprintf(a, "source '%s' kind not supported", skind ? skind : "");
		fail(r, RT_REASON_ARTIFACT_FAILED, msg);
		rt_cond_mark_stalled(a, obj, RT_REASON_ARTIFACT_FAILED, "%s", msg);
		res->outcome = RT_STALLED;
		return 0;
	}
	if (mo->no_cross_namespace_refs && strcmp(sns, ns)) {
		const char *msg = arena_sprintf(a, "can't access '%s/%s/%s', cross-namespace references have been blocked",
						skind, sns, sname);
		fail(r, REASON_ACCESS_DENIED, msg);
		rt_cond_mark_stalled(a, obj, REASON_ACCESS_DENIED, "%s", msg);
		res->outcome = RT_STALLED;
		return 0;
	}
	struct doc_node *src = NULL;
	int rc = rt_get(r, SOURCE_API_VERSION, skind, sns, sname, &src);
	if (rc) {
		const char *msg = rc == ERR_NOTFOUND
					  ? arena_sprintf(a, "Source '%s/%s/%s' not found", skind, sns, sname)
					  : arena_sprintf(a, "%s", err_msg());
		rt_cond_mark_false(a, obj, RT_COND_READY, RT_REASON_ARTIFACT_FAILED, "%s", msg);
		rt_log(r, LOG_INFO, msg, NULL);
		res->outcome = RT_REQUEUE;
		res->requeue_after_ms = retry;
		return 0;
	}
	const char *revision = doc_get_str(src, "status.artifact.revision");
	const char *url = doc_get_str(src, "status.artifact.url");
	const char *digest = doc_get_str(src, "status.artifact.digest");
	if (!revision || !url) {
		const char *msg = arena_sprintf(a, "Source artifact not found, retrying in %s",
						go_duration(a, requeue_dep));
		rt_cond_mark_false(a, obj, RT_COND_READY, RT_REASON_ARTIFACT_FAILED, "%s", msg);
		rt_log(r, LOG_INFO, msg, NULL);
		res->outcome = RT_REQUEUE;
		res->requeue_after_ms = requeue_dep;
		return 0;
	}

	/* Dependencies. */
	const char *why = NULL;
	if (check_dependencies(r, &why)) {
		rt_cond_mark_false(a, obj, RT_COND_READY, RT_REASON_DEPENDENCY_NOT_READY, "%s", why);
		rt_log(r, LOG_INFO, arena_sprintf(a, "Dependencies do not meet ready condition, retrying in %s",
						   go_duration(a, requeue_dep)), NULL);
		res->outcome = RT_REQUEUE;
		res->requeue_after_ms = requeue_dep;
		return 0;
	}

	/* Progress. */
	const char *tstr = go_duration(a, timeout);
	if (!rt_cond_is_ready(obj) || strcmp(revision, doc_get_str(obj, "status.lastAppliedRevision")
							    ? doc_get_str(obj, "status.lastAppliedRevision")
							    : "")) {
		rt_cond_mark_unknown(a, obj, RT_COND_READY, RT_REASON_PROGRESSING, "Reconciliation in progress");
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
					 "Fetching manifests for revision %s with a timeout of %s", revision, tstr);
		rt_write_status(r);
	}

	/* Artifact. */
	const char *tmpbase = getenv("TMPDIR");
	char *tmp = xasprintf("%s/kustomization-%s-%s-XXXXXX", tmpbase && *tmpbase ? tmpbase : "/tmp", ns, name);
	if (!mkdtemp(tmp)) {
		const char *msg = arena_sprintf(a, "failed to create temporary working directory: %s", strerror(errno));
		free(tmp);
		fail(r, "DirCreationFailed", msg);
		return err_set(ERR_IO, "%s", msg);
	}
	struct ks_client kc = { 0 };
	struct apply_manager *m = NULL;
	const char *fail_reason = NULL, *fail_msg = NULL;
	struct fetch_limits lim = FETCH_LIMITS_INIT;
	if (ks_cache_checkout(rt_data(r), url, digest, tmp, &lim)) {
		fail_reason = RT_REASON_ARTIFACT_FAILED;
		fail_msg = arena_sprintf(a, "%s", err_msg());
		goto out;
	}
	const char *path = doc_get_str(obj, "spec.path");
	char *dir = NULL;
	struct stat st;
	if (fs_join_confined(&dir, tmp, path && *path ? path : ".") || stat(dir, &st) != 0 ||
	    !S_ISDIR(st.st_mode)) {
		fail_reason = RT_REASON_ARTIFACT_FAILED;
		fail_msg = arena_sprintf(a, "kustomization path not found: stat %s: no such file or directory",
					 path ? path : ".");
		free(dir);
		goto out;
	}
	doc_set(a, obj, "status.lastAttemptedRevision", doc_new_str(a, revision));
	rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
				 "Building manifests for revision %s with a timeout of %s", revision, tstr);

	/* Build. */
	struct doc_node **objs = NULL;
	size_t n = 0;
	rc = kustomization_build_strict(a, obj, tmp, dir, get_source_object, r, strict_substitutions, &objs, &n);
	free(dir);
	if (rc) {
		fail_reason = RT_REASON_BUILD_FAILED;
		fail_msg = arena_sprintf(a, "%s", err_msg());
		goto out;
	}

	/* Apply. */
	if (client_for(r, &kc)) {
		fail_reason = RT_REASON_RECONCILIATION_FAILED;
		fail_msg = arena_sprintf(a, "failed to build kube client: %s", err_msg());
		goto out;
	}
	struct apply_opts ao = { 0 };
	ao.owner_name = name;
	ao.owner_namespace = ns;
	ao.force = spec_bool(obj, "spec.force");
	if (apply_manager_new(&m, kc.use, &ao)) {
		fail_reason = RT_REASON_RECONCILIATION_FAILED;
		fail_msg = arena_sprintf(a, "%s", err_msg());
		goto out;
	}
	struct apply_changeset cs = { 0 };
	if (apply_all_staged(&cs, m, a, objs, n)) {
		fail_reason = RT_REASON_RECONCILIATION_FAILED;
		const char *log = changeset_log(a, &cs);
		fail_msg = *log ? arena_sprintf(a, "%s\n%s", err_msg(), log) : arena_sprintf(a, "%s", err_msg());
		goto out;
	}
	warn_taken_over(r, &cs, revision);
	const char *applied = changeset_log(a, &cs);
	if (*applied) {
		rt_log(r, LOG_INFO, "server-side apply completed", "revision", revision, "output", applied, NULL);
		const char *const ann[] = { GROUP "/revision", revision, NULL };
		rt_eventf(r, "Normal", RT_REASON_PROGRESSING, ann, "%s", applied);
	}

	/* Inventory and prune. */
	struct apply_inventory old_inv = { 0 }, new_inv = { 0 };
	apply_inventory_from_doc(&old_inv, a, doc_get(obj, "status.inventory"));
	apply_inventory_add_changeset(a, &new_inv, &cs);
	doc_set(a, obj, "status.inventory", apply_inventory_to_doc(a, &new_inv));
	if (spec_bool(obj, "spec.prune")) {
		struct apply_ref *stale = NULL;
		size_t nstale = 0;
		apply_inventory_diff(&stale, &nstale, a, &old_inv, &new_inv);
		if (nstale) {
			struct apply_changeset pcs = { 0 };
			int prc = apply_delete_all(&pcs, m, a, stale, nstale);
			const char *pruned = changeset_log(a, &pcs);
			if (*pruned) {
				rt_log(r, LOG_INFO, arena_sprintf(a, "garbage collection completed: %s", pruned), NULL);
				const char *const ann[] = { GROUP "/revision", revision, NULL };
				rt_eventf(r, "Normal", RT_REASON_PROGRESSING, ann, "%s", pruned);
			}
			if (prc) {
				fail_reason = RT_REASON_PRUNE_FAILED;
				fail_msg = arena_sprintf(a, "%s", err_msg());
				goto out;
			}
		}
	}

	/* Health. */
	const struct doc_node *checks = doc_get(obj, "spec.healthChecks");
	bool wait = spec_bool(obj, "spec.wait");
	size_t nchecks = checks && checks->kind == DOC_SEQ ? checks->u.seq.len : 0;
	if (wait || nchecks) {
		struct apply_ref *refs = NULL;
		size_t nrefs = 0;
		if (wait) {
			apply_changeset_refs(&refs, &nrefs, a, &cs, true);
		} else {
			refs = arena_alloc(a, nchecks * sizeof(*refs));
			for (size_t i = 0; i < nchecks; i++) {
				const struct doc_node *hc = checks->u.seq.items[i];
				struct doc_node *tmpobj = doc_new_map(a);
				doc_map_set(a, tmpobj, "apiVersion", doc_new_str(a, doc_get_str(hc, "apiVersion") ? doc_get_str(hc, "apiVersion") : "v1"));
				doc_map_set(a, tmpobj, "kind", doc_new_str(a, doc_get_str(hc, "kind") ? doc_get_str(hc, "kind") : ""));
				struct doc_node *md = doc_new_map(a);
				doc_map_set(a, md, "name", doc_new_str(a, doc_get_str(hc, "name") ? doc_get_str(hc, "name") : ""));
				const char *hns = doc_get_str(hc, "namespace");
				if (hns)
					doc_map_set(a, md, "namespace", doc_new_str(a, hns));
				doc_map_set(a, tmpobj, "metadata", md);
				if (apply_ref_of(&refs[nrefs], a, tmpobj) == 0)
					nrefs++;
			}
		}
		rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING,
					 "Running health checks for revision %s with a timeout of %s", revision, tstr);
		rt_cond_mark_unknown(a, obj, RT_COND_HEALTHY, RT_REASON_PROGRESSING,
				     "Running health checks for revision %s with a timeout of %s", revision, tstr);
		rt_write_status(r);
		struct apply_wait_opts wo = { .interval_ms = 2000, .timeout_ms = timeout };
		if (nrefs && apply_wait(m, a, refs, nrefs, &wo)) {
			fail_reason = RT_REASON_HEALTH_CHECK_FAILED;
			fail_msg = arena_sprintf(a, "%s", err_msg());
			rt_cond_mark_false(a, obj, RT_COND_HEALTHY, RT_REASON_HEALTH_CHECK_FAILED, "%s", fail_msg);
			goto out;
		}
		rt_cond_mark_true(a, obj, RT_COND_HEALTHY, RT_REASON_SUCCEEDED, "Health check passed in %s",
				  go_duration(a, clock_mono_ms() - started));
	} else {
		rt_cond_delete(obj, RT_COND_HEALTHY);
	}

	doc_set(a, obj, "status.lastAppliedRevision", doc_new_str(a, revision));
	rt_cond_delete(obj, RT_COND_RECONCILING);
	rt_cond_delete(obj, RT_COND_STALLED);
	rt_cond_mark_true(a, obj, RT_COND_READY, RT_REASON_RECONCILIATION_SUCCEEDED, "Applied revision: %s", revision);

out:
	apply_manager_free(m);
	ks_client_free(&kc);
	fs_rm_rf(tmp);
	free(tmp);
	if (fail_reason) {
		/* As Flux: a failure is broadcast and retried at spec.retryInterval, not with the
		 * work queue's backoff. */
		rt_cond_delete(obj, RT_COND_RECONCILING);
		fail(r, fail_reason, fail_msg);
		rt_log(r, LOG_ERROR, arena_sprintf(a, "Reconciliation failed after %s, next try in %s",
						    go_duration(a, clock_mono_ms() - started), go_duration(a, retry)),
		       "revision", revision, "error", fail_msg, NULL);
		res->outcome = RT_REQUEUE;
		res->requeue_after_ms = retry;
		return 0;
	}
	res->outcome = RT_SUCCESS;
	return 0;
}

/* Deleting a Kustomization prunes what its inventory lists, per spec.deletionPolicy:
 * MirrorPrune (the default) follows spec.prune, Delete always, Orphan never. A suspended
 * Kustomization leaves everything, as Flux's does. */
static int finalize(struct rt_reconcile *r)
{
	struct arena *a = rt_arena(r);
	struct doc_node *obj = rt_object_doc(r);
	const char *policy = doc_get_str(obj, "spec.deletionPolicy");
	bool prune = spec_bool(obj, "spec.prune");
	if (policy && !strcmp(policy, "Delete"))
		prune = true;
	else if (policy && !strcmp(policy, "Orphan"))
		prune = false;
	if (!prune || spec_bool(obj, "spec.suspend"))
		return 0;
	struct apply_inventory inv = { 0 };
	struct apply_ref *refs = NULL;
	size_t n = 0;
	if (apply_inventory_from_doc(&inv, a, doc_get(obj, "status.inventory")) ||
	    apply_inventory_refs(&refs, &n, a, &inv) || n == 0)
		return 0;
	/* As Flux: when the account to impersonate is gone, the objects are left, said so, and
	 * the finalization goes on (else the Kustomization could never be deleted). */
	const char *sa = service_account(r);
	struct doc_node *sa_obj = NULL;
	if (sa && rt_get(r, "v1", "ServiceAccount", rt_namespace(r), sa, &sa_obj) == ERR_NOTFOUND) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < n; i++)
			buf_addf(&b, "%s%s", i ? "\n" : "", apply_subject(a, &refs[i]));
		const char *msg = arena_sprintf(a, "unable to prune objects: \n%s", b.ptr);
		buf_release(&b);
		rt_log(r, LOG_ERROR, msg, "error", "skip pruning, service account not found", NULL);
		rt_eventf(r, "Warning", "PruneFailed", NULL, "%s", msg);
		return 0;
	}
	struct ks_client kc;
	if (client_for(r, &kc)) {
		ks_client_free(&kc);
		return -1;
	}
	struct apply_manager *m = NULL;
	struct apply_opts ao = { 0 };
	ao.owner_name = rt_name(r);
	ao.owner_namespace = rt_namespace(r);
	int rc = apply_manager_new(&m, kc.use, &ao);
	struct apply_changeset cs = { 0 };
	if (!rc)
		rc = apply_delete_all(&cs, m, a, refs, n);
	const char *pruned = changeset_log(a, &cs);
	if (*pruned) {
		rt_log(r, LOG_INFO, arena_sprintf(a, "garbage collection completed: %s", pruned), NULL);
		rt_eventf(r, "Normal", "PruneSucceeded", NULL, "%s", pruned);
	}
	if (rc)
		rt_eventf(r, "Warning", "PruneFailed", NULL, "pruning for deleted resource failed");
	apply_manager_free(m);
	ks_client_free(&kc);
	return rc;
}

/* ---- Watches ----------------------------------------------------------------------------*/

struct source_match {
	struct rt_mapper *m;
	const char *kind, *ns, *name;
};

static int match_one(void *ud, const struct rt_object *k)
{
	struct source_match *sm = ud;
	const char *kind = doc_get_str(k->doc, "spec.sourceRef.kind");
	const char *name = doc_get_str(k->doc, "spec.sourceRef.name");
	const char *ns = doc_get_str(k->doc, "spec.sourceRef.namespace");
	if (!ns || !*ns)
		ns = k->namespace;
	if (kind && name && !strcmp(kind, sm->kind) && !strcmp(name, sm->name) && !strcmp(ns, sm->ns))
		rt_map_enqueue(sm->m, k->namespace, k->name);
	return 0;
}

/* Flux's SourceRevisionChangePredicate: only a new artifact revision queues anything. */
static void source_changed(struct rt_mapper *m, const struct rt_object *old,
			   const struct rt_object *obj, const char *kind)
{
	const char *a = old ? doc_get_str(old->doc, "status.artifact.revision") : NULL;
	const char *b = doc_get_str(obj->doc, "status.artifact.revision");
	if (!b || (a && !strcmp(a, b)))
		return;
	struct source_match sm = { m, kind, obj->namespace, obj->name };
	rt_map_each(m, match_one, &sm);
}

static void git_changed(struct rt_mapper *m, const struct rt_object *old, const struct rt_object *obj)
{
	source_changed(m, old, obj, "GitRepository");
}

static void oci_changed(struct rt_mapper *m, const struct rt_object *old, const struct rt_object *obj)
{
	source_changed(m, old, obj, "OCIRepository");
}

static void bucket_changed(struct rt_mapper *m, const struct rt_object *old, const struct rt_object *obj)
{
	source_changed(m, old, obj, "Bucket");
}

static const struct rt_watch watches[] = {
	{ SOURCE_API_VERSION, "GitRepository", git_changed },
	{ SOURCE_API_VERSION, "OCIRepository", oci_changed },
	{ SOURCE_API_VERSION, "Bucket", bucket_changed },
	{ 0 },
};

static int setup(struct rt_manager *m, void **data)
{
	(void)m;
	struct ks_cache *c = NULL;
	int rc = ks_cache_new(&c);
	*data = c;
	return rc;
}

static void teardown(void *data)
{
	ks_cache_free(data);
}

const struct rt_controller kustomization_controller = {
	.name = "kustomization",
	.group = GROUP,
	.version = "v1",
	.kind = "Kustomization",
	.component = "kustomize-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.watches = watches,
	.setup = setup,
	.teardown = teardown,
};
