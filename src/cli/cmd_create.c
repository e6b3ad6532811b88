/* `tide create`: not implemented yet (issue 7). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_create(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("create: not implemented yet");
}
