#!/usr/bin/env bash
# `tide build kustomization` and `tide diff kustomization` against the real control plane:
# the local path built as the controller builds it (targetNamespace, postBuild substitution
# from substitute and a ConfigMap, owner labels), the directory left as it was, --dry-run with a
# Kustomization file, and diff's created / drifted / unchanged / deleted with flux's exit codes.
source "$(dirname "$0")/../lib.sh"
ns=e2e-bd-$$
tmp=$E2E_TMP
"$TIDE" install >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null
mkdir -p "$tmp/app"
cat > "$tmp/app/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
data:
  text: hello ${who}
  env: ${env:=dev}
YAML
cat > "$tmp/app/sa.yaml" <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
YAML
"$KUBECTL" -n flux-system create configmap "vars-$ns" --from-literal=env=prod >/dev/null
cat > "$tmp/ks.yaml" <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: bd, namespace: flux-system}
spec:
  interval: 1h
  path: ./app
  prune: true
  suspend: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: none}
  postBuild:
    substitute: {who: world}
    substituteFrom: [{kind: ConfigMap, name: vars-$ns}]
YAML
"$KUBECTL" apply -f "$tmp/ks.yaml" >/dev/null

out=$("$TIDE" build kustomization bd --path "$tmp/app")
check_contains "build: variables substituted" "text: hello world" "$out"
check_contains "build: substituteFrom read from the cluster" "env: prod" "$out"
check_contains "build: targetNamespace" "namespace: $ns" "$out"
check_contains "build: owner labels" "kustomize.toolkit.fluxcd.io/name: bd" "$out"
check_output "build: the directory is left as it was" "cm.yaml sa.yaml" "$(ls "$tmp/app" | tr '\n' ' ' | sed 's/ $//')"
out=$("$TIDE" build kustomization bd --path "$tmp/app" --kustomization-file "$tmp/ks.yaml" --dry-run)
check_contains "build --dry-run from a file (no cluster: default used)" "env: dev" "$out"
check_contains "build: a missing path" "invalid resource path" "$("$TIDE" build kustomization bd --path "$tmp/nope" 2>&1)"
check_contains "build: a missing Kustomization" "failed to get kustomization object" "$("$TIDE" build kustomization nope --path "$tmp/app" 2>&1)"
check_fails "build: a missing Kustomization fails" "$TIDE" build kustomization nope --path "$tmp/app"

out=$("$TIDE" diff kustomization bd --path "$tmp/app" 2>&1); rc=$?
check_contains "diff: new objects are created" "► ConfigMap/$ns/greeting created" "$out"
check_output "diff: exit 1 when something changes" "1" "$rc"
check_output "diff: nothing was applied (server-side dry run)" "" "$("$KUBECTL" -n "$ns" get configmap greeting -o name 2>/dev/null)"
"$TIDE" build kustomization bd --path "$tmp/app" | "$KUBECTL" apply --server-side --field-manager kustomize-controller -f - >/dev/null
"$TIDE" diff kustomization bd --path "$tmp/app" > "$tmp/out" 2>&1; rc=$?
check_output "diff: in sync -> exit 0" "0" "$rc"
sed -i 's/hello/hi/' "$tmp/app/cm.yaml"
out=$("$TIDE" diff kustomization bd --path "$tmp/app" 2>&1); rc=$?
check_contains "diff: a changed object drifted" "► ConfigMap/$ns/greeting drifted" "$out"
check_contains "diff: the changed line, cluster side" "-   text: hello world" "$out"
check_contains "diff: the changed line, build side" "+   text: hi world" "$out"
check_output "diff: exit 1" "1" "$rc"
# Inventory as the controller would have recorded it: a removed file shows as deleted.
"$KUBECTL" -n flux-system patch kustomization bd --subresource=status --type merge -p \
  "{\"status\":{\"inventory\":{\"entries\":[{\"id\":\"${ns}_greeting__ConfigMap\",\"v\":\"v1\"},{\"id\":\"${ns}_app__ServiceAccount\",\"v\":\"v1\"}]}}}" >/dev/null
rm "$tmp/app/sa.yaml"
check_contains "diff: an object that left the build is deleted (prune)" "► ServiceAccount/$ns/app deleted" \
  "$("$TIDE" diff kustomization bd --path "$tmp/app" 2>&1)"
"$KUBECTL" -n flux-system delete kustomization bd >/dev/null 2>&1
"$KUBECTL" -n flux-system delete configmap "vars-$ns" >/dev/null 2>&1
"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
