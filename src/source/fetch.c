/* Artifact download (through net), digest check and unpacking (util/untar); see fetch.h. */
#include "source/fetch.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "net/http.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/untar.h"
#include "util/banned.h"

#define MIB ((size_t)1 << 20)

static size_t lim_or(size_t v, size_t def) { return v ? v : def; }

int fetch_untar(const void *data, size_t len, const char *dest, const struct fetch_limits *lim)
{
	struct untar_limits ul = UNTAR_LIMITS_INIT;
	if (lim) {
		ul.max_bytes = lim->max_untar;
		ul.max_entries = lim->max_files;
	}
	return untar_to_dir(data, len, dest, &ul);
}

int fetch_verify_digest(const void *data, size_t len, const char *digest)
{
	if (!digest || !*digest)
		return 0;
	const char *colon = strchr(digest, ':');
	const EVP_MD *md = NULL;
	if (colon) {
		size_t an = (size_t)(colon - digest);
		if (an == 6 && !memcmp(digest, "sha256", 6)) md = EVP_sha256();
		else if (an == 6 && !memcmp(digest, "sha384", 6)) md = EVP_sha384();
		else if (an == 6 && !memcmp(digest, "sha512", 6)) md = EVP_sha512();
		else if (an == 4 && !memcmp(digest, "sha1", 4)) md = EVP_sha1();
	}
	if (!md)
		return err_set(ERR_INVALID, "failed to parse digest '%s': unsupported algorithm", digest);
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hn = 0;
	if (!EVP_Digest(data, len, h, &hn, md, NULL))
		return err_set(ERR_GENERIC, "digest computation failed");
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	for (unsigned i = 0; i < hn; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	if (strcmp(hex, colon + 1) != 0)
		return err_set(ERR_INVALID, "failed to verify artifact: computed digest doesn't match '%s'",
			       digest);
	return 0;
}

int fetch_artifact(const char *url, const char *digest, const char *dest,
		   const struct fetch_limits *lim)
{
	if (!url || !*url)
		return err_set(ERR_INVALID, "artifact has no url");
	size_t max = lim_or(lim ? lim->max_download : 0, 100 * MIB);
	struct net_opts opts = { .timeout_ms = 1000L * (lim && lim->timeout_sec ? lim->timeout_sec : 60) };
	struct net_get_result res;
	struct buf b = BUF_INIT;
	int rc = net_get(&b, url, &opts, max, &res);
	/* Flux's wording (fluxcd/pkg http/fetch), which users see in the Ready condition. */
	if (rc == ERR_TOOBIG)
		rc = err_set(ERR_TOOBIG, "artifact from %s is larger than %zu bytes", url, max);
	else if (rc)
		rc = err_set(ERR_UNAVAIL, "failed to download archive from %s: %s", url, res.detail);
	else if (res.status != 200)
		rc = err_set(res.status == 404 ? ERR_NOTFOUND : ERR_UNAVAIL,
			     "failed to download archive from %s (status: %ld)", url, res.status);
	if (!rc)
		rc = fetch_verify_digest(b.ptr, b.len, digest);
	if (!rc)
		rc = fetch_untar(b.ptr, b.len, dest, lim);
	buf_release(&b);
	return rc;
}
