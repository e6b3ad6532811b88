#!/usr/bin/env bash
# `tide logs`: flux's filters and line format over a saved controller log (--from-file), and
# the in-cluster path (pods of the install's Deployment through pods/log) up to what a
# control plane without kubelets can show: the pod is found and its log cannot be read.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP

cat > "$tmp/controller.log" <<'LOG'
{"level":"info","ts":"2026-11-25T08:00:00.000Z","msg":"starting manager"}
{"level":"info","ts":"2026-11-25T08:00:01.000Z","msg":"stored artifact for revision 'main@sha1:abc'","controller":"gitrepository","controllerGroup":"source.toolkit.fluxcd.io","controllerKind":"GitRepository","name":"podinfo","namespace":"flux-system","reconcileID":"1"}
{"level":"error","ts":"2026-11-25T08:00:02.000Z","msg":"Reconciler error","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","name":"apps","namespace":"flux-system","reconcileID":"2","error":"kustomization path not found"}
{"level":"info","ts":"2026-11-25T08:00:03.000Z","msg":"server-side apply completed","controller":"kustomization","controllerGroup":"kustomize.toolkit.fluxcd.io","controllerKind":"Kustomization","name":"web","namespace":"team-a","reconcileID":"3"}
2026-11-25T08:00:04.000Z	info	a console line is skipped
{"level":"info","ts":"broken
LOG

check_output "flux's line format, namespace flux-system by default" \
"2026-11-25T08:00:01.000Z info GitRepository/podinfo.flux-system - stored artifact for revision 'main@sha1:abc' 
2026-11-25T08:00:02.000Z error Kustomization/apps.flux-system - Reconciler error kustomization path not found" \
  "$("$TIDE" logs --from-file "$tmp/controller.log")"
check_output "-A keeps every object line (and the manager's)" "4" \
  "$("$TIDE" logs -A --from-file "$tmp/controller.log" | wc -l | tr -d ' ')"
check_output "--level" "2026-11-25T08:00:02.000Z error Kustomization/apps.flux-system - Reconciler error kustomization path not found" \
  "$("$TIDE" logs -A --level=error --from-file "$tmp/controller.log")"
check_output "--kind (any case) and --name" "2026-11-25T08:00:03.000Z info Kustomization/web.team-a - server-side apply completed " \
  "$("$TIDE" logs -A --kind=kustomization --name=web --from-file "$tmp/controller.log")"
check_output "-n" "1" "$("$TIDE" logs -n team-a --from-file "$tmp/controller.log" | wc -l | tr -d ' ')"
check_output "standard input" "1" "$("$TIDE" logs --name=podinfo --from-file - < "$tmp/controller.log" | wc -l | tr -d ' ')"
check_contains "bad --level is one clear line" "✗ invalid argument \"loud\" for \"--level\" flag" \
  "$("$TIDE" logs --level=loud --from-file "$tmp/controller.log" 2>&1)"
check_fails "bad --level fails" "$TIDE" logs --level=loud --from-file "$tmp/controller.log"
check_contains "since and since-time together refused" "at most one of" \
  "$("$TIDE" logs --since=1m --since-time=2026-11-25T08:00:00Z 2>&1)"
check_contains "a bad since-time" "is not a valid (RFC3339) time" "$("$TIDE" logs --since-time=yesterday 2>&1)"
check_contains "an argument is refused" "no argument required" "$("$TIDE" logs podinfo 2>&1)"
check_contains "a missing file" "cannot open" "$("$TIDE" logs --from-file "$tmp/nope" 2>&1)"

# A real controller's own log through the filter: its lines carry the fields flux's filter reads.
"$TIDE" controller --metrics-addr 127.0.0.1:0 --health-addr 127.0.0.1:0 --storage-addr 127.0.0.1:0 \
  --storage-path "$tmp/storage" --kubeconfig /nonexistent 2> "$tmp/real.log" >/dev/null || true
check "tide controller's log is JSON lines tide logs can read" test -s "$tmp/real.log"
"$TIDE" logs -A --from-file "$tmp/real.log" > "$tmp/real.out"
check_output "every JSON line of it comes through with -A" "$(grep -c '^{' "$tmp/real.log")" "$(wc -l < "$tmp/real.out" | tr -d ' ')"

# In the cluster.
"$KUBECTL" create namespace e2e-logs-empty >/dev/null 2>&1
check_contains "no pods: flux's message" "no Flux pods found in namespace \"e2e-logs-empty\"" \
  "$("$TIDE" logs --flux-namespace e2e-logs-empty 2>&1)"
check_fails "no pods: exit 1" "$TIDE" logs --flux-namespace e2e-logs-empty
"$TIDE" install >/dev/null 2>&1
# The controller manager makes the ReplicaSet's pod; with no scheduler and no kubelet it
# stays Pending and its log is empty (the API server answers 200 with nothing, as kubectl
# logs shows): tide finds the pod, reads its log, prints nothing and succeeds.
if wait_for 30 bash -c "\"$KUBECTL\" -n flux-system get pods -l app=tide-controller -o name | grep -q ."; then
  out=$("$TIDE" logs -A --tail 10 --since 1h 2>&1); rc=$?
  check_output "the install's pod is found and its (empty) log read" "0:" "$rc:$out"
else
  not_ok "the install's Deployment got a pod"
fi
"$TIDE" logs --kubeconfig /nonexistent > "$tmp/err" 2>&1
check_output "no cluster: one clear line" "1" "$(wc -l < "$tmp/err" | tr -d ' ')"
finish
