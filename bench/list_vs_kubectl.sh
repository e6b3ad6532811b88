#!/bin/sh
# LIST of every ConfigMap: tide's client (bench/list_bench.c) beside
# `kubectl get cm -A -o json > /dev/null`. Needs KUBECONFIG naming a test control plane and
# `make bench`. Usage: bench/list_vs_kubectl.sh [count=5000] [page=500]
set -eu
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG to a test control plane}"
KUBECTL=${KUBECTL:-/usr/lib/google-cloud-sdk/bin/kubectl.1.33}
COUNT=${1:-5000}
PAGE=${2:-500}
[ -x build/bench/list_bench ] || make -s bench >/dev/null
# a warm-up run creates the objects and fills caches on both sides
build/bench/list_bench "$COUNT" "$PAGE" > /dev/null
"$KUBECTL" get cm -A -o json > /dev/null
out=$(build/bench/list_bench "$COUNT" "$PAGE")
echo "$out" | head -1
eval "$(echo "$out" | grep '^TIDE_SECONDS=')"
tmp=$(mktemp)
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$tmp" "$KUBECTL" get cm -A -o json --chunk-size="$PAGE" > /dev/null
end=$(date +%s.%N)
krss=$(tail -1 "$tmp")
rm -f "$tmp"
ksec=$(echo "$end - $start" | bc -l)
printf 'kubectl get cm -A -o json (chunk %s): %.3f s, peak RSS %.1f MiB\n' "$PAGE" "$ksec" \
	"$(echo "$krss / 1024" | bc -l)"
printf 'ratio kubectl/tide: time %.2fx, peak RSS %.2fx\n' \
	"$(echo "$ksec / $TIDE_SECONDS" | bc -l)" "$(echo "$krss / $TIDE_RSS_KB" | bc -l)"
