/*
 * A source's artifact as its consumers read it: status.artifact of a GitRepository,
 * OCIRepository, Bucket, HelmChart or ExternalArtifact, and fetching it into a
 * directory, downloaded and checked against its digest (source/fetch.h).
 */
#ifndef TIDE_CONTROLLERS_COMMON_ARTIFACT_H
#define TIDE_CONTROLLERS_COMMON_ARTIFACT_H

struct doc_node;
struct fetch_limits;

struct ctl_artifact {
	const char *revision; /* "main@sha1:..." */
	const char *url;
	const char *digest;   /* "sha256:<hex>", or NULL (older sources had none) */
	/* metadata["org.opencontainers.image.revision"] (an OCI artifact's, or the Git commit
	 * an ExternalArtifact was generated from), or NULL */
	const char *origin_revision;
};

/* Reads src's status.artifact (strings borrow from src). ERR_NOTFOUND, no message set,
 * when the source has no artifact yet (no revision or no URL): Flux then waits for it. */
int ctl_artifact_of(struct ctl_artifact *out, const struct doc_node *src);

/* Downloads the artifact, verifies its digest and unpacks it into dest (an existing empty
 * directory). Errors are fetch_artifact's, message set. */
int ctl_artifact_fetch(const struct ctl_artifact *art, const char *dest, const struct fetch_limits *lim);

#endif
