#!/usr/bin/env bash
# The README's one-command demo (scripts/demo --no-pause), run whole: it builds tide, starts
# its own control plane, creates the GitRepository and Kustomization with the CLI, applies a
# commit, prunes a removed file and stops everything. The cluster given to this script is
# not used. It takes half a minute or more (started early in a parallel run):
# e2e: slow
source "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../../.."
out=$E2E_TMP/demo.out
if timeout 900 scripts/demo --no-pause > "$out" 2>&1; then ok "scripts/demo runs to the end"; else not_ok "scripts/demo runs to the end"; tail -n 30 "$out" | sed 's/^/#   /'; fi
check_contains "the GitRepository is created and fetched" "✔ fetched revision: main@sha1:" "$(cat "$out")"
check_contains "the Kustomization is applied" "✔ Kustomization podinfo is ready" "$(cat "$out")"
check_contains "tide get all shows both Ready" "kustomization/podinfo" "$(cat "$out")"
check_contains "a commit is applied" "greeting: hello again, from a new commit" "$(cat "$out")"
check_contains "... with 2 replicas" "replicas: 2" "$(cat "$out")"
check_contains "a removed file is pruned" "the Service is gone from the cluster" "$(cat "$out")"
check_contains "everything is stopped" "stopped the controller and the control plane" "$(cat "$out")"
rm -f "$out"
finish
