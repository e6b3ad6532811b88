/*
 * Feature gates split among controllers (see options.h). The value is checked whole before
 * any gate is set, so that a refused value leaves every controller with its defaults.
 */
#include "controllers/common/options.h"

#include <string.h>

#include "util/error.h"
#include "util/banned.h"

/* Sets (when set is true) every target of the gate name[0..len) in sets; how many sets know it. */
static size_t gate_apply(const struct ctl_options *const *sets, size_t n, const char *name, size_t len,
			 bool on, bool set)
{
	size_t known = 0;
	for (size_t i = 0; i < n; i++) {
		for (const struct ctl_gate *g = sets[i] ? sets[i]->gates : NULL; g && g->name; g++) {
			if (strlen(g->name) != len || strncmp(g->name, name, len))
				continue;
			known++;
			if (set && g->target)
				*g->target = on;
		}
	}
	return known;
}

static int walk(const struct ctl_options *const *sets, size_t n, const char *spec, bool set)
{
	const char *p = spec ? spec : "";
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len) {
			const char *eq = memchr(p, '=', len);
			if (!eq)
				return err_set(ERR_INVALID, "missing bool value for feature gate '%.*s'", (int)len, p);
			size_t nl = (size_t)(eq - p), vl = len - nl - 1;
			bool on;
			if (vl == 4 && !strncmp(eq + 1, "true", 4))
				on = true;
			else if (vl == 5 && !strncmp(eq + 1, "false", 5))
				on = false;
			else
				return err_set(ERR_INVALID, "invalid value of %.*s: %.*s", (int)nl, p, (int)vl, eq + 1);
			if (!gate_apply(sets, n, p, nl, on, set))
				return err_set(ERR_INVALID, "unrecognized feature gate: %.*s", (int)nl, p);
		}
		p += len + (end ? 1 : 0);
	}
	return 0;
}

int ctl_feature_gates_parse(const struct ctl_options *const *sets, size_t n, const char *spec)
{
	int rc = walk(sets, n, spec, false);
	return rc ? rc : walk(sets, n, spec, true);
}
