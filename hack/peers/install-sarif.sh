#!/usr/bin/env bash
# Installs two SARIF consumers from PyPI into a venv under $STELLA_CACHE and prints the path of its
# python: sarif-pydantic (models of the SARIF 2.1.0 schema, validating strictly) and sarif-tools
# (Microsoft's command-line reader). Export tests check the findings profile's SARIF with both.
set -euo pipefail
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
PYDANTIC=${SARIF_PYDANTIC_VERSION:-0.6.2}
TOOLS=${SARIF_TOOLS_VERSION:-3.0.5}
dir="$CACHE/sarif-$PYDANTIC-$TOOLS"
if [[ ! -f "$dir/.installed" ]]; then
  echo "sarif-pydantic $PYDANTIC, sarif-tools $TOOLS: installing from PyPI (first run only)" >&2
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q "sarif-pydantic==$PYDANTIC" "sarif-tools==$TOOLS" >&2
  touch "$dir/.installed"
fi
echo "$dir/bin/python"
