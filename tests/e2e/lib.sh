# Helpers for end-to-end test scripts (sourced). Each script gets the cluster from
# KUBECONFIG / KUBECONFIG_USER (test/cluster/start writes them), tide from $TIDE, and prints
# one "ok - name" / "not ok - name" line per check; scripts/test adds them up and may run
# several scripts at once against the one cluster (tests/e2e/README.md says what that asks
# of a script). Sourcing this file gives the script:
#   - $E2E_ROOT, the repository, and $E2E_TMP, a fresh directory removed when it exits;
#   - an EXIT trap that undoes what the e2e_* functions started (last started, first
#     stopped); a script registers its own undo steps with e2e_on_exit, never with `trap`.
set -u
E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TIDE=${TIDE:-$E2E_ROOT/build/tide}
# kubectl only cross-checks what tide did; tide itself never runs it.
KUBECTL=${KUBECTL:-$(command -v kubectl.1.33 || ls /usr/lib/google-cloud-sdk/bin/kubectl.1.33 2>/dev/null || command -v kubectl || echo kubectl)}
E2E_FAILED=0
E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/tide-e2e.XXXXXX")
E2E_EXIT=()

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; E2E_FAILED=1; }

# check NAME COMMAND...: ok when the command succeeds.
check() { local name=$1; shift; if "$@" >"$E2E_TMP/.check" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/#   /' "$E2E_TMP/.check" | head -n 20; fi; rm -f "$E2E_TMP/.check"; }
# check_fails NAME COMMAND...: ok when the command fails.
check_fails() { local name=$1; shift; if "$@" >"$E2E_TMP/.check" 2>&1; then not_ok "$name (succeeded)"; sed 's/^/#   /' "$E2E_TMP/.check" | head -n 20; else ok "$name"; fi; rm -f "$E2E_TMP/.check"; }
# check_output NAME EXPECTED ACTUAL: exact comparison, with a diff when they differ.
check_output() {
  if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/#   /' | head -n 30; fi
}
# check_contains NAME NEEDLE HAYSTACK
check_contains() {
  case "$3" in *"$2"*) ok "$1" ;; *) not_ok "$1"; printf '#   expected to contain: %s\n#   got: %s\n' "$2" "$3" | head -n 20 ;; esac
}
# wait_for SECONDS COMMAND...: retries until the command succeeds.
wait_for() { local t=$1; shift; local end=$((SECONDS + t)); until "$@" >/dev/null 2>&1; do [ $SECONDS -ge $end ] && return 1; sleep 0.2; done; }
finish() { exit "$E2E_FAILED"; }

# ---- what the script started, undone at exit ---------------------------------------------
# e2e_on_exit COMMAND [ARG...]: runs the command (output dropped) when the script exits,
# before what was registered earlier.
e2e_on_exit() { local q; printf -v q '%q ' "$@"; E2E_EXIT+=("$q"); }
e2e_exit() {
  local i
  for ((i = ${#E2E_EXIT[@]} - 1; i >= 0; i--)); do eval "${E2E_EXIT[$i]}" >/dev/null 2>&1; done
  rm -rf "$E2E_TMP"
}
trap e2e_exit EXIT
# e2e_kill PID [SIGNAL]: signals (TERM) a process this script started in the background, if it
# still runs as its child (so a reused pid is never hit), and waits for it.
e2e_kill() {
  [ "$(awk '{print $4}' "/proc/$1/stat" 2>/dev/null)" = $$ ] || return 0
  kill -"${2:-TERM}" "$1" 2>/dev/null; wait "$1" 2>/dev/null
}

# e2e_port [N]: prints N (default 1) free loopback ports, one a line, reserved for this
# script until it exits (test/ports: no other script or test run picks them meanwhile, and
# no outgoing connection takes them, even when a server is stopped and started again).
e2e_port() { "$E2E_ROOT/test/ports" reserve --owner $$ "${1:-1}"; }

# ---- the cluster -------------------------------------------------------------------------
# e2e_namespace NAME...: creates the namespaces (first waiting up to two minutes for one left
# terminating by an earlier run to go) and deletes them, without waiting, at exit. The first
# one is $E2E_NAMESPACE, the one e2e_controller watches.
E2E_NAMESPACE=""
e2e_namespace() {
  local n
  for n in "$@"; do
    wait_for 120 e2e_gone namespace "$n" || echo "# namespace $n from an earlier run is still there" >&2
    "$KUBECTL" create namespace "$n" >/dev/null 2>&1
    e2e_on_exit "$KUBECTL" delete namespace "$n" --ignore-not-found --wait=false
    [ -n "$E2E_NAMESPACE" ] || E2E_NAMESPACE=$n
  done
}
# e2e_gone KIND NAME [NAMESPACE]: true when kubectl does not find the object.
e2e_gone() { ! "$KUBECTL" ${3:+-n "$3"} get "$1" "$2" >/dev/null 2>&1; }
# e2e_jsonpath KIND NAME JSONPATH [NAMESPACE]: a field of an object (empty when missing);
# the namespace defaults to $E2E_NAMESPACE.
e2e_jsonpath() { "$KUBECTL" -n "${4:-$E2E_NAMESPACE}" get "$1" "$2" -o jsonpath="$3" 2>/dev/null; }
# e2e_condition KIND NAME TYPE FIELD [NAMESPACE]: FIELD (status, reason, message...) of the
# object's condition TYPE.
e2e_condition() { e2e_jsonpath "$1" "$2" "{.status.conditions[?(@.type==\"$3\")].$4}" "${5:-}"; }
# e2e_ready KIND NAME [STATUS]: true when the object's Ready condition has STATUS (True).
e2e_ready() { [ "$(e2e_condition "$1" "$2" Ready status)" = "${3:-True}" ]; }
# (exported, with KUBECTL and E2E_NAMESPACE, for the `bash -c "..."` of a wait_for)
export -f e2e_gone e2e_jsonpath e2e_condition e2e_ready
export KUBECTL E2E_NAMESPACE
# drop_finalizers NAMESPACE KINDS: removes the finalizers of the objects of KINDS (as for
# kubectl get: "kustomizations,gitrepositories") so that a namespace deleted after its
# controller stopped does not stay terminating.
drop_finalizers() {
  local o
  for o in $("$KUBECTL" -n "$1" get "$2" -o name 2>/dev/null); do
    "$KUBECTL" -n "$1" patch "$o" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null 2>&1
  done
}

# e2e_fake_controller NAMESPACE KINDS STATUS [requested]: plays a controller in the background
# (pid in E2E_FAKE; until e2e_fake_controller_stop or exit) for a CLI test: every 0.3 s, each
# object of KINDS (kubectl kinds, comma-separated) in NAMESPACE gets status.observedGeneration
# = its generation and the members STATUS (JSON, e.g. '"conditions":[...]'); with
# "requested", only the objects with a reconcile.fluxcd.io/requestedAt annotation, copied to
# status.lastHandledReconcileAt.
E2E_FAKE=""
e2e_fake_controller() {
  local ns=$1 kinds=$2 status=$3 requested=${4:-}
  (
    trap - EXIT
    while :; do
      for kind in ${kinds//,/ }; do
        for name in $("$KUBECTL" get "$kind" -n "$ns" -o jsonpath='{.items[*].metadata.name}' 2>/dev/null); do
          handled=""
          if [ -n "$requested" ]; then
            req=$("$KUBECTL" get "$kind" "$name" -n "$ns" -o jsonpath='{.metadata.annotations.reconcile\.fluxcd\.io/requestedAt}' 2>/dev/null)
            [ -n "$req" ] || continue
            handled="\"lastHandledReconcileAt\":\"$req\","
          fi
          gen=$("$KUBECTL" get "$kind" "$name" -n "$ns" -o jsonpath='{.metadata.generation}')
          "$KUBECTL" patch "$kind" "$name" -n "$ns" --subresource=status --type=merge \
            -p "{\"status\":{\"observedGeneration\":$gen,$handled$status}}" >/dev/null 2>&1
        done
      done
      sleep 0.3
    done
  ) &
  E2E_FAKE=$!
  e2e_on_exit e2e_kill "$E2E_FAKE"
}
e2e_fake_controller_stop() { [ -z "$E2E_FAKE" ] || e2e_kill "$E2E_FAKE"; E2E_FAKE=""; }

# ---- tide controller ---------------------------------------------------------------------
# e2e_controller [FLAG...]: starts `$TIDE controller` in the background (pid in E2E_CTL),
# its storage in $E2E_TMP/storage, its log (stderr) appended to $E2E_CTL_LOG, on the
# loopback ports E2E_STORAGE_PORT, E2E_METRICS_PORT and E2E_HEALTH_PORT (reserved at the
# first start, the same after a restart), then FLAG... (a later flag wins: --metrics-addr ""
# turns the metrics off). It watches only E2E_WATCH (default $E2E_NAMESPACE), so that
# scripts running at the same time do not reconcile each other's objects; E2E_WATCH=all
# watches every namespace, for a script marked `# e2e: serial`. E2E_TIDE runs another tide
# binary. Stopped at exit if still running; check it with e2e_controller_ready.
E2E_CTL="" E2E_CTL_LOG=$E2E_TMP/controller.log E2E_STORAGE_PORT="" E2E_METRICS_PORT="" E2E_HEALTH_PORT=""
E2E_CTL_ONCE=""
e2e_controller() {
  e2e_controller_ports
  local watch=${E2E_WATCH:-$E2E_NAMESPACE} scope=()
  if [ "$watch" = all ]; then
    grep -q '^# e2e: serial' "$0" || not_ok "E2E_WATCH=all in a script not marked '# e2e: serial'"
  elif [ -n "$watch" ]; then
    scope=(--watch-all-namespaces=false --namespace "$watch")
  fi
  [ -n "$E2E_CTL_ONCE" ] || { E2E_CTL_ONCE=1; e2e_on_exit e2e_controller_stop; }
  "${E2E_TIDE:-$TIDE}" controller --storage-path "$E2E_TMP/storage" \
    --storage-addr "127.0.0.1:$E2E_STORAGE_PORT" --metrics-addr "127.0.0.1:$E2E_METRICS_PORT" \
    --health-addr "127.0.0.1:$E2E_HEALTH_PORT" "${scope[@]}" "$@" 2>> "$E2E_CTL_LOG" &
  E2E_CTL=$!
}
# e2e_controller_ports: reserves the controller's ports now (a script that passes one in a
# flag, e.g. --storage-adv-addr "127.0.0.1:$E2E_STORAGE_PORT", calls it first).
e2e_controller_ports() {
  [ -z "$E2E_HEALTH_PORT" ] || return 0
  { read -r E2E_STORAGE_PORT; read -r E2E_METRICS_PORT; read -r E2E_HEALTH_PORT; } < <(e2e_port 3)
}
# e2e_controller_ready [SECONDS]: waits (60 s) until the controller's /readyz answers.
e2e_controller_ready() { wait_for "${1:-60}" curl -sf "http://127.0.0.1:$E2E_HEALTH_PORT/readyz"; }
# e2e_controller_stop: SIGTERM, then waits; returns the controller's exit status.
e2e_controller_stop() {
  [ -n "$E2E_CTL" ] || return 0
  local rc=0
  kill -TERM "$E2E_CTL" 2>/dev/null
  wait "$E2E_CTL" 2>/dev/null || rc=$?
  E2E_CTL=""
  return $rc
}
# e2e_controller_kill: SIGKILL, as a crash.
e2e_controller_kill() { kill -KILL "$E2E_CTL" 2>/dev/null; wait "$E2E_CTL" 2>/dev/null; E2E_CTL=""; }
# e2e_no_sanitizer_report NAME [LOG]: a check that the log (the controller's) holds no
# AddressSanitizer, LeakSanitizer or UBSan report, with the report's first lines if it does.
e2e_no_sanitizer_report() {
  local log=${2:-$E2E_CTL_LOG}
  if grep -qE 'Sanitizer|runtime error' "$log" 2>/dev/null; then
    not_ok "$1"; grep -E -A 20 'Sanitizer|runtime error' "$log" | head -n 40 | sed 's/^/#   /'
  else
    ok "$1"
  fi
}

# ---- Git -------------------------------------------------------------------------------
# e2e_git DIR ARG...: git in DIR as the test's committer (file:// submodules allowed).
e2e_git() { git -C "$1" -c user.name=e2e -c user.email=e2e@localhost -c protocol.file.allow=always "${@:2}"; }
# e2e_git_init DIR MESSAGE: a repository on branch main holding what DIR holds, in one commit.
e2e_git_init() { git init -q -b main "$1" && e2e_git "$1" add -A && e2e_git "$1" commit -q -m "$2"; }
# e2e_git_serve REPO DIR NAME: a bare clone of the repository REPO as DIR/repos/NAME.git, for
# the server of e2e_git_http or e2e_git_ssh DIR.
e2e_git_serve() { mkdir -p "$2/repos" && git clone -q --bare "$1" "$2/repos/$3.git"; }
# e2e_git_http DIR [USER:PASSWORD]: serves the bare repositories under DIR/repos over smart
# HTTP (HTTPS with HTTP_TLS_CERT and HTTP_TLS_KEY set) until exit; the port in DIR/http-port.
e2e_git_http() {
  mkdir -p "$1/repos"
  e2e_on_exit "$E2E_ROOT/test/git/http-stop" "$1"
  "$E2E_ROOT/test/git/http-start" "$@" >/dev/null
}
# e2e_git_ssh_app DIR: e2e_git_ssh DIR serving app.git, a clone of DIR/w: a repository of
# one commit ("one") holding cm.yaml (a ConfigMap). Sets E2E_GIT_COMMIT (that commit) and
# E2E_GIT_URL (the ssh:// URL of app.git).
e2e_git_ssh_app() {
  e2e_git_ssh "$1" || return 1
  mkdir -p "$1/w" && echo "kind: ConfigMap" > "$1/w/cm.yaml" && e2e_git_init "$1/w" one || return 1
  E2E_GIT_COMMIT=$(e2e_git "$1/w" rev-parse HEAD)
  e2e_git_serve "$1/w" "$1" app || return 1
  E2E_GIT_URL="ssh://$SSH_USER@127.0.0.1:$SSH_PORT$1/repos/app.git"
}
# e2e_pki DIR [NAME...]: a private CA (DIR/ca.crt, ca.key; P-256, valid two days) and a
# server certificate it signed for 127.0.0.1 (DIR/server.crt, server.key), for
# HTTP_TLS_CERT/HTTP_TLS_KEY; each NAME is one more CA (DIR/NAME.crt, NAME.key) that signed
# nothing. Fails if openssl did.
e2e_pki() {
  local d=$1 n cn; shift
  mkdir -p "$d"
  for n in ca "$@"; do
    if [ "$n" = ca ]; then cn="e2e CA"; else cn="$n CA"; fi
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=$cn" \
      -keyout "$d/$n.key" -out "$d/$n.crt" >/dev/null 2>&1 || return 1
  done
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1 || return 1
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$d/ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/ext" -out "$d/server.crt" >/dev/null 2>&1
}
# e2e_git_ssh DIR: serves the bare repositories under DIR/repos over SSH until exit, and
# reads DIR/env (SSH_PORT, SSH_USER, SSH_IDENTITY, SSH_KNOWN_HOSTS; test/git/ssh-start).
e2e_git_ssh() {
  mkdir -p "$1/repos"
  e2e_on_exit "$E2E_ROOT/test/git/ssh-stop" "$1"
  "$E2E_ROOT/test/git/ssh-start" "$1" && . "$1/env"
}
