/*
 * The typed Kustomization (kustomize.toolkit.fluxcd.io/v1 KustomizationSpec and the status
 * fields the controller owns). The spec is decoded once at the start of a reconcile with
 * the CRD's kubebuilder defaults (retryInterval and timeout default to interval,
 * deletionPolicy to MirrorPrune, a dependsOn or sourceRef without namespace to the
 * Kustomization's); after that the steps read fields, not document paths. The API server
 * has already validated what the CRD's schema says (interval required, durations' pattern,
 * enums), so decoding falls back to the defaults rather than failing on what cannot come.
 */
#include "controllers/kustomization/ks.h"

#include <string.h>

#include "controllers/common/fields.h"
#include "doc/doc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/duration.h"
#include "util/error.h"
#include "util/banned.h"

#define DEFAULT_INTERVAL_MS (10 * 60 * 1000)

/* The source kinds a Kustomization takes. */
static const char *const source_kinds[] = { "GitRepository", "OCIRepository", "Bucket", "ExternalArtifact", NULL };

static const char *str_of(const struct doc_node *n, const char *path)
{
	const char *s = doc_get_str(n, path);
	return s ? s : "";
}

static void decode_health_checks(struct ks_spec *spec, struct arena *a, const struct doc_node *list)
{
	if (!list || list->kind != DOC_SEQ || !list->u.seq.len)
		return;
	spec->health_checks = arena_alloc(a, list->u.seq.len * sizeof(*spec->health_checks));
	for (size_t i = 0; i < list->u.seq.len; i++) {
		const struct doc_node *hc = list->u.seq.items[i];
		const char *av = doc_get_str(hc, "apiVersion");
		spec->health_checks[spec->nhealth_checks++] = (struct ks_health_check){
			.api_version = av ? av : "v1",
			.kind = str_of(hc, "kind"),
			.name = str_of(hc, "name"),
			.namespace = doc_get_str(hc, "namespace"),
		};
	}
}

int ks_spec_decode(struct ks_spec *spec, struct ks_status *st, struct arena *a, const struct doc_node *obj)
{
	const struct doc_node *s = doc_map_get(obj, "spec");
	*spec = (struct ks_spec){ 0 };
	*st = (struct ks_status){ 0 };
	spec->namespace = str_of(obj, "metadata.namespace");
	spec->name = str_of(obj, "metadata.name");
	spec->interval_ms = field_duration_ms(s, "interval", DEFAULT_INTERVAL_MS);
	spec->retry_interval_ms = field_duration_ms(s, "retryInterval", spec->interval_ms);
	spec->timeout_ms = field_duration_ms(s, "timeout", spec->interval_ms);
	spec->path = str_of(s, "path");
	spec->prune = field_bool(s, "prune");
	spec->wait = field_bool(s, "wait");
	spec->force = field_bool(s, "force");
	spec->suspend = field_bool(s, "suspend");
	spec->target_namespace = str_of(s, "targetNamespace");
	spec->name_prefix = str_of(s, "namePrefix");
	spec->name_suffix = str_of(s, "nameSuffix");
	ctl_dependson_decode(a, doc_map_get(s, "dependsOn"), spec->namespace, &spec->depends_on,
			     &spec->ndepends_on);
	decode_health_checks(spec, a, doc_map_get(s, "healthChecks"));
	spec->client = (struct ctl_client_spec){
		.service_account_name = doc_get_str(s, "serviceAccountName"),
		.kubeconfig_secret = doc_get_str(s, "kubeConfig.secretRef.name"),
		.kubeconfig_key = doc_get_str(s, "kubeConfig.secretRef.key"),
	};
	const char *policy = str_of(s, "deletionPolicy");
	spec->deletion_policy = !strcmp(policy, "Delete")   ? KS_DELETE_DELETE
				: !strcmp(policy, "Orphan") ? KS_DELETE_ORPHAN
							    : KS_DELETE_MIRROR_PRUNE;
	spec->spec_doc = s;
	spec->patches = doc_map_get(s, "patches");
	spec->images = doc_map_get(s, "images");
	spec->components = doc_map_get(s, "components");
	spec->common_metadata = doc_map_get(s, "commonMetadata");
	spec->post_build = doc_map_get(s, "postBuild");
	spec->decryption = doc_map_get(s, "decryption");

	st->last_applied_revision = doc_get_str(obj, "status.lastAppliedRevision");
	st->inventory_ok = apply_inventory_from_doc(&st->inventory, a, doc_get(obj, "status.inventory")) == 0;

	ctl_source_ref_decode(&spec->source_ref, doc_map_get(s, "sourceRef"), spec->namespace);
	return ctl_source_ref_check_kind(&spec->source_ref, source_kinds);
}

void ks_status_store(struct arena *a, struct doc_node *obj, const struct ks_status *st)
{
	if (st->last_attempted_revision)
		doc_set(a, obj, "status.lastAttemptedRevision", doc_new_str(a, st->last_attempted_revision));
	if (st->inventory_set)
		doc_set(a, obj, "status.inventory", apply_inventory_to_doc(a, &st->inventory));
	if (st->last_applied_revision)
		doc_set(a, obj, "status.lastAppliedRevision", doc_new_str(a, st->last_applied_revision));
	if (st->origin_set && st->last_applied_origin_revision)
		doc_set(a, obj, "status.lastAppliedOriginRevision", doc_new_str(a, st->last_applied_origin_revision));
	else if (st->origin_set)
		doc_delete(obj, "status.lastAppliedOriginRevision");
}

const char *ks_duration(struct arena *a, int64_t ms)
{
	char b[64];
	return arena_strdup(a, duration_format(b, sizeof(b), ms));
}

const char *ks_changeset_log(struct arena *a, const struct apply_changeset *cs)
{
	struct buf b = BUF_INIT;
	apply_changeset_format(&b, cs, true);
	const char *s = arena_strdup(a, b.ptr);
	buf_release(&b);
	return s;
}
