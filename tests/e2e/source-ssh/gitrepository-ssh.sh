#!/usr/bin/env bash
# A GitRepository over SSH through `tide controller` against the real control plane, with
# sshd on loopback (test/git/ssh-start): the secret's identity + known_hosts make it Ready
# with Flux's revision; a known_hosts without the server's key, or a refused identity, make it
# Ready=False with a message that holds no key.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-gitssh-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath gitrepository "$1" "$2"; }
ready() { e2e_ready gitrepository "$1" "$2"; }
msg_has() { case "$(jp "$1" '{.status.conditions[?(@.type=="Ready")].message}')" in *"$2"*) return 0;; esac; return 1; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

check "sshd starts" e2e_git_ssh_app "$tmp/ssh"
c1=$E2E_GIT_COMMIT url=$E2E_GIT_URL
ssh-keygen -q -t ed25519 -N '' -f "$tmp/other" >/dev/null
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$tmp/other.pub")" > "$tmp/wrong_known_hosts"
k -n "$ns" create secret generic ssh-good --from-file=identity="$SSH_IDENTITY" \
  --from-file=known_hosts="$tmp/ssh/known_hosts" >/dev/null
k -n "$ns" create secret generic ssh-unknown-host --from-file=identity="$SSH_IDENTITY" \
  --from-file=known_hosts="$tmp/wrong_known_hosts" >/dev/null
k -n "$ns" create secret generic ssh-bad-key --from-file=identity="$tmp/other" \
  --from-file=known_hosts="$tmp/ssh/known_hosts" >/dev/null

# libgit2 1.5 leaks a few bytes per SSH connection (see lsan.supp)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/e2e/source-ssh/lsan.supp"
e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready

k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: "$url", interval: 1h, ref: {branch: main}, secretRef: {name: ssh-good}}
YAML
check "an SSH GitRepository becomes Ready" wait_for 60 ready app True
check_output "revision in Flux's format" "main@sha1:$c1" "$(jp app '{.status.artifact.revision}')"
curl -sf "$(jp app '{.status.artifact.url}')" -o "$tmp/a.tar.gz"
check_output "the artifact holds the repository" "cm.yaml" "$(tar tzf "$tmp/a.tar.gz" | tr '\n' ' ' | sed 's/ $//')"

k -n "$ns" patch gitrepository app --type merge -p '{"spec":{"secretRef":{"name":"ssh-unknown-host"}},"metadata":{"annotations":{"reconcile.fluxcd.io/requestedAt":"1"}}}' >/dev/null
check "a host key not in known_hosts: Ready=False, host key mismatch" wait_for 60 msg_has app "host key mismatch"
check_output "the last artifact is kept" "main@sha1:$c1" "$(jp app '{.status.artifact.revision}')"

k -n "$ns" patch gitrepository app --type merge -p '{"spec":{"secretRef":{"name":"ssh-bad-key"}},"metadata":{"annotations":{"reconcile.fluxcd.io/requestedAt":"2"}}}' >/dev/null
check "a refused identity: Ready=False, authentication failed" wait_for 60 msg_has app "refused the identity"
msg=$(jp app '{.status.conditions[?(@.type=="Ready")].message}')
frag=$(sed -n 2p "$tmp/other" | cut -c1-20)
case "$msg" in *"$frag"*|*PRIVATE*) not_ok "the message holds no key";; *) ok "the message holds no key";; esac
k -n "$ns" delete gitrepository app --wait=true >/dev/null 2>&1
e2e_controller_stop
e2e_no_sanitizer_report "the controller exits without a sanitizer report"
finish
