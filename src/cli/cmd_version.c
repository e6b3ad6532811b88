/* `tide version`: the build's version, as `flux version --client` prints it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "util/banned.h"

int cmd_version(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("Print the tide version.\n\nUsage:\n  tide version [flags]\n\nExamples:\n  tide version\n");
			return 0;
		}
	}
	printf("tide: %s\n", TIDE_VERSION);
	return 0;
}
