#!/usr/bin/env bash
# One tenant's hostile build beside a healthy one (hardening, issue 16, rows 4 and 5): in the
# same `tide controller`, a Kustomization whose JSON 6902 patch doubles a list 40 times and
# one whose YAML is an alias bomb fail alone (Ready=False, BuildFailed, a message naming the
# budget), a healthy Kustomization of the same repository stays Ready and keeps applying new
# commits, and the process survives with bounded memory.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-fault-budgets-$$
k() { "$KUBECTL" -n "$ns" "$@"; }
cond() { e2e_condition kustomization "$1" Ready "$2" "$ns"; }
failed() { [ "$(cond "$1" status)" = False ] && [ "$(cond "$1" reason)" = BuildFailed ] &&
  [[ "$(cond "$1" message)" == *"$2"* ]]; }
applied() { [ "$(e2e_jsonpath kustomization good '{.status.lastAppliedRevision}' "$ns")" = "main@sha1:$1" ]; }
export -f k cond failed applied; export ns KUBECTL

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" kustomizations,gitrepositories

r=$tmp/repo
mkdir -p "$r/good" "$r/copies" "$r/aliases"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {k: "1"}\n' > "$r/good/cm.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nspec:\n  l: [aaaaaaaaaaaaaaaa]\n' > "$r/copies/cm.yaml"
{ printf 'resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n'
  for i in $(seq 40); do printf '    - op: copy\n      from: /spec/l\n      path: /spec/l/-\n'; done
} > "$r/copies/kustomization.yaml"
{ printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n'
  printf '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
  prev=a
  for n in b c d e f g h i; do
    printf '  %s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $n $n $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$n
  done
} > "$r/aliases/bomb.yaml"
e2e_git_init "$r" first
c1=$(e2e_git "$r" rev-parse HEAD)

e2e_controller --concurrent 3 --max-build-memory 64
check "the controller is ready" e2e_controller_ready
{ cat <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo}
spec: {url: "file://$r", interval: 2s, ref: {branch: main}}
YAML
for p in good copies aliases; do cat <<YAML
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: $p}
spec: {interval: 3s, path: ./$p, prune: true, targetNamespace: $ns, sourceRef: {kind: GitRepository, name: repo}}
YAML
done; } | k apply -f - >/dev/null
check "the healthy Kustomization is applied" wait_for 60 applied "$c1"
check "doubling copies: BuildFailed at the memory budget" wait_for 60 failed copies "--max-build-memory"
check "alias bomb: BuildFailed, excessive aliasing" wait_for 60 failed aliases "excessive aliasing"
echo "# copies: $(cond copies message | cut -c1-160)"
echo "# aliases: $(cond aliases message | cut -c1-160)"
check "nothing of theirs was applied" bash -c '! k get configmap x && ! k get configmap bomb'

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\ndata: {k: "2"}\n' > "$r/good/cm.yaml"
e2e_git "$r" commit -qam second
c2=$(e2e_git "$r" rev-parse HEAD)
check "the healthy one goes on applying new commits" wait_for 60 applied "$c2"
check_output "... and its ConfigMap is updated" 2 "$(k get configmap good -o jsonpath='{.data.k}')"
sleep 6 # more failing builds of both
check "the process is alive and ready" curl -sf "http://127.0.0.1:$E2E_HEALTH_PORT/readyz"
rss=$(awk '/^VmHWM/ {print $2}' "/proc/$E2E_CTL/status")
echo "# peak RSS of the controller: $((rss / 1024)) MiB"
[ "$rss" -lt $((1024 * 1024)) ] && ok "peak memory stays under 1 GiB" || not_ok "peak memory stays under 1 GiB ($((rss / 1024)) MiB)"
check "the healthy Kustomization is still Ready" e2e_ready kustomization good

e2e_controller_stop
e2e_no_sanitizer_report "no sanitizer report" "$E2E_CTL_LOG"
finish
