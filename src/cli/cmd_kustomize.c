/* `tide kustomize`: not implemented yet (issue 6). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_kustomize(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("kustomize: not implemented yet");
}
