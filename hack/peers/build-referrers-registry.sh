#!/usr/bin/env bash
# Builds the registry with the OCI referrers API (go-containerregistry's, see referrers-registry/)
# into $STELLA_CACHE/referrers-registry-<hash>/bin and prints its path.
set -euo pipefail
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
src=$(cd "$(dirname "$0")/referrers-registry" && pwd)
hash=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
dir="$CACHE/referrers-registry-$hash"
if [[ ! -x "$dir/bin/referrers-registry" ]]; then
  echo "referrers-registry: building (first run only)" >&2
  (cd "$src" && go build -trimpath -o "$dir/bin/referrers-registry.partial" .) >&2
  mv "$dir/bin/referrers-registry.partial" "$dir/bin/referrers-registry"
fi
echo "$dir/bin/referrers-registry"
