/*
 * libFuzzer target: post-build variable substitution (manifests in a Git repository are
 * outside input). Plain and strict evaluation must not crash or leak; without "${" in the
 * input and without "$$", the output must equal the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kustomize/varsub.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 8192)
		return 0;
	static const struct varsub_var v[] = { { "a", "abc" }, { "b", "" }, { "long_name", "x-y-z" } };
	struct varsub_vars vars = { v, 3, false };
	struct buf out = BUF_INIT;
	int rc = varsub_eval((const char *)data, size, &vars, &out);
	if (rc == 0 && !memmem(data, size, "${", 2) && !memmem(data, size, "$$", 2) &&
	    (out.len != size || memcmp(out.ptr, data, size) != 0))
		abort();
	buf_release(&out);
	vars.strict = true;
	(void)varsub_eval((const char *)data, size, &vars, &out);
	buf_release(&out);
	return 0;
}
