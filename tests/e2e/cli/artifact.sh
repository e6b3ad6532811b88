#!/usr/bin/env bash
# tide push/pull/tag artifact and list artifacts against Debian's docker-registry on loopback
# (test/oci/registry-start), anonymous and with htpasswd; no cluster is used. A directory is
# pushed (flux's default ignore paths), listed, tagged, pulled back and compared file by
# file; a .tar.gz and standard input are pushed as single files; --reproducible gives one
# digest twice; --output json|yaml; credentials from --creds and from a Docker config; the
# error lines for a wrong URL, a missing tag, bad credentials, a layer that is not gzip and
# an output directory whose symlink the artifact would write through.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
# no Docker config of the user's: each check names the one it wants
export DOCKER_CONFIG="$tmp/docker-none"

mkdir -p "$tmp/anon" "$tmp/auth"
check "start an anonymous registry" "$E2E_ROOT/test/oci/registry-start" "$tmp/anon" none
e2e_on_exit "$E2E_ROOT/test/oci/registry-stop" "$tmp/anon"
check "start a registry with htpasswd" "$E2E_ROOT/test/oci/registry-start" "$tmp/auth" htpasswd tester:s3cret
e2e_on_exit "$E2E_ROOT/test/oci/registry-stop" "$tmp/auth"
reg=127.0.0.1:$(cat "$tmp/anon/registry-port")
areg=127.0.0.1:$(cat "$tmp/auth/registry-port")

# the tree: manifests, a nested directory, an executable, and what is left out (VCS files and
# images by flux's defaults, symlinks always)
src=$tmp/src
mkdir -p "$src/apps/nested" "$src/.git"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n' > "$src/cm.yaml"
printf 'kind: Namespace\n' > "$src/apps/ns.yaml"
printf 'deep\n' > "$src/apps/nested/deep.txt"
printf '#!/bin/sh\n' > "$src/apps/run.sh"; chmod 755 "$src/apps/run.sh"
printf 'ref: refs/heads/main\n' > "$src/.git/HEAD"
printf 'x' > "$src/logo.png"
printf '*.tmp\n' > "$src/.gitignore"
ln -s /etc/passwd "$src/passwd-link"
want=$tmp/want
mkdir -p "$want/apps/nested"
cp "$src/cm.yaml" "$want/"; cp "$src/apps/ns.yaml" "$src/apps/run.sh" "$want/apps/"; cp "$src/apps/nested/deep.txt" "$want/apps/nested/"

push() { "$TIDE" push artifact "$@" --source=https://github.com/org/app --revision=main@sha1:0123abcd --insecure-registry; }

out=$(push "oci://$reg/app:v1.0.0" --path="$src" 2>&1); rc=$?
check_output "push a directory exits 0" 0 "$rc"
digest=$(printf '%s\n' "$out" | sed -n 's/.*@\(sha256:[0-9a-f]*\)$/\1/p')
check_output "push prints flux's lines" "► pushing artifact to $reg/app:v1.0.0
✔ artifact successfully pushed to $reg/app@$digest" "$out"
check_output "the digest is the registry's" "$digest" \
  "$(curl -sI -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$reg/v2/app/manifests/v1.0.0" | tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')"
manifest=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$reg/v2/app/manifests/v1.0.0")
check_contains "the manifest has the source annotation" '"org.opencontainers.image.source":"https://github.com/org/app"' "$manifest"
check_contains "the manifest has the revision annotation" '"org.opencontainers.image.revision":"main@sha1:0123abcd"' "$manifest"
check_contains "the manifest has the created annotation" '"org.opencontainers.image.created":"20' "$manifest"
check_contains "the layer is Flux's" '"mediaType":"application/vnd.cncf.flux.content.v1.tar+gzip"' "$manifest"

out=$("$TIDE" tag artifact "oci://$reg/app:v1.0.0" --tag latest --tag v1.1.0,dev --insecure-registry 2>&1)
check_output "tag prints flux's lines" "► tagging artifact
✔ artifact tagged as $reg/app:latest
✔ artifact tagged as $reg/app:v1.1.0
✔ artifact tagged as $reg/app:dev" "$out"

list=$("$TIDE" list artifacts "oci://$reg/app" --insecure-registry 2>&1)
check_output "list prints flux's table, newest name first" "ARTIFACT DIGEST SOURCE REVISION
$reg/app:v1.1.0 $digest https://github.com/org/app main@sha1:0123abcd
$reg/app:v1.0.0 $digest https://github.com/org/app main@sha1:0123abcd
$reg/app:latest $digest https://github.com/org/app main@sha1:0123abcd
$reg/app:dev $digest https://github.com/org/app main@sha1:0123abcd" "$(printf '%s\n' "$list" | tr -s ' \t' ' ' | sed 's/ $//')"
check_contains "list's header is padded as flux's" "$(printf '%-*s\tDIGEST' $((${#reg} + 11)) ARTIFACT)" "$list"
check_output "list --filter-semver" "$reg/app:v1.1.0" \
  "$("$TIDE" list artifacts "oci://$reg/app" --insecure-registry --filter-semver '>=1.1.0' | sed -n '2,$s/\t.*//p' | sed 's/ *$//')"
check_output "list --filter-regex" "$reg/app:latest
$reg/app:dev" \
  "$("$TIDE" list artifacts "oci://$reg/app" --insecure-registry --filter-regex '^(latest|dev)$' | sed -n '2,$s/\t.*//p' | sed 's/ *$//')"
out=$("$TIDE" list artifacts "oci://$reg/app" --insecure-registry --filter-regex '(' 2>&1)
check_output "list: a bad regex" "✗ regex '(' parse error: error parsing regexp: missing closing ): \`(\`" "$out"

mkdir -p "$tmp/pulled"
out=$("$TIDE" pull artifact "oci://$reg/app:latest" --output "$tmp/pulled" --insecure-registry 2>&1)
check_output "pull prints flux's lines" "► pulling artifact from $reg/app:latest
✔ source https://github.com/org/app
✔ revision main@sha1:0123abcd
✔ digest $reg/app@$digest
✔ artifact content extracted to $tmp/pulled" "$out"
check "the pulled tree is the pushed one, byte for byte" diff -r "$want" "$tmp/pulled"
check "the executable stays executable" test -x "$tmp/pulled/apps/run.sh"
mkdir -p "$tmp/by-digest"
check "pull by digest" "$TIDE" pull artifact "oci://$reg/app@$digest" -o "$tmp/by-digest" --insecure-registry
check "the tree pulled by digest is the same" diff -r "$want" "$tmp/by-digest"
check "pull again into the same directory (files replaced)" "$TIDE" pull artifact "oci://$reg/app:v1.0.0" -o "$tmp/pulled" --insecure-registry
check "nothing is left of tide's staging directory" test -z "$(ls -A "$tmp/pulled" | grep tide-pull)"

# a symlink already in the output directory is neither followed nor replaced
mkdir -p "$tmp/linked" "$tmp/elsewhere"
ln -s "$tmp/elsewhere" "$tmp/linked/apps"
out=$("$TIDE" pull artifact "oci://$reg/app:v1.0.0" -o "$tmp/linked" --insecure-registry 2>&1); rc=$?
check_output "pull into a directory with a symlink fails" 1 "$rc"
check_contains "pull names the symlink" "✗ 'apps' is a symlink in the output directory and a directory in the artifact: not replaced" "$out"
check_output "nothing was written through the symlink" "" "$(ls -A "$tmp/elsewhere")"

# --reproducible: the same digest twice; --output json and yaml
j1=$(push "oci://$reg/repro:v1" --path="$src" --reproducible --output json 2>/dev/null)
j2=$(push "oci://$reg/repro:v2" --path="$src" --reproducible --output json 2>/dev/null)
d1=$(printf '%s' "$j1" | sed -n 's/.*"digest": "\(.*\)".*/\1/p')
d2=$(printf '%s' "$j2" | sed -n 's/.*"digest": "\(.*\)".*/\1/p')
check "--reproducible gives a digest" test -n "$d1"
check_output "--reproducible gives the same digest twice" "$d1" "$d2"
check_output "--output json is flux's" "{
  \"url\": \"oci://$reg/repro@$d1\",
  \"repository\": \"$reg/repro\",
  \"tag\": \"v1\",
  \"digest\": \"$d1\"
}" "$j1"
check_output "--output yaml is flux's" "digest: $d1
repository: $reg/repro
tag: v3
url: oci://$reg/repro@$d1" "$(push "oci://$reg/repro:v3" --path="$src" --reproducible -o yaml 2>/dev/null)"
check_contains "--reproducible sets the created time to the epoch" '"org.opencontainers.image.created":"1970-01-01T00:00:00Z"' \
  "$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$reg/v2/repro/manifests/v1")"
check "without --reproducible the digest changes with the time" bash -c '[ "$1" != "$2" ]' _ "$digest" "$d1"

# annotations
check "push with --annotations" push "oci://$reg/ann:v1" --path="$src" -a org.opencontainers.image.licenses=Apache-2.0 --annotations 'team=a b'
ann=$(curl -s -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$reg/v2/ann/manifests/v1")
check_contains "the custom annotation is in the manifest" '"org.opencontainers.image.licenses":"Apache-2.0"' "$ann"
check_contains "an annotation value keeps its commas and spaces" '"team":"a b"' "$ann"
out=$(push "oci://$reg/ann:v2" --path="$src" -a novalue 2>&1)
check_output "an annotation without =" "✗ invalid annotation novalue, must be in the format key=value" "$out"

# single files: a .tar.gz is archived as a file at the root, as flux does; flux's default
# ignore paths exclude *.tar.gz, so tide warns that the artifact is empty
tar czf "$tmp/bundle.tar.gz" -C "$src" cm.yaml
out=$(push "oci://$reg/bundle:v1" --path="$tmp/bundle.tar.gz" 2>&1)
check_contains "a .tar.gz excluded by the default ignore paths is warned about" "⚠️ 'bundle.tar.gz' is excluded by the ignore paths: the artifact is empty" "$out"
check "push a .tar.gz with --ignore-paths emptied" push "oci://$reg/bundle:v2" --path="$tmp/bundle.tar.gz" --ignore-paths=
mkdir -p "$tmp/bundle"
check "pull the .tar.gz artifact" "$TIDE" pull artifact "oci://$reg/bundle:v2" -o "$tmp/bundle" --insecure-registry
check "the .tar.gz comes back byte for byte" cmp "$tmp/bundle.tar.gz" "$tmp/bundle/bundle.tar.gz"
check "push one manifest file" push "oci://$reg/single:v1" --path="$src/cm.yaml"
mkdir -p "$tmp/single"
check "pull one manifest file" "$TIDE" pull artifact "oci://$reg/single:v1" -o "$tmp/single" --insecure-registry
check "the file comes back at the root" cmp "$src/cm.yaml" "$tmp/single/cm.yaml"
check "push from standard input" bash -c 'printf "kind: ConfigMap\n\n" | "$1" push artifact "oci://$2/stdin:v1" -f - --source=s --revision=r --insecure-registry' _ "$TIDE" "$reg"
mkdir -p "$tmp/stdin"
check "pull what standard input gave" "$TIDE" pull artifact "oci://$reg/stdin:v1" -o "$tmp/stdin" --insecure-registry
check_output "standard input is stdin.yaml without its trailing newlines" "kind: ConfigMap" "$(cat "$tmp/stdin/stdin.yaml")"

# a layer that is not gzip (pushed by hand with curl) is refused, not extracted
blob() { # REPO FILE: uploads FILE as a blob, prints its digest
  local d loc
  d=sha256:$(sha256sum "$2" | cut -d' ' -f1)
  loc=$(curl -s -D - -o /dev/null -X POST "http://$reg/v2/$1/blobs/uploads/" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p')
  case "$loc" in /*) loc="http://$reg$loc" ;; esac
  curl -s -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$2" "$loc&digest=$d"
  echo "$d"
}
printf 'plain text, not gzip\n' > "$tmp/plain"; printf '{}' > "$tmp/config"
ld=$(blob plain "$tmp/plain"); cd_=$(blob plain "$tmp/config")
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.flux.config.v1+json","digest":"%s","size":2},"layers":[{"mediaType":"application/vnd.cncf.flux.content.v1.tar+gzip","digest":"%s","size":%s}]}' \
  "$cd_" "$ld" "$(stat -c %s "$tmp/plain")" > "$tmp/manifest.json"
check "push a manifest whose layer is not gzip" curl -sf -o /dev/null -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "@$tmp/manifest.json" "http://$reg/v2/plain/manifests/v1"
mkdir -p "$tmp/plain-out"
out=$("$TIDE" pull artifact "oci://$reg/plain:v1" -o "$tmp/plain-out" --insecure-registry 2>&1)
check_contains "pull refuses a layer that is not gzip" "✗ layer $ld (application/vnd.cncf.flux.content.v1.tar+gzip) is not a gzip tarball: not extracted" "$out"
check_output "nothing is extracted" "" "$(ls -A "$tmp/plain-out")"

# errors
out=$("$TIDE" push artifact "$reg/app:v1" --path="$src" --source=s --revision=r 2>&1); rc=$?
check_output "a URL without oci://" "✗ URL must be in format 'oci://<domain>/<org>/<repo>'" "$out"
check_output "a URL without oci:// exits 1" 1 "$rc"
out=$("$TIDE" pull artifact "oci://$reg/App:v1" -o "$tmp/pulled" --insecure-registry 2>&1)
check_contains "an upper-case repository" "✗ 'oci://$reg/App:v1': invalid URL: repository name must be lowercase" "$out"
out=$("$TIDE" pull artifact "oci://$reg/app:nope" -o "$tmp/pulled" --insecure-registry 2>&1)
check_output "pull of a missing tag" "► pulling artifact from $reg/app:nope
✗ GET http://$reg/v2/app/manifests/nope: MANIFEST_UNKNOWN: manifest unknown" "$out"
out=$("$TIDE" tag artifact "oci://$reg/app:nope" --tag x --insecure-registry 2>&1)
check_contains "tag of a missing tag" "✗ tagging artifact failed: GET http://$reg/v2/app/manifests/nope: MANIFEST_UNKNOWN: manifest unknown" "$out"
check_output "push: --source is required" "✗ --source is required" "$("$TIDE" push artifact "oci://$reg/app:v1" --path="$src" 2>&1)"
check_output "push: a missing path" "✗ invalid path '$tmp/nope', must point to an existing directory or file: stat $tmp/nope: No such file or directory" \
  "$(push "oci://$reg/app:v9" --path="$tmp/nope" 2>&1)"
check_output "pull: --output is required" "✗ output path cannot be empty" "$("$TIDE" pull artifact "oci://$reg/app:v1" 2>&1)"
check_output "tag: --tag is required" "✗ --tag is required" "$("$TIDE" tag artifact "oci://$reg/app:v1" 2>&1)"
check_output "list: a tag is not a repository" "✗ listing tags failed: 'oci://$reg/app:v1' names a tag: give the repository only" \
  "$("$TIDE" list artifacts "oci://$reg/app:v1" --insecure-registry 2>&1)"
check_output "an unknown subcommand" "✗ unknown command \"image\" for \"tide push\"" "$("$TIDE" push image 2>&1)"
check_output "--provider aws is refused" "✗ error during login with provider: provider 'aws' is not supported by tide yet: use --creds or a Docker config" \
  "$("$TIDE" list artifacts "oci://$reg/app" --provider aws 2>&1)"

# credentials
out=$(push "oci://$areg/app:v1" --path="$src" 2>&1); rc=$?
check_output "push without credentials to the htpasswd registry fails" 1 "$rc"
check_contains "push without credentials says 401" "✗ pushing artifact failed: HEAD http://$areg/v2/app/blobs/sha256:" "$out"
check_contains "push without credentials says Unauthorized" "401 Unauthorized" "$out"
out=$(push "oci://$areg/app:v1" --path="$src" --creds tester:wrong 2>&1); rc=$?
check_output "push with bad credentials fails" 1 "$rc"
check_contains "push with bad credentials logs in first" "► logging in to registry with credentials" "$out"
check_contains "push with bad credentials says 401" "401 Unauthorized" "$out"
check_fails "the password is never printed" grep -q wrong <<<"$out"
out=$(push "oci://$areg/app:v1" --path="$src" --creds tester:s3cret 2>&1)
check_contains "push with --creds" "✔ artifact successfully pushed to $areg/app@sha256:" "$out"
out=$("$TIDE" list artifacts "oci://$areg/app" --insecure-registry 2>&1)
check_output "list without credentials" "✗ listing tags failed: GET http://$areg/v2/app/tags/list: UNAUTHORIZED: authentication required" "$out"
mkdir -p "$tmp/docker"
printf '{"auths":{"%s":{"auth":"%s"}}}' "$areg" "$(printf tester:s3cret | base64)" > "$tmp/docker/config.json"
out=$(DOCKER_CONFIG="$tmp/docker" "$TIDE" list artifacts "oci://$areg/app" --insecure-registry 2>&1)
check_contains "list with the Docker config's credentials" "$areg/app:v1" "$out"
mkdir -p "$tmp/home/.docker" "$tmp/auth-pulled"
cp "$tmp/docker/config.json" "$tmp/home/.docker/config.json"
check "pull with ~/.docker/config.json" env -u DOCKER_CONFIG HOME="$tmp/home" "$TIDE" pull artifact "oci://$areg/app:v1" -o "$tmp/auth-pulled" --insecure-registry
check "the tree pulled with credentials is the pushed one" diff -r "$want" "$tmp/auth-pulled"
check "tag with --creds" "$TIDE" tag artifact "oci://$areg/app:v1" --tag stable --creds tester:s3cret --insecure-registry
out=$("$TIDE" pull artifact "oci://$areg/app:stable" -o "$tmp/auth-pulled" --creds tester:wrong --insecure-registry 2>&1)
check_contains "pull with bad credentials" "✗ GET http://$areg/v2/app/manifests/stable: UNAUTHORIZED: authentication required" "$out"
printf '{"auths":' > "$tmp/docker/config.json"
out=$(DOCKER_CONFIG="$tmp/docker" "$TIDE" list artifacts "oci://$areg/app" --insecure-registry 2>&1)
check_contains "a malformed Docker config is named" "✗ reading the Docker config '$tmp/docker/config.json'" "$out"

# help and completion
check_contains "push artifact --help" "tide push artifact oci://ghcr.io/org/config/app" "$("$TIDE" push artifact --help)"
check_contains "push --help lists artifact" "artifact   Push artifact" "$("$TIDE" push --help)"
"$TIDE" completion bash > "$tmp/tide.bash"
complete_words() { bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tide; echo "${COMPREPLY[*]}"' _ "$tmp/tide.bash" "$@"; }
check_output "completion: push artifact" "artifact" "$(complete_words tide push a)"
check_output "completion: list artifacts" "artifacts" "$(complete_words tide list a)"
finish
