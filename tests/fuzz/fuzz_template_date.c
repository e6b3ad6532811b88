/*
 * libFuzzer target: sprig's date functions (src/template/sprig_date.c), whose layouts,
 * values, zone names and durations come from tenants' templates. The input is lines:
 * a layout, a value, a zone name and a duration. mustToDate parses the value; the time
 * (or now) is formatted with the layout in the zone and moved by the duration. Nothing
 * may crash or read out of bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "template/sprig.h"
#include "template/template_int.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct tfunc *find(const char *name)
{
	for (size_t i = 0; i < tfuncs_sprig_date.len; i++)
		if (!strcmp(tfuncs_sprig_date.funcs[i].name, name))
			return &tfuncs_sprig_date.funcs[i];
	abort();
}

/* The next '\n'-terminated field of *s (NUL-terminated in place). */
static char *field(char **s)
{
	char *f = *s, *nl = strchr(f, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = f + strlen(f);
	}
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_string(data, size, 4096);
	if (!in)
		return 0;
	char *p = in;
	char *layout = field(&p), *value = field(&p), *zone = field(&p), *dur = field(&p);
	struct arena *a = arena_new();
	struct texec x;
	texec_init_standalone(&x, a, NULL);
	struct tv *out = NULL, *t = NULL;
	struct tv *args[3] = {tv_str(a, layout), tv_str(a, value), NULL};
	if (find("mustToDate")->impl(&x, args, 2, &t) != 0)
		find("now")->impl(&x, args, 0, &t);
	struct tv *fargs[3] = {tv_str(a, layout), t, tv_str(a, zone)};
	find("dateInZone")->impl(&x, fargs, 3, &out);
	struct tv *margs[2] = {tv_str(a, dur), t};
	if (find("mustDateModify")->impl(&x, margs, 2, &out) == 0) {
		fargs[1] = out;
		find("dateInZone")->impl(&x, fargs, 3, &out);
		find("unixEpoch")->impl(&x, fargs + 1, 1, &out);
	}
	struct tv *dargs[1] = {tv_str(a, dur)};
	find("durationRound")->impl(&x, dargs, 1, &out);
	dargs[0] = tv_str(a, value);
	find("duration")->impl(&x, dargs, 1, &out);
	texec_release(&x);
	arena_free(a);
	free(in);
	return 0;
}
