/*
 * Kubeconfig loading, following client-go's clientcmd rules (loader.go, merged_client_builder):
 * files are parsed into document trees in one arena; their named clusters, users and
 * contexts are gathered into tables where the first file to define a name wins; the chosen
 * context is then resolved into a flat struct kube_config of heap strings. Each table entry
 * remembers the directory of its file, so relative paths resolve where they were written.
 *
 * Invariant: nothing in the returned struct points into the arena, which is freed before
 * returning. With KUBE_CONFIG_UNTRUSTED, every cluster and user is checked (check_untrusted)
 * before any of them is resolved, so a refused configuration reads no file.
 */
#include "kube/config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc/doc.h"
#include "util/base64.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

#define KUBECONFIG_MAX_BYTES (16u << 20)
#define CREDENTIAL_MAX_BYTES (1u << 20)
#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

struct entry {
	const char *name;
	const struct doc_node *value; /* the "cluster", "user" or "context" mapping */
	const char *file;
	const char *dir;
};

struct table {
	struct entry *items;
	size_t len, cap;
};

struct loader {
	struct arena *a;
	struct table clusters, users, contexts;
	const char *current;      /* current-context, from the first file that sets it */
	const char *current_file;
	struct buf files;         /* names of the loaded files, for messages */
	int loaded;               /* files that existed */
};

static const struct entry *table_find(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->len; i++)
		if (strcmp(t->items[i].name, name) == 0)
			return &t->items[i];
	return NULL;
}

/* The text of a scalar node (strings, and numbers or booleans written unquoted). */
static const char *scalar(const struct doc_node *n)
{
	if (!n)
		return NULL;
	if (n->kind == DOC_STR || n->kind == DOC_INT || n->kind == DOC_FLOAT)
		return n->u.str.ptr;
	if (n->kind == DOC_BOOL)
		return n->u.boolean ? "true" : "false";
	return NULL;
}

static const char *field(const struct doc_node *map, const char *key)
{
	const char *s = scalar(doc_map_get(map, key));
	return s && *s ? s : NULL;
}

static int add_entries(struct loader *l, const struct doc_node *root, const char *listkey,
		       const char *valkey, struct table *t, const char *file, const char *dir)
{
	const struct doc_node *list = doc_map_get(root, listkey);
	if (!list || list->kind == DOC_NULL)
		return 0;
	if (list->kind != DOC_SEQ)
		return err_set(ERR_INVALID, "'%s': %s: expected a list", file, listkey);
	for (size_t i = 0; i < list->u.seq.len; i++) {
		const struct doc_node *item = list->u.seq.items[i];
		if (!item || item->kind != DOC_MAP)
			return err_set(ERR_INVALID, "'%s': %s[%zu]: expected a mapping", file,
				       listkey, i);
		const char *name = scalar(doc_map_get(item, "name"));
		if (!name)
			return err_set(ERR_INVALID, "'%s': %s[%zu]: missing name", file, listkey, i);
		const struct doc_node *v = doc_map_get(item, valkey);
		if (v && v->kind != DOC_MAP && v->kind != DOC_NULL)
			return err_set(ERR_INVALID, "'%s': %s \"%s\": expected a mapping", file,
				       listkey, name);
		if (table_find(t, name))
			continue; /* the first file to set a name wins */
		t->items = arena_grow(l->a, t->items, &t->cap, t->len + 1, sizeof(*t->items));
		t->items[t->len++] = (struct entry){ name, v, file, dir };
	}
	return 0;
}

static int load_data(struct loader *l, const char *name, const char *dir, const char *data,
		     size_t len)
{
	struct doc_stream s = { 0 };
	const char *file = arena_strdup(l->a, name);
	struct doc_limits lim = { .max_bytes = KUBECONFIG_MAX_BYTES, .max_depth = 64,
				  .max_documents = 4, .max_nodes = 1000000 };
	int rc = doc_parse_yaml(l->a, file, data, len, &lim, &s);
	if (rc < 0)
		return rc;
	l->loaded++;
	if (l->files.len)
		buf_adds(&l->files, ":");
	buf_adds(&l->files, file);
	if (s.len == 0 || !s.docs[0] || s.docs[0]->kind == DOC_NULL)
		return 0; /* an empty file is an empty config, as kubectl reads it */
	const struct doc_node *root = s.docs[0];
	if (root->kind != DOC_MAP)
		return err_set(ERR_INVALID, "'%s': a kubeconfig must be a mapping", file);
	dir = arena_strdup(l->a, dir ? dir : ".");
	if ((rc = add_entries(l, root, "clusters", "cluster", &l->clusters, file, dir)) < 0 ||
	    (rc = add_entries(l, root, "users", "user", &l->users, file, dir)) < 0 ||
	    (rc = add_entries(l, root, "contexts", "context", &l->contexts, file, dir)) < 0)
		return rc;
	const char *cur = field(root, "current-context");
	if (cur && !l->current) {
		l->current = cur;
		l->current_file = file;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Loads one file. missing_ok: a missing file is skipped (the $KUBECONFIG list). */
static int load_file(struct loader *l, const char *path, int missing_ok)
{
	struct buf b = BUF_INIT;
	int rc = fs_read_file(path, KUBECONFIG_MAX_BYTES, &b);
	if (rc == ERR_NOTFOUND && missing_ok) {
		rc = 0;
		goto done;
	}
	if (rc < 0)
		goto done;
	char *dir = dir_of(path);
	rc = load_data(l, path, dir, b.ptr, b.len);
	free(dir);
done:
	buf_release(&b);
	return rc;
}

/* Reads a credential file named in a kubeconfig, relative to dir. */
static int read_ref(char **out, size_t *outlen, const char *dir, const char *path,
		    const char *what)
{
	struct buf b = BUF_INIT;
	char *full = path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", dir, path);
	int rc = fs_read_file(full, CREDENTIAL_MAX_BYTES, &b);
	free(full);
	if (rc < 0) {
		buf_release(&b);
		return err_wrap(rc, "%s", what);
	}
	*out = buf_detach(&b, outlen);
	return 0;
}

static int read_data(char **out, size_t *outlen, const char *b64, const char *what)
{
	struct buf b = BUF_INIT;
	int rc = base64_decode(&b, b64, strlen(b64));
	if (rc < 0) {
		buf_release(&b);
		return err_wrap(rc, "%s", what);
	}
	*out = buf_detach(&b, outlen);
	return 0;
}

/* file or -data: exactly one may be set, as client-go validates. */
static int read_pem(char **out, size_t *outlen, const struct entry *e, const char *key,
		    const char *kind)
{
	char datakey[64], what[512];
	snprintf(datakey, sizeof(datakey), "%s-data", key);
	const char *data = field(e->value, datakey);
	const char *file = field(e->value, key);
	snprintf(what, sizeof(what), "'%s': %s \"%s\": %s", e->file, kind, e->name,
		 data ? datakey : key);
	if (data && file)
		return err_set(ERR_INVALID, "'%s': %s \"%s\": %s and %s are both specified",
			       e->file, kind, e->name, key, datakey);
	if (data)
		return read_data(out, outlen, data, what);
	if (file)
		return read_ref(out, outlen, e->dir, file, what);
	return 0;
}

static bool truthy(const struct doc_node *n)
{
	if (!n)
		return false;
	if (n->kind == DOC_BOOL)
		return n->u.boolean;
	const char *s = scalar(n);
	return s && strcmp(s, "true") == 0;
}

static int fill_cluster(struct kube_config *c, const struct entry *e)
{
	const struct doc_node *v = e->value;
	const char *server = field(v, "server");
	if (!server)
		return err_set(ERR_INVALID, "'%s': cluster \"%s\" has no server", e->file, e->name);
	size_t n = strlen(server);
	while (n > 0 && server[n - 1] == '/')
		n--;
	c->server = xstrndup(server, n);
	if (strncmp(c->server, "https://", 8) != 0 && strncmp(c->server, "http://", 7) != 0) {
		/* kubectl accepts a bare host:port and assumes https */
		char *s = xasprintf("https://%s", c->server);
		free(c->server);
		c->server = s;
	}
	c->insecure = truthy(doc_map_get(v, "insecure-skip-tls-verify"));
	const char *tsn = field(v, "tls-server-name");
	const char *proxy = field(v, "proxy-url");
	c->tls_server_name = tsn ? xstrdup(tsn) : NULL;
	c->proxy_url = proxy ? xstrdup(proxy) : NULL;
	int rc = read_pem(&c->ca_pem, &c->ca_pem_len, e, "certificate-authority", "cluster");
	if (rc < 0)
		return rc;
	if (c->insecure && c->ca_pem)
		return err_set(ERR_INVALID,
			       "'%s': cluster \"%s\": specifying a root certificates file with the "
			       "insecure flag is not allowed", e->file, e->name);
	return 0;
}

static int fill_user(struct kube_config *c, const struct entry *e)
{
	const struct doc_node *v = e->value;
	if (!v)
		return 0;
	if (doc_map_get(v, "exec") && doc_map_get(v, "exec")->kind != DOC_NULL)
		return err_set(ERR_UNSUPPORTED,
			       "'%s': user \"%s\": exec credential plugins are not supported yet",
			       e->file, e->name);
	if (doc_map_get(v, "auth-provider") && doc_map_get(v, "auth-provider")->kind != DOC_NULL)
		return err_set(ERR_UNSUPPORTED,
			       "'%s': user \"%s\": auth-provider plugins are not supported yet",
			       e->file, e->name);
	int rc = read_pem(&c->cert_pem, &c->cert_pem_len, e, "client-certificate", "user");
	if (rc < 0)
		return rc;
	if ((rc = read_pem(&c->key_pem, &c->key_pem_len, e, "client-key", "user")) < 0)
		return rc;
	if (!c->cert_pem != !c->key_pem)
		return err_set(ERR_INVALID, "'%s': user \"%s\": client-certificate and client-key "
			       "must be given together", e->file, e->name);
	const char *tok = field(v, "token"), *tf = field(v, "tokenFile");
	if (tok)
		c->token = xstrdup(tok);
	if (tf)
		c->token_file = tf[0] == '/' ? xstrdup(tf) : xasprintf("%s/%s", e->dir, tf);
	const char *u = field(v, "username"), *p = field(v, "password");
	if (u)
		c->username = xstrdup(u);
	if (p)
		c->password = xstrdup(p);
	return 0;
}

/* ---- Untrusted configurations (KUBE_CONFIG_UNTRUSTED) ---------------------------------
 * What fluxcd/pkg runtime/client refuses in a kubeconfig given as bytes (#1281) and what its
 * KubeConfigOptions (--insecure-kubeconfig-exec, --insecure-kubeconfig-tls) let through.
 * The checks look at the fields the resolver would read, with the same tests (field(),
 * truthy()), so that nothing refused here can be read later under another spelling. */

static bool present(const struct doc_node *map, const char *key)
{
	const struct doc_node *n = doc_map_get(map, key);
	return n && n->kind != DOC_NULL;
}

/* A field that names a file on the host, with the inline field to use instead. */
static int refuse_file(const struct entry *e, const char *kind, const char *key, const char *instead)
{
	return err_set(ERR_INVALID, "'%s': %s \"%s\": %s is not allowed: the kubeconfig must be self-contained, "
		       "with no reference to files on the controller's host (use %s)",
		       e->file, kind, e->name, key, instead);
}

/* A credential plugin (exec, auth-provider): a program run on the host, or a provider that
 * takes the host's own credentials (gcp's application default credentials). tide implements
 * neither, so even where Flux would let one through there is nothing to run. */
static int refuse_plugin(const struct entry *e, const char *key, const char *why, unsigned flags)
{
	if (flags & KUBE_CONFIG_INSECURE_EXEC)
		return err_set(ERR_UNSUPPORTED, "'%s': user \"%s\": %s credential plugins are not supported by tide",
			       e->file, e->name, key);
	return err_set(ERR_INVALID, "'%s': user \"%s\": %s is not allowed: it would %s (and tide does not "
		       "support %s credential plugins)", e->file, e->name, key, why, key);
}

static int check_untrusted_cluster(const struct entry *e, unsigned flags)
{
	const struct doc_node *v = e->value;
	if (field(v, "certificate-authority"))
		return refuse_file(e, "cluster", "certificate-authority", "certificate-authority-data");
	if (flags & KUBE_CONFIG_INSECURE_TLS)
		return 0;
	if (truthy(doc_map_get(v, "insecure-skip-tls-verify")))
		return err_set(ERR_INVALID, "'%s': cluster \"%s\": insecure-skip-tls-verify is not allowed "
			       "without --insecure-kubeconfig-tls", e->file, e->name);
	const char *server = field(v, "server");
	/* The scheme is compared without case, as curl reads it. The URL is not quoted in the
	 * message: it may carry a user and password. */
	if (server && strncasecmp(server, "http://", 7) == 0)
		return err_set(ERR_INVALID, "'%s': cluster \"%s\": an http:// server is not allowed: plain HTTP "
			       "needs --insecure-kubeconfig-tls", e->file, e->name);
	return 0;
}

static int check_untrusted_user(const struct entry *e, unsigned flags)
{
	static const struct {
		const char *key, *instead;
	} files[] = {
		{ "tokenFile", "token" },
		{ "client-certificate", "client-certificate-data" },
		{ "client-key", "client-key-data" },
	};
	const struct doc_node *v = e->value;
	if (!v)
		return 0;
	if (present(v, "exec"))
		return refuse_plugin(e, "exec", "run a program on the controller's host", flags);
	if (present(v, "auth-provider"))
		return refuse_plugin(e, "auth-provider", "use the controller's host credentials", flags);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (field(v, files[i].key))
			return refuse_file(e, "user", files[i].key, files[i].instead);
	return 0;
}

/* Every cluster and user, not only the context's: the kubeconfig as a whole must be
 * self-contained, as Flux validates it, and a refusal does not depend on --context. */
static int check_untrusted(const struct loader *l, unsigned flags)
{
	int rc;
	for (size_t i = 0; i < l->clusters.len; i++)
		if ((rc = check_untrusted_cluster(&l->clusters.items[i], flags)) < 0)
			return rc;
	for (size_t i = 0; i < l->users.len; i++)
		if ((rc = check_untrusted_user(&l->users.items[i], flags)) < 0)
			return rc;
	return 0;
}

static int resolve(struct kube_config **out, struct loader *l, const struct kube_config_opts *o)
{
	const char *files = l->files.len ? l->files.ptr : "kubeconfig";
	if (o && (o->flags & KUBE_CONFIG_UNTRUSTED)) {
		int rc = check_untrusted(l, o->flags);
		if (rc < 0)
			return rc;
	}
	const char *ctxname = o && o->context && *o->context ? o->context : l->current;
	if (!ctxname)
		return err_set(ERR_INVALID, "'%s': no current-context is set; use --context",
			       files);
	const struct entry *ctx = table_find(&l->contexts, ctxname);
	if (!ctx)
		return err_set(ERR_NOTFOUND, "context \"%s\" not found in '%s'", ctxname, files);
	const char *cname = field(ctx->value, "cluster");
	const char *uname = field(ctx->value, "user");
	if (!cname)
		return err_set(ERR_INVALID, "'%s': context \"%s\" names no cluster", ctx->file,
			       ctxname);
	const struct entry *cl = table_find(&l->clusters, cname);
	if (!cl)
		return err_set(ERR_NOTFOUND, "context \"%s\": cluster \"%s\" not found in '%s'",
			       ctxname, cname, files);
	const struct entry *us = NULL;
	if (uname && !(us = table_find(&l->users, uname)))
		return err_set(ERR_NOTFOUND, "context \"%s\": user \"%s\" not found in '%s'",
			       ctxname, uname, files);

	struct kube_config *c = xcalloc(1, sizeof(*c));
	int rc = fill_cluster(c, cl);
	if (rc == 0 && us)
		rc = fill_user(c, us);
	if (rc < 0) {
		kube_config_free(c);
		return rc;
	}
	c->context = xstrdup(ctxname);
	c->source = xstrdup(files);
	const char *ns = o && o->namespace && *o->namespace ? o->namespace
							    : field(ctx->value, "namespace");
	c->namespace = xstrdup(ns ? ns : "default");
	*out = c;
	return 0;
}

static void loader_init(struct loader *l)
{
	memset(l, 0, sizeof(*l));
	l->a = arena_new();
	buf_init(&l->files, 0);
}

static void loader_release(struct loader *l)
{
	arena_free(l->a);
	buf_release(&l->files);
}

int kube_config_parse(struct kube_config **out, const char *name, const char *dir,
		      const char *data, size_t len, const struct kube_config_opts *opts)
{
	struct loader l;
	loader_init(&l);
	int rc = load_data(&l, name, dir, data, len);
	if (rc == 0)
		rc = resolve(out, &l, opts);
	loader_release(&l);
	return rc;
}

static char *home_config(void)
{
	const char *home = getenv("HOME");
	if (!home || !*home) {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	return home ? xasprintf("%s/.kube/config", home) : NULL;
}

int kube_config_load(struct kube_config **out, const struct kube_config_opts *opts)
{
	struct loader l;
	int rc = 0;
	char *tried = NULL;
	loader_init(&l);
	const char *env = getenv("KUBECONFIG");
	if (opts && opts->kubeconfig && *opts->kubeconfig) {
		rc = load_file(&l, opts->kubeconfig, 0);
		if (rc < 0)
			goto done;
	} else if (env && *env) {
		char *list = xstrdup(env);
		struct buf seen = BUF_INIT;
		buf_addch(&seen, '\n');
		/* Empty entries ("a::b", a trailing ":") are skipped, as client-go skips empty file names. */
		for (char *p = list, *next; p; p = next) {
			if ((next = strchr(p, ':')))
				*next++ = '\0';
			if (!*p)
				continue;
			struct buf key = BUF_INIT;
			buf_addf(&key, "\n%s\n", p);
			int dup = strstr(seen.ptr, key.ptr) != NULL;
			buf_adds(&seen, key.ptr + 1);
			buf_release(&key);
			if (dup)
				continue;
			if ((rc = load_file(&l, p, 1)) < 0)
				break;
		}
		buf_release(&seen);
		free(list);
		if (rc < 0)
			goto done;
		tried = xasprintf("KUBECONFIG=%s", env);
	} else {
		char *home = home_config();
		if (home)
			rc = load_file(&l, home, 1);
		tried = home;
		if (rc < 0)
			goto done;
	}
	if (l.loaded == 0) {
		const char *host = getenv("KUBERNETES_SERVICE_HOST");
		/* The in-cluster configuration is the controller's own: never an untrusted one's. */
		bool untrusted = opts && (opts->flags & KUBE_CONFIG_UNTRUSTED);
		if (host && *host && !untrusted) {
			rc = kube_config_in_cluster(out, NULL);
			if (rc == 0 && opts && opts->namespace && *opts->namespace) {
				free((*out)->namespace);
				(*out)->namespace = xstrdup(opts->namespace);
			}
			goto done;
		}
		rc = err_set(ERR_NOTFOUND, "no kubeconfig found (%s does not exist); "
			     "use --kubeconfig or set KUBECONFIG", tried ? tried : "~/.kube/config");
		goto done;
	}
	rc = resolve(out, &l, opts);
done:
	free(tried);
	loader_release(&l);
	return rc;
}

static int read_trimmed(char **out, const char *path, int missing_ok)
{
	struct buf b = BUF_INIT;
	int rc = fs_read_file(path, CREDENTIAL_MAX_BYTES, &b);
	if (rc < 0) {
		buf_release(&b);
		if (rc == ERR_NOTFOUND && missing_ok) {
			err_clear();
			return 0;
		}
		return rc;
	}
	while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == ' ' ||
			 b.ptr[b.len - 1] == '\r'))
		b.ptr[--b.len] = '\0';
	*out = buf_detach(&b, NULL);
	return 0;
}

int kube_config_in_cluster(struct kube_config **out, const char *sa_dir)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	if (!host || !*host || !port || !*port)
		return err_set(ERR_NOTFOUND, "not running in a cluster: KUBERNETES_SERVICE_HOST "
			       "and KUBERNETES_SERVICE_PORT must be defined");
	if (!sa_dir)
		sa_dir = SA_DIR;
	struct kube_config *c = xcalloc(1, sizeof(*c));
	int rc;
	char *tok = xasprintf("%s/token", sa_dir);
	char *ca = xasprintf("%s/ca.crt", sa_dir);
	char *nsf = xasprintf("%s/namespace", sa_dir);
	if (access(tok, R_OK) != 0) {
		rc = err_set(ERR_NOTFOUND, "'%s': %s", tok, strerror(errno));
		goto done;
	}
	if (strchr(host, ':'))
		c->server = xasprintf("https://[%s]:%s", host, port);
	else
		c->server = xasprintf("https://%s:%s", host, port);
	c->token_file = tok;
	tok = NULL;
	struct buf b = BUF_INIT;
	rc = fs_read_file(ca, CREDENTIAL_MAX_BYTES, &b);
	if (rc < 0) {
		buf_release(&b);
		goto done;
	}
	c->ca_pem = buf_detach(&b, &c->ca_pem_len);
	if ((rc = read_trimmed(&c->namespace, nsf, 1)) < 0)
		goto done;
	if (!c->namespace || !*c->namespace) {
		free(c->namespace);
		c->namespace = xstrdup("default");
	}
	c->source = xstrdup("in-cluster");
done:
	free(tok);
	free(ca);
	free(nsf);
	if (rc < 0)
		kube_config_free(c);
	else
		*out = c;
	return rc;
}

void kube_config_free(struct kube_config *c)
{
	if (!c)
		return;
	free(c->context);
	free(c->source);
	free(c->server);
	free(c->namespace);
	free(c->ca_pem);
	free(c->tls_server_name);
	free(c->proxy_url);
	free(c->cert_pem);
	free(c->key_pem);
	free(c->token);
	free(c->token_file);
	free(c->username);
	free(c->password);
	free(c);
}
