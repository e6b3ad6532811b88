#!/bin/sh
# GitRepository figures for `tide controller` on the test control plane:
#   1. first sync of a generated repository of FILES files (default 50,000) served over smart
#      HTTP (git http-backend behind lighttpd): time from creating the GitRepository to Ready
#      (fetch + ignore rules + tarball packed from the Git objects), beside `git clone --depth 1`
#      of the same URL;
#   2. the no-change poll: a requested reconcile when the branch has not moved (time until
#      status.lastHandledReconcileAt, and whether anything was downloaded: the artifact's
#      lastUpdateTime must not move);
#   3. RSS of the controller: idle (no objects), after the 50,000-file sync, and with N
#      (default 500) GitRepositories of a small repository all Ready (time to all Ready too).
# Needs KUBECONFIG naming a test control plane (test/cluster/start DIR).
# Usage: bench/gitrepository.sh [files=50000] [repositories=500]
set -eu
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG to a test control plane (test/cluster/start DIR)}"
KUBECTL=${KUBECTL:-$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || echo kubectl)}
TIDE=${TIDE:-build/tide}
FILES=${1:-50000}
REPOS=${2:-500}
[ -x "$TIDE" ] || make -s >/dev/null
tmp=$(mktemp -d)
ctl=""
cleanup() {
	[ -n "$ctl" ] && kill "$ctl" 2>/dev/null && wait "$ctl" 2>/dev/null
	[ -f "$tmp/http/http-port" ] && test/git/http-stop "$tmp/http" >/dev/null 2>&1
	"$KUBECTL" delete namespace bench-git --wait=false >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
jp() { "$KUBECTL" -n bench-git get gitrepository "$1" -o jsonpath="$2" 2>/dev/null; }
wait_ready() {
	while [ "$(jp "$1" '{.status.conditions[?(@.type=="Ready")].status}')" != True ]; do sleep 0.1; done
}

# ---- the repositories ----------------------------------------------------------------------
mkdir -p "$tmp/http/repos" "$tmp/big"
python3 - "$tmp/big" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"dir{i // 500:03d}", f"sub{i // 50 % 10}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i}.yaml"), "w") as f:
        f.write(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  key: value-{i}\n")
PY
git -C "$tmp/big" init -q -b main
git -C "$tmp/big" add -A
git -C "$tmp/big" -c user.name=b -c user.email=b@b commit -q -m big
git clone -q --bare "$tmp/big" "$tmp/http/repos/big.git"
mkdir -p "$tmp/small"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n' > "$tmp/small/cm.yaml"
git -C "$tmp/small" init -q -b main
git -C "$tmp/small" add -A
git -C "$tmp/small" -c user.name=b -c user.email=b@b commit -q -m small
test/git/http-start "$tmp/http" >/dev/null
url="http://127.0.0.1:$(cat "$tmp/http/http-port")/big.git"
echo "repository: $FILES files, $(du -sh "$tmp/http/repos/big.git" | cut -f1) packed, served over smart HTTP"

# ---- git clone --depth 1 -------------------------------------------------------------------
t0=$(now)
git clone -q --depth 1 "$url" "$tmp/clone"
t1=$(now)
git_s=$(secs "$t0" "$t1")

# ---- tide controller -----------------------------------------------------------------------
"$TIDE" install >/dev/null 2>&1
"$KUBECTL" create namespace bench-git >/dev/null 2>&1 || true
sp=$(free_port)
"$TIDE" controller --storage-path "$tmp/storage" --storage-addr "127.0.0.1:$sp" \
	--metrics-addr "127.0.0.1:0" --health-addr "127.0.0.1:0" --concurrent 4 \
	2> "$tmp/controller.log" &
ctl=$!
sleep 3
idle=$(rss "$ctl")
t0=$(now)
"$KUBECTL" -n bench-git apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: big}
spec: {url: "$url", interval: 1h, ref: {branch: main}}
YAML
wait_ready big
t1=$(now)
tide_s=$(secs "$t0" "$t1")
after_big=$(rss "$ctl")
size=$(jp big '{.status.artifact.size}')

# ---- no-change poll ------------------------------------------------------------------------
before=$(jp big '{.status.artifact.lastUpdateTime}')
sleep 1.1
t0=$(now)
"$KUBECTL" -n bench-git annotate --overwrite gitrepository big reconcile.fluxcd.io/requestedAt=poll >/dev/null
while [ "$(jp big '{.status.lastHandledReconcileAt}')" != poll ]; do sleep 0.05; done
t1=$(now)
poll_s=$(secs "$t0" "$t1")
after=$(jp big '{.status.artifact.lastUpdateTime}')
[ "$before" = "$after" ] && repacked=no || repacked=yes

# ---- many repositories ---------------------------------------------------------------------
python3 - "$REPOS" "$tmp/small" > "$tmp/many.yaml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
print("\n---\n".join(
    f"apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: r{i}\n"
    f"spec:\n  url: file://{path}\n  interval: 10m\n  ref:\n    branch: main" for i in range(n)))
PY
t0=$(now)
"$KUBECTL" -n bench-git apply -f "$tmp/many.yaml" >/dev/null
while :; do
	ready=$("$KUBECTL" -n bench-git get gitrepositories -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true)
	[ "$ready" -ge $((REPOS + 1)) ] && break
	sleep 0.5
done
t1=$(now)
many_s=$(secs "$t0" "$t1")
many_rss=$(rss "$ctl")
peak=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$ctl/status")

echo
printf '%-58s %10s %10s %8s\n' "" "tide" "git" "ratio"
printf '%-58s %9ss %9ss %7sx\n' "first sync of $FILES files (tide: fetch+tarball)" "$tide_s" "$git_s" \
	"$(python3 -c "print(f'{$tide_s / $git_s:.2f}')")"
printf '%-58s %9ss\n' "no-change poll (requested reconcile, branch unmoved)" "$poll_s"
printf '%-58s %10s\n' "... artifact rewritten" "$repacked"
printf '%-58s %10s\n' "artifact size (bytes)" "$size"
printf '%-58s %8s MiB\n' "controller RSS idle" "$idle"
printf '%-58s %8s MiB\n' "controller RSS after the $FILES-file sync" "$after_big"
printf '%-58s %9ss\n' "$REPOS GitRepositories (file://, small repo): all Ready in" "$many_s"
printf '%-58s %8s MiB\n' "controller RSS with $((REPOS + 1)) GitRepositories" "$many_rss"
printf '%-58s %8s MiB\n' "controller peak RSS (whole run)" "$peak"
