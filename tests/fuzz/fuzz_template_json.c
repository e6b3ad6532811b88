/*
 * libFuzzer target: sprig's JSON functions (src/template/sprig_encoding.c). mustFromJson
 * checks its input with a copy of encoding/json's scanner and then reads it with the doc
 * module's parser: the two must agree, so whatever the scanner accepts must be read, and
 * whatever is read must go back through toJson, toPrettyJson and toRawJson and be read
 * again. The input is also decoded as Go's base64 and base32 (b64dec, b32dec).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct tfunc *find(const char *name)
{
	for (size_t i = 0; i < tfuncs_sprig_encoding.len; i++)
		if (!strcmp(tfuncs_sprig_encoding.funcs[i].name, name))
			return &tfuncs_sprig_encoding.funcs[i];
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_string(data, size, 1 << 14);
	if (!in)
		return 0;
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *args[1] = {tv_strn(a, in, size)}, *v = NULL, *out = NULL;
	find("b64dec")->impl(&x, args, 1, &out);
	find("b32dec")->impl(&x, args, 1, &out);
	int rc = find("mustFromJson")->impl(&x, args, 1, &v);
	/* the scanner said yes but the reader said no (a cap such as depth is fine) */
	if (rc != 0 && rc != ERR_TOOBIG && strncmp(texec_message(&x), "invalid character", 17) &&
	    strcmp(texec_message(&x), "unexpected end of JSON input") &&
	    strncmp(texec_message(&x), "json: cannot unmarshal number", 29))
		abort();
	if (rc == 0) {
		static const char *const enc[] = {"mustToJson", "mustToPrettyJson", "mustToRawJson"};
		for (size_t i = 0; i < 3; i++) {
			struct tv *j = NULL, *back = NULL;
			int erc = find(enc[i])->impl(&x, &v, 1, &j);
			if (erc == ERR_TOOBIG) /* the output cap (deep nesting, pretty) */
				continue;
			if (erc != 0)
				abort();
			struct tv *jargs[1] = {j};
			if (find("mustFromJson")->impl(&x, jargs, 1, &back) != 0)
				abort();
		}
	}
	texec_release(&x);
	arena_free(a);
	free(in);
	return 0;
}
