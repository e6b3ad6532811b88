#!/bin/sh
# Many OCIRepositories through `tide controller` on the test control plane, polling an
# unchanged tag on Debian's docker-registry (distribution 2.8) on loopback: N (default 200)
# OCIRepositories of one small artifact (pushed with `tide push artifact`), interval INTERVAL
# (default 30s), created at once:
#   1. the time from creating them to all Ready, and the registry requests that took;
#   2. the poll cycles after that, for CYCLES intervals (default 4): requests to the registry
#      per poll, from its access log (a poll that finds the same digest must do a HEAD of the
#      manifest and nothing else: no manifest GET, no blob GET), the objects whose status was
#      written (resourceVersion moved) or whose artifact was rebuilt (lastUpdateTime moved),
#      and the controller's CPU seconds (utime + stime from /proc) per poll cycle of all N;
#   3. the controller's RSS: idle, with all Ready, and its peak (VmHWM).
# Flux's published figure for comparison (fluxcd.io, Flux 2.2 benchmarks, a 16-core runner):
# 1,000 OCIRepositories Ready in 1m25s, source-controller at 67-110 MiB; Flux does not run
# here, so that is a published figure, not a side-by-side run.
# Needs KUBECONFIG naming a test control plane (test/cluster/start DIR).
# Usage: bench/ocirepositories.sh [N=200] [INTERVAL=30s] [CYCLES=4]
# TLS=1 serves the registry over https (its CA in a Secret of certSecretRef); else plain http
# with spec.insecure, where each reconcile first finds the scheme with a GET /v2/ (https
# tried first: a failed handshake, not in the access log; then http), as go-containerregistry
# does for Flux.
# CONTROLLER_FLAGS adds flags to `tide controller` (defaults: Flux's 4 workers, 50 requests a
# second to the API server, bursts of 300).
#
# Results (2 cores shared with other sessions, load average 2-4; the control plane's etcd in
# memory; release build):  see README.md, "Benchmarks".
set -eu
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG to a test control plane (test/cluster/start DIR)}"
KUBECTL=${KUBECTL:-$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || echo kubectl)}
TIDE=${TIDE:-build/tide}
N=${1:-200}
INTERVAL=${2:-30s}
CYCLES=${3:-4}
NS=bench-oci
[ -x "$TIDE" ] || make -s >/dev/null
tmp=$(mktemp -d)
ctl=""
cleanup() {
	[ -n "$ctl" ] && kill "$ctl" 2>/dev/null && wait "$ctl" 2>/dev/null
	# the controller is gone: drop its finalizers, or the namespace stays terminating
	"$KUBECTL" -n $NS get ocirepositories -o name 2>/dev/null |
		xargs -r -P 8 -n 50 sh -c '"$0" -n '$NS' patch "$@" --type=merge -p "{\"metadata\":{\"finalizers\":null}}"' "$KUBECTL" >/dev/null 2>&1 || true
	"$KUBECTL" delete namespace $NS --wait=false >/dev/null 2>&1 || true
	[ -f "$tmp/reg/registry.pid" ] && test/oci/registry-stop "$tmp/reg"
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.1f}')"; }
mib() { awk -v k="$2" '$1 == k":" { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# utime + stime of the process, in seconds
cpu() { python3 -c "import os,sys; f=open('/proc/$1/stat').read().rsplit(')',1)[1].split(); print((int(f[11])+int(f[12]))/os.sysconf('SC_CLK_TCK'))"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ready_count() {
	"$KUBECTL" -n $NS get ocirepositories -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true
}
fields() { # name, resourceVersion, artifact lastUpdateTime of each
	"$KUBECTL" -n $NS get ocirepositories -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.resourceVersion} {.status.artifact.lastUpdateTime}{"\n"}{end}'
}
# the registry's access log lines (combined format) of tide's requests from line $1 on,
# counted by kind: "HEAD manifest", "GET manifest", "GET blob", "GET /v2/", ...
requests() {
	tail -n +"$1" "$tmp/reg/registry.log" | grep '^127\.0\.0\.1 .*"tide/' | python3 -c '
import re, sys, collections
c = collections.Counter()
for line in sys.stdin:
    m = re.search(r"\"(\w+) (\S+) HTTP/[\d.]+\" (\d+)", line)
    if not m:
        continue
    meth, path, code = m.groups()
    path = path.split("?")[0]
    kind = ("manifest" if "/manifests/" in path else "blob" if "/blobs/" in path else
            "tags" if path.endswith("/tags/list") else path)
    c[f"{meth} {kind} {code}"] += 1
print(" ".join(f"{k.replace(chr(32), chr(95))}={v}" for k, v in sorted(c.items())))'
}
count_of() { # count_of KEY "k=v k=v...": the value of KEY (0 when absent)
	echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2; f = 1 } END { if (!f) print 0 }'
}

# ---- the registry and the artifact ---------------------------------------------------------
mkdir -p "$tmp/reg" "$tmp/art"
# the access log on (registry-start turns it off): one line for each request
REGISTRY_LOG_ACCESSLOG_DISABLED=false test/oci/registry-start "$tmp/reg" none ${TLS:+tls}
reg="127.0.0.1:$(cat "$tmp/reg/registry-port")"
for i in 1 2 3 4 5; do
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%s\ndata:\n  key: value-%s\n' "$i" "$i" > "$tmp/art/cm$i.yaml"
done
"$TIDE" push artifact "oci://$reg/bench/app:v1" --path "$tmp/art" --source https://example.com/app.git \
	--revision main@sha1:0123456789abcdef0123456789abcdef01234567 --insecure-registry >/dev/null 2>&1
tls_spec="  insecure: true"
if [ -n "${TLS:-}" ]; then
	tls_spec="  certSecretRef: {name: registry-ca}"
fi

# ---- tide controller -----------------------------------------------------------------------
"$TIDE" install >/dev/null 2>&1
# a namespace left terminating by an earlier run goes first
while "$KUBECTL" get namespace $NS >/dev/null 2>&1; do sleep 1; done
"$KUBECTL" create namespace $NS >/dev/null
[ -z "${TLS:-}" ] || "$KUBECTL" -n $NS create secret generic registry-ca --from-file=ca.crt="$tmp/reg/ca.crt" >/dev/null
sp=$(free_port)
"$TIDE" controller --storage-path "$tmp/storage" --storage-addr "127.0.0.1:$sp" \
	--metrics-addr "127.0.0.1:0" --health-addr "127.0.0.1:0" ${CONTROLLER_FLAGS:-} 2> "$tmp/controller.log" &
ctl=$!
sleep 3
idle=$(mib "$ctl" VmRSS)
python3 - "$N" "$reg" "$INTERVAL" "$tls_spec" > "$tmp/objects.yaml" <<'PY'
import sys
n, reg, interval, tls = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
print("\n---\n".join(
    f"apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: oci{i}\n"
    f"spec:\n  url: oci://{reg}/bench/app\n  interval: {interval}\n{tls}\n  ref:\n    tag: v1"
    for i in range(n)))
PY

# ---- all Ready -----------------------------------------------------------------------------
line0=$(($(wc -l < "$tmp/reg/registry.log") + 1))
cpu0=$(cpu "$ctl")
t0=$(now)
"$KUBECTL" -n $NS apply -f "$tmp/objects.yaml" >/dev/null
while [ "$(ready_count)" -lt "$N" ]; do sleep 0.5; done
t1=$(now)
all_ready=$(secs "$t0" "$t1")
cpu_ready=$(python3 -c "print(f'{$(cpu "$ctl") - $cpu0:.2f}')")
first=$(requests "$line0")
rss_ready=$(mib "$ctl" VmRSS)

# ---- the poll cycles -----------------------------------------------------------------------
# from the first poll on (the objects became Ready over all_ready seconds: the window starts
# one interval after the first was Ready, so that it holds whole cycles)
ival=$(python3 -c "
import re; s='$INTERVAL'; t=0
for v, u in re.findall(r'([\d.]+)(h|ms|m|s)', s): t += float(v) * {'h': 3600, 'm': 60, 's': 1, 'ms': 0.001}[u]
print(t)")
fields | sort > "$tmp/before"
line1=$(($(wc -l < "$tmp/reg/registry.log") + 1))
cpu1=$(cpu "$ctl")
t0=$(now)
sleep "$(python3 -c "print($ival * $CYCLES)")"
t1=$(now)
cpu2=$(cpu "$ctl")
fields | sort > "$tmp/after"
polls=$(requests "$line1")
window=$(secs "$t0" "$t1")
peak=$(mib "$ctl" VmHWM)
rss_polls=$(mib "$ctl" VmRSS)
heads=$(count_of HEAD_manifest_200 "$polls")
total=$(echo "$polls" | tr ' ' '\n' | awk -F= '{ s += $2 } END { print s + 0 }')
written=$(join "$tmp/before" "$tmp/after" | awk '$2 != $4' | wc -l)
rebuilt=$(join "$tmp/before" "$tmp/after" | awk '$3 != $5' | wc -l)
per_poll=$(python3 -c "print(f'{$total / $heads:.2f}' if $heads else 'n/a')")
cycles_seen=$(python3 -c "print(f'{$heads / $N:.2f}')")
cpu_cycle=$(python3 -c "print(f'{($cpu2 - $cpu1) / ($heads / $N):.3f}' if $heads else 'n/a')")
cpu_poll_ms=$(python3 -c "print(f'{($cpu2 - $cpu1) * 1000 / $heads:.2f}' if $heads else 'n/a')")

echo
printf '%-66s %s\n' "$N OCIRepositories (one tag, interval $INTERVAL): all Ready in" "${all_ready}s"
printf '%-66s %s\n' "... registry requests until then" "$first"
printf '%-66s %s\n' "... controller CPU until then" "${cpu_ready}s"
printf '%-66s %s\n' "poll window (after all Ready)" "${window}s, $heads polls ($cycles_seen cycles of $N)"
printf '%-66s %s\n' "... registry requests in the window" "$polls"
printf '%-66s %s\n' "... requests per poll (unchanged tag)" "$per_poll"
printf '%-66s %s\n' "... objects whose status was written / artifact rebuilt" "$written / $rebuilt"
printf '%-66s %s\n' "... controller CPU per poll cycle of all $N (per poll)" "${cpu_cycle}s (${cpu_poll_ms} ms)"
printf '%-66s %s MiB\n' "controller RSS idle" "$idle"
printf '%-66s %s MiB\n' "controller RSS with all Ready / after the polls" "$rss_ready / $rss_polls"
printf '%-66s %s MiB\n' "controller peak RSS (VmHWM)" "$peak"
