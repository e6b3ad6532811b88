#!/usr/bin/env bash
# GitRepository spec fields beyond the basics, in `tide controller` against the real control
# plane with file:// repositories: spec.include (artifacts copied in, includedArtifacts,
# observedInclude, IncludeUnavailable, an includer rebuilt when an included repository moves),
# spec.sparseCheckout (only the listed directories, observedSparseCheckout, a missing
# directory fails), spec.recurseSubmodules (a file:// submodule checked out,
# observedRecurseSubmodules).
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-gitfeat-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath gitrepository "$1" "$2"; }
cond() { e2e_condition gitrepository "$1" "$2" "$3"; }
gitc() { e2e_git "$@"; }
# the artifact's entries, sorted, on one line
content() { curl -sf "$(jp "$1" '{.status.artifact.url}')" | tar tzf - | sort | tr '\n' ' ' | sed 's/ $//'; }
# eq 'command' value: does the command print value? (for wait_for, which re-runs it)
eq() { [ "$(eval "$1")" = "$2" ]; }
export -f jp cond content

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- repositories --------------------------------------------------------------------------
lib="$tmp/lib"
mkdir -p "$lib/manifests/base" "$lib/other"
echo "kind: Service" > "$lib/manifests/base/svc.yaml"
echo "x" > "$lib/other/x.txt"
e2e_git_init "$lib" "lib one"

app="$tmp/app"
mkdir -p "$app/deploy/prod" "$app/docs" "$app/vendor"
echo "kind: ConfigMap" > "$app/deploy/prod/cm.yaml"
echo "kind: Secret" > "$app/deploy.yaml"
echo "notes" > "$app/docs/notes.md"
echo "readme" > "$app/README.md"
e2e_git_init "$app" "app one"
appc=$(gitc "$app" rev-parse HEAD)

sub="$tmp/sub"
mkdir -p "$sub/charts"
echo "kind: Chart" > "$sub/charts/chart.yaml"
e2e_git_init "$sub" "sub one"
super="$tmp/super"
mkdir -p "$super"
echo "top" > "$super/top.yaml"
e2e_git_init "$super" "super one"
gitc "$super" submodule -q add "file://$sub" modules/sub
gitc "$super" commit -q -m "add submodule"

e2e_controller --metrics-addr "" --concurrent 2 --requeue-dependency 2s
check "the controller is ready" e2e_controller_ready

apply() { k -n "$ns" apply -f - >/dev/null; }
ready() { e2e_ready gitrepository "$1" "$2"; }

# ---- spec.include --------------------------------------------------------------------------
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec:
  url: "file://$app"
  interval: 1h
  ref: {branch: main}
  include:
  - repository: {name: lib}
    fromPath: manifests
    toPath: vendor/lib
  - repository: {name: lib}
YAML
check "an include that does not exist yet: IncludeUnavailable=True NotFound" \
  wait_for 30 eq 'echo "$(cond app IncludeUnavailable status)/$(cond app IncludeUnavailable reason)"' "True/NotFound"
check_output "  Ready=False with Flux's message" \
  "False: could not get resource for include 'lib': gitrepositories.source.toolkit.fluxcd.io \"lib\" not found" \
  "$(cond app Ready status): $(cond app Ready message)"
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: lib}
spec: {url: "file://$lib", interval: 2s, ref: {branch: main}}
YAML
check "once the included repository has an artifact the includer becomes Ready" wait_for 30 ready app True
check_output "  IncludeUnavailable is gone" "" "$(cond app IncludeUnavailable status)"
check_output "  the revision is the includer's own commit" "main@sha1:$appc" "$(jp app '{.status.artifact.revision}')"
check_output "  the artifact holds the fromPath at toPath, and the whole repository at its name" \
  "README.md deploy.yaml deploy/ deploy/prod/ deploy/prod/cm.yaml docs/ docs/notes.md lib/ lib/manifests/ lib/manifests/base/ lib/manifests/base/svc.yaml lib/other/ lib/other/x.txt vendor/ vendor/lib/ vendor/lib/base/ vendor/lib/base/svc.yaml" \
  "$(content app)"
check_output "  status.includedArtifacts carry the included revision" \
  "$(jp lib '{.status.artifact.revision}') $(jp lib '{.status.artifact.revision}')" \
  "$(jp app '{.status.includedArtifacts[*].revision}')"
check_output "  status.observedInclude mirrors spec.include" \
  "$(k -n "$ns" get gitrepository app -o jsonpath='{.spec.include}')" \
  "$(jp app '{.status.observedInclude}')"
d1=$(jp app '{.status.artifact.digest}')
echo "kind: Deployment" > "$lib/manifests/base/deploy.yaml"
gitc "$lib" add -A; gitc "$lib" commit -q -m "lib two"
libc2=$(gitc "$lib" rev-parse HEAD)
# app's interval is an hour: only the watch on lib can rebuild it this soon
check "a new commit in the included repository rebuilds the includer (watch)" \
  wait_for 30 eq 'jp app '\''{.status.includedArtifacts[0].revision}'\''' "main@sha1:$libc2"
check "  same revision, new digest, new content" \
  test "$(jp app '{.status.artifact.revision}')" = "main@sha1:$appc" -a "$(jp app '{.status.artifact.digest}')" != "$d1"
check_contains "  the new file is in the artifact" "vendor/lib/base/deploy.yaml" "$(content app)"
served=$(curl -sf "$(jp app '{.status.artifact.url}')" | sha256sum | cut -d' ' -f1)
check_output "  the served artifact matches the digest" "$(jp app '{.status.artifact.digest}')" "sha256:$served"

# an included repository without an artifact
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: broken}
spec: {url: "file://$lib", interval: 1h, ref: {branch: nope}}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app2}
spec:
  url: "file://$app"
  interval: 1h
  include: [{repository: {name: broken}}]
YAML
check "an include without an artifact: IncludeUnavailable=True NoArtifact" \
  wait_for 30 eq 'echo "$(cond app2 IncludeUnavailable reason): $(cond app2 IncludeUnavailable message)"' "NoArtifact: no artifact available for include 'broken'"
check_output "  Ready=False" "False/NoArtifact" "$(cond app2 Ready status)/$(cond app2 Ready reason)"

# a fromPath that is not in the included artifact
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app3}
spec:
  url: "file://$app"
  interval: 1h
  include: [{repository: {name: lib}, fromPath: nothere, toPath: x}]
YAML
check "a missing fromPath: StorageOperationFailed CopyFailure" \
  wait_for 30 eq 'cond app3 StorageOperationFailed reason' "CopyFailure"
check_contains "  message names the include" "failed to copy 'lib' include from nothere to x" \
  "$(cond app3 Ready message)"

# removing the include drops the observations
k -n "$ns" patch gitrepository app --type=json -p '[{"op":"remove","path":"/spec/include"}]' >/dev/null
check "removing spec.include rebuilds without the included files" \
  wait_for 30 eq 'content app' "README.md deploy.yaml deploy/ deploy/prod/ deploy/prod/cm.yaml docs/ docs/notes.md"
check_output "  observedInclude and includedArtifacts are gone" "/" \
  "$(jp app '{.status.observedInclude}')/$(jp app '{.status.includedArtifacts}')"

# ---- spec.sparseCheckout -------------------------------------------------------------------
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: sparse}
spec:
  url: "file://$app"
  interval: 1h
  sparseCheckout: ["./deploy/prod", docs]
YAML
check "sparseCheckout: Ready" wait_for 30 ready sparse True
check_output "  only the listed directories are in the artifact" \
  "deploy/ deploy/prod/ deploy/prod/cm.yaml docs/ docs/notes.md" "$(content sparse)"
check_output "  observedSparseCheckout" '["./deploy/prod","docs"]' "$(jp sparse '{.status.observedSparseCheckout}')"
check_output "  the revision is the commit's" "main@sha1:$appc" "$(jp sparse '{.status.artifact.revision}')"
k -n "$ns" patch gitrepository sparse --type=merge -p '{"spec":{"sparseCheckout":["docs"]}}' >/dev/null
check "changing sparseCheckout rebuilds the same revision" wait_for 30 eq 'content sparse' "docs/ docs/notes.md"
k -n "$ns" patch gitrepository sparse --type=merge -p '{"spec":{"sparseCheckout":["nothere"]}}' >/dev/null
check "a directory missing from the repository: FetchFailed" \
  wait_for 30 eq 'cond sparse FetchFailed reason' "GitOperationFailed"
check_contains "  Flux's message" "failed to sparse checkout directories : sparse checkout dir 'nothere' does not exist in repository" \
  "$(cond sparse Ready message)"
check_output "  the last artifact stays" "docs/ docs/notes.md" "$(content sparse)"

# ---- spec.recurseSubmodules ----------------------------------------------------------------
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: super}
spec: {url: "file://$super", interval: 1h, recurseSubmodules: true}
YAML
check "recurseSubmodules: Ready" wait_for 30 ready super True
check_output "  the submodule's files are in the artifact" \
  "modules/ modules/sub/ modules/sub/charts/ modules/sub/charts/chart.yaml top.yaml" "$(content super)"
check_output "  observedRecurseSubmodules" "true" "$(jp super '{.status.observedRecurseSubmodules}')"
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: nosub}
spec: {url: "file://$super", interval: 1h}
YAML
check "without recurseSubmodules the submodule directory stays empty" \
  wait_for 30 eq 'content nosub' "modules/ modules/sub/ top.yaml"
check_output "  no observedRecurseSubmodules" "" "$(jp nosub '{.status.observedRecurseSubmodules}')"
# a new commit in the submodule, recorded in the superproject
echo "kind: Chart2" > "$sub/charts/two.yaml"
gitc "$sub" add -A; gitc "$sub" commit -q -m "sub two"
gitc "$super/modules/sub" pull -q origin main
gitc "$super" commit -q -am "bump sub"
k -n "$ns" annotate gitrepository super --overwrite reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
check "a bumped submodule commit is fetched" wait_for 30 bash -c "content super | grep -q modules/sub/charts/two.yaml"
# a submodule whose URL cannot be fetched
mv "$sub" "$tmp/sub-moved"
gitc "$super" commit -q --allow-empty -m "trigger"
k -n "$ns" annotate gitrepository nosub --overwrite reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
k -n "$ns" patch gitrepository nosub --type=merge -p '{"spec":{"recurseSubmodules":true}}' >/dev/null
check "a submodule that cannot be fetched: FetchFailed naming it" \
  wait_for 30 bash -c "cond nosub Ready message | grep -q \"failed to update submodule 'modules/sub'\""

# ---- spec.timeout --------------------------------------------------------------------------
# a server that accepts connections and never answers
python3 -c '
import os, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(s.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$tmp/hang-port" & hang=$!
e2e_on_exit e2e_kill "$hang"
check "a listener that never answers is up" wait_for 60 test -s "$tmp/hang-port"
hport=$(cat "$tmp/hang-port")
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: hang}
spec: {url: "http://127.0.0.1:$hport/repo.git", interval: 1h, timeout: 2s}
YAML
start=$SECONDS
check "a server that never answers: Ready=False with a timeout within the 2s spec.timeout" \
  wait_for 30 eq 'cond hang FetchFailed reason' "GitOperationFailed"
check "  well before libgit2's own (absent) timeout" test $((SECONDS - start)) -lt 20
check_output "  Flux's message" \
  "failed to checkout and determine revision: unable to clone 'http://127.0.0.1:$hport/repo.git': context deadline exceeded" \
  "$(cond hang Ready message)"
# the worker is free again: another object still reconciles
gitc "$app" commit -q --allow-empty -m "app two"
k -n "$ns" annotate gitrepository sparse --overwrite reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
k -n "$ns" patch gitrepository sparse --type=merge -p '{"spec":{"sparseCheckout":["deploy"]}}' >/dev/null
check "  other repositories still reconcile" wait_for 30 eq 'content sparse' "deploy/ deploy/prod/ deploy/prod/cm.yaml"
kill "$hang" 2>/dev/null; wait "$hang" 2>/dev/null

e2e_no_sanitizer_report "no sanitizer reports in the controller log"
[ "$E2E_FAILED" = 0 ] || tail -n 30 "$E2E_CTL_LOG" | sed 's/^/#   /'
e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
finish
