#!/bin/sh
# Many Kustomizations through `tide controller` on the test control plane: N Kustomizations
# (default 500) of OBJECTS ConfigMaps each (default 20), all from one GitRepository (file://),
# created at once: the time until every one is Ready, the controller's RSS then and at its
# peak, and the time of a full no-change round (every Kustomization asked to reconcile again:
# with nothing changed the apply engine writes nothing). Flux's published figure for
# comparison: 1,000 Kustomizations took 4m13s (fluxcd.io blog, Flux 2.2 benchmarks).
# Needs KUBECONFIG naming a test control plane. Usage: bench/kustomizations.sh [N] [OBJECTS]
# CONTROLLER_FLAGS adds flags to `tide controller` (e.g. "--concurrent=20 --kube-api-qps=500";
# the defaults are Flux's: 4 workers, 50 requests a second, bursts of 300).
set -eu
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG to a test control plane (test/cluster/start DIR)}"
KUBECTL=${KUBECTL:-$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || echo kubectl)}
TIDE=${TIDE:-build/tide}
N=${1:-500}
OBJECTS=${2:-20}
[ -x "$TIDE" ] || make -s >/dev/null
tmp=$(mktemp -d)
ctl=""
cleanup() {
	[ -n "$ctl" ] && kill "$ctl" 2>/dev/null && wait "$ctl" 2>/dev/null
	# the controller is gone: drop its finalizers, or the namespace stays terminating
	"$KUBECTL" -n bench-ks get kustomizations -o name 2>/dev/null |
		xargs -r -P 8 -I{} "$KUBECTL" -n bench-ks patch {} --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1 || true
	"$KUBECTL" delete namespace bench-ks bench-ks-objects --wait=false >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ready_count() {
	"$KUBECTL" -n bench-ks get kustomizations -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true
}
handled_count() {
	"$KUBECTL" -n bench-ks get kustomizations -o jsonpath='{range .items[*]}{.status.lastHandledReconcileAt}{"\n"}{end}' | grep -c "^$1\$" || true
}

python3 - "$tmp/repo" "$N" "$OBJECTS" <<'PY'
import os, sys
root, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(n):
    d = os.path.join(root, f"app{i}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "objects.yaml"), "w") as f:
        f.write("\n---\n".join(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app{i}-cm{j}\n  namespace: bench-ks-objects\n"
            f"data:\n  key: value-{j}\n" for j in range(k)))
PY
git -C "$tmp/repo" init -q -b main
git -C "$tmp/repo" add -A
git -C "$tmp/repo" -c user.name=b -c user.email=b@b commit -q -m apps

"$TIDE" install >/dev/null 2>&1
"$KUBECTL" create namespace bench-ks >/dev/null 2>&1 || true
"$KUBECTL" create namespace bench-ks-objects >/dev/null 2>&1 || true
sp=$(free_port)
"$TIDE" controller --storage-path "$tmp/storage" --storage-addr "127.0.0.1:$sp" \
	--metrics-addr "127.0.0.1:0" --health-addr "127.0.0.1:0" ${CONTROLLER_FLAGS:-} 2> "$tmp/controller.log" &
ctl=$!
python3 - "$N" "$tmp/repo" > "$tmp/objects.yaml" <<'PY'
import sys
n, repo = int(sys.argv[1]), sys.argv[2]
docs = [f"apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: apps\n"
        f"spec:\n  url: file://{repo}\n  interval: 1h\n  ref:\n    branch: main"]
docs += [f"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app{i}\n"
         f"spec:\n  interval: 1h\n  path: ./app{i}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: apps"
         for i in range(n)]
print("\n---\n".join(docs))
PY
t0=$(now)
"$KUBECTL" -n bench-ks apply -f "$tmp/objects.yaml" >/dev/null
while [ "$(ready_count)" -lt "$N" ]; do sleep 1; done
t1=$(now)
all_ready=$(secs "$t0" "$t1")
rss=$(awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$ctl/status")

t0=$(now)
# 16 kubectl processes at once: one kubectl annotating 500 objects one by one would take
# most of the round itself
"$KUBECTL" -n bench-ks get kustomizations -o name | xargs -P 16 -n 32 sh -c \
	'"$0" -n bench-ks annotate --overwrite "$@" reconcile.fluxcd.io/requestedAt=again' "$KUBECTL" >/dev/null
while [ "$(handled_count again)" -lt "$N" ]; do sleep 1; done
t1=$(now)
again=$(secs "$t0" "$t1")
peak=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$ctl/status")
objects=$("$KUBECTL" -n bench-ks-objects get configmaps --no-headers | grep -c cm || true)

echo
printf '%-64s %s\n' "$N Kustomizations x $OBJECTS ConfigMaps ($objects applied): all Ready in" "${all_ready}s"
printf '%-64s %s\n' "no-change round (all $N asked to reconcile again) done in" "${again}s"
printf '%-64s %s MiB\n' "controller RSS with all Ready" "$rss"
printf '%-64s %s MiB\n' "controller peak RSS" "$peak"
