/*
 * libFuzzer target: an oci:// reference (a tenant's OCIRepository spec.url) and a Docker
 * config (a tenant's dockerconfigjson Secret), both untrusted. The input is split at the
 * first NUL: the reference, then the config, looked up for the reference's host and
 * repository. Nothing may crash; results are 0 or documented errors; a parsed reference
 * passes the validators and formats back to what was parsed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "source/oci_auth.h"
#include "source/oci_ref.h"
#include "util/buf.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > (1 << 16))
		return 0;
	const char *nul = memchr(data, '\0', size);
	size_t rl = nul ? (size_t)(nul - (const char *)data) : size;
	char *s = malloc(rl + 1);
	memcpy(s, data, rl);
	s[rl] = '\0';
	struct oci_ref r;
	int rc = oci_ref_parse(&r, s);
	if (rc && rc != ERR_INVALID && rc != ERR_UNSUPPORTED && rc != ERR_TOOBIG)
		abort();
	const char *host = "h.example", *repo = "a";
	if (!rc) {
		if (!oci_host_valid(r.host) || !oci_repo_valid(r.repo) ||
		    (r.tag[0] && !oci_tag_valid(r.tag)) || (r.digest[0] && !oci_digest_valid(r.digest)))
			abort();
		struct buf b = BUF_INIT;
		buf_adds(&b, "oci://");
		oci_ref_format(&b, &r);
		if (strcmp(b.ptr, s) != 0)
			abort();
		buf_release(&b);
		host = r.host;
		repo = r.repo;
	}
	if (nul) {
		const char *cfg = nul + 1;
		size_t cl = size - rl - 1;
		for (int fmt = 0; fmt < 2; fmt++) {
			struct oci_creds c;
			int lr = oci_dockerconfig_lookup(&c, cfg, cl, (enum oci_dockerconfig_format)fmt,
							 host, repo);
			if (lr && lr != ERR_INVALID && lr != ERR_NOTFOUND && lr != ERR_TOOBIG)
				abort();
			oci_creds_release(&c);
		}
	}
	free(s);
	return 0;
}
