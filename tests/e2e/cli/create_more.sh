#!/usr/bin/env bash
# create source bucket, create image repository|policy|update, create secret git|helm|oci|tls
# and tide stats against a real cluster. --export must be byte-identical to what flux prints
# for the same flags (tests/e2e/cli/expected/; the secrets' files are flux's own golden
# outputs). No controller runs: waits end at --timeout, or a background loop plays the
# controller (Ready=True for the current generation).
source "$(dirname "$0")/../lib.sh"
here=$(dirname "$0")
ns=e2e-cli-create-more-$$
tmp=$E2E_TMP
check "tide install" "$TIDE" install
"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
same() { diff "$1" - >"$tmp/diff" 2>&1; } # same FILE < output
check_export() { # name expected-file tide-args...
	local name=$1 file=$2; shift 2
	if "$TIDE" "$@" 2>&1 | same "$here/expected/$file"; then ok "$name"; else not_ok "$name"; sed 's/^/#   /' "$tmp/diff" | head -n 20; fi
}

# ---- --export: flux's YAML ----
check_export "create source bucket --export" create-source-bucket.yaml create source bucket podinfo --bucket-name=podinfo \
	--endpoint=minio.minio.svc.cluster.local:9000 --insecure=true --access-key=myaccesskey --secret-key=mysecretkey --interval=10m --export
check_export "create image repository --export" create-image-repository.yaml create image repository alpine-repo --image alpine --interval 20m --export
check_export "create image policy --export" create-image-policy.yaml create image policy podinfo --image-ref=podinfo --select-numeric=asc \
	--filter-regex='^main-[a-f0-9]+-(?P<ts>[0-9]+)' --filter-extract='$ts' --export
check_export "create image update --export" create-image-update.yaml create image update flux-system --git-repo-ref=flux-system \
	--git-repo-path=./clusters/my-cluster --checkout-branch=main --push-branch=image-updates --author-name=flux \
	--author-email=flux@example.com '--commit-template={{range .Updated.Images}}{{println .}}{{end}}' --export
check_export "create secret git (basic auth) --export" create-secret-git.yaml create secret git podinfo-auth \
	--url=https://github.com/stefanprodan/podinfo --username=my-username --password=my-password --namespace=my-namespace --export
check_export "create secret git --bearer-token --export" create-secret-git-bearer.yaml create secret git bearer-token-auth \
	--url=https://github.com/stefanprodan/podinfo --bearer-token=ghp_baR2qnFF0O41WlucePL3udt2N9vVZS4R0hAS --namespace=my-namespace --export
printf 'ca-data' > "$tmp/ca-data"
check_export "create secret git --ca-crt-file --export" create-secret-git-ca.yaml create secret git ca-crt \
	--url=https://github.com/stefanprodan/podinfo --password=my-password --username=my-username --ca-crt-file="$tmp/ca-data" --namespace=my-namespace --export
check_export "create secret helm --export" create-secret-helm.yaml create secret helm helm-secret --namespace=my-namespace \
	--username=my-username --password=my-password --export
check_export "create secret oci --export" create-secret-oci.yaml create secret oci ghcr --namespace=my-namespace \
	--url=ghcr.io --username=stefanprodan --password=password --export

out=$("$TIDE" create source bucket b --bucket-name=x --endpoint=s3.amazonaws.com --provider=aws --region=eu-west-1 \
	--secret-ref=keys --ignore-paths='/*,!/deploy' --fetch-timeout=30s --label=team=a --export)
check_contains "bucket: region, secretRef, ignore, timeout, labels" "metadata:
  labels:
    team: a
  name: b
  namespace: flux-system
spec:
  bucketName: x
  endpoint: s3.amazonaws.com
  ignore: |-
    /*
    !/deploy
  interval: 1m0s
  provider: aws
  region: eu-west-1
  secretRef:
    name: keys
  timeout: 30s" "$out"
out=$("$TIDE" create image policy p --image-ref=r --select-semver='>=1.0.0' --reflect-digest=Always --interval=5m --export)
check_contains "image policy: semver, digest reflection, interval" "spec:
  digestReflectionPolicy: Always
  imageRepositoryRef:
    name: r
  interval: 5m0s
  policy:
    semver:
      range: '>=1.0.0'" "$out"
check_contains "image policy: alphabetical" "    alphabetical:
      order: desc" "$("$TIDE" create image policy p --image-ref=r --select-alpha=desc --export)"
check_contains "image policy: a filter without extract has extract: \"\" as flux" '  filterTags:
    extract: ""
    pattern: ^v' "$("$TIDE" create image policy p --image-ref=r --select-alpha=asc --filter-regex='^v' --export)"
check_contains "image repository: secret, cert and scan timeout" "spec:
  certSecretRef:
    name: ca
  image: ghcr.io/org/app
  interval: 1m0s
  secretRef:
    name: pull
  timeout: 2m0s" "$("$TIDE" create image repository r --image ghcr.io/org/app --secret-ref pull --cert-ref ca --scan-timeout 2m --export)"
check_contains "image update: signing key and a source in another namespace" "      signingKey:
        secretRef:
          name: sign
        type: ssh" "$("$TIDE" create image update u --git-repo-ref=r --git-repo-namespace=other --checkout-branch=main \
	--author-name=a --author-email=a@b --signing-key-secret=sign --signing-key-type=ssh --export)"

# tls: a certificate made here; flux's layout (ca.crt, tls.crt, tls.key, type kubernetes.io/tls)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/tls.key" -out "$tmp/tls.crt" \
	-subj /CN=example.com -days 1 >/dev/null 2>&1
cp "$tmp/tls.crt" "$tmp/ca.crt"
ind() { sed 's/^/    /' "$1"; }
want="---
apiVersion: v1
kind: Secret
metadata:
  name: certs
  namespace: my-namespace
stringData:
  ca.crt: |
$(ind "$tmp/ca.crt")
  tls.crt: |
$(ind "$tmp/tls.crt")
  tls.key: |
$(ind "$tmp/tls.key")
type: kubernetes.io/tls"
check_output "create secret tls --export" "$want" "$("$TIDE" create secret tls certs -n my-namespace --tls-crt-file="$tmp/tls.crt" \
	--tls-key-file="$tmp/tls.key" --ca-crt-file="$tmp/ca.crt" --export)"
check_contains "create secret tls with a CA only: Opaque" "type: Opaque" "$("$TIDE" create secret tls ca --ca-crt-file="$tmp/ca.crt" --export)"
check_contains "create secret helm with a client certificate: a TLS secret" "type: kubernetes.io/tls" \
	"$("$TIDE" create secret helm h --tls-crt-file="$tmp/tls.crt" --tls-key-file="$tmp/tls.key" -u x -p y --export)"
check_contains "create secret helm: --cert-file/--key-file (flux's older names) too" "type: kubernetes.io/tls" \
	"$("$TIDE" create secret helm h --cert-file="$tmp/tls.crt" --key-file="$tmp/tls.key" --export)"
# ssh: the key and known_hosts from files
ssh-keygen -q -t ed25519 -N '' -C test -f "$tmp/id" >/dev/null
echo "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" > "$tmp/known_hosts"
out=$("$TIDE" create secret git ssh-auth --url=ssh://git@github.com/org/repo --private-key-file="$tmp/id" \
	--known-hosts-file="$tmp/known_hosts" --export)
check_contains "create secret git over ssh: identity" "  identity: |
$(ind "$tmp/id" | head -2)" "$out"
check_contains "... identity.pub from the .pub file" "  identity.pub: |
    $(cat "$tmp/id.pub")" "$out"
check_contains "... known_hosts" "  known_hosts: |
    github.com ssh-ed25519" "$out"

# ssh key generation as flux's (PKCS#8 PEM private key, authorized_keys public key)
# a stringData value of the Secret on stdin: "  key: value" or a "  key: |" block indented by 4
yget() { awk -v k="  $1:" '
	index($0, k " ") == 1 && substr($0, length(k) + 2) != "|" { print substr($0, length(k) + 2); exit }
	$0 == k " |" { inblock = 1; next }
	inblock && /^    / { print substr($0, 5); next }
	inblock { exit }'; }
for alg in "ecdsa ecdsa-sha2-nistp384" "ecdsa --ssh-ecdsa-curve=p256 ecdsa-sha2-nistp256" "rsa --ssh-rsa-bits=1024 ssh-rsa" "ed25519 ssh-ed25519"; do
	set -- $alg; a=$1; want=${!#}; extra=""; [ $# -eq 3 ] && extra=$2
	out=$("$TIDE" create secret git gen --url=ssh://git@github.com/o/r --known-hosts-file="$tmp/known_hosts" --ssh-key-algorithm="$a" $extra --export)
	yget identity <<<"$out" > "$tmp/gen.key"; chmod 600 "$tmp/gen.key"
	pub=$(yget identity.pub <<<"$out")
	check_contains "ssh-key-algorithm=$a $extra: a PKCS#8 PEM private key" "-----BEGIN PRIVATE KEY-----" "$(cat "$tmp/gen.key")"
	check_contains "... and the $want public key" "$want AAAA" "$pub"
	# the public key is the private key's (ssh-keygen here reads PKCS#8 RSA and ECDSA keys, not
	# ed25519 ones: for those the raw key bytes are compared through OpenSSL)
	if [ "$a" = ed25519 ]; then
		check_output "... which is the private key's" "$(openssl pkey -in "$tmp/gen.key" -pubout -outform DER | tail -c 32 | base64)" \
			"$(cut -d' ' -f2 <<<"$pub" | base64 -d | tail -c 32 | base64)"
	else
		check_output "... which is the private key's" "$(ssh-keygen -y -f "$tmp/gen.key" | cut -d' ' -f1,2)" "$(cut -d' ' -f1,2 <<<"$pub")"
	fi
done
# a PEM key from file, encrypted: the public key derived with --password, as flux
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -aes256 -pass pass:secret -out "$tmp/enc.pem" 2>/dev/null
out=$("$TIDE" create secret git enc --url=ssh://git@github.com/o/r --known-hosts-file="$tmp/known_hosts" \
	--private-key-file="$tmp/enc.pem" --password=secret --export)
check_contains "an encrypted PEM key: identity.pub derived" "ecdsa-sha2-nistp256 AAAA" "$(yget identity.pub <<<"$out")"
check_output "... the passphrase stored as password" "secret" "$(yget password <<<"$out")"
out=$("$TIDE" create secret git dk -n "$ns" --url=ssh://git@github.com/o/r --known-hosts-file="$tmp/known_hosts" 2>&1)
check_contains "create secret git over ssh prints the deploy key" "✚ deploy key: ecdsa-sha2-nistp384 AAAA" "$out"

# ---- --help: usage and examples, exit 0 ----
for verb in "create source bucket" "create image repository" "create image policy" "create image update" \
	"create secret git" "create secret helm" "create secret oci" "create secret tls" "stats"; do
	out=$("$TIDE" $verb --help 2>&1); rc=$?
	check_contains "$verb --help: usage and examples" "Usage:
  tide $verb" "$out"
	check_contains "$verb --help: examples" "Examples:" "$out"
	check_output "$verb --help: exit 0" 0 "$rc"
done
check_contains "create --help lists the new kinds" "source bucket" "$("$TIDE" create --help)"
check_contains "create image --help" "update      Create or update an ImageUpdateAutomation object" "$("$TIDE" create image --help)"
check_contains "create secret --help" "tls         Create or update a Kubernetes secret with TLS certificates" "$("$TIDE" create secret --help)"
check_contains "tide --help lists stats" "stats" "$("$TIDE" --help)"

# ---- the errors, as flux words them ----
err() { "$TIDE" "$@" 2>&1; }
check_contains "bucket without --bucket-name" "✗ bucket-name is required" "$(err create source bucket b --endpoint=e)"
check_contains "bucket without --endpoint" "✗ endpoint is required" "$(err create source bucket b --bucket-name=x)"
check_contains "bucket with a bad provider" "source bucket provider 'foo' is not supported, must be one of: generic, aws, azure, gcp" \
	"$(err create source bucket b --bucket-name=x --endpoint=e --provider=foo)"
check_fails "bucket without a name" "$TIDE" create source bucket --bucket-name=x --endpoint=e --export
check_contains "image repository without --image" "✗ an image repository (--image) is required" "$(err create image repository r)"
check_contains "image repository with a bad image" "unable to parse image value" "$(err create image repository r --image 'Ghcr.io/UPPER/App')"
check_contains "image policy without --image-ref" "✗ the name of an ImageRepository in the namespace is required (--image-ref)" "$(err create image policy p --select-semver=1.x)"
check_contains "image policy without a policy" "✗ a policy must be provided with either --select-semver or --select-alpha" "$(err create image policy p --image-ref=r)"
check_contains "image policy with two policies" "only one of --select-semver, --select-alpha or --select-numeric can be specified" \
	"$(err create image policy p --image-ref=r --select-semver=1.x --select-numeric=asc)"
check_contains "image policy with a bad order" '✗ --select-numeric must be one of ["asc", "desc"]' "$(err create image policy p --image-ref=r --select-numeric=up)"
check_contains "image policy: extract without regex" "cannot specify --filter-extract without specifying --filter-regex" \
	"$(err create image policy p --image-ref=r --select-alpha=asc --filter-extract='$x')"
check_contains "image policy: an unknown capture group" 'capture group $nope used in --filter-extract not found in --filter-regex' \
	"$(err create image policy p --image-ref=r --select-alpha=asc --filter-regex='^(?P<ts>[0-9]+)' --filter-extract='$nope')"
check_contains "image policy: --interval without Always" "the --interval flag can only be used with the 'Always' digest reflection policy" \
	"$(err create image policy p --image-ref=r --select-alpha=asc --interval=1m)"
check_contains "image update without --git-repo-ref" "✗ a reference to a GitRepository is required (--git-repo-ref)" "$(err create image update u)"
check_contains "image update without --checkout-branch" "✗ the Git repository branch is required (--checkout-branch)" "$(err create image update u --git-repo-ref=r)"
check_contains "image update without --author-email" "✗ the author email is required (--author-email)" \
	"$(err create image update u --git-repo-ref=r --checkout-branch=main --author-name=a)"
check_contains "image update: a bad signing key type" "✗ --signing-key-type must be one of: gpg, ssh" \
	"$(err create image update u --git-repo-ref=r --checkout-branch=main --author-name=a --author-email=e --signing-key-secret=s --signing-key-type=pgp)"
check_contains "create image without a kind" "a kind is required: repository, policy or update" "$(err create image)"
check_contains "secret git without --url" "✗ url is required" "$(err create secret git s)"
check_contains "secret git with a bad scheme" "✗ git URL scheme 'ftp' not supported, can be: ssh, http and https" "$(err create secret git s --url=ftp://x/y)"
check_contains "secret git https without credentials" "for Git over HTTP/S the username and password, or a bearer token is required" \
	"$(err create secret git s --url=https://x/y -u me)"
check_contains "secret git: credentials and a token" "user credentials and bearer token cannot be used together" \
	"$(err create secret git s --url=https://x/y -u me -p pw --bearer-token=t)"
check_contains "secret git: a bad --ssh-key-algorithm" "unsupported public key algorithm 'dsa', must be one of: rsa, ecdsa, ed25519" \
	"$(err create secret git s --url=ssh://git@x/y --known-hosts-file="$tmp/known_hosts" --ssh-key-algorithm=dsa)"
check_contains "secret git: a bad --ssh-ecdsa-curve" "unsupported curve 'p192', must be one of: p256, p384, p521" \
	"$(err create secret git s --url=ssh://git@x/y --known-hosts-file="$tmp/known_hosts" --ssh-ecdsa-curve=p192)"
check_contains "secret git: too few --ssh-rsa-bits" "RSA key bit size must be at least 1024" \
	"$(err create secret git s --url=ssh://git@x/y --known-hosts-file="$tmp/known_hosts" --ssh-key-algorithm=rsa --ssh-rsa-bits=512)"
check_contains "secret git: a wrong passphrase for a PEM key" "cannot read the private key" \
	"$(err create secret git s --url=ssh://git@x/y --known-hosts-file="$tmp/known_hosts" --private-key-file="$tmp/enc.pem" --password=wrong)"
check_contains "secret git: a missing CA file" "unable to read TLS CA file" "$(err create secret git s --url=https://x/y -u a -p b --ca-crt-file=/nope)"
check_contains "secret tls: a certificate without its key" "private key is required when certificate is provided" \
	"$(err create secret tls t --tls-crt-file="$tmp/tls.crt")"
check_contains "secret tls: nothing given" "requires either a certificate and private key pair, or a CA certificate" "$(err create secret tls t)"
check_contains "secret oci without --url" "✗ --url is required" "$(err create secret oci o -u a -p b)"
check_contains "secret oci without --password" "✗ --password is required" "$(err create secret oci o --url=ghcr.io -u a)"
check_contains "secret without a name" "✗ name is required" "$(err create secret tls --ca-crt-file="$tmp/ca.crt")"
check_contains "create secret without a kind" "a kind is required: git, helm, oci or tls" "$(err create secret)"
check_contains "a create on an unreachable cluster" "✗" "$(err create secret oci o --url=ghcr.io -u a -p b --kubeconfig=/nope)"

# ---- on the cluster ----
out=$("$TIDE" create source bucket podinfo -n "$ns" --bucket-name=podinfo --endpoint=minio.invalid:9000 --access-key=ak --secret-key=sk --timeout=2s 2>&1); rc=$?
check_output "create source bucket: flux's lines, then the wait times out" "✚ generating Bucket source
► applying secret with the bucket credentials
✔ authentication configured
► applying Bucket source
✔ Bucket source created
◎ waiting for Bucket source reconciliation
✗ context deadline exceeded" "$out"
check_output "... exit 1" 1 "$rc"
check_output "the credentials Secret bucket-podinfo" "ak sk" "$("$KUBECTL" get secret bucket-podinfo -n "$ns" -o jsonpath='{.data.accesskey}' | base64 -d) $("$KUBECTL" get secret bucket-podinfo -n "$ns" -o jsonpath='{.data.secretkey}' | base64 -d)"
check_output "the Bucket refers to it" "bucket-podinfo generic" "$("$KUBECTL" get bucket podinfo -n "$ns" -o jsonpath='{.spec.secretRef.name} {.spec.provider}')"

e2e_fake_controller "$ns" imagerepository,imagepolicy,imageupdateautomation,bucket '
	"artifact":{"revision":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","path":"p","url":"http://x/p","digest":"sha256:00","lastUpdateTime":"2026-01-01T00:00:00Z","size":3072},
	"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"done","lastTransitionTime":"2026-01-01T00:00:00Z"}]'
out=$("$TIDE" create source bucket podinfo -n "$ns" --bucket-name=podinfo --endpoint=minio.invalid:9000 --timeout=30s 2>&1); rc=$?
check_contains "create source bucket: updated, Ready, the revision" "✔ Bucket source updated
◎ waiting for Bucket source reconciliation
✔ Bucket source reconciliation completed
✔ fetched revision: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "$out"
check_output "... exit 0" 0 "$rc"
out=$("$TIDE" create image repository app -n "$ns" --image=ghcr.io/org/app --timeout=30s 2>&1); rc=$?
check_output "create image repository: flux's upsertAndWait lines" "✚ generating ImageRepository
► applying ImageRepository
✔ ImageRepository created
◎ waiting for ImageRepository reconciliation
✔ ImageRepository reconciliation completed" "$out"
check_output "... exit 0" 0 "$rc"
check_contains "create image policy on the cluster" "✔ ImagePolicy reconciliation completed" \
	"$("$TIDE" create image policy app -n "$ns" --image-ref=app --select-semver=1.x --timeout=30s 2>&1)"
check_contains "create image update on the cluster" "✔ ImageUpdateAutomation reconciliation completed" \
	"$("$TIDE" create image update app -n "$ns" --git-repo-ref=repo --checkout-branch=main --author-name=a --author-email=a@b --timeout=30s 2>&1)"
check_contains "a second create image repository updates" "✔ ImageRepository updated" \
	"$("$TIDE" create image repository app -n "$ns" --image=ghcr.io/org/app2 --timeout=30s 2>&1)"
check_output "... the spec changed" "ghcr.io/org/app2" "$("$KUBECTL" get imagerepository app -n "$ns" -o jsonpath='{.spec.image}')"
e2e_fake_controller_stop

out=$("$TIDE" create secret git creds -n "$ns" --url=https://x/y -u me -p pw --label=team=a 2>&1); rc=$?
check_output "create secret git on the cluster: flux's line" "► git secret 'creds' created in '$ns' namespace" "$out"
check_output "... the Secret's keys and label" "me pw a" "$(printf '%s %s %s' \
	"$("$KUBECTL" get secret creds -n "$ns" -o jsonpath='{.data.username}' | base64 -d)" \
	"$("$KUBECTL" get secret creds -n "$ns" -o jsonpath='{.data.password}' | base64 -d)" \
	"$("$KUBECTL" get secret creds -n "$ns" -o jsonpath='{.metadata.labels.team}')")"
check "create secret git again updates it" "$TIDE" create secret git creds -n "$ns" --url=https://x/y -u me -p pw2
check_output "... with the new password" "pw2" "$("$KUBECTL" get secret creds -n "$ns" -o jsonpath='{.data.password}' | base64 -d)"
check_contains "create secret oci on the cluster" "► oci secret 'ghcr' created in '$ns' namespace" "$(err create secret oci ghcr -n "$ns" --url=ghcr.io -u a -p b)"
check_output "... a dockerconfigjson Secret" "kubernetes.io/dockerconfigjson" "$("$KUBECTL" get secret ghcr -n "$ns" -o jsonpath='{.type}')"
check_contains "create secret tls on the cluster" "► tls secret 'certs' created in '$ns' namespace" \
	"$(err create secret tls certs -n "$ns" --tls-crt-file="$tmp/tls.crt" --tls-key-file="$tmp/tls.key")"
check_contains "create secret helm on the cluster" "► helm secret 'h' created in '$ns' namespace" "$(err create secret helm h -n "$ns" -u a -p b)"
check_contains "create secret as a user without RBAC: the API server's error" "forbidden" \
	"$(err create secret helm h -n "$ns" -u a -p b --kubeconfig="$KUBECONFIG_USER")"

# ---- stats ----
"$KUBECTL" -n "$ns" patch bucket podinfo --type=merge -p '{"spec":{"suspend":true}}' >/dev/null
"$KUBECTL" -n "$ns" apply -f - >/dev/null <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata: {name: broken}
spec: {bucketName: b, endpoint: e, interval: 1h}
YAML
"$KUBECTL" -n "$ns" patch bucket broken --subresource=status --type=merge -p \
	'{"status":{"artifact":{"revision":"r","path":"p","url":"u","digest":"sha256:00","lastUpdateTime":"2026-01-01T00:00:00Z","size":2097152},"conditions":[{"type":"Ready","status":"False","reason":"Failed","message":"no","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}' >/dev/null
out=$("$TIDE" stats -n "$ns"); rc=$?
check_contains "stats: flux's header" "RECONCILERS" "$(head -1 <<<"$out")"
check_output "stats: one row per kind (13)" 13 "$(tail -n +2 <<<"$out" | wc -l | tr -d ' ')"
check_output "stats: Bucket running, failing, suspended, storage (2 MiB + 3 KiB)" "Bucket 1 1 1 2.0 MiB" \
	"$(grep '^Bucket' <<<"$out" | tr -s ' \t' ' ' | sed 's/ $//')"
check_output "stats: ImageRepository (no artifact in its schema)" "ImageRepository 1 0 0 -" "$(grep '^ImageRepository' <<<"$out" | tr -s ' \t' ' ' | sed 's/ $//')"
check_output "stats: an empty kind" "HelmChart 0 0 0 -" "$(grep '^HelmChart' <<<"$out" | tr -s ' \t' ' ' | sed 's/ $//')"
check_output "stats exits 0" 0 "$rc"
check_contains "stats -A counts every namespace" "Bucket" "$("$TIDE" stats -A)"
check_fails "stats: no cluster" "$TIDE" stats --kubeconfig=/nope
check_contains "stats: a user without RBAC" "✗" "$(err stats -n "$ns" --kubeconfig="$KUBECONFIG_USER")"
check_fails "stats takes no arguments" "$TIDE" stats extra

"$KUBECTL" delete namespace "$ns" --wait=false >/dev/null 2>&1
finish
