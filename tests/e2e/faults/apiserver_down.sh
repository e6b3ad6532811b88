#!/usr/bin/env bash
# The API server stopped in the middle of a staged apply of about 1,000 objects (hardening,
# issue 16): a Kustomization of 200 ConfigMaps (100 "old-", 100 "keep-") is Ready; its next
# revision drops the old ones and adds 900 "new-" ConfigMaps and a ServiceAccount. The
# controller applies it slowly (a low request rate); once part of the new objects exist the
# kube-apiserver is killed and started again 20 s later (test/cluster/restart-apiserver,
# etcd kept). What must hold: the apply is retried and converges (Ready at the new revision,
# all 1,000 objects there); the inventory in the status is only ever the old set or the whole
# new one, never a partial set (a poller reads it all along); nothing is pruned that the new
# revision did not apply (the kept objects keep their uids, the old ones stay until the end).
# It restarts the API server, which every other file would see:
# e2e: serial
source "$(dirname "$0")/../lib.sh"
dir=${1:?usage: $0 CLUSTER_DIR}
tmp=$E2E_TMP
ns=e2e-fault-apidown
k() { "$KUBECTL" "$@"; }
jp() { k -n "$ns" get kustomization app -o jsonpath="$1" 2>/dev/null; }
ready_at() { [ "$(jp '{.status.conditions[?(@.type=="Ready")].status}')" = True ] &&
  [ "$(jp '{.status.lastAppliedRevision}')" = "main@sha1:$1" ]; }
count() { k -n "$ns" get configmaps --no-headers 2>/dev/null | grep -c "^$1" || true; }
uids() { k -n "$ns" get configmaps -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.uid}{"\n"}{end}' | grep "^$1" | sort; }
export -f k jp ready_at count; export ns KUBECTL

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" kustomizations,gitrepositories

r=$tmp/repo
mkdir -p "$r/deploy"
gen() { # gen PREFIX FROM TO
  for ((i = $2; i < $3; i++)); do
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s-%03d\ndata:\n  k: v\n' "$1" "$i"
  done
}
gen old 0 100 > "$r/deploy/dropped.yaml"
gen keep 0 100 > "$r/deploy/kept.yaml"
e2e_git_init "$r" one
c1=$(git -C "$r" rev-parse HEAD)

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
  retryInterval: 5s
  timeout: 3m
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: repo}
YAML
check "the first revision is applied" wait_for 120 ready_at "$c1"
check_output "... 200 objects in the inventory" 200 "$(jp '{.status.inventory.entries[*].id}' | wc -w)"
keep_uids=$(uids keep-)

# the next revision: 900 new objects and a ServiceAccount, 100 dropped, applied slowly
rm "$r/deploy/dropped.yaml"
gen new 0 900 > "$r/deploy/added.yaml"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-sa\n' > "$r/deploy/sa.yaml"
e2e_git "$r" add -A; e2e_git "$r" commit -q -m two
c2=$(git -C "$r" rev-parse HEAD)
e2e_controller_stop
e2e_controller --kube-api-qps=40 --kube-api-burst=1
check "the controller is ready again (slow)" e2e_controller_ready

# The poller: every read of the status's inventory (count of entries, and how many "new-"),
# and of the kept and old objects, one line each, while the API server answers.
( trap - EXIT
  while :; do
    inv=$(jp '{range .status.inventory.entries[*]}{.id}{"\n"}{end}') && [ -n "$inv" ] &&
      echo "inv $(grep -c . <<< "$inv") $(grep -c '_new-' <<< "$inv")"
    kc=$(k -n "$ns" get configmaps --no-headers 2>/dev/null) && echo "cms $(grep -c '^keep-' <<< "$kc") $(grep -c '^old-' <<< "$kc") $(grep -c '^new-' <<< "$kc")"
    sleep 0.3
  done > "$tmp/poll" ) &
poller=$!
e2e_on_exit e2e_kill "$poller"

k -n "$ns" annotate --overwrite gitrepository repo reconcile.fluxcd.io/requestedAt=two >/dev/null
check "the new revision's apply has begun" wait_for 240 bash -c '[ "$(count new-)" -gt 30 ]'
before=$(count new-)
check "the API server is stopped for 20 s and started again" "$E2E_ROOT/test/cluster/restart-apiserver" "$dir" 20
after=$(count new-)
if [ "$before" -lt 900 ] && [ "$after" -lt 900 ]; then ok "the API server went down in the middle of the apply ($before, then $after of 900 new objects)"
else not_ok "the API server went down in the middle of the apply ($before, then $after of 900 new objects)"; fi
check_output "right after the restart the inventory is still the old set" 200 "$(jp '{.status.inventory.entries[*].id}' | wc -w)"
check_output "... and the old objects are not pruned" 100 "$(count old-)"

check "the apply is retried and converges" wait_for 300 ready_at "$c2"
e2e_kill "$poller"
check_output "... all 900 new objects exist" 900 "$(count new-)"
check "... the ServiceAccount exists" k -n "$ns" get serviceaccount app-sa
check_output "... the old objects are pruned" 0 "$(count old-)"
check_output "... the kept objects were never deleted (same uids)" "$keep_uids" "$(uids keep-)"
check_output "... the inventory is exactly the new set" \
  "$( (for i in $(seq -f %03g 0 899); do echo "${ns}_new-${i}__ConfigMap"; done
       for i in $(seq -f %03g 0 99); do echo "${ns}_keep-${i}__ConfigMap"; done
       echo "${ns}_app-sa__ServiceAccount") | sort)" \
  "$(jp '{range .status.inventory.entries[*]}{.id}{"\n"}{end}' | sort)"
bad_inv=$(awk '$1 == "inv" && !($2 == 200 && $3 == 0) && !($2 == 1001 && $3 == 900)' "$tmp/poll" | sort | uniq -c)
check_output "the inventory was never a partial set ($(grep -c '^inv' "$tmp/poll") reads)" "" "$bad_inv"
bad_cms=$(awk '$1 == "cms" && $2 != 100' "$tmp/poll" | sort | uniq -c)
check_output "a kept object was never missing ($(grep -c '^cms' "$tmp/poll") reads)" "" "$bad_cms"
early=$(awk '$1 == "cms" && $3 < 100 && $4 < 900' "$tmp/poll" | sort | uniq -c)
check_output "the old objects were pruned only once every new object was applied" "" "$early"
check "the controller logged the failed apply" grep -qiE 'connect|refused|unavailable|timed out|EOF' "$E2E_CTL_LOG"
k -n "$ns" delete kustomization app --wait=false >/dev/null
check "deleting the Kustomization prunes what it applied" wait_for 180 bash -c '[ "$(count new-)$(count keep-)" = 00 ]'
e2e_controller_stop
e2e_no_sanitizer_report "the controller exits without a sanitizer report"
finish
