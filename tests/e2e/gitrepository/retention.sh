#!/usr/bin/env bash
# Artifact storage against the real control plane: garbage collection as Flux's storage does it
# (--artifact-retention-records keeps the newest artifacts of an object, the current one always;
# --artifact-retention-ttl removes older ones past their age on the next reconcile), leftovers
# of a crash (a temporary artifact, a dead process's scratch directory) cleaned, the current
# artifact served throughout.
source "$(dirname "$0")/../lib.sh"
ns=e2e-retention-$$
storage=$E2E_TMP/storage
jp() { e2e_jsonpath gitrepository "$1" "$2" "$ns"; }
rev_is() { [ "$(jp "$1" '{.status.artifact.revision}')" = "$2" ]; }
export -f jp rev_is; export ns

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

r="$E2E_TMP/repo"
mkdir -p "$r"
echo "kind: ConfigMap" > "$r/cm.yaml"
e2e_git_init "$r" first

start() { e2e_controller --concurrent 2 "$@"; e2e_controller_ready 30; }
stop() { e2e_controller_stop; }
files() { ls "$storage/gitrepository/$ns/app" 2>/dev/null | wc -l | tr -d ' '; }

# a dead process's scratch directory, as a crash leaves it
mkdir -p "$storage/.tmp/run-dead00/checkout-x"; touch "$storage/.tmp/run-dead00.lock"
check "the controller starts with --artifact-retention-ttl=1h --artifact-retention-records=3" \
  start --artifact-retention-ttl=1h --artifact-retention-records=3
check "a dead process's scratch directory is removed at start" test ! -e "$storage/.tmp/run-dead00"

"$KUBECTL" -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: "file://$r", interval: 1s, ref: {branch: main}}
YAML
check "the first revision is stored" wait_for 30 rev_is app "main@sha1:$(e2e_git "$r" rev-parse HEAD)"
for i in 2 3 4 5; do
  echo "n: $i" > "$r/cm$i.yaml"; e2e_git "$r" add -A; e2e_git "$r" commit -q -m "commit $i"
  wait_for 30 rev_is app "main@sha1:$(e2e_git "$r" rev-parse HEAD)"
done
check "the fifth revision is stored" rev_is app "main@sha1:$(e2e_git "$r" rev-parse HEAD)"
check_output "records: 3 artifacts kept of 5 (the current and the two newest)" "3" "$(files)"
cur=$(jp app '{.status.artifact.path}')
check "the current artifact is among them" test -f "$storage/$cur"
touch "$storage/gitrepository/$ns/app/.crashed.tar.gz.abcdef.tmp"
check "stop" stop

check "restart with --artifact-retention-ttl=2s --artifact-retention-records=10" \
  start --artifact-retention-ttl=2s --artifact-retention-records=10
only_current() { [ "$(files)" = "1" ] && [ -f "$storage/$cur" ]; }
check "ttl: older artifacts go on a later reconcile, the current one stays" wait_for 30 only_current
check "a left-over temporary artifact is removed" test ! -e "$storage/gitrepository/$ns/app/.crashed.tar.gz.abcdef.tmp"
check "the current artifact is served" curl -sf -o /dev/null "$(jp app '{.status.artifact.url}')"
check "a lock file is not served" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$E2E_STORAGE_PORT/gitrepository/$ns/app/.lock")" = 404

"$KUBECTL" -n "$ns" delete gitrepository app --wait=false >/dev/null
check "deletion completes" wait_for 30 e2e_gone gitrepository app "$ns"
check "deletion removes the object's storage" test ! -e "$storage/gitrepository/$ns/app"
stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
check "its scratch directory goes with it" test -z "$(ls -A "$storage/.tmp")"
e2e_no_sanitizer_report "no sanitizer report"
finish
