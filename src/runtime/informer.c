/*
 * Shared informers (see informer.h): a thread per informer running client-go's reflector
 * loop: LIST, then WATCH from the last resourceVersion for as long as the server allows,
 * re-watching after every close; LIST again only on 410 Gone. The cache maps key -> struct
 * rt_object under a rwlock; handlers run on the informer's thread outside the lock, with
 * references held on the objects they are given.
 */
#include "runtime/informer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/watch.h"
#include "util/strmap.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

struct handler {
	rt_event_fn fn;
	void *ud;
};

struct rt_informer {
	struct kube_client *client;
	const struct kube_resource *res;
	char *namespace;
	bool all_namespaces;
	char *label_selector;
	long watch_timeout_s;
	int64_t max_backoff_ms;

	struct handler *handlers;
	size_t nhandlers, handlers_cap;

	pthread_rwlock_t lock;
	struct strmap cache; /* key -> struct rt_object * */
	char *rv;            /* last resourceVersion seen (informer thread only) */

	pthread_t thread;
	bool started;
	atomic_int stop;
	atomic_int synced;
	atomic_ulong lists;
	pthread_mutex_t err_mu;
	char last_error[512];
};

/* ---- Objects ---------------------------------------------------------------------------*/

struct rt_object *rt_object_ref(struct rt_object *o)
{
	atomic_fetch_add(&o->refs, 1);
	return o;
}

void rt_object_unref(struct rt_object *o)
{
	if (o && atomic_fetch_sub(&o->refs, 1) == 1)
		arena_free(o->arena); /* o itself lives in its arena */
}

struct rt_object *rt_object_new(struct arena *arena, struct doc_node *doc)
{
	struct rt_object *o = arena_alloc(arena, sizeof(*o));
	atomic_init(&o->refs, 1);
	o->arena = arena;
	o->doc = doc;
	const char *ns = doc_get_str(doc, "metadata.namespace");
	const char *name = doc_get_str(doc, "metadata.name");
	o->namespace = ns ? ns : "";
	o->name = name ? name : "";
	o->key = *o->namespace ? arena_sprintf(arena, "%s/%s", o->namespace, o->name) : o->name;
	const char *uid = doc_get_str(doc, "metadata.uid");
	o->uid = uid ? uid : "";
	const char *rv = doc_get_str(doc, "metadata.resourceVersion");
	o->resource_version = rv ? rv : "";
	struct doc_node *g = doc_get(doc, "metadata.generation");
	if (!g || doc_int64(g, &o->generation) != 0)
		o->generation = 0;
	o->deleting = doc_get(doc, "metadata.deletionTimestamp") != NULL;
	return o;
}

/* ---- Informer --------------------------------------------------------------------------*/

int rt_informer_new(struct rt_informer **out, struct kube_client *c,
		    const struct kube_resource *r, const struct rt_informer_opts *opts)
{
	struct rt_informer *inf = xcalloc(1, sizeof(*inf));
	inf->client = c;
	inf->res = r;
	if (opts && opts->namespace)
		inf->namespace = xstrdup(opts->namespace);
	inf->all_namespaces = opts && opts->all_namespaces;
	if (opts && opts->label_selector && *opts->label_selector)
		inf->label_selector = xstrdup(opts->label_selector);
	inf->watch_timeout_s = opts ? opts->watch_timeout_s : 0;
	inf->max_backoff_ms = opts && opts->max_backoff_ms > 0 ? opts->max_backoff_ms : 30000;
	pthread_rwlock_init(&inf->lock, NULL);
	pthread_mutex_init(&inf->err_mu, NULL);
	*out = inf;
	return 0;
}

void rt_informer_add_handler(struct rt_informer *inf, rt_event_fn fn, void *ud)
{
	inf->handlers = xgrow(inf->handlers, &inf->handlers_cap, inf->nhandlers + 1,
			      sizeof(*inf->handlers));
	inf->handlers[inf->nhandlers++] = (struct handler){ fn, ud };
}

static void notify(struct rt_informer *inf, enum rt_event_type t, const struct rt_object *old,
		   const struct rt_object *obj)
{
	for (size_t i = 0; i < inf->nhandlers; i++)
		inf->handlers[i].fn(inf->handlers[i].ud, t, old, obj);
}

static void set_rv(struct rt_informer *inf, const char *rv)
{
	if (!rv || !*rv)
		return;
	free(inf->rv);
	inf->rv = xstrdup(rv);
}

static void record_error(struct rt_informer *inf, const char *what)
{
	pthread_mutex_lock(&inf->err_mu);
	snprintf(inf->last_error, sizeof(inf->last_error), "%s %s: %s", what, inf->res->resource,
		 err_msg());
	pthread_mutex_unlock(&inf->err_mu);
}

/* Puts obj (one reference, handed over) into the cache and tells the handlers. */
static void upsert(struct rt_informer *inf, struct rt_object *obj)
{
	pthread_rwlock_wrlock(&inf->lock);
	struct rt_object *old = strmap_put(&inf->cache, obj->key, obj);
	pthread_rwlock_unlock(&inf->lock);
	if (old && !strcmp(old->resource_version, obj->resource_version)) {
		rt_object_unref(old); /* the same version again (a relist): nothing changed */
		return;
	}
	notify(inf, old ? RT_EVENT_UPDATE : RT_EVENT_ADD, old, obj);
	rt_object_unref(old);
}

static void remove_key(struct rt_informer *inf, const char *key, struct rt_object *last)
{
	pthread_rwlock_wrlock(&inf->lock);
	struct rt_object *old = strmap_remove(&inf->cache, key);
	pthread_rwlock_unlock(&inf->lock);
	if (old || last)
		notify(inf, RT_EVENT_DELETE, NULL, last ? last : old);
	rt_object_unref(old);
}

struct relist {
	struct strmap seen;
	struct strmap *cache;
	char **gone;
	size_t ngone, cap;
};

static int collect_gone(void *ud, const char *key, void *value)
{
	(void)value;
	struct relist *r = ud;
	if (!strmap_get(&r->seen, key)) {
		r->gone = xgrow(r->gone, &r->cap, r->ngone + 1, sizeof(*r->gone));
		r->gone[r->ngone++] = xstrdup(key);
	}
	return 0;
}

/* LIST and reconcile the cache with what came back. */
static int do_list(struct rt_informer *inf)
{
	struct arena *a = arena_new();
	struct doc_node *list = NULL;
	struct kube_opts o = { .label_selector = inf->label_selector };
	int rc = kube_list(&list, inf->client, a, inf->res, inf->namespace, inf->all_namespaces, &o);
	if (rc) {
		arena_free(a);
		return rc;
	}
	struct relist r = { .seen = STRMAP_INIT, .cache = &inf->cache };
	struct doc_node *items = doc_map_get(list, "items");
	for (size_t i = 0; items && items->kind == DOC_SEQ && i < items->u.seq.len; i++) {
		struct arena *oa = arena_new();
		struct rt_object *obj = rt_object_new(oa, doc_clone(oa, items->u.seq.items[i]));
		strmap_put(&r.seen, obj->key, obj);
		upsert(inf, obj);
	}
	pthread_rwlock_rdlock(&inf->lock);
	strmap_each(&inf->cache, collect_gone, &r);
	pthread_rwlock_unlock(&inf->lock);
	for (size_t i = 0; i < r.ngone; i++) {
		remove_key(inf, r.gone[i], NULL);
		free(r.gone[i]);
	}
	free(r.gone);
	strmap_clear(&r.seen);
	set_rv(inf, doc_get_str(list, "metadata.resourceVersion"));
	arena_free(a);
	atomic_fetch_add(&inf->lists, 1);
	atomic_store(&inf->synced, 1);
	return 0;
}

struct watch_state {
	struct rt_informer *inf;
	unsigned long events;
};

static int on_event(void *ud, struct kube_event *ev)
{
	struct watch_state *ws = ud;
	struct rt_informer *inf = ws->inf;
	ws->events++;
	if (ev->type == KUBE_EVENT_BOOKMARK) {
		set_rv(inf, ev->resource_version);
		return 0;
	}
	struct rt_object *obj = rt_object_new(ev->arena, ev->object);
	ev->arena = NULL; /* the object owns it now */
	set_rv(inf, obj->resource_version);
	if (ev->type == KUBE_EVENT_DELETED) {
		remove_key(inf, obj->key, obj);
		rt_object_unref(obj);
	} else {
		upsert(inf, obj);
	}
	return 0;
}

static void *run(void *p)
{
	struct rt_informer *inf = p;
	int64_t backoff = 200;
	bool need_list = true;
	while (!atomic_load(&inf->stop)) {
		if (need_list) {
			int rc = do_list(inf);
			if (rc) {
				record_error(inf, "list");
				log_error("failed to list", "resource", inf->res->resource, "error",
					  err_msg(), NULL);
				if (!clock_nap_ms(&inf->stop, backoff))
					break;
				backoff = backoff * 2 > inf->max_backoff_ms ? inf->max_backoff_ms : backoff * 2;
				continue;
			}
			need_list = false;
			backoff = 200;
		}
		/* client-go: a random timeout in [5, 10) minutes, so watches do not all end at once. */
		long timeout = inf->watch_timeout_s ? inf->watch_timeout_s : 300 + random() % 300;
		struct kube_watch_opts wo = {
			.resource_version = inf->rv,
			.bookmarks = true,
			.timeout_seconds = timeout,
			.label_selector = inf->label_selector,
			.stop = &inf->stop,
		};
		struct watch_state ws = { .inf = inf };
		int rc = kube_watch(inf->client, inf->res, inf->namespace, inf->all_namespaces, &wo,
				    on_event, &ws);
		if (atomic_load(&inf->stop))
			break;
		if (rc == 0) {
			backoff = 200;
			continue;
		}
		if (rc == ERR_GONE) {
			log_info("watch resourceVersion expired, listing again", "resource",
				 inf->res->resource, NULL);
			need_list = true;
			continue;
		}
		record_error(inf, "watch");
		log_error("watch failed, retrying", "resource", inf->res->resource, "error", err_msg(),
			  NULL);
		if (ws.events)
			backoff = 200;
		if (!clock_nap_ms(&inf->stop, backoff))
			break;
		backoff = backoff * 2 > inf->max_backoff_ms ? inf->max_backoff_ms : backoff * 2;
	}
	return NULL;
}

int rt_informer_start(struct rt_informer *inf)
{
	if (inf->started)
		return 0;
	if (pthread_create(&inf->thread, NULL, run, inf) != 0)
		return err_set(ERR_GENERIC, "'%s': cannot start the informer thread", inf->res->resource);
	inf->started = true;
	return 0;
}

bool rt_informer_synced(struct rt_informer *inf)
{
	return atomic_load(&inf->synced) != 0;
}

int rt_informer_wait_synced(struct rt_informer *inf, const atomic_int *stop, int64_t timeout_ms)
{
	int64_t waited = 0;
	while (!rt_informer_synced(inf)) {
		if ((stop && atomic_load(stop)) || (timeout_ms >= 0 && waited >= timeout_ms)) {
			pthread_mutex_lock(&inf->err_mu);
			int rc = err_set(ERR_TIMEOUT, "'%s': cache not synced%s%s", inf->res->resource,
					 *inf->last_error ? ": " : "", inf->last_error);
			pthread_mutex_unlock(&inf->err_mu);
			return rc;
		}
		usleep(20000);
		waited += 20;
	}
	return 0;
}

struct rt_object *rt_informer_get(struct rt_informer *inf, const char *key)
{
	pthread_rwlock_rdlock(&inf->lock);
	struct rt_object *o = strmap_get(&inf->cache, key);
	if (o)
		rt_object_ref(o);
	pthread_rwlock_unlock(&inf->lock);
	return o;
}

struct each_ctx {
	rt_each_fn fn;
	void *ud;
};

static int each_cb(void *ud, const char *key, void *value)
{
	(void)key;
	struct each_ctx *c = ud;
	return c->fn(c->ud, value);
}

int rt_informer_each(struct rt_informer *inf, rt_each_fn fn, void *ud)
{
	struct each_ctx c = { fn, ud };
	pthread_rwlock_rdlock(&inf->lock);
	int rc = strmap_each(&inf->cache, each_cb, &c);
	pthread_rwlock_unlock(&inf->lock);
	return rc;
}

size_t rt_informer_len(struct rt_informer *inf)
{
	pthread_rwlock_rdlock(&inf->lock);
	size_t n = inf->cache.len;
	pthread_rwlock_unlock(&inf->lock);
	return n;
}

unsigned long rt_informer_lists(struct rt_informer *inf)
{
	return atomic_load(&inf->lists);
}

const struct kube_resource *rt_informer_resource(struct rt_informer *inf)
{
	return inf->res;
}

void rt_informer_stop(struct rt_informer *inf)
{
	atomic_store(&inf->stop, 1);
	if (inf->started) {
		pthread_join(inf->thread, NULL);
		inf->started = false;
	}
}

static int unref_cb(void *ud, const char *key, void *value)
{
	(void)ud;
	(void)key;
	rt_object_unref(value);
	return 0;
}

void rt_informer_free(struct rt_informer *inf)
{
	if (!inf)
		return;
	rt_informer_stop(inf);
	strmap_each(&inf->cache, unref_cb, NULL);
	strmap_clear(&inf->cache);
	free(inf->handlers);
	free(inf->rv);
	free(inf->namespace);
	free(inf->label_selector);
	pthread_rwlock_destroy(&inf->lock);
	pthread_mutex_destroy(&inf->err_mu);
	free(inf);
}
