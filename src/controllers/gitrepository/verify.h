/*
 * GitRepository spec.verify: the OpenPGP signature of the fetched commit and/or of the tag
 * it was reached through, checked against the public key rings of spec.verify.secretRef, as
 * Flux's verifySignature (conditions, reasons and messages are Flux's).
 */
#ifndef TIDE_CONTROLLERS_GITREPOSITORY_VERIFY_H
#define TIDE_CONTROLLERS_GITREPOSITORY_VERIFY_H

#include <stdbool.h>

#include "runtime/controller.h"
#include "source/git.h"

/* With no spec.verify.mode: deletes SourceVerified and status.sourceVerificationMode and
 * returns 0. Otherwise checks fr's commit (modes HEAD, TagAndHEAD; an unknown mode such as
 * the legacy "head" counts as HEAD) and tag (Tag, TagAndHEAD) in the bare cache: on success
 * marks SourceVerified=True with the verified key ids, records the mode in the status and
 * returns 0; on failure marks SourceVerified=False and Ready=False with Flux's reason, records
 * a Warning event, sets *stalled when retrying cannot help, and returns -1 (error message set). */
int gitrepo_verify(struct rt_reconcile *r, const char *cache_dir,
		   const struct gitsrc_fetch_result *fr, bool *stalled);

#endif
