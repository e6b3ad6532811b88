#!/usr/bin/env bash
# The optimised build/tide (not $TIDE, the sanitizer build the other scripts run) loads
# libcurl, libgit2, libarchive, libcrypto and libmicrohttpd on first use, through the stubs
# scripts/gen-lazy-stubs generates: `tide kustomize build` and `tide version` map none of
# them; a CLI verb talking to the API server loads libcurl; the controller reconciling a
# GitRepository and a Kustomization loads them all and works; a library that cannot be
# loaded stops tide with one clear line and status 127.
source "$(dirname "$0")/../lib.sh"
cd "$E2E_ROOT"
OPT=${TIDE_OPT:-$PWD/build/tide}
tmp=$E2E_TMP
ns=e2e-lazylibs-$$
k() { "$KUBECTL" "$@"; }

if [ ! -x "$OPT" ]; then not_ok "optimised build $OPT exists (make)"; finish; fi
needed=$(readelf -d "$OPT" | grep NEEDED)
if [ "$(uname -m)" != x86_64 ] || grep -q libcurl <<<"$needed"; then
  ok "skip: build/tide links the libraries directly (not x86-64, or LAZY=0)"; finish
fi
# loaded LOGFILE: the lazily loaded libraries the dynamic loader opened (LD_DEBUG=files).
loaded() { grep -oE 'file=(libcurl|libgit2|libarchive|libcrypto|libmicrohttpd)[^ ]*' "$1" | sed 's/^file=//; s/\.so.*//' | sort -u | tr '\n' ' ' | sed 's/ $//'; }

# (libm is glibc's maths half, used by the template engine's float functions; nothing to load lazily)
check_output "build/tide needs only libc, libm and libyaml at start-up" "libc.so.6 libm.so.6 libyaml-0.so.2" \
  "$(grep -oE '\[[^]]+\]' <<<"$needed" | tr -d '[]' | sort | tr '\n' ' ' | sed 's/ $//')"

LD_DEBUG=files "$OPT" version > "$tmp/version.out" 2> "$tmp/version.ld"
check_output "tide version loads none of them" "" "$(loaded "$tmp/version.ld")"

mkdir -p "$tmp/kz"
cat > "$tmp/kz/kustomization.yaml" <<'YAML'
namePrefix: p-
configMapGenerator:
- name: settings
  literals: [A=1]
resources: [sa.yaml]
YAML
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n' > "$tmp/kz/sa.yaml"
LD_DEBUG=files "$OPT" kustomize build "$tmp/kz" > "$tmp/kz.out" 2> "$tmp/kz.ld"
check_output "tide kustomize build (with a name hash) loads none of them" "" "$(loaded "$tmp/kz.ld")"
check_output "and prints what the sanitizer build prints" "$("$TIDE" kustomize build "$tmp/kz")" "$(cat "$tmp/kz.out")"

check "install the CRDs with build/tide (libcurl loaded on demand)" "$OPT" install
e2e_namespace "$ns"
LD_DEBUG=files "$OPT" get sources git -n "$ns" > "$tmp/get.out" 2> "$tmp/get.ld"
check_output "tide get loads libcurl only" "libcurl" "$(loaded "$tmp/get.ld" | tr ' ' '\n' | grep -E 'libcurl|libgit2|libarchive|libmicrohttpd' | tr '\n' ' ' | sed 's/ $//')"

# A library that cannot be loaded: an empty file named libcurl.so.4 first on the path.
mkdir -p "$tmp/badlib"; : > "$tmp/badlib/libcurl.so.4"
LD_LIBRARY_PATH="$tmp/badlib" "$OPT" get sources git -n "$ns" > "$tmp/bad.out" 2>&1; rc=$?
check_output "an unloadable library: exit status 127" "127" "$rc"
check_contains "and one line naming it" "tide: cannot load libcurl.so.4: " "$(cat "$tmp/bad.out")"

# ---- the controller: every lazy library in use -------------------------------------------
mkdir -p "$tmp/repo/app"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lazy\ndata:\n  k: v\n' > "$tmp/repo/app/cm.yaml"
printf 'resources: [cm.yaml]\n' > "$tmp/repo/app/kustomization.yaml"
e2e_git_init "$tmp/repo" one
e2e_controller_ports
LD_DEBUG=files E2E_TIDE=$OPT e2e_controller --storage-adv-addr "127.0.0.1:$E2E_STORAGE_PORT"
check "the controller is ready" e2e_controller_ready
k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: app}
spec: {url: "file://$tmp/repo", ref: {branch: main}, interval: 1m}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app}
spec:
  interval: 1m
  path: ./app
  prune: true
  targetNamespace: $ns
  sourceRef: {kind: GitRepository, name: app}
YAML
ready() { e2e_ready "$1" app; }
check "the GitRepository becomes Ready (libgit2, libarchive, libcrypto)" wait_for 60 ready gitrepository
check "the Kustomization becomes Ready (artifact fetched and applied)" wait_for 60 ready kustomization
check_output "the object is in the cluster" "v" "$(k -n "$ns" get configmap lazy -o jsonpath='{.data.k}' 2>/dev/null)"
check_output "the controller loaded every lazy library" "libarchive libcrypto libcurl libgit2 libmicrohttpd" \
  "$(loaded "$E2E_CTL_LOG")"
k -n "$ns" delete kustomization app --wait=true --timeout=30s >/dev/null 2>&1
finish
