#!/usr/bin/env bash
# Builds kube-apiserver, etcd, kubectl and the namespace controller from their Go modules into
# $STELLA_CACHE/kube-<version>/bin (default ~/.cache/stella). Idempotent: a
# finished build is reused, so only a machine's first run pays for it.
# `build-kube.sh cluster` also builds kubelet, kube-scheduler, kube-controller-manager and
# kube-proxy (hack/cluster.sh).
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
[[ ${1:-} == cluster ]] && commands+=(kubelet kube-scheduler kube-controller-manager kube-proxy)
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
[[ ${1:-} == cluster ]] && cp -r "$here/cluster/." "$work/"
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
if [[ ${1:-} == cluster ]]; then
  # the module proxy reachable here refuses some published versions (k8s.io/endpointslice
  # v0.32.13: 403 "not available"): take the nearest older patch of the same minor it serves
  while read -r module version; do
    go mod download "$module@$version" >/dev/null 2>&1 && continue
    patch=${version##*.}
    while ((patch > 0)); do
      patch=$((patch - 1))
      if go mod download "$module@${version%.*}.$patch" >/dev/null 2>&1; then
        echo "kube $KUBE_VERSION: $module $version is not served here; using ${version%.*}.$patch" >&2
        sed -i "s|^replace $module => $module $version\$|replace $module => $module ${version%.*}.$patch|" go.mod
        break
      fi
    done
  done < <(awk '/^replace/ {print $4, $5}' go.mod)
fi
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
