/*
 * A chart repository, as Flux's repository.Downloader: where a chart version is chosen and
 * downloaded from. An HTTP repository reads the index a HelmRepository stored as its
 * artifact (or, for a dependency on a repository no HelmRepository names, downloads the
 * index itself, anonymously) and downloads chart archives with the repository's basic
 * credentials and TLS, which go to the repository's own host only unless passCredentials;
 * an OCI repository (oci://host/path) lists the tags of <path>/<chart> and pulls the chart
 * layer (application/vnd.cncf.helm.chart.content.v1.tar+gzip) of <path>/<chart>:<tag>.
 */
#ifndef TIDE_CONTROLLERS_HELMCHART_REPO_H
#define TIDE_CONTROLLERS_HELMCHART_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "controllers/common/secret.h"
#include "source/oci_ref.h"

struct doc_node;
struct helmchart;
struct oci_client;

struct chart_repo {
	struct helmchart *c;
	const char *url;             /* normalised: http(s) with a trailing '/', oci without */
	bool oci;
	struct secret_creds auth, tls; /* wiped by chart_repo_release */
	bool pass_credentials;
	bool insecure;
	int64_t timeout_ms;
	const char *index_path;      /* the stored index; NULL to download it */
	const struct doc_node *index; /* loaded on first use */
	/* OCI */
	char host[OCI_HOST_MAX + 1];
	const char *base_repo;       /* the path of the oci:// URL: "charts" of oci://h/charts */
	struct oci_client *client;
	const char *docker_config;   /* .dockerconfigjson of secretRef, or NULL */
	size_t docker_config_len;
};

struct chart_version {
	const char *name, *version;
	const char *url;             /* absolute: https://.../x-1.0.0.tgz, or oci://h/p/x:1.0.0 */
	const char *oci_repo;        /* OCI: the repository path "p/x", and the tag in version */
};

/* Flux's repository.NormalizeURL: http(s) URLs end with one '/', oci:// ones with none. */
const char *chart_repo_normalize_url(struct arena *a, const char *url);

/* The repository a HelmRepository object describes, its Secrets read (errors are Flux's
 * "failed to get authentication secret ..." and friends: FetchFailed AuthenticationFailed
 * for the caller). ERR_INVALID for a URL that is not http(s) or oci. */
int chart_repo_from_object(struct helmchart *c, const struct doc_node *repo, struct chart_repo *out);

/* An anonymous repository for url (a dependency no HelmRepository names). */
int chart_repo_anonymous(struct helmchart *c, const char *url, struct chart_repo *out);

/* Flux's GetChartVersion: the index's choice (helm/repoindex.h) or, for OCI, the tag: an
 * exact version as it is, else the highest tag satisfying the constraint. ERR_NOTFOUND or
 * ERR_INVALID with the reason's message; *reference (may be NULL) is set when the error is
 * the reference's (InvalidChartReference) rather than the repository's (ChartPullError). */
int chart_repo_get_version(struct chart_repo *r, const char *name, const char *ver,
			   struct chart_version *out, bool *reference);

/* Downloads the chart archive into path (at most --helm-chart-max-size bytes). */
int chart_repo_download(struct chart_repo *r, const struct chart_version *cv, const char *path);

/* The OCI client (made on first use): for verification. */
int chart_repo_oci_client(struct chart_repo *r, struct oci_client **out);

void chart_repo_release(struct chart_repo *r);

#endif
