#!/usr/bin/env bash
# kustomize conformance: runs kustomize's own test corpus (../shared/conformance/kustomize,
# beside the repository) against `tide kustomize build`, comparing output byte for byte
# (--exact). Prints one "ok"/"not ok" line per case. A case listed in
# tests/conformance/kustomize-failing.txt (one per line, "  # reason" after it) is a known
# failure: it prints "ok - ... # TODO" and does not fail the run; a baseline case that passes
# is reported so the list can shrink. Then the project's own cases, in the same layout, in
# tests/conformance/kustomize-realworld/ (differences found on real repositories by
# tests/realworld/run.sh, expected output from kubectl kustomize 1.33): all must pass.
#
#   tests/conformance/kustomize.sh              # uses build/tide (TIDE=... to override)
#   tests/conformance/kustomize.sh 'TestComponent*'   # a subset (runner patterns)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${KUSTOMIZE_CORPUS:-$root/../shared/conformance/kustomize}
baseline=$root/tests/conformance/kustomize-failing.txt
tide=${TIDE:-$root/build/tide}

if [ ! -x "$corpus/run" ]; then
  echo "ok - kustomize conformance # SKIP corpus not found at $corpus"
  exit 0
fi
if [ ! -x "$tide" ]; then
  echo "not ok - kustomize conformance: $tide not built"
  exit 1
fi

known=""
[ -f "$baseline" ] && known=$(sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$baseline")
is_known() { printf '%s\n' "$known" | grep -qxF "$1"; }

out=$("$corpus/run" -x -c "$tide kustomize build {flags} {dir}" "$@" 2>/dev/null)
status=0
while read -r verdict name rest; do
  name=${name%:}
  case "$verdict" in
    PASS)
      if is_known "$name"; then
        echo "ok - $name # passes now: remove it from tests/conformance/kustomize-failing.txt"
      else
        echo "ok - $name"
      fi ;;
    FAIL|ERROR)
      if is_known "$name"; then
        echo "ok - $name # TODO known failure ($rest)"
      else
        echo "not ok - $name: $rest"
        status=1
      fi ;;
  esac
done <<< "$out"
echo "# $(printf '%s\n' "$out" | tail -n 1) (byte for byte)"

own=$root/tests/conformance/kustomize-realworld
if [ -d "$own" ]; then
  rw=$("$corpus/run" -x -c "$tide kustomize build {flags} {dir}" --cases "$own" "$@" 2>/dev/null)
  while read -r verdict name rest; do
    name=${name%:}
    case "$verdict" in
      PASS) echo "ok - realworld/$name" ;;
      FAIL|ERROR) echo "not ok - realworld/$name: $rest"; status=1 ;;
    esac
  done <<< "$rw"
  echo "# realworld cases: $(printf '%s\n' "$rw" | tail -n 1) (byte for byte)"
fi
if [ "$status" -ne 0 ]; then
  echo "# see the diffs with: $corpus/run -x -d -c '$tide kustomize build {flags} {dir}' CASE"
fi
exit $status
