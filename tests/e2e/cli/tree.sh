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
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
