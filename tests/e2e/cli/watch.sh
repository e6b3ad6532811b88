#!/usr/bin/env bash
# `tide get <kind> -w` and `tide events -w` as flux prints them: the header once, then a row
# per existing object and per change (each row padded to its own widths), until --timeout:
# get ends with flux's "timed out waiting for the condition" (exit 1), events ends quietly
# (exit 0). Also -l/--label-selector, and -w refused for `get all`.
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli-watch-$$
"$TIDE" install >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null
git_repo() { # name [labels]
	"$KUBECTL" -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: $1, labels: {team: ${2:-none}}}
spec: {url: https://example.com/app, interval: 1h, ref: {branch: main}}
YAML
}
git_repo app apps
out=$E2E_TMP/watch.out
"$TIDE" get sources git -n "$ns" -w --timeout 6s >"$out" 2>&1 &
pid=$!
sleep 2
git_repo second
"$KUBECTL" -n "$ns" patch gitrepository app --subresource=status --type merge -p \
  '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"stored artifact for revision main@sha1:0123456789abcdef0123456789abcdef01234567","lastTransitionTime":"2026-11-25T08:00:00Z"}]}}' >/dev/null
wait "$pid"; rc=$?
check_output "get -w ends at --timeout with exit 1" "1" "$rc"
check_output "get -w: the header once" "1" "$(grep -c '^NAME' "$out")"
check_contains "get -w: the existing object first" "app 	        	False    	False	waiting to be reconciled" "$(sed -n 2p "$out")"
check_contains "get -w: a new object's row" "second	" "$(cat "$out")"
check_contains "get -w: a status change's row, digest shortened" "stored artifact for revision main@sha1:01234567" "$(cat "$out")"
check_contains "get -w: flux's timeout message" "✗ timed out waiting for the condition" "$(cat "$out")"
"$TIDE" get sources git app -n "$ns" -w --no-header --timeout 2s >"$out" 2>&1
check_output "get NAME -w --no-header: only that object" "app" "$(grep -v '✗' "$out" | cut -f1 | tr -d ' ' | sort -u)"
"$TIDE" get sources git -A -w -l team=apps --timeout 2s >"$out" 2>&1
check_contains "get -A -w: NAMESPACE column" "NAMESPACE" "$(head -1 "$out")"
check_output "get -w -l: the labelled object only" "app" "$(sed -n 2p "$out" | cut -f2 | tr -d ' ')"
check_output "get -l without -w" "app" "$("$TIDE" get sources git -n "$ns" -l team=apps --no-header | cut -f1 | tr -d ' ')"
check_contains "get all -w is refused as flux does" "expected a single resource type, but found all" \
	"$("$TIDE" get all -w 2>&1)"
check_fails "get sources all -w: exit 1" "$TIDE" get sources all -w -n "$ns"
check_contains "get -w with a bad label selector: the server's error" "✗" \
	"$("$TIDE" get sources git -n "$ns" -w -l '!!' --timeout 2s 2>&1)"
check_contains "get -w: no cluster" "✗" "$("$TIDE" get ks -w --kubeconfig /nonexistent 2>&1)"

# ---- events -w ----
event() { # name reason type
	"$KUBECTL" -n "$ns" create -f - >/dev/null <<YAML
apiVersion: v1
kind: Event
metadata: {name: $1}
involvedObject: {kind: GitRepository, name: app, namespace: $ns}
reason: $2
message: message of $1
type: $3
firstTimestamp: "2026-11-25T10:00:00Z"
lastTimestamp: "2026-11-25T10:00:00Z"
source: {component: source-controller}
YAML
}
event old-one Succeeded Normal
"$TIDE" events -n "$ns" -w --timeout 5s >"$out" 2>&1 &
pid=$!
sleep 2
event new-one GitOperationFailed Warning
"$KUBECTL" -n "$ns" create -f - >/dev/null <<YAML
apiVersion: v1
kind: Event
metadata: {name: not-flux}
involvedObject: {kind: Pod, name: p, namespace: $ns}
reason: Started
message: not about a flux object
type: Normal
YAML
wait "$pid"; rc=$?
check_output "events -w ends at --timeout with exit 0, as flux" "0" "$rc"
check_output "events -w: the header once" "1" "$(grep -c '^LAST SEEN' "$out")"
check_contains "events -w: the existing event" "message of old-one" "$(cat "$out")"
check_contains "events -w: the new event streamed" "GitOperationFailed	GitRepository/app	message of new-one" "$(cat "$out" | tr -s ' ')"
check_output "events -w: only Flux objects' events" "" "$(grep 'not about a flux object' "$out")"
"$TIDE" events -n "$ns" -w --types warning --timeout 2s >"$out" 2>&1
check_output "events -w --types warning" "message of new-one" "$(grep -o 'message of [a-z-]*' "$out")"
"$TIDE" events -A -w --for GitRepository/app --timeout 2s >"$out" 2>&1
check_contains "events -A -w --for: NAMESPACE column" "NAMESPACE" "$(head -1 "$out")"
check_output "events -A -w --for: both events of the object" "2" "$(grep -c "^$ns" "$out")"
check_contains "events -w --for with a bad kind" "'Nope' is not a recognized Flux kind" "$("$TIDE" events -w --for Nope/x 2>&1)"
check_fails "events -w: no cluster" "$TIDE" events -w --kubeconfig /nonexistent
check_contains "get --help: the watch example" "tide get kustomizations --watch" "$("$TIDE" get --help)"
check_contains "events --help: the watch flag" "--watch" "$("$TIDE" events --help)"
rm -f "$out"
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
