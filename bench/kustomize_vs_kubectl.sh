#!/usr/bin/env bash
# tide kustomize build beside kubectl kustomize (kubectl 1.33 = kustomize v5.6) on generated
# trees (bench/gen-kustomize-tree.py): a base of N objects and three overlay layers, each with
# a namePrefix, labels, annotations, image overrides, a configMapGenerator and a
# strategic-merge patch on all Deployments. Checks the outputs are byte-identical and prints
# wall time and peak RSS of both, and the ratios. Sizes: a 10-object tree (start-up cost),
# then 500, 2,000 and 8,000 objects (scaling).
#
#   make && bench/kustomize_vs_kubectl.sh [SIZES...]     # KUBECTL=... to pick another kubectl
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tide=${TIDE:-$root/build/tide}
kubectl=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10 500 2000 8000)
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# "seconds KiB" of the best of $runs runs (least wall time).
measure() {
  local runs=$1 out=$2; shift 2
  local best=""
  for ((r = 0; r < runs; r++)); do
    /usr/bin/time -f '%e %M' -o "$work/t" "$@" > "$out"
    local t; t=$(cat "$work/t")
    if [ -z "$best" ] || awk -v a="${t% *}" -v b="${best% *}" 'BEGIN{exit !(a<b)}'; then best=$t; fi
  done
  echo "$best"
}

printf '%-8s %-7s %10s %10s %12s %12s %8s %8s\n' objects output tide_s kubectl_s tide_MiB kubectl_MiB speed mem
for n in "${sizes[@]}"; do
  python3 "$root/bench/gen-kustomize-tree.py" "$work/tree$n" "$n"
  krun=1; [ "$n" -le 500 ] && krun=3
  t=$(measure 3 "$work/tide.yaml" "$tide" kustomize build "$work/tree$n/overlay3")
  k=$(measure $krun "$work/kubectl.yaml" "$kubectl" kustomize "$work/tree$n/overlay3")
  same=identical; cmp -s "$work/tide.yaml" "$work/kubectl.yaml" || same=DIFFERENT
  awk -v n="$n" -v s="$same" -v t="$t" -v k="$k" 'BEGIN{
    split(t, a, " "); split(k, b, " ");
    ta = a[1] < 0.01 ? 0.01 : a[1];
    printf "%-8s %-7s %10.2f %10.2f %12.1f %12.1f %7.1fx %7.1fx\n", n, s, a[1], b[1], a[2]/1024, b[2]/1024, b[1]/ta, b[2]/a[2] }'
  rm -rf "$work/tree$n"
done
