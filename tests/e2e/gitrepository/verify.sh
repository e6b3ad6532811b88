#!/usr/bin/env bash
# GitRepository spec.verify in `tide controller` against the real control plane with file://
# repositories: OpenPGP keys made with gpg in a private GNUPGHOME, a commit signed with
# `git commit -S` and a tag with `git tag -s`, the public keys in Secrets. A signed commit is
# verified (SourceVerified=True with the key id, status.sourceVerificationMode), a wrong key or
# an unsigned commit fail with Flux's reasons and messages and produce no artifact, mode Tag and
# TagAndHEAD check a signed tag, Tag without a tag reference stalls, a missing or oversized key
# Secret is a VerificationError.
source "$(dirname "$0")/../lib.sh"
tmp=$E2E_TMP
ns=e2e-verify-$$
export GNUPGHOME="$tmp/gnupg"
e2e_on_exit gpgconf --kill gpg-agent
cd "$E2E_ROOT"
k() { "$KUBECTL" "$@"; }
jp() { e2e_jsonpath gitrepository "$1" "$2"; }
cond() { e2e_condition gitrepository "$1" "$2" "$3"; }
gitc() { e2e_git "$1" -c gpg.program=gpg "${@:2}"; }
eq() { [ "$(eval "$1")" = "$2" ]; }

check "install the CRDs" "$TIDE" install
e2e_namespace "$ns"
check "the GitRepository CRD is served" wait_for 30 k -n "$ns" get gitrepositories

# ---- keys ----------------------------------------------------------------------------------
mkdir -m 700 "$GNUPGHOME"
gen() { gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key "$1 <$1@localhost>" default default never; }
check "gpg makes key A" gen alice
check "gpg makes key B" gen bob
keyid() { gpg --with-colons 2>/dev/null --list-keys "$1@localhost" | awk -F: '$1 == "pub" { print $5; exit }'; }
ka=$(keyid alice 2>/dev/null); kb=$(keyid bob)
gpg --armor --export "$ka" > "$tmp/a.asc"; gpg --armor --export "$kb" > "$tmp/b.asc"
k -n "$ns" create secret generic keys-a --from-file=author.asc="$tmp/a.asc" >/dev/null
k -n "$ns" create secret generic keys-b --from-file=author.asc="$tmp/b.asc" >/dev/null
# both rings, one under the older any-name key: either may vouch
k -n "$ns" create secret generic keys-ab --from-file=b.asc="$tmp/b.asc" --from-file=a="$tmp/a.asc" >/dev/null
head -c 300000 /dev/urandom | base64 -w0 > "$tmp/big.asc"
k -n "$ns" create secret generic keys-big --from-file=big.asc="$tmp/big.asc" >/dev/null

# ---- repositories --------------------------------------------------------------------------
signed="$tmp/signed"
mkdir -p "$signed"; echo "kind: ConfigMap" > "$signed/cm.yaml"
git init -q -b main "$signed"; gitc "$signed" add -A
check "git commit -S signs a commit with key A" gitc "$signed" commit -q -S"$ka" -m "signed one"
sc=$(gitc "$signed" rev-parse HEAD)
check "git tag -s signs a tag with key A" gitc "$signed" tag -s -u "$ka" -m "release" v1.0.0
tobj=$(gitc "$signed" rev-parse v1.0.0)
gitc "$signed" tag -a -m "plain" v0.9.0
gitc "$signed" tag v0.8.0
unsigned="$tmp/unsigned"
mkdir -p "$unsigned"; echo "kind: Secret" > "$unsigned/s.yaml"
e2e_git_init "$unsigned" "unsigned"
uc=$(gitc "$unsigned" rev-parse HEAD)

e2e_controller --metrics-addr "" --concurrent 2
check "the controller is ready" e2e_controller_ready

repo() { # name url ref-yaml mode secret
  k -n "$ns" apply -f - >/dev/null <<YAML
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: $1}
spec:
  url: "file://$2"
  interval: 1h
  ref: $3
  verify: {mode: $4, secretRef: {name: $5}}
YAML
}

# ---- HEAD ----------------------------------------------------------------------------------
repo good "$signed" "{branch: main}" HEAD keys-a
check "signed commit, right key: Ready=True" wait_for 30 eq 'cond good Ready status' True
check_output "  SourceVerified=True, Succeeded" "True Succeeded" "$(cond good SourceVerified status) $(cond good SourceVerified reason)"
check_output "  Flux's message with the key id" "$(printf "verified signature of\n\t- commit '%s' with key '%s'" "$sc" "$ka")" "$(cond good SourceVerified message)"
check_output "  status.sourceVerificationMode" "HEAD" "$(jp good '{.status.sourceVerificationMode}')"
check_output "  artifact of the commit" "main@sha1:$sc" "$(jp good '{.status.artifact.revision}')"

repo both "$signed" "{branch: main}" HEAD keys-ab
check "a Secret with two rings: the matching one verifies" wait_for 30 eq 'cond both SourceVerified status' True

repo wrong "$signed" "{branch: main}" HEAD keys-b
check "wrong key: SourceVerified=False" wait_for 30 eq 'cond wrong SourceVerified status' False
check_output "  reason InvalidCommitSignature, Ready=False with it" "InvalidCommitSignature False InvalidCommitSignature" \
  "$(cond wrong SourceVerified reason) $(cond wrong Ready status) $(cond wrong Ready reason)"
check_output "  Flux's message" \
  "signature verification of commit '$sc' failed: unable to verify Git commit: unable to verify payload with any of the given key rings" \
  "$(cond wrong Ready message)"
check_output "  no artifact" "" "$(jp wrong '{.status.artifact}')"

repo unsig "$unsigned" "{branch: main}" HEAD keys-a
check "unsigned commit: SourceVerified=False" wait_for 30 eq 'cond unsig SourceVerified status' False
check_output "  Flux's message" \
  "signature verification of commit '$uc' failed: unable to verify Git commit: unable to verify payload as the provided signature is empty" \
  "$(cond unsig SourceVerified message)"
check_output "  no artifact" "" "$(jp unsig '{.status.artifact}')"

# a new unsigned commit on the verified branch: refused, the artifact stays at the signed one
echo "kind: Pod" > "$signed/pod.yaml"; gitc "$signed" add -A; gitc "$signed" commit -q -m "unsigned two"
sc2=$(gitc "$signed" rev-parse HEAD)
k -n "$ns" annotate gitrepository good --overwrite reconcile.fluxcd.io/requestedAt="$(date +%s)" >/dev/null
check "an unsigned commit after a signed one: SourceVerified=False" wait_for 30 eq 'cond good SourceVerified status' False
check_contains "  for the new commit" "commit '$sc2' failed" "$(cond good SourceVerified message)"
check_output "  the artifact is still the signed commit's" "main@sha1:$sc" "$(jp good '{.status.artifact.revision}')"

# ---- Tag -----------------------------------------------------------------------------------
repo tag "$signed" "{tag: v1.0.0}" Tag keys-a
check "mode Tag, signed tag: SourceVerified=True" wait_for 30 eq 'cond tag SourceVerified status' True
check_output "  Flux's message" "$(printf "verified signature of\n\t- tag 'v1.0.0@%s' with key '%s'" "$tobj" "$ka")" "$(cond tag SourceVerified message)"
check_output "  Ready, artifact of the tagged commit" "True v1.0.0@sha1:$sc" "$(cond tag Ready status) $(jp tag '{.status.artifact.revision}')"
check_output "  status.sourceVerificationMode" "Tag" "$(jp tag '{.status.sourceVerificationMode}')"

repo tagboth "$signed" "{tag: v1.0.0}" TagAndHEAD keys-a
check "mode TagAndHEAD: tag and commit verified" wait_for 30 eq 'cond tagboth SourceVerified status' True
check_output "  Flux's message" "$(printf "verified signature of\n\t- tag 'v1.0.0@%s' with key '%s'\n\t- commit '%s' with key '%s'" "$tobj" "$ka" "$sc" "$ka")" "$(cond tagboth SourceVerified message)"

repo tagplain "$signed" "{tag: v0.9.0}" Tag keys-a
check "mode Tag, annotated unsigned tag: InvalidGitObject" wait_for 30 eq 'cond tagplain SourceVerified reason' InvalidGitObject
check_contains "  Flux's message" "cannot verify signature of tag 'v0.9.0@" "$(cond tagplain SourceVerified message)"
repo taglight "$signed" "{tag: v0.8.0}" Tag keys-a
check "mode Tag, lightweight tag: InvalidGitObject" wait_for 30 eq 'cond taglight SourceVerified reason' InvalidGitObject

repo tagbranch "$signed" "{branch: main}" Tag keys-a
check "mode Tag on a branch: Stalled, InvalidVerificationMode" wait_for 30 eq 'cond tagbranch Stalled reason' InvalidVerificationMode
check_output "  Flux's message" "cannot verify tag object's signature if a tag reference is not specified" "$(cond tagbranch SourceVerified message)"

# ---- Secrets -------------------------------------------------------------------------------
repo nokeys "$signed" "{tag: v1.0.0}" HEAD nope
check "missing Secret: VerificationError" wait_for 30 eq 'cond nokeys SourceVerified reason' VerificationError
check_output "  Flux's message" 'public keys secret error: secrets "nope" not found' "$(cond nokeys SourceVerified message)"
repo big "$signed" "{tag: v1.0.0}" HEAD keys-big
check "oversized key Secret: refused" wait_for 30 eq 'cond big SourceVerified reason' VerificationError
check_contains "  says why" "bytes of key data" "$(cond big SourceVerified message)"

# ---- verification removed ------------------------------------------------------------------
k -n "$ns" patch gitrepository wrong --type=json -p '[{"op":"remove","path":"/spec/verify"}]' >/dev/null
check "spec.verify removed: Ready=True" wait_for 30 eq 'cond wrong Ready status' True
check_output "  SourceVerified and sourceVerificationMode gone" "/" "$(cond wrong SourceVerified status)/$(jp wrong '{.status.sourceVerificationMode}')"

e2e_no_sanitizer_report "no sanitizer reports in the controller log"
[ "$E2E_FAILED" = 0 ] || tail -n 30 "$E2E_CTL_LOG" | sed 's/^/#   /'
e2e_controller_stop; rc=$?
check_output "the controller exits cleanly on SIGTERM" "0" "$rc"
finish
