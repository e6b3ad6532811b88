/* `tide export`: not implemented yet (issue 7). */
#include "cli/cli.h"
#include "cli/flags.h"

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_fail("export: not implemented yet");
}
