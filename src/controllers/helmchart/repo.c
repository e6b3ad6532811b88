/*
 * Chart repositories (repo.h): credentials from a HelmRepository as Flux's
 * getter.GetClientOpts reads them (secretRef: username/password, a .dockerconfigjson for
 * OCI, TLS keys as the deprecated fallback; certSecretRef: TLS), the version choice and the
 * download, over the HelmRepository's stored index or an OCI registry.
 */
#include <stdlib.h>
#include <string.h>

#include "controllers/common/fields.h"
#include "controllers/helmchart/helmchart.h"
#include "controllers/helmchart/repo.h"
#include "doc/doc.h"
#include "helm/repoindex.h"
#include "net/http.h"
#include "source/oci_auth.h"
#include "source/oci_registry.h"
#include "source/storage.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/semver.h"
#include "util/banned.h"

#define HELM_CHART_LAYER "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
#define INDEX_MAX ((size_t)50 << 20)

const char *chart_repo_normalize_url(struct arena *a, const char *url)
{
	if (!url)
		return "";
	size_t n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	if (!strncmp(url, "oci://", 6))
		return arena_sprintf(a, "%.*s", (int)n, url);
	return arena_sprintf(a, "%.*s/", (int)n, url);
}

static const char *value(const struct secret_value *v)
{
	return v->ptr && v->len ? v->ptr : NULL;
}

static int set_url(struct helmchart *c, struct chart_repo *r, const char *url)
{
	r->c = c;
	r->url = chart_repo_normalize_url(c->a, url);
	r->timeout_ms = HELMCHART_DEFAULT_TIMEOUT_MS;
	if (!strncmp(r->url, "oci://", 6)) {
		r->oci = true;
		const char *rest = r->url + 6;
		size_t hl = strcspn(rest, "/");
		if (!hl || hl > OCI_HOST_MAX)
			return err_set(ERR_INVALID, "invalid OCI registry URL: %s", r->url);
		memcpy(r->host, rest, hl);
		r->host[hl] = 0;
		if (!oci_host_valid(r->host))
			return err_set(ERR_INVALID, "invalid OCI registry URL: %s", r->url);
		r->base_repo = rest[hl] ? arena_strdup(c->a, rest + hl + 1) : "";
		return 0;
	}
	if (strncmp(r->url, "http://", 7) && strncmp(r->url, "https://", 8))
		return err_set(ERR_INVALID, "scheme \"%.*s\" not supported", (int)strcspn(r->url, ":"), r->url);
	return 0;
}

static int read_secrets(struct helmchart *c, const char *ns, const struct doc_node *repo,
			struct chart_repo *r)
{
	const char *cert_ref = field_local_ref(repo, "spec.certSecretRef");
	const char *auth_ref = field_local_ref(repo, "spec.secretRef");
	struct doc_node *secret = NULL;
	int rc;
	if (cert_ref && *cert_ref) {
		if ((rc = secret_fetch(c->r, ns, cert_ref, &secret)))
			return err_set(rc, "failed to get TLS authentication secret '%s/%s': %s", ns, cert_ref,
				       err_msg());
		r->tls.ns = ns;
		r->tls.name = cert_ref;
		if ((rc = secret_creds(c->a, secret, &r->tls)) || (rc = secret_require_tls(&r->tls)))
			return err_set(rc, "failed to construct Helm client's TLS config: %s", err_msg());
	}
	if (auth_ref && *auth_ref) {
		if ((rc = secret_fetch(c->r, ns, auth_ref, &secret)))
			return err_set(rc, "failed to get authentication secret '%s/%s': %s", ns, auth_ref,
				       err_msg());
		r->auth.ns = ns;
		r->auth.name = auth_ref;
		if ((rc = secret_creds(c->a, secret, &r->auth)))
			return err_set(rc, "failed to detect authentication methods: %s", err_msg());
		if (r->oci && r->auth.docker_config.ptr) {
			r->docker_config = r->auth.docker_config.ptr;
			r->docker_config_len = r->auth.docker_config.len;
		} else if ((r->auth.username.ptr != NULL) != (r->auth.password.ptr != NULL) &&
			   (rc = secret_require_basic_auth(&r->auth))) {
			return err_set(rc, "failed to detect authentication methods: %s", err_msg());
		}
		if ((!cert_ref || !*cert_ref) && (r->auth.ca.ptr || r->auth.cert.ptr)) {
			r->tls.ca = r->auth.ca;
			r->tls.cert = r->auth.cert;
			r->tls.key = r->auth.key;
		}
	}
	return 0;
}

int chart_repo_from_object(struct helmchart *c, const struct doc_node *repo, struct chart_repo *out)
{
	memset(out, 0, sizeof(*out));
	const char *url = doc_get_str(repo, "spec.url");
	int rc = set_url(c, out, url);
	if (rc)
		return rc;
	const char *type = doc_get_str(repo, "spec.type");
	if (out->oci != (type && !strcmp(type, "oci")))
		return err_set(ERR_INVALID, out->oci ? "'oci' URL scheme cannot be used with 'default' "
						       "HelmRepository type"
						     : "invalid OCI registry URL: %s", out->url);
	const char *provider = doc_get_str(repo, "spec.provider");
	if (out->oci && provider && strcmp(provider, "generic"))
		return err_set(ERR_UNSUPPORTED, "failed to get credential from %s: the %s provider's "
			       "workload identity is not supported by tide; use spec.secretRef",
			       provider, provider);
	out->pass_credentials = field_bool(repo, "spec.passCredentials");
	out->insecure = field_bool(repo, "spec.insecure");
	out->timeout_ms = field_duration_ms(repo, "spec.timeout", HELMCHART_DEFAULT_TIMEOUT_MS);
	const char *ns = doc_get_str(repo, "metadata.namespace");
	/* ERR_INVALID is the URL's: a Secret that does not read is an authentication failure */
	if ((rc = read_secrets(c, ns ? ns : c->ns, repo, out)))
		return rc == ERR_INVALID ? err_set(ERR_AUTH, "%s", err_msg()) : rc;
	const char *path = doc_get_str(repo, "status.artifact.path");
	if (!out->oci && path) {
		char *full = storage_local_path(c->ctl->st, path);
		out->index_path = arena_strdup(c->a, full);
		free(full);
	}
	return 0;
}

int chart_repo_anonymous(struct helmchart *c, const char *url, struct chart_repo *out)
{
	memset(out, 0, sizeof(*out));
	return set_url(c, out, url);
}

static struct net_opts net_options(const struct chart_repo *r)
{
	struct net_opts o = {
		.ca_pem = value(&r->tls.ca),
		.ca_pem_len = r->tls.ca.len,
		.cert_pem = value(&r->tls.cert),
		.cert_pem_len = r->tls.cert.len,
		.key_pem = value(&r->tls.key),
		.key_pem_len = r->tls.key.len,
		.connect_timeout_ms = 30000,
		.timeout_ms = r->timeout_ms,
	};
	return o;
}

static const char *status_text(long status)
{
	switch (status) {
	case 401: return "401 Unauthorized";
	case 403: return "403 Forbidden";
	case 404: return "404 Not Found";
	case 429: return "429 Too Many Requests";
	default: return status >= 500 ? "server error" : "error";
	}
}

/* GET url into out with the repository's credentials when the host is the repository's. */
static int get(struct chart_repo *r, const char *url, size_t max, struct buf *out)
{
	struct net_opts o = net_options(r);
	size_t hl = strcspn(r->url + strcspn(r->url, ":") + 3, "/");
	bool same_host = !strncmp(url, r->url, strcspn(r->url, ":") + 3 + hl) &&
			 (url[strcspn(r->url, ":") + 3 + hl] == '/' || !url[strcspn(r->url, ":") + 3 + hl]);
	struct net_get_opts g = {
		.username = r->pass_credentials || same_host ? value(&r->auth.username) : NULL,
		.password = r->pass_credentials || same_host ? value(&r->auth.password) : NULL,
		.follow_redirects = true,
		.pass_credentials = r->pass_credentials,
	};
	struct net_get_result got;
	int rc = net_get_with(out, url, &o, max, &g, &got);
	if (rc == ERR_TOOBIG)
		return err_set(ERR_TOOBIG, "size of '%s' exceeds the limit of %zu bytes", url, max);
	if (rc)
		return err_set(rc, "failed to fetch %s : %s", url, got.detail);
	if (got.status != 200)
		return err_set(got.status == 401 || got.status == 403 ? ERR_AUTH
			       : got.status == 404 ? ERR_NOTFOUND : ERR_UNAVAIL,
			       "failed to fetch %s : %s", url, status_text(got.status));
	return 0;
}

static int load_index(struct chart_repo *r)
{
	if (r->index)
		return 0;
	struct buf data;
	buf_init(&data, INDEX_MAX + 1);
	int rc;
	if (r->index_path)
		rc = fs_read_file(r->index_path, INDEX_MAX, &data);
	else
		rc = get(r, arena_sprintf(r->c->a, "%sindex.yaml", r->url), INDEX_MAX, &data);
	if (rc) {
		buf_release(&data);
		return err_set(rc, "failed to load index: %s", err_msg());
	}
	const struct doc_node *idx = NULL;
	rc = helm_index_parse(r->c->a, data.ptr ? data.ptr : "", data.len, INDEX_MAX, &idx);
	buf_release(&data);
	if (rc)
		return err_set(rc, "failed to load index: %s", err_msg());
	r->index = idx;
	return 0;
}

/* A chart URL of the index resolved against the repository's (Flux's DownloadChart). */
static const char *resolve_url(struct arena *a, const char *base, const char *u)
{
	if (strstr(u, "://"))
		return u;
	size_t q = strcspn(base, "?");
	const char *query = base[q] ? base + q : "";
	if (u[0] == '/') {
		const char *host = strstr(base, "://") + 3;
		size_t hl = strcspn(host, "/?");
		return arena_sprintf(a, "%.*s%s%s", (int)(host - base + hl), base, u, query);
	}
	while (!strncmp(u, "./", 2))
		u += 2;
	size_t bl = q;
	while (bl && base[bl - 1] == '/')
		bl--;
	return arena_sprintf(a, "%.*s/%s%s", (int)bl, base, u, query);
}

static int oci_version(struct chart_repo *r, const char *name, const char *ver,
		       struct chart_version *out, bool *reference)
{
	struct arena *a = r->c->a;
	const char *repo = *r->base_repo ? arena_sprintf(a, "%s/%s", r->base_repo, name)
					 : arena_strdup(a, name);
	out->name = name;
	out->oci_repo = repo;
	struct semver exact;
	/* Flux: a version that parses strictly is the tag as it is */
	if (ver && *ver && strcmp(ver, "*") && semver_parse(ver, &exact) == 0 &&
	    strspn(ver, "0123456789.") > 0 && !strpbrk(ver, "<>=~^*xX |,")) {
		out->version = ver;
		out->url = arena_sprintf(a, "oci://%s/%s:%s", r->host, repo, ver);
		return 0;
	}
	err_clear();
	struct oci_client *client = NULL;
	int rc = chart_repo_oci_client(r, &client);
	if (rc)
		return rc;
	const char **tags = NULL;
	size_t n = 0;
	if ((rc = oci_tags_list(client, repo, a, &tags, &n)))
		return err_set(rc, "could not get tags for \"%s\": could not fetch tags for \"oci://%s/%s\": %s",
			       name, r->host, repo, err_msg());
	if (!n)
		return err_set(ERR_NOTFOUND, "could not get tags for \"%s\": unable to locate any tags in "
			       "provided repository: oci://%s/%s", name, r->host, repo);
	for (size_t i = 0; ver && *ver && i < n; i++)
		if (!strcmp(tags[i], ver)) {
			out->version = tags[i];
			out->url = arena_sprintf(a, "oci://%s/%s:%s", r->host, repo, tags[i]);
			return 0;
		}
	struct semver_constraint *con = NULL;
	if ((rc = semver_constraint_parse(ver && *ver ? ver : "*", &con))) {
		*reference = true;
		return rc;
	}
	long best = semver_latest(con, tags, n);
	semver_constraint_free(con);
	if (best < 0)
		return err_set(ERR_NOTFOUND, "could not locate a version matching provided version string %s",
			       ver && *ver ? ver : "*");
	out->version = tags[best];
	out->url = arena_sprintf(a, "oci://%s/%s:%s", r->host, repo, tags[best]);
	return 0;
}

int chart_repo_get_version(struct chart_repo *r, const char *name, const char *ver,
			   struct chart_version *out, bool *reference)
{
	memset(out, 0, sizeof(*out));
	bool ref = false;
	int rc;
	if (r->oci) {
		rc = oci_version(r, name, ver, out, &ref);
	} else if (!(rc = load_index(r))) {
		struct helm_index_entry e;
		rc = helm_index_get(r->c->a, r->index, name, ver, &e);
		if (rc) {
			ref = true;
		} else if (!e.nurls) {
			rc = err_set(ERR_INVALID, "chart '%s' has no downloadable URLs", name);
		} else {
			out->name = e.name ? e.name : name;
			out->version = e.version;
			out->url = resolve_url(r->c->a, r->url, e.urls[0]);
		}
	}
	if (reference)
		*reference = ref;
	return rc;
}

int chart_repo_oci_client(struct chart_repo *r, struct oci_client **out)
{
	if (r->client) {
		*out = r->client;
		return 0;
	}
	struct oci_creds creds = { 0 };
	int rc;
	if (r->docker_config) {
		rc = oci_dockerconfig_lookup(&creds, r->docker_config, r->docker_config_len,
					     OCI_DOCKERCONFIGJSON, r->host, r->base_repo);
		if (rc && rc != ERR_NOTFOUND)
			return err_set(rc, "failed to get credential: %s", err_msg());
		err_clear();
	}
	struct oci_client_opts opts = {
		.insecure = r->insecure,
		.net = net_options(r),
		.username = creds.username ? creds.username : value(&r->auth.username),
		.password = creds.password ? creds.password : value(&r->auth.password),
		.registry_token = creds.registry_token,
	};
	opts.net.timeout_ms = 0;
	rc = oci_client_new(&r->client, r->host, &opts);
	oci_creds_release(&creds);
	if (rc)
		return err_set(rc, "failed to construct Helm client: %s", err_msg());
	oci_client_set_deadline(r->client, clock_mono_ms() + r->timeout_ms);
	*out = r->client;
	return 0;
}

static int oci_download(struct chart_repo *r, const struct chart_version *cv, const char *path)
{
	struct oci_client *client = NULL;
	int rc = chart_repo_oci_client(r, &client);
	if (rc)
		return rc;
	struct oci_resolved res;
	if ((rc = oci_resolve(client, cv->oci_repo, cv->version, NULL, r->c->a, &res)))
		return err_set(rc, "failed to get '%s': %s", cv->url, err_msg());
	const struct oci_descriptor *layer = NULL;
	for (size_t i = 0; i < res.manifest->nlayers; i++)
		if (!strcmp(res.manifest->layers[i].media_type, HELM_CHART_LAYER))
			layer = &res.manifest->layers[i];
	if (!layer)
		return err_set(ERR_INVALID, "failed to get '%s': manifest does not contain a layer with "
			       "mediatype %s", cv->url, HELM_CHART_LAYER);
	if ((rc = oci_blob_get(client, cv->oci_repo, layer->digest, layer->size,
			       (uint64_t)helmchart_max_size, path)))
		return err_set(rc, "failed to get '%s': %s", cv->url, err_msg());
	return 0;
}

int chart_repo_download(struct chart_repo *r, const struct chart_version *cv, const char *path)
{
	if (r->oci)
		return oci_download(r, cv, path);
	struct buf data;
	buf_init(&data, (size_t)helmchart_max_size + 1);
	int rc = get(r, cv->url, (size_t)helmchart_max_size, &data);
	if (!rc)
		rc = fs_write_atomic(path, data.ptr ? data.ptr : "", data.len, 0600);
	buf_release(&data);
	return rc;
}

void chart_repo_release(struct chart_repo *r)
{
	secret_creds_wipe(&r->auth);
	secret_creds_wipe(&r->tls);
	oci_client_free(r->client);
	r->client = NULL;
}
