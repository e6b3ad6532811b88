#!/bin/sh
# Git fetches over SSH (src/source/git.c with libssh2) against OpenSSH's sshd on loopback,
# started here by test/git/ssh-start. The cluster argument is not used. The test program is
# tests/unit/source/git_ssh_test.c, built by `make SAN=1 unit`; it skips itself when
# TIDE_TEST_SSH_DIR is unset, so the plain unit run needs no sshd.
set -eu
cd "$(dirname "$0")/../../.."
bin=build/asan/tests/unit/source/git_ssh_test
[ -x "$bin" ] || make -s SAN=1 unit >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/tide-git-ssh.XXXXXX")
trap 'test/git/ssh-stop "$dir"; rm -rf "$dir"' EXIT
test/git/ssh-start "$dir"
# Full unwinding (libgit2 has no frame pointers) so the suppressions see git_remote_connect.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/e2e/source-ssh/lsan.supp"
TIDE_TEST_SSH_DIR="$dir" "$bin"
