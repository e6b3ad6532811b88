/*
 * Source references (see sourceref.h). The messages are Flux's: the kustomize-controller's
 * for an unsupported kind and a missing source, fluxcd/pkg runtime/acl's for a refused
 * namespace.
 */
#include "controllers/common/sourceref.h"

#include <string.h>

#include "doc/doc.h"
#include "runtime/controller.h"
#include "util/error.h"
#include "util/banned.h"

static const char *str_or(const struct doc_node *n, const char *path, const char *dflt)
{
	const char *s = n ? doc_get_str(n, path) : NULL;
	return s && *s ? s : dflt;
}

void ctl_source_ref_decode(struct ctl_source_ref *out, const struct doc_node *ref,
			   const char *default_ns)
{
	/* As the kustomize-controller: the kind picks the type, sourceRef.apiVersion is not read. */
	out->api_version = CTL_SOURCE_API_VERSION;
	out->kind = str_or(ref, "kind", "");
	out->name = str_or(ref, "name", "");
	out->namespace = str_or(ref, "namespace", default_ns);
}

int ctl_source_ref_check_kind(const struct ctl_source_ref *ref, const char *const *kinds)
{
	for (size_t i = 0; *ref->name && kinds[i]; i++)
		if (!strcmp(ref->kind, kinds[i]))
			return 0;
	return err_set(ERR_UNSUPPORTED, "source '%s' kind not supported", ref->kind);
}

int ctl_source_ref_check_access(const struct ctl_source_ref *ref, const char *ns, bool no_cross_ns)
{
	if (!no_cross_ns || !strcmp(ref->namespace, ns))
		return 0;
	return err_set(ERR_AUTH, "can't access '%s/%s/%s', cross-namespace references have been blocked",
		       ref->kind, ref->namespace, ref->name);
}

int ctl_source_get(struct rt_reconcile *r, const struct ctl_source_ref *ref, struct doc_node **out)
{
	int rc = rt_get(r, ref->api_version, ref->kind, ref->namespace, ref->name, out);
	if (rc == ERR_NOTFOUND)
		return err_set(rc, "Source '%s/%s/%s' not found", ref->kind, ref->namespace, ref->name);
	return rc;
}
