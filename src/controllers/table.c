/* The controller table (see controllers.h). To add a kind, add one X(...) line below. */
#include "controllers/controllers.h"

#include <string.h>

#include "runtime/controller.h"

/* One line per controller: X(<kind>_controller). */
#define TIDE_CONTROLLER_LIST(X) \
	X(gitrepository_controller) \
	X(kustomization_controller)

#define DECLARE(c) extern const struct rt_controller c;
#define ENTRY(c) &c,
TIDE_CONTROLLER_LIST(DECLARE)

const struct rt_controller *const tide_controllers[] = {
	TIDE_CONTROLLER_LIST(ENTRY)
	NULL,
};

const struct rt_controller *tide_controller_find(const char *name)
{
	for (size_t i = 0; tide_controllers[i]; i++)
		if (!strcmp(tide_controllers[i]->name, name))
			return tide_controllers[i];
	return NULL;
}
