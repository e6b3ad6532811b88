/*
 * Kubernetes Events (see events.h). Aggregation follows client-go's EventCorrelator's
 * dedup step: the key is the involved object (uid, or namespace/name), type, reason,
 * message and source; a repeat PATCHes the existing Event's count and lastTimestamp. The
 * cache of recent events is bounded (4096, as client-go's LRU) by starting afresh when full.
 */
#include "runtime/events.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "util/clock.h"
#include "util/strmap.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/json_escape.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define MAX_CACHED 4096

struct seen {
	char *name;
	char *namespace;
	char *first;
	long count;
};

struct rt_recorder {
	struct kube_client *client;
	char *component;
	char *instance;
	pthread_mutex_t mu;
	struct strmap cache; /* aggregation key -> struct seen */
	unsigned long created, aggregated;
};

static const struct kube_resource events_resource = {
	.group = "", .version = "v1", .resource = "events", .kind = "Event", .singular = "event",
	.namespaced = true,
};

struct rt_recorder *rt_recorder_new(struct kube_client *c, const char *component,
				    const char *instance)
{
	struct rt_recorder *r = xcalloc(1, sizeof(*r));
	r->client = c;
	r->component = xstrdup(component);
	if (instance) {
		r->instance = xstrdup(instance);
	} else {
		char host[256] = "";
		gethostname(host, sizeof(host) - 1);
		r->instance = xstrdup(host);
	}
	pthread_mutex_init(&r->mu, NULL);
	return r;
}

static int free_seen(void *ud, const char *key, void *value)
{
	(void)ud;
	(void)key;
	struct seen *s = value;
	free(s->name);
	free(s->namespace);
	free(s->first);
	free(s);
	return 0;
}

void rt_recorder_free(struct rt_recorder *r)
{
	if (!r)
		return;
	strmap_each(&r->cache, free_seen, NULL);
	strmap_clear(&r->cache);
	pthread_mutex_destroy(&r->mu);
	free(r->component);
	free(r->instance);
	free(r);
}

unsigned long rt_recorder_created(struct rt_recorder *r)
{
	pthread_mutex_lock(&r->mu);
	unsigned long n = r->created;
	pthread_mutex_unlock(&r->mu);
	return n;
}

unsigned long rt_recorder_aggregated(struct rt_recorder *r)
{
	pthread_mutex_lock(&r->mu);
	unsigned long n = r->aggregated;
	pthread_mutex_unlock(&r->mu);
	return n;
}

static void add_json_field(struct buf *b, const char *key, const char *value, bool comma)
{
	if (comma)
		buf_addch(b, ',');
	json_escape(b, key, strlen(key));
	buf_addch(b, ':');
	json_escape(b, value ? value : "", value ? strlen(value) : 0);
}

static const char *str_or(const struct doc_node *obj, const char *path, const char *dflt)
{
	const char *s = doc_get_str(obj, path);
	return s ? s : dflt;
}

void rt_event(struct rt_recorder *r, const struct doc_node *obj, const char *type,
	      const char *reason, const char *const *annotations, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);

	const char *name = str_or(obj, "metadata.name", "");
	const char *obj_ns = str_or(obj, "metadata.namespace", "");
	const char *ns = *obj_ns ? obj_ns : "default";
	const char *uid = str_or(obj, "metadata.uid", "");

	struct timeval tv;
	gettimeofday(&tv, NULL);
	char now[32];
	clock_rfc3339(now, sizeof(now), tv.tv_sec);

	struct buf key = BUF_INIT;
	buf_addf(&key, "%s\x1f%s/%s\x1f%s\x1f%s\x1f%s\x1f%s", uid, obj_ns, name, type, reason,
		 r->component, msg.ptr);

	struct arena *a = arena_new();
	struct buf body = BUF_INIT;
	pthread_mutex_lock(&r->mu);
	err_clear();
	struct seen *s = strmap_get(&r->cache, key.ptr);
	int rc = ERR_NOTFOUND;
	if (s) {
		buf_addf(&body, "{\"count\":%ld", s->count + 1);
		add_json_field(&body, "lastTimestamp", now, true);
		buf_addch(&body, '}');
		rc = kube_patch(NULL, r->client, a, &events_resource, s->namespace, s->name,
				KUBE_PATCH_MERGE, body.ptr, body.len, NULL);
		if (rc == 0) {
			s->count++;
			r->aggregated++;
		} else {
			free_seen(NULL, NULL, strmap_remove(&r->cache, key.ptr));
			s = NULL;
		}
	}
	if (!s && (rc == ERR_NOTFOUND || rc == 0)) {
		/* client-go names events "<object>.<unix nanos in hex>". */
		char *ev_name = xasprintf("%s.%llx", name,
					  (unsigned long long)tv.tv_sec * 1000000000ULL +
						  (unsigned long long)tv.tv_usec * 1000ULL);
		buf_reset(&body);
		buf_adds(&body, "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{");
		add_json_field(&body, "name", ev_name, false);
		add_json_field(&body, "namespace", ns, true);
		if (annotations && annotations[0]) {
			buf_adds(&body, ",\"annotations\":{");
			for (size_t i = 0; annotations[i] && annotations[i + 1]; i += 2)
				add_json_field(&body, annotations[i], annotations[i + 1], i > 0);
			buf_addch(&body, '}');
		}
		buf_adds(&body, "},\"involvedObject\":{");
		add_json_field(&body, "apiVersion", str_or(obj, "apiVersion", ""), false);
		add_json_field(&body, "kind", str_or(obj, "kind", ""), true);
		if (*obj_ns)
			add_json_field(&body, "namespace", obj_ns, true);
		add_json_field(&body, "name", name, true);
		add_json_field(&body, "uid", uid, true);
		add_json_field(&body, "resourceVersion", str_or(obj, "metadata.resourceVersion", ""), true);
		buf_addch(&body, '}');
		add_json_field(&body, "reason", reason, true);
		add_json_field(&body, "message", msg.ptr, true);
		buf_adds(&body, ",\"source\":{");
		add_json_field(&body, "component", r->component, false);
		buf_addch(&body, '}');
		add_json_field(&body, "firstTimestamp", now, true);
		add_json_field(&body, "lastTimestamp", now, true);
		buf_adds(&body, ",\"count\":1");
		add_json_field(&body, "type", type, true);
		add_json_field(&body, "reportingComponent", r->component, true);
		add_json_field(&body, "reportingInstance", r->instance, true);
		buf_addch(&body, '}');
		struct doc_node *ev = NULL;
		rc = doc_parse_json(a, "event", body.ptr, body.len, NULL, &ev);
		if (rc == 0)
			rc = kube_create(NULL, r->client, a, ev, NULL);
		if (rc == 0) {
			if (r->cache.len >= MAX_CACHED) {
				strmap_each(&r->cache, free_seen, NULL);
				strmap_clear(&r->cache);
			}
			struct seen *n = xcalloc(1, sizeof(*n));
			n->name = ev_name;
			n->namespace = xstrdup(ns);
			n->first = xstrdup(now);
			n->count = 1;
			strmap_put(&r->cache, key.ptr, n);
			r->created++;
		} else {
			free(ev_name);
		}
	}
	pthread_mutex_unlock(&r->mu);
	if (rc)
		log_error("unable to record event", "reason", reason, "name", name, "namespace",
			  obj_ns, "error", err_msg(), NULL);
	buf_release(&body);
	buf_release(&key);
	buf_release(&msg);
	arena_free(a);
}
