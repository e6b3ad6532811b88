/* `tide check`: not implemented yet (issue 7). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("check: not implemented yet");
}
