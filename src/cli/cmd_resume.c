/* `tide resume`: not implemented yet (issue 7). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_resume(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("resume: not implemented yet");
}
