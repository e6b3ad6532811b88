/*
 * Source references (Flux's meta.NamespacedObjectKindReference, as spec.sourceRef of a
 * Kustomization and, next, of HelmRelease/HelmChart): decoding one with the referrer's
 * namespace as default, refusing a kind the referrer does not take, refusing another
 * namespace under --no-cross-namespace-refs with Flux's message (runtime/acl), and reading
 * the source object.
 */
#ifndef TIDE_CONTROLLERS_COMMON_SOURCEREF_H
#define TIDE_CONTROLLERS_COMMON_SOURCEREF_H

#include <stdbool.h>

struct doc_node;
struct rt_reconcile;

#define CTL_SOURCE_API_VERSION "source.toolkit.fluxcd.io/v1"

/* Flux's reason for a reference refused by the ACL. */
#define CTL_REASON_ACCESS_DENIED "AccessDenied"

struct ctl_source_ref {
	const char *api_version; /* CTL_SOURCE_API_VERSION (Flux reads the kind only) */
	const char *kind;        /* "" when missing */
	const char *name;        /* "" when missing */
	const char *namespace;   /* the referrer's when the reference names none */
};

/* Decodes ref (a mapping {kind, name, namespace?}; NULL gives empty fields)
 * with default_ns as the namespace when it names none. Strings borrow from ref. */
void ctl_source_ref_decode(struct ctl_source_ref *out, const struct doc_node *ref,
			   const char *default_ns);

/* 0 when ref names one of kinds (NULL-terminated) and has a name; else ERR_UNSUPPORTED
 * with Flux's message "source 'KIND' kind not supported". */
int ctl_source_ref_check_kind(const struct ctl_source_ref *ref, const char *const *kinds);

/* 0 when the referrer in namespace ns may follow ref; ERR_AUTH with "can't access
 * 'KIND/NS/NAME', cross-namespace references have been blocked" when no_cross_ns is set
 * and ref is in another namespace. */
int ctl_source_ref_check_access(const struct ctl_source_ref *ref, const char *ns, bool no_cross_ns);

/* The source object (from the informer cache when the controller watches its kind), in
 * the reconcile's arena. ERR_NOTFOUND with "Source 'KIND/NS/NAME' not found"; other
 * errors with rt_get's message. */
int ctl_source_get(struct rt_reconcile *r, const struct ctl_source_ref *ref, struct doc_node **out);

#endif
