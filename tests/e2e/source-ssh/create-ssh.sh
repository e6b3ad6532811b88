#!/usr/bin/env bash
# `tide create secret git` and `tide create source git` over SSH as flux does them, against
# sshd on loopback (test/git/ssh-start) and the real control plane: the server's host key is
# scanned into known_hosts (exactly the line ssh-keyscan would give for this server), the key
# pair is read from a file or generated, the deploy key is printed and confirmed on stdin
# (or skipped with --silent), and the GitRepository made with that Secret becomes Ready
# through `tide controller`. Scan failures (nothing listening, not an SSH server) are one
# line in flux's words.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-createssh-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
secret_key() { k -n "$ns" get secret "$1" -o jsonpath="{.data.${2//./\\.}}" 2>/dev/null | base64 -d; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

check "sshd starts" e2e_git_ssh_app "$tmp/ssh"
c1=$E2E_GIT_COMMIT url=$E2E_GIT_URL

# --- create secret git: the host key is scanned --------------------------------------------
out=$("$TIDE" create secret git scanned -n "$ns" --url="$url" --private-key-file="$SSH_IDENTITY" 2>&1)
check_contains "create secret git over ssh without --known-hosts-file succeeds" "secret 'scanned' created in '$ns' namespace" "$out"
check_output "known_hosts is the server's scanned host key, named [host]:port" "$SSH_KNOWN_HOSTS" "$(secret_key scanned known_hosts)"
check_output "identity is the key file" "$(cat "$SSH_IDENTITY")" "$(secret_key scanned identity)"
check_output "identity.pub is the key's public half" "$(cat "$SSH_IDENTITY.pub")" "$(secret_key scanned identity.pub)"
out=$("$TIDE" create secret git exported --url="$url" --ssh-key-algorithm=ed25519 --export 2>&1)
check_contains "--export scans too" "known_hosts: '$SSH_KNOWN_HOSTS'" "$out"
echo "[127.0.0.1]:$SSH_PORT ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" > "$tmp/kh"
out=$("$TIDE" create secret git fromfile --url="ssh://git@127.0.0.1:1/r" --known-hosts-file="$tmp/kh" --export 2>&1)
check_contains "--known-hosts-file is taken as it is, with no scan" "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" "$out"

# --- scan failures -------------------------------------------------------------------------
closed=$(e2e_port)
out=$("$TIDE" create secret git s --url="ssh://git@127.0.0.1:$closed/r" --export 2>&1); rc=$?
check_output "nothing listening: exit 1" 1 "$rc"
check_output "nothing listening: flux's message" \
  "✗ SSH key scan for host 127.0.0.1:$closed failed, error: dial tcp 127.0.0.1:$closed: connect: connection refused" "$out"
jp=$(e2e_port)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(4)
while True:
    c, _ = s.accept(); c.sendall(b"HTTP/1.0 400 Bad Request\r\n\r\n"); c.close()
' "$jp" &
e2e_on_exit e2e_kill $!
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $jp)).close()"
out=$("$TIDE" create secret git s --url="ssh://git@127.0.0.1:$jp/r" --export 2>&1); rc=$?
check_output "not an SSH server: exit 1" 1 "$rc"
check_contains "not an SSH server: the handshake failed" "✗ SSH key scan for host 127.0.0.1:$jp failed, error: ssh: handshake failed: " "$out"
out=$("$TIDE" create source git s -n "$ns" --url="ssh://git@127.0.0.1:$closed/r" --branch=main --silent 2>&1); rc=$?
check_output "create source git: a failed scan is exit 1" 1 "$rc"
check_contains "create source git: ... with flux's message" "✗ SSH key scan for host 127.0.0.1:$closed failed" "$out"
check_fails "create source git: ... and no GitRepository" k -n "$ns" get gitrepository s
check_output "create source git --ca-file over ssh is refused" "✗ specifying a CA file is not supported for Git over SSH" \
  "$("$TIDE" create source git s -n "$ns" --url="$url" --branch=main --ca-file=/etc/hostname 2>&1)"

# --- create source git through the controller ----------------------------------------------
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/e2e/source-ssh/lsan.supp"
e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready

out=$("$TIDE" create source git fromkey -n "$ns" --url="$url" --branch=main --private-key-file="$SSH_IDENTITY" \
  --silent --timeout=90s 2>&1); rc=$?
check_output "create source git --private-key-file --silent: exit 0" 0 "$rc"
check_contains "... collects the server's key" "✔ collected public key from SSH server:
$SSH_KNOWN_HOSTS" "$out"
check_contains "... prints the deploy key" "✚ deploy key: $(cut -d' ' -f1,2 "$SSH_IDENTITY.pub")" "$out"
check_contains "... applies the secret" "► applying secret with repository credentials
✔ authentication configured" "$out"
check_contains "... and the source is Ready at the commit" "✔ fetched revision: main@sha1:$c1" "$out"
case "$out" in *"[y/N]"*) not_ok "--silent asks nothing";; *) ok "--silent asks nothing";; esac
check_output "the GitRepository refers to a Secret named as it" "fromkey" \
  "$(k -n "$ns" get gitrepository fromkey -o jsonpath='{.spec.secretRef.name}')"
check_output "that Secret holds the scanned known_hosts" "$SSH_KNOWN_HOSTS" "$(secret_key fromkey known_hosts)"

# a generated key (flux's default, ECDSA P-384): the deploy key must be added to the server before the answer
mkfifo "$tmp/answer"
"$TIDE" create source git generated -n "$ns" --url="$url" --branch=main \
  --timeout=90s < "$tmp/answer" > "$tmp/generated.out" 2>&1 & gen=$!
exec 7> "$tmp/answer"
check "the deploy key is printed and the question asked" \
  wait_for 30 grep -q "? Have you added the deploy key to your repository? \[y/N\]" "$tmp/generated.out"
deploy=$(sed -n 's/^✚ deploy key: //p' "$tmp/generated.out")
check_contains "the generated deploy key is ECDSA P-384 (flux's default)" "ecdsa-sha2-nistp384 AAAA" "$deploy"
printf 'restrict,command="%s" %s\n' "$tmp/ssh/git-only" "$deploy" >> "$tmp/ssh/authorized_keys"
echo y >&7; exec 7>&-
wait "$gen"; rc=$?
check_output "after 'y', create source git exits 0" 0 "$rc"
check_contains "... and the source is Ready with the generated key" "✔ fetched revision: main@sha1:$c1" "$(cat "$tmp/generated.out")"
check_output "the Secret's identity.pub is the deploy key" "$deploy" "$(secret_key generated identity.pub)"
check_contains "the Secret's identity is a PKCS#8 PEM key" "-----BEGIN PRIVATE KEY-----" "$(secret_key generated identity)"

out=$("$TIDE" create source git refused -n "$ns" --url="$url" --branch=main <<< "n" 2>&1); rc=$?
check_output "answering 'n' is exit 1" 1 "$rc"
check_contains "... with flux's 'aborting'" "✗ aborting" "$out"
check_fails "... and no Secret" k -n "$ns" get secret refused
check_fails "... and no GitRepository" k -n "$ns" get gitrepository refused

e2e_controller_stop
e2e_no_sanitizer_report "the controller exits without a sanitizer report"
finish
