# Helpers for end-to-end test scripts (sourced). Each script gets the cluster from
# KUBECONFIG / KUBECONFIG_USER (test/cluster/start writes them), tide from $TIDE, and prints
# one "ok - name" / "not ok - name" line per check; scripts/test adds them up.
set -u
TIDE=${TIDE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/tide}
# kubectl only cross-checks what tide did; tide itself never runs it.
KUBECTL=${KUBECTL:-$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || command -v kubectl || echo kubectl)}
E2E_FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; E2E_FAILED=1; }

# check NAME COMMAND...: ok when the command succeeds.
check() { local name=$1; shift; if "$@" >/tmp/e2e.$$ 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/#   /' /tmp/e2e.$$ | head -n 20; fi; rm -f /tmp/e2e.$$; }
# check_fails NAME COMMAND...: ok when the command fails.
check_fails() { local name=$1; shift; if "$@" >/tmp/e2e.$$ 2>&1; then not_ok "$name (succeeded)"; sed 's/^/#   /' /tmp/e2e.$$ | head -n 20; else ok "$name"; fi; rm -f /tmp/e2e.$$; }
# check_output NAME EXPECTED ACTUAL: exact comparison, with a diff when they differ.
check_output() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/#   /' | head -n 30; fi
}
# check_contains NAME NEEDLE HAYSTACK
check_contains() {
  case "$3" in *"$2"*) ok "$1" ;; *) not_ok "$1"; printf '#   expected to contain: %s\n#   got: %s\n' "$2" "$3" | head -n 20 ;; esac
}
# wait_for SECONDS COMMAND...: retries until the command succeeds.
wait_for() { local t=$1; shift; local end=$((SECONDS + t)); until "$@" >/dev/null 2>&1; do [ $SECONDS -ge $end ] && return 1; sleep 0.2; done; }
# drop_finalizers NAMESPACE KINDS: removes the finalizers of the objects of KINDS (as for
# kubectl get: "kustomizations,gitrepositories") so that a namespace deleted after its
# controller stopped does not stay terminating.
drop_finalizers() {
  local o
  for o in $("$KUBECTL" -n "$1" get "$2" -o name 2>/dev/null); do
    "$KUBECTL" -n "$1" patch "$o" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1
  done
}
finish() { exit "$E2E_FAILED"; }
