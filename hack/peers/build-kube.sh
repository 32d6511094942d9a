#!/usr/bin/env bash
# Builds kube-apiserver, etcd, kubectl and the namespace controller from their Go modules into
# $STELLA_CACHE/kube-<version>/bin (default ~/.cache/stella). Idempotent: a
# finished build is reused, so only a machine's first run pays for it.
set -euo pipefail
KUBE_VERSION=${KUBE_VERSION:-1.32.13}
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
OUT="$CACHE/kube-$KUBE_VERSION"
here=$(cd "$(dirname "$0")" && pwd)

# fabric8 kube-api-test (used by the *IT tests) runs offline from this layout.
link_for_kube_api_test() {
  local dir="$CACHE/kubeapitest/k8s/$KUBE_VERSION-linux-amd64"
  mkdir -p "$dir"
  for cmd in "${commands[@]}"; do ln -sf "$OUT/bin/$cmd" "$dir/$cmd"; done
}

commands=(etcd kube-apiserver kubectl namespace-controller)
missing=()
for cmd in "${commands[@]}"; do [[ -x "$OUT/bin/$cmd" ]] || missing+=("$cmd"); done
if ((${#missing[@]} == 0)); then
  link_for_kube_api_test
  echo "kube $KUBE_VERSION: cached in $OUT/bin"
  exit 0
fi

work="$OUT/src"
rm -rf "$work" && mkdir -p "$work" "$OUT/bin"
cp -r "$here/kube/." "$work/"
cd "$work"

# k8s.io/kubernetes requires its staging modules at v0.0.0 with local replaces;
# replace each with the published v0.<minor>.<patch> of the same release.
staging_version="v0.${KUBE_VERSION#1.}"
upstream_mod=$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
{
  echo "module stella.local/kubepeers"
  echo
  echo "go 1.23"
  echo
  echo "require k8s.io/kubernetes v$KUBE_VERSION"
  echo
  grep -oE '^\s*k8s\.io/[a-z0-9-]+ => \./staging' "$upstream_mod" | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
} > go.mod
echo "kube $KUBE_VERSION: $(grep -c '^replace' go.mod) staging modules replaced"
# -e: tests of k8s.io/kubernetes import staging modules the proxy does not serve; the binaries do not need them.
go mod tidy -e
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${KUBE_VERSION#1.}"
ldflags="${ldflags%.*}"
for cmd in "${missing[@]}"; do
  echo "kube $KUBE_VERSION: building $cmd"
  go build -trimpath -ldflags "$ldflags" -o "$OUT/bin/$cmd.tmp" "./$cmd"
  mv "$OUT/bin/$cmd.tmp" "$OUT/bin/$cmd"
done
link_for_kube_api_test
rm -rf "$work"
"$OUT/bin/kube-apiserver" --version
