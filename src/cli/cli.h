/* The CLI's command table entries. Each verb lives in its own file: cmd_<verb>.c. */
#ifndef TIDE_CLI_CLI_H
#define TIDE_CLI_CLI_H

typedef int (*cli_run_fn)(int argc, char **argv);

struct cli_command {
	const char *name;
	const char *summary;
	cli_run_fn run;
};

int cmd_version(int argc, char **argv);

#endif
