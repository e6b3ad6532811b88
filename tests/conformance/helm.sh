#!/usr/bin/env bash
# helm conformance: runs the Helm rendering corpus (../shared/conformance/helm, beside the
# repository: real charts in cases/, the template-function layer in cases-template/) against
# `tide helm template`, as helm v4.1.4 printed each case (YAML comparison). Prints one
# "ok"/"not ok" line per case, the runner's closing line ("N passed, M failed"), then the
# closing line of a byte-for-byte run (-x) as a note; the exit status is the runner's.
#
#   tests/conformance/helm.sh                 # uses build/tide (TIDE=... to override)
#   tests/conformance/helm.sh 'helm-*' -d 3   # a subset, with diffs (runner options)
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${HELM_CORPUS:-$root/../shared/conformance/helm}
tide=${TIDE:-$root/build/tide}

if [ ! -x "$corpus/run" ]; then
  echo "ok - helm conformance # SKIP corpus not found at $corpus"
  exit 0
fi
if [ ! -x "$tide" ]; then
  echo "not ok - helm conformance: $tide not built"
  exit 1
fi

out=$("$corpus/run" -v -c "$tide helm template {name} {chart} {flags}" "$@" 2>/dev/null)
status=$?
while read -r verdict label rest; do
  case "$verdict" in
    PASS) echo "ok - ${label%:}" ;;
    FAIL|ERROR) echo "not ok - ${label%:}: $rest" ;;
  esac
done <<< "$out"
echo "# $(printf '%s\n' "$out" | tail -n 1)"
exact=$("$corpus/run" -q -x -c "$tide helm template {name} {chart} {flags}" "$@" 2>/dev/null)
echo "# $(printf '%s\n' "$exact" | tail -n 1) (byte for byte)"
if [ "$status" -ne 0 ]; then
  echo "# see the diffs with: $corpus/run -d -c '$tide helm template {name} {chart} {flags}' CASE"
fi
exit $status
