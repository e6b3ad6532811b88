/*
 * Vars ($(NAME) references resolved from fields of other objects, kustomize's legacy
 * mechanism), replacements, and the `transformers:` field.
 *
 * NEEDSWORK: only the skeleton is here; vars are left unresolved, replacements and custom
 * transformer configs are rejected with ERR_UNSUPPORTED.
 */
#include <string.h>

#include "doc/doc.h"
#include "kustomize/kust.h"
#include "util/arena.h"
#include "util/error.h"

#include "util/banned.h"

int kust_resolve_vars(struct kust_ctx *c, struct kust_acc *acc)
{
	(void)c;
	(void)acc;
	return 0;
}

int kust_replacements(struct kust_ctx *c, const struct kust_loader *ldr, struct kust_acc *acc,
		      const struct doc_node *list)
{
	(void)c;
	(void)ldr;
	(void)acc;
	(void)list;
	return err_set(ERR_UNSUPPORTED, "replacements are not supported yet");
}

int kust_custom_transformers(struct kust_ctx *c, const struct kust_loader *ldr,
			     const struct kust_file *k, struct kust_acc *acc)
{
	(void)c;
	(void)ldr;
	(void)k;
	(void)acc;
	return err_set(ERR_UNSUPPORTED, "the transformers field is not supported yet");
}
