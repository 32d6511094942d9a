#!/usr/bin/env bash
# Quickstart on one machine with no cluster: a local control plane (real kube-apiserver and etcd
# built from source), the Stella Operator with its admission webhook, a local OCI registry, a
# Docker Engine and one Docker agent. It builds a demo image, pushes, signs and SBOM-attests it,
# creates a Release, promotes it to dev and then to stage with an approval, shows the running
# containers and verifies the stage promotion's evidence offline.
#
# Everything runs on loopback and lives in $STELLA_HOME (default .stella/ in the repository); each
# run starts from an empty control plane. STELLA_DOCKER_HOST=unix:///var/run/docker.sock uses a
# Docker Engine that already runs instead of starting one (which needs root).
# `hack/local-control-plane.sh down` stops everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash hack/install-prerequisites.sh
source hack/env.sh
export STELLA_HOME=${STELLA_HOME:-$root/.stella}
state="$STELLA_HOME/control-plane"
work="$STELLA_HOME/quickstart"
version=0.1.0-SNAPSHOT
registry=127.0.0.1:15000
ns=stella-quickstart
image=$registry/quickstart/hello

if [[ -z ${STELLA_DOCKER_HOST:-} && $(id -u) -ne 0 ]]; then
  echo "The quickstart starts its own Docker Engine, which needs root. Run it as root, or point it at" >&2
  echo "an engine you may use: STELLA_DOCKER_HOST=unix:///var/run/docker.sock hack/quickstart.sh" >&2
  exit 1
fi
bash hack/local-control-plane.sh down # a previous run's processes
for port in 12379 15000 16443 18080 18101 18102 18443; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port on 127.0.0.1 is taken; the quickstart needs it (stop what listens there)." >&2
    exit 1
  fi
done

# JDK 24+ warns about libraries using sun.misc.Unsafe; their use is harmless here
quiet=()
(($(java_major "$JAVA_HOME") >= 24)) && quiet=(--sun-misc-unsafe-memory-access=allow)

echo "==> Building cosign, the operator, the agent and kubectl-stella (the first run also builds"
echo "    kube-apiserver, etcd and cosign from their Go modules: several minutes)"
cosign=$(bash hack/peers/build-tools.sh cosign)
# hack/test.sh sets STELLA_QUICKSTART_BUILT: its `mvn verify` has just built and tested these jars
if [[ -z ${STELLA_QUICKSTART_BUILT:-} ]]; then
  MAVEN_OPTS="${quiet[*]}" mvn -q -B -ntp -Dstyle.color=never package -DskipTests -Dspotless.check.skip=true -pl operator,cli,agents -am
fi

echo "==> Starting the local control plane (kube-apiserver and etcd on 127.0.0.1:16443)"
rm -rf "$state/etcd" "$work"
mkdir -p "$work"
kubeconfig=$(bash hack/local-control-plane.sh up)
export KUBECONFIG=$kubeconfig
kubectl() { "$STELLA_CACHE/kube-${KUBE_VERSION:-1.32.13}/bin/kubectl" "$@"; }
stella() { java "${quiet[@]}" -jar "$root/cli/target/stella-cli-$version-all.jar" "$@"; }
export COSIGN_PASSWORD="" COSIGN_YES=true
kubectl apply --server-side -f crds/generated/ >/dev/null
kubectl wait --for condition=Established --timeout 60s -f crds/generated/ >/dev/null

# await <what> <seconds> <command...>: runs the command until it succeeds
await() {
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" >/dev/null 2>&1 && return
    sleep 0.5
  done
  echo "$what did not happen within ${seconds}s" >&2
  return 1
}

echo "==> Starting a local OCI registry ($registry, Debian's docker-registry)"
mkdir -p "$STELLA_HOME/registry"
cat >"$STELLA_HOME/registry/config.yml" <<YAML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $STELLA_HOME/registry/data}
  delete: {enabled: true}
http:
  addr: $registry
YAML
/usr/bin/docker-registry serve "$STELLA_HOME/registry/config.yml" >"$state/docker-registry.log" 2>&1 &
echo $! >"$state/docker-registry.pid"
await "the registry answering on $registry" 30 curl -sf "http://$registry/v2/"

if [[ -n ${STELLA_DOCKER_HOST:-} ]]; then
  export DOCKER_HOST=$STELLA_DOCKER_HOST
else
  echo "==> Starting a Docker Engine (Debian's dockerd; data in $STELLA_HOME/docker)"
  # unix socket paths are limited to 108 bytes
  sock="$STELLA_HOME/docker/docker.sock"
  ((${#sock} < 100)) || sock="$(mktemp -d /tmp/stella-docker.XXXXXX)/docker.sock"
  mkdir -p "$STELLA_HOME/docker"
  export DOCKER_HOST="unix://$sock"
  /usr/sbin/dockerd --host "$DOCKER_HOST" --data-root "$STELLA_HOME/docker/data" \
    --exec-root "$STELLA_HOME/docker/exec" --pidfile "$STELLA_HOME/docker/dockerd.pid" \
    >"$state/dockerd.log" 2>&1 &
  echo $! >"$state/dockerd.pid"
  await "dockerd answering on $DOCKER_HOST" 60 docker version
fi
echo "$DOCKER_HOST" >"$state/docker-host"
docker ps -aq --filter label=stellaops.io/release | xargs -r docker rm -f >/dev/null

echo "==> Starting the operator with its admission webhook (log: $state/stella-operator.log)"
STELLA_WEBHOOK_PORT=18443 STELLA_WEBHOOK_URL=https://127.0.0.1:18443 STELLA_HEALTH_PORT=18080 \
  java "${quiet[@]}" -jar "operator/target/stella-operator-$version-all.jar" >"$state/stella-operator.log" 2>&1 &
echo $! >"$state/stella-operator.pid"
await "the operator becoming ready" 60 curl -sf http://127.0.0.1:18080/health/readiness ||
  { tail -30 "$state/stella-operator.log"; exit 1; }
echo "    $(curl -s http://127.0.0.1:18080/version)"

echo "==> Building the demo app image and pushing $image:1.0.0"
cp -r docs/quickstart/hello "$work/hello"
cp /bin/busybox "$work/hello/busybox"
docker build -q -t "$image:1.0.0" "$work/hello" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
docker push -q "$image:1.0.0" >/dev/null
digest=$(docker inspect --format '{{index .RepoDigests 0}}' "$image:1.0.0" | sed 's/.*@//')
echo "    $image:1.0.0 is $digest"

echo "==> Signing it and attesting its SBOM with cosign (key pair in $work)"
(cd "$work" && "$cosign" generate-key-pair --output-key-prefix cosign >/dev/null 2>&1)
python3 - "$work/sbom.cdx.json" "$(dpkg-query -W -f '${Version}' busybox-static)" \
  "$(dpkg --print-architecture)" "$(. /etc/os-release && echo "$VERSION_ID")" <<'PY'
import json, sys
out, version, arch, debian = sys.argv[1:]
purl = f"pkg:deb/debian/busybox-static@{version}?arch={arch}&distro=debian-{debian}"
json.dump({
    "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
    "metadata": {"component": {"type": "container", "name": "quickstart/hello", "version": "1.0.0"}},
    "components": [{"type": "application", "name": "busybox-static", "version": version,
                    "purl": purl, "bom-ref": purl}],
}, open(out, "w"), indent=2)
PY
"$cosign" sign -y --key "$work/cosign.key" --tlog-upload=false --allow-http-registry \
  "$image@$digest" >/dev/null 2>&1
"$cosign" attest -y --key "$work/cosign.key" --type cyclonedx --predicate "$work/sbom.cdx.json" \
  --tlog-upload=false --allow-http-registry "$image@$digest" >/dev/null 2>&1
echo "    signed: $image@$digest"

echo "==> Applying docs/quickstart: namespace, trust policy, environments, agent, targets"
kubectl apply --server-side -f docs/quickstart/00-namespace.yaml >/dev/null
kubectl -n $ns create secret generic quickstart-cosign --from-file cosign.pub="$work/cosign.pub" >/dev/null
kubectl -n $ns apply --server-side -f agents/src/main/resources/io/stellaops/agents/agent-role.yaml >/dev/null
for f in docs/quickstart/10-trust-policy.yaml docs/quickstart/20-environments.yaml docs/quickstart/30-agent.yaml; do
  kubectl apply --server-side -f "$f" >/dev/null
done
await "TrustPolicy quickstart-images becoming Ready" 60 \
  kubectl wait --for condition=Ready --timeout 1s trustpolicy/quickstart-images

echo "==> Starting the agent as ServiceAccount local-agent (log: $state/stella-agent.log)"
token=$(kubectl -n $ns create token local-agent --duration 24h)
agent_kubeconfig="$work/agent.kubeconfig"
kubectl config view --minify --raw -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' |
  base64 -d >"$work/ca.crt"
kubectl config set-cluster stella --server https://127.0.0.1:16443 --certificate-authority "$work/ca.crt" \
  --embed-certs --kubeconfig "$agent_kubeconfig" >/dev/null
kubectl config set-credentials local-agent --token "$token" --kubeconfig "$agent_kubeconfig" >/dev/null
kubectl config set-context stella --cluster stella --user local-agent --namespace $ns \
  --kubeconfig "$agent_kubeconfig" >/dev/null
kubectl config use-context stella --kubeconfig "$agent_kubeconfig" >/dev/null
KUBECONFIG=$agent_kubeconfig STELLA_AGENT_NAME=local STELLA_AGENT_DATA_DIR="$work/agent" \
  STELLA_AGENT_OBSERVE_INTERVAL=10s java "${quiet[@]}" -jar "agents/target/stella-agents-$version-all.jar" \
  >"$state/stella-agent.log" 2>&1 &
echo $! >"$state/stella-agent.pid"
await "Agent local becoming Ready" 60 kubectl -n $ns wait --for condition=Ready --timeout 1s agent/local ||
  { tail -30 "$state/stella-agent.log"; exit 1; }
kubectl -n $ns get agents,targets,environments

echo
echo "==> Creating Release hello-1.0.0 by tag: admission pins the digest and checks the signature"
kubectl create -f docs/quickstart/40-release.yaml
await "Release hello-1.0.0 becoming Ready" 60 kubectl -n $ns wait --for condition=Ready --timeout 1s release/hello-1.0.0
kubectl -n $ns get release hello-1.0.0 -o jsonpath='{range .status.components[*]}    {.name}: {.digest} (tag {.tag}) verified by {.verifiedBy}, SBOM {.sbomDigest}{"\n"}{end}'

# promote <environment>: prints the Promotion's name
promote() {
  stella -n $ns promote hello-1.0.0 --to "$1" --reason "quickstart" |
    sed -n 's#^promotion.stellaops.io/\([^ ]*\) created.*#\1#p'
}
phase_is() { [[ $(kubectl -n $ns get promotion "$1" -o jsonpath='{.status.phase}') == "$2" ]]; }
# reach <promotion> <phase> <seconds>: waits for the phase, then shows the promotion (also on failure)
reach() {
  if ! await "promotion $1 reaching $2" "$3" phase_is "$1" "$2"; then
    stella -n $ns status "$1"
    exit 1
  fi
  stella -n $ns status "$1"
}
# page <port>: the text of the demo page a target serves
page() { curl -sf "http://127.0.0.1:$1/" | sed -n 's/<[^>]*>//gp' | tail -1; }

echo
echo "==> Promoting hello-1.0.0 to dev: the agent runs it on the Docker Engine"
dev=$(promote dev)
reach "$dev" Succeeded 120
echo "    http://127.0.0.1:18101/ says: $(page 18101)"

echo
echo "==> Promoting hello-1.0.0 to stage: it waits for alice@example.com's approval"
stage=$(promote stage)
reach "$stage" AwaitingApproval 60
echo "    approving as alice@example.com (kubectl impersonation; the webhook records who approved):"
stella -n $ns --as alice@example.com approve "$stage" --comment "looks good in dev"
reach "$stage" Succeeded 120

echo
echo "==> The containers the agent runs"
docker ps --filter label=stellaops.io/release --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}\t{{.Ports}}'
echo "    http://127.0.0.1:18102/ says: $(page 18102)"

echo
echo "==> An unsigned image is refused at admission"
printf 'unsigned\n' >"$work/hello/www/unsigned.html"
docker build -q -t "$image:1.0.1" "$work/hello" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
docker push -q "$image:1.0.1" >/dev/null
if sed -e 's/hello-1.0.0/hello-1.0.1/; s/version: 1.0.0/version: 1.0.1/; s/tag: 1.0.0/tag: 1.0.1/' \
  docs/quickstart/40-release.yaml | kubectl create -f - 2>"$work/denied.txt"; then
  echo "an unsigned release was admitted: the TrustPolicy did not hold" >&2
  exit 1
fi
sed 's/^/    /' "$work/denied.txt"

echo
echo "==> The stage promotion's evidence, exported and verified offline with the operator's public key"
stella -n $ns evidence export "$stage" --out "$work/evidence/$stage"
stella evidence verify --dir "$work/evidence/$stage"
stella evidence replay --dir "$work/evidence/$stage"

cat <<MSG

Done. Everything keeps running:
  export KUBECONFIG=$kubeconfig DOCKER_HOST=$DOCKER_HOST
  alias kubectl=$STELLA_CACHE/kube-${KUBE_VERSION:-1.32.13}/bin/kubectl
  alias kubectl-stella="$JAVA_HOME/bin/java ${quiet[*]} -jar $root/cli/target/stella-cli-$version-all.jar"

Try next:
  docker rm -f hello-dev-hello; sleep 10         # drift: the agent reports it on its Target
  kubectl -n $ns get targets                     # dev-docker: Ready False, Drifted
  kubectl-stella -n $ns promote hello-1.0.0 --to dev   # deploys it again, with new evidence
  cat $work/evidence/$stage/statement.json       # what was decided, on which inputs
  docs/quickstart.md                             # what each step did, and the same on kind
  docs/policy.md                                 # write your own gates in CEL

Stop everything with: hack/local-control-plane.sh down
MSG
