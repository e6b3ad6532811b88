/*
 * `tide create secret git|helm|oci|tls NAME`, as flux2's cmd/flux/create_secret_*.go and
 * pkg/manifestgen/sourcesecret: the Secret's keys, type and stringData exactly as flux
 * writes them; --export prints it, otherwise it is upserted (flux's upsertSecret: create,
 * or replace stringData and merge labels) and flux's "<kind> secret 'NAME' created in 'NS'
 * namespace" line follows.
 * Git over SSH: the key pair and host key as create_ssh.c makes them.
 */
#include <stdio.h>
#include <string.h>

#include "cli/connect.h"
#include "cli/create.h"
#include "cli/flags.h"
#include "doc/doc.h"
#include "kube/client.h"
#include "kube/mapper.h"
#include "util/arena.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/json_escape.h"
#include "util/banned.h"

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
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(url))
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
	struct doc_node *data, *sec = new_secret(a, &cc, name, true, &data);
	if (!sec)
		goto fail;
	if (ssh) {
		so.password = password;
		if (create_ssh_secret_data(a, data, &so, url))
			goto fail;
	} else {
		if ((!create_given(username) || !create_given(password)) && !create_given(token)) {
			err_set(ERR_INVALID, "for Git over HTTP/S the username and password, or a bearer token is required");
			goto fail;
		}
		if (create_given(username) && create_given(password) && create_given(token)) {
			err_set(ERR_INVALID, "user credentials and bearer token cannot be used together");
			goto fail;
		}
		const char *ca_data = NULL;
		if (create_given(ca) && create_read_file(&ca_data, a, ca, "unable to read TLS CA file"))
			goto fail;
		if (create_given(username) && create_given(password)) {
			put(a, data, "username", username);
			put(a, data, "password", password);
		}
		if (create_given(token))
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
	const char *crt = create_given(t->crt_file) ? t->crt_file : t->old_crt;
	const char *key = create_given(t->key_file) ? t->key_file : t->old_key;
	const char *ca = create_given(t->ca_file) ? t->ca_file : t->old_ca;
	int rc;
	if (create_given(ca) && (rc = create_read_file(&t->ca, a, ca, "unable to read TLS CA file")))
		return rc;
	if (create_given(crt) && (rc = create_read_file(&t->crt, a, crt, "failed to read cert file")))
		return rc;
	if (create_given(key) && (rc = create_read_file(&t->key, a, key, "failed to read key file")))
		return rc;
	if (create_given(t->crt) != create_given(t->key))
		return err_set(ERR_INVALID, create_given(t->crt) ? "private key is required when certificate is provided"
						       : "certificate is required when private key is provided");
	return 0;
}

/* The front of `create secret tls|helm`: the arguments, --help, and the Secret NAME with the
 * files of t read, in a new arena *a. NULL when the command is done: return *exit_code. */
static struct doc_node *tls_command(int *exit_code, struct arena **a, struct doc_node **data, struct create_common *cc,
				    struct tls_files *t, int argc, char **argv, const struct cli_flag *f, size_t n,
				    const struct cli_usage *u)
{
	const char *name;
	*a = NULL;
	if (create_parse(exit_code, &name, cc, argc, argv, f, n, u))
		return NULL;
	*a = arena_new();
	struct doc_node *sec = new_secret(*a, cc, name, true, data);
	if (sec && !tls_read(t, *a))
		return sec;
	*exit_code = cli_fail("%s", err_msg());
	arena_free(*a);
	return NULL;
}

/* fluxcd/pkg's MakeTLSSecret: tls.crt and tls.key (type kubernetes.io/tls) and/or ca.crt
 * (type Opaque without a pair). */
static void tls_secret(struct arena *a, struct doc_node *sec, struct doc_node *data, const struct tls_files *t)
{
	if (create_given(t->ca))
		put(a, data, "ca.crt", t->ca);
	if (create_given(t->crt)) {
		put(a, data, "tls.crt", t->crt);
		put(a, data, "tls.key", t->key);
	}
	doc_map_set(a, sec, "type", create_str(a, create_given(t->crt) ? "kubernetes.io/tls" : "Opaque"));
}

static int secret_tls(int argc, char **argv)
{
	struct create_common cc = { 0 };
	struct tls_files t = { 0 };
	struct cli_flag f[CLI_GLOBAL_FLAG_COUNT + 10];
	size_t n = create_common_flags(f, &cc);
	n += tls_flags(f + n, &t);
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
	int code;
	struct arena *a;
	struct doc_node *data, *sec = tls_command(&code, &a, &data, &cc, &t, argc, argv, f, n, &u);
	if (!sec)
		return code;
	if (!create_given(t.crt) && !create_given(t.ca)) {
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
	int code;
	struct arena *a;
	struct doc_node *data, *sec = tls_command(&code, &a, &data, &cc, &t, argc, argv, f, n, &u);
	if (!sec)
		return code;
	/* sourcesecret.GenerateHelm's order: a client certificate, else basic auth (with the
	 * CA), else the CA alone, else an empty Secret */
	if (create_given(t.crt) || (!create_given(username) && !create_given(password) && create_given(t.ca))) {
		tls_secret(a, sec, data, &t);
	} else if (create_given(username) || create_given(password)) {
		if (!create_given(username) || !create_given(password)) {
			err_set(ERR_INVALID, "%s is required", create_given(username) ? "password" : "username");
			goto fail;
		}
		put(a, data, "password", password);
		put(a, data, "username", username);
		if (create_given(t.ca))
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
	int code;
	const char *name;
	if (create_parse(&code, &name, &cc, argc, argv, f, n, &u))
		return code;
	if (!create_given(url))
		return cli_fail("--url is required");
	if (!create_given(username))
		return cli_fail("--username is required");
	if (!create_given(password))
		return cli_fail("--password is required");
	for (const char *p = url; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '\n')
			return cli_fail("error parsing url: 'could not parse reference: %s'", url);
	struct arena *a = arena_new();
	/* flux leaves --label out of OCI secrets */
	struct doc_node *data, *sec = new_secret(a, &cc, name, false, &data);
	if (!sec) {
		arena_free(a);
		return cli_fail("%s", err_msg());
	}
	/* Go's json.MarshalIndent of {"auths": {url: {username, password, auth}}} */
	struct buf cred = BUF_INIT, j = BUF_INIT;
	buf_addf(&cred, "%s:%s", username, password);
	struct buf b64 = BUF_INIT;
	base64_encode(&b64, cred.ptr, cred.len);
	buf_addf(&j, "{\n  \"auths\": {\n    ");
	json_escape_go(&j, url, strlen(url));
	buf_addf(&j, ": {\n      \"username\": ");
	json_escape_go(&j, username, strlen(username));
	buf_addf(&j, ",\n      \"password\": ");
	json_escape_go(&j, password, strlen(password));
	buf_addf(&j, ",\n      \"auth\": \"%s\"\n    }\n  }\n}", b64.ptr);
	put(a, data, ".dockerconfigjson", arena_strndup(a, j.ptr, j.len));
	doc_map_set(a, sec, "type", create_str(a, "kubernetes.io/dockerconfigjson"));
	buf_release(&cred);
	buf_release(&b64);
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
