#!/bin/sh
# First apply of N objects (ConfigMaps, Secrets, Services, Deployments with no replicas, and
# their Namespace) with tide's apply engine (`tide apply-engine`: staged, dry-run validated,
# owner labels) beside `kubectl apply --server-side` of the same YAML on the same control
# plane, each into a fresh namespace; then the no-change re-apply of both: time and write
# requests (the engine's own count, and the API server's apiserver_request_total). Needs
# KUBECONFIG naming a test control plane. Usage: bench/apply_vs_kubectl.sh [count=1000]
set -eu
cd "$(dirname "$0")/.."
: "${KUBECONFIG:?set KUBECONFIG to a test control plane}"
KUBECTL=${KUBECTL:-$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || echo kubectl)}
TIDE=${TIDE:-build/tide}
COUNT=${1:-1000}
[ -x "$TIDE" ] || make -s >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gen() { # gen NAMESPACE: COUNT objects in NAMESPACE (the Namespace among them)
	python3 - "$1" "$COUNT" <<'PY'
import sys
ns, n = sys.argv[1], int(sys.argv[2])
out = [f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"]
for i in range(n - 1):
    k = i % 20
    if k < 14:
        out.append(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: {ns}\n  labels:\n    app: bench\ndata:\n  key: value-{i}\n  other: |\n    line one\n    line two\n")
    elif k < 18:
        out.append(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s-{i}\n  namespace: {ns}\ntype: Opaque\ndata:\n  token: dG9rZW4t{i:04d}\n")
    elif k == 18:
        out.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\n  namespace: {ns}\nspec:\n  selector:\n    app: a{i}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    protocol: TCP\n")
    else:
        out.append(f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d-{i}\n  namespace: {ns}\nspec:\n  replicas: 0\n  selector:\n    matchLabels:\n      app: a{i}\n  template:\n    metadata:\n      labels:\n        app: a{i}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.25\n        ports:\n        - containerPort: 80\n          protocol: TCP\n")
print("---\n".join(out), end="")
PY
}
writes() {
	"$KUBECTL" get --raw /metrics | awk '/^apiserver_request_total\{/ && /subresource=""/ &&
	  /resource="(configmaps|secrets|services|deployments|namespaces)"/ &&
	  /verb="(POST|PUT|PATCH|APPLY|DELETE)"/ { s += $NF } END { print s + 0 }'
}
now() { date +%s.%N; }

"$KUBECTL" delete ns bench-tide bench-kubectl --ignore-not-found --wait=true >/dev/null 2>&1 || true
gen bench-tide > "$tmp/tide.yaml"
gen bench-kubectl > "$tmp/kubectl.yaml"

w0=$(writes); t0=$(now)
"$TIDE" apply-engine -f "$tmp/tide.yaml" --owner bench --owner-namespace flux-system --qps -1 \
	--changed-only --writes > /dev/null 2> "$tmp/tide.err"
t1=$(now); w1=$(writes)
"$KUBECTL" apply --server-side -f "$tmp/kubectl.yaml" > /dev/null
t2=$(now); w2=$(writes)
"$TIDE" apply-engine -f "$tmp/tide.yaml" --owner bench --owner-namespace flux-system --qps -1 \
	--changed-only --writes > "$tmp/tide2.out" 2> "$tmp/tide2.err"
t3=$(now); w3=$(writes)
"$KUBECTL" apply --server-side -f "$tmp/kubectl.yaml" > /dev/null
t4=$(now); w4=$(writes)

ft=$(echo "$t1 - $t0" | bc -l); fk=$(echo "$t2 - $t1" | bc -l)
rt=$(echo "$t3 - $t2" | bc -l); rk=$(echo "$t4 - $t3" | bc -l)
printf 'first apply of %s objects: tide %.2f s (%s writes: dry-run + apply), kubectl --server-side %.2f s (%s writes); ratio tide/kubectl %.2fx\n' \
	"$COUNT" "$ft" "$((w1 - w0))" "$fk" "$((w2 - w1))" "$(echo "$ft / $fk" | bc -l)"
printf 'no-change re-apply: tide %.2f s, %s writes (engine: %s), kubectl --server-side %.2f s, %s writes; ratio tide/kubectl %.2fx\n' \
	"$rt" "$((w3 - w2))" "$(sed -n 's/^writes: //p' "$tmp/tide2.err")" "$rk" "$((w4 - w3))" "$(echo "$rt / $rk" | bc -l)"
"$KUBECTL" delete ns bench-tide bench-kubectl --wait=false >/dev/null 2>&1 || true
