/*
 * The shared artifact service and the storage steps of every source kind (see storage.h):
 * one reference-counted service behind a mutex, opened from the storage flags, and the
 * steps Flux's source reconcilers share around their artifacts.
 */
#include "controllers/common/storage.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "controllers/common/options.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "runtime/controller.h"
#include "runtime/http.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

static struct {
	const char *storage_path, *storage_addr, *storage_adv_addr;
	int64_t retention_ttl_ms;
	long retention_records;
} settings = { "/data", ":9090", "", STORAGE_DEFAULT_RETENTION_TTL_MS,
	       STORAGE_DEFAULT_RETENTION_RECORDS };

const struct ctl_option ctl_storage_flags[] = {
	{ "storage-path", CTL_OPT_STRING, &settings.storage_path, "The local storage path.", "/data" },
	{ "storage-addr", CTL_OPT_STRING, &settings.storage_addr, "The address the static file server binds to.", ":9090" },
	{ "storage-adv-addr", CTL_OPT_STRING, &settings.storage_adv_addr,
	  "The advertised address of the static file server.", NULL },
	{ "artifact-retention-ttl", CTL_OPT_DURATION, &settings.retention_ttl_ms,
	  "The duration of time that artifacts from previous reconciliations will be kept in storage before being garbage collected.",
	  "1m0s" },
	{ "artifact-retention-records", CTL_OPT_INT, &settings.retention_records,
	  "The maximum number of artifacts to be kept in storage after a garbage collection.", "2" },
	{ 0 },
};

static pthread_mutex_t service_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ctl_storage *service;
static int service_refs;

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

static void service_free(struct ctl_storage *s)
{
	rt_http_free(s->server); /* no download in flight past this */
	storage_free(s->st);
	free(s->adv_addr);
	free(s);
}

static int service_open(struct ctl_storage **out)
{
	const char *path = *settings.storage_path ? settings.storage_path : "/data";
	const char *addr = *settings.storage_addr ? settings.storage_addr : ":9090";
	struct storage_opts so = { settings.retention_ttl_ms, (int)settings.retention_records };
	struct ctl_storage *s = xcalloc(1, sizeof(*s));
	int rc = storage_open(&s->st, path, &so);
	if (!rc)
		rc = rt_http_new(&s->server, addr);
	if (!rc)
		rc = storage_serve(s->st, s->server);
	if (!rc)
		rc = rt_http_start(s->server);
	if (rc) {
		service_free(s);
		return rc;
	}
	s->adv_addr = advertised_addr(addr, settings.storage_adv_addr, rt_http_port(s->server));
	*out = s;
	return 0;
}

int ctl_storage_acquire(struct ctl_storage **out)
{
	pthread_mutex_lock(&service_lock);
	int rc = service ? 0 : service_open(&service);
	if (!rc) {
		service_refs++;
		*out = service;
	}
	pthread_mutex_unlock(&service_lock);
	return rc;
}

void ctl_storage_release(struct ctl_storage *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&service_lock);
	if (s == service && --service_refs == 0) {
		service_free(service);
		service = NULL;
	}
	pthread_mutex_unlock(&service_lock);
}

const char *ctl_storage_url(const struct ctl_storage *s, struct arena *a, const char *path)
{
	return arena_sprintf(a, "http://%s/%s", s->adv_addr, path);
}

void ctl_storage_collect(struct ctl_storage *s, struct rt_reconcile *r,
			 const struct storage_object *sobj, const char *current)
{
	struct storage_lock *lock = NULL;
	size_t n = 0;
	if (storage_lock(s->st, sobj, false, &lock) == 0 &&
	    storage_gc(s->st, sobj, current, &n) == 0 && n) {
		char count[24];
		snprintf(count, sizeof(count), "%zu", n);
		rt_log(r, LOG_DEBUG, "garbage collected artifacts", "count", count, NULL);
	}
	storage_unlock(lock);
	err_clear();
}

void ctl_storage_step(struct ctl_storage *s, struct rt_reconcile *r,
		      const struct storage_object *sobj, struct doc_node *obj)
{
	struct arena *a = rt_arena(r);
	const char *path = doc_get_str(obj, "status.artifact.path");
	if (!path)
		return;
	const char *slash = strrchr(path, '/');
	ctl_storage_collect(s, r, sobj, slash ? slash + 1 : path);
	/* A path read back from status names nothing outside the object's directory. */
	bool owned = storage_owns_path(sobj, path);
	bool missing = !owned || !storage_exists(s->st, path);
	if (!missing) {
		int64_t size = -1;
		doc_int64(doc_get(obj, "status.artifact.size"), &size);
		struct storage_lock *lock = NULL;
		int rc = storage_lock(s->st, sobj, false, &lock);
		if (!rc && storage_verify(s->st, path, doc_get_str(obj, "status.artifact.digest"), size)) {
			rt_eventf(r, "Warning", "ArtifactVerificationFailed", NULL,
				  "failed to verify integrity of artifact: %s", err_msg());
			rt_log(r, LOG_ERROR, "failed to verify integrity of artifact", "path", path, "error",
			       err_msg(), NULL);
			/* never served again: the same name is written afresh when rebuilt */
			if (storage_remove(s->st, path))
				rt_log(r, LOG_ERROR, "failed to remove artifact after digest mismatch", "error",
				       err_msg(), NULL);
			missing = true;
		}
		storage_unlock(lock);
		err_clear();
	}
	if (!missing) {
		/* Flux's SetArtifactURL: the advertised address may have changed */
		doc_set(a, obj, "status.artifact.url", doc_new_str(a, ctl_storage_url(s, a, path)));
		return;
	}
	doc_delete(obj, "status.artifact");
	doc_delete(obj, "status.url");
	rt_cond_delete(obj, "ArtifactInStorage");
	const char *msg = "building artifact: disappeared from storage";
	rt_cond_mark_reconciling(a, obj, RT_REASON_PROGRESSING, "%s", msg);
	rt_cond_mark_unknown(a, obj, RT_COND_READY, RT_REASON_PROGRESSING, "%s", msg);
	rt_write_status(r);
	err_clear();
}

const char *ctl_storage_latest(struct ctl_storage *s, struct arena *a,
			       const struct storage_object *sobj, const char *file,
			       const char *name)
{
	if (storage_symlink(s->st, sobj, file, name)) {
		err_clear();
		return NULL;
	}
	char *rel = storage_artifact_path(sobj, name);
	const char *url = ctl_storage_url(s, a, rel);
	free(rel);
	return url;
}
