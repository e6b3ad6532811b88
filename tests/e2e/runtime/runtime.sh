#!/usr/bin/env bash
# E2e tests of the controller runtime (src/runtime) and `tide controller` on a real control
# plane: the in-process suite of tests/unit/runtime/e2e_test.c (a tiny reconciler on
# GitRepository: status, finalizers, requestedAt, suspend, requeues, events, /metrics, an API
# server restart), leader election handover between two processes, and the CLI verb.
# Usage: tests/e2e/runtime/runtime.sh CLUSTER_DIR
# It restarts the API server, and its `tide controller` watches every namespace:
# e2e: serial
. "$(dirname "$0")/../lib.sh"
dir=${1:?usage: $0 CLUSTER_DIR}
cd "$(dirname "$0")/../../.."
bin=build/asan/tests/unit/runtime/e2e_test
[ -x "$bin" ] || make -s SAN=1 unit >/dev/null
export TIDE_TEST_KUBECONFIG="$dir/kubeconfig"

check "install the CRDs" "$TIDE" install --kubeconfig "$dir/kubeconfig"

# ---- the in-process suite (prints its own ok / not ok lines) -------------------------------
TIDE_TEST_CLUSTER_DIR="$dir" "$bin" > "$E2E_TMP/rt-e2e" 2>&1 || E2E_FAILED=1
grep -E '^(ok|not ok) - ' "$E2E_TMP/rt-e2e"
if grep -q '^not ok - ' "$E2E_TMP/rt-e2e" || [ "$E2E_FAILED" -ne 0 ]; then
  grep -vE '^(ok - |\{)' "$E2E_TMP/rt-e2e" | head -n 40 | sed 's/^/#   /'
fi

# ---- leader election handover --------------------------------------------------------------
ns=rt-leader-$$
e2e_namespace "$ns"
export TIDE_TEST_NAMESPACE=$ns
{ read -r pa; read -r pb; } < <(e2e_port 2)
holder() { "$KUBECTL" -n "$ns" get lease "$1" -o jsonpath='{.spec.holderIdentity}' 2>/dev/null; }
message() { "$KUBECTL" -n "$ns" get gitrepository x -o jsonpath='{.status.conditions[?(@.type=="Ready")].message}' 2>/dev/null; }
export -f holder message; export ns KUBECTL
"$bin" leader A "$pa" > "$E2E_TMP/leader-a" 2>&1 & a=$!
e2e_on_exit e2e_kill $a KILL
check "first candidate takes the lease" wait_for 20 bash -c '[ -n "$(holder rt-e2e-leader)" ]'
"$bin" leader B "$pb" > "$E2E_TMP/leader-b" 2>&1 & b=$!
e2e_on_exit e2e_kill $b KILL
"$KUBECTL" -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: x}
spec: {url: 'https://example.com/x', interval: 1h}
YAML
check "the leader reconciles" wait_for 20 bash -c '[ "$(message)" = "reconciled by A" ]'
check "the standby is ready (cache synced) without leading" wait_for 20 bash -c "curl -sf http://127.0.0.1:$pb/readyz | grep -qx ok"
sleep 1
check_output "the standby did not reconcile" "reconciled by A" "$(message)"
first=$(holder rt-e2e-leader)
kill -KILL $a; wait $a 2>/dev/null
t0=$(date +%s%N)
"$KUBECTL" -n "$ns" annotate --overwrite gitrepository x reconcile.fluxcd.io/requestedAt=after-kill >/dev/null
if wait_for 30 bash -c '[ "$(message)" = "reconciled by B" ]'; then
  ok "the standby takes over after the leader dies"
  echo "# handover took $(( ($(date +%s%N) - t0) / 1000000 )) ms (lease 4 s, retry 0.5 s)"
else
  not_ok "the standby takes over after the leader dies"; tail -n 20 "$E2E_TMP/leader-b" | sed 's/^/#   /'
fi
second=$(holder rt-e2e-leader)
[ -n "$second" ] && [ "$second" != "$first" ] && ok "the lease names the new holder" || not_ok "the lease names the new holder ($first -> $second)"
check_output "leaseTransitions counted" "1" "$("$KUBECTL" -n "$ns" get lease rt-e2e-leader -o jsonpath='{.spec.leaseTransitions}')"
kill -TERM $b
if wait $b; then ok "SIGTERM: clean exit"; else not_ok "SIGTERM: clean exit"; tail -n 20 "$E2E_TMP/leader-b" | sed 's/^/#   /'; fi
check_output "the lease is released on shutdown" "" "$(holder rt-e2e-leader)"

# ---- tide controller ------------------------------------------------------------------------
{ read -r pm; read -r ph; } < <(e2e_port 2)
"$TIDE" controller --kubeconfig "$dir/kubeconfig" -n "$ns" --metrics-addr "127.0.0.1:$pm" \
  --health-addr "127.0.0.1:$ph" --enable-leader-election --leader-election-retry-period=500ms \
  --log-encoding=console > "$E2E_TMP/controller" 2>&1 & c=$!
e2e_on_exit e2e_kill $c KILL
check "tide controller: /healthz" wait_for 20 bash -c "curl -sf http://127.0.0.1:$ph/healthz | grep -qx ok"
check "tide controller: /readyz" wait_for 20 bash -c "curl -sf http://127.0.0.1:$ph/readyz | grep -qx ok"
check "tide controller: leader" wait_for 20 bash -c "curl -sf http://127.0.0.1:$pm/metrics | grep -qx 'leader_election_master_status{name=\"tide-controller-leader-election\"} 1'"
metrics=$(curl -sf "http://127.0.0.1:$pm/metrics")
check_contains "tide controller: process metrics" "process_resident_memory_bytes " "$metrics"
check_contains "tide controller: metrics content type" "text/plain; version=0.0.4" "$(curl -sfI "http://127.0.0.1:$pm/metrics")"
check "tide controller: lease in the runtime namespace" test -n "$(holder tide-controller-leader-election)"
kill -TERM $c
if wait $c; then ok "tide controller: SIGTERM exits 0"; else not_ok "tide controller: SIGTERM exits 0"; tail -n 20 "$E2E_TMP/controller" | sed 's/^/#   /'; fi
check_output "tide controller: lease released" "" "$(holder tide-controller-leader-election)"
out=$("$TIDE" controller --kubeconfig "$dir/kubeconfig" --controllers=nope 2>&1); rc=$?
[ $rc -eq 1 ] && ok "tide controller: unknown controller is an error" || not_ok "tide controller: unknown controller is an error (rc $rc)"
check_output "tide controller: unknown controller message" '✗ unknown controller "nope"' "$out"
finish
