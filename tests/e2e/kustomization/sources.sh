#!/usr/bin/env bash
# Kustomizations whose sourceRef is an OCIRepository or a Bucket, through `tide controller`
# against the real API server, with only the kustomization controller running: the sources'
# status.artifact is written here as Flux's source-controller writes it (so a tide
# Kustomization works beside a real Flux source-controller; tide's own OCIRepository and
# Bucket controllers have their own e2e files), with the tarball served over HTTP on
# loopback. The Kustomization downloads it, checks its digest, applies the path and records
# the source's revision; a new artifact is applied at once (the sources are watched); a
# digest that does not match fails with ArtifactFailed and applies nothing; a source in
# another namespace is refused with --no-cross-namespace-refs.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-ks-sources
k() { "$KUBECTL" "$@"; }
cond() { k -n "${JNS:-$ns}" get kustomization "$1" -o jsonpath="{.status.conditions[?(@.type==\"Ready\")].$2}" 2>/dev/null; }
ready_at() { [ "$(cond "$1" status)" = True ] && [ "$(k -n "$ns" get kustomization "$1" -o jsonpath='{.status.lastAppliedRevision}')" = "$2" ]; }
not_ready() { [ "$(cond "$1" status)" = False ] && [ "$(cond "$1" reason)" = "$2" ] && [[ "$(cond "$1" message)" == *"$3"* ]]; }
cm_value() { k -n "$ns" get configmap "$1" -o jsonpath='{.data.k}' 2>/dev/null; }
export -f k cond ready_at not_ready cm_value; export ns KUBECTL

check "install the CRDs" "$TIDE" install
check "no namespace left from an earlier run" wait_for 120 bash -c "! '$KUBECTL' get namespace $ns && ! '$KUBECTL' get namespace $ns-other"
e2e_namespace "$ns" "$ns-other"
e2e_on_exit drop_finalizers "$ns" kustomizations # once the controller is gone

# artifact NAME VALUE: a tarball of deploy/cm.yaml (ConfigMap NAME, data.k=VALUE) under www/;
# prints its sha256
mkdir -p "$tmp/www"
artifact() {
  local d="$tmp/src-$1-$2"
  mkdir -p "$d/deploy"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  k: "%s"\n' "$1" "$2" > "$d/deploy/cm.yaml"
  tar czf "$tmp/www/$1-$2.tar.gz" -C "$d" .
  sha256sum "$tmp/www/$1-$2.tar.gz" | cut -d' ' -f1
}
wp=$(e2e_port)
(cd "$tmp/www" && exec python3 -m http.server --bind 127.0.0.1 "$wp") >/dev/null 2>&1 &
e2e_on_exit e2e_kill $!
check "the artifact server is up" wait_for 20 curl -sf "http://127.0.0.1:$wp/"

# set_artifact KIND NAME NAMESPACE FILE DIGEST REVISION: status as source-controller writes it
set_artifact() {
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  k -n "$3" patch "$1" "$2" --subresource=status --type=merge -p "{\"status\":{
    \"observedGeneration\":1,
    \"artifact\":{\"path\":\"$1/$3/$2/$4\",\"url\":\"http://127.0.0.1:$wp/$4\",\"revision\":\"$6\",
      \"digest\":\"sha256:$5\",\"lastUpdateTime\":\"$now\",\"size\":$(stat -c %s "$tmp/www/$4")},
    \"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Succeeded\",
      \"message\":\"stored artifact for digest 'sha256:$5'\",\"lastTransitionTime\":\"$now\",\"observedGeneration\":1}]}}" >/dev/null
}

k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: oci}
spec: {interval: 1h, url: "oci://127.0.0.1:5000/app", ref: {tag: latest}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: bucket}
spec: {interval: 1h, bucketName: app, endpoint: "127.0.0.1:9000", insecure: true}
YAML
k -n "$ns-other" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: oci}
spec: {interval: 1h, url: "oci://127.0.0.1:5000/app", ref: {tag: latest}}
YAML
d1=$(artifact from-oci one)
set_artifact ocirepository oci "$ns" from-oci-one.tar.gz "$d1" "latest@sha256:$d1"
b1=$(artifact from-bucket one)
set_artifact bucket bucket "$ns" from-bucket-one.tar.gz "$b1" "sha256:$b1"
x1=$(artifact cross one)
set_artifact ocirepository oci "$ns-other" cross-one.tar.gz "$x1" "latest@sha256:$x1"

ks() { # ks NAME KIND [SOURCE-NAMESPACE]
  k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: $1}
spec:
  interval: 1h
  retryInterval: 5s
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: $2, name: ${4:-$2}, namespace: ${3:-$ns}}
YAML
}

e2e_controller --controllers=kustomization --no-cross-namespace-refs
check "the controller is ready" e2e_controller_ready

ks from-oci OCIRepository "$ns" oci
ks from-bucket Bucket "$ns" bucket
ks cross OCIRepository "$ns-other" oci
check "a Kustomization of an OCIRepository becomes Ready at the source's revision" wait_for 60 ready_at from-oci "latest@sha256:$d1"
check_output "... and applies its path" one "$(cm_value from-oci)"
check "a Kustomization of a Bucket becomes Ready at the source's revision" wait_for 60 ready_at from-bucket "sha256:$b1"
check_output "... and applies its path" one "$(cm_value from-bucket)"
check "an OCIRepository in another namespace is refused with --no-cross-namespace-refs" \
  wait_for 60 not_ready cross AccessDenied "can't access 'OCIRepository/$ns-other/oci', cross-namespace references have been blocked"
check_fails "... and nothing is applied" k -n "$ns" get configmap cross

# a new artifact is applied at once (the interval is an hour)
d2=$(artifact from-oci two)
set_artifact ocirepository oci "$ns" from-oci-two.tar.gz "$d2" "latest@sha256:$d2"
check "a new OCIRepository artifact is applied at once" wait_for 60 ready_at from-oci "latest@sha256:$d2"
check_output "... with the new content" two "$(cm_value from-oci)"
b2=$(artifact from-bucket two)
set_artifact bucket bucket "$ns" from-bucket-two.tar.gz "$b2" "sha256:$b2"
check "a new Bucket artifact is applied at once" wait_for 60 ready_at from-bucket "sha256:$b2"
check_output "... with the new content" two "$(cm_value from-bucket)"

# an advertised digest the tarball does not have (one never seen before: a digest already
# unpacked is taken from the controller's cache without a download, docs/differences.md)
d3=$(artifact from-oci three)
set_artifact ocirepository oci "$ns" from-oci-three.tar.gz "$(printf '%064d' 0)" "latest@sha256:$d3"
check "an artifact whose digest does not match: Ready=False, ArtifactFailed" wait_for 60 not_ready from-oci ArtifactFailed ""
check_output "... the last applied content stays" two "$(cm_value from-oci)"
check_output "... and the last applied revision" "latest@sha256:$d2" \
  "$(k -n "$ns" get kustomization from-oci -o jsonpath='{.status.lastAppliedRevision}')"

# pruned on deletion, as for a GitRepository source
k -n "$ns" delete kustomization from-bucket --wait=false >/dev/null
check "deleting the Bucket's Kustomization prunes its objects" wait_for 60 bash -c "! k -n $ns get configmap from-bucket"
k -n "$ns" delete kustomization from-oci cross --wait=false >/dev/null
check "the other Kustomizations are deleted" wait_for 60 bash -c "[ -z \"\$(k -n $ns get kustomizations -o name)\" ]"

e2e_controller_stop
e2e_no_sanitizer_report "the controller exits without a sanitizer report"
finish
