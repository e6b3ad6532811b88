#!/usr/bin/env bash
# Flux's CRDs as tide installs them: accepted by a real API server, Established, Flux's
# documented manifests of every kind accepted unchanged, invalid ones rejected by the schema,
# printer columns served.
source "$(dirname "$0")/../lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
ns=e2e-crds

check "tide install applies the CRDs and install objects" "$TIDE" install
out=$("$TIDE" install 2>&1)
check_contains "a second tide install changes nothing" "CustomResourceDefinition/gitrepositories.source.toolkit.fluxcd.io unchanged" "$out"
case "$out" in *" created"*|*" configured"*) not_ok "a second tide install reports no change"; echo "$out" | sed 's/^/#   /' ;; *) ok "a second tide install reports no change" ;; esac

for crd in gitrepositories.source.toolkit.fluxcd.io ocirepositories.source.toolkit.fluxcd.io \
  helmrepositories.source.toolkit.fluxcd.io helmcharts.source.toolkit.fluxcd.io buckets.source.toolkit.fluxcd.io \
  kustomizations.kustomize.toolkit.fluxcd.io helmreleases.helm.toolkit.fluxcd.io \
  providers.notification.toolkit.fluxcd.io alerts.notification.toolkit.fluxcd.io receivers.notification.toolkit.fluxcd.io \
  imagerepositories.image.toolkit.fluxcd.io imagepolicies.image.toolkit.fluxcd.io imageupdateautomations.image.toolkit.fluxcd.io; do
  est=$("$KUBECTL" get crd "$crd" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>&1)
  check_output "CRD $crd is Established" "True" "$est"
done

"$KUBECTL" create namespace "$ns" >/dev/null 2>&1
for f in "$here"/samples/*.yaml; do
  check "Flux's sample manifests accepted: $(basename "$f")" "$KUBECTL" apply -n "$ns" --server-side -f "$f"
done
for f in "$here"/rejected/*.yaml; do
  check_fails "schema rejects $(basename "$f" .yaml)" "$KUBECTL" apply -n "$ns" --dry-run=server -f "$f"
done

cols=$("$KUBECTL" get gitrepositories -n "$ns" 2>&1 | head -n 1 | tr -s ' ')
check_output "GitRepository printer columns" "NAME URL AGE READY STATUS" "$cols"
cols=$("$KUBECTL" get kustomizations -n "$ns" 2>&1 | head -n 1 | tr -s ' ')
check_output "Kustomization printer columns" "NAME AGE READY STATUS" "$cols"
cols=$("$KUBECTL" get helmreleases -n "$ns" 2>&1 | head -n 1 | tr -s ' ')
check_output "HelmRelease printer columns" "NAME AGE READY STATUS" "$cols"
check "short names: ks, gitrepo, hr, ocirepo, helmrepo, hc, imgpol, iua" \
  bash -c "for s in ks gitrepo hr ocirepo helmrepo hc imgpol iua; do '$KUBECTL' get \$s -n $ns >/dev/null || exit 1; done"
finish
