#!/usr/bin/env bash
# `tide kustomize build` on sample trees: a base with two overlays (prefix, labels, images,
# generator, strategic-merge and JSON 6902 patches) printed exactly as `kubectl kustomize`
# (kustomize v5.6) prints it and accepted by the API server (server-side dry run); and bad
# input refused with one clear line naming the file, as kustomize refuses it.
source "$(dirname "$0")/../lib.sh"
ns=e2e-kustomize
tmp=$E2E_TMP
# A previous run's namespace may still be terminating.
"$KUBECTL" delete namespace "$ns" --ignore-not-found --wait=true >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1

# ---- a sample tree ----
mkdir -p "$tmp/app/base" "$tmp/app/staging" "$tmp/app/prod"
cat > "$tmp/app/base/deploy.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef: {name: web-config}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
YAML
cat > "$tmp/app/base/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deploy.yaml
configMapGenerator:
- name: web-config
  literals: [MODE=base, "GREETING=<hello & welcome>"]
YAML
cat > "$tmp/app/staging/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: $ns
namePrefix: staging-
labels:
- pairs: {env: staging}
  includeSelectors: true
resources:
- ../base
images:
- name: nginx
  newTag: "1.27"
configMapGenerator:
- name: web-config
  behavior: merge
  literals: [MODE=staging]
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 2
YAML
cat > "$tmp/app/prod/kustomization.yaml" <<YAML
namespace: $ns
nameSuffix: -prod
commonAnnotations: {team: payments}
resources:
- ../staging
replicas:
- name: staging-web
  count: 5
patches:
- target: {kind: Service}
  patch: |-
    - op: replace
      path: /spec/ports/0/port
      value: 8080
YAML

for o in base staging prod; do
  out=$("$TIDE" kustomize build "$tmp/app/$o" 2>&1); rc=$?
  check_output "build $o succeeds" 0 "$rc"
  if "$KUBECTL" kustomize --help >/dev/null 2>&1; then
    check_output "build $o prints what kubectl kustomize prints" "$("$KUBECTL" kustomize "$tmp/app/$o" 2>&1)" "$out"
  fi
done
out=$("$TIDE" kustomize build "$tmp/app/prod")
check_contains "prod: prefix, suffix and generator hash on the ConfigMap reference" "name: staging-web-config-prod-" "$out"
check_contains "prod: image override from the staging layer" "image: nginx:1.27" "$out"
check_contains "prod: replicas transformer wins over the staging patch" "replicas: 5" "$out"
check_contains "prod: JSON 6902 patch on the Service" "port: 8080" "$out"
check_output "prod: merged generator carries both layers" "1" "$(grep -c 'MODE: staging' <<<"$out")"
check "prod output is accepted by the API server" \
  bash -c 'set -o pipefail; "$0" kustomize build "$1" | "$2" apply --dry-run=server -f -' "$TIDE" "$tmp/app/prod" "$KUBECTL"
check "-o writes the same output to a file" "$TIDE" kustomize build "$tmp/app/prod" -o "$tmp/prod.yaml"
check_output "-o file content" "$out" "$(cat "$tmp/prod.yaml")"

# ---- bad input: one clear line naming the file ----
bad() { # NAME EXPECTED-SUBSTRING DIR
  local o; o=$("$TIDE" kustomize build "$3" 2>&1); local rc=$?
  if [ $rc -eq 0 ]; then not_ok "$1 (succeeded)"; return; fi
  check_contains "$1" "$2" "$o"
  check_output "$1: one line" 1 "$(printf '%s\n' "$o" | wc -l)"
}
e=$tmp/bad; mkdir -p "$e"/{missing,badyaml,unknown,selfref,dotdot,symlink,remote,nodir,outside,cycle-a,cycle-b}
printf 'resources:\n- nope.yaml\n' > "$e/missing/kustomization.yaml"
bad "missing resource file" "$e/missing/nope.yaml" "$e/missing"
printf 'resources:\n- cm.yaml\n' > "$e/badyaml/kustomization.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n  foo: [\n' > "$e/badyaml/cm.yaml"
bad "malformed YAML names the file" "MalformedYAMLError: '$e/badyaml/cm.yaml'" "$e/badyaml"
printf 'resources: [\n' > "$e/badyaml/kustomization.yaml"
bad "malformed kustomization.yaml" "kustomization.yaml" "$e/badyaml"
printf 'resourcez:\n- cm.yaml\n' > "$e/unknown/kustomization.yaml"
bad "unknown field in a kustomization" 'unknown field "resourcez"' "$e/unknown"
printf 'resources:\n- .\n' > "$e/selfref/kustomization.yaml"
bad "a base that includes itself" "cycle detected" "$e/selfref"
printf 'resources:\n- ../cycle-b\n' > "$e/cycle-a/kustomization.yaml"
printf 'resources:\n- ../cycle-a\n' > "$e/cycle-b/kustomization.yaml"
bad "two bases that include each other" "cycle detected" "$e/cycle-a"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: out\n' > "$e/outside/cm.yaml"
printf 'resources:\n- ../outside/cm.yaml\n' > "$e/dotdot/kustomization.yaml"
bad "'..' leaving the root is refused" "security; file '$e/outside/cm.yaml' is not in or below '$e/dotdot'" "$e/dotdot"
check "'..' is allowed with --load-restrictor LoadRestrictionsNone" \
  "$TIDE" kustomize build --load-restrictor LoadRestrictionsNone "$e/dotdot"
ln -s ../outside/cm.yaml "$e/symlink/cm.yaml"
printf 'resources:\n- cm.yaml\n' > "$e/symlink/kustomization.yaml"
bad "a symlink leaving the root is refused" "is not in or below '$e/symlink'" "$e/symlink"
printf 'resources:\n- https://github.com/example/repo//deploy?ref=v1\n' > "$e/remote/kustomization.yaml"
bad "remote (HTTP) resource refused" "remote resources are not supported" "$e/remote"
printf 'resources:\n- git@github.com:example/repo.git//deploy\n' > "$e/remote/kustomization.yaml"
bad "remote (Git) resource refused" "not supported" "$e/remote"
mkdir -p "$e/helm"
printf 'helmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n' > "$e/helm/kustomization.yaml"
bad "helmCharts refused naming the file" "'$e/helm/kustomization.yaml': helmCharts are not supported" "$e/helm"
mkdir -p "$e/exec"
printf 'transformers:\n- t.yaml\n' > "$e/exec/kustomization.yaml"
printf 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./run.sh\n' > "$e/exec/t.yaml"
bad "exec KRM function plugin refused" "unable to load builtin Foo.v1.example.com" "$e/exec"
bad "a directory without a kustomization" "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '$e/nodir'" "$e/nodir"
bad "not a directory" "must build at directory" "$e/nothere"

# A patch whose target matches nothing is no error (kustomize v5 skips it).
mkdir -p "$e/nomatch"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' > "$e/nomatch/cm.yaml"
printf 'resources:\n- cm.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /metadata/labels\n      value: {a: b}\n' > "$e/nomatch/kustomization.yaml"
check_output "patch matching nothing is skipped" "$(cat "$e/nomatch/cm.yaml")" "$("$TIDE" kustomize build "$e/nomatch" 2>&1)"

"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
