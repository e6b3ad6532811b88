#!/usr/bin/env bash
# A tenant's kubeconfig (spec.kubeConfig.secretRef) must be self-contained (issue 16, rows
# 1-3; Flux: fluxcd/pkg runtime/client, #1281): through `tide controller` against the real
# API server, with local listeners on loopback (one port per case, HTTPS or plain HTTP) that
# record every connection and request they receive:
#   - tokenFile naming a file of the controller's host with a fake token, the server a
#     listener: Ready=False ReconciliationFailed naming the field, the listener sees nothing;
#   - client-certificate/client-key paths to the cluster admin's files, with
#     --default-service-account in force: refused the same way, whether the server is a
#     listener (which sees nothing) or the real API server (no ClusterRole is applied);
#   - certificate-authority as a path, exec, auth-provider: refused;
#   - insecure-skip-tls-verify: true and an http:// server: refused without
#     --insecure-kubeconfig-tls; after a restart with it, the listeners see requests and
#     the insecure kubeconfig of the real API server applies (Ready). The file references
#     stay refused with the flags; exec says tide does not support it.
# The controller stays up throughout.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-kcu-$$
CLUSTER_DIR=${CLUSTER_DIR:-${1:-}}
pki=$CLUSTER_DIR/pki
stop_ctl() { e2e_controller_stop; }
cleanup() {
  e2e_controller_stop
  "$KUBECTL" delete clusterrole e2e-kcu-escalated --ignore-not-found >/dev/null 2>&1
  drop_finalizers "$ns" kustomizations,gitrepositories
}
e2e_on_exit cleanup
k() { "$KUBECTL" "$@"; }
jp() { k -n "$ns" get "$1" "$2" -o jsonpath="$3" 2>/dev/null; }
cond() { jp kustomization "$1" "{.status.conditions[?(@.type==\"Ready\")].$2}"; }
ready() { [ "$(cond "$1" status)" = True ]; }
not_ready_msg() { [ "$(cond "$1" status)" = False ] && [ "$(cond "$1" reason)" = ReconciliationFailed ] &&
  [[ "$(cond "$1" message)" == *"$2"* ]]; }
exists() { k -n "$ns" get "$1" "$2" >/dev/null 2>&1; }
export -f k jp cond ready not_ready_msg exists; export ns KUBECTL

if [ ! -f "$pki/ca.crt" ] || [ ! -f "$pki/admin.key" ]; then
  not_ok "CLUSTER_DIR (or \$1) names the test cluster's directory (test/cluster/start)"; finish
fi

# ---- the listeners --------------------------------------------------------------------------
# Their own CA and a certificate for 127.0.0.1, so that a kubeconfig can trust them with
# certificate-authority-data and only the field under test is wrong.
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/lca.key" -out "$tmp/lca.crt" -days 2 -subj "/CN=e2e-listener-ca"
ossl req -newkey rsa:2048 -nodes -keyout "$tmp/lis.key" -out "$tmp/lis.csr" -subj "/CN=e2e-listener"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$tmp/lis.ext"
ossl x509 -req -in "$tmp/lis.csr" -CA "$tmp/lca.crt" -CAkey "$tmp/lca.key" -CAcreateserial -out "$tmp/lis.crt" -days 2 -extfile "$tmp/lis.ext"
cat > "$tmp/listen.py" <<'PY'
# listen.py LOG CERT KEY CLIENT_CA NAME:PORT:https|http ...: one thread per connection; each
# line of LOG is "NAME connect", "NAME client-cert CN" or "NAME request METHOD PATH
# token=WHOSE" (WHOSE: the name in $KNOWN_TOKENS, "name=token,...", of the bearer token
# received, "other" or "none": the tokens themselves are not written); every request is
# answered 401.
import os, socket, ssl, sys, threading
log_path, cert, key, client_ca = sys.argv[1:5]
known = dict(reversed(kv.split("=", 1)) for kv in os.environ.get("KNOWN_TOKENS", "").split(",") if kv)
lock = threading.Lock()
def log(line):
    with lock, open(log_path, "a") as f:
        f.write(line + "\n")
def serve(name, port, tls):
    ctx = None
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        ctx.load_verify_locations(client_ca)
        ctx.verify_mode = ssl.CERT_OPTIONAL  # a client certificate, if sent, is recorded
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    def handle(c):
        log(name + " connect")
        try:
            if ctx:
                c = ctx.wrap_socket(c, server_side=True)
                peer = c.getpeercert()
                if peer:
                    cn = [v for rdn in peer.get("subject", ()) for k, v in rdn if k == "commonName"]
                    log(name + " client-cert " + ",".join(cn))
            f = c.makefile("rb")
            while True:
                line = f.readline()
                if not line:
                    return
                method, path = (line.decode("latin-1").split() + ["", ""])[:2]
                whose, length = "none", 0
                while True:
                    h = f.readline().decode("latin-1").strip()
                    if not h:
                        break
                    k, _, v = h.partition(":")
                    if k.lower() == "authorization":
                        cred = v.strip().split(" ", 1)
                        whose = known.get(cred[-1], "other") if cred[0] == "Bearer" else cred[0]
                    if k.lower() == "content-length":
                        length = int(v.strip() or 0)
                if length:
                    f.read(length)
                log("%s request %s %s token=%s" % (name, method, path, whose))
                c.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 2\r\n\r\n{}")
        except Exception as e:
            log(name + " error " + type(e).__name__)
        finally:
            c.close()
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()
for spec in sys.argv[5:]:
    name, port, scheme = spec.split(":")
    threading.Thread(target=serve, args=(name, int(port), scheme == "https"), daemon=True).start()
threading.Event().wait()
PY
declare -A port
specs=()
mapfile -t lports < <(e2e_port 4)
i=0
for n in tokenfile certpath insecure http; do
  port[$n]=${lports[$i]}; i=$((i + 1))
  scheme=https; [ "$n" = http ] && scheme=http
  specs+=("$n:${port[$n]}:$scheme")
done
: > "$tmp/listener.log"
host_token="e2e-fake-host-token-$$"
KNOWN_TOKENS="host=$host_token,tenant=e2e-tenant-token" \
python3 "$tmp/listen.py" "$tmp/listener.log" "$tmp/lis.crt" "$tmp/lis.key" "$pki/ca.crt" "${specs[@]}" \
  2>> "$tmp/listener.err" & e2e_on_exit e2e_kill $!
lis_up() { curl -s --cacert "$tmp/lca.crt" "https://127.0.0.1:${port[tokenfile]}/probe" >/dev/null; }
check "the recording listeners are up" wait_for 20 lis_up
: > "$tmp/listener.log" # the probe is not a request of the controller's
saw() { grep -q "^$1 " "$tmp/listener.log"; }
saw_request() { grep -q "^$1 request " "$tmp/listener.log"; }
export -f saw saw_request; export tmp

# ---- the kubeconfigs ----------------------------------------------------------------------
b64() { base64 -w0 < "$1"; }
server=$(k config view --raw --flatten -o jsonpath='{.clusters[0].cluster.server}')
# kc FILE SERVER CLUSTER_LINES USER_LINES: a kubeconfig with one context
kc() {
  cat > "$1" <<YAML
apiVersion: v1
kind: Config
current-context: c
clusters:
- name: c
  cluster:
    server: $2
$(printf '%s\n' "$3" | sed '/^$/d; s/^/    /')
users:
- name: u
  user:
$(printf '%s\n' "$4" | sed '/^$/d; s/^/    /')
contexts:
- name: c
  context: {cluster: c, user: u, namespace: $ns}
YAML
}
echo "$host_token" > "$tmp/host-token"
lca_data="certificate-authority-data: $(b64 "$tmp/lca.crt")"
admin_data="client-certificate-data: $(b64 "$pki/admin.crt")
client-key-data: $(b64 "$pki/admin.key")"
kc "$tmp/tokenfile" "https://127.0.0.1:${port[tokenfile]}" "$lca_data" "tokenFile: $tmp/host-token"
kc "$tmp/certpath" "https://127.0.0.1:${port[certpath]}" "$lca_data" \
  "client-certificate: $pki/admin.crt
client-key: $pki/admin.key"
kc "$tmp/certpath-api" "$server" "certificate-authority-data: $(b64 "$pki/ca.crt")" \
  "client-certificate: $pki/admin.crt
client-key: $pki/admin.key"
kc "$tmp/capath" "$server" "certificate-authority: $pki/ca.crt" "$admin_data"
kc "$tmp/exec" "$server" "certificate-authority-data: $(b64 "$pki/ca.crt")" \
  "exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: [-c, 'touch $tmp/exec-ran']}"
kc "$tmp/authprovider" "$server" "certificate-authority-data: $(b64 "$pki/ca.crt")" \
  "auth-provider: {name: gcp}"
kc "$tmp/insecure" "https://127.0.0.1:${port[insecure]}" "insecure-skip-tls-verify: true" "token: e2e-tenant-token"
kc "$tmp/http" "http://127.0.0.1:${port[http]}" "" "token: e2e-tenant-token"
kc "$tmp/insecure-api" "$server" "insecure-skip-tls-verify: true" "$admin_data"

# ---- the source: a ConfigMap and a cluster-wide ClusterRole ---------------------------------
check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
r=$tmp/repo
mkdir -p "$r/app"
cat > "$r/app/objects.yaml" <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: kcu-cm
data: {k: v}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: e2e-kcu-escalated
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
YAML
git init -q -b main "$r"
git -C "$r" add -A
git -C "$r" -c user.name=e2e -c user.email=e2e@localhost commit -q -m one
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: repo
spec:
  url: file://$r
  ref: {branch: main}
  interval: 1m
YAML

e2e_controller_ports
start_ctl() {
  e2e_controller --storage-adv-addr "127.0.0.1:$E2E_STORAGE_PORT" \
    --default-service-account=e2e-kcu-nobody "$@"
  check "the controller is ready ($*)" e2e_controller_ready 30
}
start_ctl
gready() { [ "$(jp gitrepository repo '{.status.conditions[?(@.type=="Ready")].status}')" = True ]; }
export -f gready
check "the GitRepository becomes Ready" wait_for 60 gready

for n in tokenfile certpath certpath-api capath exec authprovider insecure http insecure-api; do
  k -n "$ns" create secret generic "kc-$n" --from-file=value="$tmp/$n" >/dev/null
  k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: $n
spec:
  interval: 1m
  retryInterval: 3s
  path: ./app
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: repo}
  kubeConfig: {secretRef: {name: kc-$n}}
YAML
done

# ---- without the flags ----------------------------------------------------------------------
self="the kubeconfig must be self-contained, with no reference to files on the controller's host"
check "tokenFile: Ready=False ReconciliationFailed naming the field" \
  wait_for 60 not_ready_msg tokenfile "user \"u\": tokenFile is not allowed: $self (use token)"
check "client-certificate path (listener): refused naming the field" \
  wait_for 60 not_ready_msg certpath "user \"u\": client-certificate is not allowed: $self (use client-certificate-data)"
check "client-certificate path (API server, --default-service-account in force): refused" \
  wait_for 60 not_ready_msg certpath-api "client-certificate is not allowed"
check "certificate-authority path: refused" \
  wait_for 60 not_ready_msg capath "cluster \"c\": certificate-authority is not allowed: $self (use certificate-authority-data)"
check "exec: refused" wait_for 60 not_ready_msg exec \
  "user \"u\": exec is not allowed: it would run a program on the controller's host (and tide does not support exec credential plugins)"
check "auth-provider: refused" wait_for 60 not_ready_msg authprovider "user \"u\": auth-provider is not allowed"
check "insecure-skip-tls-verify: refused without --insecure-kubeconfig-tls" wait_for 60 not_ready_msg insecure \
  "cluster \"c\": insecure-skip-tls-verify is not allowed without --insecure-kubeconfig-tls"
check "http:// server: refused without --insecure-kubeconfig-tls" wait_for 60 not_ready_msg http \
  "cluster \"c\": an http:// server is not allowed: plain HTTP needs --insecure-kubeconfig-tls"
check "insecure-skip-tls-verify to the API server: refused too" wait_for 60 not_ready_msg insecure-api \
  "insecure-skip-tls-verify is not allowed"
# (waited for: each retry passes through Reconciling "Reconciliation in progress" first)
check "the message names the Secret" wait_for 30 not_ready_msg tokenfile "'KubeConfig secret $ns/kc-tokenfile'"
# several retries (retryInterval 3s) after the first refusal
tries() { [ "$(k -n "$ns" get events --field-selector involvedObject.name=tokenfile,reason=ReconciliationFailed \
  -o jsonpath='{.items[0].count}' 2>/dev/null)" -ge 3 ]; }
export -f tries
check "refused again on each retry (3 attempts)" wait_for 60 tries
for n in tokenfile certpath insecure http; do
  check_fails "the $n listener saw no connection" saw "$n"
done
check_fails "no ClusterRole applied with the host's admin certificate" k get clusterrole e2e-kcu-escalated
check_fails "nothing applied in the namespace either" exists configmap kcu-cm
check_fails "the exec command did not run" test -e "$tmp/exec-ran"
check_fails "the fake token appears in no condition" \
  bash -c "k -n '$ns' get kustomizations -o yaml | grep -q e2e-fake-host-token"
check "the controller stayed up" kill -0 "$E2E_CTL"
check "and ready" curl -sf "http://127.0.0.1:$E2E_HEALTH_PORT/readyz"

# ---- with --insecure-kubeconfig-tls (and --insecure-kubeconfig-exec) ------------------------
stop_ctl
cat "$tmp/listener.log" >> "$tmp/listener-all.log"
: > "$tmp/listener.log"
start_ctl --insecure-kubeconfig-tls --insecure-kubeconfig-exec
check "http:// server: the listener receives the requests" wait_for 60 saw_request http
check "with the tenant's token" grep -q "^http request .* token=tenant$" "$tmp/listener.log"
check "insecure-skip-tls-verify: the listener receives the requests" wait_for 60 saw_request insecure
check "the listener's answer (401) is the Kustomization's failure" wait_for 60 not_ready_msg http Unauthorized
check "insecure-skip-tls-verify to the API server: applied, Ready" wait_for 60 ready insecure-api
check "the ConfigMap is applied" exists configmap kcu-cm
check "exec: not supported by tide even with --insecure-kubeconfig-exec" wait_for 60 not_ready_msg exec \
  "user \"u\": exec credential plugins are not supported by tide"
check "tokenFile: still refused" wait_for 60 not_ready_msg tokenfile "tokenFile is not allowed"
check "client-certificate path: still refused" wait_for 60 not_ready_msg certpath "client-certificate is not allowed"
k -n "$ns" annotate --overwrite kustomization tokenfile certpath reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
handled() { [ "$(jp kustomization "$1" '{.status.lastHandledReconcileAt}')" = "$2" ]; }
export -f handled
at=$(jp kustomization tokenfile '{.metadata.annotations.reconcile\.fluxcd\.io/requestedAt}')
check "a requested reconcile of the refused ones is handled" wait_for 60 handled tokenfile "$at"
for n in tokenfile certpath; do
  check_fails "the $n listener still saw no connection" saw "$n"
done
check "the controller stayed up" kill -0 "$E2E_CTL"

# ---- tear down ----------------------------------------------------------------------------
k -n "$ns" delete kustomization insecure-api >/dev/null
check "deleting the applied one prunes through its kubeconfig" \
  wait_for 60 bash -c "! '$KUBECTL' get clusterrole e2e-kcu-escalated && ! '$KUBECTL' -n '$ns' get configmap kcu-cm"
stop_ctl
e2e_no_sanitizer_report "no sanitizer report"
cat "$tmp/listener.log" >> "$tmp/listener-all.log"
check_fails "no listener ever received the host's token" grep -q "token=host" "$tmp/listener-all.log"
check_fails "the controller's log does not hold the fake token" grep -q "e2e-fake-host-token" "$E2E_CTL_LOG"
finish
