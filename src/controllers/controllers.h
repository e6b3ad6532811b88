/*
 * The controllers `tide controller` runs: one table of kinds, in the order they are set
 * up. Each kind lives in its own folder (src/controllers/<kind>/) and exports a
 * `const struct rt_controller <kind>_controller` (runtime/controller.h) and, when it takes
 * flags or feature gates, a `const struct ctl_options <kind>_options`
 * (controllers/common/options.h); adding a kind is one row in table.c.
 */
#ifndef TIDE_CONTROLLERS_CONTROLLERS_H
#define TIDE_CONTROLLERS_CONTROLLERS_H

#include <stddef.h>

struct ctl_options;
struct rt_controller;

struct tide_controller {
	const struct rt_controller *rt;
	const struct ctl_options *options; /* NULL: no flags or gates of its own */
};

/* Every controller, ending with a { NULL } row. */
extern const struct tide_controller tide_controllers[];

/* The controller named name ("gitrepository", "kustomization"), or NULL. */
const struct tide_controller *tide_controller_find(const char *name);

#endif
