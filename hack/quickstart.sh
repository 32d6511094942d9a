#!/usr/bin/env bash
# Quickstart on one machine with no cluster: starts a local control plane (real kube-apiserver and
# etcd built from source), installs the Stella Operator CRDs, applies the dev → stage → prod
# example and shows it with kubectl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash hack/install-prerequisites.sh
source hack/env.sh

echo "==> Starting the local control plane (first run builds kube-apiserver and etcd: a few minutes)"
kubeconfig=$(bash hack/local-control-plane.sh up)
kubectl() { "$STELLA_CACHE/kube-${KUBE_VERSION:-1.32.13}/bin/kubectl" --kubeconfig "$kubeconfig" "$@"; }

echo "==> Installing the CRDs"
kubectl apply --server-side -f crds/generated/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f crds/generated/ >/dev/null

echo "==> Applying docs/examples"
for f in docs/examples/*.yaml; do
  kubectl apply --server-side -f "$f" >/dev/null
done

echo "==> What is there"
kubectl get ilmclasses,trustpolicies,advisoryfeeds
echo
kubectl -n stella-demo get environments,agents,targets,gatepolicies,releases,promotions
echo
echo "==> The API documents itself:"
kubectl explain release.spec.components | sed -n '1,12p'
cat <<MSG

Done. Use the control plane with:
  export KUBECONFIG=$kubeconfig
  alias kubectl=$STELLA_CACHE/kube-${KUBE_VERSION:-1.32.13}/bin/kubectl

Try next:
  kubectl -n stella-demo create -f crds/src/test/resources/invalid/release-digest-latest.yaml
      (a Release whose digest is "latest" is refused by the API server, with the reason)
  kubectl explain environment.spec.freezeWindows
  docs/api/index.md — the API reference

Stop it with: hack/local-control-plane.sh down
MSG
