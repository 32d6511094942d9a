#!/usr/bin/env bash
# Runs a benchmark against real peers and prints its figures beside the peer's in the same run.
# Usage: hack/bench.sh admission
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source hack/env.sh
bash hack/peers/build-kube.sh >/dev/null
STELLA_COSIGN=$(bash hack/peers/build-tools.sh cosign)
export STELLA_COSIGN
case "${1:-}" in
  admission) module=webhooks test=AdmissionBenchmark ;;
  *) echo "usage: hack/bench.sh admission" >&2; exit 2 ;;
esac
mvn -q -B -ntp install -DskipTests -Dspotless.check.skip -pl "$module" -am
mvn -B -ntp verify -Dspotless.check.skip -pl "$module" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$test" -Dfailsafe.failIfNoSpecifiedTests=false -Dstella.bench=true |
  sed -n '/^Release admission/,/^$/p;/BUILD/p'
