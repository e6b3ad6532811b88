/*
 * The artifact verbs' shared parts (artifact.h): the oci:// URL, the registry flags, the
 * credentials and the client. Credentials come as flux takes them: --creds ("user:password",
 * or a token alone, sent as a bearer token), else the user's Docker config (go-containerregistry's
 * DefaultKeychain: $DOCKER_CONFIG/config.json, else ~/.docker/config.json; its `auths`
 * matched by oci_dockerconfig_lookup), else anonymous. NEEDSWORK: the Docker config's
 * credsStore and credHelpers (programs docker-credential-* run to get a password) are not
 * run; --provider aws, azure and gcp are refused.
 */
#include "cli/artifact.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/flags.h"
#include "source/oci_auth.h"
#include "source/oci_registry.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/banned.h"

size_t cli_oci_flags(struct cli_flag *out, struct cli_oci *o, const char *insecure_usage)
{
	memset(o, 0, sizeof(*o));
	out[0] = (struct cli_flag){ "creds", 0, FLAG_STRING, &o->creds,
				    "credentials for OCI registry in the format <username>[:<password>] if --provider is generic", NULL };
	out[1] = (struct cli_flag){ "provider", 0, FLAG_STRING, &o->provider,
				    "the OCI provider name, available options are: (generic, aws, azure, gcp); tide supports generic", "generic" };
	out[2] = (struct cli_flag){ "insecure-registry", 0, FLAG_BOOL, &o->insecure, insecure_usage, "false" };
	return 3;
}

int cli_oci_ref(struct oci_ref *out, const char *url)
{
	return oci_ref_parse(out, url); /* its messages name the URL, as flux's do */
}

void cli_oci_repo(char *out, size_t len, const struct oci_ref *r)
{
	snprintf(out, len, "%s/%s", r->host, r->repo);
}

/* The Docker config's credentials for r, if any (0 with c all NULL: none). */
static int docker_creds(struct oci_creds *c, const struct oci_ref *r)
{
	memset(c, 0, sizeof(*c));
	const char *dir = getenv("DOCKER_CONFIG");
	const char *home = getenv("HOME");
	char *path = NULL;
	if (dir && *dir)
		path = xasprintf("%s/config.json", dir);
	else if (home && *home)
		path = xasprintf("%s/.docker/config.json", home);
	else
		return 0;
	struct buf json = BUF_INIT;
	int rc = fs_read_regular_file(path, OCI_DOCKERCONFIG_MAX, &json);
	if (rc == ERR_NOTFOUND) {
		rc = 0;
	} else if (!rc) {
		rc = oci_dockerconfig_lookup(c, json.ptr, json.len, OCI_DOCKERCONFIGJSON, r->host, r->repo);
		if (rc == ERR_NOTFOUND)
			rc = 0;
		else if (rc)
			rc = err_wrap(rc, "reading the Docker config '%s'", path);
	}
	if (json.ptr)
		explicit_bzero(json.ptr, json.len);
	buf_release(&json);
	free(path);
	return rc;
}

int cli_oci_client(struct oci_client **out, const struct cli_oci *o, const struct cli_globals *g,
		   const struct oci_ref *r)
{
	*out = NULL;
	if (o->provider && strcmp(o->provider, "generic")) {
		if (strcmp(o->provider, "aws") && strcmp(o->provider, "azure") && strcmp(o->provider, "gcp"))
			return err_set(ERR_INVALID, "invalid argument \"%s\" for \"--provider\" flag: source OCI provider '%s' is not supported, must be one of: generic, aws, azure, gcp",
				       o->provider, o->provider);
		return err_set(ERR_UNSUPPORTED, "error during login with provider: provider '%s' is not supported by tide yet: use --creds or a Docker config",
			       o->provider);
	}
	struct oci_client_opts opts = { .insecure = o->insecure };
	struct oci_creds dc;
	memset(&dc, 0, sizeof(dc));
	char *user = NULL, *pass = NULL, *token = NULL;
	int rc = 0;
	if (o->creds && *o->creds) {
		fprintf(stderr, "► logging in to registry with credentials\n");
		const char *colon = strchr(o->creds, ':');
		if (colon) {
			user = xstrndup(o->creds, (size_t)(colon - o->creds));
			pass = xstrdup(colon + 1);
		} else {
			token = xstrdup(o->creds);
		}
	} else {
		rc = docker_creds(&dc, r);
		user = dc.username;
		pass = dc.password;
		token = dc.registry_token;
		dc.username = dc.password = dc.registry_token = NULL;
	}
	opts.username = user;
	opts.password = pass;
	opts.registry_token = token;
	if (!rc)
		rc = oci_client_new(out, r->host, &opts);
	if (!rc && g->timeout_ms > 0)
		oci_client_set_deadline(*out, clock_mono_ms() + g->timeout_ms);
	xfree_secret(user);
	xfree_secret(pass);
	xfree_secret(token);
	oci_creds_release(&dc);
	return rc;
}

bool cli_artifact_word(int *exit_code, int argc, char **argv, const char *verb, const char *word,
		       const char *long_help, const char *summary)
{
	const char *w = argc > 1 ? argv[1] : "";
	*exit_code = 0;
	if (!strcmp(w, word))
		return false;
	if (!*w || !strcmp(w, "-h") || !strcmp(w, "--help")) {
		printf("%s\n\nUsage:\n  tide %s [command]\n\nAvailable Commands:\n  %-10s %s\n\n"
		       "Use \"tide %s [command] --help\" for more information about a command.\n",
		       long_help, verb, word, summary, verb);
		*exit_code = *w ? 0 : 1;
		return true;
	}
	*exit_code = cli_fail("unknown command \"%s\" for \"tide %s\"", w, verb);
	return true;
}
