#!/usr/bin/env bash
# The apply engine in a namespace that holds many more objects of a kind than the set applies
# (one namespace shared by many Kustomizations): the live objects are read by owner label (and
# GETs where needed), not by listing the whole namespace, and the decisions are the same as in a small
# namespace: created, unchanged on a re-apply with zero writes and a handful of reads, an
# unlabelled ssa: IfNotPresent object found and skipped, another owner's object taken over
# with a warning. Objects not carrying the owner's labels are not read at all when the dry-run
# shows they do not exist yet.
# It counts the API server's read requests for ConfigMaps, which any other script would add to:
# e2e: serial
source "$(dirname "$0")/../lib.sh"
ns=e2e-apply-big
dir=$E2E_TMP
"$KUBECTL" delete namespace "$ns" --ignore-not-found --wait=true >/dev/null 2>&1
e2e_namespace "$ns"
eng() { "$TIDE" apply-engine --owner app --owner-namespace flux-system "$@"; }
# GET and LIST requests for ConfigMaps, as the API server counts them
server_reads() {
  "$KUBECTL" get --raw /metrics | awk '/^apiserver_request_total\{/ && /resource="configmaps"/ &&
    /verb="(GET|LIST)"/ { s += $NF } END { print s + 0 }'
}

python3 -c "
for i in range(300):
    print(f'---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler-{i:03d}\n  namespace: $ns\ndata:\n  k: v')
" | "$KUBECTL" apply -f - >/dev/null
"$KUBECTL" -n "$ns" create configmap keep --from-literal=k=original >/dev/null
"$KUBECTL" -n "$ns" annotate configmap keep kustomize.toolkit.fluxcd.io/ssa=IfNotPresent >/dev/null
"$KUBECTL" -n "$ns" create configmap other --from-literal=k=theirs >/dev/null
"$KUBECTL" -n "$ns" label configmap other kustomize.toolkit.fluxcd.io/name=someone \
  kustomize.toolkit.fluxcd.io/namespace=flux-system >/dev/null
cat > "$dir/set.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: app-a, namespace: $ns}
data: {k: a}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-b, namespace: $ns}
data: {k: b}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: keep, namespace: $ns, annotations: {kustomize.toolkit.fluxcd.io/ssa: IfNotPresent}}
data: {k: ours}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: other, namespace: $ns}
data: {k: ours}
YAML

r0=$(server_reads)
out=$(eng -f "$dir/set.yaml" 2>&1)
r1=$(server_reads)
# the LIST by owner label, a GET for the IfNotPresent one, and one for the other owner's once
# its dry-run found it: none for the two new ones
if [ $((r1 - r0)) -le 5 ]; then ok "first apply reads with $((r1 - r0)) requests: new objects cost no GET"
else not_ok "first apply reads with $((r1 - r0)) requests (want at most 5)"; fi
check_output "first apply among 302 other ConfigMaps" "warning: ConfigMap/$ns/other was owned by flux-system/someone, now by flux-system/app
ConfigMap/$ns/app-a created
ConfigMap/$ns/app-b created
ConfigMap/$ns/keep skipped
ConfigMap/$ns/other configured" "$out"
check_output "the IfNotPresent object is left as it was" original "$("$KUBECTL" -n "$ns" get configmap keep -o jsonpath='{.data.k}')"
check_output "the other owner's object is taken over" app \
  "$("$KUBECTL" -n "$ns" get configmap other -o jsonpath='{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}')"
r0=$(server_reads)
out=$(eng -f "$dir/set.yaml" --writes 2>&1)
r1=$(server_reads)
check_output "re-apply: all unchanged (keep skipped), zero writes" "ConfigMap/$ns/app-a unchanged
ConfigMap/$ns/app-b unchanged
ConfigMap/$ns/keep skipped
ConfigMap/$ns/other unchanged
writes: 0" "$out"
# a LIST by owner label and a GET for the unlabelled IfNotPresent one (the controller
# manager may add a read of its own)
if [ $((r1 - r0)) -le 4 ]; then ok "re-apply reads with $((r1 - r0)) requests, not a LIST of the namespace's 304 ConfigMaps"
else not_ok "re-apply reads with $((r1 - r0)) requests (want at most 4)"; fi
"$KUBECTL" -n "$ns" label configmap app-a kustomize.toolkit.fluxcd.io/name- >/dev/null
out=$(eng -f "$dir/set.yaml" 2>&1)
check_contains "an object whose owner label was removed is read by GET and relabelled" "ConfigMap/$ns/app-a configured" "$out"
check_output "... with its owner label back" app \
  "$("$KUBECTL" -n "$ns" get configmap app-a -o jsonpath='{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}')"
finish
