#!/usr/bin/env bash
# Installs what the build and tests need on a fresh Debian machine, and checks what cannot be
# installed from Debian (a JDK 21+ and Go 1.25+, which the machine image provides).
set -euo pipefail
missing=()
command -v mvn >/dev/null || missing+=(maven)
command -v openssl >/dev/null || missing+=(openssl)
command -v python3 >/dev/null || missing+=(python3)
python3 -c "import venv, ensurepip" 2>/dev/null || missing+=(python3-venv) # the ECS emulator's venv
command -v git >/dev/null || missing+=(git)
[[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry) # the OCI registry tests push to
[[ -x /usr/sbin/dockerd ]] || missing+=(docker.io)              # the Docker Engine agents deploy to
command -v docker-compose >/dev/null || missing+=(docker-compose) # Compose targets
command -v lua5.4 >/dev/null || missing+=(lua5.4)                   # Argo CD health checks
[[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 || missing+=(busybox-static) # test app payload
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (install them with apt-get)" >&2
    exit 1
  fi
fi
if ! command -v go >/dev/null; then
  echo "Go 1.25 or newer is needed to build the test peers (kube-apiserver, etcd, cosign, the referrers registry) from their Go modules." >&2
  exit 1
fi
go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
if ((go_minor < 25)); then
  echo "Go $(go env GOVERSION) is too old: building the test peers needs Go 1.25 or newer (go-containerregistry v0.22 asks for it)." >&2
  exit 1
fi
