/* `tide suspend`: see suspend_resume.c. */
#include "cli/cli.h"
#include "util/banned.h"

int cmd_suspend(int argc, char **argv)
{
	return cli_suspend_resume(argc, argv, true);
}
