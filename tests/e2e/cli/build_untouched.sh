#!/usr/bin/env bash
# `tide build kustomization` never modifies the user's files (issue 16, row 10): SIGINT,
# SIGTERM or SIGKILL while a build runs leave kustomization.yaml byte for byte as it was and
# no build copy behind; a kustomization.yaml symlinked from outside --path is refused (link
# and target untouched), one linked inside it is built and left a link; a resource linked
# from outside is not read; ../base beside the path still resolves. No cluster is needed
# (--dry-run with a Kustomization file).
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
mkdir -p "$tmp/t" "$tmp/repo/base" "$tmp/repo/app" "$tmp/outside"
export TMPDIR=$tmp/t
cat > "$tmp/ks.yaml" <<'YAML'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: app, namespace: flux-system}
spec:
  interval: 1h
  path: ./app
  targetNamespace: target
  namePrefix: p-
  sourceRef: {kind: GitRepository, name: none}
YAML
build() { "$TIDE" build kustomization app --path "$1" --kustomization-file "$tmp/ks.yaml" --dry-run; }
no_copy_left() { [ -z "$(ls -A "$TMPDIR")" ]; }

# A build long enough to be interrupted (over a second under ASan, a quarter of one without):
# 40,000 ConfigMaps, renamed and namespaced.
python3 - "$tmp/repo/app/cms.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(40000):
        f.write("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-%d}\ndata: {k: v%d}\n" % (i, i))
PY
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: base}\n' > "$tmp/repo/base/cm.yaml"
printf 'resources: [cm.yaml]\n' > "$tmp/repo/base/kustomization.yaml"
cat > "$tmp/repo/app/kustomization.yaml" <<'YAML'
# the user's comment, which a rewrite drops
resources:
  - ../base     # beside the path
  - cms.yaml
YAML
cp "$tmp/repo/app/kustomization.yaml" "$tmp/orig.yaml"

out=$(build "$tmp/repo/app")
check_contains "a base beside the path resolves" "name: p-base" "$out"
check_contains "the spec fields are applied" "namespace: target" "$out"
check "kustomization.yaml is unchanged after a build" cmp "$tmp/orig.yaml" "$tmp/repo/app/kustomization.yaml"
check "no build copy is left after a build" no_copy_left

# The build is under way: the user's file rewritten (as flux build does) or tide's copy made.
under_way() { ! cmp -s "$tmp/orig.yaml" "$tmp/repo/app/kustomization.yaml" || [ -n "$(ls -A "$TMPDIR")" ]; }
for sig in INT TERM KILL; do
  # A background job of a script ignores SIGINT; the build gets the default back, as at a terminal.
  env --default-signal=INT "$TIDE" build kustomization app --path "$tmp/repo/app" \
    --kustomization-file "$tmp/ks.yaml" --dry-run >/dev/null 2>&1 &
  pid=$!
  wait_for 20 under_way # then at once: a fast machine may finish the build within a second
  running=no; kill -0 "$pid" 2>/dev/null && running=yes
  kill -"$sig" "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  check_output "SIG$sig: the build was still running when signalled" yes "$running"
  check "SIG$sig mid-build: kustomization.yaml is byte for byte as it was" cmp "$tmp/orig.yaml" "$tmp/repo/app/kustomization.yaml"
  check "SIG$sig mid-build: the build's copy is removed" wait_for 10 no_copy_left
  cp "$tmp/orig.yaml" "$tmp/repo/app/kustomization.yaml"
done
check_output "nothing was added to the directory" "cms.yaml kustomization.yaml" "$(ls "$tmp/repo/app" | tr '\n' ' ' | sed 's/ $//')"

# A kustomization.yaml linked from outside the path: refused, link and target untouched.
mkdir -p "$tmp/repo/linked"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa}\n' > "$tmp/repo/linked/sa.yaml"
printf '# outside\nresources: [sa.yaml]\n' > "$tmp/outside/kustomization.yaml"
cp "$tmp/outside/kustomization.yaml" "$tmp/outside.orig"
ln -s ../../outside/kustomization.yaml "$tmp/repo/linked/kustomization.yaml"
out=$(build "$tmp/repo/linked" 2>&1); rc=$?
check_output "a kustomization.yaml linked from outside: refused" 1 "$rc"
check_contains "  with a message naming the link" "kustomization file '$tmp/repo/linked/kustomization.yaml' is a symlink to '../../outside/kustomization.yaml', which is not in or below" "$out"
check_output "  the link is left a link" "../../outside/kustomization.yaml" "$(readlink "$tmp/repo/linked/kustomization.yaml")"
check "  its target is unchanged" cmp "$tmp/outside.orig" "$tmp/outside/kustomization.yaml"

# Linked inside the path: built, the link and its target left as they were.
rm "$tmp/repo/linked/kustomization.yaml"
printf '# inside\nresources: [sa.yaml]\n' > "$tmp/repo/linked/real.yaml"
cp "$tmp/repo/linked/real.yaml" "$tmp/real.orig"
ln -s real.yaml "$tmp/repo/linked/kustomization.yaml"
out=$(build "$tmp/repo/linked" 2>&1)
check_contains "a kustomization.yaml linked inside the path is built" "name: p-sa" "$out"
check_output "  the link is left a link" "real.yaml" "$(readlink "$tmp/repo/linked/kustomization.yaml")"
check "  its target is unchanged" cmp "$tmp/real.orig" "$tmp/repo/linked/real.yaml"

# A resource linked from outside the path is not read.
printf 'apiVersion: v1\nkind: Secret\nmetadata: {name: leaked}\n' > "$tmp/outside/secret.yaml"
ln -s ../../outside/secret.yaml "$tmp/repo/linked/leak.yaml"
printf 'resources: [sa.yaml, leak.yaml]\n' > "$tmp/repo/linked/real.yaml"
out=$(build "$tmp/repo/linked" 2>&1); rc=$?
check_output "a resource linked from outside: the build fails" 1 "$rc"
check_contains "  by the load restrictor" "is not in or below" "$out"
check_output "  and the file is not printed" "" "$(printf '%s' "$out" | grep leaked)"

# A directory without kustomization.yaml: one is generated in the copy only.
mkdir -p "$tmp/repo/plain"
printf 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: plain}\n' > "$tmp/repo/plain/sa.yaml"
check_contains "a directory without kustomization.yaml is built" "name: p-plain" "$(build "$tmp/repo/plain")"
check_output "  and none is left in it" "sa.yaml" "$(ls -A "$tmp/repo/plain")"
check "no build copy is left at the end" no_copy_left
finish
