/*
 * The Bucket reconcile, the short orchestrator of Flux's source-controller
 * (source.toolkit.fluxcd.io/v1, bucket_controller.go): decode the object, write progress
 * when it changed, make the scratch directory, then the steps in Flux's order (storage;
 * source: auth, index, and the downloads when the revision is new; artifact: see bucket.h)
 * and the deletion path. Failures keep the last artifact in status and on disk; the manager
 * retries them with backoff.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/bucket/bucket.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/banned.h"

/* Flux's ProgressiveStatus, written at once when the object changed since it was last
 * handled. */
static void mark_progress(struct bucket *b)
{
	int64_t gen = 0, observed = -1;
	doc_int64(doc_get(b->obj, "metadata.generation"), &gen);
	doc_int64(doc_get(b->obj, "status.observedGeneration"), &observed);
	if (gen == observed)
		return;
	if (observed > 0)
		rt_cond_mark_reconciling(b->a, b->obj, RT_REASON_PROGRESSING,
					 "processing object: new generation %lld -> %lld",
					 (long long)observed, (long long)gen);
	else
		rt_cond_mark_reconciling(b->a, b->obj, RT_REASON_PROGRESSING, "reconciliation in progress");
	if (!rt_cond_get(b->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(b->a, b->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "reconciliation in progress");
	rt_write_status(b->r);
	err_clear();
}

/* A revision other than the artifact's: ArtifactOutdated (when there is one) and
 * Reconciling, written at once (Flux's reconcileSource). */
static void mark_new_revision(struct bucket *b)
{
	const char *msg = arena_sprintf(b->a, "new upstream revision '%s'", b->revision);
	if (doc_get(b->obj, "status.artifact"))
		rt_cond_mark_true(b->a, b->obj, COND_ARTIFACT_OUTDATED, REASON_NEW_REVISION, "%s", msg);
	rt_cond_mark_reconciling(b->a, b->obj, RT_REASON_PROGRESSING, "building artifact: %s", msg);
	if (!rt_cond_get(b->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(b->a, b->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "building artifact: %s", msg);
	rt_write_status(b->r);
	err_clear();
}

static void bucket_init(struct bucket *b, struct rt_reconcile *r)
{
	memset(b, 0, sizeof(*b));
	b->r = r;
	b->ctl = rt_data(r);
	b->a = rt_arena(r);
	b->obj = rt_object_doc(r);
	b->ns = rt_namespace(r);
	b->name = rt_name(r);
	b->sobj = (struct storage_object){ BUCKET_KIND, b->ns, b->name };
	bucket_spec_decode(b);
	b->deadline_ms = clock_mono_ms() + (b->spec.timeout_ms > 0 ? b->spec.timeout_ms
								   : BUCKET_DEFAULT_TIMEOUT_MS);
	b->failing = rt_cond_is_true(b->obj, COND_FETCH_FAILED) ||
		     rt_cond_is_true(b->obj, COND_STORAGE_FAILED);
	const char *d = doc_get_str(b->obj, "status.artifact.digest");
	b->old_digest = d ? arena_strdup(b->a, d) : NULL;
}

static int steps(struct bucket *b, struct rt_result *res)
{
	int rc;
	if ((rc = storage_tmpdir(b->ctl->st, "bucket", &b->dir))) {
		const char *msg = arena_sprintf(b->a, "failed to create temporary working directory: %s",
						err_msg());
		bucket_mark_failed(b, COND_STORAGE_FAILED, REASON_DIR_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	rt_cond_delete(b->obj, COND_STORAGE_FAILED);
	ctl_storage_step(b->ctl->svc, b->r, &b->sobj, b->obj);
	if ((rc = bucket_auth(b, res)))
		return rc > 0 ? 0 : rc;
	if ((rc = bucket_index_build(b)))
		return rc;
	bool fetch = !bucket_has_revision(b, b->revision);
	if (fetch) {
		if ((rc = bucket_fetch(b)))
			return rc;
		mark_new_revision(b);
	}
	rt_cond_delete(b->obj, COND_FETCH_FAILED);
	return bucket_artifact(b, fetch);
}

static int reconcile(struct rt_reconcile *r, struct rt_result *res)
{
	struct bucket b;
	bucket_init(&b, r);
	rt_cond_delete(b.obj, RT_COND_STALLED);
	mark_progress(&b);
	int rc = steps(&b, res);
	bucket_release(&b);
	return rc;
}

/* Deleting the object removes its artifacts. */
static int finalize(struct rt_reconcile *r)
{
	struct bucket_ctl *ctl = rt_data(r);
	const struct storage_object sobj = { BUCKET_KIND, rt_namespace(r), rt_name(r) };
	storage_remove_all(ctl->st, &sobj);
	return 0;
}

const struct rt_controller bucket_controller = {
	.name = "bucket",
	.group = "source.toolkit.fluxcd.io",
	.version = "v1",
	.kind = BUCKET_KIND,
	.component = "source-controller",
	.reconcile = reconcile,
	.finalize = finalize,
	.setup = bucket_setup,
	.teardown = bucket_teardown,
};
