/*
 * "Watch my sources and requeue the objects that point at them", for every kind that
 * consumes a source artifact (Kustomization today; HelmRelease, HelmChart next): a
 * runtime watch (runtime/controller.h) on each source kind whose mapping function queues
 * the controller's objects whose reference (at a path of the caller's choosing) names the
 * changed source. As Flux's SourceRevisionChangePredicate, only a new artifact revision
 * queues anything. Flux keeps a field index for the lookup; tide walks the controller's
 * informer cache, which holds the same objects.
 *
 *   static const struct ctl_source_index by_source_ref = { "spec.sourceRef" };
 *   static const struct rt_watch watches[] = {
 *           CTL_WATCH_SOURCE("GitRepository", &by_source_ref), ..., { 0 },
 *   };
 */
#ifndef TIDE_CONTROLLERS_COMMON_WATCHINDEX_H
#define TIDE_CONTROLLERS_COMMON_WATCHINDEX_H

#include "controllers/common/sourceref.h"
#include "runtime/controller.h"

/* Where the controller's objects hold their source reference. */
struct ctl_source_index {
	const char *ref_path; /* "spec.sourceRef" */
};

/* The rt_map_fn of CTL_WATCH_SOURCE: the watch's ud is a struct ctl_source_index. */
void ctl_watch_source_revision(struct rt_mapper *m, const struct rt_object *old,
			       const struct rt_object *obj);

#define CTL_WATCH_SOURCE(kind, index) { CTL_SOURCE_API_VERSION, (kind), ctl_watch_source_revision, (index) }

#endif
