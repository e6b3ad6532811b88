#!/bin/sh
# Issue 16 row 7: a 200,000-key mapping, a 200,000-item strategic-merge list and a
# 200,000-op JSON 6902 list, each built by `tide kustomize build` (goal: under 1 s of
# merging each; before the hash indexes they took over 60 s). Prints seconds and peak RSS.
#   bench/large_inputs.sh [N] [TIDE]
set -eu
n=${1:-200000}
tide=${2:-build/tide}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
python3 - "$dir" "$n" <<'PY'
import os, sys
d, n = sys.argv[1], int(sys.argv[2])
def w(p, s):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write(s)
w(f"{d}/map/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" +
  "".join(f"  k{i}: v\n" for i in range(n)))
w(f"{d}/map/kustomization.yaml", "resources:\n- cm.yaml\n")
h = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      containers:\n"
w(f"{d}/smp0/d.yaml", h + "".join(f"      - name: c{i}\n        image: a\n" for i in range(n)))
w(f"{d}/smp0/kustomization.yaml", "resources:\n- d.yaml\n")
w(f"{d}/smp/d.yaml", open(f"{d}/smp0/d.yaml").read())
w(f"{d}/smp/p.yaml", h + "".join(f"      - name: c{i}\n        image: b\n" for i in range(n)))
w(f"{d}/smp/kustomization.yaml", "resources:\n- d.yaml\npatches:\n- path: p.yaml\n")
w(f"{d}/json6902/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n")
w(f"{d}/json6902/ops.yaml", "".join(f"- op: add\n  path: /data/k{i}\n  value: v\n" for i in range(n)))
w(f"{d}/json6902/kustomization.yaml", "resources:\n- cm.yaml\npatches:\n- path: ops.yaml\n  target:\n    kind: ConfigMap\n")
PY
for t in map smp0 smp json6902; do
	/usr/bin/time -f "$t ($n): %e s, %M KiB peak" "$tide" kustomize build "$dir/$t" > /dev/null
done
echo "(smp0 is the same Deployment without the patch: smp minus smp0 is the merge and reading the patch)"
