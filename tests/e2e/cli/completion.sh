#!/usr/bin/env bash
# tide completion: the bash script loads and completes verbs (from the command table), kind
# words and source kinds; zsh and fish scripts name every verb; a bad shell is one line, exit 1.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
"$TIDE" completion bash > "$tmp/tide.bash"
complete_words() { bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tide; echo "${COMPREPLY[*]}"' _ "$tmp/tide.bash" "$@"; }
check_output "bash: verbs" "reconcile resume" "$(complete_words tide re)"
check_output "bash: every verb of the table" "$("$TIDE" --help | grep -v '^  tide ' | sed -n 's/^  \([a-z]*\) .*/\1/p' | tr '\n' ' ' | sed 's/ $//')" "$(complete_words tide '')"
check_output "bash: kinds after a verb" "kustomization" "$(complete_words tide reconcile ku)"
check_output "bash: source kinds" "git" "$(complete_words tide get source g)"
check_output "bash: image kinds" "policy" "$(complete_words tide create image p)"
check_output "bash: secret kinds" "tls" "$(complete_words tide create secret t)"
check_output "bash: artifact generator after get" "generator" "$(complete_words tide get artifact g)"
check_output "bash: external after source" "external" "$(complete_words tide export source e)"
check_output "bash: create words" "alert alert-provider" "$(complete_words tide create al)"
check_output "bash: flags" "--namespace" "$(complete_words tide get ks --nam)"
check_contains "zsh script" "compdef _tide tide" "$("$TIDE" completion zsh)"
check_contains "zsh names the verbs" "uninstall" "$("$TIDE" completion zsh)"
check_contains "fish script names the verbs" "complete -c tide -n '__fish_use_subcommand' -a reconcile" "$("$TIDE" completion fish)"
out=$("$TIDE" completion tcsh 2>&1); rc=$?
check_output "unsupported shell" "✗ completion: unsupported shell \"tcsh\": bash, zsh or fish" "$out"
check_output "unsupported shell exits 1" 1 "$rc"
check_fails "a shell is required" "$TIDE" completion
check_contains "completion --help has examples" "tide completion bash" "$("$TIDE" completion --help)"
finish
