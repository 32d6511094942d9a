#!/usr/bin/env bash
# Builds Nomad (the last MPL release) into $STELLA_CACHE/nomad-<version>/bin/nomad and prints its path.
# Its go.mod replaces the api module with ./api, which the module zip lacks, so `go install` refuses
# it: build in a writable copy whose replace points at the api module of the same commit.
set -euo pipefail
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
VERSION=v1.6.3
API=v0.0.0-20231030125810-e0497bff1437 # github.com/hashicorp/nomad/api at the v1.6.3 commit
dir="$CACHE/nomad-$VERSION"
if [[ ! -x "$dir/bin/nomad" ]]; then
  echo "nomad $VERSION: building (first run only, several minutes)" >&2
  src=$(go mod download -json "github.com/hashicorp/nomad@$VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  work=$(mktemp -d)
  trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
  cp -r "$src/." "$work"
  chmod -R u+w "$work"
  cd "$work"
  go mod edit -replace "github.com/hashicorp/nomad/api=github.com/hashicorp/nomad/api@$API"
  GOFLAGS=-mod=mod go mod download github.com/hashicorp/nomad/api >&2
  # ui is served from a separate asset build; the dev agent's API needs none of it.
  GOFLAGS=-mod=mod go build -trimpath -ldflags=-checklinkname=0 -o "$dir/bin/nomad.partial" . >&2
  mv "$dir/bin/nomad.partial" "$dir/bin/nomad"
fi
echo "$dir/bin/nomad"
