/*
 * `tide create secret git|helm|oci|tls NAME`, as flux2's cmd/flux/create_secret_*.go and
 * pkg/manifestgen/sourcesecret: the Secret's keys, type and stringData exactly as flux
 * writes them; --export prints it, otherwise it is upserted (flux's upsertSecret: create,
 * or replace stringData and merge labels) and flux's "<kind> secret 'NAME' created in 'NS'
 * namespace" line follows.
 *
 * Git over SSH: the key pair is read from --private-key-file or generated as flux does it
 * (sshkey.h), and the server's host key is scanned as flux does it (source/sshscan.h), unless
 * --known-hosts-file (tide's own flag) gives the known_hosts text. `create source git` shares
 * this (create_ssh_secret_data).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "cli/sshkey.h"
#include "source/sshscan.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_escape.h"

static bool set(const char *s)
{
	return s && *s;
}

int create_read_file(const char **out, struct arena *a, const char *path, const char *what)
{
	struct buf b = BUF_INIT;
	int rc = fs_read_file(path, 1 << 20, &b);
	if (rc) {
		rc = err_set(rc, "%s: open %s: %s", what, path, rc == ERR_NOTFOUND ? "no such file or directory" : err_msg());
		buf_release(&b);
		return rc;
	}
	*out = arena_strndup(a, b.ptr ? b.ptr : "", b.len);
	buf_release(&b);
	return 0;
}

/* The Secret flux builds: v1 Secret NAME in the namespace, labels, an empty stringData. */
static struct doc_node *new_secret(struct arena *a, struct create_common *cc, const char *name,
				   bool labels, struct doc_node **data)
{
	struct doc_node *sec;
	struct cli_strings keep = cc->labels;
	if (!labels)
		cc->labels.len = 0;
	int rc = create_new_object(&sec, a, cc, "v1", "Secret", name);
	cc->labels = keep;
	if (rc)
		return NULL;
	*data = doc_new_map(a);
	doc_map_set(a, sec, "stringData", *data);
	return sec;
}

/* --export (newline: flux's Println, an empty line after) or upsert. */
static int emit(struct create_common *cc, struct arena *a, struct doc_node *sec, const char *kind,
		bool newline)
{
	if (cc->export) {
		create_print_export(sec);
		if (newline)
			printf("\n");
		arena_free(a);
		return 0;
	}
	struct kube_client *c = NULL;
	const struct kube_resource *r;
	const char *ns = cli_namespace(&cc->g), *name = doc_get_str(sec, "metadata.name");
	int rc = cli_connect(&c, &cc->g);
	if (!rc)
		rc = kube_mapper_find(&r, c, "v1", "Secret");
	struct doc_node *existing = NULL;
	if (!rc) {
		rc = kube_get(&existing, c, a, r, ns, name, NULL);
		if (rc == ERR_NOTFOUND) {
			rc = kube_create(NULL, c, a, sec, NULL);
		} else if (!rc) {
			/* flux's upsertSecret: stringData replaced, labels merged; data keys not in
			 * stringData stay */
			doc_map_set(a, existing, "stringData", doc_map_get(sec, "stringData"));
			const struct doc_node *labels = doc_get(sec, "metadata.labels");
			for (size_t i = 0; labels && labels->kind == DOC_MAP && i < labels->u.map.len; i++) {
				char path[512];
				snprintf(path, sizeof(path), "metadata.labels");
				struct doc_node *l = doc_get(existing, path);
				if (!l || l->kind != DOC_MAP) {
					l = doc_new_map(a);
					doc_set(a, existing, path, l);
				}
				doc_map_set(a, l, labels->u.map.items[i].key, labels->u.map.items[i].value);
			}
			rc = kube_update(NULL, c, a, existing, NULL);
		}
	}
	kube_client_free(c);
	if (rc) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	fprintf(stderr, "► %s secret '%s' created in '%s' namespace\n", kind, name, ns);
	arena_free(a);
	return 0;
}

static void put(struct arena *a, struct doc_node *data, const char *key, const char *value)
{
	doc_map_set(a, data, key, create_str(a, value));
}

static int usage_or_name(struct create_common *cc, const struct cli_usage *u, const struct cli_flag *f,
			 size_t n, size_t nargs, int *done)
{
	*done = 1;
	if (cc->g.help) {
		cli_print_help(u, f, n);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("name is required");
	*done = 0;
	return 0;
}

/* Go's url.URL.Host of a URL: what lies between "://" (and any "user@") and the path. */
static const char *url_host(struct arena *a, const char *url)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t len = strcspn(h, "/?#");
	const char *at = memchr(h, '@', len);
	while (at) {
		len -= (size_t)(at + 1 - h);
		h = at + 1;
		at = memchr(h, '@', len);
	}
	return arena_strndup(a, h, len);
}

size_t create_ssh_flags(struct cli_flag *f, struct create_ssh *o)
{
	*o = (struct create_ssh){ .algo = "ecdsa", .curve = "p384", .rsa_bits = 2048 };
	size_t n = 0;
	f[n++] = (struct cli_flag){ "private-key-file", 0, FLAG_STRING, &o->key_file, "path to a private key file used for authenticating to the Git SSH server", NULL };
	f[n++] = (struct cli_flag){ "known-hosts-file", 0, FLAG_STRING, &o->known_hosts_file,
				    "path to a known_hosts file with the Git SSH server's host keys (default: scan the server's host key)", NULL };
	f[n++] = (struct cli_flag){ "ssh-key-algorithm", 0, FLAG_STRING, &o->algo, "SSH private key algorithm (rsa, ecdsa, ed25519)", "ecdsa" };
	f[n++] = (struct cli_flag){ "ssh-rsa-bits", 0, FLAG_INT, &o->rsa_bits, "SSH RSA public key bit size (multiplies of 8, min 1024)", "2048" };
	f[n++] = (struct cli_flag){ "ssh-ecdsa-curve", 0, FLAG_STRING, &o->curve, "SSH ECDSA public key curve (p256, p384, p521)", "p384" };
	return n;
}

int create_ssh_check(const struct create_ssh *o)
{
	/* flux's flag types check these when given, whatever the scheme */
	if (strcmp(o->algo, "rsa") && strcmp(o->algo, "ecdsa") && strcmp(o->algo, "ed25519"))
		return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--ssh-key-algorithm\" flag: unsupported public key algorithm '%s', must be one of: rsa, ecdsa, ed25519",
			       o->algo, o->algo);
	if (strcmp(o->curve, "p256") && strcmp(o->curve, "p384") && strcmp(o->curve, "p521"))
		return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--ssh-ecdsa-curve\" flag: unsupported curve '%s', must be one of: p256, p384, p521",
			       o->curve, o->curve);
	if (o->rsa_bits < 1024)
		return err_set(ERR_INVALID, "invalid argument \"%ld\" for \"--ssh-rsa-bits\" flag: RSA key bit size must be at least 1024", o->rsa_bits);
	if (o->rsa_bits % 8 || o->rsa_bits > 16384)
		return err_set(ERR_INVALID, "invalid argument \"%ld\" for \"--ssh-rsa-bits\" flag: RSA key bit size must be a multiples of 8", o->rsa_bits);
	return 0;
}

int create_ssh_secret_data(struct arena *a, struct doc_node *data, const struct create_ssh *o, const char *url)
{
	const char *key, *pub = NULL, *hosts;
	struct buf k = BUF_INIT, p = BUF_INIT;
	int rc;
	if (set(o->key_file)) {
		if ((rc = create_read_file(&key, a, o->key_file, "failed to open private key file")))
			return rc;
		if (!strstr(key, "PRIVATE KEY-----"))
			return err_set(ERR_INVALID, "%s: not a PEM or OpenSSH private key", o->key_file);
		/* OpenSSL reads PEM keys; for OpenSSH's own format the .pub file beside it */
		if (!strstr(key, "OPENSSH PRIVATE KEY")) {
			if ((rc = sshkey_public_of(&p, key, set(o->password) ? o->password : NULL))) {
				buf_release(&p);
				return rc;
			}
		} else if (fs_read_file(arena_sprintf(a, "%s.pub", o->key_file), 64 << 10, &p)) {
			p.len = 0;
			err_clear();
		}
	} else {
		if ((rc = sshkey_generate(&k, &p, o->algo, o->curve, (int)o->rsa_bits))) {
			buf_release(&k);
			buf_release(&p);
			return rc;
		}
		key = arena_strndup(a, k.ptr, k.len);
	}
	if (p.len)
		pub = arena_strndup(a, p.ptr, p.len);
	buf_release(&k);
	buf_release(&p);
	if (set(o->known_hosts_file)) {
		if ((rc = create_read_file(&hosts, a, o->known_hosts_file, "failed to open known_hosts file")))
			return rc;
	} else {
		/* flux's sourcesecret.ScanHostKey: the URL's host, port 22 when it names none */
		const char *host = url_host(a, url);
		const char *after = host[0] == '[' && strchr(host, ']') ? strchr(host, ']') : host;
		if (!strchr(after, ':'))
			host = arena_sprintf(a, "%s:22", host);
		struct buf line = BUF_INIT;
		rc = ssh_scan_host_key(&line, host, 30000);
		if (rc) {
			buf_release(&line);
			return err_set(rc, "SSH key scan for host %s failed, error: %s", host, err_msg());
		}
		hosts = arena_strndup(a, line.ptr, line.len);
		buf_release(&line);
	}
	put(a, data, "identity", key);
	if (pub)
		put(a, data, "identity.pub", pub);
	put(a, data, "known_hosts", hosts);
	if (set(o->password))
		put(a, data, "password", o->password);
	return 0;
}

static int secret_git(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct create_ssh so;
	const char *url = NULL, *username = NULL, *password = NULL, *ca = NULL, *token = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 16];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "url", 0, FLAG_STRING, &url, "git address, e.g. ssh://git@host/org/repository", NULL };
	f[n++] = (struct cli_flag){ "username", 'u', FLAG_STRING, &username, "basic authentication username", NULL };
	f[n++] = (struct cli_flag){ "password", 'p', FLAG_STRING, &password, "basic authentication password (or the private key's passphrase for ssh)", NULL };
	f[n++] = (struct cli_flag){ "bearer-token", 0, FLAG_STRING, &token, "bearer authentication token", NULL };
	f[n++] = (struct cli_flag){ "ca-crt-file", 0, FLAG_STRING, &ca, "path to TLS CA certificate file used for validating self-signed certificates", NULL };
	n += create_ssh_flags(f + n, &so);
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	static const struct cli_usage u = {
		"tide create secret git [name] [flags]",
		"The create secret git command generates a Kubernetes secret with Git credentials.\n"
		"For Git over SSH, the host and SSH keys are automatically generated and stored\n"
		"in the secret (the host key scanned from the server, or read from --known-hosts-file).\n"
		"For Git over HTTP/S, the provided basic authentication credentials or bearer\n"
		"authentication token are stored in the secret.",
		"  # Create a Git SSH authentication secret using an ECDSA P-521 curve public key\n"
		"  tide create secret git podinfo-auth \\\n"
		"    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
		"    --ssh-key-algorithm=ecdsa \\\n"
		"    --ssh-ecdsa-curve=p521\n\n"
		"  # Create a Git SSH authentication secret with a passwordless private key from file\n"
		"  # The public SSH host key will still be gathered from the host\n"
		"  tide create secret git podinfo-auth \\\n"
		"    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
		"    --private-key-file=./private.key\n\n"
		"  # Create a Git SSH authentication secret with the host keys from a file (no scan)\n"
		"  tide create secret git podinfo-auth \\\n"
		"    --url=ssh://git@github.com/stefanprodan/podinfo \\\n"
		"    --known-hosts-file=./known_hosts\n\n"
		"  # Create a secret for a Git repository using basic authentication\n"
		"  tide create secret git podinfo-auth \\\n"
		"    --url=https://github.com/stefanprodan/podinfo \\\n"
		"    --username=username \\\n"
		"    --password=password\n\n"
		"  # Create a Git secret on disk\n"
		"  tide create secret git podinfo-auth \\\n"
		"    --url=https://github.com/stefanprodan/podinfo \\\n"
		"    --bearer-token=token --export > podinfo-auth.yaml",
	};
	int done, rc = usage_or_name(&cc, &u, f, n, nargs, &done);
	if (done)
		return rc;
	if (!set(url))
		return cli_fail("url is required");
	const char *sep = strstr(url, "://");
	char scheme[16] = "";
	if (sep && (size_t)(sep - url) < sizeof(scheme))
		snprintf(scheme, sizeof(scheme), "%.*s", (int)(sep - url), url);
	bool ssh = !strcmp(scheme, "ssh");
	if (create_ssh_check(&so))
		return cli_fail("%s", err_msg());
	if (!ssh && strcmp(scheme, "http") && strcmp(scheme, "https"))
		return cli_fail("git URL scheme '%s' not supported, can be: ssh, http and https", scheme);
	struct arena *a = arena_new();
	struct doc_node *data, *sec = new_secret(a, &cc, args[0], true, &data);
	if (!sec)
		goto fail;
	if (ssh) {
		so.password = password;
		if (create_ssh_secret_data(a, data, &so, url))
			goto fail;
	} else {
		if ((!set(username) || !set(password)) && !set(token)) {
			err_set(ERR_INVALID, "for Git over HTTP/S the username and password, or a bearer token is required");
			goto fail;
		}
		if (set(username) && set(password) && set(token)) {
			err_set(ERR_INVALID, "user credentials and bearer token cannot be used together");
			goto fail;
		}
		const char *ca_data = NULL;
		if (set(ca) && create_read_file(&ca_data, a, ca, "unable to read TLS CA file"))
			goto fail;
		if (set(username) && set(password)) {
			put(a, data, "username", username);
			put(a, data, "password", password);
		}
		if (set(token))
			put(a, data, "bearerToken", token);
		if (ca_data)
			put(a, data, "ca.crt", ca_data);
	}
	const char *deploy = doc_get_str(sec, "stringData.identity\\.pub");
	if (!cc.export && deploy)
		fprintf(stderr, "✚ deploy key: %s", deploy);
	return emit(&cc, a, sec, "git", true);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}

/* --tls-crt-file, --tls-key-file and --ca-crt-file (with flux's older --cert-file, --key-file
 * and --ca-file accepted too), read. */
struct tls_files {
	const char *crt_file, *key_file, *ca_file, *old_crt, *old_key, *old_ca;
	const char *crt, *key, *ca;
};

static size_t tls_flags(struct cli_flag *f, struct tls_files *t)
{
	size_t n = 0;
	f[n++] = (struct cli_flag){ "tls-crt-file", 0, FLAG_STRING, &t->crt_file, "TLS authentication cert file path", NULL };
	f[n++] = (struct cli_flag){ "tls-key-file", 0, FLAG_STRING, &t->key_file, "TLS authentication key file path", NULL };
	f[n++] = (struct cli_flag){ "ca-crt-file", 0, FLAG_STRING, &t->ca_file, "TLS authentication CA file path", NULL };
	f[n++] = (struct cli_flag){ "cert-file", 0, FLAG_STRING, &t->old_crt, "deprecated: use --tls-crt-file", NULL };
	f[n++] = (struct cli_flag){ "key-file", 0, FLAG_STRING, &t->old_key, "deprecated: use --tls-key-file", NULL };
	f[n++] = (struct cli_flag){ "ca-file", 0, FLAG_STRING, &t->old_ca, "deprecated: use --ca-crt-file", NULL };
	return n;
}

static int tls_read(struct tls_files *t, struct arena *a)
{
	const char *crt = set(t->crt_file) ? t->crt_file : t->old_crt;
	const char *key = set(t->key_file) ? t->key_file : t->old_key;
	const char *ca = set(t->ca_file) ? t->ca_file : t->old_ca;
	if (set(ca) && create_read_file(&t->ca, a, ca, "unable to read TLS CA file"))
		return -1;
	if (set(crt) && create_read_file(&t->crt, a, crt, "failed to read cert file"))
		return -1;
	if (set(key) && create_read_file(&t->key, a, key, "failed to read key file"))
		return -1;
	if (set(t->crt) != set(t->key))
		return err_set(ERR_INVALID, set(t->crt) ? "private key is required when certificate is provided"
						       : "certificate is required when private key is provided");
	return 0;
}

/* fluxcd/pkg's MakeTLSSecret: tls.crt and tls.key (type kubernetes.io/tls) and/or ca.crt
 * (type Opaque without a pair). */
static void tls_secret(struct arena *a, struct doc_node *sec, struct doc_node *data, const struct tls_files *t)
{
	if (set(t->ca))
		put(a, data, "ca.crt", t->ca);
	if (set(t->crt)) {
		put(a, data, "tls.crt", t->crt);
		put(a, data, "tls.key", t->key);
	}
	doc_map_set(a, sec, "type", create_str(a, set(t->crt) ? "kubernetes.io/tls" : "Opaque"));
}

static int secret_tls(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct tls_files t = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 10];
	size_t n = create_common_flags(f, &cc);
	n += tls_flags(f + n, &t);
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	static const struct cli_usage u = {
		"tide create secret tls [name] [flags]",
		"The create secret tls command generates a Kubernetes secret with certificates for use with TLS.",
		"  # Create a TLS secret on disk (files are expected to be PEM-encoded)\n"
		"  tide create secret tls certs \\\n"
		"    --namespace=my-namespace \\\n"
		"    --tls-crt-file=./client.crt \\\n"
		"    --tls-key-file=./client.key \\\n"
		"    --ca-crt-file=./ca.crt \\\n"
		"    --export > certs.yaml",
	};
	int done, rc = usage_or_name(&cc, &u, f, n, nargs, &done);
	if (done)
		return rc;
	struct arena *a = arena_new();
	struct doc_node *data, *sec = new_secret(a, &cc, args[0], true, &data);
	if (!sec || tls_read(&t, a))
		goto fail;
	if (!set(t.crt) && !set(t.ca)) {
		err_set(ERR_INVALID, "TLS secret requires either a certificate and private key pair, or a CA certificate");
		goto fail;
	}
	tls_secret(a, sec, data, &t);
	return emit(&cc, a, sec, "tls", false);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}

static int secret_helm(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct tls_files t = { 0 };
	const char *username = NULL, *password = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 12];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "username", 'u', FLAG_STRING, &username, "basic authentication username", NULL };
	f[n++] = (struct cli_flag){ "password", 'p', FLAG_STRING, &password, "basic authentication password", NULL };
	n += tls_flags(f + n, &t);
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	static const struct cli_usage u = {
		"tide create secret helm [name] [flags]",
		"The create secret helm command generates a Kubernetes secret with basic authentication credentials.",
		"  # Create a Helm authentication secret on disk\n"
		"  tide create secret helm repo-auth \\\n"
		"    --namespace=my-namespace \\\n"
		"    --username=my-username \\\n"
		"    --password=my-password \\\n"
		"    --export > repo-auth.yaml",
	};
	int done, rc = usage_or_name(&cc, &u, f, n, nargs, &done);
	if (done)
		return rc;
	struct arena *a = arena_new();
	struct doc_node *data, *sec = new_secret(a, &cc, args[0], true, &data);
	if (!sec || tls_read(&t, a))
		goto fail;
	/* sourcesecret.GenerateHelm's order: a client certificate, else basic auth (with the
	 * CA), else the CA alone, else an empty Secret */
	if (set(t.crt) || (!set(username) && !set(password) && set(t.ca))) {
		tls_secret(a, sec, data, &t);
	} else if (set(username) || set(password)) {
		if (!set(username) || !set(password)) {
			err_set(ERR_INVALID, "%s is required", set(username) ? "password" : "username");
			goto fail;
		}
		put(a, data, "password", password);
		put(a, data, "username", username);
		if (set(t.ca))
			put(a, data, "ca.crt", t.ca);
		doc_map_set(a, sec, "type", create_str(a, "kubernetes.io/basic-auth"));
	}
	return emit(&cc, a, sec, "helm", true);
fail:
	arena_free(a);
	return cli_fail("%s", err_msg());
}

static int secret_oci(int argc, char **argv)
{
	struct create_common cc = { 0 };
	const char *url = NULL, *username = NULL, *password = NULL;
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 8];
	size_t n = create_common_flags(f, &cc);
	f[n++] = (struct cli_flag){ "url", 0, FLAG_STRING, &url, "oci repository address e.g ghcr.io/stefanprodan/charts", NULL };
	f[n++] = (struct cli_flag){ "username", 'u', FLAG_STRING, &username, "basic authentication username", NULL };
	f[n++] = (struct cli_flag){ "password", 'p', FLAG_STRING, &password, "basic authentication password", NULL };
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, f, n, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	static const struct cli_usage u = {
		"tide create secret oci [name] [flags]",
		"The create secret oci command generates a Kubernetes secret that can be used for OCIRepository authentication",
		"  # Create an OCI authentication secret on disk\n"
		"  tide create secret oci podinfo-auth \\\n"
		"    --url=ghcr.io \\\n"
		"    --username=username \\\n"
		"    --password=password \\\n"
		"    --export > repo-auth.yaml",
	};
	int done, rc = usage_or_name(&cc, &u, f, n, nargs, &done);
	if (done)
		return rc;
	if (!set(url))
		return cli_fail("--url is required");
	if (!set(username))
		return cli_fail("--username is required");
	if (!set(password))
		return cli_fail("--password is required");
	for (const char *p = url; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '\n')
			return cli_fail("error parsing url: 'could not parse reference: %s'", url);
	struct arena *a = arena_new();
	/* flux leaves --label out of OCI secrets */
	struct doc_node *data, *sec = new_secret(a, &cc, args[0], false, &data);
	if (!sec) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	/* Go's json.MarshalIndent of {"auths": {url: {username, password, auth}}} */
	struct buf cred = BUF_INIT, j = BUF_INIT;
	buf_addf(&cred, "%s:%s", username, password);
	char *b64 = arena_alloc(a, 4 * ((cred.len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)cred.ptr, (int)cred.len);
	buf_addf(&j, "{\n  \"auths\": {\n    ");
	json_escape_go(&j, url, strlen(url));
	buf_addf(&j, ": {\n      \"username\": ");
	json_escape_go(&j, username, strlen(username));
	buf_addf(&j, ",\n      \"password\": ");
	json_escape_go(&j, password, strlen(password));
	buf_addf(&j, ",\n      \"auth\": \"%s\"\n    }\n  }\n}", b64);
	put(a, data, ".dockerconfigjson", arena_strndup(a, j.ptr, j.len));
	doc_map_set(a, sec, "type", create_str(a, "kubernetes.io/dockerconfigjson"));
	buf_release(&cred);
	buf_release(&j);
	return emit(&cc, a, sec, "oci", true);
}

int create_secret(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	if (!strcmp(w, "git"))
		return secret_git(argc - 1, argv + 1);
	if (!strcmp(w, "helm"))
		return secret_helm(argc - 1, argv + 1);
	if (!strcmp(w, "oci"))
		return secret_oci(argc - 1, argv + 1);
	if (!strcmp(w, "tls"))
		return secret_tls(argc - 1, argv + 1);
	if (!strcmp(w, "--help") || !strcmp(w, "-h")) {
		printf("The create secret sub-commands generate Kubernetes secrets specific to Flux.\n\n"
		       "Usage:\n  tide create secret [command]\n\nAvailable Commands:\n"
		       "  git         Create or update a Kubernetes secret for Git authentication\n"
		       "  helm        Create or update a Kubernetes secret for Helm repository authentication\n"
		       "  oci         Create or update a Kubernetes image pull secret\n"
		       "  tls         Create or update a Kubernetes secret with TLS certificates\n");
		return 0;
	}
	return cli_fail("create secret: a kind is required: git, helm, oci or tls");
}
