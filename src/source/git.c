/* Git fetches through libgit2; see git.h. */
#include "source/git.h"

#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "source/semver.h"
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
	const struct git_auth *auth;
	int tries;
};

static int cred_cb(git_credential **out, const char *url, const char *user_from_url,
		   unsigned int allowed, void *payload)
{
	struct cred_ctx *c = payload;
	(void)url;
	(void)user_from_url;
	/* one attempt only: libgit2 asks again after a 401 and would loop */
	if (!c->auth || c->tries++ > 0 || !(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) ||
	    !set(c->auth->username))
		return GIT_PASSTHROUGH;
	return git_credential_userpass_plaintext_new(out, c->auth->username,
						     c->auth->password ? c->auth->password : "");
}

/* Maps a libgit2 failure to an error code and a message without credentials (libgit2's
 * messages name the URL as given, which never carries the secret's values). */
static int git_fail(const char *what, const char *url)
{
	const git_error *e = git_error_last();
	const char *m = e && e->message ? e->message : "unknown error";
	int code = ERR_GENERIC;
	if (strstr(m, "401") || strstr(m, "403") || strstr(m, "authentication") ||
	    strstr(m, "credentials"))
		code = ERR_AUTH;
	return err_set(code, "%s '%s': %s", what, url, m);
}

int git_source_fetch(const char *url, const char *cache_dir, const struct git_ref_spec *ref,
		     const struct git_auth *auth, struct git_fetch_result *out)
{
	pthread_once(&init_once, init_lib);
	memset(out, 0, sizeof(*out));
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	semver_constraint *sc = NULL;
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
	git_proxy_options proxy;
	git_proxy_options_init(&proxy, GIT_PROXY_OPTIONS_VERSION);
	proxy.type = GIT_PROXY_AUTO;
	const char *hdrs[1];
	git_strarray custom = {NULL, 0};
	if (auth && set(auth->bearer_token)) {
		hdr = xasprintf("Authorization: Bearer %s", auth->bearer_token);
		hdrs[0] = hdr;
		custom.strings = (char **)hdrs;
		custom.count = 1;
	}
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, &cb, &proxy, &custom) != 0) {
		rc = git_fail("failed to connect to", url);
		goto done;
	}
	const git_remote_head **heads;
	size_t nheads;
	if (git_remote_ls(&heads, &nheads, remote) != 0) {
		rc = git_fail("failed to list refs of", url);
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
		int frc = git_remote_fetch(remote, &refspecs, &fo, NULL);
		free(spec);
		if (frc != 0) {
			rc = git_fail("failed to fetch from", url);
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

int git_source_checkout(const char *cache_dir, const char *commit, const char *dest_dir)
{
	pthread_once(&init_once, init_lib);
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid oid;
	int rc = 0;
	if (git_repository_open_bare(&repo, cache_dir) != 0)
		return err_set(ERR_GENERIC, "cache '%s': %s", cache_dir, git_error_last()->message);
	if (git_oid_fromstr(&oid, commit) != 0 || git_commit_lookup(&c, repo, &oid) != 0 ||
	    git_commit_tree(&tree, c) != 0) {
		rc = err_set(ERR_NOTFOUND, "unable to resolve commit '%s'", commit);
		goto done;
	}
	git_checkout_options co;
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_DONT_UPDATE_INDEX;
	co.target_directory = dest_dir;
	if (git_checkout_tree(repo, (const git_object *)tree, &co) != 0)
		rc = err_set(ERR_GENERIC, "checkout of '%s' into '%s': %s", commit, dest_dir,
			     git_error_last()->message);
done:
	git_tree_free(tree);
	git_commit_free(c);
	git_repository_free(repo);
	return rc;
}

int git_source_commit_subject(const char *cache_dir, const char *commit, char *out, size_t len)
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
