#!/usr/bin/env bash
# Runs a benchmark against real peers and prints its figures beside the peer's in the same run.
# Usage: hack/bench.sh admission|findings|ilm|export|scale|promotions [-Dproperty=value …]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source hack/env.sh
bash hack/peers/build-kube.sh >/dev/null
STELLA_COSIGN=$(bash hack/peers/build-tools.sh cosign)
STELLA_OSV_SCANNER=$(bash hack/peers/build-tools.sh osv-scanner)
STELLA_REFERRERS_REGISTRY=$(bash hack/peers/build-referrers-registry.sh)
export STELLA_COSIGN STELLA_OSV_SCANNER STELLA_REFERRERS_REGISTRY
case "${1:-}" in
  admission) module=webhooks test=AdmissionBenchmark first='^Release admission' ;;
  findings) module=supplychain test=FindingsBenchmark first='^SBOM x advisories' ;;
  ilm) module=controllers test=IlmBenchmark first='^ILM backlog' ;;
  export) module=controllers test=ExportBenchmark first='^Export:\|^Mirror export:' ;;
  scale) module=operator test=ScaleBenchmark first='^Scale:' ;;
  promotions) module=operator test=PromotionScaleBenchmark first='^Scale: Promotions' ;;
  *) echo "usage: hack/bench.sh admission|findings|ilm|export|scale|promotions" >&2; exit 2 ;;
esac
mvn -q -B -ntp install -DskipTests -Dspotless.check.skip -pl "$module" -am
mvn -B -ntp verify -Dspotless.check.skip -pl "$module" -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$test" -Dfailsafe.failIfNoSpecifiedTests=false -Dstella.bench=true "${@:2}" |
  sed -n "/$first/,/^\$/p;/BUILD/p"
