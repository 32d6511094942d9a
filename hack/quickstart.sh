#!/usr/bin/env bash
# Quickstart on one machine with no cluster: a local control plane (real kube-apiserver and etcd
# built from source), the Stella Operator with its admission webhook, the dev -> stage -> prod
# example, and a first promotion whose signed evidence is exported and verified offline.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash hack/install-prerequisites.sh
source hack/env.sh
STELLA_HOME=${STELLA_HOME:-$root/.stella}
state="$STELLA_HOME/control-plane"
version=0.1.0-SNAPSHOT

echo "==> Starting the local control plane (the first run builds kube-apiserver and etcd: a few minutes)"
kubeconfig=$(bash hack/local-control-plane.sh up)
export KUBECONFIG=$kubeconfig
kubectl() { "$STELLA_CACHE/kube-${KUBE_VERSION:-1.32.13}/bin/kubectl" "$@"; }
stella() { java -XX:+IgnoreUnrecognizedVMOptions --sun-misc-unsafe-memory-access=allow -jar "$root/cli/target/stella-cli-$version-all.jar" "$@"; }

echo "==> Installing the CRDs"
kubectl apply --server-side -f crds/generated/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f crds/generated/ >/dev/null

echo "==> Building the operator and kubectl-stella"
mvn -q -B -ntp package -DskipTests -Dspotless.check.skip=true -pl operator,cli -am

echo "==> Starting the operator (log: $state/stella-operator.log)"
STELLA_WEBHOOK_PORT=18443 STELLA_WEBHOOK_URL=https://127.0.0.1:18443 STELLA_HEALTH_PORT=18080 \
  java -jar "operator/target/stella-operator-$version-all.jar" >"$state/stella-operator.log" 2>&1 &
echo $! >"$state/stella-operator.pid"
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:18080/health/readiness >/dev/null && break
  sleep 0.5
done
curl -sf http://127.0.0.1:18080/health/readiness >/dev/null || { tail -30 "$state/stella-operator.log"; exit 1; }
echo "    $(curl -s http://127.0.0.1:18080/version)"

echo "==> Applying docs/examples (environments, targets, agent, policies, a release)"
for f in docs/examples/*.yaml; do
  [[ $f == *70-promotion.yaml ]] && continue
  kubectl apply --server-side -f "$f" >/dev/null
done
kubectl -n stella-demo get environments,targets,gatepolicies,releases

echo
echo "==> Promoting shop-1.4.2 to prod before it ran anywhere"
promotion=$(stella -n stella-demo promote shop-1.4.2 --to prod --reason "quickstart" | sed -n 's#^promotion.stellaops.io/\([^ ]*\) created.*#\1#p')
for _ in $(seq 1 60); do
  phase=$(kubectl -n stella-demo get promotion "$promotion" -o jsonpath='{.status.phase}')
  [[ $phase == Denied || $phase == AwaitingApproval || $phase == Deploying ]] && break
  sleep 0.5
done
stella -n stella-demo status "$promotion"

echo
echo "==> Its evidence, exported and verified offline with the operator's public key"
rm -rf "$STELLA_HOME/evidence/$promotion"
stella -n stella-demo evidence export "$promotion" --out "$STELLA_HOME/evidence/$promotion"
stella evidence verify --dir "$STELLA_HOME/evidence/$promotion"
stella evidence replay --dir "$STELLA_HOME/evidence/$promotion"

cat <<MSG

Done. The control plane and the operator keep running:
  export KUBECONFIG=$kubeconfig
  alias kubectl=$STELLA_CACHE/kube-${KUBE_VERSION:-1.32.13}/bin/kubectl
  alias kubectl-stella="java -jar $root/cli/target/stella-cli-$version-all.jar"

Try next:
  kubectl-stella -n stella-demo promote shop-1.4.2 --to dev      # denied too: the baseline policy
                                                                  # wants verified signatures and SBOMs
  kubectl -n stella-demo create -f crds/src/test/resources/invalid/release-digest-latest.yaml
                                                                  # the API server refuses a tag as digest
  cat $STELLA_HOME/evidence/$promotion/statement.json             # what was decided, on which inputs
  docs/policy.md                                                  # write your own gates in CEL

Stop everything with: hack/local-control-plane.sh down
MSG
