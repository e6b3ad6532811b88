#!/usr/bin/env bash
# A controller killed (SIGKILL) in the middle of an apply converges when it starts again,
# without deleting anything it should keep: a Kustomization of 150 ConfigMaps is Ready; a new
# revision drops 50 of them and adds 150 others; the controller (slowed down by a low request
# rate so that the apply takes a while) is killed once some of the new objects exist. Nothing
# of the 100 kept objects is deleted at any point, and after a restart the Kustomization is
# Ready at the new revision with the new objects applied, the dropped ones pruned and its
# inventory exactly the new set. It takes a minute or more (started early in a parallel run):
# e2e: slow
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-ks-killed
k() { "$KUBECTL" "$@"; }
jp() { k -n "$ns" get kustomization app -o jsonpath="$1" 2>/dev/null; }
ready_at() { [ "$(jp '{.status.conditions[?(@.type=="Ready")].status}')" = True ] &&
  [ "$(jp '{.status.lastAppliedRevision}')" = "main@sha1:$1" ]; }
count() { k -n "$ns" get configmaps --no-headers 2>/dev/null | grep -c "^$1" || true; }
export -f k jp ready_at count; export ns KUBECTL

check "install the CRDs" "$TIDE" install
check "no namespace left from an earlier run" wait_for 120 e2e_gone namespace "$ns"
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" kustomizations,gitrepositories # once the controller is gone

r=$tmp/repo
mkdir -p "$r/deploy"
gen() { # gen PREFIX FROM TO
  for ((i = $2; i < $3; i++)); do
    printf -- '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s-%03d\ndata:\n  k: v\n' "$1" "$i"
  done
}
gen old 0 50 > "$r/deploy/dropped.yaml"
gen keep 0 100 > "$r/deploy/kept.yaml"
e2e_git_init "$r" one
gitc() { e2e_git "$r" "$@"; }
c1=$(git -C "$r" rev-parse HEAD)

start_ctl() {
  e2e_controller "$@"
  check "the controller is ready ($*)" e2e_controller_ready
}
start_ctl
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
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: repo}
YAML
check "the first revision is applied" wait_for 120 ready_at "$c1"
check_output "... 150 objects in the inventory" 150 "$(jp '{.status.inventory.entries[*].id}' | wc -w)"

# the new revision, applied slowly: 150 new objects at 5 requests a second
rm "$r/deploy/dropped.yaml"
gen new 0 150 > "$r/deploy/added.yaml"
gitc add -A; gitc commit -q -m two
c2=$(git -C "$r" rev-parse HEAD)
e2e_controller_stop
start_ctl --kube-api-qps=5 --kube-api-burst=1
k -n "$ns" annotate --overwrite gitrepository repo reconcile.fluxcd.io/requestedAt=two >/dev/null
check "the new revision's apply has begun" wait_for 240 bash -c '[ "$(count new-)" -gt 0 ]'
e2e_controller_kill
mid=$(count new-)
if [ "$mid" -gt 0 ] && [ "$mid" -lt 150 ]; then ok "killed in the middle of the apply ($mid of 150 new objects)"
else not_ok "killed in the middle of the apply ($mid of 150 new objects)"; fi
check_output "the kept objects are all there after the kill" 100 "$(count keep-)"
check_output "the dropped ones are not pruned before the apply ends" 50 "$(count old-)"

start_ctl
check "after a restart the new revision is applied" wait_for 180 ready_at "$c2"
check_output "... all new objects exist" 150 "$(count new-)"
check_output "... every kept object is still there" 100 "$(count keep-)"
check_output "... the dropped ones are pruned" 0 "$(count old-)"
check_output "... the inventory is exactly the new set" \
  "$( (for i in $(seq -f %03g 0 149); do echo "${ns}_new-${i}__ConfigMap"; done; for i in $(seq -f %03g 0 99); do echo "${ns}_keep-${i}__ConfigMap"; done) | sort)" \
  "$(jp '{range .status.inventory.entries[*]}{.id}{"\n"}{end}' | sort)"
k -n "$ns" delete kustomization app --wait=false >/dev/null
check "deleting the Kustomization prunes all it applied" wait_for 120 bash -c '[ "$(count new-)$(count keep-)" = 00 ]'
e2e_controller_stop
e2e_no_sanitizer_report "the controller exits without a sanitizer report"
finish
