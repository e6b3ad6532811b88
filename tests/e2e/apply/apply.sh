#!/usr/bin/env bash
# The apply engine (src/apply) through the hidden `tide apply-engine` verb against a real
# control plane: first apply, a re-apply with zero write requests (the engine's counter and
# the API server's apiserver_request_total), update, a field removed from the source, prune by
# inventory (prune: disabled kept), a CRD and its custom resource in one set, a stage that
# fails validation applies nothing, force on an immutable field (a Job's template), the ssa
# annotations (IfNotPresent, Ignore) and reconcile: disabled, another owner's labels, and the
# health wait (a Deployment without kubelets times out as Flux words it; one with no replicas
# and a custom resource whose Ready condition the test sets become ready).
# It counts the API server's write requests, which any other script would add to:
# e2e: serial
source "$(dirname "$0")/../lib.sh"
ns=e2e-apply
crd_group=applytest.tide.dev
dir=$E2E_TMP
"$KUBECTL" delete namespace "$ns" --ignore-not-found --wait=true >/dev/null 2>&1
"$KUBECTL" delete crd "widgets.$crd_group" --ignore-not-found >/dev/null 2>&1
inv=$dir/inv.json
eng() { "$TIDE" apply-engine --owner app --owner-namespace flux-system --inventory "$inv" "$@"; }

# PATCH requests (server-side apply, dry-run or not, and JSON patches: every write the engine
# makes but DELETE) to the kinds this script uses, as the API server counts them. The
# controllers' own writes to these kinds are PUT, POST and DELETE (the Deployment controller's
# revision annotation, kube-root-ca.crt, namespace cleanup), so they do not blur the count.
server_writes() {
  "$KUBECTL" get --raw /metrics | awk '/^apiserver_request_total\{/ && /subresource=""/ &&
    /resource="(configmaps|secrets|services|deployments|namespaces|jobs|widgets|customresourcedefinitions)"/ &&
    /verb="(PATCH|APPLY)"/ { s += $NF } END { print s + 0 }'
}
# waits until nothing else patches those kinds for a second
server_quiet() {
  local a b end=$((SECONDS + 20))
  a=$(server_writes)
  while [ $SECONDS -lt $end ]; do sleep 1; b=$(server_writes); [ "$a" = "$b" ] && return 0; a=$b; done
}

set1() {
cat <<YAML
apiVersion: v1
kind: Namespace
metadata:
  name: $ns
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm1
  namespace: $ns
data:
  a: "${CM1_A:-1}"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cm2
  namespace: $ns
  labels:
${CM2_LABELS:-    x: y}
data:
  b: two
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: keep
  namespace: $ns
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
data:
  k: v
---
apiVersion: v1
kind: Secret
metadata:
  name: s
  namespace: $ns
stringData:
  password: hunter2
---
apiVersion: v1
kind: Service
metadata:
  name: svc
  namespace: $ns
spec:
  selector:
    app: x
  ports:
  - port: 80
    targetPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: $ns
spec:
  replicas: 1
  selector:
    matchLabels:
      app: x
  template:
    metadata:
      labels:
        app: x
    spec:
      containers:
      - name: c
        image: nginx:1.25
        ports:
        - containerPort: 80
        resources: {}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: idle
  namespace: $ns
spec:
  replicas: 0
  selector:
    matchLabels:
      app: idle
  template:
    metadata:
      labels:
        app: idle
    spec:
      containers:
      - name: c
        image: nginx:1.25
YAML
}

set1 > "$dir/s1.yaml"
out=$(eng -f "$dir/s1.yaml" 2>&1); rc=$?
check_output "first apply: every object created, in Flux's order" "Namespace/$ns created
ConfigMap/$ns/cm1 created
ConfigMap/$ns/cm2 created
ConfigMap/$ns/keep created
Secret/$ns/s created
Service/$ns/svc created
Deployment/$ns/app created
Deployment/$ns/idle created" "$out"
check_output "first apply exits 0" 0 "$rc"
check_output "owner labels stamped" "app/flux-system" \
  "$("$KUBECTL" get cm cm1 -n "$ns" -o jsonpath='{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}/{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/namespace}')"
check_output "field manager kustomize-controller (Apply)" "kustomize-controller/Apply" \
  "$("$KUBECTL" get cm cm1 -n "$ns" --show-managed-fields -o jsonpath='{.metadata.managedFields[0].manager}/{.metadata.managedFields[0].operation}')"
check_output "inventory ids as Flux writes them" "_${ns}__Namespace v1
${ns}_cm1__ConfigMap v1
${ns}_cm2__ConfigMap v1
${ns}_keep__ConfigMap v1
${ns}_s__Secret v1
${ns}_svc__Service v1
${ns}_app_apps_Deployment v1
${ns}_idle_apps_Deployment v1" "$(python3 -c 'import json,sys; [print(e["id"], e["v"]) for e in json.load(open(sys.argv[1]))["entries"]]' "$inv")"

# The no-change re-apply: zero write requests, dry-run or not.
server_quiet
before=$(server_writes)
out=$(eng -f "$dir/s1.yaml" --writes 2>&1); rc=$?
after=$(server_writes)
check_output "re-apply: all unchanged, zero writes counted by the engine" "Namespace/$ns unchanged
ConfigMap/$ns/cm1 unchanged
ConfigMap/$ns/cm2 unchanged
ConfigMap/$ns/keep unchanged
Secret/$ns/s unchanged
Service/$ns/svc unchanged
Deployment/$ns/app unchanged
Deployment/$ns/idle unchanged
writes: 0" "$out"
check_output "re-apply: zero writes counted by the API server" "$before" "$after"
out=$(eng -f "$dir/s1.yaml" --dry-run-diff --changed-only --writes 2>&1)
check_output "deciding by dry-run as Flux does: same result, one dry-run per object" "writes: 8" "$out"

# Update one value; remove a label from the source (the apply removes it in the cluster).
CM1_A=2 CM2_LABELS="    z: w" set1 > "$dir/s2.yaml"
out=$(eng -f "$dir/s2.yaml" --changed-only --writes 2>&1)
check_output "update: only the changed objects configured" "ConfigMap/$ns/cm1 configured
ConfigMap/$ns/cm2 configured
writes: 4" "$out"
check_output "update reached the cluster" "2" "$("$KUBECTL" get cm cm1 -n "$ns" -o jsonpath='{.data.a}')"
check_output "a label dropped from the source is removed" "/w" \
  "$("$KUBECTL" get cm cm2 -n "$ns" -o jsonpath='{.metadata.labels.x}/{.metadata.labels.z}')"
out=$(eng -f "$dir/s2.yaml" --changed-only --writes 2>&1)
check_output "then zero writes again" "writes: 0" "$out"

# diff: what an apply would do, with dry-runs only, changing nothing.
CM1_A=9 CM2_LABELS="    z: w" set1 > "$dir/s2d.yaml"
out=$(eng -f "$dir/s2d.yaml" --diff --writes 2>&1)
check_output "diff: one object would be configured, the rest unchanged" "Namespace/$ns unchanged
ConfigMap/$ns/cm1 configured
  ~ data
ConfigMap/$ns/cm2 unchanged
ConfigMap/$ns/keep unchanged
Secret/$ns/s unchanged
Service/$ns/svc unchanged
Deployment/$ns/app unchanged
Deployment/$ns/idle unchanged
writes: 1" "$out"
check_output "diff changed nothing" "2" "$("$KUBECTL" get cm cm1 -n "$ns" -o jsonpath='{.data.a}')"

# Changes made by someone else: drift in a field we own is corrected.
"$KUBECTL" patch cm cm1 -n "$ns" --type merge -p '{"data":{"a":"drifted"}}' >/dev/null
out=$(eng -f "$dir/s2.yaml" --changed-only 2>&1)
check_output "drift corrected" "ConfigMap/$ns/cm1 configured" "$out"
check_output "drift corrected in the cluster" "2" "$("$KUBECTL" get cm cm1 -n "$ns" -o jsonpath='{.data.a}')"

# Prune: cm2 and keep leave the set.
grep -v '^#' "$dir/s2.yaml" | python3 -c '
import sys
docs = sys.stdin.read().split("---\n")
print("---\n".join(d for d in docs if "name: cm2\n" not in d and "name: keep\n" not in d), end="")' > "$dir/s3.yaml"
out=$(eng -f "$dir/s3.yaml" --prune --changed-only 2>&1)
check_output "prune deletes what left the set; prune: disabled is skipped" "ConfigMap/$ns/keep skipped
ConfigMap/$ns/cm2 deleted" "$out"
check "cm2 is gone" wait_for 10 bash -c "! '$KUBECTL' get cm cm2 -n '$ns'"
check "keep is kept" "$KUBECTL" get cm keep -n "$ns"
check_output "inventory no longer lists them" "" "$(grep -E '_(cm2|keep)_' "$inv")"
out=$(eng -f "$dir/s3.yaml" --prune --changed-only --writes 2>&1)
check_output "nothing to prune the second time" "writes: 0" "$out"
# never prune what the old inventory does not list, nor another owner's object
"$KUBECTL" create cm stranger -n "$ns" >/dev/null
"$KUBECTL" label cm cm1 -n "$ns" kustomize.toolkit.fluxcd.io/name=other --overwrite >/dev/null
grep -v 'name: cm1$' "$dir/s3.yaml" > /dev/null
python3 -c '
import sys
docs = open(sys.argv[1]).read().split("---\n")
print("---\n".join(d for d in docs if "name: cm1\n" not in d), end="")' "$dir/s3.yaml" > "$dir/s4.yaml"
out=$(eng -f "$dir/s4.yaml" --prune --changed-only 2>&1)
check_output "an object relabelled by another owner is skipped, not deleted" "ConfigMap/$ns/cm1 skipped" "$out"
check "cm1 is still there" "$KUBECTL" get cm cm1 -n "$ns"
check "stranger is untouched" "$KUBECTL" get cm stranger -n "$ns"
# applying over another owner's labels takes the object over, with a warning
out=$(eng -f "$dir/s3.yaml" --changed-only 2>&1)
check_contains "another owner's object is reported when taken over" "warning: ConfigMap/$ns/cm1 was owned by flux-system/other" "$out"
check_contains "and configured" "ConfigMap/$ns/cm1 configured" "$out"

# Staged: a CRD and a custom resource of its kind in one set.
cat > "$dir/crd.yaml" <<YAML
apiVersion: $crd_group/v1
kind: Widget
metadata:
  name: w1
  namespace: $ns
spec:
  size: 3
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.$crd_group
spec:
  group: $crd_group
  names:
    kind: Widget
    listKind: WidgetList
    plural: widgets
    singular: widget
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size:
                type: integer
          status:
            type: object
            x-kubernetes-preserve-unknown-fields: true
YAML
out=$("$TIDE" apply-engine --owner crd --owner-namespace flux-system -f "$dir/crd.yaml" 2>&1)
check_output "CRD first, then its custom resource, in one set" "CustomResourceDefinition/widgets.$crd_group created
Widget/$ns/w1 created" "$out"
check_output "the custom resource is there" "3" "$("$KUBECTL" get widgets.$crd_group w1 -n "$ns" -o jsonpath='{.spec.size}')"
out=$("$TIDE" apply-engine --owner crd --owner-namespace flux-system -f "$dir/crd.yaml" --writes --changed-only 2>&1)
check_output "CRD and custom resource re-applied with zero writes" "writes: 0" "$out"

# Health: a custom resource is ready when its Ready condition is True.
out=$("$TIDE" apply-engine --owner crd --owner-namespace flux-system -f "$dir/crd.yaml" --wait --timeout 2s 2>&1)
check_output "wait: a custom resource without status is current (kstatus)" "CustomResourceDefinition/widgets.$crd_group unchanged
Widget/$ns/w1 unchanged
all resources are ready" "$out"
"$KUBECTL" patch widgets.$crd_group w1 -n "$ns" --subresource=status --type merge \
  -p '{"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","reason":"Progressing","message":"not yet","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}' >/dev/null
out=$("$TIDE" apply-engine --owner crd --owner-namespace flux-system -f "$dir/crd.yaml" --wait --timeout 2s 2>&1)
check_contains "wait: Ready=False times out as Flux words it" "timeout waiting for: [Widget/$ns/w1 status: 'InProgress']" "$out"
"$KUBECTL" patch widgets.$crd_group w1 -n "$ns" --subresource=status --type merge \
  -p '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"ok","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}' >/dev/null
out=$("$TIDE" apply-engine --owner crd --owner-namespace flux-system -f "$dir/crd.yaml" --wait --timeout 5s 2>&1)
check_contains "wait: Ready=True is ready" "all resources are ready" "$out"

# Health of Deployments: no kubelets, so one replica never becomes available; zero replicas do.
out=$(eng -f "$dir/s3.yaml" --wait --timeout 3s 2>&1); rc=$?
check_contains "wait: a Deployment whose pods never run times out" "timeout waiting for: [Deployment/$ns/app status: 'InProgress']" "$out"
check_output "wait failure exits 1" 1 "$rc"
python3 -c '
import sys
docs = open(sys.argv[1]).read().split("---\n")
print("---\n".join(d for d in docs if "name: app\n" not in d), end="")' "$dir/s3.yaml" > "$dir/s5.yaml"
out=$(eng -f "$dir/s5.yaml" --wait --timeout 30s --changed-only 2>&1)
check_contains "wait: a Deployment with zero replicas becomes ready" "all resources are ready" "$out"
# a Deployment made ready by marking its pod Ready, as a kubelet would: the controllers then
# count it in the ReplicaSet's and the Deployment's status
check "the Deployment's pod exists" wait_for 20 bash -c "'$KUBECTL' get pods -n '$ns' -l app=x -o name | grep -q pod/"
pod=$("$KUBECTL" get pods -n "$ns" -l app=x -o name | head -1)
"$KUBECTL" patch -n "$ns" "$pod" --subresource=status --type merge -p '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}' >/dev/null
out=$(eng -f "$dir/s3.yaml" --wait --timeout 30s --changed-only 2>&1)
check_contains "wait: the Deployment becomes ready once its pod is" "all resources are ready" "$out"

# Validation: a stage with an invalid object applies nothing of that stage.
cat > "$dir/bad.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: fresh
  namespace: $ns
data:
  a: b
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: bad
  namespace: $ns
spec:
  selector:
    matchLabels:
      app: one
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
      - name: c
        image: x
YAML
out=$("$TIDE" apply-engine --owner bad --owner-namespace flux-system -f "$dir/bad.yaml" 2>&1); rc=$?
check_contains "dry-run failure names the object" "Deployment/$ns/bad dry-run failed (Invalid): " "$out"
check_output "dry-run failure exits 1" 1 "$rc"
check_fails "nothing of the failed stage was applied" "$KUBECTL" get cm fresh -n "$ns"

# An identity without RBAC (user tide-tester): the dry-run's Forbidden names the object.
cat > "$dir/user.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: nope
  namespace: $ns
YAML
out=$(KUBECONFIG=$KUBECONFIG_USER "$TIDE" apply-engine --owner u --owner-namespace flux-system -f "$dir/user.yaml" 2>&1); rc=$?
check_contains "forbidden: the dry-run error names the object and the reason" "ConfigMap/$ns/nope dry-run failed (Forbidden): " "$out"
check_output "forbidden exits 1" 1 "$rc"

# Force: a Job's template is immutable.
job() {
cat <<YAML
apiVersion: batch/v1
kind: Job
metadata:
  name: j
  namespace: $ns
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: $1
YAML
}
job busybox:1 > "$dir/job1.yaml"; job busybox:2 > "$dir/job2.yaml"
check "job created" "$TIDE" apply-engine --owner job --owner-namespace flux-system -f "$dir/job1.yaml"
uid1=$("$KUBECTL" get job j -n "$ns" -o jsonpath='{.metadata.uid}')
out=$("$TIDE" apply-engine --owner job --owner-namespace flux-system -f "$dir/job2.yaml" 2>&1); rc=$?
check_contains "immutable change without force fails the dry-run" "Job/$ns/j dry-run failed (Invalid): " "$out"
check_contains "the server says why" "spec.template: Invalid value" "$out"
out=$("$TIDE" apply-engine --owner job --owner-namespace flux-system -f "$dir/job2.yaml" --force --timeout 30s 2>&1); rc=$?
check_output "force recreates the object" "Job/$ns/j created" "$out"
uid2=$("$KUBECTL" get job j -n "$ns" -o jsonpath='{.metadata.uid}')
check "a new object (new uid)" test -n "$uid2" -a "$uid1" != "$uid2"
check_output "with the new template" "busybox:2" "$("$KUBECTL" get job j -n "$ns" -o jsonpath='{.spec.template.spec.containers[0].image}')"
# kustomize.toolkit.fluxcd.io/force: enabled on the object forces it alone
job busybox:3 | sed 's/^  name: j$/  name: j\n  annotations:\n    kustomize.toolkit.fluxcd.io\/force: enabled/' > "$dir/job3.yaml"
out=$("$TIDE" apply-engine --owner job --owner-namespace flux-system -f "$dir/job3.yaml" --timeout 30s 2>&1)
check_output "force: enabled annotation recreates that object" "Job/$ns/j created" "$out"

# ssa annotations.
ssa() {
cat <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: once
  namespace: $ns
  annotations:
    kustomize.toolkit.fluxcd.io/ssa: IfNotPresent
data:
  v: "$1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ignored
  namespace: $ns
  annotations:
    kustomize.toolkit.fluxcd.io/ssa: Ignore
data:
  v: "$1"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: off
  namespace: $ns
  annotations:
    kustomize.toolkit.fluxcd.io/reconcile: disabled
data:
  v: "$1"
YAML
}
ssa 1 > "$dir/ssa1.yaml"; ssa 2 > "$dir/ssa2.yaml"
out=$("$TIDE" apply-engine --owner ssa --owner-namespace flux-system -f "$dir/ssa1.yaml" 2>&1)
check_output "IfNotPresent creates; Ignore and reconcile: disabled skip" "ConfigMap/$ns/ignored skipped
ConfigMap/$ns/off skipped
ConfigMap/$ns/once created" "$out"
out=$("$TIDE" apply-engine --owner ssa --owner-namespace flux-system -f "$dir/ssa2.yaml" 2>&1)
check_output "IfNotPresent skips an existing object" "ConfigMap/$ns/ignored skipped
ConfigMap/$ns/off skipped
ConfigMap/$ns/once skipped" "$out"
check_output "and leaves it as it was" "1" "$("$KUBECTL" get cm once -n "$ns" -o jsonpath='{.data.v}')"
check_fails "Ignore never created its object" "$KUBECTL" get cm ignored -n "$ns"
# ssa: Ignore on the live object
"$KUBECTL" annotate cm cm1 -n "$ns" kustomize.toolkit.fluxcd.io/ssa=Ignore >/dev/null
CM1_A=3 set1 > "$dir/s6.yaml"
out=$(eng -f "$dir/s6.yaml" 2>&1)
check_contains "ssa: Ignore on the live object skips it" "ConfigMap/$ns/cm1 skipped" "$out"
check_output "and leaves it as it was" "2" "$("$KUBECTL" get cm cm1 -n "$ns" -o jsonpath='{.data.a}')"

# kubectl's field managers are cleaned up, so a field removed from the source goes away.
"$KUBECTL" annotate cm cm1 -n "$ns" kustomize.toolkit.fluxcd.io/ssa- >/dev/null
"$KUBECTL" patch cm cm1 -n "$ns" --type merge -p '{"data":{"extra":"by-kubectl"}}' --field-manager kubectl >/dev/null
out=$(eng -f "$dir/s6.yaml" --changed-only 2>&1)
check_contains "kubectl's changes are undone" "ConfigMap/$ns/cm1 configured" "$out"
check_output "kubectl's field is removed" "" "$("$KUBECTL" get cm cm1 -n "$ns" -o jsonpath='{.data.extra}')"

"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
"$KUBECTL" delete crd "widgets.$crd_group" --wait=false >/dev/null 2>&1
finish
