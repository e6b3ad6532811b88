/* libFuzzer target: the kubeconfig loader over arbitrary bytes (YAML parse, merge tables,
 * context resolution, base64 *-data fields). File references resolve under a directory
 * that does not exist, so the target never reads real files. Each input is parsed as the
 * operator's kubeconfig and as a tenant's (KUBE_CONFIG_UNTRUSTED). */
#include <stddef.h>
#include <stdint.h>

#include "kube/config.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kube_config *c = NULL;
	struct kube_config_opts o = { 0 };
	if (kube_config_parse(&c, "fuzz", "/nonexistent-fuzz-dir", (const char *)data, size,
			      &o) == 0)
		kube_config_free(c);
	err_clear();
	/* the same input with an explicit context */
	o.context = "a";
	if (kube_config_parse(&c, "fuzz", "/nonexistent-fuzz-dir", (const char *)data, size,
			      &o) == 0)
		kube_config_free(c);
	err_clear();
	/* and as a tenant's kubeconfig (from a Secret): the self-contained checks */
	o.context = NULL;
	o.flags = KUBE_CONFIG_UNTRUSTED;
	if (kube_config_parse(&c, "fuzz", "/nonexistent-fuzz-dir", (const char *)data, size,
			      &o) == 0)
		kube_config_free(c);
	err_clear();
	return 0;
}
