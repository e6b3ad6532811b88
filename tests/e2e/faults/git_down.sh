#!/usr/bin/env bash
# The Git server stopped after a good sync (hardening, issue 16): the GitRepository over HTTP
# goes Ready=False with GitOperationFailed on its next reconcile, its last artifact stays in
# status and is still served whole, the Kustomization built from it stays applied and prunes
# nothing; once the server is back (same port), the next commit is stored and applied.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-fault-gitdown-$$
k() { "$KUBECTL" -n "$ns" "$@"; }
jp() { e2e_jsonpath "$1" "$2" "$3" "$ns"; }
cm() { k get configmap "$1" -o jsonpath='{.data.k}' 2>/dev/null; }
git_failed() { [ "$(e2e_condition gitrepository app Ready status "$ns")" = False ] &&
  [ "$(e2e_condition gitrepository app Ready reason "$ns")" = GitOperationFailed ]; }
applied() { [ "$(jp kustomization app '{.status.lastAppliedRevision}')" = "main@sha1:$1" ]; }
export -f k jp cm git_failed applied; export ns KUBECTL

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" kustomizations,gitrepositories

r=$tmp/repo
mkdir -p "$r/deploy"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {k: "1"}\n' > "$r/deploy/one.yaml"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: two}\ndata: {k: "2"}\n' > "$r/deploy/two.yaml"
e2e_git_init "$r" first
c1=$(e2e_git "$r" rev-parse HEAD)
e2e_git_serve "$r" "$tmp/http" app
e2e_git_http "$tmp/http"
url="$(cat "$tmp/http/http-url")app.git"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
k apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: "$url", interval: 2s, timeout: 5s, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app}
spec:
  interval: 2s
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: app}
YAML
check "the first commit is applied" wait_for 60 applied "$c1"
digest=$(jp gitrepository app '{.status.artifact.digest}')
aurl=$(jp gitrepository app '{.status.artifact.url}')

# ---- the Git server goes away -----------------------------------------------------------------
"$E2E_ROOT/test/git/http-stop" "$tmp/http"
check "GitRepository: Ready=False, GitOperationFailed" wait_for 30 git_failed
check_contains "... the message says what failed" "failed" \
  "$(e2e_condition gitrepository app Ready message "$ns")"
check_output "the last artifact stays in status" "$digest" "$(jp gitrepository app '{.status.artifact.digest}')"
curl -sf "$aurl" -o "$tmp/a.tar.gz"
check_output "... and is served whole" "$digest" "sha256:$(sha256sum "$tmp/a.tar.gz" | cut -d' ' -f1)"
sleep 5 # a few more failing reconciles of both objects
check "the Kustomization stays Ready" e2e_ready kustomization app
check_output "nothing was pruned" "1 2" "$(cm one) $(cm two)"
check "still GitOperationFailed after retries" git_failed

# ---- the server is back, with a new commit ----------------------------------------------------
e2e_git "$r" rm -q deploy/two.yaml
e2e_git "$r" commit -q -m "drop two"
c2=$(e2e_git "$r" rev-parse HEAD)
e2e_git "$r" push -q "$tmp/http/repos/app.git" main
lighttpd -f "$tmp/http/lighttpd.conf"
check "the new commit is stored once the server is back" wait_for 60 bash -c \
  "[ \"\$(jp gitrepository app '{.status.artifact.revision}')\" = main@sha1:$c2 ]"
check "GitRepository: Ready again" wait_for 30 e2e_ready gitrepository app
check "... and applied, pruning what it no longer has" wait_for 60 bash -c "applied $c2 && [ -z \"\$(cm two)\" ]"
check_output "the kept ConfigMap is still there" 1 "$(cm one)"

e2e_controller_stop
e2e_no_sanitizer_report "no sanitizer report" "$E2E_CTL_LOG"
finish
