#!/usr/bin/env bash
# A stored artifact damaged on disk (hardening, issue 16): a GitRepository is Ready; its
# tarball in --storage-path is truncated (then, a second time, altered without changing its
# size), and the temporary file of a write that was killed is left beside it. A reconcile
# (requestedAt) must find it out by digest, as Flux's reconcileStorage does (Warning event
# ArtifactVerificationFailed), rebuild it and clean up: the file whole again (its sha256 is
# status.artifact.digest), the served bytes the same, the temporary file gone, Ready again.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-fault-artifact-$$
k() { "$KUBECTL" "$@"; }
jp() { k -n "$ns" get gitrepository repo -o jsonpath="$1" 2>/dev/null; }
handled() { [ "$(jp '{.status.lastHandledReconcileAt}')" = "$1" ] &&
  [ "$(jp '{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
sha() { echo "sha256:$(sha256sum | cut -d' ' -f1)"; }
export -f k jp handled; export ns KUBECTL

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" gitrepositories

r=$tmp/repo
mkdir -p "$r/deploy"
for i in $(seq 1 40); do
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%02d\ndata:\n  k: "%s"\n' "$i" "$(head -c 300 /dev/urandom | base64 -w0)" > "$r/deploy/cm-$i.yaml"
done
e2e_git_init "$r" one

e2e_controller
check "the controller is ready" e2e_controller_ready
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo}
spec: {url: "file://$r", interval: 1h, ref: {branch: main}}
YAML
check "the GitRepository is Ready" wait_for 60 e2e_ready gitrepository repo
path=$(jp '{.status.artifact.path}')
digest=$(jp '{.status.artifact.digest}')
file=$tmp/storage/$path
url=http://127.0.0.1:$E2E_STORAGE_PORT/$path
check_output "the stored artifact matches its digest" "$digest" "$(sha < "$file")"
check_output "the served artifact matches its digest" "$digest" "$(curl -sf "$url" | sha)"
size=$(stat -c %s "$file")

round=0
damage() { # damage NAME COMMAND...: damages the file, leaves a temp file, reconciles, checks
  local name=$1; shift
  round=$((round + 1))
  "$@"
  local leftover
  leftover="$(dirname "$file")/.$(basename "$file").k1ll3d.tmp"
  head -c 1000 "$file" > "$leftover"
  [ "$(sha < "$file")" != "$digest" ] && ok "$name: the artifact is damaged" || not_ok "$name: the artifact is damaged"
  k -n "$ns" annotate --overwrite gitrepository repo reconcile.fluxcd.io/requestedAt="r$round" >/dev/null
  check "$name: the reconcile is handled and Ready" wait_for 60 handled "r$round"
  check_output "$name: the stored artifact is whole again (its digest)" "$digest" "$(sha < "$file")"
  check_output "$name: ... and its size" "$size" "$(stat -c %s "$file")"
  check_output "$name: status names the same digest" "$digest" "$(jp '{.status.artifact.digest}')"
  check_output "$name: the served bytes match the digest" "$digest" "$(curl -sf "$url" | sha)"
  check_output "$name: the temporary file is removed" "" "$(ls -A "$(dirname "$file")" | grep '\.tmp$')"
  check_output "$name: one ArtifactVerificationFailed event (in all, $round)" "$round" \
    "$(k -n "$ns" get events --field-selector reason=ArtifactVerificationFailed,involvedObject.name=repo \
        -o jsonpath='{range .items[*]}{.count}{"\n"}{end}' | awk '{s += $1} END {print s + 0}')"
}
damage "truncated" truncate -s $((size / 2)) "$file"
# the same size, one byte changed in the middle (only the digest tells)
flip() { python3 -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0xff]))' "$file" $((size / 2)); }
damage "altered" flip
check_contains "the event says why" "failed to verify integrity of artifact: computed digest doesn't match '$digest'" \
  "$(k -n "$ns" get events --field-selector reason=ArtifactVerificationFailed -o jsonpath='{.items[*].message}')"

k -n "$ns" delete gitrepository repo --wait=false >/dev/null
check "the GitRepository is deleted" wait_for 30 e2e_gone gitrepository repo "$ns"
e2e_controller_stop; check_output "the controller exits cleanly on SIGTERM" 0 "$?"
e2e_no_sanitizer_report "no sanitizer report"
finish
