/* Server-side apply of the install manifests (waits for the Kubernetes client). */
#include "cli/cli.h"
#include "cli/flags.h"

int install_apply(const struct cli_globals *g)
{
	(void)g;
	return cli_fail("install: applying to a cluster is not available yet; use --export");
}
