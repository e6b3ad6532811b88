/* The kinds table (see controllers.h). To add a kind, add one row below. */
#include "controllers/controllers.h"

#include <string.h>

#include "controllers/common/options.h"
#include "controllers/kustomization/kustomization.h"
#include "runtime/controller.h"
#include "util/banned.h"

extern const struct rt_controller gitrepository_controller;
extern const struct ctl_options gitrepository_options;
extern const struct rt_controller ocirepository_controller;
extern const struct ctl_options ocirepository_options;
extern const struct rt_controller helmrepository_controller;
extern const struct ctl_options helmrepository_options;
extern const struct rt_controller bucket_controller;
extern const struct ctl_options bucket_options;
extern const struct rt_controller helmchart_controller;
extern const struct ctl_options helmchart_options;
extern const struct rt_controller artifactgenerator_controller;
extern const struct ctl_options artifactgenerator_options;

const struct tide_controller tide_controllers[] = {
	{ &gitrepository_controller, &gitrepository_options },
	{ &ocirepository_controller, &ocirepository_options },
	{ &helmrepository_controller, &helmrepository_options },
	{ &bucket_controller, &bucket_options },
	{ &helmchart_controller, &helmchart_options },
	{ &artifactgenerator_controller, &artifactgenerator_options },
	{ &kustomization_controller, &kustomization_options },
	{ NULL, NULL },
};

const struct tide_controller *tide_controller_find(const char *name)
{
	for (size_t i = 0; tide_controllers[i].rt; i++)
		if (!strcmp(tide_controllers[i].rt->name, name))
			return &tide_controllers[i];
	return NULL;
}
