/* `tide resume`: see suspend_resume.c. */
#include "cli/cli.h"
#include "util/banned.h"

int cmd_resume(int argc, char **argv)
{
	return cli_suspend_resume(argc, argv, false);
}
