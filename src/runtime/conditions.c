/*
 * Status conditions on object documents (see conditions.h), following
 * fluxcd/pkg/runtime/conditions (setter.go): Set, MarkReconciling, MarkStalled, Delete and
 * the kubectl-friendly ordering. Conditions are written with metav1.Condition's field order
 * (type, status, observedGeneration, lastTransitionTime, reason, message).
 */
#include "runtime/conditions.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "doc/doc.h"
#include "util/clock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/banned.h"

#define MAX_MESSAGE 32768

static int64_t fixed_clock;

void rt_cond_set_clock(int64_t now)
{
	fixed_clock = now;
}

static const char *str_of(const struct doc_node *n, const char *key)
{
	const struct doc_node *v = doc_map_get(n, key);
	return v && v->kind == DOC_STR ? v->u.str.ptr : "";
}

static int64_t int_of(const struct doc_node *n, const char *key)
{
	int64_t v = 0;
	const struct doc_node *x = doc_map_get(n, key);
	if (x && doc_int64(x, &v) != 0)
		v = 0;
	return v;
}

static struct doc_node *conditions_of(const struct doc_node *obj)
{
	struct doc_node *c = doc_get(obj, "status.conditions");
	return c && c->kind == DOC_SEQ ? c : NULL;
}

bool rt_cond_get(const struct doc_node *obj, const char *type, struct rt_condition *out)
{
	struct doc_node *cs = conditions_of(obj);
	for (size_t i = 0; cs && i < cs->u.seq.len; i++) {
		const struct doc_node *c = cs->u.seq.items[i];
		if (strcmp(str_of(c, "type"), type))
			continue;
		if (out) {
			out->type = str_of(c, "type");
			out->status = str_of(c, "status");
			out->reason = str_of(c, "reason");
			out->message = str_of(c, "message");
			out->last_transition_time = str_of(c, "lastTransitionTime");
			out->observed_generation = int_of(c, "observedGeneration");
		}
		return true;
	}
	return false;
}

static bool has_status(const struct doc_node *obj, const char *type, const char *status)
{
	struct rt_condition c;
	return rt_cond_get(obj, type, &c) && !strcmp(c.status, status);
}

bool rt_cond_is_true(const struct doc_node *obj, const char *type)
{
	return has_status(obj, type, "True");
}

bool rt_cond_is_false(const struct doc_node *obj, const char *type)
{
	return has_status(obj, type, "False");
}

bool rt_cond_is_unknown(const struct doc_node *obj, const char *type)
{
	return has_status(obj, type, "Unknown");
}

bool rt_cond_is_ready(const struct doc_node *obj)
{
	struct rt_condition c;
	if (!rt_cond_get(obj, RT_COND_READY, &c) || strcmp(c.status, "True"))
		return false;
	return c.observed_generation == int_of(doc_map_get(obj, "metadata"), "generation");
}

static int weight(const char *type)
{
	if (!strcmp(type, RT_COND_STALLED))
		return 0;
	if (!strcmp(type, RT_COND_RECONCILING))
		return 1;
	if (!strcmp(type, RT_COND_READY))
		return 2;
	return -1;
}

/* fluxcd/pkg's lexicographicLess. */
static bool less(const struct doc_node *i, const struct doc_node *j)
{
	const char *ti = str_of(i, "type"), *tj = str_of(j, "type");
	int wi = weight(ti), wj = weight(tj);
	if (wi >= 0 && wj >= 0)
		return wi < wj;
	if (wi >= 0 || wj >= 0)
		return wj < 0;
	int64_t gi = int_of(i, "observedGeneration"), gj = int_of(j, "observedGeneration");
	if (gi == gj)
		return strcmp(ti, tj) < 0;
	return gi > gj;
}

static void sort_conditions(struct doc_node *cs)
{
	/* Insertion sort: a handful of items, and stable. */
	for (size_t i = 1; i < cs->u.seq.len; i++) {
		struct doc_node *x = cs->u.seq.items[i];
		size_t j = i;
		while (j > 0 && less(x, cs->u.seq.items[j - 1])) {
			cs->u.seq.items[j] = cs->u.seq.items[j - 1];
			j--;
		}
		cs->u.seq.items[j] = x;
	}
}

static const char *now_rfc3339(struct arena *a)
{
	time_t t = fixed_clock ? (time_t)fixed_clock : time(NULL);
	char s[32];
	return arena_strdup(a, clock_rfc3339(s, sizeof(s), t));
}

static void vset(struct arena *a, struct doc_node *obj, const char *type, const char *status,
		 const char *reason, const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void vset(struct arena *a, struct doc_node *obj, const char *type, const char *status,
		 const char *reason, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT;
	buf_vaddf(&msg, fmt, ap);
	if (msg.len > MAX_MESSAGE) {
		msg.len = MAX_MESSAGE - 3;
		buf_adds(&msg, "...");
	}
	const char *text = msg.ptr ? msg.ptr : ""; /* an empty message allocates nothing */
	int64_t gen = int_of(doc_map_get(obj, "metadata"), "generation");

	struct doc_node *status_node = doc_map_child(a, obj, "status", DOC_MAP);
	struct doc_node *cs = doc_map_child(a, status_node, "conditions", DOC_SEQ);

	const char *ltt = NULL;
	size_t at = cs->u.seq.len;
	for (size_t i = 0; i < cs->u.seq.len; i++) {
		const struct doc_node *c = cs->u.seq.items[i];
		if (strcmp(str_of(c, "type"), type))
			continue;
		at = i;
		bool same = !strcmp(str_of(c, "status"), status) &&
			    !strcmp(str_of(c, "reason"), reason) && !strcmp(str_of(c, "message"), text);
		if (same) {
			const char *old = str_of(c, "lastTransitionTime");
			if (*old)
				ltt = old;
		}
		break;
	}
	if (!ltt)
		ltt = now_rfc3339(a);

	struct doc_node *c = doc_new_map(a);
	doc_map_set(a, c, "type", doc_new_str(a, type));
	doc_map_set(a, c, "status", doc_new_str(a, status));
	doc_map_set(a, c, "observedGeneration", doc_new_int(a, gen));
	doc_map_set(a, c, "lastTransitionTime", doc_new_str(a, ltt));
	doc_map_set(a, c, "reason", doc_new_str(a, reason));
	doc_map_set(a, c, "message", doc_new_strn(a, text, msg.len));
	buf_release(&msg);
	if (at < cs->u.seq.len)
		cs->u.seq.items[at] = c;
	else
		doc_seq_push(a, cs, c);
	sort_conditions(cs);
}

void rt_cond_set(struct arena *a, struct doc_node *obj, const char *type, const char *status,
		 const char *reason, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(a, obj, type, status, reason, fmt, ap);
	va_end(ap);
}

#define MARK(fn, status)                                                                   \
	void fn(struct arena *a, struct doc_node *obj, const char *type, const char *reason, \
		const char *fmt, ...)                                                        \
	{                                                                                  \
		va_list ap;                                                                \
		va_start(ap, fmt);                                                         \
		vset(a, obj, type, status, reason, fmt, ap);                               \
		va_end(ap);                                                                \
	}
MARK(rt_cond_mark_true, "True")
MARK(rt_cond_mark_false, "False")
MARK(rt_cond_mark_unknown, "Unknown")

/* Reconciling and Stalled exclude each other: marking one True deletes the other. */
#define MARK_EXCLUSIVE(fn, type, other)                                                    \
	void fn(struct arena *a, struct doc_node *obj, const char *reason, const char *fmt, ...) \
	{                                                                                  \
		rt_cond_delete(obj, other);                                                \
		va_list ap;                                                                \
		va_start(ap, fmt);                                                         \
		vset(a, obj, type, "True", reason, fmt, ap);                               \
		va_end(ap);                                                                \
	}
MARK_EXCLUSIVE(rt_cond_mark_reconciling, RT_COND_RECONCILING, RT_COND_STALLED)
MARK_EXCLUSIVE(rt_cond_mark_stalled, RT_COND_STALLED, RT_COND_RECONCILING)

bool rt_cond_delete(struct doc_node *obj, const char *type)
{
	struct doc_node *cs = conditions_of(obj);
	if (!cs)
		return false;
	for (size_t i = 0; i < cs->u.seq.len; i++) {
		if (strcmp(str_of(cs->u.seq.items[i], "type"), type))
			continue;
		memmove(cs->u.seq.items + i, cs->u.seq.items + i + 1,
			(cs->u.seq.len - i - 1) * sizeof(*cs->u.seq.items));
		cs->u.seq.len--;
		return true;
	}
	return false;
}
