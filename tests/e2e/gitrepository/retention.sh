#!/usr/bin/env bash
# Artifact storage against the real control plane: garbage collection as Flux's storage does it
# (--artifact-retention-records keeps the newest artifacts of an object, the current one always;
# --artifact-retention-ttl removes older ones past their age on the next reconcile), leftovers
# of a crash (a temporary artifact, a dead process's scratch directory) cleaned, the current
# artifact served throughout.
source "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
ns=e2e-retention-$$
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ctl=""
cleanup() {
  [ -n "$ctl" ] && kill -TERM "$ctl" 2>/dev/null && wait "$ctl" 2>/dev/null
  rm -rf "$tmp"
}
cd "$(dirname "$0")/../../.."
trap cleanup EXIT
k() { "$KUBECTL" "$@"; }
jp() { "$KUBECTL" -n "$ns" get gitrepository "$1" -o jsonpath="$2" 2>/dev/null; }
gitc() { git -C "$1" -c user.name=e2e -c user.email=e2e@localhost "${@:2}"; }
rev_is() { [ "$(jp "$1" '{.status.artifact.revision}')" = "$2" ]; }
export -f jp rev_is; export ns KUBECTL

check "install the CRDs" "$TIDE" install
k create namespace "$ns" >/dev/null 2>&1

r="$tmp/repo"
mkdir -p "$r"
echo "kind: ConfigMap" > "$r/cm.yaml"
git init -q -b main "$r"; gitc "$r" add -A; gitc "$r" commit -q -m "first"

sp=$(free_port); mp=$(free_port); hp=$(free_port)
start() {
  "$TIDE" controller --storage-path "$tmp/storage" --storage-addr "127.0.0.1:$sp" \
    --metrics-addr "127.0.0.1:$mp" --health-addr "127.0.0.1:$hp" --concurrent 2 "$@" \
    2>> "$tmp/controller.log" & ctl=$!
  wait_for 30 curl -sf "http://127.0.0.1:$hp/readyz"
}
stop() { kill -TERM "$ctl"; wait "$ctl"; local rc=$?; ctl=""; return $rc; }
files() { ls "$tmp/storage/gitrepository/$ns/app" 2>/dev/null | wc -l | tr -d ' '; }

# a dead process's scratch directory, as a crash leaves it
mkdir -p "$tmp/storage/.tmp/run-dead00/checkout-x"; touch "$tmp/storage/.tmp/run-dead00.lock"
check "the controller starts with --artifact-retention-ttl=1h --artifact-retention-records=3" \
  start --artifact-retention-ttl=1h --artifact-retention-records=3
check "a dead process's scratch directory is removed at start" test ! -e "$tmp/storage/.tmp/run-dead00"

k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: "file://$r", interval: 1s, ref: {branch: main}}
YAML
check "the first revision is stored" wait_for 30 rev_is app "main@sha1:$(gitc "$r" rev-parse HEAD)"
for i in 2 3 4 5; do
  echo "n: $i" > "$r/cm$i.yaml"; gitc "$r" add -A; gitc "$r" commit -q -m "commit $i"
  wait_for 30 rev_is app "main@sha1:$(gitc "$r" rev-parse HEAD)"
done
check "the fifth revision is stored" rev_is app "main@sha1:$(gitc "$r" rev-parse HEAD)"
check_output "records: 3 artifacts kept of 5 (the current and the two newest)" "3" "$(files)"
cur=$(jp app '{.status.artifact.path}')
check "the current artifact is among them" test -f "$tmp/storage/$cur"
touch "$tmp/storage/gitrepository/$ns/app/.crashed.tar.gz.abcdef.tmp"
check "stop" stop

check "restart with --artifact-retention-ttl=2s --artifact-retention-records=10" \
  start --artifact-retention-ttl=2s --artifact-retention-records=10
only_current() { [ "$(files)" = "1" ] && [ -f "$tmp/storage/$cur" ]; }
check "ttl: older artifacts go on a later reconcile, the current one stays" wait_for 30 only_current
check "a left-over temporary artifact is removed" test ! -e "$tmp/storage/gitrepository/$ns/app/.crashed.tar.gz.abcdef.tmp"
check "the current artifact is served" curl -sf -o /dev/null "$(jp app '{.status.artifact.url}')"
check "a lock file is not served" test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$sp/gitrepository/$ns/app/.lock")" = 404

k -n "$ns" delete gitrepository app --wait=false >/dev/null
gone() { ! "$KUBECTL" -n "$ns" get gitrepository app >/dev/null 2>&1; }
export -f gone
check "deletion completes" wait_for 30 gone
check "deletion removes the object's storage" test ! -e "$tmp/storage/gitrepository/$ns/app"
stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
check "its scratch directory goes with it" test -z "$(ls -A "$tmp/storage/.tmp")"
if grep -q "AddressSanitizer\|LeakSanitizer\|runtime error" "$tmp/controller.log"; then
  not_ok "no sanitizer report"; grep -A 30 "Sanitizer\|runtime error" "$tmp/controller.log" | head -40 | sed 's/^/#   /'
else
  ok "no sanitizer report"
fi
k delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
