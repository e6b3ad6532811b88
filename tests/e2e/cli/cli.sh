#!/usr/bin/env bash
# The CLI skeleton against a real cluster: version, help, install --export accepted by the
# API server, get with flux's columns and messages, and one clear line for each bad setup.
source "$(dirname "$0")/../lib.sh"
ns=e2e-cli
tmp=$E2E_TMP

check_contains "tide version" "tide: " "$("$TIDE" version 2>&1)"
check "tide --help" "$TIDE" --help
check_fails "unknown command fails" "$TIDE" frobnicate
check_contains "unknown flag is one clear line" "✗ unknown flag: --bogus" "$("$TIDE" get ks --bogus 2>&1)"
check_fails "bad --timeout value fails" "$TIDE" get ks --timeout=soon

check "tide install" "$TIDE" install
# After the install, so that the namespace the export's objects live in exists (a server-side
# dry run does not create it).
"$TIDE" install --export > "$tmp/install.yaml"
check "install --export output is accepted by the API server" "$KUBECTL" apply --dry-run=server -f "$tmp/install.yaml"

"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
cat <<YAML | "$KUBECTL" apply -n "$ns" -f - >/dev/null
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  interval: 5m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: repo
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
spec:
  interval: 5m
  suspend: true
  path: ./infra
  prune: true
  sourceRef:
    kind: GitRepository
    name: repo
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: repo
spec:
  interval: 1m
  url: https://example.com/repo.git
  ref:
    branch: main
YAML
sha=0123456789abcdef0123456789abcdef01234567
"$KUBECTL" patch kustomization apps -n "$ns" --subresource=status --type=merge -p \
  "{\"status\":{\"lastAppliedRevision\":\"main@sha1:$sha\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"ReconciliationSucceeded\",\"message\":\"Applied revision: main@sha1:$sha\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}" >/dev/null
"$KUBECTL" patch gitrepository repo -n "$ns" --subresource=status --type=merge -p \
  "{\"status\":{\"artifact\":{\"revision\":\"main@sha1:$sha\",\"path\":\"p\",\"url\":\"http://x/p\",\"digest\":\"sha256:00\",\"lastUpdateTime\":\"2026-01-01T00:00:00Z\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Succeeded\",\"message\":\"stored artifact for revision 'main@sha1:$sha'\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}" >/dev/null

expected=$(printf '%s\n' \
  "NAME 	REVISION          	SUSPENDED	READY	MESSAGE                              " \
  "apps 	main@sha1:01234567	False    	True 	Applied revision: main@sha1:01234567	" \
  "infra	                  	True     	False	waiting to be reconciled            	")
check_output "get kustomizations: flux's columns, shortened digests" "$expected" "$("$TIDE" get kustomizations -n "$ns" 2>&1)"
out=$("$TIDE" get ks -A 2>&1)
check_contains "get ks -A adds NAMESPACE" "NAMESPACE" "$out"
check_contains "get ks -A lists objects of other namespaces" "$ns" "$out"
check_contains "get sources git" "stored artifact for revision 'main@sha1:01234567'" "$("$TIDE" get sources git -n "$ns" 2>&1)"
check_contains "get gitrepositories" "repo" "$("$TIDE" get gitrepositories -n "$ns" 2>&1)"
check_contains "get one by name" "apps" "$("$TIDE" get ks apps -n "$ns" 2>&1)"
out=$("$TIDE" get ks missing -n "$ns" 2>&1); rc=$?
check_output "get of a missing object: message and exit 1" "✗ Kustomization object 'missing' not found in \"$ns\" namespace 1" "$out $rc"
out=$("$TIDE" get helmreleases -n "$ns" 2>&1); rc=$?
check_output "get with nothing found: message and exit 1" "✗ no HelmRelease objects found in \"$ns\" namespace 1" "$out $rc"

# Bad setups: one line, the cause named, exit 1, no crash (the binary is the sanitizer build).
one_line_error() { # name expected-substring command...
  local name=$1 want=$2; shift 2
  local out rc; out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq 1 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]; then check_contains "$name" "$want" "$out"; else not_ok "$name (exit $rc)"; printf '%s\n' "$out" | sed 's/^/#   /' | head -n 10; fi
}
one_line_error "missing kubeconfig" "no such file" "$TIDE" get ks --kubeconfig "$tmp/none"
printf 'apiVersion: v1\nkind: Config\nclusters: [\n' > "$tmp/malformed"
one_line_error "malformed kubeconfig" "malformed" "$TIDE" get ks --kubeconfig "$tmp/malformed"
one_line_error "unknown context" "context" "$TIDE" get ks --context nope
sed "s#server: .*#server: https://127.0.0.1:1#" "$KUBECONFIG" > "$tmp/unreachable"
one_line_error "unreachable server" "cannot reach https://127.0.0.1:1" "$TIDE" get ks --kubeconfig "$tmp/unreachable"
sed "s#certificate-authority: .*#certificate-authority: $CLUSTER_DIR/pki/admin.crt#" "$KUBECONFIG" > "$tmp/wrongca"
one_line_error "TLS peer not trusted" "certificate" "$TIDE" get ks --kubeconfig "$tmp/wrongca"
server=$(grep 'server:' "$KUBECONFIG" | head -n 1 | awk '{print $2}')
printf 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: %s\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: not-a-valid-token\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n' "$server" > "$tmp/badtoken"
one_line_error "invalid token" "Unauthorized" "$TIDE" get ks --kubeconfig "$tmp/badtoken"
one_line_error "RBAC denial names the user" "tide-tester" "$TIDE" get ks -n "$ns" --kubeconfig "$KUBECONFIG_USER"
finish
