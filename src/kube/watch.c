/*
 * WATCH streams (see watch.h). The decoder frames events by brace depth outside JSON
 * strings, so it does not depend on the newline the API server writes after each event,
 * and keeps at most one event's bytes. Each complete event is parsed into its own arena.
 */
#include "kube/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "kube/client.h"
#include "kube/client_impl.h"
#include "kube/status.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define DEFAULT_MAX_EVENT (16u << 20)

void watch_decoder_init(struct watch_decoder *d, size_t max_event, kube_watch_fn fn, void *ud)
{
	memset(d, 0, sizeof(*d));
	d->fn = fn;
	d->ud = ud;
	d->max = max_event ? max_event : DEFAULT_MAX_EVENT;
}

void watch_decoder_release(struct watch_decoder *d)
{
	free(d->frame);
	d->frame = NULL;
	d->len = d->cap = 0;
}

static int dispatch(struct watch_decoder *d)
{
	struct arena *a = arena_new();
	struct doc_node *ev = NULL;
	struct doc_limits lim = { .max_bytes = d->max };
	int rc = doc_parse_json(a, "watch event", d->frame, d->len, &lim, &ev);
	if (rc < 0)
		goto done;
	const char *type = doc_get_str(ev, "type");
	struct doc_node *obj = doc_get(ev, "object");
	if (!type || !obj || obj->kind != DOC_MAP) {
		rc = err_set(ERR_INVALID, "watch event %lu: missing type or object", d->events + 1);
		goto done;
	}
	d->events++;
	struct kube_event e = { .object = obj, .arena = a };
	if (strcmp(type, "ADDED") == 0)
		e.type = KUBE_EVENT_ADDED;
	else if (strcmp(type, "MODIFIED") == 0)
		e.type = KUBE_EVENT_MODIFIED;
	else if (strcmp(type, "DELETED") == 0)
		e.type = KUBE_EVENT_DELETED;
	else if (strcmp(type, "BOOKMARK") == 0)
		e.type = KUBE_EVENT_BOOKMARK;
	else if (strcmp(type, "ERROR") == 0) {
		rc = kube_status_from_doc(500, obj, "watch");
		goto done;
	} else {
		rc = err_set(ERR_INVALID, "watch event %lu: unknown type \"%s\"", d->events, type);
		goto done;
	}
	const char *rv = doc_get_str(obj, "metadata.resourceVersion");
	e.resource_version = rv ? rv : "";
	rc = d->fn(d->ud, &e);
	a = e.arena; /* NULL when the callback kept it */
done:
	arena_free(a);
	return rc;
}

int watch_decoder_feed(struct watch_decoder *d, const char *data, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (d->depth == 0 && d->len == 0) {
			/* between events: skip whitespace; an event must start with '{' */
			char ch = data[i];
			if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
				i++;
				continue;
			}
			if (ch != '{')
				return err_set(ERR_INVALID, "watch stream: unexpected byte 0x%02x "
					       "between events", (unsigned char)ch);
		}
		/* scan to the end of the current event, or of the data */
		size_t start = i;
		bool complete = false;
		for (; i < n; i++) {
			char ch = data[i];
			if (d->in_string) {
				if (d->escaped)
					d->escaped = false;
				else if (ch == '\\')
					d->escaped = true;
				else if (ch == '"')
					d->in_string = false;
				continue;
			}
			if (ch == '"')
				d->in_string = true;
			else if (ch == '{' || ch == '[')
				d->depth++;
			else if (ch == '}' || ch == ']') {
				if (--d->depth == 0) {
					i++;
					complete = true;
					break;
				}
			}
		}
		size_t chunk = i - start;
		if (d->len + chunk > d->max)
			return err_set(ERR_TOOBIG, "watch event larger than %zu bytes", d->max);
		if (d->len + chunk + 1 > d->cap) {
			size_t want = d->len + chunk + 1;
			d->frame = xgrow(d->frame, &d->cap, want < 4096 ? 4096 : want, 1);
		}
		memcpy(d->frame + d->len, data + start, chunk);
		d->len += chunk;
		d->frame[d->len] = '\0';
		if (complete) {
			int rc = dispatch(d);
			d->len = 0;
			if (rc != 0)
				return rc;
		}
	}
	return 0;
}

int watch_decoder_finish(struct watch_decoder *d)
{
	if (d->len > 0 || d->depth > 0)
		return err_set(ERR_UNAVAIL, "watch stream ended inside an event");
	return 0;
}

static int sink(void *ud, const char *data, size_t n)
{
	return watch_decoder_feed(ud, data, n);
}

static void add_param(struct buf *b, const char *key, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!value || !*value)
		return;
	buf_addch(b, strchr(b->ptr, '?') ? '&' : '?');
	buf_adds(b, key);
	buf_addch(b, '=');
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		unsigned char ch = *p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~')
			buf_addch(b, (char)ch);
		else
			buf_addf(b, "%%%c%c", hex[ch >> 4], hex[ch & 15]);
	}
}

int kube_watch(struct kube_client *c, const struct kube_resource *r, const char *ns,
	       bool all_namespaces, const struct kube_watch_opts *o, kube_watch_fn fn, void *ud)
{
	struct kube_watch_opts def = { 0 };
	if (!o)
		o = &def;
	struct buf path = BUF_INIT;
	const char *wns = NULL;
	if (r->namespaced && !all_namespaces)
		wns = ns && *ns ? ns : kube_client_namespace(c);
	kube_resource_path(&path, r, wns, NULL);
	add_param(&path, "watch", "1");
	add_param(&path, "resourceVersion", o->resource_version);
	if (o->bookmarks)
		add_param(&path, "allowWatchBookmarks", "true");
	if (o->timeout_seconds > 0) {
		char t[32];
		snprintf(t, sizeof(t), "%ld", o->timeout_seconds);
		add_param(&path, "timeoutSeconds", t);
	}
	add_param(&path, "labelSelector", o->label_selector);
	add_param(&path, "fieldSelector", o->field_selector);

	struct watch_decoder d;
	watch_decoder_init(&d, o->max_event, fn, ud);
	struct kube_request req = { .method = "GET", .path = path.ptr };
	struct transport_call call = {
		.req = &req, .sink = sink, .sink_ud = &d, .stop = o->stop, .no_retry = true,
		.timeout_ms = o->timeout_seconds > 0 ? (o->timeout_seconds + 60) * 1000 : -1,
	};
	int rc = kube_transport_perform(c, &call, NULL);
	if (rc == 0 && !(o->stop && atomic_load(o->stop)))
		rc = watch_decoder_finish(&d);
	watch_decoder_release(&d);
	buf_release(&path);
	return rc;
}
