/*
 * OCI references, as OCIRepository `spec.url`, OCI HelmRepositories and `tide push artifact`
 * write them: `oci://host[:port]/repo/path[:tag][@sha256:<hex>]`.
 *
 * The grammar is the distribution reference grammar (github.com/distribution/reference):
 *
 *   host            domain-name | IPv4 | "[" IPv6 "]", then an optional ":" port
 *   domain-name     components of [a-zA-Z0-9-] joined by ".", none starting or ending in "-"
 *   repo            path-component ("/" path-component)*, at most 255 bytes
 *   path-component  [a-z0-9]+ ((. | _ | __ | -+) [a-z0-9]+)*
 *   tag             [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest          sha256 ":" 64 lowercase hex digits
 *
 * with these differences: the first path element is always the host (Flux requires the
 * full host: there are no Docker Hub defaults, so `oci://library/nginx` is host `library`
 * with repository `nginx`, and `oci://nginx` is refused for lack of a repository), and
 * digests other than sha256 are refused as unsupported (sha384 and sha512 are valid in
 * the grammar; no registry tide talks to uses them). Everything is checked, nothing is
 * normalised (the host keeps its case, as Go's name package keeps it).
 *
 * The fields are fixed-size arrays, so a parsed reference needs no freeing and the caps
 * are the array sizes.
 */
#ifndef TIDE_SOURCE_OCI_REF_H
#define TIDE_SOURCE_OCI_REF_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

#define OCI_HOST_MAX 255   /* "host:port" */
#define OCI_REPO_MAX 255   /* distribution's RepositoryNameTotalLengthMax */
#define OCI_TAG_MAX 128
#define OCI_DIGEST_MAX 71  /* "sha256:" and 64 hex digits */
#define OCI_URL_MAX 1024   /* a whole oci:// reference */

struct oci_ref {
	char host[OCI_HOST_MAX + 1];     /* "ghcr.io", "127.0.0.1:5000", "[::1]:5000" */
	char repo[OCI_REPO_MAX + 1];     /* "org/app" */
	char tag[OCI_TAG_MAX + 1];       /* "" when none */
	char digest[OCI_DIGEST_MAX + 1]; /* "" when none */
};

/* Parses s, which must start with "oci://". Fills *out (zeroed first). ERR_INVALID with a
 * message naming s and what is wrong ("URL must be in format 'oci://<domain>/<org>/<repo>'"
 * when the prefix is missing, as Flux says it), ERR_UNSUPPORTED for a digest of another
 * algorithm, ERR_TOOBIG when s or a part of it is longer than its cap. */
int oci_ref_parse(struct oci_ref *out, const char *s);

/* Whether s is a valid tag / a valid sha256 digest (lowercase hex) / a valid repository path
 * / a valid host[:port], by the grammar above. */
bool oci_tag_valid(const char *s);
bool oci_digest_valid(const char *s);
bool oci_repo_valid(const char *s);
bool oci_host_valid(const char *s);

/* Checks a digest as oci_ref_parse does, for digests read from a server or a spec: 0, or
 * ERR_UNSUPPORTED for a well-formed digest of another algorithm (sha384, sha512, ...), or
 * ERR_INVALID. The message names what ("'%s': invalid digest"). */
int oci_digest_check(const char *what, const char *s, size_t len);

/* Appends "host/repo[:tag][@digest]" (no scheme) to out. */
void oci_ref_format(struct buf *out, const struct oci_ref *r);

#endif
