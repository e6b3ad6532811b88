#!/usr/bin/env bash
# The GitRepository controller in `tide controller` against the real control plane, with Git
# repositories on disk (file://) and behind git http-backend (smart HTTP, basic auth):
# Ready with Flux's revision, the served artifact matches the digest, ignore rules, new commits,
# requestedAt, failures (missing branch, bad password, missing secret) keep the last artifact,
# deletion cleans storage, metrics and events.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-gitrepo-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath gitrepository "$1" "$2"; }
gitc() { e2e_git "$@"; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- repositories --------------------------------------------------------------------------
r="$tmp/repo"
mkdir -p "$r/deploy" "$r/docs" "$r/.github"
echo "kind: ConfigMap" > "$r/deploy/cm.yaml"
echo "notes" > "$r/docs/notes.md"
echo "ci" > "$r/.github/ci.yml"
printf 'docs/\n' > "$r/.sourceignore"
e2e_git_init "$r" "first commit"
gitc "$r" tag v1.0.0
gitc "$r" branch other
c1=$(gitc "$r" rev-parse HEAD)
e2e_git_serve "$r" "$tmp/http" app
e2e_git_http "$tmp/http" "alice:s3cret"
hurl="http://127.0.0.1:$(cat "$tmp/http/http-port")/app.git"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
sp=$E2E_STORAGE_PORT mp=$E2E_METRICS_PORT

apply() { k -n "$ns" apply -f - >/dev/null; }
ready() { e2e_ready gitrepository "$1" "$2"; }

# ---- file:// -------------------------------------------------------------------------------
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: local}
spec: {url: "file://$r", interval: 2s, ref: {branch: main}}
YAML
check "file:// GitRepository becomes Ready" wait_for 30 ready local True
check_output "revision in Flux's format" "main@sha1:$c1" "$(jp local '{.status.artifact.revision}')"
check_output "Ready message" "stored artifact for revision 'main@sha1:$c1'" \
  "$(jp local '{.status.conditions[?(@.type=="Ready")].message}')"
check_output "ArtifactInStorage" "True/Succeeded" \
  "$(jp local '{.status.conditions[?(@.type=="ArtifactInStorage")].status}')/$(jp local '{.status.conditions[?(@.type=="ArtifactInStorage")].reason}')"
check_output "path in Flux's layout" "gitrepository/$ns/local/$c1.tar.gz" "$(jp local '{.status.artifact.path}')"
url=$(jp local '{.status.artifact.url}')
check_output "url on the storage address" "http://127.0.0.1:$sp/gitrepository/$ns/local/$c1.tar.gz" "$url"
curl -sf "$url" -o "$tmp/a.tar.gz"
check_output "served artifact matches the digest" "$(jp local '{.status.artifact.digest}')" \
  "sha256:$(sha256sum "$tmp/a.tar.gz" | cut -d' ' -f1)"
check_output "size matches" "$(stat -c %s "$tmp/a.tar.gz")" "$(jp local '{.status.artifact.size}')"
check_output "artifact content: .sourceignore and default excludes applied" \
  ".sourceignore deploy/ deploy/cm.yaml" "$(tar tzf "$tmp/a.tar.gz" | sort | tr '\n' ' ' | sed 's/ $//')"
check_output "the Git cache is not served" "404" \
  "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$sp/.cache/gitrepository/$ns/local/HEAD")"
check_output "observedGeneration" "1" "$(jp local '{.status.observedGeneration}')"
check_contains "a NewArtifact event naming the commit" "stored artifact for commit 'first commit'" \
  "$(k -n "$ns" get events --field-selector involvedObject.name=local -o jsonpath='{.items[*].message}')"

# ---- a new commit within the interval; the digest is stable for an unchanged tree ----------
d1=$(jp local '{.status.artifact.digest}')
echo "kind: Secret" > "$r/deploy/s.yaml"; gitc "$r" add -A; gitc "$r" commit -q -m "second"
c2=$(gitc "$r" rev-parse HEAD)
rev_is() { [ "$(jp "$1" '{.status.artifact.revision}')" = "$2" ]; }
check "a new commit is picked up within the interval" wait_for 30 rev_is local "main@sha1:$c2"
gitc "$r" commit -q --allow-empty -m "empty"
c3=$(gitc "$r" rev-parse HEAD)
check "an empty commit gives a new revision" wait_for 30 rev_is local "main@sha1:$c3"
d2=$(jp local '{.status.artifact.digest}')
gitc "$r" commit -q --allow-empty -m "empty again"
c4=$(gitc "$r" rev-parse HEAD)
wait_for 30 rev_is local "main@sha1:$c4"
check_output "same tree, same digest (deterministic tarball)" "$d2" "$(jp local '{.status.artifact.digest}')"
[ "$d1" != "$d2" ] && ok "a changed tree changes the digest" || not_ok "a changed tree changes the digest"
check_output "old artifacts are garbage-collected (2 kept)" "2" "$(ls "$tmp/storage/gitrepository/$ns/local" | wc -l | tr -d ' ')"

# ---- spec.ignore, refs ---------------------------------------------------------------------
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: tagged}
spec:
  url: "file://$r"
  interval: 1h
  ref: {semver: ">=1.0.0 <2.0.0"}
  ignore: |
    /*
    !/deploy/
YAML
check "semver ref becomes Ready" wait_for 30 ready tagged True
check_output "semver revision names the tag" "v1.0.0@sha1:$c1" "$(jp tagged '{.status.artifact.revision}')"
curl -sf "$(jp tagged '{.status.artifact.url}')" -o "$tmp/t.tar.gz"
check_output "spec.ignore applied" "deploy/ deploy/cm.yaml" "$(tar tzf "$tmp/t.tar.gz" | sort | tr '\n' ' ' | sed 's/ $//')"
check_contains "observedIgnore recorded" '!/deploy/' "$(jp tagged '{.status.observedIgnore}')"

# ---- requestedAt ---------------------------------------------------------------------------
k -n "$ns" annotate --overwrite gitrepository tagged reconcile.fluxcd.io/requestedAt=now-1 >/dev/null
handled() { [ "$(jp tagged '{.status.lastHandledReconcileAt}')" = now-1 ]; }
check "a requested reconcile is handled" wait_for 30 handled

# ---- HTTP with basic auth ------------------------------------------------------------------
k -n "$ns" create secret generic http-auth --from-literal=username=alice --from-literal=password=s3cret >/dev/null
k -n "$ns" create secret generic http-bad --from-literal=username=alice --from-literal=password=wrong >/dev/null
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: http}
spec: {url: "$hurl", interval: 1h, ref: {branch: main}, secretRef: {name: http-auth}}
YAML
check "HTTP with basic auth becomes Ready" wait_for 30 ready http True
check_output "HTTP revision" "main@sha1:$c1" "$(jp http '{.status.artifact.revision}')"
k -n "$ns" patch gitrepository http --type merge -p '{"spec":{"secretRef":{"name":"http-bad"}}}' >/dev/null
check "a wrong password: Ready=False" wait_for 30 ready http False
msg=$(jp http '{.status.conditions[?(@.type=="Ready")].message}')
check_contains "... with Flux's message" "failed to checkout and determine revision" "$msg"
case "$msg" in *wrong*) not_ok "the message holds no secret";; *) ok "the message holds no secret";; esac
check_output "... FetchFailed is True, reason GitOperationFailed (as Flux's checkout error)" "True/GitOperationFailed" \
  "$(jp http '{.status.conditions[?(@.type=="FetchFailed")].status}')/$(jp http '{.status.conditions[?(@.type=="FetchFailed")].reason}')"
check_output "... the last artifact stays in status" "main@sha1:$c1" "$(jp http '{.status.artifact.revision}')"
check "... and stays served" curl -sf -o /dev/null "$(jp http '{.status.artifact.url}')"
k -n "$ns" patch gitrepository http --type merge -p '{"spec":{"secretRef":{"name":"nope"}}}' >/dev/null
msg_has() { case "$(jp "$1" '{.status.conditions[?(@.type=="Ready")].message}')" in *"$2"*) return 0;; esac; return 1; }
check "a missing secret: Ready=False naming the secret" wait_for 30 msg_has http "failed to get secret '$ns/nope'"
check_output "... reason AuthenticationFailed" "AuthenticationFailed" "$(jp http '{.status.conditions[?(@.type=="Ready")].reason}')"

# ---- a missing branch ----------------------------------------------------------------------
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: nobranch}
spec: {url: "file://$r", interval: 1h, ref: {branch: does-not-exist}}
YAML
check "a missing branch: Ready=False" wait_for 30 ready nobranch False
check_output "... reason GitOperationFailed" "GitOperationFailed" "$(jp nobranch '{.status.conditions[?(@.type=="Ready")].reason}')"

# ---- metrics, deletion ---------------------------------------------------------------------
check_contains "metrics: gotk_reconcile_condition for the object" \
  "gotk_reconcile_condition{kind=\"GitRepository\",name=\"local\",namespace=\"$ns\",type=\"Ready\",status=\"True\"} 1" \
  "$(curl -sf "http://127.0.0.1:$mp/metrics")"
k -n "$ns" delete gitrepository local --wait=false >/dev/null
gone() { e2e_gone gitrepository "$1" "$ns"; }
check "deletion completes (finalizer removed)" wait_for 30 gone local
check "deletion removes the object's storage" test ! -e "$tmp/storage/gitrepository/$ns/local"
check "... and its Git cache" test ! -e "$tmp/storage/.cache/gitrepository/$ns/local"

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
e2e_no_sanitizer_report "no sanitizer report"
finish
