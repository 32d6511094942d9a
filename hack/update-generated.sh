#!/usr/bin/env bash
# Regenerates the committed CRD YAML (crds/generated, copied into charts/stella-operator/crds) and
# API reference (docs/api) from the API types in crds/. CI fails when they drift, so run this after changing an API type and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/env.sh
mvn -q -B -pl crds -am test -Dtest=GeneratedCrdsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dstella.updateGenerated=true -Dspotless.check.skip=true
rm -f charts/stella-operator/crds/*.yml
cp crds/generated/*.yml charts/stella-operator/crds/
git status --short crds/generated docs/api charts/stella-operator/crds
