#!/usr/bin/env bash
# Installs moto's server mode (the ECS emulator the ECS driver is tested against) from PyPI into a
# venv under $STELLA_CACHE and prints the path of its moto_server.
set -euo pipefail
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
VERSION=${MOTO_VERSION:-5.2.5}
dir="$CACHE/moto-$VERSION"
if [[ ! -f "$dir/.installed" ]]; then
  echo "moto $VERSION: installing from PyPI (first run only)" >&2
  rm -rf "$dir"
  python3 -m venv "$dir" # a venv cannot move: its scripts name their own path
  "$dir/bin/pip" install -q "moto[server]==$VERSION" >&2
  touch "$dir/.installed"
fi
echo "$dir/bin/moto_server"
