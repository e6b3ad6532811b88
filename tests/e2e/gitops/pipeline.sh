#!/usr/bin/env bash
# The whole pipeline a Flux user runs, with tide's own controllers: a Git repository on disk ->
# GitRepository (fetch, artifact, served over HTTP) -> Kustomization (download, verify, build,
# substitute, apply, prune) -> the real API server. Objects are created with kubectl apply of
# the same YAML a Flux user keeps in Git; the CLI verbs have their own tests.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-gitops
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath "$@"; }
gitc() { e2e_git "$tmp/repo" "$@"; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

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
e2e_git_init "$tmp/repo" one
rev1=$(gitc rev-parse HEAD)

# ---- the controller ------------------------------------------------------------------------
e2e_controller_ports
e2e_controller --storage-adv-addr "127.0.0.1:$E2E_STORAGE_PORT"
check "the controller is ready" e2e_controller_ready

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

check "the GitRepository becomes Ready" wait_for 60 e2e_ready gitrepository app
check_output "its revision" "main@sha1:$rev1" "$(jp gitrepository app '{.status.artifact.revision}')"
check "the Kustomization becomes Ready" wait_for 60 e2e_ready kustomization app
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
check "a new commit is applied within the interval" wait_for 60 applied2 "$rev2"
check_output "the change is in the cluster" "hi world" "$(jp configmap greeting '{.data.text}')"

# ---- a removed file is pruned --------------------------------------------------------------
gitc rm -q app/secret-free.yaml
sed -i '/secret-free.yaml/d' "$tmp/repo/app/kustomization.yaml"
gitc commit -q -am three
rev3=$(gitc rev-parse HEAD)
check "the removal is applied" wait_for 60 applied2 "$rev3"
gone() { e2e_gone "$1" "$2" "$ns"; }
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

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
e2e_no_sanitizer_report "no sanitizer report"
finish
