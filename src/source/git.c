/* Git fetches through libgit2; see git.h. */
#include "source/git.h"

#include <ctype.h>
#include <git2.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/git_tree.h"
#include "source/knownhosts.h"
#include "util/semver.h"
#include "source/tlsverify.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/xalloc.h"
#include "util/banned.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static void init_lib(void)
{
	git_libgit2_init();
}

static int set(const char *s)
{
	return s && *s;
}

struct cred_ctx {
	const struct gitsrc_auth *auth;
	int tries;
	/* SSH: the server's host and port as known_hosts names them, the credential kinds
	 * already handed out, and why a host key or key login was refused (libgit2 replaces our
	 * error with its own generic one) */
	int ssh, port, ssh_given, failed, proxy_tries;
	char host[256];
	char why[512];
};

/* Is url an SSH URL (ssh://, ssh+git://, git+ssh://, or scp-like [user@]host:path)? When it
 * is, fills host (brackets stripped) and port (22 unless given). */
static int ssh_target(const char *url, char *host, size_t hsz, int *port)
{
	const char *a;
	*port = 22;
	if (!strncmp(url, "ssh://", 6))
		a = url + 6;
	else if (!strncmp(url, "ssh+git://", 10) || !strncmp(url, "git+ssh://", 10))
		a = url + 10;
	else if (strstr(url, "://"))
		return 0;
	else if (url[0] == '[') {
		/* libgit2's scp-like form with a port: "[user@host:port]:path" */
		const char *close = strchr(url, ']');
		if (!close || close[1] != ':')
			return 0;
		const char *h = url + 1, *at = memchr(h, '@', (size_t)(close - h));
		if (at)
			h = at + 1;
		const char *pc = NULL;
		int colons = 0, hex = 1;
		for (const char *c = h; c < close; c++) {
			if (*c == ':') {
				colons++;
				pc = c;
			} else if (!isxdigit((unsigned char)*c))
				hex = 0;
		}
		if (pc && !(hex && colons > 1)) {
			char *e;
			long p = strtol(pc + 1, &e, 10);
			if (e != close || p <= 0 || p > 65535)
				return 0;
			*port = (int)p;
		} else
			pc = close;
		snprintf(host, hsz, "%.*s", (int)(pc - h), h);
		return 1;
	} else {
		/* scp-like: a ':' before any '/' ("[user@]host:path", "user@[v6]:path") */
		const char *colon = strchr(url, ':'), *slash = strchr(url, '/');
		if (!colon || (slash && slash < colon) || colon == url)
			return 0;
		const char *at = memchr(url, '@', (size_t)(colon - url));
		const char *h = at ? at + 1 : url;
		if (*h == '[') {
			const char *close = strchr(h, ']');
			if (!close || close[1] != ':')
				return 0;
			snprintf(host, hsz, "%.*s", (int)(close - h - 1), h + 1);
		} else
			snprintf(host, hsz, "%.*s", (int)(colon - h), h);
		return 1;
	}
	size_t alen = strcspn(a, "/?#");
	const char *at = NULL;
	for (size_t i = 0; i < alen; i++)
		if (a[i] == '@')
			at = a + i;
	const char *h = at ? at + 1 : a, *end = a + alen, *pe;
	if (*h == '[') {
		const char *close = memchr(h, ']', (size_t)(end - h));
		if (!close)
			return 0;
		snprintf(host, hsz, "%.*s", (int)(close - h - 1), h + 1);
		pe = close + 1;
	} else {
		pe = memchr(h, ':', (size_t)(end - h));
		if (!pe)
			pe = end;
		snprintf(host, hsz, "%.*s", (int)(pe - h), h);
	}
	if (pe < end && *pe == ':' && pe + 1 < end) {
		char *e;
		long p = strtol(pe + 1, &e, 10);
		if (e == end && p > 0 && p < 65536)
			*port = (int)p;
	}
	return 1;
}

/* Is the private key an RSA one (PEM "RSA PRIVATE KEY", or an OpenSSH key whose public part,
 * stored in the clear, is ssh-rsa)? Only to explain a refusal: libssh2 1.10 signs with
 * ssh-rsa (SHA-1), which OpenSSH 8.8+ and GitHub refuse. */
static int is_rsa_key(const char *pem)
{
	if (strstr(pem, "-----BEGIN RSA PRIVATE KEY-----"))
		return 1;
	const char *b = strstr(pem, "-----BEGIN OPENSSH PRIVATE KEY-----");
	if (!b)
		return 0;
	b = strchr(b, '\n');
	/* the key type sits in the first 100 bytes: 136 base64 characters */
	unsigned char in[137], out[103];
	size_t n = 0;
	for (; b && *b && *b != '-' && n < 136; b++)
		if (*b != '\n' && *b != '\r')
			in[n++] = (unsigned char)*b;
	if (n < 136)
		return 0;
	in[n] = '\0';
	int got = EVP_DecodeBlock(out, in, (int)n);
	return got > 0 && memmem(out, (size_t)got, "ssh-rsa", 7) != NULL;
}

static int cred_cb(git_credential **out, const char *url, const char *user_from_url,
		   unsigned int allowed, void *payload)
{
	struct cred_ctx *c = payload;
	(void)url;
	if (c->ssh && c->auth && set(c->auth->identity)) {
		const char *user = set(user_from_url) ? user_from_url : "git";
		if (allowed & GIT_CREDENTIAL_USERNAME)
			return git_credential_username_new(out, user);
		if (!(allowed & GIT_CREDENTIAL_SSH_MEMORY)) {
			snprintf(c->why, sizeof(c->why), "the server does not accept public keys");
			c->failed = ERR_AUTH;
			return GIT_EAUTH;
		}
		/* asked again: the server refused the key, and libgit2 would ask forever */
		if (c->ssh_given & GIT_CREDENTIAL_SSH_MEMORY) {
			snprintf(c->why, sizeof(c->why),
				 "SSH authentication as '%s' failed: the server refused the identity%s", user,
				 is_rsa_key(c->auth->identity)
					 ? " (an RSA key: libssh2 1.10 signs with ssh-rsa/SHA-1, which OpenSSH"
					   " 8.8+ and GitHub refuse; use an ed25519 or ECDSA key)"
					 : "");
			c->failed = ERR_AUTH;
			return GIT_EAUTH;
		}
		c->ssh_given |= GIT_CREDENTIAL_SSH_MEMORY;
		return git_credential_ssh_key_memory_new(out, user, NULL, c->auth->identity,
							 c->auth->password);
	}
	/* one attempt only: libgit2 asks again after a 401 and would loop */
	if (!c->auth || c->tries++ > 0 || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) ||
	    !set(c->auth->username))
		return GIT_PASSTHROUGH;
	return git_credential_userpass_plaintext_new(out, c->auth->username,
						     c->auth->password ? c->auth->password : "");
}

/* Accepts an SSH server only when its host key is in the secret's known_hosts; libgit2's own
 * verdict (from ~/.ssh/known_hosts) does not count. */
static int hostkey_cb(git_cert *cert, int valid, const char *host, void *payload)
{
	struct cred_ctx *c = payload;
	(void)valid;
	(void)host;
	const git_cert_hostkey *hk = (const git_cert_hostkey *)cert;
	int rc;
	if (cert->cert_type != GIT_CERT_HOSTKEY_LIBSSH2 || !(hk->type & GIT_CERT_SSH_RAW))
		rc = err_set(ERR_AUTH, "no raw host key from '%s' to check against known_hosts",
			     c->host);
	else
		rc = knownhosts_check(c->auth->known_hosts, strlen(c->auth->known_hosts), c->host,
				      c->port, (const unsigned char *)hk->hostkey, hk->hostkey_len);
	if (rc == 0)
		return 0;
	snprintf(c->why, sizeof(c->why), "%s", err_msg());
	c->failed = rc;
	git_error_set_str(GIT_ERROR_SSH, c->why);
	return GIT_ECERTIFICATE;
}

/* HTTPS: a certificate libgit2 could not verify is checked again against the secret's CA
 * (and the system store) with OpenSSL; a refusal keeps Go's wording for the condition. */
static int x509_cb(git_cert *cert, int valid, const char *host, void *payload)
{
	struct cred_ctx *c = payload;
	if (valid)
		return 0;
	if (cert->cert_type != GIT_CERT_X509)
		return GIT_PASSTHROUGH;
	const git_cert_x509 *x = (const git_cert_x509 *)cert;
	int rc = tls_verify_leaf(x->data, x->len, host, c->auth ? c->auth->ca : NULL,
				 c->auth && c->auth->ca ? c->auth->ca_len : 0);
	if (rc == 0)
		return 0;
	snprintf(c->why, sizeof(c->why), "%s", err_msg());
	c->failed = rc;
	git_error_set_str(GIT_ERROR_SSL, c->why);
	return GIT_ECERTIFICATE;
}

/* The proxy's 407: its own credentials, offered once. */
static int proxy_cred_cb(git_credential **out, const char *url, const char *user_from_url,
			 unsigned int allowed, void *payload)
{
	struct cred_ctx *c = payload;
	(void)url;
	(void)user_from_url;
	if (c->proxy_tries++ > 0 || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) ||
	    !set(c->auth->proxy_username))
		return GIT_PASSTHROUGH;
	return git_credential_userpass_plaintext_new(out, c->auth->proxy_username,
						     c->auth->proxy_password ? c->auth->proxy_password : "");
}

/* Proxy options: the secret's proxy when given, else the environment's (GIT_PROXY_AUTO). */
static void proxy_setup(git_proxy_options *proxy, struct cred_ctx *cc)
{
	git_proxy_options_init(proxy, GIT_PROXY_OPTIONS_VERSION);
	proxy->type = GIT_PROXY_AUTO;
	if (cc->auth && set(cc->auth->proxy_url)) {
		proxy->type = GIT_PROXY_SPECIFIED;
		proxy->url = cc->auth->proxy_url;
		proxy->credentials = proxy_cred_cb;
		proxy->certificate_check = x509_cb;
		proxy->payload = cc;
	}
}

/* Maps a libgit2 failure to an error code and a message without credentials (libgit2's
 * messages name the URL as given, which never carries the secret's values). */
static int gitsrc_fail(const char *what, const char *url, const struct cred_ctx *c)
{
	if (c->failed)
		return err_set(c->failed, "%s '%s': %s", what, url, c->why);
	const git_error *e = git_error_last();
	const char *m = e && e->message ? e->message : "unknown error";
	int code = ERR_GENERIC;
	if (strstr(m, "401") || strstr(m, "403") || strstr(m, "authentication") ||
	    strstr(m, "credentials") || strstr(m, "authenticate"))
		code = ERR_AUTH;
	return err_set(code, "%s '%s': %s", what, url, m);
}

int gitsrc_fetch(const char *url, const char *cache_dir, const struct gitsrc_ref_spec *ref,
		     const struct gitsrc_auth *auth, struct gitsrc_fetch_result *out)
{
	pthread_once(&init_once, init_lib);
	memset(out, 0, sizeof(*out));
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	struct semver_constraint *sc = NULL;
	char *want = NULL, *hdr = NULL;
	int rc = 0;

	if (git_repository_open_bare(&repo, cache_dir) != 0 &&
	    git_repository_init(&repo, cache_dir, 1) != 0)
		return err_set(ERR_GENERIC, "cache '%s': %s", cache_dir, git_error_last()->message);
	/* Anonymous remote without url.*.insteadOf lookups: the cache has no such config, and
	 * that lookup leaks pcre2 match data in libgit2 1.5 on every call. */
	git_remote_create_options ro;
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &ro) != 0) {
		rc = err_set(ERR_INVALID, "invalid URL '%s': %s", url, git_error_last()->message);
		goto done;
	}
	struct cred_ctx cc = {.auth = auth};
	git_remote_callbacks cb;
	git_remote_init_callbacks(&cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb.credentials = cred_cb;
	cb.payload = &cc;
	if ((cc.ssh = ssh_target(url, cc.host, sizeof(cc.host), &cc.port))) {
		/* Flux refuses SSH without known_hosts rather than trusting any host */
		if (!auth || !set(auth->known_hosts)) {
			rc = err_set(ERR_INVALID, "SSH URL '%s' needs known_hosts to verify the host key",
				     url);
			goto done;
		}
		cb.certificate_check = hostkey_cb;
	} else if (!strncmp(url, "https://", 8)) {
		cb.certificate_check = x509_cb;
	}
	/* libgit2 1.5 tunnels only TLS through a proxy (CONNECT): for http:// it sends the
	 * proxy's request form straight to the server, and SSH never uses one. Refuse rather
	 * than bypass the proxy the object asks for. */
	if (auth && set(auth->proxy_url) && strncmp(url, "https://", 8)) {
		rc = err_set(ERR_INVALID, "a proxy is supported for https:// URLs only, not for '%s'",
			     url);
		goto done;
	}
	git_proxy_options proxy;
	proxy_setup(&proxy, &cc);
	const char *hdrs[1];
	git_strarray custom = {NULL, 0};
	if (auth && set(auth->bearer_token)) {
		hdr = xasprintf("Authorization: Bearer %s", auth->bearer_token);
		hdrs[0] = hdr;
		custom.strings = (char **)hdrs;
		custom.count = 1;
	}
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, &proxy, &custom) != 0) {
		rc = gitsrc_fail("failed to connect to", url, &cc);
		goto done;
	}
	const git_remote_head **heads;
	size_t nheads;
	if (git_remote_ls(&heads, &nheads, remote) != 0) {
		rc = gitsrc_fail("failed to list refs of", url, &cc);
		goto done;
	}

	/* Resolve the reference against the listing. */
	const git_remote_head *hit = NULL;
	char *sym_head = NULL;
	if (set(ref->name)) {
		want = xstrdup(ref->name);
		snprintf(out->ref, sizeof(out->ref), "%s", ref->name);
	} else if (set(ref->commit) && !set(ref->branch)) {
		want = NULL;
	} else if (set(ref->semver)) {
		if ((rc = semver_constraint_parse(ref->semver, &sc)) != 0)
			goto done;
		const char **names = xcalloc(nheads ? nheads : 1, sizeof(*names));
		size_t n = 0;
		for (size_t i = 0; i < nheads; i++)
			if (!strncmp(heads[i]->name, "refs/tags/", 10) && !strstr(heads[i]->name, "^{}"))
				names[n++] = heads[i]->name + 10;
		long best = semver_latest(sc, names, n);
		if (best < 0) {
			free(names);
			rc = err_set(ERR_NOTFOUND, "no match found for semver: %s", ref->semver);
			goto done;
		}
		snprintf(out->ref, sizeof(out->ref), "%s", names[best]);
		want = xasprintf("refs/tags/%s", names[best]);
		free(names);
	} else if (set(ref->tag)) {
		want = xasprintf("refs/tags/%s", ref->tag);
		snprintf(out->ref, sizeof(out->ref), "%s", ref->tag);
	} else if (set(ref->branch)) {
		want = xasprintf("refs/heads/%s", ref->branch);
		snprintf(out->ref, sizeof(out->ref), "%s", ref->branch);
	} else {
		for (size_t i = 0; i < nheads; i++)
			if (!strcmp(heads[i]->name, "HEAD") && heads[i]->symref_target)
				sym_head = heads[i]->symref_target;
		if (!sym_head) {
			rc = err_set(ERR_NOTFOUND, "unable to resolve HEAD of '%s'", url);
			goto done;
		}
		want = xstrdup(sym_head);
		snprintf(out->ref, sizeof(out->ref), "%s",
			 strncmp(sym_head, "refs/heads/", 11) ? sym_head : sym_head + 11);
	}
	git_oid oid;
	if (want) {
		char *peeled = xasprintf("%s^{}", want);
		for (size_t i = 0; i < nheads; i++) {
			if (!strcmp(heads[i]->name, want) && !hit)
				hit = heads[i];
			if (!strcmp(heads[i]->name, peeled))
				hit = heads[i]; /* annotated tag: the commit it points at */
		}
		free(peeled);
		if (!hit) {
			if (set(ref->branch) && !set(ref->name) && !set(ref->semver) && !set(ref->tag))
				rc = err_set(ERR_NOTFOUND, "unable to clone '%s': couldn't find remote ref '%s'", url, want);
			else
				rc = err_set(ERR_NOTFOUND, "unable to resolve ref '%s' to a specific commit", want);
			goto done;
		}
		git_oid_cpy(&oid, &hit->oid);
		if (!strncmp(want, "refs/tags/", 10)) {
			out->via_tag = 1;
			/* the unpeeled entry names the tag object when the tag is annotated */
			for (size_t i = 0; i < nheads; i++)
				if (!strcmp(heads[i]->name, want) && git_oid_cmp(&heads[i]->oid, &oid))
					git_oid_tostr(out->tag_object, sizeof(out->tag_object),
						      &heads[i]->oid);
		}
	}
	if (set(ref->commit)) {
		if (git_oid_fromstrn(&oid, ref->commit, strlen(ref->commit)) != 0 || strlen(ref->commit) != 40) {
			rc = err_set(ERR_INVALID, "invalid commit '%s'", ref->commit);
			goto done;
		}
		if (!set(ref->branch))
			out->ref[0] = '\0';
	}
	git_oid_tostr(out->commit, sizeof(out->commit), &oid);

	git_odb *odb = NULL;
	int have = 0;
	if (git_repository_odb(&odb, repo) == 0) {
		have = git_odb_exists(odb, &oid);
		git_oid tag_oid;
		if (have && out->tag_object[0] && git_oid_fromstr(&tag_oid, out->tag_object) == 0)
			have = git_odb_exists(odb, &tag_oid); /* the tag object too, for verify */
		git_odb_free(odb);
	}
	if (!have) {
		/* fetch the one ref (all branches for a bare commit) into the cache */
		char *spec = want ? xasprintf("+%s:%s", want, want) : xstrdup("+refs/heads/*:refs/heads/*");
		char *specs[1] = {spec};
		git_strarray refspecs = {specs, 1};
		git_fetch_options fo;
		git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
		fo.callbacks = cb;
		fo.proxy_opts = proxy;
		fo.custom_headers = custom;
		fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
		cc.tries = 0;
		cc.ssh_given = 0;
		cc.proxy_tries = 0;
		int frc = git_remote_fetch(remote, &refspecs, &fo, NULL);
		free(spec);
		if (frc != 0) {
			rc = gitsrc_fail("failed to fetch from", url, &cc);
			goto done;
		}
		out->downloaded = 1;
		git_commit *c = NULL;
		if (git_commit_lookup(&c, repo, &oid) != 0) {
			rc = err_set(ERR_NOTFOUND, "unable to resolve commit '%s'", out->commit);
			goto done;
		}
		git_commit_free(c);
	}
done:
	semver_constraint_free(sc);
	free(want);
	free(hdr);
	if (remote) {
		git_remote_disconnect(remote);
		git_remote_free(remote);
	}
	git_repository_free(repo);
	return rc;
}

int gitsrc_open_tree(git_repository **repo, git_tree **tree, const char *cache_dir,
		     const char *commit)
{
	pthread_once(&init_once, init_lib);
	git_commit *c = NULL;
	git_oid oid;
	*repo = NULL;
	*tree = NULL;
	if (git_repository_open_bare(repo, cache_dir) != 0)
		return err_set(ERR_GENERIC, "cache '%s': %s", cache_dir, git_error_last()->message);
	int rc = 0;
	if (git_oid_fromstr(&oid, commit) != 0 || git_commit_lookup(&c, *repo, &oid) != 0 ||
	    git_commit_tree(tree, c) != 0)
		rc = err_set(ERR_NOTFOUND, "unable to resolve commit '%s'", commit);
	git_commit_free(c);
	return rc;
}

int gitsrc_checkout(const char *cache_dir, const char *commit, const char *dest_dir)
{
	git_repository *repo = NULL;
	git_tree *tree = NULL;
	int rc = gitsrc_open_tree(&repo, &tree, cache_dir, commit);
	if (rc)
		goto done;
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
	co.target_directory = dest_dir;
	if (git_checkout_tree(repo, (const git_object *)tree, &co) != 0)
		rc = err_set(ERR_GENERIC, "checkout of '%s' into '%s': %s", commit, dest_dir,
			     git_error_last()->message);
done:
	git_tree_free(tree);
	git_repository_free(repo);
	return rc;
}

int gitsrc_commit_subject(const char *cache_dir, const char *commit, char *out, size_t len)
{
	pthread_once(&init_once, init_lib);
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_oid oid;
	int rc = 0;
	if (len)
		out[0] = '\0';
	if (git_repository_open_bare(&repo, cache_dir) != 0)
		return err_set(ERR_GENERIC, "cache '%s': %s", cache_dir, git_error_last()->message);
	if (git_oid_fromstr(&oid, commit) != 0 || git_commit_lookup(&c, repo, &oid) != 0) {
		rc = err_set(ERR_NOTFOUND, "unable to resolve commit '%s'", commit);
	} else if (len) {
		const char *s = git_commit_summary(c);
		snprintf(out, len, "%s", s ? s : "");
	}
	git_commit_free(c);
	git_repository_free(repo);
	return rc;
}

int gitsrc_signed_payload(const char *cache_dir, const char *oid_hex, int is_tag,
			      struct buf *sig, struct buf *payload)
{
	pthread_once(&init_once, init_lib);
	git_repository *repo = NULL;
	git_oid oid;
	int rc = 0;
	if (git_repository_open_bare(&repo, cache_dir) != 0)
		return err_set(ERR_GENERIC, "cache '%s': %s", cache_dir, git_error_last()->message);
	if (git_oid_fromstr(&oid, oid_hex) != 0) {
		rc = err_set(ERR_INVALID, "invalid object id '%s'", oid_hex);
		goto done;
	}
	if (!is_tag) {
		git_buf s = GIT_BUF_INIT, d = GIT_BUF_INIT;
		int grc = git_commit_extract_signature(&s, &d, repo, &oid, NULL);
		if (grc == 0) {
			buf_add(sig, s.ptr, s.size);
			buf_add(payload, d.ptr, d.size);
		} else {
			/* GIT_ENOTFOUND of an existing commit: unsigned */
			git_commit *c = NULL;
			if (grc != GIT_ENOTFOUND || git_commit_lookup(&c, repo, &oid) != 0)
				rc = err_set(ERR_NOTFOUND, "unable to resolve commit '%s'", oid_hex);
			git_commit_free(c);
		}
		git_buf_dispose(&s);
		git_buf_dispose(&d);
		goto done;
	}
	git_odb *odb = NULL;
	git_odb_object *o = NULL;
	if (git_repository_odb(&odb, repo) != 0 || git_odb_read(&o, odb, &oid) != 0 ||
	    git_odb_object_type(o) != GIT_OBJECT_TAG) {
		rc = err_set(ERR_NOTFOUND, "unable to resolve tag object '%s'", oid_hex);
	} else {
		/* git puts the signature last in the message, each marker at a line start */
		const char *data = git_odb_object_data(o);
		size_t len = git_odb_object_size(o), at = len;
		static const char *const markers[] = { "-----BEGIN PGP SIGNATURE-----",
						       "-----BEGIN SSH SIGNATURE-----" };
		for (size_t i = 0; i + 1 < len; i++) {
			if (data[i] != '\n')
				continue;
			for (size_t m = 0; m < 2; m++) {
				size_t ml = strlen(markers[m]);
				if (len - i - 1 >= ml && !memcmp(data + i + 1, markers[m], ml))
					at = i + 1;
			}
		}
		buf_add(payload, data, at);
		buf_add(sig, data + at, len - at);
	}
	git_odb_object_free(o);
	git_odb_free(odb);
done:
	git_repository_free(repo);
	return rc;
}
