/*
 * Events about the reconciled object with the metadata Flux's controllers put on them
 * (fluxcd/pkg apis/event): "<group>/revision", "<group>/originRevision" and
 * "<group>/token", each only when given, on top of rt_eventf (runtime/controller.h), which
 * records the Event and aggregates repeats. The group is the reconciled kind's API group
 * ("kustomize.toolkit.fluxcd.io").
 */
#ifndef TIDE_CONTROLLERS_COMMON_EVENTS_H
#define TIDE_CONTROLLERS_COMMON_EVENTS_H

struct rt_reconcile;

struct ctl_event_meta {
	const char *group;           /* required */
	const char *revision;        /* NULL: none */
	const char *origin_revision; /* NULL: none */
	const char *token;           /* NULL: none */
};

/* Records an event (type "Normal" or "Warning", Flux's reason) with meta's annotations;
 * meta NULL records none. Best effort, as rt_eventf. */
void ctl_eventf(struct rt_reconcile *r, const struct ctl_event_meta *meta, const char *type,
		const char *reason, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
