#!/usr/bin/env bash
# tide uninstall against a real cluster: --dry-run lists what would go and deletes nothing;
# a "no" aborts; --silent removes the controller's objects, clears Flux objects' finalizers
# (an object with a finalizer no controller will ever remove must not block the CRD's
# deletion), deletes the CRDs and the namespace. The script reinstalls at the end, since the
# cluster is shared with the scripts after it. The CRDs are gone for a while:
# e2e: serial
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli-uninstall

check "tide install" "$TIDE" install
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
cat <<YAML | "$KUBECTL" apply -n "$ns" -f - >/dev/null
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: stuck
  finalizers: [finalizers.fluxcd.io]
spec:
  interval: 1m
  url: https://example.invalid/r
YAML

out=$("$TIDE" uninstall --dry-run 2>&1); rc=$?
check_contains "dry run: the controller" "✔ Deployment/flux-system/tide-controller deleted (dry run)" "$out"
check_contains "dry run: finalizers" "✔ GitRepository/$ns/stuck finalizers deleted (dry run)" "$out"
check_contains "dry run: CRDs" "✔ CustomResourceDefinition/kustomizations.kustomize.toolkit.fluxcd.io deleted (dry run)" "$out"
check_contains "dry run: namespace last" "✔ Namespace/flux-system deleted (dry run)
✔ uninstall finished" "$out"
check_output "dry run exits 0" 0 "$rc"
check "dry run deleted nothing" "$KUBECTL" get deployment tide-controller -n flux-system
check_output "dry run kept the finalizer" finalizers.fluxcd.io \
	"$("$KUBECTL" get gitrepository stuck -n "$ns" -o jsonpath='{.metadata.finalizers[0]}')"

out=$(echo n | "$TIDE" uninstall 2>&1); rc=$?
check_contains "a no aborts" "✗ aborting" "$out"
check_output "aborted uninstall exits 1" 1 "$rc"
check "aborted uninstall deleted nothing" "$KUBECTL" get crd gitrepositories.source.toolkit.fluxcd.io

out=$("$TIDE" uninstall --silent --keep-namespace 2>&1); rc=$?
check_contains "uninstall prints flux's lines" "► deleting components in flux-system namespace
✔ Deployment/flux-system/tide-controller deleted " "$out"
check_contains "uninstall clears finalizers" "► deleting toolkit.fluxcd.io finalizers in all namespaces
✔ GitRepository/$ns/stuck finalizers deleted " "$out"
check_output "uninstall exits 0" 0 "$rc"
check_fails "the controller is gone" "$KUBECTL" get deployment tide-controller -n flux-system
check "--keep-namespace kept it" "$KUBECTL" get namespace flux-system
gone() { ! "$KUBECTL" get crd gitrepositories.source.toolkit.fluxcd.io >/dev/null 2>&1; }
check "the CRDs go (the finalizer no longer blocks them)" wait_for 60 gone
check_fails "the ClusterRoleBinding is gone" "$KUBECTL" get clusterrolebinding cluster-reconciler-flux-system
out=$(KUBECONFIG=/nonexistent "$TIDE" uninstall --silent 2>&1); rc=$?
check_output "no cluster: exit 1" 1 "$rc"

"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
check "reinstall" "$TIDE" install
check "the CRDs are back" wait_for 30 "$KUBECTL" get crd kustomizations.kustomize.toolkit.fluxcd.io
finish
