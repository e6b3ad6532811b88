/* `tide delete`: not implemented yet (issue 7). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_delete(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("delete: not implemented yet");
}
