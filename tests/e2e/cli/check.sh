#!/usr/bin/env bash
# tide check against a real cluster: --pre's version line; the full check lists the controller
# Deployment (never ready here: the test control plane has no kubelet) with its image, and
# every CRD with its stored version, then fails with flux's "✗ check failed" and exit 1.
source "$(dirname "$0")/../lib.sh"

check "tide install" "$TIDE" install
server=$("$KUBECTL" version -o json 2>/dev/null | sed -n 's/.*"gitVersion": "v\([^"]*\)".*/\1/p' | tail -1)
out=$("$TIDE" check --pre 2>&1); rc=$?
check_output "check --pre prints flux's lines" "► checking prerequisites
✔ Kubernetes $server >=1.20.0-0
✔ prerequisites checks passed" "$out"
check_output "check --pre exits 0" 0 "$rc"

out=$("$TIDE" check --timeout=2s 2>&1); rc=$?
check_contains "check: version in cluster" "► checking version in cluster
✔ distribution: tide" "$out"
check_contains "check: the controller, not ready, and its image" "► checking controllers
✗ tide-controller: deployment not ready
► " "$out"
check_contains "check: CRDs with their stored version" "✔ gitrepositories.source.toolkit.fluxcd.io/v1
✔ helmcharts.source.toolkit.fluxcd.io/v1" "$out"
check_contains "check: kustomizations CRD" "✔ kustomizations.kustomize.toolkit.fluxcd.io/v1" "$out"
check_output "check ends with check failed" "✗ check failed" "$(printf '%s\n' "$out" | tail -1)"
check_output "a failed check exits 1" 1 "$rc"

out=$("$TIDE" check -n no-such-namespace --timeout=1s 2>&1); rc=$?
check_contains "check in an empty namespace: no controllers" "✗ no controllers found in the 'no-such-namespace' namespace with the label selector 'app.kubernetes.io/part-of=flux'" "$out"
check_output "and exits 1" 1 "$rc"

out=$(KUBECONFIG=/nonexistent "$TIDE" check --pre 2>&1); rc=$?
check_contains "no cluster: one clear line" "✗ Kubernetes client initialization failed: " "$out"
check_output "no cluster: exit 1" 1 "$rc"
check_fails "check takes no arguments" "$TIDE" check extra
finish
