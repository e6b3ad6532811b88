#!/usr/bin/env bash
# HelmRepository against static chart repositories served by lighttpd on loopback
# (test/helm/repo-start): the index stored as fetched with Flux's revision (the sha256 of
# the bytes), status.url (the index.yaml link), Flux's NewArtifact event; a changed index is
# a new revision, an unchanged one rebuilds nothing; basic auth from secretRef; a redirect
# followed; Flux's messages for a missing index, an index without apiVersion, missing
# credentials and an oci:// URL on a default repository; type oci is a static object;
# deletion removes the artifacts.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-helmrepo-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath helmrepository "$1" "$2"; }
ready() { e2e_ready helmrepository "$1" "$2"; }
msg() { e2e_condition helmrepository "$1" Ready message; }
cond() { e2e_condition helmrepository "$1" "$2" "$3"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

index() { # FILE VERSION
  cat > "$1" <<YAML
apiVersion: v1
entries:
  podinfo:
  - apiVersion: v2
    name: podinfo
    version: $2
    urls:
    - podinfo-$2.tgz
    digest: 0000000000000000000000000000000000000000000000000000000000000000
    created: "2026-01-01T00:00:00Z"
generated: "2026-01-01T00:00:00Z"
YAML
}
mkdir -p "$tmp/anon/www" "$tmp/auth/www"
index "$tmp/anon/www/index.yaml" 6.0.0
cp "$tmp/anon/www/index.yaml" "$tmp/auth/www/index.yaml"
mkdir -p "$tmp/anon/www/bad" "$tmp/anon/www/empty"
printf 'entries: {}\n' > "$tmp/anon/www/bad/index.yaml"
: > "$tmp/anon/www/empty/index.yaml"
check "an anonymous chart repository starts" test/helm/repo-start "$tmp/anon"
e2e_on_exit test/helm/repo-stop "$tmp/anon"
check "a chart repository with basic auth starts" test/helm/repo-start "$tmp/auth" charts:s3cret
e2e_on_exit test/helm/repo-stop "$tmp/auth"
base="http://127.0.0.1:$(cat "$tmp/anon/http-port")"
abase="http://127.0.0.1:$(cat "$tmp/auth/http-port")"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
apply() { k -n "$ns" apply -f - >/dev/null; }
helmrepo() { # name url [extra spec lines]
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: $1}
spec:
  url: "$2"
  interval: 1h
${3:-}
YAML
}

helmrepo podinfo "$base"
check "a chart repository: Ready" wait_for 60 ready podinfo True
rev="sha256:$(sha "$tmp/anon/www/index.yaml")"
check_output "... the revision is the index's sha256" "$rev" "$(jp podinfo '{.status.artifact.revision}')"
check_output "... Ready's message" "stored artifact: revision '$rev'" "$(msg podinfo)"
check_output "... the artifact's name" "helmrepository/$ns/podinfo/index-${rev#sha256:}.yaml" "$(jp podinfo '{.status.artifact.path}')"
check "... the artifact downloads" curl -sf -o "$tmp/got.yaml" "$(jp podinfo '{.status.artifact.url}')"
check "... the index as fetched" cmp "$tmp/got.yaml" "$tmp/anon/www/index.yaml"
check_contains "... status.url is the index.yaml link" "/helmrepository/$ns/podinfo/index.yaml" "$(jp podinfo '{.status.url}')"
check "... which downloads the same" bash -c "curl -sf '$(jp podinfo '{.status.url}')' | cmp - '$tmp/anon/www/index.yaml'"
size=$(stat -c %s "$tmp/anon/www/index.yaml")
events=$(k -n "$ns" get events --field-selector involvedObject.name=podinfo -o jsonpath='{range .items[*]}{.reason}: {.message}{"\n"}{end}')
check_contains "... a NewArtifact event with the size" "NewArtifact: stored fetched index of size ${size}B from '$base'" "$events"

# ---- unchanged, then changed --------------------------------------------------------------------
when=$(jp podinfo '{.status.artifact.lastUpdateTime}')
sleep 1
k -n "$ns" annotate --overwrite helmrepository podinfo reconcile.fluxcd.io/requestedAt=poll1 >/dev/null
check "an unchanged index is handled" wait_for 30 bash -c "[ \"\$(e2e_jsonpath helmrepository podinfo '{.status.lastHandledReconcileAt}')\" = poll1 ]"
check_output "... nothing rebuilt" "$when" "$(jp podinfo '{.status.artifact.lastUpdateTime}')"
index "$tmp/anon/www/index.yaml" 6.1.0
rev2="sha256:$(sha "$tmp/anon/www/index.yaml")"
k -n "$ns" annotate --overwrite helmrepository podinfo reconcile.fluxcd.io/requestedAt=poll2 >/dev/null
check "a changed index: the new revision" wait_for 60 bash -c "[ \"\$(e2e_jsonpath helmrepository podinfo '{.status.artifact.revision}')\" = '$rev2' ]"

# ---- redirects, auth ----------------------------------------------------------------------------
helmrepo moved "$base/moved/"
check "a redirected index: Ready" wait_for 60 ready moved True
helmrepo noauth "$abase"
check "a private repository without credentials: Ready=False" wait_for 60 ready noauth False
check_output "... Flux's message" "failed to fetch Helm repository index: failed to fetch $abase/index.yaml : 401 Unauthorized" "$(msg noauth)"
k -n "$ns" create secret generic creds --from-literal=username=charts --from-literal=password=s3cret >/dev/null
helmrepo withauth "$abase" "  secretRef: {name: creds}"
check "with a basic-auth secretRef: Ready" wait_for 60 ready withauth True
k -n "$ns" create secret generic halfcreds --from-literal=username=charts >/dev/null
helmrepo half "$abase" "  secretRef: {name: halfcreds}"
check "a secret with a username only: Ready=False" wait_for 60 ready half False
check_contains "... Flux's message" "malformed basic auth - has 'username' but missing 'password'" "$(msg half)"
check_output "... reason AuthenticationFailed" "AuthenticationFailed" "$(cond half FetchFailed reason)"

# ---- failures ---------------------------------------------------------------------------------
helmrepo missing "$base/nothing-here"
check "no index: Ready=False" wait_for 60 ready missing False
check_output "... Flux's message" "failed to fetch Helm repository index: failed to fetch $base/nothing-here/index.yaml : 404 Not Found" "$(msg missing)"
helmrepo bad "$base/bad"
check "an index without apiVersion: Ready=False" wait_for 60 ready bad False
check_output "... Flux's message" "failed to load Helm repository from index YAML: no API version specified" "$(msg bad)"
check_output "... reason IndexationFailed" "IndexationFailed" "$(cond bad FetchFailed reason)"
helmrepo empty "$base/empty"
check "an empty index: Ready=False" wait_for 60 ready empty False
check_contains "... Flux's message" "empty index.yaml file" "$(msg empty)"
helmrepo ocidefault "oci://127.0.0.1:5000/charts"
check "an oci:// URL on a default repository: Stalled" wait_for 60 bash -c "[ \"\$(e2e_condition helmrepository ocidefault Stalled status)\" = True ]"
check_output "... Flux's message" "invalid Helm repository URL: 'oci' URL scheme cannot be used with 'default' HelmRepository type" "$(msg ocidefault)"
helmrepo oci "oci://127.0.0.1:5000/charts" "  type: oci"
check "type oci: handled" wait_for 30 bash -c "[ -n \"\$(e2e_jsonpath helmrepository oci '{.status.observedGeneration}')\" ]"
check_output "... a static object: no artifact, no conditions" "" "$(jp oci '{.status.artifact}{.status.conditions}')"
case "$(k -n "$ns" get helmrepositories -o yaml; cat "$E2E_CTL_LOG")" in
*s3cret*) not_ok "no password in status or logs" ;; *) ok "no password in status or logs" ;; esac

check "the artifacts of 'moved' are in storage" test -d "$tmp/storage/helmrepository/$ns/moved"
k -n "$ns" delete helmrepository moved --wait=true --timeout=60s >/dev/null
check "deleting the object removes its artifacts" wait_for 30 bash -c "! test -e '$tmp/storage/helmrepository/$ns/moved'"

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
drop_finalizers "$ns" helmrepositories
e2e_no_sanitizer_report "no sanitizer report"
finish
