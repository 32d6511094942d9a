#!/usr/bin/env bash
# Builds the Go test peers that `go install` can build directly, into $STELLA_CACHE/<tool>-<version>/bin.
# Usage: build-tools.sh cosign   (prints the binary path)
set -euo pipefail
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
declare -A MODULE=(
  [cosign]=github.com/sigstore/cosign/v2/cmd/cosign
  [helm]=helm.sh/helm/v3/cmd/helm
  [osv-scanner]=github.com/google/osv-scanner/v2/cmd/osv-scanner
)
declare -A VERSION=(
  [cosign]=${COSIGN_VERSION:-v2.6.5}
  [helm]=${HELM_VERSION:-v3.19.0}
  [osv-scanner]=${OSV_SCANNER_VERSION:-v2.5.0}
)
for tool in "$@"; do
  module=${MODULE[$tool]:?unknown tool $tool}
  dir="$CACHE/$tool-${VERSION[$tool]}"
  if [[ ! -x "$dir/bin/$tool" ]]; then
    echo "$tool ${VERSION[$tool]}: building (first run only)" >&2
    GOBIN="$dir/bin" go install "$module@${VERSION[$tool]}" >&2
  fi
  echo "$dir/bin/$tool"
done
