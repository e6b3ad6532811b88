#!/usr/bin/env bash
# GitRepository over HTTPS with a private CA (Flux's secretRef key `ca.crt`, legacy `caFile`):
# git http-backend behind lighttpd with TLS (lighttpd-mod-openssl), a CA and a server
# certificate for 127.0.0.1 made here with openssl. Without the CA, or with another CA, the
# object fails with Go's x509 wording; with it (beside basic auth) it syncs; a name the
# certificate does not carry is refused; the CA of one object is not trusted by another.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-gitca-$$
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath gitrepository "$1" "$2"; }
gitc() { e2e_git "$@"; }
ready() { e2e_ready gitrepository "$1" "$2"; }
msg() { e2e_condition gitrepository "$1" Ready message; }
msg_has() { case "$(msg "$1")" in *"$2"*) return 0;; esac; return 1; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"

# ---- a CA, a server certificate for 127.0.0.1, and another CA --------------------------------
pki="$tmp/pki"
e2e_pki "$pki" other
check "openssl made the certificates" test -s "$pki/server.crt"

# ---- the repository behind HTTPS with basic auth --------------------------------------------
r="$tmp/repo"
mkdir -p "$r/deploy"
echo "kind: ConfigMap" > "$r/deploy/cm.yaml"
e2e_git_init "$r" "first commit"
c1=$(gitc "$r" rev-parse HEAD)
e2e_git_serve "$r" "$tmp/http" app
HTTP_TLS_CERT="$pki/server.crt" HTTP_TLS_KEY="$pki/server.key" \
  e2e_git_http "$tmp/http" "alice:s3cret"
port=$(cat "$tmp/http/http-port")
url="https://127.0.0.1:$port/app.git"
check "the server speaks TLS with the CA (curl)" \
  curl -sf --cacert "$pki/ca.crt" -u alice:s3cret -o /dev/null "$url/info/refs?service=git-upload-pack"

e2e_controller --concurrent 2
check "the controller is ready" e2e_controller_ready
apply() { k -n "$ns" apply -f - >/dev/null; }

k -n "$ns" create secret generic auth-only --from-literal=username=alice --from-literal=password=s3cret >/dev/null
k -n "$ns" create secret generic with-ca --from-literal=username=alice --from-literal=password=s3cret \
  --from-file=ca.crt="$pki/ca.crt" >/dev/null
k -n "$ns" create secret generic legacy-ca --from-literal=username=alice --from-literal=password=s3cret \
  --from-file=caFile="$pki/ca.crt" >/dev/null
k -n "$ns" create secret generic other-ca --from-literal=username=alice --from-literal=password=s3cret \
  --from-file=ca.crt="$pki/other.crt" >/dev/null
k -n "$ns" create secret generic not-a-ca --from-literal=username=alice --from-literal=password=s3cret \
  --from-literal=ca.crt="hello" >/dev/null

gitrepo() { # name url secret
  apply <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: $1}
spec: {url: "$2", interval: 1h, ref: {branch: main}, secretRef: {name: $3}}
YAML
}

# ---- without the CA: refused, in Go's words --------------------------------------------------
gitrepo noca "$url" auth-only
check "without the CA: Ready=False" wait_for 60 ready noca False
check_contains "... x509: certificate signed by unknown authority" \
  "x509: certificate signed by unknown authority" "$(msg noca)"
check_contains "... Flux's checkout message" "failed to checkout and determine revision" "$(msg noca)"
check_output "... reason GitOperationFailed" "GitOperationFailed" \
  "$(jp noca '{.status.conditions[?(@.type=="Ready")].reason}')"
case "$(msg noca)" in *s3cret*) not_ok "... the message holds no secret";; *) ok "... the message holds no secret";; esac

# ---- with the CA ------------------------------------------------------------------------------
gitrepo ca "$url" with-ca
check "with ca.crt: Ready" wait_for 60 ready ca True
check_output "... the revision" "main@sha1:$c1" "$(jp ca '{.status.artifact.revision}')"
curl -sf "$(jp ca '{.status.artifact.url}')" -o "$tmp/a.tar.gz"
check_output "... the artifact" "deploy/ deploy/cm.yaml" "$(tar tzf "$tmp/a.tar.gz" | sort | tr '\n' ' ' | sed 's/ $//')"
gitrepo legacy "$url" legacy-ca
check "with the legacy caFile key: Ready" wait_for 60 ready legacy True

# ---- the wrong CA, a name the certificate lacks, a CA that is not one ------------------------
gitrepo other "$url" other-ca
check "another CA: Ready=False" wait_for 60 ready other False
check_contains "... unknown authority" "x509: certificate signed by unknown authority" "$(msg other)"
gitrepo byname "https://localhost:$port/app.git" with-ca
check "the right CA but a name the certificate lacks: Ready=False" wait_for 60 ready byname False
check_contains "... not valid for localhost" "x509: certificate is not valid for localhost" "$(msg byname)"
gitrepo bad "$url" not-a-ca
check "ca.crt without a certificate: Ready=False" wait_for 60 ready bad False
check_contains "... says so" "no certificate found in ca.crt" "$(msg bad)"

# ---- the CA is per object: the first one still fails -----------------------------------------
k -n "$ns" annotate --overwrite gitrepository noca reconcile.fluxcd.io/requestedAt=again >/dev/null
handled() { [ "$(jp noca '{.status.lastHandledReconcileAt}')" = again ]; }
check "a reconcile of the object without the CA is handled" wait_for 60 handled
check "... and it still fails (no process-wide trust)" ready noca False

e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
e2e_no_sanitizer_report "no sanitizer report"
finish
