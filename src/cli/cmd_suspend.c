/* `tide suspend`: not implemented yet (issue 7). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_suspend(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("suspend: not implemented yet");
}
