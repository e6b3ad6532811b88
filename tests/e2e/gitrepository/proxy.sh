#!/usr/bin/env bash
# GitRepository through an HTTP proxy (Flux's spec.proxySecretRef: `address`, `username`,
# `password`): Debian's tinyproxy on a loopback port in front of an HTTPS Git server with a
# private CA (a CONNECT tunnel); the proxy's log shows the tunnel. libgit2 1.5 tunnels only
# TLS, so an http:// URL with a proxy is refused rather than sent around the proxy; a proxy
# that asks for credentials with a 407 and closes the connection (tinyproxy's BasicAuth) is not
# followed by libgit2 1.5 (see docs/differences.md). A secret without `address`, a missing
# secret and an unsupported scheme fail with Flux's messages.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-gitproxy-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath gitrepository "$1" "$2"; }
gitc() { e2e_git "$@"; }
ready() { e2e_ready gitrepository "$1" "$2"; }
msg() { e2e_condition gitrepository "$1" Ready message; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- Git servers: plain HTTP and HTTPS with a private CA -------------------------------------
r="$tmp/repo"
mkdir -p "$r/deploy"
echo "kind: ConfigMap" > "$r/deploy/cm.yaml"
e2e_git_init "$r" "first commit"
c1=$(gitc "$r" rev-parse HEAD)
e2e_git_serve "$r" "$tmp/http" app
e2e_git_serve "$r" "$tmp/https" app
e2e_git_http "$tmp/http"
hport=$(cat "$tmp/http/http-port")
pki="$tmp/pki"
e2e_pki "$pki"
HTTP_TLS_CERT="$pki/server.crt" HTTP_TLS_KEY="$pki/server.key" e2e_git_http "$tmp/https"
sport=$(cat "$tmp/https/http-port")

# ---- tinyproxy on loopback with basic auth ---------------------------------------------------
pport=$(e2e_port)
cat > "$tmp/tinyproxy.conf" <<CONF
Port $pport
Listen 127.0.0.1
Timeout 60
LogFile "$tmp/tinyproxy.log"
LogLevel Info
MaxClients 20
Allow 127.0.0.1
DisableViaHeader Yes
CONF
tinyproxy -d -c "$tmp/tinyproxy.conf" >/dev/null 2>&1 &
e2e_on_exit e2e_kill $!
check "tinyproxy listens" wait_for 30 python3 -c "import socket; socket.create_connection(('127.0.0.1',$pport),1)"
check "the proxy works (curl through it)" curl -sf -o /dev/null --proxy "http://127.0.0.1:$pport" \
  "http://127.0.0.1:$hport/app.git/info/refs?service=git-upload-pack"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
apply() { k -n "$ns" apply -f - >/dev/null; }
gitrepo() { # name url proxy-secret [secretRef]
  local auth=""
  [ -n "${4:-}" ] && auth="  secretRef: {name: $4}"
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: $1}
spec:
  url: "$2"
  interval: 1h
  ref: {branch: main}
  proxySecretRef: {name: $3}
$auth
YAML
}
k -n "$ns" create secret generic proxy --from-literal=address="http://127.0.0.1:$pport" \
  --from-literal=username=proxyuser --from-literal=password=pr0xypass >/dev/null
k -n "$ns" create secret generic proxy-noaddr --from-literal=username=proxyuser >/dev/null
k -n "$ns" create secret generic proxy-socks --from-literal=address="socks5://127.0.0.1:$pport" >/dev/null
k -n "$ns" create secret generic ca --from-file=ca.crt="$pki/ca.crt" >/dev/null

# ---- through the proxy -----------------------------------------------------------------------
gitrepo tlsproxy "https://127.0.0.1:$sport/app.git" proxy ca
check "HTTPS with the CA through the proxy (CONNECT): Ready" wait_for 60 ready tlsproxy True
check_output "... the revision" "main@sha1:$c1" "$(jp tlsproxy '{.status.artifact.revision}')"
check_contains "... the proxy log shows the tunnel" "CONNECT 127.0.0.1:$sport" "$(cat "$tmp/tinyproxy.log")"
gitrepo tlsnoca "https://127.0.0.1:$sport/app.git" proxy
check "... without the CA, through the proxy: Ready=False" wait_for 60 ready tlsnoca False
check_contains "... unknown authority" "x509: certificate signed by unknown authority" "$(msg tlsnoca)"

# ---- failures --------------------------------------------------------------------------------
gitrepo plain "http://127.0.0.1:$hport/app.git" proxy
check "an http:// URL with a proxy: Ready=False (never around the proxy)" wait_for 60 ready plain False
check_contains "... says why" "a proxy is supported for https:// URLs only" "$(msg plain)"
case "$(msg plain)" in *pr0xypass*) not_ok "... the message holds no secret";; *) ok "... the message holds no secret";; esac
gitrepo noaddr "http://127.0.0.1:$hport/app.git" proxy-noaddr
check "a proxy secret without address: Ready=False" wait_for 60 ready noaddr False
check_output "... Flux's message" "failed to configure proxy options: secret '$ns/proxy-noaddr': key 'address' not found" "$(msg noaddr)"
check_output "... reason AuthenticationFailed" "AuthenticationFailed" \
  "$(jp noaddr '{.status.conditions[?(@.type=="Ready")].reason}')"
gitrepo nosecret "http://127.0.0.1:$hport/app.git" nope
check "a missing proxy secret: Ready=False" wait_for 60 ready nosecret False
check_contains "... naming it" "failed to get secret '$ns/nope'" "$(msg nosecret)"
gitrepo socks "http://127.0.0.1:$hport/app.git" proxy-socks
check "a socks5 proxy: Ready=False" wait_for 60 ready socks False
check_contains "... the supported schemes" "supported schemes (http, https), got 'socks5'" "$(msg socks)"

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
e2e_no_sanitizer_report "no sanitizer report"
finish
