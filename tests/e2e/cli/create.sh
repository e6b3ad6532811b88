#!/usr/bin/env bash
# create source git / create kustomization, reconcile and delete against a real cluster.
# --export must print what flux prints for the same flags (tests/e2e/cli/expected/). No
# controller runs here: the waits end at --timeout with flux's "context deadline exceeded",
# and for reconcile a background loop plays the controller (copies requestedAt into
# status.lastHandledReconcileAt and sets Ready), so the success path is exercised too.
source "$(dirname "$0")/../lib.sh"
here=$(dirname "$0")
ns=e2e-cli-create

check "tide install" "$TIDE" install
"$KUBECTL" delete namespace "$ns" --ignore-not-found >/dev/null 2>&1
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1

# ---- --export ----
check_output "create source git --export is flux's YAML" "$(cat "$here/expected/create-source-git.yaml")" \
	"$("$TIDE" create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --export)"
check_output "create kustomization --export is flux's YAML" "$(cat "$here/expected/create-kustomization.yaml")" \
	"$("$TIDE" create kustomization podinfo --source=podinfo --path=./kustomize --prune=true --interval=10m \
		--target-namespace=default --wait --health-check-timeout=3m --export)"
check_output "create source helm --export is flux's YAML" "$(cat "$here/expected/create-source-helm.yaml")" \
	"$("$TIDE" create source helm podinfo --url=https://stefanprodan.github.io/podinfo --interval=10m --export)"
check_output "create source oci --export is flux's YAML" "$(cat "$here/expected/create-source-oci.yaml")" \
	"$("$TIDE" create source oci podinfo --url=oci://ghcr.io/stefanprodan/manifests/podinfo --tag=6.6.2 --interval=10m --export)"
check_output "create source chart --export is flux's YAML" "$(cat "$here/expected/create-source-chart.yaml")" \
	"$("$TIDE" create source chart podinfo --source=HelmRepository/podinfo --chart=podinfo --chart-version=6.x --interval=10m --export)"
check_contains "chart: the source kind matched without case, verify" "  sourceRef:
    kind: GitRepository
    name: repo
  verify:
    provider: cosign
    secretRef:
      name: keys" \
	"$("$TIDE" create source chart c --source=gitrepository/repo --chart=./charts/c --reconcile-strategy=Revision --verify-provider=cosign --verify-secret-ref=keys --export)"
check_contains "an oci:// HelmRepository has type oci" "  type: oci" \
	"$("$TIDE" create source helm charts --url=oci://ghcr.io/stefanprodan/charts --export)"
out=$("$TIDE" create source oci app --url=oci://r/app --digest=sha256:abc --verify-provider=cosign --verify-issuer=iss \
	--layer-selector=application/vnd.cncf.helm.chart.content.v1.tar+gzip:copy --export)
check_contains "oci: verify with an OIDC identity" "  verify:
    matchOIDCIdentity:
    - issuer: iss
      subject: \"\"
    provider: cosign" "$out"
check_contains "oci: layer selector" "  layerSelector:
    mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip
    operation: copy" "$out"
check_output "create helmrelease --export is flux's YAML" "$(cat "$here/expected/create-helmrelease.yaml")" \
	"$("$TIDE" create hr podinfo --source=HelmRepository/podinfo --chart=podinfo --chart-version='>4.0.0' --interval=10m --export)"
vals=$E2E_TMP/values; mkdir -p "$vals"
printf 'replicaCount: 2\nimage:\n  tag: "1.0"\n' > "$vals/a.yaml"; printf 'image:\n  pullPolicy: Always\n' > "$vals/b.yaml"
out=$("$TIDE" create hr podinfo --source=HelmRepository/podinfo.flux-system --chart=podinfo --values="$vals/a.yaml,$vals/b.yaml" \
	--values-from=secret/s --crds=CreateReplace --target-namespace=apps --create-target-namespace --export)
check_contains "helmrelease: values files merged in order" "  values:
    image:
      pullPolicy: Always
      tag: \"1.0\"
    replicaCount: 2
  valuesFrom:
  - kind: Secret
    name: s" "$out"
check_contains "helmrelease: crds, target and storage namespace" "  install:
    crds: Create
    createNamespace: true
  interval: 1m0s
  storageNamespace: apps
  targetNamespace: apps
  upgrade:
    crds: CreateReplace" "$out"
check_contains "helmrelease: chartRef" "  chartRef:
    kind: OCIRepository
    name: podinfo
    namespace: flux-system" "$("$TIDE" create hr p --chart-ref=OCIRepository/podinfo.flux-system --export)"
rm -rf "$vals"
check_output "create alert-provider --export is flux's YAML" "$(cat "$here/expected/create-alert-provider.yaml")" \
	"$("$TIDE" create alert-provider slack --type slack --channel general --address https://hooks.slack.com/services/T0000/B0000/XXXX --secret-ref webhook-url --export)"
check_output "create alert --export is flux's YAML" "$(cat "$here/expected/create-alert.yaml")" \
	"$("$TIDE" create alert --event-severity info --event-source Kustomization/flux-system --provider-ref slack flux-system --export)"
check_output "create receiver --export is flux's YAML" "$(cat "$here/expected/create-receiver.yaml")" \
	"$("$TIDE" create receiver github-receiver --type github --event ping --event push --secret-ref webhook-token --resource GitRepository/webapp --resource HelmRepository/webapp --export)"
out=$("$TIDE" create source git x --url=https://h/r --tag-semver='>=1.0.0' --branch=main --label env=prod,team=a \
	--ignore-paths='/*,!/deploy' --fetch-timeout=90s --secret-ref=creds -n apps --export)
want=$(cat <<'YAML'
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  labels:
    env: prod
    team: a
  name: x
  namespace: apps
spec:
  ignore: |-
    /*
    !/deploy
  interval: 1m0s
  ref:
    semver: '>=1.0.0'
  secretRef:
    name: creds
  timeout: 1m30s
  url: https://h/r
YAML
)
check_output "create source git: semver wins over branch; labels, ignore, timeout, secretRef" "$want" "$out"
out=$("$TIDE" create ks a --source=OCIRepository/app.other --path=./ --depends-on=base,infra/crds --export)
check_contains "kustomization: sourceRef kind/name.namespace" "    kind: OCIRepository
    name: app
    namespace: other" "$out"
check_contains "kustomization: prune is always written" "  prune: false" "$out"
check_contains "kustomization: dependsOn with namespaces" "  - name: base
  - name: crds
    namespace: infra" "$out"

# ---- flag errors: one line, exit 1 ----
err() { local name=$1 want=$2; shift 2; local o rc; o=$("$@" 2>&1); rc=$?
	check_output "$name" "$want" "$o"; check_output "$name: exit 1" 1 "$rc"; }
err "url is required" "✗ url is required" "$TIDE" create source git x --branch=main --export
err "a ref is required" "✗ a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver" \
	"$TIDE" create source git x --url=https://h/r --export
err "bad scheme" "✗ git URL scheme 'ftp' not supported, can be: ssh, http, https and file" "$TIDE" create source git x --url=ftp://h/r --branch=m --export
err "path must begin with ./" "✗ path must begin with ./" "$TIDE" create ks x --source=s --path=deploy --export
err "source is required" "✗ source is required" "$TIDE" create ks x --path=./ --export
err "bad source kind" "✗ invalid argument \"Foo/x\" for \"--source\" flag: source kind 'Foo' is not supported, must be one of: GitRepository, OCIRepository, Bucket" \
	"$TIDE" create ks x --source=Foo/x --path=./ --export
err "bad label" "✗ invalid label format 'nolabel', must be key=value" "$TIDE" create ks x --source=s --path=./ --label nolabel --export
err "bad interval" "✗ invalid argument \"soon\" for \"--interval\" flag: time: invalid duration \"soon\"" \
	"$TIDE" create ks x --source=s --path=./ --interval=soon --export
err "helm: bad scheme" "✗ url scheme 'ftp' not supported, can be: http, https and oci" "$TIDE" create source helm x --url=ftp://h --export
err "oci: a ref is required" "✗ --tag, --tag-semver or --digest is required" "$TIDE" create source oci x --url=oci://r/x --export
err "oci: bad layer selector" "✗ invalid --layer-selector \"x\": must be in the format '<media-type>:<operation>'" \
	"$TIDE" create source oci x --url=oci://r/x --tag=1 --layer-selector=x --export
err "oci: verify secret without provider" "✗ a verification provider must be specified when a secret is specified" \
	"$TIDE" create source oci x --url=oci://r/x --tag=1 --verify-secret-ref=s --export
err "chart: a source is required" "✗ chart source is required" "$TIDE" create source chart x --chart=c --export
err "chart: a chart is required" "✗ chart name or path is required" "$TIDE" create source chart x --source=Bucket/b --export
err "chart: bad source kind" "✗ invalid argument \"OCIRepository/x\" for \"--source\" flag: source kind 'OCIRepository' is not supported, must be one of: HelmRepository, GitRepository, Bucket" \
	"$TIDE" create source chart x --source=OCIRepository/x --chart=c --export
err "hr: chart required" "✗ chart or chart-ref is required" "$TIDE" create hr x --export
err "hr: chart and chart-ref" "✗ cannot use --chart in combination with --chart-ref" "$TIDE" create hr x --chart=c --chart-ref=HelmChart/c --export
err "hr: bad strategy" "✗ 'Later' is an invalid reconcile strategy(valid: Revision, ChartVersion)" \
	"$TIDE" create hr x --source=HelmRepository/r --chart=c --reconcile-strategy=Later --export
err "hr: missing values file" "✗ reading values from /nonexistent.yaml failed: '/nonexistent.yaml': no such file" \
	"$TIDE" create hr x --source=HelmRepository/r --chart=c --values=/nonexistent.yaml --export
err "provider: type required" "✗ Provider type is required" "$TIDE" create alert-provider x --export
err "alert: provider ref required" "✗ provider ref is required" "$TIDE" create alert x --event-source=Kustomization/a --export
err "alert: an event source required" "✗ at least one event source is required" "$TIDE" create alert x --provider-ref=p --export
err "receiver: bad type" "✗ invalid argument \"svn\" for \"--type\" flag: unsupported receiver type 'svn', must be one of: generic, generic-hmac, github, gitlab, gitea, bitbucket, harbor, dockerhub, quay, gcr, nexus, acr, cdevents" \
	"$TIDE" create receiver x --type=svn --secret-ref=s --resource=GitRepository/a --export
err "receiver: secret ref required" "✗ secret ref is required" "$TIDE" create receiver x --type=github --resource=GitRepository/a --export
check_fails "unknown create kind fails" "$TIDE" create widget x

# ---- create on the cluster: upsert, then the wait times out (no controller) ----
out=$("$TIDE" create source git podinfo -n "$ns" --url=https://example.invalid/podinfo --branch=main --timeout=3s 2>&1); rc=$?
check_output "create source git prints flux's lines, then times out" "✚ generating GitRepository source
► applying GitRepository source
✔ GitRepository source created
◎ waiting for GitRepository source reconciliation
✗ context deadline exceeded" "$out"
check_output "a timed-out create exits 1" 1 "$rc"
check_output "the GitRepository is on the cluster" "main https://example.invalid/podinfo" \
	"$("$KUBECTL" get gitrepository podinfo -n "$ns" -o jsonpath='{.spec.ref.branch} {.spec.url}')"
out=$("$TIDE" create source git podinfo -n "$ns" --url=https://example.invalid/podinfo --tag=v1 --timeout=1s 2>&1)
check_contains "a second create updates" "✔ GitRepository source updated" "$out"
check_output "the update replaced the spec" "v1|" \
	"$("$KUBECTL" get gitrepository podinfo -n "$ns" -o jsonpath='{.spec.ref.tag}|{.spec.ref.branch}')"
out=$("$TIDE" create source git creds -n "$ns" --url=https://example.invalid/c --branch=main -u me -p pw --timeout=1s 2>&1)
check_contains "credentials make a secret" "► applying secret with repository credentials
✔ authentication configured" "$out"
check_output "the secret holds them" "me" "$("$KUBECTL" get secret creds -n "$ns" -o jsonpath='{.data.username}' | base64 -d)"
check_output "and the source refers to it" "creds" "$("$KUBECTL" get gitrepository creds -n "$ns" -o jsonpath='{.spec.secretRef.name}')"

out=$("$TIDE" create source helm charts -n "$ns" --url=https://example.invalid/charts --timeout=1s 2>&1)
check_output "create source helm prints flux's lines" "✚ generating HelmRepository source
► applying HelmRepository source
✔ source created
◎ waiting for HelmRepository source reconciliation
✗ context deadline exceeded" "$out"
out=$("$TIDE" create source oci app -n "$ns" --url=oci://example.invalid/app --tag=1.0 --timeout=1s 2>&1)
check_output "create source oci prints flux's lines" "► applying OCIRepository
✔ OCIRepository created
◎ waiting for OCIRepository reconciliation
✗ context deadline exceeded" "$out"
out=$("$TIDE" create hr app -n "$ns" --source=HelmRepository/charts --chart=app --timeout=1s 2>&1)
check_output "create helmrelease prints flux's lines" "✚ generating HelmRelease
► applying HelmRelease
✔ HelmRelease created
◎ waiting for HelmRelease reconciliation
✗ context deadline exceeded" "$out"
out=$("$TIDE" create alert-provider slack -n "$ns" --type=slack --timeout=5s 2>&1); rc=$?
check_output "create alert-provider: a Provider is ready once it exists" "✚ generating Provider
► applying Provider
✔ Provider created
◎ waiting for Provider reconciliation
✔ Provider slack is ready" "$out"
check_output "create alert-provider exits 0" 0 "$rc"
out=$("$TIDE" create alert on-ks -n "$ns" --provider-ref=slack --event-source='Kustomization/*' --timeout=5s 2>&1); rc=$?
check_contains "create alert" "✔ Alert created
◎ waiting for Alert reconciliation
✔ Alert on-ks is ready" "$out"
out=$("$TIDE" create receiver gh -n "$ns" --type=github --secret-ref=tok --resource=GitRepository/podinfo --timeout=1s 2>&1); rc=$?
check_contains "create receiver waits for Ready" "✔ Receiver created
◎ waiting for Receiver reconciliation
✗ context deadline exceeded" "$out"
out=$("$TIDE" create kustomization podinfo -n "$ns" --source=podinfo --path=./kustomize --prune --timeout=2s 2>&1); rc=$?
check_output "create kustomization prints flux's lines" "✚ generating Kustomization
► applying Kustomization
✔ Kustomization created
◎ waiting for Kustomization reconciliation
✗ context deadline exceeded" "$out"
check_output "create kustomization exit 1 on timeout" 1 "$rc"

# ---- reconcile, with a fake controller in the background ----
e2e_fake_controller "$ns" gitrepository,kustomization '
	"lastAppliedRevision":"main@sha1:0123456789abcdef0123456789abcdef01234567",
	"artifact":{"revision":"main@sha1:0123456789abcdef0123456789abcdef01234567","path":"p","url":"http://x/p","digest":"sha256:00","lastUpdateTime":"2026-01-01T00:00:00Z"},
	"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"done","lastTransitionTime":"2026-01-01T00:00:00Z"}]' requested
out=$("$TIDE" reconcile source git podinfo -n "$ns" --timeout=30s 2>&1); rc=$?
check_output "reconcile source git prints flux's lines" "► annotating GitRepository podinfo in $ns namespace
✔ GitRepository annotated
◎ waiting for GitRepository reconciliation
✔ fetched revision main@sha1:0123456789abcdef0123456789abcdef01234567" "$out"
check_output "reconcile exits 0" 0 "$rc"
out=$("$TIDE" reconcile kustomization podinfo --with-source -n "$ns" --timeout=30s 2>&1); rc=$?
check_output "reconcile kustomization --with-source reconciles the source first" "► annotating GitRepository podinfo in $ns namespace
✔ GitRepository annotated
◎ waiting for GitRepository reconciliation
✔ fetched revision main@sha1:0123456789abcdef0123456789abcdef01234567
► annotating Kustomization podinfo in $ns namespace
✔ Kustomization annotated
◎ waiting for Kustomization reconciliation
✔ applied revision main@sha1:0123456789abcdef0123456789abcdef01234567" "$out"
check_output "reconcile --with-source exits 0" 0 "$rc"
e2e_fake_controller_stop
out=$("$TIDE" create kustomization podinfo -n "$ns" --source=podinfo --path=./kustomize --prune --timeout=20s 2>&1); rc=$?
check_contains "create waits until Ready (set by the fake controller earlier)" "✔ Kustomization podinfo is ready
✔ applied revision main@sha1:0123456789abcdef0123456789abcdef01234567" "$out"
check_output "create exits 0 once Ready" 0 "$rc"

"$TIDE" suspend source git creds -n "$ns" >/dev/null 2>&1
err "reconcile of a suspended object is refused" "✗ resource is suspended" "$TIDE" reconcile source git creds -n "$ns"
err "reconcile of a missing object" "✗ gitrepositories.source.toolkit.fluxcd.io \"nope\" not found" "$TIDE" reconcile source git nope -n "$ns"
err "reconcile without a name" "✗ Kustomization name is required" "$TIDE" reconcile ks
out=$("$TIDE" reconcile source git podinfo -n "$ns" --timeout=2s 2>&1); rc=$?
check_contains "reconcile with nothing to handle it times out" "✗ context deadline exceeded" "$out"
check_output "reconcile timeout exits 1" 1 "$rc"

# ---- delete ----
out=$(echo n | "$TIDE" delete source git podinfo -n "$ns" 2>&1); rc=$?
check_contains "delete asks, and a no aborts" "✗ aborting" "$out"
check_output "aborted delete exits 1" 1 "$rc"
check "the object is still there" "$KUBECTL" get gitrepository podinfo -n "$ns"
out=$(echo y | "$TIDE" delete source git podinfo -n "$ns" 2>/dev/null); rc=$?
check_output "delete with yes exits 0" 0 "$rc"
out=$("$TIDE" delete kustomization podinfo -n "$ns" --silent 2>&1); rc=$?
check_output "delete --silent prints flux's lines" "► deleting kustomization podinfo in $ns namespace
✔ kustomization deleted" "$out"
check_fails "the Kustomization is gone" "$KUBECTL" get kustomization podinfo -n "$ns"
check_fails "the GitRepository is gone" "$KUBECTL" get gitrepository podinfo -n "$ns"
err "delete of a missing object" "✗ kustomizations.kustomize.toolkit.fluxcd.io \"podinfo\" not found" "$TIDE" delete ks podinfo -n "$ns" --silent
err "delete without a name" "✗ source git name is required" "$TIDE" delete source git

out=$("$TIDE" delete alert-provider slack -n "$ns" -s 2>&1)
check_output "delete alert-provider: flux's human kind" "► deleting alert provider slack in $ns namespace
✔ alert provider deleted" "$out"
check_output "delete alert" "✔ alert deleted" "$("$TIDE" delete alert on-ks -n "$ns" -s 2>&1 | tail -1)"
check_output "delete receiver" "✔ receiver deleted" "$("$TIDE" delete receiver gh -n "$ns" -s 2>&1 | tail -1)"
err "delete image policy of a missing object" "✗ imagepolicies.image.toolkit.fluxcd.io \"x\" not found" "$TIDE" delete image policy x -n "$ns" -s
err "delete image needs a kind" "✗ delete image: a kind is required: repository, policy or update" "$TIDE" delete image

# ---- no cluster ----
out=$(KUBECONFIG=/nonexistent "$TIDE" create source git x --url=https://h/r --branch=m 2>&1); rc=$?
check_output "no cluster: exit 1" 1 "$rc"
check_output "no cluster: one line" 1 "$(printf '%s\n' "$out" | wc -l)"
out=$("$TIDE" reconcile source git x --kubeconfig=/nonexistent 2>&1); rc=$?
check_output "reconcile without a cluster exits 1" 1 "$rc"

"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
