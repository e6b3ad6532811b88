/*
 * The artifact service every source kind shares: one storage root (source/storage.h), one
 * file server, one advertised address, as Flux's source-controller has one Storage for all
 * its reconcilers. The first source controller set up opens it, the last one torn down
 * closes it; the storage flags (--storage-path, --storage-addr, --storage-adv-addr,
 * --artifact-retention-ttl, --artifact-retention-records) are declared once here and listed
 * in each source kind's options, so `tide controller` shows them once and hands the value to
 * every kind (options.h).
 *
 * Also the steps every source kind runs around its artifact, as Flux's reconcilers share
 * them: the storage step (Flux's reconcileStorage: collect, verify the advertised artifact,
 * forget one that disappeared), the collection of old artifacts under the object's lock,
 * the artifact's URL, and the `latest` symlink that status.url names.
 */
#ifndef TIDE_CONTROLLERS_COMMON_STORAGE_H
#define TIDE_CONTROLLERS_COMMON_STORAGE_H

#include "controllers/common/options.h"
#include "source/storage.h"

struct arena;
struct doc_node;
struct rt_http;
struct rt_reconcile;

struct ctl_storage {
	struct storage *st;
	char *adv_addr; /* host:port written into artifact URLs */
	struct rt_http *server;
};

/* The storage flags, ending with a {0} entry, for a source kind's ctl_options. */
extern const struct ctl_option ctl_storage_flags[];

/* The process's artifact service, opened and served on the first call; every call is
 * paired with a ctl_storage_release. Thread safe. Errors are storage_open's or the file
 * server's, message set. */
int ctl_storage_acquire(struct ctl_storage **out);

/* Drops one reference; the last closes the server and the storage. NULL is allowed. */
void ctl_storage_release(struct ctl_storage *s);

/* "http://<adv_addr>/<path>" in arena a. */
const char *ctl_storage_url(const struct ctl_storage *s, struct arena *a, const char *path);

/* Collects obj's old artifacts (keeping current, a file name or NULL) under its lock; a
 * failure is logged at debug level, never the reconcile's (Flux logs it too). */
void ctl_storage_collect(struct ctl_storage *s, struct rt_reconcile *r,
			 const struct storage_object *sobj, const char *current);

/* Flux's reconcileStorage for the object being reconciled (its document obj): collects
 * old artifacts, then checks the file status.artifact names against its digest; one that
 * is gone, truncated or altered is removed (a Warning event ArtifactVerificationFailed for
 * the latter) and dropped from status with status.url, with Reconciling "building artifact:
 * disappeared from storage", and the status written at once. The artifact's URL is
 * rewritten to the current advertised address when it is kept. */
void ctl_storage_step(struct ctl_storage *s, struct rt_reconcile *r,
		      const struct storage_object *sobj, struct doc_node *obj);

/* Points obj's `latest` link (name, "latest.tar.gz") at file and returns its URL (arena
 * a), or NULL when the link could not be made: best effort, as Flux's Storage.Symlink. */
const char *ctl_storage_latest(struct ctl_storage *s, struct arena *a,
			       const struct storage_object *sobj, const char *file,
			       const char *name);

#endif
