#!/usr/bin/env bash
# Runs every test: unit tests (*Test), and tests against a real kube-apiserver + etcd (*IT), plus
# formatting, dependency convergence and generated-file drift checks, then the quickstart. Installs what it needs;
# heavy tool builds are cached in $STELLA_CACHE (default ~/.cache/stella).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash hack/install-prerequisites.sh
source hack/env.sh

# `hack/test.sh fuzz [cases] [seed]`: only the fuzz suites (*FuzzTest), 10,000 cases per parser by
# default (CI's full run takes 500); a seed printed by a failing run reproduces it.
if [[ ${1:-} == fuzz ]]; then
  cases=${2:-10000}
  seed=()
  [[ -n ${3:-} ]] && seed=("-Dstella.fuzz.seed=$3")
  exec mvn -B -ntp -pl decision -am verify -DskipITs -Dspotless.check.skip=true \
    -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dstella.fuzz.cases="$cases" "${seed[@]}"
fi
bash hack/peers/build-kube.sh

# `hack/test.sh chaos [promotions] [kills] [seed] [replicas]`: the operator killed with SIGKILL at
# random moments while promotions run (OperatorKillChaosIT), 100 promotions and 20 kills by default
# (CI's full run: 12 and 2); two replicas with leader election unless told otherwise (most kills hit
# the leader, one in four every replica); a printed seed replays a run.
if [[ ${1:-} == chaos ]]; then
  seed=()
  [[ -n ${4:-} ]] && seed=("-Dstella.chaos.seed=$4")
  [[ -n ${5:-} ]] && seed+=("-Dstella.chaos.replicas=$5")
  exec mvn -B -ntp -pl operator -am verify -Dspotless.check.skip=true \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=OperatorKillChaosIT -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dstella.chaos.promotions="${2:-100}" -Dstella.chaos.kills="${3:-20}" "${seed[@]}"
fi
# `hack/test.sh soak [minutes]`: the golden path in a loop (OperatorSoak), 30 minutes by default,
# printing the operator's heap, threads, file descriptors and the API request rate as it goes.
if [[ ${1:-} == soak ]]; then
  exec mvn -B -ntp -pl operator -am verify -Dspotless.check.skip=true \
    -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=OperatorSoak -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dstella.soak.minutes="${2:-30}"
fi
STELLA_COSIGN=$(bash hack/peers/build-tools.sh cosign)
export STELLA_COSIGN
STELLA_MOTO_SERVER=$(bash hack/peers/install-moto.sh)
export STELLA_MOTO_SERVER
STELLA_SARIF_PYTHON=$(bash hack/peers/install-sarif.sh)
export STELLA_SARIF_PYTHON
STELLA_NOMAD=$(bash hack/peers/build-nomad.sh)
export STELLA_NOMAD
STELLA_HELM=$(bash hack/peers/build-tools.sh helm)
export STELLA_HELM
STELLA_OSV_SCANNER=$(bash hack/peers/build-tools.sh osv-scanner)
export STELLA_OSV_SCANNER
STELLA_REFERRERS_REGISTRY=$(bash hack/peers/build-referrers-registry.sh)
export STELLA_REFERRERS_REGISTRY

mvn -B -ntp verify "$@"

# The *IT suites run against real peers (kube-apiserver + etcd, cosign, dockerd, registries,
# moto, nomad, helm); say how many ran so a silent skip shows.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
total = failed = skipped = 0
print("Integration tests against real peers:")
for f in sorted(glob.glob("*/target/failsafe-reports/TEST-*.xml")):
    s = ET.parse(f).getroot()
    n = int(s.get("tests", 0)); total += n; skipped += int(s.get("skipped", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
    print(f"  {n:4d}  {s.get('name').rsplit('.', 1)[-1]}")
print(f"{total} passed, {failed} failed, {skipped} skipped" if failed == 0 else f"{total - failed} passed, {failed} failed")
if total == 0:
    raise SystemExit("no integration test ran")
PY

# The README's first command, end to end; STELLA_SKIP_QUICKSTART=1 leaves it out.
if [[ -z ${STELLA_SKIP_QUICKSTART:-} ]]; then
  echo "Quickstart:"
  mkdir -p target
  trap 'bash hack/local-control-plane.sh down' EXIT
  STELLA_QUICKSTART_BUILT=1 bash hack/quickstart.sh >target/quickstart.log 2>&1 || { tail -60 target/quickstart.log; exit 1; }
  grep -E '^(Verified OK|Replay identical)' target/quickstart.log | sed 's/^/  /'
fi
