#!/usr/bin/env bash
# Two `tide controller` processes with leader election, and the Lease taken from under the
# leader (hardening, issue 16): never two writers at once. A Kustomization reconciled every
# 2 s shows who writes: each process's reconcile count (controller_runtime_reconcile_total
# of all its controllers, read from its /metrics every 0.2 s by a poller; the last
# value read is kept in $tmp/NAME.n) says how many reconciles, each a status write, it did.
#  1. A leads, B stands by: only A reconciles.
#  2. The Lease is stolen (a PUT by another holder, with curl and the admin certificate,
#     no kubectl): A stops writing and exits; B does not take over while the thief's lease
#     is valid, then does.
#  3. A starts again (standby); B, the leader, is paused (SIGSTOP) past the lease duration:
#     A takes over; B is resumed (SIGCONT) and steps down (exits) without another write
#     (a reconcile in flight when B was paused has its writes refused: kube_client's write
#     gate asks leader election before each request).
# Lease 6 s, renew deadline 4 s, retry 0.5 s.
source "$(dirname "$0")/../lib.sh"
dir=${1:?usage: $0 CLUSTER_DIR}
tmp=$E2E_TMP
ns=e2e-fault-leader-$$
lease=tide-controller-leader-election
k() { "$KUBECTL" "$@"; }
export -f k; export ns KUBECTL
. "$dir/env"
api() { curl -s --cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" "$@"; }
holder() { k -n "$ns" get lease "$lease" -o jsonpath='{.spec.holderIdentity}' 2>/dev/null; }
# writes LOG: the last reconcile count read from the process whose log is LOG (NAME.log)
writes() { cat "${1%.log}.n" 2>/dev/null || echo 0; }
# reconciles PORT: the reconciles that did not fail, read now from the metrics at PORT (a
# reconcile whose writes were refused, because the replica lost the Lease while it ran,
# counts as failed)
reconciles() {
  curl -sf --max-time 1 "http://127.0.0.1:$1/metrics" |
    awk -F' ' '/^controller_runtime_reconcile_total\{/ && !/result="error"/ { s += $2 } END { if (NR) print s + 0 }'
}
export -f holder writes reconciles; export lease

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" kustomizations,gitrepositories

r=$tmp/repo
mkdir -p "$r/deploy"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: v\n' > "$r/deploy/cm.yaml"
e2e_git_init "$r" one

# start NAME: a controller of this namespace, log in $tmp/NAME.log, pid in pid_NAME
start() {
  local p; p=$(e2e_port 3 | tr '\n' ' ')
  read -r ps pm ph <<< "$p"
  "$TIDE" controller --storage-path "$tmp/storage-$1" --storage-addr "127.0.0.1:$ps" \
    --metrics-addr "127.0.0.1:$pm" --health-addr "127.0.0.1:$ph" \
    --watch-all-namespaces=false --namespace "$ns" --enable-leader-election \
    --leader-election-lease-duration=6s --leader-election-renew-deadline=4s \
    --leader-election-retry-period=500ms 2>> "$tmp/$1.log" &
  printf -v "pid_$1" %s $!
  printf -v "metrics_$1" %s "$pm"
  e2e_on_exit e2e_kill $! KILL
  echo 0 > "$tmp/$1.n"
  ( trap - EXIT; pid=$!; name=$1
    while :; do
      n=$(reconciles "$pm")
      [ -n "$n" ] && echo "$n" > "$tmp/$name.n.tmp" && mv "$tmp/$name.n.tmp" "$tmp/$name.n"
      sleep 0.2
    done ) &
  e2e_on_exit e2e_kill $! KILL
}
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

start A
check "A takes the Lease" wait_for 30 bash -c '[ -n "$(holder)" ]'
idA=$(holder)
start B
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo}
spec: {url: "file://$r", interval: 1h, ref: {branch: main}}
YAML
check "the GitRepository is Ready" wait_for 60 bash -c '[ "$(k -n "$ns" get gitrepository repo -o jsonpath="{.status.conditions[?(@.type==\"Ready\")].status}")" = True ]'
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app}
spec:
  interval: 2s
  retryInterval: 2s
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: repo}
YAML
check "the leader reconciles" wait_for 60 bash -c "[ \$(writes $tmp/A.log) -ge 2 ]"
sleep 4
check_output "the standby does not write" 0 "$(writes "$tmp/B.log")"
check_output "the Lease is still A's" "$idA" "$(holder)"

# ---- the Lease stolen ---------------------------------------------------------------------
url="$SERVER/apis/coordination.k8s.io/v1/namespaces/$ns/leases/$lease"
# steal: GET the Lease and PUT it back with another holder; a 409 means A renewed in
# between (its resourceVersion moved on), so read it again and retry
steal() {
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)
  api "$url" | jq --arg now "$now" '.spec.holderIdentity = "thief" | .spec.leaseDurationSeconds = 12 |
    .spec.renewTime = $now | .spec.acquireTime = $now | .spec.leaseTransitions += 1' > "$tmp/stolen.json"
  api -o "$tmp/put.out" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' --data-binary @"$tmp/stolen.json" "$url"
}
for _ in 1 2 3 4 5 6 7 8 9 10; do code=$(steal); [ "$code" = 409 ] || break; done
check_output "the Lease is stolen (PUT by another holder)" 200 "$code"
stolen_at=$SECONDS
check "A sees it lost the Lease and exits" wait_for 10 bash -c "! kill -0 $pid_A 2>/dev/null || grep -q 'leader election lost' $tmp/A.log"
wait_for 10 bash -c "! kill -0 $pid_A"
alive "$pid_A" && kill -KILL "$pid_A"   # never block the suite on a replica that did not step down
wait "$pid_A" 2>/dev/null; rcA=$?
[ "$rcA" -ne 0 ] && ok "A exits with an error (rc $rcA)" || not_ok "A exits with an error (rc $rcA)"
a_after=$(writes "$tmp/A.log")
sleep 3
check_output "B does not take the thief's valid Lease" "thief" "$(holder)"
check_output "B does not write meanwhile" 0 "$(writes "$tmp/B.log")"
check "B takes over once the thief's lease has expired" wait_for 40 bash -c "[ \"\$(holder)\" != thief ] && [ -n \"\$(holder)\" ]"
took=$((SECONDS - stolen_at))
[ "$took" -ge 11 ] && ok "... not before the thief's 12 s ($took s)" || not_ok "... not before the thief's 12 s ($took s)"
idB=$(holder)
check "... and reconciles" wait_for 30 bash -c "[ \$(writes $tmp/B.log) -ge 1 ]"
check_output "A wrote nothing after it lost the Lease" "$a_after" "$(writes "$tmp/A.log")"

# ---- the leader paused past its lease -----------------------------------------------------
: > "$tmp/A.log"
start A
check "A is a standby again" wait_for 30 grep -q 'attempting to acquire leader lease' "$tmp/A.log"
check_output "... and does not write" 0 "$(writes "$tmp/A.log")"
b_stopped=$(reconciles "$metrics_B")
kill -STOP "$pid_B"
check "A takes over from the paused B" wait_for 30 bash -c "[ -n \"\$(holder)\" ] && [ \"\$(holder)\" != '$idB' ]"
# (its first Kustomization reconcile waits on the artifact URL of the paused B, so the
# GitRepository's reconcile, which stores the artifact again, is A's first write)
if wait_for 30 bash -c "[ \$(writes $tmp/A.log) -ge 1 ]"; then ok "... and reconciles"
else not_ok "... and reconciles"; echo "# A's reconciles: $(writes "$tmp/A.log")"; grep -v '"level":"info"' "$tmp/A.log" | tail -n 5 | cut -c1-300 | sed 's/^/#   /'; fi
kill -CONT "$pid_B"
check "B, resumed, steps down and exits" wait_for 15 bash -c "! kill -0 $pid_B 2>/dev/null"
alive "$pid_B" && kill -KILL "$pid_B"
wait "$pid_B" 2>/dev/null
check_output "B wrote nothing after it was resumed" "$b_stopped" "$(writes "$tmp/B.log")"
a_now=$(writes "$tmp/A.log")
check "A goes on reconciling" wait_for 90 bash -c "[ \$(writes $tmp/A.log) -ge $((a_now + 2)) ]"
check_output "the Lease stays A's" "$(holder)" "$(k -n "$ns" get lease "$lease" -o jsonpath='{.spec.holderIdentity}')"
check_contains "B logged why it stopped" "leader election lost" "$(cat "$tmp/B.log")"
kill -TERM "$pid_A"; wait_for 20 bash -c "! kill -0 $pid_A 2>/dev/null"
alive "$pid_A" && kill -KILL "$pid_A"
wait "$pid_A" 2>/dev/null
e2e_no_sanitizer_report "A: no sanitizer report" "$tmp/A.log"
e2e_no_sanitizer_report "B: no sanitizer report" "$tmp/B.log"
finish
