/*
 * The remote builder, as Flux's buildFromHelmRepository and remoteChartBuilder: the
 * repository the HelmRepository describes (an invalid URL stalls with URLInvalid, a Secret
 * that cannot be read is FetchFailed AuthenticationFailed), the chart version chosen, the
 * signature of an OCI chart verified when spec.verify asks (cosign with the Secret's public
 * keys; keyless and notation are refused, never skipped), the version given the object's
 * generation as build metadata when valuesFiles are set, and then either the stored
 * artifact (same name and version, generation unchanged: nothing downloaded), the chart
 * archive as it was downloaded (its metadata checked), or, with valuesFiles, the chart
 * loaded, its values.yaml replaced by the merged files and packaged again. Errors that read
 * like authentication ("401", "unauthorized", "tls", ...) are Flux's AuthenticationFailed.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/common/secret.h"
#include "controllers/helmchart/helmchart.h"
#include "controllers/helmchart/package.h"
#include "controllers/helmchart/repo.h"
#include "doc/doc.h"
#include "helm/chart.h"
#include "runtime/conditions.h"
#include "source/cosign.h"
#include "source/oci_registry.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/banned.h"

#define MAX_KEYS 64

static int config_error(struct helmchart *c, int rc)
{
	const char *msg = rc == ERR_UNSUPPORTED
		? arena_strdup(c->a, err_msg())
		: arena_sprintf(c->a, rc == ERR_INVALID ? "invalid Helm repository URL: %s"
						       : "failed to construct Helm client: %s", err_msg());
	const char *reason = rc == ERR_INVALID ? REASON_URL_INVALID : RT_REASON_FAILED;
	if (rc == ERR_AUTH || rc == ERR_NOTFOUND || rc == ERR_UNSUPPORTED) {
		helmchart_mark_failed(c, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	helmchart_mark_failed(c, COND_FETCH_FAILED, reason, msg);
	rt_cond_mark_stalled(c->a, c->obj, reason, "%s", msg);
	c->stalled = true;
	return err_set(rc, "%s", msg);
}

static bool auth_like(const char *msg)
{
	static const char *const words[] = { "401", "unauthorized", "authentication required", "tls",
					     "unknown certificate authority" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(msg, words[i]))
			return true;
	return false;
}

static void mark_unverified(struct helmchart *c, const char *provider, const char *why)
{
	const char *msg = arena_sprintf(c->a, "failed to verify the signature using provider '%s': %s",
					provider, why);
	rt_cond_mark_false(c->a, c->obj, COND_SOURCE_VERIFIED, REASON_VERIFICATION_ERROR, "%s", msg);
	rt_cond_mark_false(c->a, c->obj, RT_COND_READY, REASON_VERIFICATION_ERROR, "%s", msg);
	rt_eventf(c->r, "Warning", REASON_VERIFICATION_ERROR, NULL, "%s", msg);
	err_set(ERR_AUTH, "%s", msg);
}

/* Flux's makeVerifiers: only cosign with public keys. */
static int read_keys(struct helmchart *c, struct cosign_key *keys, size_t *n)
{
	const char *provider = c->spec.verify_provider;
	if (strcmp(provider, "cosign")) {
		mark_unverified(c, provider, "only the cosign provider with public keys is supported by tide");
		rt_cond_mark_stalled(c->a, c->obj, REASON_VERIFICATION_ERROR, "%s", err_msg());
		c->stalled = true;
		return ERR_UNSUPPORTED;
	}
	if (!c->spec.verify_secret_ref) {
		mark_unverified(c, "cosign keyless", "keyless verification (Fulcio, Rekor) is not supported "
				"by tide; set spec.verify.secretRef to a Secret with the cosign public keys");
		rt_cond_mark_stalled(c->a, c->obj, REASON_VERIFICATION_ERROR, "%s", err_msg());
		c->stalled = true;
		return ERR_UNSUPPORTED;
	}
	struct doc_node *secret = NULL;
	int rc = secret_fetch(c->r, c->ns, c->spec.verify_secret_ref, &secret);
	if (rc) {
		mark_unverified(c, "cosign", err_msg());
		return rc;
	}
	secret_cosign_keys(c->a, secret, keys, MAX_KEYS, n);
	if (!*n) {
		mark_unverified(c, "cosign", arena_sprintf(c->a, "no public keys found in secret '%s/%s'",
							   c->ns, c->spec.verify_secret_ref));
		return ERR_INVALID;
	}
	return 0;
}

/* Flux's OCIChartRepository.VerifyChart with the cosign key verifier. */
static int verify_chart(struct helmchart *c, struct chart_repo *repo, const struct chart_version *cv,
			const struct cosign_key *keys, size_t nkeys)
{
	struct oci_client *client = NULL;
	int rc = chart_repo_oci_client(repo, &client);
	if (rc)
		return rc;
	struct oci_manifest_info info;
	if (!(rc = oci_manifest_head(client, cv->oci_repo, cv->version, &info)))
		rc = cosign_verify(client, cv->oci_repo, info.digest, keys, nkeys, NULL, NULL);
	if (rc == ERR_NOTFOUND)
		rc = err_set(ERR_INVALID, "no matching signatures were found for '%s/%s'", repo->host,
			     cv->oci_repo);
	if (rc)
		return helmchart_build_failed(c, BUILD_VERIFICATION, rc,
					      arena_sprintf(c->a, "failed to verify %s: %s", cv->url, err_msg()));
	return 0;
}

static const struct helm_load_limits *load_limits(void)
{
	static struct helm_load_limits lim;
	lim.max_archive_bytes = (size_t)helmchart_max_size;
	lim.max_file_bytes = (size_t)helmchart_file_max_size;
	return &lim;
}

static int build(struct helmchart *c, struct chart_repo *repo)
{
	struct chart_build *b = &c->build;
	struct cosign_key keys[MAX_KEYS];
	size_t nkeys = 0;
	int rc;
	bool verify = c->spec.verify && repo->oci;
	if (verify && (rc = read_keys(c, keys, &nkeys)))
		return rc;
	if (!c->spec.chart || !*c->spec.chart)
		return helmchart_build_failed(c, BUILD_CHART_REFERENCE, ERR_INVALID, "no name set");
	struct chart_version cv;
	bool reference = false;
	if ((rc = chart_repo_get_version(repo, c->spec.chart, c->spec.version, &cv, &reference)))
		return helmchart_build_failed(c, reference ? BUILD_CHART_REFERENCE : BUILD_CHART_PULL, rc,
					      arena_sprintf(c->a, "failed to get chart version for remote "
							    "reference: %s", err_msg()));
	if (verify && (rc = verify_chart(c, repo, &cv, keys, nkeys)))
		return rc;
	b->verified = verify;
	b->name = cv.name;
	b->version = cv.version;
	bool packaging = c->spec.nvalues_files > 0;
	if (packaging &&
	    (rc = helmchart_version_with_metadata(c->a, cv.version,
						  arena_sprintf(c->a, "%lld", (long long)c->generation),
						  &b->version)))
		return helmchart_build_failed(c, BUILD_METADATA_PATCH, rc, err_msg());
	if (!c->force && helmchart_has_build(c, b->name, b->version)) {
		helmchart_use_cached(c, packaging);
		return 0;
	}
	const char *dir = NULL;
	if ((rc = helmchart_tmpdir(c, &dir))) {
		const char *msg = arena_sprintf(c->a, "failed to create temporary working directory: %s",
						err_msg());
		helmchart_mark_failed(c, COND_FETCH_FAILED, REASON_DIR_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	const char *pulled = arena_sprintf(c->a, "%s/pulled.tgz", dir);
	if ((rc = chart_repo_download(repo, &cv, pulled)))
		return helmchart_build_failed(c, BUILD_CHART_PULL, rc,
					      arena_sprintf(c->a, "failed to download chart for remote "
							    "reference: %s", err_msg()));
	struct helm_chart *chart = NULL;
	rc = helm_chart_load(c->a, pulled, load_limits(), &chart);
	if (!packaging) {
		if (rc)
			return helmchart_build_failed(c, BUILD_CHART_PULL, rc,
						      arena_sprintf(c->a, "failed to load chart metadata "
								    "from written chart: %s", err_msg()));
		b->path = pulled;
		return 0;
	}
	if (rc)
		return helmchart_build_failed(c, BUILD_PACKAGE, rc,
					      arena_sprintf(c->a, "failed to load downloaded chart: %s",
							    err_msg()));
	chart->metadata.version = b->version;
	struct helmchart_values merged;
	if ((rc = helmchart_values_from_chart(c->a, chart, c->spec.values_files, c->spec.nvalues_files,
					      c->spec.ignore_missing_values_files, &merged)))
		return helmchart_build_failed(c, BUILD_VALUES_FILES, rc,
					      arena_sprintf(c->a, "failed to merge chart values: %s",
							    err_msg()));
	if (merged.changed) {
		b->values_files = merged.found;
		b->nvalues_files = merged.nfound;
	}
	const char *packaged = arena_sprintf(c->a, "%s/packaged.tgz", dir);
	struct artifact_info info;
	if ((rc = helmchart_package(c->a, chart, packaged, NULL, &info)))
		return helmchart_build_failed(c, BUILD_PACKAGE, rc, err_msg());
	b->path = packaged;
	b->packaged = true;
	return 0;
}

int helmchart_build_remote(struct helmchart *c)
{
	struct chart_repo repo;
	int rc = chart_repo_from_object(c, c->source, &repo);
	if (rc) {
		rc = config_error(c, rc);
		chart_repo_release(&repo);
		return rc;
	}
	rc = build(c, &repo);
	chart_repo_release(&repo);
	if (rc && c->build_reason != BUILD_OK && c->build_reason != BUILD_VERIFICATION &&
	    auth_like(err_msg())) {
		const char *msg = arena_sprintf(c->a, "failed to authenticate with the Helm repository: %s",
						err_msg());
		c->build_reason = BUILD_OK;
		helmchart_mark_failed(c, COND_FETCH_FAILED, REASON_AUTH_FAILED, msg);
		return err_set(rc, "%s", msg);
	}
	return rc;
}
