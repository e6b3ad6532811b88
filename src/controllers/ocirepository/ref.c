/*
 * Which artifact an OCIRepository pulls, as Flux's getArtifactRef and getRevision: spec.url
 * must be `oci://host/repository` without a tag or digest (else Stalled URLInvalid); then
 * spec.ref.digest wins over spec.ref.semver, which wins over spec.ref.tag, which defaults to
 * "latest". A semver range is matched against the repository's tags (those matching
 * semverFilter, when given), the highest match wins; for Helm chart layers a tag's '_' reads
 * as '+', as Helm writes build metadata into OCI tags. The revision is "<tag>@<digest>" with
 * the digest a HEAD of the manifest gives (a GET when the registry sends none), or the digest
 * itself for a digest reference; a poll that finds the revision of the stored artifact
 * downloads nothing more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controllers/ocirepository/ocirepository.h"
#include "doc/doc.h"
#include "runtime/conditions.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/regex.h"
#include "util/semver.h"
#include "util/banned.h"

/* spec.url as Flux's parseRepository checks it; the message of a refusal in *why. */
static int parse_url(struct ocirepo *o, const char **why)
{
	const char *url = o->spec.url ? o->spec.url : "";
	if (strncmp(url, "oci://", 6)) {
		*why = "URL must be in format 'oci://<domain>/<org>/<repo>'";
		return ERR_INVALID;
	}
	int rc = oci_ref_parse(&o->url, url);
	if (rc) {
		*why = arena_strdup(o->a, err_msg());
		return rc;
	}
	if (*o->url.tag) {
		*why = arena_sprintf(o->a, "URL must not contain a tag; remove ':%s'", o->url.tag);
		return ERR_INVALID;
	}
	if (*o->url.digest) {
		*why = arena_sprintf(o->a, "URL must not contain a digest; remove '@%s'", o->url.digest);
		return ERR_INVALID;
	}
	return 0;
}

static bool is_helm_chart(const struct ocirepo *o)
{
	return o->spec.media_type && !strcmp(o->spec.media_type, OCI_MT_HELM_CHART);
}

/* Flux's getTagBySemver: the highest tag in the range. */
static int tag_by_semver(struct ocirepo *o, const char **tag)
{
	const char **tags = NULL;
	size_t n = 0;
	int rc = oci_tags_list(o->client, o->url.repo, o->a, &tags, &n);
	if (rc)
		return rc;
	struct regex *filter = NULL;
	if (o->spec.semver_filter && (rc = regex_compile(&filter, o->spec.semver_filter, 0)))
		return rc;
	const char **names = arena_alloc(o->a, (n ? n : 1) * sizeof(*names));
	size_t *from = arena_alloc(o->a, (n ? n : 1) * sizeof(*from));
	size_t kept = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		bool match = true;
		if (filter && (rc = regex_match(filter, tags[i], strlen(tags[i]), &match)))
			break;
		if (!match)
			continue;
		char *name = arena_strdup(o->a, tags[i]);
		if (is_helm_chart(o))
			for (char *p = name; *p; p++)
				if (*p == '_')
					*p = '+';
		names[kept] = name;
		from[kept++] = i;
	}
	regex_free(filter);
	if (rc)
		return rc;
	struct semver_constraint *c = NULL;
	if ((rc = semver_constraint_parse(o->spec.semver, &c)))
		return err_set(rc, "semver '%s' parse error: %s", o->spec.semver, err_msg());
	long best = semver_latest(c, names, kept);
	semver_constraint_free(c);
	if (best < 0)
		return err_set(ERR_NOTFOUND, "no match found for semver: %s", o->spec.semver);
	*tag = tags[from[best]];
	return 0;
}

/* After the revision is known, as Flux's deferred observation in reconcileSource. */
static void observe_revision(struct ocirepo *o)
{
	if (ocirepo_has_revision(o, o->revision))
		return;
	const char *msg = arena_sprintf(o->a, "new revision '%s' for '%s'", o->revision, o->ref_str);
	if (doc_get(o->obj, "status.artifact"))
		rt_cond_mark_true(o->a, o->obj, COND_ARTIFACT_OUTDATED, "NewRevision", "%s", msg);
	rt_cond_mark_reconciling(o->a, o->obj, RT_REASON_PROGRESSING, "building artifact: %s", msg);
	if (!rt_cond_get(o->obj, RT_COND_READY, &(struct rt_condition){ 0 }))
		rt_cond_mark_unknown(o->a, o->obj, RT_COND_READY, RT_REASON_PROGRESSING,
				     "building artifact: %s", msg);
	rt_write_status(o->r);
	err_clear();
}

int ocirepo_ref(struct ocirepo *o, struct rt_result *res)
{
	const char *why = NULL;
	int rc = parse_url(o, &why);
	if (rc) {
		const char *msg = arena_sprintf(o->a, "URL validation failed for '%s': %s",
						o->spec.url ? o->spec.url : "", why);
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_URL_INVALID, msg);
		rt_cond_mark_stalled(o->a, o->obj, REASON_URL_INVALID, "%s", msg);
		res->outcome = RT_STALLED;
		return 1;
	}
	if ((rc = ocirepo_client(o)))
		return rc;

	const struct ocirepo_spec *s = &o->spec;
	if (s->digest) {
		if ((rc = oci_digest_check("digest", s->digest, strlen(s->digest)))) {
			const char *msg = arena_sprintf(o->a, "failed to determine artifact digest: %s",
							err_msg());
			ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_PULL_FAILED, msg);
			return err_set(rc, "%s", msg);
		}
		snprintf(o->digest, sizeof(o->digest), "%s", s->digest);
		o->revision = arena_strdup(o->a, s->digest);
		o->ref_str = arena_sprintf(o->a, "%s/%s@%s", o->url.host, o->url.repo, s->digest);
		observe_revision(o);
		return 0;
	}
	const char *tag = s->tag ? s->tag : "latest";
	if (s->semver && (rc = tag_by_semver(o, &tag))) {
		const char *msg = arena_sprintf(o->a, "failed to determine the artifact tag for '%s': %s",
						s->url, err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_READ_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	o->tag = tag;
	o->ref_str = arena_sprintf(o->a, "%s/%s:%s", o->url.host, o->url.repo, tag);
	struct oci_manifest_info head;
	if ((rc = oci_manifest_head(o->client, o->url.repo, tag, &head))) {
		const char *msg = arena_sprintf(o->a, "failed to determine artifact digest: %s", err_msg());
		ocirepo_mark_failed(o, COND_FETCH_FAILED, REASON_PULL_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	snprintf(o->digest, sizeof(o->digest), "%s", head.digest);
	o->revision = arena_sprintf(o->a, "%s@%s", tag, head.digest);
	observe_revision(o);
	return 0;
}
