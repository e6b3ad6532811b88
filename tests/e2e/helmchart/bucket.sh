#!/usr/bin/env bash
# HelmChart from a Bucket (s3rver on loopback, test/s3/start): a chart directory uploaded
# object by object is packaged (ChartPackageSucceeded), renders with `tide helm template` as
# helm renders the same directory, and reconcileStrategy Revision gives the version the first
# 12 hex characters of the Bucket's revision digest as build metadata.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-hcbucket-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath helmchart "$1" "$2"; }
ready() { e2e_ready helmchart "$1" "$2"; }
msg() { e2e_condition helmchart "$1" Ready message; }
helm=$(test/helm/helm-bin)

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
mkdir -p "$tmp/s3"
check "s3rver starts" test/s3/start "$tmp/s3"
e2e_on_exit test/s3/stop "$tmp/s3"
ep="127.0.0.1:$(cat "$tmp/s3/s3-port")"
s3() { # METHOD PATH [FILE]: one request signed by curl with S3RVER's keys
  local m=$1 p=$2; shift 2
  curl -sSf --aws-sigv4 aws:amz:us-east-1:s3 --user S3RVER:S3RVER \
    -H x-amz-content-sha256:UNSIGNED-PAYLOAD -X "$m" ${1:+-T "$1"} "http://$ep/$p" >/dev/null
}
c=$tmp/tree/charts/web
mkdir -p "$c/templates"
printf 'apiVersion: v2\nname: web\nversion: 2.0.0\n' > "$c/Chart.yaml"
printf 'port: 8080\n' > "$c/values.yaml"
cat > "$c/templates/svc.yaml" <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels:
    chart: {{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
spec:
  ports:
  - port: {{ .Values.port }}
YAML
check "create bucket charts" s3 PUT charts
for f in Chart.yaml values.yaml templates/svc.yaml; do s3 PUT "charts/charts/web/$f" "$c/$f"; done
ok "objects uploaded"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
k -n "$ns" create secret generic s3creds --from-literal=accesskey=S3RVER --from-literal=secretkey=S3RVER >/dev/null
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: charts}
spec:
  interval: 1h
  bucketName: charts
  endpoint: "$ep"
  insecure: true
  secretRef: {name: s3creds}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: web}
spec:
  chart: charts/web
  sourceRef: {kind: Bucket, name: charts}
  interval: 10m
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: webrev}
spec:
  chart: charts/web
  sourceRef: {kind: Bucket, name: charts}
  interval: 10m
  reconcileStrategy: Revision
YAML
check "a chart directory from a Bucket: Ready" wait_for 90 ready web True
check_output "... packaged" "packaged 'web' chart with version '2.0.0'" "$(msg web)"
curl -sf -o "$tmp/web.tgz" "$(jp web '{.status.artifact.url}')"
"$TIDE" helm template rel "$tmp/web.tgz" > "$tmp/web.out" 2>&1
"$helm" template rel "$c" > "$tmp/web.helm" 2>&1
check "... renders with tide's helm engine as helm renders the directory" cmp -s "$tmp/web.out" "$tmp/web.helm"
check "reconcileStrategy Revision: Ready" wait_for 90 ready webrev True
brev=$(e2e_jsonpath bucket charts '{.status.artifact.revision}')
check_output "... the Bucket digest's first 12 hex as metadata" "2.0.0+$(printf %s "${brev#sha256:}" | cut -c1-12)" \
  "$(jp webrev '{.status.artifact.revision}')"

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
drop_finalizers "$ns" helmcharts buckets
e2e_no_sanitizer_report "no sanitizer report"
finish
