#!/usr/bin/env bash
# tide tree kustomization against a real cluster: an inventory (set with kubectl, as the
# kustomize controller would) drawn with flux's box-drawing characters, a nested
# Kustomization expanded, the root's own entry skipped, RBAC names' "__" read back as ':',
# --compact, and the error paths.
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli-tree
check "tide install" "$TIDE" install
"$KUBECTL" delete namespace "$ns" --ignore-not-found >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
for n in root infra; do
cat <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: $n}
spec: {interval: 5m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: repo}}
---
YAML
done | "$KUBECTL" create -n "$ns" -f - >/dev/null
inv() { "$KUBECTL" patch kustomization "$1" -n "$ns" --subresource=status --type=merge -p "{\"status\":{\"inventory\":{\"entries\":$2}}}" >/dev/null; }
inv root '[{"id":"'$ns'_root_kustomize.toolkit.fluxcd.io_Kustomization","v":"v1"},
  {"id":"_cert-manager__Namespace","v":"v1"},
  {"id":"'$ns'_web_apps_Deployment","v":"v1"},
  {"id":"'$ns'_infra_kustomize.toolkit.fluxcd.io_Kustomization","v":"v1"},
  {"id":"'$ns'_repo_source.toolkit.fluxcd.io_GitRepository","v":"v1"}]'
inv infra '[{"id":"_system__controller__x_rbac.authorization.k8s.io_ClusterRole","v":"v1"},
  {"id":"cert-manager_cert-manager_source.toolkit.fluxcd.io_HelmRepository","v":"v1"}]'

out=$("$TIDE" tree kustomization root -n "$ns" 2>&1); rc=$?
check_output "tree: flux's drawing" "Kustomization/$ns/root
├── Namespace/cert-manager
├── Deployment/$ns/web
├── Kustomization/$ns/infra
│   ├── ClusterRole/system:controller:x
│   └── HelmRepository/cert-manager/cert-manager
└── GitRepository/$ns/repo" "$out"
check_output "tree exits 0" 0 "$rc"
out=$("$TIDE" tree ks root -n "$ns" --compact 2>&1)
check_output "tree --compact: Flux objects only" "Kustomization/$ns/root
├── Kustomization/$ns/infra
│   └── HelmRepository/cert-manager/cert-manager
└── GitRepository/$ns/repo" "$out"
# -o json / -o yaml: flux's tree.ObjMetadataTree marshalled (cli-utils' ObjMetadata has no JSON tags)
out=$("$TIDE" tree ks root -n "$ns" --compact -o json 2>&1)
check_output "tree -o json: flux's encoding/json MarshalIndent" '{
  "resource": {
    "Namespace": "'$ns'",
    "Name": "root",
    "GroupKind": {
      "Group": "kustomize.toolkit.fluxcd.io",
      "Kind": "Kustomization"
    }
  },
  "resources": [
    {
      "resource": {
        "Namespace": "'$ns'",
        "Name": "infra",
        "GroupKind": {
          "Group": "kustomize.toolkit.fluxcd.io",
          "Kind": "Kustomization"
        }
      },
      "resources": [
        {
          "resource": {
            "Namespace": "cert-manager",
            "Name": "cert-manager",
            "GroupKind": {
              "Group": "source.toolkit.fluxcd.io",
              "Kind": "HelmRepository"
            }
          }
        }
      ]
    },
    {
      "resource": {
        "Namespace": "'$ns'",
        "Name": "repo",
        "GroupKind": {
          "Group": "source.toolkit.fluxcd.io",
          "Kind": "GitRepository"
        }
      }
    }
  ]
}' "$out"
out=$("$TIDE" tree ks root -n "$ns" -o yaml 2>&1)
check_contains "tree -o yaml: sigs.k8s.io/yaml's sorted keys" "resource:
  GroupKind:
    Group: kustomize.toolkit.fluxcd.io
    Kind: Kustomization
  Name: root
  Namespace: $ns
resources:
- resource:
    GroupKind:
      Group: \"\"
      Kind: Namespace
    Name: cert-manager
    Namespace: \"\"" "$out"
check_contains "tree -o yaml: a nested Kustomization's resources" "  resources:
  - resource:
      GroupKind:
        Group: rbac.authorization.k8s.io
        Kind: ClusterRole
      Name: system:controller:x" "$out"
"$KUBECTL" create -n "$ns" -f - >/dev/null <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: empty}
spec: {interval: 5m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: repo}}
YAML
check_output "tree of an empty inventory" "Kustomization/$ns/empty" "$("$TIDE" tree kustomization empty -n "$ns" 2>&1)"
inv empty '[{"id":"'$ns'_gone_kustomize.toolkit.fluxcd.io_Kustomization","v":"v1"}]'
out=$("$TIDE" tree kustomization empty -n "$ns" 2>&1); rc=$?
check_output "tree: a missing nested Kustomization" "✗ failed to find object: kustomizations.kustomize.toolkit.fluxcd.io \"gone\" not found" "$out"
check_output "and exits 1" 1 "$rc"
out=$("$TIDE" tree kustomization nope -n "$ns" 2>&1); rc=$?
check_output "tree of a missing Kustomization" "✗ kustomizations.kustomize.toolkit.fluxcd.io \"nope\" not found" "$out"
check_output "exits 1" 1 "$rc"
check_output "tree without a name" "✗ kustomization name is required" "$("$TIDE" tree kustomization 2>&1)"
check_fails "tree of another kind" "$TIDE" tree helmrelease x
tmp_release=$E2E_TMP/release
# A HelmRelease is expanded with its latest release's objects, read from the Helm storage
# Secret (base64 of gzipped JSON, as helm writes it), and the CRDs labelled as its own
"$KUBECTL" create -n "$ns" -f - >/dev/null <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps}
spec: {interval: 5m, path: ./, prune: true, sourceRef: {kind: GitRepository, name: repo}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo}
spec:
  interval: 5m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
  install: {crds: CreateReplace}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: pending}
spec:
  interval: 5m
  chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}
YAML
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.e2e-tree.tide.io
  labels: {helm.toolkit.fluxcd.io/name: podinfo, helm.toolkit.fluxcd.io/namespace: $ns}
spec:
  group: e2e-tree.tide.io
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
YAML
snap='{"name":"podinfo","namespace":"podinfo-apps","version":2,"chartName":"podinfo","chartVersion":"6.5.0","configDigest":"sha256:00","digest":"sha256:00","firstDeployed":"2026-01-01T00:00:00Z","lastDeployed":"2026-01-01T00:00:00Z","status":"deployed"}'
"$KUBECTL" patch helmrelease podinfo -n "$ns" --subresource=status --type=merge \
  -p "{\"status\":{\"storageNamespace\":\"$ns\",\"history\":[$snap]}}" >/dev/null
python3 - > "$tmp_release" <<'PY'
import base64, gzip, json
manifest = """---
# Source: podinfo/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: podinfo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: elsewhere
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: listed}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: podinfo-view
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: nested
"""
rel = {"name": "podinfo", "namespace": "podinfo-apps", "version": 2, "manifest": manifest, "info": {"status": "deployed"}}
print(base64.b64encode(gzip.compress(json.dumps(rel).encode())).decode(), end="")
PY
"$KUBECTL" create secret generic sh.helm.release.v1.podinfo.v2 -n "$ns" --type=helm.sh/release.v1 \
  --from-file=release="$tmp_release" >/dev/null
inv apps '[{"id":"'$ns'_podinfo_helm.toolkit.fluxcd.io_HelmRelease","v":"v2"},
  {"id":"'$ns'_pending_helm.toolkit.fluxcd.io_HelmRelease","v":"v2"},
  {"id":"'$ns'_repo_source.toolkit.fluxcd.io_GitRepository","v":"v1"}]'
out=$("$TIDE" tree kustomization apps -n "$ns" 2>&1); rc=$?
check_output "tree: a HelmRelease's release objects (namespaced ones without a namespace in the release's), List items, its CRDs" "Kustomization/$ns/apps
├── HelmRelease/$ns/podinfo
│   ├── ServiceAccount/podinfo-apps/podinfo
│   ├── Deployment/elsewhere/podinfo
│   ├── ConfigMap/podinfo-apps/listed
│   ├── ClusterRole/podinfo-view
│   ├── HelmRepository/podinfo-apps/nested
│   └── CustomResourceDefinition/widgets.e2e-tree.tide.io
├── HelmRelease/$ns/pending
└── GitRepository/$ns/repo" "$out"
check_output "... exit 0" 0 "$rc"
check_output "tree --compact: a HelmRelease's Flux objects only" "Kustomization/$ns/apps
├── HelmRelease/$ns/podinfo
│   └── HelmRepository/podinfo-apps/nested
├── HelmRelease/$ns/pending
└── GitRepository/$ns/repo" "$("$TIDE" tree kustomization apps -n "$ns" --compact 2>&1)"
out=$("$TIDE" tree kustomization apps -n "$ns" --compact -o json 2>&1)
check_contains "tree -o json: a HelmRelease's objects as its resources" '      "resources": [
        {
          "resource": {
            "Namespace": "podinfo-apps",
            "Name": "nested",' "$out"
"$KUBECTL" delete secret sh.helm.release.v1.podinfo.v2 -n "$ns" >/dev/null
"$KUBECTL" create secret generic sh.helm.release.v1.podinfo.v2 -n "$ns" --type=helm.sh/release.v1 \
  --from-literal=release='H4sI-not-gzip' >/dev/null
out=$("$TIDE" tree kustomization apps -n "$ns" 2>&1); rc=$?
check_contains "tree: a Helm storage Secret that does not decode is an error" "✗ failed to decode the Helm storage object for HelmRelease '$ns/podinfo'" "$out"
check_output "... exit 1" 1 "$rc"
"$KUBECTL" delete secret sh.helm.release.v1.podinfo.v2 -n "$ns" >/dev/null
check_output "tree: a release whose storage Secret is gone is not expanded" "Kustomization/$ns/apps
├── HelmRelease/$ns/podinfo
├── HelmRelease/$ns/pending
└── GitRepository/$ns/repo" "$("$TIDE" tree kustomization apps -n "$ns" 2>&1)"
inv apps '[{"id":"'$ns'_gone_helm.toolkit.fluxcd.io_HelmRelease","v":"v2"}]'
check_output "tree: a missing HelmRelease is an error" "✗ helmreleases.helm.toolkit.fluxcd.io \"gone\" not found" \
  "$("$TIDE" tree kustomization apps -n "$ns" 2>&1)"
"$KUBECTL" delete crd widgets.e2e-tree.tide.io --wait=false >/dev/null 2>&1
rm -f "$tmp_release"
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
