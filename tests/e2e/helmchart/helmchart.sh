#!/usr/bin/env bash
# HelmChart against real sources on loopback: a chart repository served by lighttpd
# (test/helm/repo-start, charts packaged and indexed by the reference helm v4.1.4), the same
# chart pushed with `helm push` to Debian's docker-registry (an OCI HelmRepository), and a
# GitRepository over file:// holding a chart directory with a file:// dependency and a
# dependency on the chart repository. Checks Flux's artifact (<chart>-<version>.tgz, the
# version as revision, latest.tar.gz as status.url), the reasons and messages
# (ChartPullSucceeded "pulled 'demo' chart with version '1.1.0'", ChartPackageSucceeded,
# InvalidChartReference stalls, NoSourceArtifact, SourceUnavailable, AuthenticationFailed),
# version choice by semver, valuesFiles with the generation as build metadata, reconcile
# strategy Revision, cosign verification of the OCI chart, a poll that downloads nothing,
# that each artifact renders with `tide helm template` as helm renders the chart, and that
# deleting the object removes its artifacts.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-helmchart-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath helmchart "$1" "$2"; }
ready() { e2e_ready helmchart "$1" "$2"; }
msg() { e2e_condition helmchart "$1" Ready message; }
reason() { e2e_condition helmchart "$1" Ready reason; }
cond() { e2e_condition helmchart "$1" "$2" "$3"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
helm=$(test/helm/helm-bin)

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- charts: demo 1.0.0 and 1.1.0 (with a values file for valuesFiles), lib 0.3.0 ---------
chart() { # DIR NAME VERSION
  mkdir -p "$1/templates"
  cat > "$1/Chart.yaml" <<YAML
apiVersion: v2
name: $2
version: $3
appVersion: "$3"
description: a test chart
YAML
  printf 'greeting: hello\nreplicas: 1\nnested:\n  a: 1\n  b: 2\n' > "$1/values.yaml"
  printf 'greeting: bonjour\nnested:\n  b: 3\n' > "$1/values-prod.yaml"
  cat > "$1/templates/cm.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-{{ .Chart.Name }}
data:
  greeting: {{ .Values.greeting | quote }}
  version: {{ .Chart.Version | quote }}
  nested: {{ .Values.nested | toJson | quote }}
YAML
}
mkdir -p "$tmp/src" "$tmp/repo/www" "$tmp/arepo/www"
chart "$tmp/src/demo" demo 1.0.0
(cd "$tmp/repo/www" && "$helm" package -u "$tmp/src/demo" >/dev/null)
chart "$tmp/src/demo" demo 1.1.0
(cd "$tmp/repo/www" && "$helm" package "$tmp/src/demo" >/dev/null)
chart "$tmp/src/lib" lib 0.3.0
(cd "$tmp/repo/www" && "$helm" package "$tmp/src/lib" >/dev/null)
"$helm" repo index "$tmp/repo/www"
cp "$tmp/repo/www"/* "$tmp/arepo/www/"
check "a chart repository starts" test/helm/repo-start "$tmp/repo"
e2e_on_exit test/helm/repo-stop "$tmp/repo"
check "a chart repository with basic auth starts" test/helm/repo-start "$tmp/arepo" charts:s3cret
e2e_on_exit test/helm/repo-stop "$tmp/arepo"
base="http://127.0.0.1:$(cat "$tmp/repo/http-port")"
abase="http://127.0.0.1:$(cat "$tmp/arepo/http-port")"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
apply() { k -n "$ns" apply -f - >/dev/null; }
helmrepo() { # NAME URL [EXTRA SPEC LINES]
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: $1}
spec:
  url: "$2"
  interval: 10m
${3:-}
YAML
}
helmchart() { # NAME CHART KIND SOURCE [EXTRA SPEC LINES]
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: $1}
spec:
  chart: "$2"
  sourceRef: {kind: $3, name: $4}
  interval: 10m
${5:-}
YAML
}
hrready() { e2e_ready helmrepository "$1" True; }
fetch() { curl -sf -o "$2" "$(jp "$1" '{.status.artifact.url}')"; }
# render CHART.tgz OUT: tide's helm engine on an artifact
render() { "$TIDE" helm template rel "$1" > "$2" 2>&1; }

# ---- from a chart repository: pulled as it is -------------------------------------------
helmrepo repo "$base"
check "the HelmRepository is Ready" wait_for 60 hrready repo
helmchart latest demo HelmRepository repo
check "version * picks the latest: Ready" wait_for 60 ready latest True
check_output "... reason ChartPullSucceeded" "ChartPullSucceeded" "$(reason latest)"
check_output "... Flux's summary" "pulled 'demo' chart with version '1.1.0'" "$(msg latest)"
check_output "... ArtifactInStorage says the same" "pulled 'demo' chart with version '1.1.0'" \
  "$(cond latest ArtifactInStorage message)"
check_output "... revision is the version" "1.1.0" "$(jp latest '{.status.artifact.revision}')"
check_output "... path" "helmchart/$ns/latest/demo-1.1.0.tgz" "$(jp latest '{.status.artifact.path}')"
check_output "... the archive as the repository serves it" "sha256:$(sha "$tmp/repo/www/demo-1.1.0.tgz")" \
  "$(jp latest '{.status.artifact.digest}')"
check_output "... observedChartName" "demo" "$(jp latest '{.status.observedChartName}')"
check_output "... observedSourceArtifactRevision is the index's" \
  "$(e2e_jsonpath helmrepository repo '{.status.artifact.revision}')" \
  "$(jp latest '{.status.observedSourceArtifactRevision}')"
check_contains "... status.url is the latest.tar.gz link" "/helmchart/$ns/latest/latest.tar.gz" "$(jp latest '{.status.url}')"
check "... the artifact downloads" fetch latest "$tmp/latest.tgz"
check_output "... byte for byte" "$(sha "$tmp/repo/www/demo-1.1.0.tgz")" "$(sha "$tmp/latest.tgz")"
render "$tmp/latest.tgz" "$tmp/latest.out"
"$helm" template rel "$tmp/repo/www/demo-1.1.0.tgz" > "$tmp/latest.helm" 2>&1
check "... renders with tide's helm engine as helm renders it" cmp -s "$tmp/latest.out" "$tmp/latest.helm"
case "$(k -n "$ns" get events --field-selector involvedObject.name=latest -o jsonpath='{range .items[*]}{.reason}|{.message}{"\n"}{end}')" in
*"ChartPullSucceeded|pulled 'demo' chart with version '1.1.0'"*) ok "... a Normal event ChartPullSucceeded" ;;
*) not_ok "... a Normal event ChartPullSucceeded" ;;
esac

helmchart older demo HelmRepository repo "  version: '1.0.x'"
check "a semver range picks 1.0.0: Ready" wait_for 60 ready older True
check_output "... revision" "1.0.0" "$(jp older '{.status.artifact.revision}')"

helmchart nomatch demo HelmRepository repo "  version: '9.x'"
check "no version matching: Ready=False" wait_for 60 ready nomatch False
check_output "... reason InvalidChartReference" "InvalidChartReference" "$(reason nomatch)"
check_output "... Flux's message" \
  "invalid chart reference: failed to get chart version for remote reference: no 'demo' chart with version matching '9.x' found" \
  "$(msg nomatch)"
check_output "... FetchFailed" "True" "$(cond nomatch FetchFailed status)"
check_output "... Stalled" "True" "$(cond nomatch Stalled status)"

helmchart nochart nosuch HelmRepository repo
check "an unknown chart: Ready=False" wait_for 60 ready nochart False
check_contains "... says so" "no chart name found" "$(msg nochart)"

helmchart nosource demo HelmRepository missing
check "a missing HelmRepository: Ready=False" wait_for 60 ready nosource False
check_output "... reason SourceUnavailable" "SourceUnavailable" "$(reason nosource)"
check_output "... Flux's message" \
  "failed to get source: helmrepositories.source.toolkit.fluxcd.io \"missing\" not found" "$(msg nosource)"

# ---- the poll: an unchanged chart is not downloaded again --------------------------------
dl() { grep -c 'GET /demo-1.1.0.tgz' "$tmp/repo/access.log"; }
before=$(dl)
t0=$(jp latest '{.status.artifact.lastUpdateTime}')
k -n "$ns" annotate --overwrite helmchart latest reconcile.fluxcd.io/requestedAt=poll1 >/dev/null
handled() { [ "$(jp latest '{.status.lastHandledReconcileAt}')" = poll1 ]; }
check "a requested reconcile is handled" wait_for 60 handled
check_output "... nothing downloaded" "$before" "$(dl)"
check_output "... the artifact is the same" "$t0" "$(jp latest '{.status.artifact.lastUpdateTime}')"

# ---- basic auth ---------------------------------------------------------------------------
k -n "$ns" create secret generic repo-creds --from-literal=username=charts --from-literal=password=s3cret >/dev/null
helmrepo arepo "$abase" "  secretRef: {name: repo-creds}"
check "a HelmRepository with basic auth is Ready" wait_for 60 hrready arepo
helmchart authed demo HelmRepository arepo
check "a chart from it: Ready (the chart downloaded with the credentials)" wait_for 60 ready authed True
k -n "$ns" create secret generic wrong-creds --from-literal=username=charts --from-literal=password=nope >/dev/null
helmrepo wrongrepo "$abase" "  secretRef: {name: wrong-creds}
  suspend: true"
k -n "$ns" patch helmrepository wrongrepo --subresource=status --type=merge \
  -p "{\"status\":$(k -n "$ns" get helmrepository arepo -o jsonpath='{.status}')}" >/dev/null
helmchart wrongauth demo HelmRepository wrongrepo
check "wrong credentials for the chart: Ready=False" wait_for 60 ready wrongauth False
check_output "... reason AuthenticationFailed" "AuthenticationFailed" "$(reason wrongauth)"
check_contains "... Flux's prefix" "failed to authenticate with the Helm repository: " "$(msg wrongauth)"
case "$(k -n "$ns" get helmcharts -o yaml; cat "$E2E_CTL_LOG")" in
*s3cret*) not_ok "no password in status, events or logs" ;;
*) ok "no password in status, events or logs" ;;
esac

# ---- a source without an artifact ---------------------------------------------------------
helmrepo later "$base/nothere"
helmchart waiting demo HelmRepository later
check "a HelmRepository without an artifact: Ready=False" wait_for 60 ready waiting False
check_output "... reason NoSourceArtifact" "NoSourceArtifact" "$(reason waiting)"
check_output "... Flux's message" "no artifact available for HelmRepository source 'later'" "$(msg waiting)"

# ---- the same chart from an OCI registry (helm push), with a cosign signature --------------
mkdir -p "$tmp/reg"
check "a docker-registry starts" test/oci/registry-start "$tmp/reg" none
e2e_on_exit test/oci/registry-stop "$tmp/reg"
reg="127.0.0.1:$(cat "$tmp/reg/registry-port")"
check "helm push 1.0.0" "$helm" push "$tmp/repo/www/demo-1.0.0.tgz" "oci://$reg/charts" --plain-http
check "helm push 1.1.0" "$helm" push "$tmp/repo/www/demo-1.1.0.tgz" "oci://$reg/charts" --plain-http
helmrepo oci "oci://$reg/charts" "  type: oci
  insecure: true"
helmchart ocilatest demo HelmRepository oci "  version: '>=1.0.0'"
check "an OCI chart by semver: Ready" wait_for 60 ready ocilatest True
check_output "... summary" "pulled 'demo' chart with version '1.1.0'" "$(msg ocilatest)"
check_output "... the archive as pushed" "sha256:$(sha "$tmp/repo/www/demo-1.1.0.tgz")" \
  "$(jp ocilatest '{.status.artifact.digest}')"
helmchart ociexact demo HelmRepository oci "  version: '1.0.0'"
check "an OCI chart by exact version: Ready" wait_for 60 ready ociexact True
check_output "... revision" "1.0.0" "$(jp ociexact '{.status.artifact.revision}')"
helmchart ocinone demo HelmRepository oci "  version: '3.x'"
check "no OCI tag matches: Ready=False" wait_for 60 ready ocinone False
check_contains "... says so" "could not locate a version matching provided version string 3.x" "$(msg ocinone)"

openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/cosign.key" 2>/dev/null
openssl ec -in "$tmp/cosign.key" -pubout -out "$tmp/cosign.pub" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/other.key" 2>/dev/null
openssl ec -in "$tmp/other.key" -pubout -out "$tmp/other.pub" 2>/dev/null
md=$(curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$reg/v2/charts/demo/manifests/1.1.0" |
  tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
printf '{"critical":{"identity":{"docker-reference":"%s/charts/demo"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
  "$reg" "$md" > "$tmp/payload.json"
sig=$(openssl dgst -sha256 -sign "$tmp/cosign.key" "$tmp/payload.json" | base64 -w0)
check "a cosign signature is pushed" test/oci/push --config-type application/vnd.oci.image.config.v1+json \
  --layer-type application/vnd.dev.cosign.simplesigning.v1+json \
  --layer-annotation "dev.cosignproject.cosign/signature=$sig" \
  "http://$reg" charts/demo "sha256-${md#sha256:}.sig" "$tmp/payload.json"
k -n "$ns" create secret generic cosign-keys --from-file=cosign.pub="$tmp/cosign.pub" >/dev/null
k -n "$ns" create secret generic wrong-keys --from-file=cosign.pub="$tmp/other.pub" >/dev/null
helmchart signed demo HelmRepository oci "  version: '1.1.0'
  verify: {provider: cosign, secretRef: {name: cosign-keys}}"
check "a signed OCI chart: Ready" wait_for 60 ready signed True
check_output "... SourceVerified" "verified signature of version 1.1.0" "$(cond signed SourceVerified message)"
helmchart wrongkey demo HelmRepository oci "  version: '1.1.0'
  verify: {provider: cosign, secretRef: {name: wrong-keys}}"
check "the wrong key: Ready=False" wait_for 60 ready wrongkey False
check_output "... reason ChartVerificationError" "ChartVerificationError" "$(reason wrongkey)"
check_output "... SourceVerified False" "False" "$(cond wrongkey SourceVerified status)"
check_output "... no artifact" "" "$(jp wrongkey '{.status.artifact}')"
helmchart keyless demo HelmRepository oci "  version: '1.1.0'
  verify: {provider: cosign}"
check "keyless verification is refused: Ready=False" wait_for 60 ready keyless False
check_contains "... says so" "keyless verification (Fulcio, Rekor) is not supported by tide" "$(msg keyless)"

# ---- from a GitRepository: a chart directory packaged with its dependencies ----------------
g=$tmp/git
chart "$g/charts/app" app 0.1.0
chart "$g/charts/local" local 0.2.0
cat >> "$g/charts/app/Chart.yaml" <<YAML
dependencies:
- name: lib
  version: "0.3.x"
  repository: "$base"
- name: local
  version: ">=0.1.0"
  repository: "file://../local"
YAML
# An alias: Flux names the subchart after it (charts/mine, name: mine), which helm's CLI
# check then misses ("found in Chart.yaml, but missing in charts/ directory: local"); the
# helm-controller never runs that check, so only the packaging is compared here.
chart "$g/charts/aliased" aliased 0.1.0
cat >> "$g/charts/aliased/Chart.yaml" <<YAML
dependencies:
- name: local
  version: ">=0.1.0"
  repository: "file://../local"
  alias: mine
YAML
mkdir -p "$g/env" "$g/packaged"
printf 'greeting: hola\nreplicas: 3\n' > "$g/env/prod.yaml"
cp "$tmp/repo/www/demo-1.0.0.tgz" "$g/packaged/"
e2e_git_init "$g" "charts"
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: git}
spec:
  url: file://$g
  ref: {branch: main}
  interval: 10m
YAML
gready() { e2e_ready gitrepository git True; }
check "the GitRepository is Ready" wait_for 60 gready
helmchart gitapp ./charts/app GitRepository git
check "a chart directory from Git: Ready" wait_for 90 ready gitapp True
check_output "... reason ChartPackageSucceeded" "ChartPackageSucceeded" "$(reason gitapp)"
check_output "... Flux's summary" "packaged 'app' chart with version '0.1.0'" "$(msg gitapp)"
check_output "... revision" "0.1.0" "$(jp gitapp '{.status.artifact.revision}')"
check_output "... observedSourceArtifactRevision" "$(e2e_jsonpath gitrepository git '{.status.artifact.revision}')" \
  "$(jp gitapp '{.status.observedSourceArtifactRevision}')"
case "$(k -n "$ns" get events --field-selector involvedObject.name=gitapp -o jsonpath='{range .items[*]}{.reason}|{.message}{"\n"}{end}')" in
*"ResolvedDependencies|resolved 2 chart dependencies"*) ok "... Trace event: resolved 2 chart dependencies" ;;
*) not_ok "... Trace event: resolved 2 chart dependencies" ;;
esac
check "... the artifact downloads" fetch gitapp "$tmp/gitapp.tgz"
check_output "... holds both dependencies under charts/" "app/charts/lib/Chart.yaml
app/charts/local/Chart.yaml" "$(tar tzf "$tmp/gitapp.tgz" | grep 'charts/[a-z]*/Chart.yaml' | sort)"
cp -r "$g/charts" "$tmp/helmcopy"
(cd "$tmp/helmcopy/app" && "$helm" dependency update . >/dev/null 2>&1)
"$helm" template rel "$tmp/helmcopy/app" > "$tmp/gitapp.helm" 2>&1
render "$tmp/gitapp.tgz" "$tmp/gitapp.out"
check "... renders with tide's helm engine as helm renders the directory after helm dependency update" \
  cmp -s "$tmp/gitapp.out" "$tmp/gitapp.helm"

helmchart gitalias ./charts/aliased GitRepository git
check "an aliased dependency: Ready" wait_for 90 ready gitalias True
fetch gitalias "$tmp/gitalias.tgz"
check_output "... packaged under its alias, renamed as Flux renames it" "name: mine" \
  "$(tar xzf "$tmp/gitalias.tgz" -O aliased/charts/mine/Chart.yaml 2>&1 | grep '^name:')"

helmchart gitvalues ./charts/app GitRepository git "  valuesFiles: [charts/app/values.yaml, env/prod.yaml]"
check "valuesFiles: Ready" wait_for 90 ready gitvalues True
check_output "... the generation as build metadata, the files in the summary" \
  "packaged 'app' chart with version '0.1.0+1' and merged values files [charts/app/values.yaml env/prod.yaml]" \
  "$(msg gitvalues)"
fetch gitvalues "$tmp/gitvalues.tgz"
render "$tmp/gitvalues.tgz" "$tmp/gitvalues.out"
check_contains "... the merged values render" 'greeting: "hola"' "$(cat "$tmp/gitvalues.out")"
check_contains "... merged deeply with the chart's" 'nested: "{\"a\":1,\"b\":2}"' "$(cat "$tmp/gitvalues.out")"

helmchart gitmissing ./charts/app GitRepository git "  valuesFiles: [env/none.yaml]"
check "a missing values file: Ready=False" wait_for 60 ready gitmissing False
check_output "... reason ValuesFilesError" "ValuesFilesError" "$(reason gitmissing)"
check_contains "... Flux's message" "values files merge error: no values file found at path '/env/none.yaml' (reference 'env/none.yaml')" "$(msg gitmissing)"
check_output "... BuildFailed" "True" "$(cond gitmissing BuildFailed status)"
check_output "... Stalled" "True" "$(cond gitmissing Stalled status)"
helmchart gitignore ./charts/app GitRepository git "  valuesFiles: [env/none.yaml, env/prod.yaml]
  ignoreMissingValuesFiles: true"
check "ignoreMissingValuesFiles: Ready" wait_for 90 ready gitignore True
check_output "... observedValuesFiles names the one found" "env/prod.yaml" "$(jp gitignore '{.status.observedValuesFiles[*]}')"

helmchart gitrev ./charts/app GitRepository git "  reconcileStrategy: Revision"
check "reconcileStrategy Revision: Ready" wait_for 90 ready gitrev True
commit=$(e2e_git "$g" rev-parse HEAD)
check_output "... the version carries the commit" "0.1.0+${commit:0:12}" "$(jp gitrev '{.status.artifact.revision}')"

helmchart gittgz ./packaged/demo-1.0.0.tgz GitRepository git
check "a packaged chart in Git: Ready" wait_for 60 ready gittgz True
check_output "... pulled as it is" "pulled 'demo' chart with version '1.0.0'" "$(msg gittgz)"
check_output "... byte for byte" "sha256:$(sha "$tmp/repo/www/demo-1.0.0.tgz")" "$(jp gittgz '{.status.artifact.digest}')"

helmchart gitescape ../../../etc GitRepository git
check "a chart path that leaves the artifact: Ready=False" wait_for 60 ready gitescape False
check_output "... reason InvalidChartReference" "InvalidChartReference" "$(reason gitescape)"

sed -i 's/^version: 0.1.0/version: 0.2.0/' "$g/charts/app/Chart.yaml"
e2e_git "$g" commit -qam "app 0.2.0"
k -n "$ns" annotate --overwrite gitrepository git reconcile.fluxcd.io/requestedAt=bump >/dev/null
newver() { [ "$(jp gitapp '{.status.artifact.revision}')" = 0.2.0 ]; }
check "a new commit with a new chart version: a new artifact (the source's watch)" wait_for 90 newver
check_output "... ArtifactOutdated gone, Ready says the new version" "packaged 'app' chart with version '0.2.0'" "$(msg gitapp)"
newrev() { [ "$(jp gitrev '{.status.artifact.revision}')" = "0.2.0+$(e2e_git "$g" rev-parse HEAD | cut -c1-12)" ]; }
check "... and Revision follows the commit" wait_for 90 newrev

# ---- deletion -------------------------------------------------------------------------------
check "the artifacts of 'older' are in storage" test -d "$tmp/storage/helmchart/$ns/older"
k -n "$ns" delete helmchart older --wait=true --timeout=60s >/dev/null
check "deleting the object removes its artifacts" wait_for 30 bash -c "! test -e '$tmp/storage/helmchart/$ns/older'"

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
drop_finalizers "$ns" helmcharts helmrepositories gitrepositories
e2e_no_sanitizer_report "no sanitizer report"
finish
