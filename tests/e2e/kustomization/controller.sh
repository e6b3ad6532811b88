#!/usr/bin/env bash
# The Kustomization controller's behaviour through `tide controller` against the real API
# server, with a GitRepository over file:// as the source (as tests/e2e/gitops/pipeline.sh):
# dependsOn ordering, serviceAccountName impersonation (denied by RBAC, then allowed),
# --default-service-account, a CRD and its custom resource in one path, health checks on a
# Deployment, builds and objects that fail (nothing applied), objects owned by another
# Kustomization, a deleted source, strict substitution and kubeConfig.secretRef.
# The controller watches two namespaces (every namespace):
# e2e: serial
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-ks
crd_group=ks.e2e.tide.dev
E2E_WATCH=all
e2e_on_exit "$KUBECTL" delete crd "widgets.$crd_group" --ignore-not-found --wait=false
k() { "$KUBECTL" "$@"; }
jp() { k -n "${JNS:-$ns}" get "$1" "$2" -o jsonpath="$3" 2>/dev/null; }
cond() { jp kustomization "$1" "{.status.conditions[?(@.type==\"${2:-Ready}\")].$3}"; }
ready() { [ "$(cond "$1" Ready status)" = True ]; }
not_ready_reason() { [ "$(cond "$1" Ready status)" = False ] && [ "$(cond "$1" Ready reason)" = "$2" ]; }
not_ready_msg() { not_ready_reason "$1" "$2" && [[ "$(cond "$1" Ready message)" == *"$3"* ]]; }
exists() { k -n "${JNS:-$ns}" get "$1" "$2" >/dev/null 2>&1; }
gone() { ! exists "$1" "$2"; }
export -f k jp cond ready not_ready_reason not_ready_msg exists gone; export ns KUBECTL
gitc() { e2e_git "$tmp/repo" "$@"; }
cm() { # cm FILE NAME [KEY=VALUE]
  cat > "$1" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: $2
data:
  ${3:-k}: "${4:-v}"
YAML
}
ks() { # ks NAME PATH [extra spec lines...]
  local name=$1 path=$2; shift 2
  { cat <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: $name
spec:
  interval: 1m
  retryInterval: ${RETRY:-8s}
  path: ./$path
  prune: true
  targetNamespace: ${KSNS:-$ns}
  sourceRef: {kind: GitRepository, name: ${KSSRC:-repo}}
YAML
    for l in "$@"; do echo "  $l"; done; } | k -n "${KSNS:-$ns}" apply -f - >/dev/null
}
gitrepo() { # gitrepo NAMESPACE NAME: a GitRepository of the test repository
  k -n "$1" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: $2
spec:
  url: file://$r
  ref: {branch: main}
  interval: 1m
YAML
}
start_ctl() {
  e2e_controller_ports
  e2e_controller --storage-adv-addr "127.0.0.1:$E2E_STORAGE_PORT" --requeue-dependency 2s "$@"
  check "the controller is ready ($*)" e2e_controller_ready
}

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- the repository ------------------------------------------------------------------------
r=$tmp/repo
mkdir -p "$r"/{a,b,sa,crd,deploy,badparse,badreject,own1,own2,gone,strict,remote}
cm "$r/a/cm.yaml" a-cm
cm "$r/b/cm.yaml" b-cm
cm "$r/sa/cm.yaml" sa-cm
cm "$r/own1/cm.yaml" shared from own1
cm "$r/own2/cm.yaml" shared from own2
cm "$r/gone/cm.yaml" gone-cm
cm "$r/remote/cm.yaml" remote-cm
cat > "$r/strict/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: strict-cm
data:
  set: ${defined}
  dflt: ${undefined_with_default:=d}
  missing: x${undefined}
YAML
cat > "$r/crd/crd.yaml" <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.$crd_group
spec:
  group: $crd_group
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
YAML
cat > "$r/crd/widget.yaml" <<YAML
apiVersion: $crd_group/v1
kind: Widget
metadata:
  name: w1
spec:
  size: 3
YAML
cat > "$r/deploy/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: registry.invalid/web:1
YAML
cat > "$r/badparse/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: badparse-cm
data: [unclosed
YAML
cm "$r/badreject/cm.yaml" badreject-good
cat > "$r/badreject/svc.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: badreject-svc
spec:
  ports:
  - port: 99999
YAML
e2e_git_init "$r" one

start_ctl --feature-gates=StrictPostBuildSubstitutions=false
gitrepo "$ns" repo
gready() { [ "$(jp gitrepository "$1" '{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
export -f gready
check "the GitRepository becomes Ready" wait_for 60 gready repo

# ---- (a) dependsOn: b waits for a -----------------------------------------------------------
ks b b "dependsOn: [{name: a}]"
check "b waits: DependencyNotReady while a does not exist" wait_for 60 not_ready_reason b DependencyNotReady
check "b's message names the dependency" wait_for 60 not_ready_msg b DependencyNotReady "dependency '$ns/a'"
check "nothing of b is applied" gone configmap b-cm
ks a a "healthChecks: [{apiVersion: v1, kind: ConfigMap, name: a-cm, namespace: $ns}]"
check "a becomes Ready" wait_for 60 ready a
check "then b becomes Ready" wait_for 60 ready b
check "b's objects are applied" exists configmap b-cm
a_t=$(cond a Ready lastTransitionTime); b_t=$(cond b Ready lastTransitionTime)
check "b became Ready after a ($a_t <= $b_t)" test "$(date -d "$a_t" +%s)" -le "$(date -d "$b_t" +%s)"

# ---- (b) serviceAccountName impersonation ------------------------------------------------------
k -n "$ns" create serviceaccount deployer >/dev/null
ks sa sa "serviceAccountName: deployer"
check "impersonation denied by RBAC: Ready=False" wait_for 60 not_ready_reason sa ReconciliationFailed
check "the message is the API server's forbidden naming the service account" \
  wait_for 60 not_ready_msg sa ReconciliationFailed 'system:serviceaccount:'"$ns"':deployer" cannot' 
check "nothing is applied as the service account" gone configmap sa-cm
k -n "$ns" create role deployer --verb=get,list,watch,create,update,patch,delete --resource=configmaps >/dev/null
k -n "$ns" create rolebinding deployer --role=deployer --serviceaccount="$ns:deployer" >/dev/null
check "allowed once a RoleBinding grants the service account" wait_for 60 ready sa
check "the object is applied" exists configmap sa-cm
check_output "it is applied with the controller's field manager" "kustomize-controller" \
  "$(jp configmap sa-cm '{.metadata.managedFields[?(@.operation=="Apply")].manager}')"

# ---- (c) a CRD and its custom resource in one path -----------------------------------------------
ks crd crd
check "CRD + custom resource: Ready" wait_for 60 ready crd
check_output "the CRD is Established" True \
  "$(k get crd "widgets.$crd_group" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}')"
check_output "the custom resource is applied" 3 "$(jp "widgets.$crd_group" w1 '{.spec.size}')"
check_contains "the inventory lists both" "_widgets.${crd_group}_apiextensions.k8s.io_CustomResourceDefinition ${ns}_w1_${crd_group}_Widget" \
  "$(jp kustomization crd '{.status.inventory.entries[*].id}')"
k -n "$ns" delete kustomization crd --wait=false >/dev/null
check "deleting the Kustomization prunes the custom resource and the CRD" \
  wait_for 60 bash -c "! '$KUBECTL' get crd widgets.$crd_group"

# ---- (d) health wait on a Deployment ---------------------------------------------------------------
RETRY=20s ks deploy deploy "wait: true" "timeout: 4s"
check "the Deployment never becomes available: HealthCheckFailed" wait_for 60 not_ready_reason deploy HealthCheckFailed
unhealthy() { not_ready_msg deploy HealthCheckFailed "timeout waiting for: [Deployment/$ns/web status: 'InProgress']" && [ "$(cond deploy Healthy status)" = False ]; }
export -f unhealthy
check "the message names the Deployment, and Healthy=False" wait_for 30 unhealthy
check "the Deployment's pod exists" wait_for 30 bash -c "'$KUBECTL' get pods -n '$ns' -l app=web -o name | grep -q pod/"
pod=$(k get pods -n "$ns" -l app=web -o name | head -1)
k patch -n "$ns" "$pod" --subresource=status --type merge -p '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"},{"type":"ContainersReady","status":"True","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}' >/dev/null
check "once its pod is Ready the Kustomization becomes Ready (next retry)" wait_for 60 ready deploy
check_output "Healthy=True" True "$(cond deploy Healthy status)"

# ---- (e) a manifest that does not parse, an object the API server rejects --------------------------
ks badparse badparse
check "unparsable manifest: BuildFailed" wait_for 60 not_ready_reason badparse BuildFailed
check "the message names the file" wait_for 60 not_ready_msg badparse BuildFailed "cm.yaml"
ks badreject badreject
check "rejected object: Ready=False" wait_for 60 not_ready_reason badreject ReconciliationFailed
check "the message names the object and the dry-run" \
  wait_for 60 not_ready_msg badreject ReconciliationFailed "Service/$ns/badreject-svc dry-run failed"
check "nothing of the set is applied (the valid ConfigMap neither)" gone configmap badreject-good

# ---- (f) an object owned by another Kustomization ------------------------------------------------
ks own1 own1
check "own1 applies the shared ConfigMap" wait_for 60 ready own1
ks own2 own2
check "own2 becomes Ready (Flux takes the object over)" wait_for 60 ready own2
check_output "the object now carries own2's labels and data" "own2/from=own2" \
  "$(jp configmap shared '{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}')/from=$(jp configmap shared '{.data.from}')"
owned_event() { k -n "$ns" get events --field-selector involvedObject.name=own2 -o jsonpath='{.items[*].message}' | grep -q "ConfigMap/$ns/shared.*own1"; }
export -f owned_event
check "the takeover is not silent: an event on own2 names the previous owner" wait_for 20 owned_event
k -n "$ns" delete kustomization own1 >/dev/null
check "own1 is deleted" wait_for 30 gone kustomization own1
check_output "own1's prune does not delete the object own2 now owns" "own2" \
  "$(jp configmap shared '{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}')"

# ---- (g) the source is deleted: the last applied state stays -------------------------------------
gitrepo "$ns" other
KSSRC=other ks gone gone
check "a Kustomization of the other source becomes Ready" wait_for 60 ready gone
k -n "$ns" delete gitrepository other >/dev/null
check "the source is gone" wait_for 30 gone gitrepository other
k -n "$ns" annotate --overwrite kustomization gone reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
check "Ready=False ArtifactFailed: source not found" wait_for 60 not_ready_reason gone ArtifactFailed
check "the message says so" wait_for 60 not_ready_msg gone ArtifactFailed "Source 'GitRepository/$ns/other' not found"
check "the applied object stays" exists configmap gone-cm
check_output "the inventory stays" "${ns}_gone-cm__ConfigMap" "$(jp kustomization gone '{.status.inventory.entries[*].id}')"

# ---- spec.kubeConfig.secretRef: apply to the cluster of a kubeconfig in a Secret -------------------
# The "remote" cluster is the test cluster itself, reached first as the user tide-tester (no
# RBAC: the API server's answer proves the Secret's kubeconfig is used), then as the admin.
k config view --raw --flatten --kubeconfig "$KUBECONFIG_USER" > "$tmp/user.kubeconfig"
k config view --raw --flatten --kubeconfig "$KUBECONFIG" > "$tmp/admin.kubeconfig"
k -n "$ns" create secret generic remote --from-file=value="$tmp/user.kubeconfig" >/dev/null
ks remote remote "kubeConfig: {secretRef: {name: remote}}"
check "kubeConfig: the Secret's user is denied" wait_for 60 not_ready_msg remote ReconciliationFailed 'User "tide-tester" cannot'
check "nothing is applied" gone configmap remote-cm
k -n "$ns" delete secret remote >/dev/null
k -n "$ns" create secret generic remote --from-file=value.yaml="$tmp/admin.kubeconfig" >/dev/null
check "with the admin's kubeconfig under value.yaml: Ready" wait_for 60 ready remote
check "the object is applied" exists configmap remote-cm
k -n "$ns" create secret generic nokey --from-literal=other=x >/dev/null
ks remote2 remote "kubeConfig: {secretRef: {name: nokey}}"
check "a Secret without the key: Flux's message" wait_for 60 not_ready_msg remote2 ReconciliationFailed \
  "KubeConfig secret '$ns/nokey' does not contain a 'value' nor 'value.yaml' key with a kubeconfig"
k -n "$ns" delete kustomization remote remote2 >/dev/null
check "deleting it prunes through the Secret's cluster" wait_for 30 gone configmap remote-cm

# ---- substitution without the strict gate: a missing variable is empty --------------------------
ks lax strict "postBuild: {substitute: {defined: yes1}}"
check "StrictPostBuildSubstitutions=false: a missing variable is not an error" wait_for 60 ready lax
check_output "it is substituted with the empty string" "yes1/d/x" \
  "$(jp configmap strict-cm '{.data.set}')/$(jp configmap strict-cm '{.data.dflt}')/$(jp configmap strict-cm '{.data.missing}')"
k -n "$ns" delete kustomization lax >/dev/null
check "deleting it prunes" wait_for 30 gone configmap strict-cm

# ---- a restart with --default-service-account and strict substitution -----------------------------
e2e_controller_stop
start_ctl --default-service-account=fallback --feature-gates=StrictPostBuildSubstitutions=true
e2e_namespace "$ns-dsa"
gitrepo "$ns-dsa" repo
KSNS=$ns-dsa ks dsa a
JNS=$ns-dsa check "--default-service-account: a Kustomization without one is denied" wait_for 60 not_ready_reason dsa ReconciliationFailed
JNS=$ns-dsa check "as the default service account" \
  wait_for 60 not_ready_msg dsa ReconciliationFailed "system:serviceaccount:$ns-dsa:fallback\" cannot"
check "a is now denied too (no serviceAccountName)" wait_for 60 not_ready_reason a ReconciliationFailed
check "the restarted controller deleted nothing of a" exists configmap a-cm
ks strict strict "postBuild: {substitute: {defined: yes1}}"
check "strict substitution: a missing variable is BuildFailed" wait_for 60 not_ready_reason strict BuildFailed
check "the message names the variable" wait_for 60 not_ready_msg strict BuildFailed 'variable not set (strict mode): "undefined"' 
check "nothing is applied" gone configmap strict-cm

# ---- tear down ------------------------------------------------------------------------------------
# the default service account does not exist: as Flux, deletion leaves the objects and says so
k -n "$ns" delete kustomization --all --wait=false >/dev/null
k -n "$ns-dsa" delete kustomization --all --wait=false >/dev/null
k -n "$ns" delete gitrepository --all --wait=false >/dev/null
k -n "$ns-dsa" delete gitrepository --all --wait=false >/dev/null
none_left() { [ -z "$(k -n "$1" get kustomizations -o name)" ]; }
export -f none_left
check "the Kustomizations are gone (finalizers removed)" wait_for 60 none_left "$ns"
check "in the other namespace too" wait_for 60 none_left "$ns-dsa"
check "objects of a Kustomization whose service account is gone are left" exists configmap a-cm
unable() { k -n "$ns" get events --field-selector reason=PruneFailed -o jsonpath='{.items[*].message}' | grep -q "unable to prune objects"; }
export -f unable
check "with an event saying so" wait_for 20 unable

e2e_controller_stop
e2e_no_sanitizer_report "no sanitizer report"
finish
