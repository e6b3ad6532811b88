#!/usr/bin/env bash
# Every watch closed and etcd compacted (hardening, issue 16): with a Kustomization Ready,
# the kube-apiserver is stopped (every watch of tide's informers ends); while it is down the
# Kustomization is changed directly in etcd (a reconcile.fluxcd.io/requestedAt annotation,
# through etcd's JSON gateway: custom resources are stored as JSON) and etcd is compacted at
# its current revision, so the informers' resumed watches get 410 Gone. What must hold: each
# informer lists again once (tide logs "watch resourceVersion expired, listing again" once per
# resource), the change made while the watch was down is seen and acted on
# (status.lastHandledReconcileAt), and no informer lists again and again afterwards.
# It restarts the API server, which every other file would see:
# e2e: serial
source "$(dirname "$0")/../lib.sh"
dir=${1:?usage: $0 CLUSTER_DIR}
tmp=$E2E_TMP
ns=e2e-fault-compact
k() { "$KUBECTL" "$@"; }
jp() { k -n "$ns" get kustomization app -o jsonpath="$1" 2>/dev/null; }
export -f k jp; export ns KUBECTL
. "$dir/env"
etcd_url=$(tr '\0' '\n' < "/proc/$ETCD_PID/cmdline" | sed -n 's/^--listen-client-urls=//p; /^--listen-client-urls$/{n;p}' | head -n 1)
etcd() { curl -sf -X POST -H 'Content-Type: application/json' "$etcd_url/v3/$1" -d "$2"; }
b64() { printf %s "$1" | base64 -w0; }
relists() { grep '"watch resourceVersion expired, listing again"' "$E2E_CTL_LOG" | grep -o '"resource":"[^"]*"' | sort | uniq -c | awk '{print $2, $1}'; }

check "install the CRDs" "$TIDE" install
check "etcd's JSON gateway answers ($etcd_url)" etcd kv/range "{\"key\":\"$(b64 /registry)\",\"limit\":1}"
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" kustomizations,gitrepositories

r=$tmp/repo
mkdir -p "$r/deploy"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: v\n' > "$r/deploy/cm.yaml"
e2e_git_init "$r" one
e2e_controller
check "the controller is ready" e2e_controller_ready
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo}
spec: {url: "file://$r", interval: 1h, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app}
spec:
  interval: 1h
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: repo}
YAML
check "the Kustomization is Ready" wait_for 120 bash -c '[ "$(jp "{.status.conditions[?(@.type==\"Ready\")].status}")" = True ]'
check_output "no relist before the fault" "" "$(relists)"

# ---- the fault: API server down, the object changed in etcd, etcd compacted ---------------
key=/registry/kustomize.toolkit.fluxcd.io/kustomizations/$ns/app
"$E2E_ROOT/test/cluster/restart-apiserver" "$dir" 8 > "$tmp/restart.out" 2>&1 & restart=$!
check "the API server is down" wait_for 20 bash -c "! curl -sk --max-time 1 $SERVER/readyz"
val=$(etcd kv/range "{\"key\":\"$(b64 "$key")\"}" | jq -r '.kvs[0].value' | base64 -d)
check_contains "the Kustomization is read from etcd" '"kind":"Kustomization"' "$val"
new=$(jq -c '.metadata.annotations["reconcile.fluxcd.io/requestedAt"] = "while-down"' <<< "$val")
check "... changed in etcd while no watch runs" etcd kv/put "{\"key\":\"$(b64 "$key")\",\"value\":\"$(b64 "$new")\"}"
rev=$(etcd kv/range "{\"key\":\"$(b64 "$key")\"}" | jq -r '.header.revision')
check "etcd compacted at its current revision ($rev)" etcd kv/compaction "{\"revision\":\"$rev\",\"physical\":true}"
wait "$restart"; rc=$?
check_output "the API server is back" 0 "$rc"

check "the change made while the watch was down is acted on" wait_for 60 bash -c '[ "$(jp "{.status.lastHandledReconcileAt}")" = while-down ]'
check "each informer has listed again" wait_for 30 bash -c "grep -q 'watch resourceVersion expired, listing again' '$E2E_CTL_LOG'"
sleep 15
got=$(relists)
echo "# relists per resource after 15 s: $(tr '\n' ' ' <<< "$got")"
check "Kustomizations and GitRepositories listed again" bash -c "grep -q '^\"resource\":\"kustomizations\" ' <<< '$got' && grep -q '^\"resource\":\"gitrepositories\" ' <<< '$got'"
check_output "one relist per informer, no relist loop" "" "$(awk '$2 != 1' <<< "$got")"
fails=$(grep -c '"failed to list"' "$E2E_CTL_LOG" || true)
sleep 5
check_output "no failing LIST either" "$fails" "$(grep -c '"failed to list"' "$E2E_CTL_LOG" || true)"
check_output "... and still one relist each 20 s later" "$got" "$(relists)"
k -n "$ns" annotate --overwrite kustomization app reconcile.fluxcd.io/requestedAt=after >/dev/null
check "the resumed watch delivers later changes" wait_for 60 bash -c '[ "$(jp "{.status.lastHandledReconcileAt}")" = after ]'
e2e_controller_stop
e2e_no_sanitizer_report "the controller exits without a sanitizer report"
finish
