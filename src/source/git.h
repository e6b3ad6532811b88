/*
 * Git fetches for GitRepository sources (libgit2 lives behind this file only).
 *
 * Every repository has a persistent bare cache directory. A fetch first lists the remote's
 * refs once (git_remote_ls) and resolves spec.ref against them; when the resolved commit is
 * already in the cache nothing is downloaded (the unchanged-ref short cut), otherwise only the
 * one ref is fetched into the cache, incrementally.
 *
 * Reference precedence is Flux's: commit, then name, then semver (the highest tag satisfying
 * the range), then tag, then branch; with nothing set the remote's HEAD is used. A commit
 * given with a branch is fetched through that branch and reported as "<branch>@sha1:...".
 */
#ifndef TIDE_SOURCE_GIT_H
#define TIDE_SOURCE_GIT_H

#include <stddef.h>

struct gitsrc_ref_spec {
	const char *branch, *tag, *semver, *name, *commit; /* NULL or "" when unset */
};

struct gitsrc_auth {
	const char *username, *password; /* HTTP basic; over SSH a password login, or with
					  * identity the key's passphrase (Flux's `password`) */
	const char *bearer_token;        /* HTTP "Authorization: Bearer" */
	/* SSH (ssh://[user@]host[:port]/path and scp-like user@host:path URLs; the user defaults
	 * to "git"): identity is a PEM or OpenSSH private key (Flux's secret key `identity`),
	 * known_hosts the OpenSSH known_hosts text the server's host key must be in (Flux's
	 * `known_hosts`; required: an SSH fetch without it fails before connecting). */
	const char *identity, *known_hosts;
	/* HTTPS: PEM certificates trusted beside the system's (Flux's secret key `ca.crt`, or the
	 * legacy `caFile`), checked per fetch (tlsverify.h). NULL or ca_len 0 for none. */
	const char *ca;
	size_t ca_len;
	/* HTTPS through a proxy (Flux's spec.proxySecretRef: `address`, `username`,
	 * `password`): proxy_url as "http://host:port"; NULL for the environment's proxy
	 * settings. The credentials answer the proxy's 407, once. Only https:// URLs can use
	 * one (a CONNECT tunnel): others fail with ERR_INVALID, as libgit2 1.5 would bypass
	 * the proxy for them. */
	const char *proxy_url, *proxy_username, *proxy_password;
};

struct gitsrc_fetch_result {
	char commit[41];   /* hex of the resolved commit */
	char ref[256];     /* what the revision names: branch or tag short name, full refname,
			    * or "" for a commit-only reference */
	int downloaded;    /* 0 when the cache already had the commit */
	int via_tag;       /* the ref resolved through a tag (spec.ref.tag, semver, or a name
			    * under refs/tags/) */
	char tag_object[41]; /* hex of the annotated tag object (kept in the cache, for
			      * signature checks), "" for a lightweight tag or no tag */
};

/* Resolves ref on url and makes sure its commit is in the bare cache at cache_dir (created
 * when missing). auth may be NULL. Returns 0, or ERR_NOTFOUND when the ref does not exist
 * ("unable to resolve ..."), ERR_AUTH for rejected credentials or an SSH host key that is
 * unknown or does not match known_hosts (see knownhosts.h), ERR_INVALID for an SSH URL without
 * known_hosts, ERR_GENERIC otherwise; the message never contains a credential. */
int gitsrc_fetch(const char *url, const char *cache_dir, const struct gitsrc_ref_spec *ref,
		     const struct gitsrc_auth *auth, struct gitsrc_fetch_result *out);

/* Writes the tree of commit (hex) from the cache into dest_dir (which must exist). */
int gitsrc_checkout(const char *cache_dir, const char *commit, const char *dest_dir);

/* What a checkout writes besides the plain tree (Flux's spec.sparseCheckout and
 * spec.recurseSubmodules). */
struct gitsrc_checkout_spec {
	/* Sparse checkout: only files in these directories (cone mode; a leading "./" and a
	 * trailing '/' are dropped), as Flux's sparse checkout through go-git. nsparse 0: the
	 * whole tree. */
	const char *const *sparse;
	size_t nsparse;
	/* Submodules: each gitlink of the tree that .gitmodules names is fetched from its URL
	 * (relative URLs resolved against url) with auth, into a bare cache under
	 * modules_dir, and its commit checked out at its path, recursively (10 levels, as
	 * go-git). */
	int recurse_submodules;
	const char *url;
	const struct gitsrc_auth *auth;
	const char *modules_dir;
};

/* gitsrc_checkout with the extras of spec (which may be NULL). A submodule that cannot
 * be fetched fails the checkout with a message naming its path and URL. */
int gitsrc_checkout_with(const char *cache_dir, const char *commit, const char *dest_dir,
			     const struct gitsrc_checkout_spec *spec);

/* The subject (first paragraph, on one line) of commit's message in the cache, cut to fit
 * out[len] (what Flux's events quote as the commit's short message). */
int gitsrc_commit_subject(const char *cache_dir, const char *commit, char *out, size_t len);

/* The OpenPGP/SSH signature of a Git object in the cache and the exact bytes it signs:
 * for a commit (is_tag 0) the gpgsig header and the commit without it, for an annotated tag
 * object the trailing signature block of its message and everything before it. An unsigned
 * object gives an empty sig and returns 0. Returns ERR_NOTFOUND when the object is missing. */
struct buf;
int gitsrc_signed_payload(const char *cache_dir, const char *oid, int is_tag,
			      struct buf *sig, struct buf *payload);

#endif
