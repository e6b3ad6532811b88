#!/usr/bin/env bash
# The whole pipeline a Flux user runs, with tide's own controllers: a Git repository on disk ->
# GitRepository (fetch, artifact, served over HTTP) -> Kustomization (download, verify, build,
# substitute, apply, prune) -> the real API server. Objects are created with kubectl apply of
# the same YAML a Flux user keeps in Git; the CLI verbs have their own tests.
source "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
ns=e2e-gitops
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ctl=""
cleanup() { [ -n "$ctl" ] && kill -TERM "$ctl" 2>/dev/null && wait "$ctl" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
k() { "$KUBECTL" "$@"; }
jp() { k -n "$ns" get "$1" "$2" -o jsonpath="$3" 2>/dev/null; }
gitc() { git -C "$tmp/repo" -c user.name=e2e -c user.email=e2e@localhost "$@"; }

check "install the CRDs" "$TIDE" install
k create namespace "$ns" >/dev/null 2>&1

# ---- the repository ------------------------------------------------------------------------
mkdir -p "$tmp/repo/app"
cat > "$tmp/repo/app/configmap.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
data:
  text: hello ${who:=world}
  cluster: ${cluster_name}
YAML
cat > "$tmp/repo/app/secret-free.yaml" <<'YAML'
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
YAML
cat > "$tmp/repo/app/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- configmap.yaml
- secret-free.yaml
YAML
git init -q -b main "$tmp/repo"
gitc add -A; gitc commit -q -m one
rev1=$(gitc rev-parse HEAD)

# ---- the controller ------------------------------------------------------------------------
sp=$(free_port); mp=$(free_port); hp=$(free_port)
"$TIDE" controller --storage-path "$tmp/storage" --storage-addr "127.0.0.1:$sp" \
  --storage-adv-addr "127.0.0.1:$sp" --metrics-addr "127.0.0.1:$mp" --health-addr "127.0.0.1:$hp" \
  2> "$tmp/controller.log" & ctl=$!
check "the controller is ready" wait_for 30 curl -sf "http://127.0.0.1:$hp/readyz"

k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: app
spec:
  url: file://$tmp/repo
  ref: {branch: main}
  interval: 2s
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: app
spec:
  interval: 2s
  path: ./app
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: app}
  postBuild:
    substitute: {cluster_name: e2e}
YAML

ready() { [ "$(jp "$1" "$2" '{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
export -f ready jp k; export ns KUBECTL
if check "the GitRepository becomes Ready" wait_for 60 ready gitrepository app; then :; fi
check_output "its revision" "main@sha1:$rev1" "$(jp gitrepository app '{.status.artifact.revision}')"
check "the Kustomization becomes Ready" wait_for 60 ready kustomization app
check_output "lastAppliedRevision is the source's" "main@sha1:$rev1" "$(jp kustomization app '{.status.lastAppliedRevision}')"
check_output "variables substituted (with a default)" "hello world/e2e" \
  "$(jp configmap greeting '{.data.text}')/$(jp configmap greeting '{.data.cluster}')"
check_output "ownership labels" "app/$ns" \
  "$(jp configmap greeting '{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/name}')/$(jp configmap greeting '{.metadata.labels.kustomize\.toolkit\.fluxcd\.io/namespace}')"
check_contains "inventory lists the objects with Flux's ids" "${ns}_greeting__ConfigMap" \
  "$(jp kustomization app '{.status.inventory.entries[*].id}')"

# ---- a new commit is applied ---------------------------------------------------------------
sed -i 's/hello ${who:=world}/hi ${who:=world}/' "$tmp/repo/app/configmap.yaml"
gitc commit -q -am two
rev2=$(gitc rev-parse HEAD)
applied2() { [ "$(jp kustomization app '{.status.lastAppliedRevision}')" = "main@sha1:$1" ]; }
export -f applied2
check "a new commit is applied within the interval" wait_for 60 applied2 "$rev2"
check_output "the change is in the cluster" "hi world" "$(jp configmap greeting '{.data.text}')"

# ---- a removed file is pruned --------------------------------------------------------------
gitc rm -q app/secret-free.yaml
sed -i '/secret-free.yaml/d' "$tmp/repo/app/kustomization.yaml"
gitc commit -q -am three
rev3=$(gitc rev-parse HEAD)
check "the removal is applied" wait_for 60 applied2 "$rev3"
gone() { ! k -n "$ns" get "$1" "$2" >/dev/null 2>&1; }
export -f gone
check "the removed object is pruned" wait_for 30 gone serviceaccount app
check_output "the kept object stays" "hi world" "$(jp configmap greeting '{.data.text}')"

# ---- the artifact is served and matches its digest -----------------------------------------
url=$(jp gitrepository app '{.status.artifact.url}')
digest=$(jp gitrepository app '{.status.artifact.digest}')
curl -sf "$url" -o "$tmp/artifact.tar.gz"
check_output "the served artifact matches the digest" "$digest" "sha256:$(sha256sum "$tmp/artifact.tar.gz" | cut -d' ' -f1)"

# ---- deleting the Kustomization prunes what it applied -------------------------------------
k -n "$ns" delete kustomization app --wait=false >/dev/null
check "deletion prunes the objects" wait_for 60 gone configmap greeting
check "the Kustomization is gone (finalizer removed)" wait_for 30 gone kustomization app
k -n "$ns" delete gitrepository app --wait=false >/dev/null
check "the GitRepository is gone (finalizer removed)" wait_for 30 gone gitrepository app

kill -TERM "$ctl"; wait "$ctl"; rc=$?; ctl=""
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
if grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$tmp/controller.log"; then
  not_ok "no sanitizer report"; grep -A 20 "Sanitizer\|runtime error" "$tmp/controller.log" | head -40 | sed 's/^/#   /'
else
  ok "no sanitizer report"
fi
finish
