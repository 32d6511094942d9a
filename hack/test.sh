#!/usr/bin/env bash
# Runs every test: unit tests (*Test), and tests against a real kube-apiserver + etcd (*IT), plus
# formatting, dependency convergence and generated-file drift checks. Installs what it needs;
# heavy tool builds are cached in $STELLA_CACHE (default ~/.cache/stella).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash hack/install-prerequisites.sh
source hack/env.sh
bash hack/peers/build-kube.sh

mvn -B -ntp verify "$@"

# The API-server-backed tests are the Failsafe ones; say how many ran so a silent skip shows.
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
total = failed = skipped = 0
for f in glob.glob("*/target/failsafe-reports/TEST-*.xml"):
    s = ET.parse(f).getroot()
    total += int(s.get("tests", 0)); skipped += int(s.get("skipped", 0))
    failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
print(f"API-server-backed tests: {total} run, {failed} failed, {skipped} skipped")
if total == 0:
    raise SystemExit("no API-server-backed test ran")
PY
