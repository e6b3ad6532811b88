/*
 * The controllers `tide controller` runs: one table of runtime controllers
 * (runtime/controller.h), in the order they are set up. Each kind lives in its own folder
 * (src/controllers/<kind>/) and exports one `const struct rt_controller <kind>_controller`;
 * adding a kind is one line in table.c.
 */
#ifndef TIDE_CONTROLLERS_CONTROLLERS_H
#define TIDE_CONTROLLERS_CONTROLLERS_H

#include <stddef.h>

struct rt_controller;

/* Every controller, NULL-terminated. */
extern const struct rt_controller *const tide_controllers[];

/* The controller named name ("gitrepository", "kustomization"), or NULL. */
const struct rt_controller *tide_controller_find(const char *name);

#endif
