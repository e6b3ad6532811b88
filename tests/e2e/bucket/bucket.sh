#!/usr/bin/env bash
# Bucket against s3rver 3.7.1 on loopback (test/s3/start), with objects uploaded by curl's own
# SigV4 signer (--aws-sigv4, no tide code): a Bucket Ready with Flux's revision (the sha256 of
# the sorted "key etag" lines, computed here from the files' MD5s), its artifact and latest
# link; a Kustomization applying a ConfigMap from it; a changed object seen as a new revision
# while an unchanged poll rebuilds nothing; spec.prefix, spec.ignore and the bucket's
# .sourceignore; Flux's messages for wrong keys, a missing bucket, a missing Secret and a
# Secret without Flux's keys; gcp, sts and keyless aws refused; keys that would escape the
# directory (from a scripted server) refused; no secret in status or logs; deletion removes
# the artifacts.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-bucket-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath bucket "$1" "$2"; }
ready() { e2e_ready bucket "$1" "$2"; }
msg() { e2e_condition bucket "$1" Ready message; }
cond() { e2e_condition bucket "$1" "$2" "$3"; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- the server, and a signing client -----------------------------------------------------
mkdir -p "$tmp/s3"
check "s3rver starts" test/s3/start "$tmp/s3"
e2e_on_exit test/s3/stop "$tmp/s3"
ep="127.0.0.1:$(cat "$tmp/s3/s3-port")"
s3() { # METHOD PATH [FILE]: one request signed by curl with S3RVER's keys
  local m=$1 p=$2; shift 2
  curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user S3RVER:S3RVER \
    -H x-amz-content-sha256:UNSIGNED-PAYLOAD -X "$m" ${1:+-T "$1"} "http://$ep/$p" >/dev/null
}
put() { # KEY CONTENT: uploads an object to bucket e2e, and keeps a copy under $tmp/tree
  mkdir -p "$(dirname "$tmp/tree/$1")"
  printf '%s' "$2" > "$tmp/tree/$1"
  s3 PUT "e2e/$1" "$tmp/tree/$1"
}
cm() { printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-bucket}\ndata: {v: "%s"}\n' "$1"; }
# Flux's revision of the keys given (internal/index: sorted "key etag\n", sha256), with each
# object's ETag the MD5 of its content, as S3 has it for a single-part upload.
revision() {
  python3 - "$tmp/tree" "$@" <<'PY'
import hashlib, sys
root, keys = sys.argv[1], sys.argv[2:]
lines = ''.join('%s %s\n' % (k, hashlib.md5(open(root + '/' + k, 'rb').read()).hexdigest())
                for k in sorted(keys))
print('sha256:' + hashlib.sha256(lines.encode()).hexdigest())
PY
}
check "create bucket e2e" s3 PUT e2e
put deploy/cm.yaml "$(cm one)"
put deploy/NOTES.txt "notes"
put other/readme.md "readme"
check "objects uploaded" test -f "$tmp/tree/deploy/cm.yaml"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
apply() { k -n "$ns" apply -f - >/dev/null; }
k -n "$ns" create secret generic s3creds --from-literal=accesskey=S3RVER --from-literal=secretkey=S3RVER >/dev/null
bucket() { # name [extra spec lines]
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: $1}
spec:
  interval: 1h
  bucketName: e2e
  endpoint: "$ep"
  insecure: true
${2:-  secretRef: {name: s3creds\}}
YAML
}

# ---- a bucket ---------------------------------------------------------------------------------
bucket all
check "a bucket: Ready" wait_for 60 ready all True
rev=$(revision deploy/cm.yaml deploy/NOTES.txt other/readme.md)
check_output "... the revision is Flux's digest of the index" "$rev" "$(jp all '{.status.artifact.revision}')"
check_output "... Ready's message" "stored artifact: revision '$rev'" "$(msg all)"
check_output "... ArtifactInStorage" "True" "$(cond all ArtifactInStorage status)"
check_output "... the artifact is named by the revision" "bucket/$ns/all/${rev#sha256:}.tar.gz" "$(jp all '{.status.artifact.path}')"
check "... the artifact downloads" curl -sf -o "$tmp/all.tgz" "$(jp all '{.status.artifact.url}')"
check_output "... with the digest status names" "$(jp all '{.status.artifact.digest}')" "sha256:$(sha "$tmp/all.tgz")"
check_output "... every object" "deploy/
deploy/NOTES.txt
deploy/cm.yaml
other/
other/readme.md" "$(tar -tzf "$tmp/all.tgz" | sed 's|^\./||' | grep -v '^$' | sort)"
check "... status.url (latest.tar.gz) downloads the same" curl -sf -o "$tmp/latest.tgz" "$(jp all '{.status.url}')"
check "... byte for byte" cmp "$tmp/all.tgz" "$tmp/latest.tgz"
events=$(k -n "$ns" get events --field-selector involvedObject.name=all -o jsonpath='{range .items[*]}{.reason}: {.message}{"\n"}{end}')
check_contains "... Flux's NewArtifact event" "NewArtifact: stored artifact with 3 fetched files from 'e2e' bucket" "$events"

# ---- a Kustomization applies it ---------------------------------------------------------------
apply <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: from-bucket}
spec:
  interval: 1h
  path: ./deploy
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: Bucket, name: all}
YAML
check "a Kustomization with a Bucket source: Ready" wait_for 90 e2e_ready kustomization from-bucket True
check_output "... applied the bucket's ConfigMap" "one" "$(k -n "$ns" get configmap from-bucket -o jsonpath='{.data.v}')"
check_output "... lastAppliedRevision" "$rev" "$(e2e_jsonpath kustomization from-bucket '{.status.lastAppliedRevision}')"

# ---- an unchanged poll builds nothing; a changed object is a new revision, applied ------------
when=$(jp all '{.status.artifact.lastUpdateTime}')
sleep 1
k -n "$ns" annotate --overwrite bucket all reconcile.fluxcd.io/requestedAt=poll1 >/dev/null
check "an unchanged poll is handled" wait_for 30 bash -c "[ \"\$(e2e_jsonpath bucket all '{.status.lastHandledReconcileAt}')\" = poll1 ]"
check_output "... nothing rebuilt (same lastUpdateTime)" "$when" "$(jp all '{.status.artifact.lastUpdateTime}')"
check_output "... the same revision" "$rev" "$(jp all '{.status.artifact.revision}')"
put deploy/cm.yaml "$(cm two)"
rev2=$(revision deploy/cm.yaml deploy/NOTES.txt other/readme.md)
k -n "$ns" annotate --overwrite bucket all reconcile.fluxcd.io/requestedAt=poll2 >/dev/null
check "a changed object: the new revision" wait_for 60 bash -c \
  "[ \"\$(e2e_jsonpath bucket all '{.status.artifact.revision}')\" = '$rev2' ]"
check "... the Kustomization applies it" wait_for 90 bash -c \
  "[ \"\$(\"$KUBECTL\" -n $ns get configmap from-bucket -o jsonpath='{.data.v}')\" = two ]"

# ---- prefix, spec.ignore, .sourceignore ------------------------------------------------------
bucket prefixed "  secretRef: {name: s3creds}
  prefix: deploy/"
check "spec.prefix: Ready" wait_for 60 ready prefixed True
check_output "... only the keys under the prefix" "$(revision deploy/cm.yaml deploy/NOTES.txt)" "$(jp prefixed '{.status.artifact.revision}')"
bucket ignored "  secretRef: {name: s3creds}
  ignore: |
    *.txt
    /other/"
check "spec.ignore: Ready" wait_for 60 ready ignored True
check_output "... the ignored keys are out of the revision" "$(revision deploy/cm.yaml)" "$(jp ignored '{.status.artifact.revision}')"
curl -sf -o "$tmp/ignored.tgz" "$(jp ignored '{.status.artifact.url}')"
check_output "... and of the artifact" "deploy/
deploy/cm.yaml" "$(tar -tzf "$tmp/ignored.tgz" | sed 's|^\./||' | grep -v '^$' | sort)"
check_output "... observedIgnore" "*.txt" "$(jp ignored '{.status.observedIgnore}' | head -1)"
put .sourceignore "other/"
k -n "$ns" annotate --overwrite bucket all reconcile.fluxcd.io/requestedAt=poll3 >/dev/null
check "the bucket's .sourceignore: a new revision without the keys it excludes" wait_for 60 bash -c \
  "[ \"\$(e2e_jsonpath bucket all '{.status.artifact.revision}')\" = '$(revision deploy/cm.yaml deploy/NOTES.txt)' ]"
s3 DELETE e2e/.sourceignore

# ---- failures with Flux's messages ------------------------------------------------------------
k -n "$ns" create secret generic wrongkeys --from-literal=accesskey=NOBODY --from-literal=secretkey=n0t-th1s >/dev/null
bucket wrong "  secretRef: {name: wrongkeys}"
check "wrong keys: Ready=False" wait_for 60 ready wrong False
check_contains "... Flux's message" "failed to confirm existence of 'e2e' bucket: " "$(msg wrong)"
check_contains "... the server's reason" "InvalidAccessKeyId" "$(msg wrong)"
check_output "... reason BucketOperationFailed" "BucketOperationFailed" "$(cond wrong FetchFailed reason)"
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: missing}
spec: {interval: 1h, bucketName: nope, endpoint: "$ep", insecure: true, secretRef: {name: s3creds}}
YAML
check "a missing bucket: Ready=False" wait_for 60 ready missing False
check_output "... Flux's message" "bucket 'nope' not found" "$(msg missing)"
check_output "... reason BucketOperationFailed" "BucketOperationFailed" "$(cond missing Ready reason)"
bucket nosecret "  secretRef: {name: nope}"
check "a missing secret: Ready=False" wait_for 60 ready nosecret False
check_output "... Flux's message" "failed to get secret '$ns/nope': secrets \"nope\" not found" "$(msg nosecret)"
check_output "... reason AuthenticationFailed" "AuthenticationFailed" "$(cond nosecret FetchFailed reason)"
k -n "$ns" create secret generic badkeys --from-literal=username=x >/dev/null
bucket badkeys "  secretRef: {name: badkeys}"
check "a secret without accesskey and secretkey: Ready=False" wait_for 60 ready badkeys False
check_output "... Flux's message" "invalid 'badkeys' secret data: required fields 'accesskey' and 'secretkey'" "$(msg badkeys)"
bucket gcp "  provider: gcp"
check "provider gcp: Stalled" wait_for 60 bash -c "[ \"\$(e2e_condition bucket gcp Stalled status)\" = True ]"
check_contains "... says why" "provider 'gcp' is not supported by tide" "$(msg gcp)"
bucket sts "  secretRef: {name: s3creds}
  provider: aws
  sts: {provider: aws, endpoint: 'https://sts.amazonaws.com'}"
check "spec.sts: Stalled" wait_for 60 bash -c "[ \"\$(e2e_condition bucket sts Stalled status)\" = True ]"
check_contains "... says why" "spec.sts is not supported by tide" "$(msg sts)"
bucket awsnokeys "  provider: aws"
check "provider aws without a secretRef: Ready=False" wait_for 60 ready awsnokeys False
check_contains "... says why" "workload identity is not supported by tide" "$(msg awsnokeys)"

# ---- keys that would escape the directory (a scripted server: s3rver keeps none) --------------
fport=$(e2e_port)
python3 tests/e2e/bucket/fake-s3.py "$fport" ok.yaml ../escape.yaml &
fpid=$!
e2e_on_exit e2e_kill "$fpid"
check "the scripted server listens" wait_for 20 curl -sf "http://127.0.0.1:$fport/b/ok.yaml"
apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: escape}
spec: {interval: 1h, bucketName: b, endpoint: "127.0.0.1:$fport", insecure: true}
YAML
check "a key with '..': Ready=False" wait_for 60 ready escape False
check_contains "... refused with the key named" "object key '../escape.yaml' is not a relative path inside the bucket" "$(msg escape)"
check "... nothing written outside" bash -c "! find '$tmp' -name escape.yaml | grep -q ."
check_output "... no artifact" "" "$(jp escape '{.status.artifact}')"

case "$(k -n "$ns" get buckets -o yaml; cat "$E2E_CTL_LOG")" in
*n0t-th1s*) not_ok "no secret key in status or logs" ;; *) ok "no secret key in status or logs" ;; esac

# ---- deletion ---------------------------------------------------------------------------------
check "the artifacts of 'prefixed' are in storage" test -d "$tmp/storage/bucket/$ns/prefixed"
k -n "$ns" delete bucket prefixed --wait=true --timeout=60s >/dev/null
check "deleting the object removes its artifacts" wait_for 30 bash -c "! test -e '$tmp/storage/bucket/$ns/prefixed'"

k -n "$ns" delete kustomization from-bucket --wait=true --timeout=60s >/dev/null
e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
drop_finalizers "$ns" buckets,kustomizations
e2e_no_sanitizer_report "no sanitizer report"
finish
