/*
 * What the artifact verbs (`tide push|pull|tag artifact`, `tide list artifacts`, one file
 * each: cmd_push.c, cmd_pull.c, cmd_tag.c, cmd_list.c) share, as flux2's cmd/flux does it
 * around fluxcd/pkg oci: the oci:// URL, the registry flags (--creds, --provider,
 * --insecure-registry) and the registry client they make, with the credentials from --creds
 * or else from the user's Docker config.
 */
#ifndef TIDE_CLI_ARTIFACT_H
#define TIDE_CLI_ARTIFACT_H

#include <stdbool.h>
#include <stddef.h>

#include "source/oci_ref.h"

struct cli_flag;
struct cli_globals;
struct oci_client;

struct cli_oci {
	const char *creds;    /* "user:password", or a registry token alone */
	const char *provider; /* only "generic" (the default) is supported */
	bool insecure;
};

/* Fills out[0..3) with --creds, --provider and --insecure-registry (usage: its help text)
 * bound to o; returns 3. */
size_t cli_oci_flags(struct cli_flag *out, struct cli_oci *o, const char *insecure_usage);

/* Parses an oci:// URL (fluxcd/pkg oci.ParseArtifactURL's messages). */
int cli_oci_ref(struct oci_ref *out, const char *url);

/* A client for r's registry: --creds when given ("► logging in to registry with
 * credentials" printed, as flux prints it), else the entry of the Docker config
 * ($DOCKER_CONFIG/config.json, else ~/.docker/config.json) that matches r, else anonymous;
 * no request runs past g's --timeout. Errors: a bad --provider or --creds, an unreadable
 * or malformed Docker config (named). */
int cli_oci_client(struct oci_client **out, const struct cli_oci *o, const struct cli_globals *g,
		   const struct oci_ref *r);

/* "host/repo" of r into out (no scheme, no tag). */
void cli_oci_repo(char *out, size_t len, const struct oci_ref *r);

/* The verb's subcommand word (argv[1]: "artifact" or "artifacts"); true when the verb is
 * done: its help printed (no word, -h) or an unknown word refused, *exit_code set. */
bool cli_artifact_word(int *exit_code, int argc, char **argv, const char *verb, const char *word,
		       const char *long_help, const char *summary);

#endif
