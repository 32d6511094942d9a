#!/usr/bin/env bash
# Builds stella-offline-kit-<version>.tar: the operator and agent images as an OCI layout, signed
# and SBOM-attested with the kit's key, both Helm charts, the CRDs, an advisory snapshot and
# docs/install-airgap.md, with a manifest, checksums and the key's signature (docs/install-airgap.md).
#
#   hack/offline-kit.sh [--key kit.pem] [--advisories <osv .zip, .tar.gz or directory>] [--out dir]
#
# --key: a PEM PKCS#8 EC P-256 private key; without it a new one is written beside the kit (keep it
# to sign the next kit, or rotate). The public key goes beside the kit as <kit>.pub: hand it over
# out of band, it is what the other side trusts. STELLA_KIT_BUILT=1 uses the jars and images a
# `mvn package` or `mvn verify` has already built.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
key="" advisories="" out="$root/target"
while (($#)); do
  case $1 in
    --key) key=$(realpath "$2"); shift 2 ;;
    --advisories) advisories=$(realpath "$2"); shift 2 ;;
    --out) mkdir -p "$2"; out=$(realpath "$2"); shift 2 ;;
    *) echo "unknown argument $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
bash hack/install-prerequisites.sh
source hack/env.sh
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
cosign=${STELLA_COSIGN:-$(bash hack/peers/build-tools.sh cosign)}
if [[ -z ${STELLA_KIT_BUILT:-} ]]; then
  mvn -B -ntp -q package -DskipTests -Dspotless.check.skip=true -pl cli,operator,agents -am
fi
mkdir -p "$out"
kit="$out/stella-offline-kit-$version.tar"
if [[ -z $key ]]; then
  key="$out/stella-offline-kit-$version.key"
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$key"
  chmod 600 "$key"
  echo "new kit key: $key" >&2
fi

work=$(mktemp -d)
registry_pid=""
trap '[[ -n $registry_pid ]] && kill $registry_pid 2>/dev/null; rm -rf "$work"' EXIT
if [[ -n $advisories && -d $advisories ]]; then
  # a directory becomes one .tar.gz, the same bytes for the same files
  tar -C "$advisories" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - . \
    | gzip -n >"$work/advisories.tar.gz"
  advisories="$work/advisories.tar.gz"
fi

# a registry of our own to sign in: cosign signs images in a registry, not in a file
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<EOF
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $work/registry}
http:
  addr: 127.0.0.1:$port
EOF
/usr/bin/docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
  sleep 0.1
done

created=$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y-%m-%dT%H:%M:%SZ 2>/dev/null \
  || date -u +%Y-%m-%dT%H:%M:%SZ)
"$JAVA_HOME/bin/java" -cp "cli/target/stella-cli-$version-all.jar" io.stellaops.cli.OfflineKit \
  --version "$version" \
  --operator-image operator/target/image.tar --operator-sbom operator/target/image-sbom.cdx.json \
  --agent-image agents/target/image.tar --agent-sbom agents/target/image-sbom.cdx.json \
  --charts charts --crds crds/generated --guide docs/install-airgap.md \
  ${advisories:+--advisories "$advisories"} \
  --key "$key" --cosign "$cosign" --staging "127.0.0.1:$port" --created "$created" --out "$kit"
echo "$kit"
