/*
 * `tide completion bash|zsh|fish`: a completion script for the shell, generated from the
 * command table (main.c) so a new verb completes without touching this file. It completes
 * the verb, the kind words after the verbs that take one (from the kinds table, the same
 * list for every such verb), `generator` after `get|export|tree artifact`, `artifact`
 * after push, pull and tag (`artifacts` after list),
 * and the global flags; flux's cobra scripts also complete object names by calling
 * the binary back, which tide's do not.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/flags.h"
#include "cli/kinds.h"
#include "util/error.h"
#include "util/banned.h"

static const char secret_kinds[] = "git helm oci tls";

/* The words after a verb that takes a kind: each kind's word from the kinds table, a
 * family's word ("source", "image") once in its first kind's place, then "secret"
 * (create's); and the words after "source" and "image" ("all" ends image's, as flux's). */
struct kind_words {
	char kinds[512], sources[256], images[256], artifacts[128];
};

static void add_word(char *list, size_t len, const char *w)
{
	size_t n = strlen(list);
	snprintf(list + n, len - n, "%s%s", n ? " " : "", w);
}

static void kind_words(struct kind_words *w)
{
	memset(w, 0, sizeof(*w));
	bool sources = false, images = false, artifacts = false;
	for (size_t i = 0; i < cli_kind_count; i++) {
		const struct cli_kind *k = &cli_kinds[i];
		if (k->family == CLI_FAMILY_SOURCE) {
			if (!sources)
				add_word(w->kinds, sizeof(w->kinds), "source");
			sources = true;
			add_word(w->sources, sizeof(w->sources), k->word);
		} else if (k->family == CLI_FAMILY_IMAGE) {
			if (!images)
				add_word(w->kinds, sizeof(w->kinds), "image");
			images = true;
			add_word(w->images, sizeof(w->images), k->word);
		} else if (k->family == CLI_FAMILY_ARTIFACT) {
			if (!artifacts)
				add_word(w->kinds, sizeof(w->kinds), "artifact");
			artifacts = true;
			add_word(w->artifacts, sizeof(w->artifacts), k->word);
		} else {
			add_word(w->kinds, sizeof(w->kinds), k->word);
		}
	}
	add_word(w->kinds, sizeof(w->kinds), "secret");
	add_word(w->images, sizeof(w->images), "all");
}
static const char kind_verbs[] = "create delete export get reconcile resume suspend";
/* The verbs that take `artifact generator` (flux's get, export and tree). */
static const char generator_verbs[] = "export get tree";
/* The artifact verbs' one word each (flux's `push artifact`, `list artifacts`). */
static const char artifact_verbs[] = "pull push tag";
static const char global_flags[] = "--kubeconfig --context --namespace --all-namespaces --timeout --verbose --help";

static void verbs(char *out, size_t len)
{
	size_t n = 0;
	out[0] = 0;
	for (size_t i = 0; i < cli_command_count && n < len; i++)
		if (cli_commands[i].summary) /* hidden verbs have none */
			n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", cli_commands[i].name);
}

static void bash(const char *v, const struct kind_words *w)
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
	       "  elif [ \"$COMP_CWORD\" -eq 3 ] && [ \"${COMP_WORDS[2]}\" = artifact ] && [[ \" %s \" == *\" ${COMP_WORDS[1]} \"* ]]; then words=\"%s\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 2 ] && [ \"${COMP_WORDS[1]}\" = completion ]; then words=\"bash zsh fish\"\n"
	       "  elif [ \"$COMP_CWORD\" -eq 2 ] && [[ \" %s \" == *\" ${COMP_WORDS[1]} \"* ]]; then words=artifact\n"
	       "  elif [ \"$COMP_CWORD\" -eq 2 ] && [ \"${COMP_WORDS[1]}\" = list ]; then words=artifacts\n"
	       "  fi\n"
	       "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	       "}\n"
	       "complete -F _tide tide\n",
	       v, global_flags, kind_verbs, w->kinds, w->sources, w->images, secret_kinds, generator_verbs,
	       w->artifacts, artifact_verbs);
}

static void zsh(const char *v, const struct kind_words *w)
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
	       "  elif (( CURRENT == 4 )) && [[ $words[3] == artifact ]] && [[ \" %s \" == *\" $words[2] \"* ]]; then compadd -- %s\n"
	       "  elif (( CURRENT == 3 )) && [[ $words[2] == completion ]]; then compadd -- bash zsh fish\n"
	       "  elif (( CURRENT == 3 )) && [[ \" %s \" == *\" $words[2] \"* ]]; then compadd -- artifact\n"
	       "  elif (( CURRENT == 3 )) && [[ $words[2] == list ]]; then compadd -- artifacts\n"
	       "  fi\n"
	       "}\n"
	       "compdef _tide tide\n",
	       v, global_flags, kind_verbs, w->kinds, w->sources, w->images, secret_kinds, generator_verbs,
	       w->artifacts, artifact_verbs);
}

static void fish(const struct kind_words *w)
{
	printf("# fish completion for tide\n"
	       "complete -c tide -f\n");
	for (size_t i = 0; i < cli_command_count; i++)
		if (cli_commands[i].summary)
			printf("complete -c tide -n '__fish_use_subcommand' -a %s -d '%s'\n", cli_commands[i].name,
			       cli_commands[i].summary);
	printf("complete -c tide -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a '%s'\n",
	       kind_verbs, w->kinds, w->kinds);
	printf("complete -c tide -n '__fish_seen_subcommand_from source' -a '%s'\n", w->sources);
	printf("complete -c tide -n '__fish_seen_subcommand_from image' -a '%s'\n", w->images);
	printf("complete -c tide -n '__fish_seen_subcommand_from secret' -a '%s'\n", secret_kinds);
	printf("complete -c tide -n '__fish_seen_subcommand_from %s; and __fish_seen_subcommand_from artifact' -a '%s'\n",
	       generator_verbs, w->artifacts);
	printf("complete -c tide -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'\n");
	printf("complete -c tide -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from artifact' -a artifact\n",
	       artifact_verbs);
	printf("complete -c tide -n '__fish_seen_subcommand_from list; and not __fish_seen_subcommand_from artifacts' -a artifacts\n");
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
	int code;
	if (cli_parse_verb(&code, argc, argv, flags, CLI_GLOBAL_FLAG_COUNT, args, 2, &nargs, &g.help, &u))
		return code;
	if (nargs != 1)
		return cli_fail("completion: a shell is required: bash, zsh or fish");
	char v[1024];
	verbs(v, sizeof(v));
	struct kind_words w;
	kind_words(&w);
	if (!strcmp(args[0], "bash"))
		bash(v, &w);
	else if (!strcmp(args[0], "zsh"))
		zsh(v, &w);
	else if (!strcmp(args[0], "fish"))
		fish(&w);
	else
		return cli_fail("completion: unsupported shell \"%s\": bash, zsh or fish", args[0]);
	return 0;
}
