/* Listing Flux objects from the cluster for `tide get`. */
#include <string.h>

#include "cli/connect.h"
#include "cli/flags.h"
#include "cli/get.h"
#include "cli/kinds.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

int get_resource(struct kube_client **c, const struct kube_resource **r, const struct cli_globals *g,
		 const struct cli_kind *k)
{
	*c = NULL;
	int rc = cli_connect(c, g);
	if (rc)
		return rc;
	rc = cli_find_resource(r, *c, k->api_version, k->kind);
	if (rc) {
		kube_client_free(*c);
		*c = NULL;
	}
	return rc;
}

int get_list(struct get_result *out, struct arena *a, const struct cli_globals *g,
	     const struct cli_kind *k, const char *name, const char *label_selector)
{
	out->items = NULL;
	out->len = 0;
	const char *ns = cli_namespace(g);
	out->namespace_quoted = arena_sprintf(a, "\"%s\"", ns);

	struct kube_client *c = NULL;
	const struct kube_resource *r;
	int rc = get_resource(&c, &r, g, k);
	if (rc)
		return rc;
	struct kube_opts o = { .label_selector = label_selector };
	if (name)
		o.field_selector = arena_sprintf(a, "metadata.name=%s", name);
	struct doc_node *list;
	rc = kube_list(&list, c, a, r, ns, g->all_namespaces, &o);
	if (rc)
		goto done;
	struct doc_node *items = doc_map_get(list, "items");
	if (items && items->kind == DOC_SEQ) {
		out->items = items->u.seq.items;
		out->len = items->u.seq.len;
	}
done:
	kube_client_free(c);
	return rc;
}
