/*
 * WATCH: a long-running request whose response is a stream of events, each a JSON object
 * {"type": "ADDED|MODIFIED|DELETED|BOOKMARK|ERROR", "object": {...}}. Events are parsed
 * one at a time as bytes arrive (each capped in size) and handed to a callback, so memory
 * stays flat however long the watch runs.
 *
 * The caller lists, then watches from the list's resourceVersion, and watches again from
 * the last event's resourceVersion whenever kube_watch returns 0 (the server closes every
 * watch after timeoutSeconds). ERR_GONE (410, the resourceVersion is too old) means: list
 * again, then watch from there.
 */
#ifndef TIDE_KUBE_WATCH_H
#define TIDE_KUBE_WATCH_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct doc_node;
struct kube_client;
struct kube_resource;

enum kube_event_type {
	KUBE_EVENT_ADDED,
	KUBE_EVENT_MODIFIED,
	KUBE_EVENT_DELETED,
	KUBE_EVENT_BOOKMARK, /* only metadata.resourceVersion is meaningful */
};

struct kube_event {
	enum kube_event_type type;
	struct doc_node *object;
	const char *resource_version; /* object's metadata.resourceVersion, or "" */
	/* The arena holding object, freed when the callback returns. A callback that keeps
	 * the object sets arena to NULL and then owns it (arena_free when done). */
	struct arena *arena;
};

/* Returns 0 to go on, > 0 to end the watch (kube_watch returns 0), < 0 to end it with
 * that error (kube_watch returns it; the callback sets the message). */
typedef int (*kube_watch_fn)(void *ud, struct kube_event *ev);

struct kube_watch_opts {
	const char *resource_version; /* start after this version; NULL = "most recent" */
	bool bookmarks;               /* allowWatchBookmarks */
	long timeout_seconds;         /* server closes the watch after this; 0 = its default */
	const char *label_selector;
	const char *field_selector;
	size_t max_event;             /* bytes per event; 0 = 16 MiB (ERR_TOOBIG past it) */
	const atomic_int *stop;       /* when set non-zero, the watch ends within ~1 s */
};

/* Watches r in ns (NULL = the client's namespace; all_namespaces for every namespace),
 * calling fn for each event in order, on the calling thread. Returns 0 when the server
 * ended the stream, fn asked to stop or o->stop was set; ERR_GONE on 410; the Status's
 * code for an ERROR event; transport errors as kube_request (no retries: the caller
 * re-watches). */
int kube_watch(struct kube_client *c, const struct kube_resource *r, const char *ns,
	       bool all_namespaces, const struct kube_watch_opts *o, kube_watch_fn fn, void *ud);

/* ---- The event-stream decoder, exposed for tests and fuzzing ---------------------------*/

struct watch_decoder {
	kube_watch_fn fn;
	void *ud;
	size_t max;        /* per event */
	char *frame;       /* bytes of the event being read */
	size_t len, cap;
	int depth;         /* nesting of {} and [] outside strings */
	bool in_string, escaped;
	unsigned long events;
};

void watch_decoder_init(struct watch_decoder *d, size_t max_event, kube_watch_fn fn, void *ud);
/* Feeds bytes (any split). Returns 0, > 0 when fn asked to stop, or an error: ERR_TOOBIG
 * (an event over the cap), ERR_INVALID (not JSON, or not an event), an ERROR event's code. */
int watch_decoder_feed(struct watch_decoder *d, const char *data, size_t n);
/* At end of stream: ERR_UNAVAIL when it stopped inside an event, else 0. */
int watch_decoder_finish(struct watch_decoder *d);
void watch_decoder_release(struct watch_decoder *d);

#endif
