/*
 * A client of one OCI registry (the distribution v2 API, distribution-spec 1.1) over libcurl,
 * for the OCIRepository controller, OCI HelmCharts and `tide push artifact`:
 *
 *   struct oci_client *c;
 *   struct oci_client_opts o = { .username = u, .password = p };
 *   oci_client_new(&c, ref.host, &o);
 *   struct oci_manifest_info head;
 *   if (oci_manifest_head(c, ref.repo, "v1.0.0", &head) == 0 && !strcmp(head.digest, last))
 *           ... unchanged: nothing downloaded ...
 *   oci_resolve(c, ref.repo, "v1.0.0", NULL, arena, &res);      // index -> linux/amd64
 *   oci_blob_get(c, ref.repo, res.manifest->layers[0].digest, res.manifest->layers[0].size,
 *                0, "/tmp/x/layer.tgz");                           // sha256 checked
 *   oci_client_free(c);
 *
 * Transport (net sets up every handle: TLS trust and client certificates from memory, proxy,
 * time limits). Requests go to https://host/v2/..., or, with `insecure`, as Flux's
 * `insecure: true` (go-containerregistry's name.Insecure): https without verifying the
 * peer, and plain http when the registry does not speak TLS (found out once, by a GET of
 * /v2/, and remembered).
 *
 * Authentication, as go-containerregistry's transport does it: a request goes out
 * anonymously until the registry answers 401 with a WWW-Authenticate challenge; then
 *   - Basic: the credentials are sent (from then on with every request to the registry);
 *   - Bearer: a token is fetched from the realm (GET realm?service=...&scope=..., with the
 *     credentials as basic auth when there are any, the answer's "token" or "access_token"),
 *     cached per scope ("repository:<repo>:pull", "...:pull,push" for pushes) until shortly
 *     before its expires_in (60 s when not given), and the request retried with it; later
 *     requests for another scope fetch their token first. A registry token from the docker
 *     config is sent as the bearer token as is.
 * The realm must be https (http only for an insecure registry), and may not name a
 * loopback, private or link-local IP address unless the registry's host has that same
 * address (go-containerregistry's check against token-server redirection to internal hosts).
 *
 * Redirects (blob downloads sent to storage) are followed for GET and HEAD, at most 10,
 * http and https only, never from https to http; the Authorization header goes only to the
 * registry's own scheme, host and port, never to another host (curl does not follow: the
 * hops are made here).
 *
 * Retries, as go-containerregistry's default: a request that got 408, 429, 499, 500, 502,
 * 503, 504 or 522, or failed to connect or lost its connection, is tried again, 3 attempts
 * in all, after 1 s and 3 s (backoff_ms, times 3, with 10% jitter; Retry-After honoured up to
 * 10 s), never past the deadline (oci_client_set_deadline). A response body being written to
 * a file is started again from the beginning.
 *
 * Errors: the registry's JSON errors ({"errors":[{"code":"MANIFEST_UNKNOWN","message":...}]})
 * are named in the message ("GET https://h/v2/app/manifests/v2: MANIFEST_UNKNOWN: manifest
 * unknown"); MANIFEST_UNKNOWN, NAME_UNKNOWN, BLOB_UNKNOWN and 404 are ERR_NOTFOUND,
 * UNAUTHORIZED, DENIED, 401 and 403 ERR_AUTH, TOOMANYREQUESTS, 429 and 5xx ERR_UNAVAIL,
 * UNSUPPORTED ERR_UNSUPPORTED, anything else ERR_INVALID; transfer failures ERR_UNAVAIL or
 * ERR_TIMEOUT. Query strings (signed storage URLs) are left out of messages, and no
 * credential or token ever reaches one.
 *
 * A client is thread safe: handles come from its own net_pool (connections reused), and the
 * token cache is locked.
 */
#ifndef TIDE_SOURCE_OCI_REGISTRY_H
#define TIDE_SOURCE_OCI_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/http.h"
#include "source/oci_manifest.h"
#include "source/oci_ref.h"

struct arena;
struct buf;

struct oci_client_opts {
	bool insecure;              /* see above */
	struct net_opts net;        /* TLS, proxy, time limits per transfer (copied, blobs too);
				     * net.insecure skips verification but keeps https */
	const char *username;       /* basic credentials (copied); NULL = anonymous */
	const char *password;
	const char *registry_token; /* a bearer token sent as is (copied) */
	int max_attempts;           /* 0 = 3 */
	long backoff_ms;            /* the first wait; 0 = 1000 */
	size_t max_manifest;        /* 0 = 4 MiB */
	size_t max_tags;            /* 0 = 100000 */
	unsigned tags_page;         /* tags asked for per page (?n=); 0 = 1000 */
};

struct oci_client;

/* A client for host ("ghcr.io", "127.0.0.1:5000"; as struct oci_ref). ERR_INVALID for a host
 * oci_host_valid refuses. o may be NULL. */
int oci_client_new(struct oci_client **out, const char *host, const struct oci_client_opts *o);

void oci_client_free(struct oci_client *c);

/* The host the client was made for, as given ("127.0.0.1:5000"); borrowed, lives as long
 * as c. For messages that name a reference as go-containerregistry prints it. */
const char *oci_client_host(const struct oci_client *c);

/* No request made after the CLOCK_MONOTONIC time mono_ms (util/clock.h) starts, and none
 * runs past it (its transfer time limit is what is left); 0 = none. For a reconcile's
 * spec.timeout. ERR_TIMEOUT ("... deadline exceeded") when it passes. */
void oci_client_set_deadline(struct oci_client *c, int64_t mono_ms);

/* What a manifest request learnt. */
struct oci_manifest_info {
	char digest[OCI_DIGEST_MAX + 1];
	char media_type[128];       /* the Content-Type, without parameters ("" if none) */
	int64_t size;               /* -1 when unknown */
};

/* The digest of the manifest that ref (a tag or a digest) names, by HEAD: no body is
 * downloaded. When the registry sends no valid Docker-Content-Digest, the manifest is
 * downloaded (GET) and hashed instead. ERR_NOTFOUND for an unknown tag. */
int oci_manifest_head(struct oci_client *c, const char *repo, const char *ref,
		      struct oci_manifest_info *info);

/* GETs the manifest ref names into body (replaced), at most the client's max_manifest
 * bytes (ERR_TOOBIG). info->digest is the sha256 of the bytes received; when ref is a
 * digest, they must hash to it (ERR_INVALID otherwise). The Docker-Content-Digest of a tag
 * is not trusted (go-containerregistry does not check it either: some registries get it
 * wrong). */
int oci_manifest_get(struct oci_client *c, const char *repo, const char *ref, struct buf *body,
		     struct oci_manifest_info *info);

/* An image manifest, resolved. */
struct oci_resolved {
	struct oci_manifest *manifest;      /* an image manifest (in the caller's arena) */
	char digest[OCI_DIGEST_MAX + 1];    /* its digest */
	char index_digest[OCI_DIGEST_MAX + 1]; /* the index's, when ref named one; else "" */
};

/* GETs and parses the manifest ref names; when it is an index, the entry for platform
 * (NULL: linux/amd64, see oci_index_select) is fetched by digest and parsed in turn (one
 * level: an index inside an index is ERR_UNSUPPORTED). ERR_NOTFOUND when the index has no
 * entry for the platform. */
int oci_resolve(struct oci_client *c, const char *repo, const char *ref,
		const struct oci_platform *platform, struct arena *a, struct oci_resolved *out);

/* Every tag of repo (GET /v2/<repo>/tags/list?n=<tags_page>, following the Link rel="next"
 * pages, which must stay on the registry), in the registry's order, into a (*tags an array
 * of *n strings). Strings that are not valid tags are left out. ERR_TOOBIG past max_tags
 * tags or 10000 pages. */
int oci_tags_list(struct oci_client *c, const char *repo, struct arena *a, const char ***tags,
		  size_t *n);

/* Downloads the blob digest into the file path (created or truncated, mode 0600), hashing
 * as it streams. size is the descriptor's (-1 when unknown): a blob larger than it, or
 * than max (0 = 1 GiB), is refused as soon as the extra bytes arrive (ERR_TOOBIG), and one
 * of another size or digest (ERR_INVALID, "... digest mismatch ...") is refused at the
 * end. On any error the file is removed. */
int oci_blob_get(struct oci_client *c, const char *repo, const char *digest, int64_t size,
		 uint64_t max, const char *path);

/* The blob into out (replaced), at most max bytes, digest checked: for configs. */
int oci_blob_get_mem(struct oci_client *c, const char *repo, const char *digest, size_t max,
		     struct buf *out);

/* Whether the registry has blob digest in repo (HEAD). */
int oci_blob_exists(struct oci_client *c, const char *repo, const char *digest, bool *exists);

/* Uploads data[0..len) / the file at path as a blob of repo, monolithically (POST
 * /v2/<repo>/blobs/uploads/, then PUT <location>?digest=...), unless HEAD says the registry
 * has it already (*uploaded false). digest_out gets "sha256:<hex>", *size_out the size. */
int oci_blob_push_mem(struct oci_client *c, const char *repo, const void *data, size_t len,
		      char digest_out[OCI_DIGEST_MAX + 1], bool *uploaded);
int oci_blob_push_file(struct oci_client *c, const char *repo, const char *path,
		       char digest_out[OCI_DIGEST_MAX + 1], int64_t *size_out, bool *uploaded);

/* PUTs a manifest as ref (a tag or its digest) with its media type; digest_out gets its
 * digest (checked against the registry's Docker-Content-Digest when it sends one). */
int oci_manifest_put(struct oci_client *c, const char *repo, const char *ref,
		     const char *media_type, const void *data, size_t len,
		     char digest_out[OCI_DIGEST_MAX + 1]);

/* What `flux push artifact` records about the source (annotations). */
struct oci_flux_meta {
	const char *created;  /* RFC 3339; NULL = now */
	const char *source;   /* org.opencontainers.image.source; NULL = "" */
	const char *revision; /* org.opencontainers.image.revision; NULL = "" */
	const struct oci_kv *annotations; /* more, winning over the three above */
	size_t nannotations;
};

/* Pushes the .tar.gz at tgz_path as a Flux artifact (config and layer as oci_manifest.h
 * says, blobs already there not uploaded again) and tags it tag. digest_out gets the
 * manifest's digest. ERR_INVALID when the file is not gzip. */
int oci_flux_push(struct oci_client *c, const char *repo, const char *tag, const char *tgz_path,
		  const struct oci_flux_meta *meta, char digest_out[OCI_DIGEST_MAX + 1]);

#endif
