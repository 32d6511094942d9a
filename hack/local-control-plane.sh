#!/usr/bin/env bash
# Starts (or stops) a local Kubernetes control plane for Stella Operator: etcd and kube-apiserver
# built from their Go modules (hack/peers/build-kube.sh), on loopback, with a CA, client
# certificates and RBAC, so kubectl and the operator talk to a real API server.
#
#   hack/local-control-plane.sh up     # prints the kubeconfig path
#   hack/local-control-plane.sh down   # also stops the quickstart's operator, agent, registry and dockerd
#
# State lives in $STELLA_HOME (default .stella/ in the repository, ignored by git).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/hack/env.sh"
KUBE_VERSION=${KUBE_VERSION:-1.32.13}
STELLA_HOME=${STELLA_HOME:-$root/.stella}
bin="$STELLA_CACHE/kube-$KUBE_VERSION/bin"
state="$STELLA_HOME/control-plane"
ETCD_PORT=${ETCD_PORT:-12379}
API_PORT=${API_PORT:-16443}

# Stops what this script and the quickstart started, each given up to 30s to exit (dockerd stops
# its containers first).
stop() {
  local pid
  for p in stella-agent stella-operator docker-registry dockerd kube-apiserver etcd; do
    [[ -f "$state/$p.pid" ]] || continue
    pid=$(cat "$state/$p.pid")
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
      done
    fi
    rm -f "$state/$p.pid"
  done
}

certs() {
  local d="$state/pki"
  [[ -f "$d/admin.crt" ]] && return
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=stella-local-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$d/apiserver.key" \
    -out "$d/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n' > "$d/san.ext"
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 365 -extfile "$d/san.ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=stella-admin" \
    -keyout "$d/admin.key" -out "$d/admin.csr" 2>/dev/null
  openssl x509 -req -in "$d/admin.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 365 -out "$d/admin.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
}

kubeconfig() {
  "$bin/kubectl" config --kubeconfig "$state/kubeconfig" set-cluster stella-local \
    --server "https://127.0.0.1:$API_PORT" --certificate-authority "$state/pki/ca.crt" --embed-certs >/dev/null
  "$bin/kubectl" config --kubeconfig "$state/kubeconfig" set-credentials stella-admin \
    --client-certificate "$state/pki/admin.crt" --client-key "$state/pki/admin.key" --embed-certs >/dev/null
  "$bin/kubectl" config --kubeconfig "$state/kubeconfig" set-context stella-local \
    --cluster stella-local --user stella-admin >/dev/null
  "$bin/kubectl" config --kubeconfig "$state/kubeconfig" use-context stella-local >/dev/null
}

up() {
  bash "$root/hack/peers/build-kube.sh" >&2
  stop
  mkdir -p "$state/etcd"
  certs
  "$bin/etcd" --data-dir "$state/etcd" --listen-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --unsafe-no-fsync >"$state/etcd.log" 2>&1 &
  echo $! >"$state/etcd.pid"
  "$bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$API_PORT" --cert-dir "$state/pki" \
    --tls-cert-file "$state/pki/apiserver.crt" --tls-private-key-file "$state/pki/apiserver.key" \
    --client-ca-file "$state/pki/ca.crt" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$state/pki/sa.pub" \
    --service-account-signing-key-file "$state/pki/sa.key" --service-cluster-ip-range 10.96.0.0/24 \
    --allow-privileged >"$state/kube-apiserver.log" 2>&1 &
  echo $! >"$state/kube-apiserver.pid"
  kubeconfig
  for _ in $(seq 1 120); do
    if "$bin/kubectl" --kubeconfig "$state/kubeconfig" get --raw /readyz >/dev/null 2>&1 \
      && "$bin/kubectl" --kubeconfig "$state/kubeconfig" get namespace default >/dev/null 2>&1; then
      echo "$state/kubeconfig"
      return
    fi
    sleep 0.5
  done
  echo "kube-apiserver did not become ready; see $state/kube-apiserver.log" >&2
  tail -20 "$state/kube-apiserver.log" >&2
  exit 1
}

case "${1:-up}" in
  up) up ;;
  down) stop ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
