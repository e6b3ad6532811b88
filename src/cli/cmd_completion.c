/*
 * `tide completion bash|zsh|fish`: a completion script for the shell, generated from the
 * command table (main.c) so a new verb completes without touching this file. It completes
 * the verb, the kind words after the verbs that take one (the same list for every such
 * verb), and the global flags; flux's cobra scripts also complete object names by calling
 * the binary back, which tide's do not.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "util/error.h"

static const char kinds[] = "kustomization helmrelease source alert alert-provider receiver image secret";
static const char source_kinds[] = "git oci helm chart bucket";
static const char image_kinds[] = "repository policy update all";
static const char secret_kinds[] = "git helm oci tls";
static const char kind_verbs[] = "create delete export get reconcile resume suspend";
static const char global_flags[] = "--kubeconfig --context --namespace --all-namespaces --timeout --verbose --help";

static void verbs(char *out, size_t len)
{
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < cli_command_count && n < len; i++)
		if (cli_commands[i].summary) /* hidden verbs have none */
			n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", cli_commands[i].name);
}

static void bash(const char *v)
{
	printf("# bash completion for tide\n"
	       "_tide() {\n"
	       "  local cur=${COMP_WORDS[COMP_CWORD]} words\n"
	       "  if [ \"$COMP_CWORD\" -eq 1 ]; then words=\"%s\"\n"
	       "  elif [[ $cur == -* ]]; then words=\"%s\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 2 ] && [[ \" %s \" == *\" ${COMP_WORDS[1]} \"* ]]; then words=\"%s\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 3 ] && [ \"${COMP_WORDS[2]}\" = source ]; then words=\"%s\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 3 ] && [ \"${COMP_WORDS[2]}\" = image ]; then words=\"%s\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 3 ] && [ \"${COMP_WORDS[2]}\" = secret ]; then words=\"%s\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 2 ] && [ \"${COMP_WORDS[1]}\" = completion ]; then words=\"bash zsh fish\"\n"
	       "  fi\n"
	       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	       "}\n"
	       "complete -F _tide tide\n",
	       v, global_flags, kind_verbs, kinds, source_kinds, image_kinds, secret_kinds);
}

static void zsh(const char *v)
{
	printf("#compdef tide\n"
	       "# zsh completion for tide\n"
	       "_tide() {\n"
	       "  if (( CURRENT == 2 )); then compadd -- %s\n"
	       "  elif [[ $words[CURRENT] == -* ]]; then compadd -- %s\n"
	       "  elif (( CURRENT == 3 )) && [[ \" %s \" == *\" $words[2] \"* ]]; then compadd -- %s\n"
	       "  elif (( CURRENT == 4 )) && [[ $words[3] == source ]]; then compadd -- %s\n"
	       "  elif (( CURRENT == 4 )) && [[ $words[3] == image ]]; then compadd -- %s\n"
	       "  elif (( CURRENT == 4 )) && [[ $words[3] == secret ]]; then compadd -- %s\n"
	       "  elif (( CURRENT == 3 )) && [[ $words[2] == completion ]]; then compadd -- bash zsh fish\n"
	       "  fi\n"
	       "}\n"
	       "compdef _tide tide\n",
	       v, global_flags, kind_verbs, kinds, source_kinds, image_kinds, secret_kinds);
}

static void fish(void)
{
	printf("# fish completion for tide\n"
	       "complete -c tide -f\n");
	for (size_t i = 0; i < cli_command_count; i++)
		if (cli_commands[i].summary)
			printf("complete -c tide -n '__fish_use_subcommand' -a %s -d '%s'\n", cli_commands[i].name,
			       cli_commands[i].summary);
	printf("complete -c tide -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a '%s'\n",
	       kind_verbs, kinds, kinds);
	printf("complete -c tide -n '__fish_seen_subcommand_from source' -a '%s'\n", source_kinds);
	printf("complete -c tide -n '__fish_seen_subcommand_from image' -a '%s'\n", image_kinds);
	printf("complete -c tide -n '__fish_seen_subcommand_from secret' -a '%s'\n", secret_kinds);
	printf("complete -c tide -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n");
	const char *f = global_flags;
	while (*f) {
		const char *sp = strchr(f, ' ');
		size_t n = sp ? (size_t)(sp - f) : strlen(f);
		printf("complete -c tide -l %.*s\n", (int)n - 2, f + 2);
		f += n + (sp ? 1 : 0);
	}
}

int cmd_completion(int argc, char **argv)
{
	struct cli_globals g;
	struct cli_flag flags[CLI_GLOBAL_FLAG_COUNT];
	cli_global_flags(flags, &g);
	const char *args[2];
	size_t nargs;
	if (cli_parse(argc, argv, flags, CLI_GLOBAL_FLAG_COUNT, args, 2, &nargs))
		return cli_fail("%s", err_msg());
	if (g.help) {
		static const struct cli_usage u = {
			"tide completion <bash|zsh|fish>",
			"The completion command prints a completion script for the shell named.",
			"  # Load bash completion in the current shell\n"
			"  . <(tide completion bash)\n\n"
			"  # Install zsh completion\n"
			"  tide completion zsh > \"${fpath[1]}/_tide\"\n\n"
			"  # Install fish completion\n"
			"  tide completion fish > ~/.config/fish/completions/tide.fish",
		};
		cli_print_help(&u, flags, CLI_GLOBAL_FLAG_COUNT);
		return 0;
	}
	if (nargs != 1)
		return cli_fail("completion: a shell is required: bash, zsh or fish");
	char v[1024];
	verbs(v, sizeof(v));
	if (!strcmp(args[0], "bash"))
		bash(v);
	else if (!strcmp(args[0], "zsh"))
		zsh(v);
	else if (!strcmp(args[0], "fish"))
		fish();
	else
		return cli_fail("completion: unsupported shell \"%s\": bash, zsh or fish", args[0]);
	return 0;
}
