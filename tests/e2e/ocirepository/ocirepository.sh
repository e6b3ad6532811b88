#!/usr/bin/env bash
# OCIRepository against Debian's docker-registry (distribution 2.8) on loopback, with artifacts
# pushed by test/oci/push (the distribution API from Python, no tide code): tag, semver (with
# semverFilter) and digest references; an index resolved to linux/amd64; layerSelector with
# extract and copy; spec.ignore; a Kustomization applying the OCIRepository's artifact; a new
# push seen as a new revision while an unchanged poll rebuilds nothing; basic auth from a
# dockerconfigjson Secret and from a service account's imagePullSecrets; Flux's messages for
# a URL with a tag, an unknown tag, a missing layer, missing credentials, and keyless
# verification (refused, not ignored); deletion removes the artifacts.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-ocirepo-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath ocirepository "$1" "$2"; }
ready() { e2e_ready ocirepository "$1" "$2"; }
msg() { e2e_condition ocirepository "$1" Ready message; }
cond() { e2e_condition ocirepository "$1" "$2" "$3"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }
# a retry drops a failed SourceVerified before verifying again (Flux's reconcileSource), and the
# new revision is written in between: wait for the condition, not only for Ready
cond_has() { case "$(cond "$1" "$2" message)" in *"$3"*) return 0 ;; esac; return 1; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- registries: anonymous, and basic auth ----------------------------------------------------
mkdir -p "$tmp/anon" "$tmp/auth"
check "an anonymous registry starts" test/oci/registry-start "$tmp/anon" none
e2e_on_exit test/oci/registry-stop "$tmp/anon"
check "a registry with basic auth starts" test/oci/registry-start "$tmp/auth" htpasswd puller:s3cret
e2e_on_exit test/oci/registry-stop "$tmp/auth"
reg="127.0.0.1:$(cat "$tmp/anon/registry-port")"
areg="127.0.0.1:$(cat "$tmp/auth/registry-port")"
push() { test/oci/push "$@"; }

# ---- artifacts: a directory of manifests as Flux's content layer ------------------------------
mk() { # DIR VALUE: a tree with a ConfigMap whose data.v is VALUE, and files to ignore
  mkdir -p "$1/deploy" "$1/.git"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-oci}\ndata: {v: "%s"}\n' "$2" > "$1/deploy/cm.yaml"
  echo "notes" > "$1/deploy/NOTES.txt"
  echo "x" > "$1/.git/config"
  echo "png" > "$1/logo.png"
  tar -czf "$1.tgz" -C "$1" .
}
mk "$tmp/a1" one
mk "$tmp/a2" two
mk "$tmp/a3" three
d1=$(push --annotation org.opencontainers.image.source=https://example.com/app.git \
  --annotation org.opencontainers.image.revision=main@sha1:0123456789abcdef0123456789abcdef01234567 \
  "http://$reg" app v1.0.0 "$tmp/a1.tgz")
check "push v1.0.0" test -n "$d1"
push "http://$reg" app v1.1.0 "$tmp/a2.tgz" >/dev/null
push "http://$reg" app v2.0.0 "$tmp/a3.tgz" >/dev/null
push "http://$reg" app v1.2.0-rc.1 "$tmp/a3.tgz" >/dev/null
push "http://$reg" app latest "$tmp/a2.tgz" >/dev/null

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
apply() { k -n "$ns" apply -f - >/dev/null; }
ocirepo() { # name url [extra spec lines]
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: $1}
spec:
  url: "$2"
  interval: 1h
  insecure: true
${3:-}
YAML
}

# ---- a tag ------------------------------------------------------------------------------------
ocirepo tag "oci://$reg/app" "  ref: {tag: v1.0.0}"
check "a tag: Ready" wait_for 60 ready tag True
check_output "... the revision is TAG@DIGEST" "v1.0.0@$d1" "$(jp tag '{.status.artifact.revision}')"
check_output "... Ready's message" "stored artifact for revision 'v1.0.0@$d1'" "$(msg tag)"
check_output "... ArtifactInStorage's message" "stored artifact for digest 'v1.0.0@$d1'" "$(cond tag ArtifactInStorage message)"
check_output "... the artifact is named by the digest" "ocirepository/$ns/tag/$d1.tar.gz" "$(jp tag '{.status.artifact.path}')"
check_output "... the manifest's annotations are the metadata" "https://example.com/app.git" \
  "$(jp tag '{.status.artifact.metadata.org\.opencontainers\.image\.source}')"
url=$(jp tag '{.status.artifact.url}')
check "... the artifact downloads" curl -sf -o "$tmp/tag.tgz" "$url"
check_output "... with the digest status names" "$(jp tag '{.status.artifact.digest}')" "sha256:$(sha "$tmp/tag.tgz")"
check_output "... the files, the default exclusions applied" "deploy/
deploy/NOTES.txt
deploy/cm.yaml" "$(tar -tzf "$tmp/tag.tgz" | sort)"
check "... status.url (latest.tar.gz) downloads the same" curl -sf -o "$tmp/latest.tgz" "$(jp tag '{.status.url}')"
check "... byte for byte" cmp "$tmp/tag.tgz" "$tmp/latest.tgz"
events=$(k -n "$ns" get events --field-selector involvedObject.name=tag -o jsonpath='{range .items[*]}{.reason}: {.message}{"\n"}{end}')
check_contains "... a NewArtifact event with the origin" \
  "NewArtifact: stored artifact with revision 'v1.0.0@$d1' from 'oci://$reg/app', origin source 'https://example.com/app.git', origin revision 'main@sha1:0123456789abcdef0123456789abcdef01234567'" "$events"

# ---- a Kustomization applies it ---------------------------------------------------------------
apply <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: from-oci}
spec:
  interval: 1h
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: OCIRepository, name: tag}
YAML
check "a Kustomization with an OCIRepository source: Ready" wait_for 90 e2e_ready kustomization from-oci True
check_output "... applied the artifact's ConfigMap" "one" "$(k -n "$ns" get configmap from-oci -o jsonpath='{.data.v}')"
check_output "... lastAppliedRevision" "v1.0.0@$d1" "$(e2e_jsonpath kustomization from-oci '{.status.lastAppliedRevision}')"

# ---- a new push to the tag: a new revision, applied; a poll without change builds nothing ------
when=$(jp tag '{.status.artifact.lastUpdateTime}')
sleep 1
k -n "$ns" annotate --overwrite ocirepository tag reconcile.fluxcd.io/requestedAt=poll1 >/dev/null
check "an unchanged poll is handled" wait_for 30 bash -c "[ \"\$(e2e_jsonpath ocirepository tag '{.status.lastHandledReconcileAt}')\" = poll1 ]"
check_output "... nothing rebuilt (same lastUpdateTime)" "$when" "$(jp tag '{.status.artifact.lastUpdateTime}')"
d1b=$(push "http://$reg" app v1.0.0 "$tmp/a3.tgz")
k -n "$ns" annotate --overwrite ocirepository tag reconcile.fluxcd.io/requestedAt=poll2 >/dev/null
check "a new push to the tag: the new revision" wait_for 60 bash -c \
  "[ \"\$(e2e_jsonpath ocirepository tag '{.status.artifact.revision}')\" = 'v1.0.0@$d1b' ]"
check "... the Kustomization applies it" wait_for 90 bash -c \
  "[ \"\$(\"$KUBECTL\" -n $ns get configmap from-oci -o jsonpath='{.data.v}')\" = three ]"

# ---- semver, semverFilter, digest, the default tag ---------------------------------------------
ocirepo semver "oci://$reg/app" "  ref: {semver: '>=1.0.0 <2.0.0'}"
check "semver: Ready" wait_for 60 ready semver True
check_contains "... the highest tag in the range (pre-releases left out)" "v1.1.0@sha256:" "$(jp semver '{.status.artifact.revision}')"
ocirepo filtered "oci://$reg/app" "  ref: {semver: '*', semverFilter: '^v1\\.0'}"
check "semver with semverFilter: Ready" wait_for 60 ready filtered True
check_contains "... only the tags the filter keeps" "v1.0.0@sha256:" "$(jp filtered '{.status.artifact.revision}')"
ocirepo nomatch "oci://$reg/app" "  ref: {semver: '>=9.0.0'}"
check "semver without a match: Ready=False" wait_for 60 ready nomatch False
check_output "... Flux's message" "failed to determine the artifact tag for 'oci://$reg/app': no match found for semver: >=9.0.0" "$(msg nomatch)"
check_output "... reason ReadOperationFailed" "ReadOperationFailed" "$(cond nomatch FetchFailed reason)"
ocirepo digest "oci://$reg/app" "  ref: {digest: '$d1'}"
check "a digest: Ready" wait_for 60 ready digest True
check_output "... the revision is the digest" "$d1" "$(jp digest '{.status.artifact.revision}')"
ocirepo deflt "oci://$reg/app"
check "no ref: the tag latest" wait_for 60 bash -c "e2e_jsonpath ocirepository deflt '{.status.artifact.revision}' | grep -q '^latest@sha256:'"

# ---- an index, layer selection, ignore ---------------------------------------------------------
echo '{"kind":"chart"}' > "$tmp/extra.json"
gzip -c "$tmp/extra.json" > "$tmp/extra.gz"
di=$(push --index --extra-layer "$tmp/extra.gz:application/vnd.example.extra+gzip" "http://$reg" multi v1 "$tmp/a1.tgz")
ocirepo index "oci://$reg/multi" "  ref: {tag: v1}"
check "an index: Ready" wait_for 60 ready index True
check_output "... the revision is the index's digest" "v1@$di" "$(jp index '{.status.artifact.revision}')"
ocirepo copy "oci://$reg/multi" "  ref: {tag: v1}
  layerSelector: {mediaType: application/vnd.example.extra+gzip, operation: copy}"
check "layerSelector copy: Ready" wait_for 60 ready copy True
curl -sf -o "$tmp/copy.gz" "$(jp copy '{.status.artifact.url}')"
check "... the artifact is the layer, byte for byte" cmp "$tmp/copy.gz" "$tmp/extra.gz"
check_output "... observedLayerSelector" "copy" "$(jp copy '{.status.observedLayerSelector.operation}')"
ocirepo nolayer "oci://$reg/multi" "  ref: {tag: v1}
  layerSelector: {mediaType: application/vnd.example.none}"
check "a layer type the artifact lacks: Ready=False" wait_for 60 ready nolayer False
check_output "... Flux's message" "failed to find layer with media type 'application/vnd.example.none' in artifact" "$(msg nolayer)"
check_output "... reason OCIArtifactLayerOperationFailed" "OCIArtifactLayerOperationFailed" "$(cond nolayer FetchFailed reason)"
ocirepo ignored "oci://$reg/app" "  ref: {tag: v1.1.0}
  ignore: |
    *.txt"
check "spec.ignore: Ready" wait_for 60 ready ignored True
curl -sf -o "$tmp/ignored.tgz" "$(jp ignored '{.status.artifact.url}')"
check_output "... the ignored file is left out" "deploy/
deploy/cm.yaml" "$(tar -tzf "$tmp/ignored.tgz" | sort)"

# ---- failures with Flux's messages ------------------------------------------------------------
ocirepo withtag "oci://$reg/app:v1.0.0"
check "a URL with a tag: Stalled" wait_for 60 bash -c "[ \"\$(e2e_condition ocirepository withtag Stalled status)\" = True ]"
check_output "... Flux's message" "URL validation failed for 'oci://$reg/app:v1.0.0': URL must not contain a tag; remove ':v1.0.0'" "$(msg withtag)"
check_output "... reason URLInvalid" "URLInvalid" "$(cond withtag Ready reason)"
ocirepo notag "oci://$reg/app" "  ref: {tag: v0.0.1}"
check "an unknown tag: Ready=False" wait_for 60 ready notag False
check_contains "... Flux's message" "failed to determine artifact digest: " "$(msg notag)"
check_output "... reason OCIArtifactPullFailed" "OCIArtifactPullFailed" "$(cond notag FetchFailed reason)"
ocirepo keyless "oci://$reg/app" "  ref: {tag: v1.1.0}
  verify: {provider: cosign}"
check "keyless verification: Ready=False (refused, not ignored)" wait_for 60 ready keyless False
check_contains "... says why" "failed to verify the signature using provider 'cosign keyless': keyless verification" "$(msg keyless)"
check_output "... SourceVerified False" "False" "$(cond keyless SourceVerified status)"
check_output "... no artifact" "" "$(jp keyless '{.status.artifact}')"

# ---- cosign signatures with keys (signed with openssl in cosign's format) ---------------------
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/cosign.key" 2>/dev/null
openssl ec -in "$tmp/cosign.key" -pubout -out "$tmp/cosign.pub" 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/other.key" 2>/dev/null
openssl ec -in "$tmp/other.key" -pubout -out "$tmp/other.pub" 2>/dev/null
ds=$(push "http://$reg" signed v1 "$tmp/a1.tgz")
printf '{"critical":{"identity":{"docker-reference":"%s/signed"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
  "$reg" "$ds" > "$tmp/payload.json"
sig=$(openssl dgst -sha256 -sign "$tmp/cosign.key" "$tmp/payload.json" | base64 -w0)
push --config-type application/vnd.oci.image.config.v1+json \
  --layer-type application/vnd.dev.cosign.simplesigning.v1+json \
  --layer-annotation "dev.cosignproject.cosign/signature=$sig" \
  "http://$reg" signed "sha256-${ds#sha256:}.sig" "$tmp/payload.json" >/dev/null
k -n "$ns" create secret generic cosign-keys --from-file=cosign.pub="$tmp/cosign.pub" \
  --from-file=other.pub="$tmp/other.pub" >/dev/null
k -n "$ns" create secret generic wrong-keys --from-file=cosign.pub="$tmp/other.pub" >/dev/null
ocirepo signed "oci://$reg/signed" "  ref: {tag: v1}
  verify: {provider: cosign, secretRef: {name: cosign-keys}}"
check "a cosign signature with one of the Secret's keys: Ready" wait_for 60 ready signed True
check_output "... SourceVerified" "verified signature of revision v1@$ds" "$(cond signed SourceVerified message)"
ocirepo wrongkey "oci://$reg/signed" "  ref: {tag: v1}
  verify: {provider: cosign, secretRef: {name: wrong-keys}}"
check "the wrong key: Ready=False" wait_for 60 ready wrongkey False
check "... SourceVerified False, Flux's prefix" wait_for 60 cond_has wrongkey SourceVerified "failed to verify the signature using provider 'cosign': "
check_output "... no artifact" "" "$(jp wrongkey '{.status.artifact}')"
ocirepo unsigned "oci://$reg/app" "  ref: {tag: v1.1.0}
  verify: {provider: cosign, secretRef: {name: cosign-keys}}"
check "no signature: Ready=False" wait_for 60 ready unsigned False
check_contains "... says so" "no signatures found" "$(msg unsigned)"

# ---- basic auth: a dockerconfigjson Secret, a service account's imagePullSecrets ---------------
push --user puller:s3cret "http://$areg" private v1 "$tmp/a1.tgz" >/dev/null
ocirepo anon "oci://$areg/private" "  ref: {tag: v1}"
check "a private registry without credentials: Ready=False" wait_for 60 ready anon False
check_contains "... unauthorized" "401 Unauthorized" "$(msg anon)"
k -n "$ns" create secret docker-registry creds --docker-server="$areg" --docker-username=puller \
  --docker-password=s3cret >/dev/null
ocirepo withsecret "oci://$areg/private" "  ref: {tag: v1}
  secretRef: {name: creds}"
check "with a dockerconfigjson secretRef: Ready" wait_for 60 ready withsecret True
k -n "$ns" create serviceaccount puller >/dev/null
k -n "$ns" patch serviceaccount puller -p '{"imagePullSecrets":[{"name":"creds"}]}' >/dev/null
ocirepo withsa "oci://$areg/private" "  ref: {tag: v1}
  serviceAccountName: puller"
check "with serviceAccountName's imagePullSecrets: Ready" wait_for 60 ready withsa True
ocirepo nosecret "oci://$areg/private" "  ref: {tag: v1}
  secretRef: {name: nope}"
check "a missing secret: Ready=False" wait_for 60 ready nosecret False
check_output "... Flux's message" "failed to get credential: failed to get secret '$ns/nope': secrets \"nope\" not found" "$(msg nosecret)"
check_output "... reason AuthenticationFailed" "AuthenticationFailed" "$(cond nosecret FetchFailed reason)"
case "$(k -n "$ns" get ocirepositories -o yaml; cat "$E2E_CTL_LOG")" in
*s3cret*) not_ok "no password in status or logs" ;; *) ok "no password in status or logs" ;; esac

# ---- deletion ---------------------------------------------------------------------------------
check "the artifacts of 'digest' are in storage" test -d "$tmp/storage/ocirepository/$ns/digest"
k -n "$ns" delete ocirepository digest --wait=true --timeout=60s >/dev/null
check "deleting the object removes its artifacts" wait_for 30 bash -c "! test -e '$tmp/storage/ocirepository/$ns/digest'"

k -n "$ns" delete kustomization from-oci --wait=true --timeout=60s >/dev/null
e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
drop_finalizers "$ns" ocirepositories,kustomizations
e2e_no_sanitizer_report "no sanitizer report"
finish
