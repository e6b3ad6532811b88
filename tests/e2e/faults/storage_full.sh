#!/usr/bin/env bash
# Artifact storage full (hardening, issue 16): --storage-path on a 5 MiB tmpfs, a GitRepository
# whose next commit adds 10 MiB that does not compress. The reconcile fails with a condition
# that says "No space left on device", the previous artifact stays in status, whole and
# served, nothing half-written is left in the object's storage, and the controller goes on:
# once the big commit is gone from the branch the next revision is stored. Needs mount(2) (root); skipped
# where tmpfs cannot be mounted.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-fault-storagefull-$$
storage=$tmp/storage
jp() { e2e_jsonpath gitrepository app "$1" "$ns"; }
stored() { [ "$(jp '{.status.artifact.revision}')" = "main@sha1:$1" ]; }
full() { [ "$(e2e_condition gitrepository app Ready status "$ns")" = False ] &&
  local m; m=$(e2e_condition gitrepository app Ready message "$ns"); [[ "${m,,}" == *"no space left on device"* ]]; }
export -f jp stored full; export ns

mkdir -p "$storage"
if ! mount -t tmpfs -o size=5m tmpfs "$storage" 2>/dev/null; then
  ok "skipped: cannot mount a tmpfs here"
  finish
fi
e2e_on_exit umount -l "$storage"

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
e2e_on_exit drop_finalizers "$ns" gitrepositories

r=$tmp/repo
mkdir -p "$r"
echo "kind: ConfigMap" > "$r/cm.yaml"
e2e_git_init "$r" first
c1=$(e2e_git "$r" rev-parse HEAD)

e2e_controller
check "the controller is ready" e2e_controller_ready
"$KUBECTL" -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: "file://$r", interval: 2s, ref: {branch: main}}
YAML
check "the first commit is stored" wait_for 60 stored "$c1"
digest=$(jp '{.status.artifact.digest}')
url=$(jp '{.status.artifact.url}')

head -c 10M /dev/urandom > "$r/big.bin"
e2e_git "$r" add big.bin
e2e_git "$r" commit -q -m "10 MiB"
check "Ready=False: no space left on device" wait_for 60 full
echo "# $(e2e_condition gitrepository app Ready reason "$ns"): $(e2e_condition gitrepository app Ready message "$ns" | cut -c1-100)...$(e2e_condition gitrepository app Ready message "$ns" | tail -c 60)"
check_output "the previous artifact stays in status" "$digest" "$(jp '{.status.artifact.digest}')"
curl -sf "$url" -o "$tmp/a.tar.gz"
check_output "... and is served whole" "$digest" "sha256:$(sha256sum "$tmp/a.tar.gz" | cut -d' ' -f1)"
sleep 4 # a few more failing reconciles
check_output "nothing half-written is left beside it" "1" \
  "$(ls -A "$storage/gitrepository/$ns/app" | grep -vc '^\.lock$')"
check "the controller is still ready" curl -sf "http://127.0.0.1:$E2E_HEALTH_PORT/readyz"

# the big commit taken out of the history (a fetch of a history that holds it needs its
# 10 MiB again: libgit2 1.5 has no shallow fetch), as a user would fix such a push
e2e_git "$r" reset -q --hard "$c1"
echo "n: 3" > "$r/cm3.yaml"
e2e_git "$r" add cm3.yaml
e2e_git "$r" commit -q -m "small"
c3=$(e2e_git "$r" rev-parse HEAD)
check "space again: the next revision is stored" wait_for 60 stored "$c3"
check "Ready again" wait_for 30 e2e_ready gitrepository app

e2e_controller_stop
e2e_no_sanitizer_report "no sanitizer report" "$E2E_CTL_LOG"
finish
