/*
 * What an object looks like before it is sent (fluxcd/pkg ssa normalize.go Unstructured, as
 * the kustomize-controller calls it before applying): the defaults the API server would add
 * and that the unchanged rule compares are added, fields the server ignores are removed. Pure.
 */
#include <stdbool.h>
#include <string.h>

#include "apply/apply.h"
#include "apply/internal.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/banned.h"

static void default_ports_protocol(struct arena *a, struct doc_node *ports)
{
	if (!ports || ports->kind != DOC_SEQ)
		return;
	for (size_t i = 0; i < ports->u.seq.len; i++) {
		struct doc_node *p = ports->u.seq.items[i];
		if (p && p->kind == DOC_MAP && !doc_get_str(p, "protocol"))
			doc_map_set(a, p, "protocol", doc_new_str(a, "TCP"));
	}
}

static void default_pod_spec(struct arena *a, struct doc_node *spec)
{
	struct doc_node *cs = doc_get(spec, "containers");
	if (!cs || cs->kind != DOC_SEQ)
		return;
	for (size_t i = 0; i < cs->u.seq.len; i++)
		default_ports_protocol(a, doc_map_get(cs->u.seq.items[i], "ports"));
}

/* normalize.Unstructured as the kustomize-controller calls it before applying: the TCP
 * default of ports, Secrets' stringData folded into data, no status and no
 * creationTimestamp. (Flux keeps a CRD's status in the payload; the server ignores status
 * on the main resource either way, and leaving it out lets the unchanged rule hold.) */
void apply_normalize(struct arena *a, struct doc_node *obj, const struct apply_ref *r)
{
	doc_map_delete(obj, "status");
	struct doc_node *meta = doc_map_get(obj, "metadata");
	if (meta && meta->kind == DOC_MAP)
		doc_map_delete(meta, "creationTimestamp");
	const char *k = r->kind;
	bool core = !*r->group, apps = !strcmp(r->group, "apps"), batch = !strcmp(r->group, "batch");
	if (core && !strcmp(k, "Pod"))
		default_pod_spec(a, doc_get(obj, "spec"));
	else if ((apps && (!strcmp(k, "Deployment") || !strcmp(k, "StatefulSet") ||
			   !strcmp(k, "DaemonSet") || !strcmp(k, "ReplicaSet"))) ||
		 (batch && !strcmp(k, "Job")))
		default_pod_spec(a, doc_get(obj, "spec.template.spec"));
	else if (batch && !strcmp(k, "CronJob"))
		default_pod_spec(a, doc_get(obj, "spec.jobTemplate.spec.template.spec"));
	else if (core && !strcmp(k, "Service"))
		default_ports_protocol(a, doc_get(obj, "spec.ports"));
	else if (core && !strcmp(k, "Secret")) {
		struct doc_node *sd = doc_map_get(obj, "stringData");
		if (sd && sd->kind == DOC_MAP && sd->u.map.len) {
			struct doc_node *data = doc_map_child(a, obj, "data", DOC_MAP);
			for (size_t i = 0; i < sd->u.map.len; i++) {
				const struct doc_node *v = sd->u.map.items[i].value;
				if (!v || v->kind == DOC_SEQ || v->kind == DOC_MAP)
					continue;
				struct buf e;
				buf_init(&e, 0);
				base64_encode(&e, v->kind == DOC_NULL ? "" : v->u.str.ptr,
				    v->kind == DOC_NULL || v->kind == DOC_BOOL ? 0 : v->u.str.len);
				if (v->kind == DOC_BOOL) {
					buf_reset(&e);
					base64_encode(&e, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5);
				}
				doc_map_set(a, data, sd->u.map.items[i].key, doc_new_str(a, e.ptr));
				buf_release(&e);
			}
			doc_map_delete(obj, "stringData");
		}
	}
}
