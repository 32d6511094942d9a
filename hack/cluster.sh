#!/usr/bin/env bash
# A single-node Kubernetes cluster from real parts, for the in-cluster tests (issue: "In a real
# cluster"): etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy
# built from the k8s.io/kubernetes Go module (hack/peers/build-kube.sh cluster, cached), containerd
# + runc + the CNI plugins from Debian, the pause image built from Kubernetes' own pause.c.
#
#   hack/cluster.sh up      # prints the kubeconfig path
#   hack/cluster.sh down
#
# Runs as root (containerd, the kubelet and kube-proxy need it). Everything listens on loopback or
# on the bridge it creates (stella0, 10.89.0.1/16; Pods get addresses on it); its own containerd
# (not the system's or dockerd's), its own directories under $STELLA_CLUSTER_DIR
# (default /var/tmp/stella-cluster). Plain-HTTP registries on loopback are pulled from as they are.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${STELLA_CLUSTER_DIR:-/var/tmp/stella-cluster}
KUBE_VERSION=${KUBE_VERSION:-1.32.13}
CACHE=${STELLA_CACHE:-$HOME/.cache/stella}
bin="$CACHE/kube-$KUBE_VERSION/bin"
bridge=stella0 gateway=10.89.0.1 pods=10.89.0.0/16 services=10.97.0.0/16 api_ip=10.97.0.1
node=stella-node pause_image=registry.k8s.io/pause:3.10

down() {
  for p in kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do
    [[ -f $dir/$p.pid ]] && kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
  done
  sleep 2
  # containers the kubelet started outlive it: their shims belong to our containerd's root
  pkill -f "containerd-shim.*$dir/containerd" 2>/dev/null || true
  iptables-save 2>/dev/null | grep -q KUBE- && {
    "$bin/kube-proxy" --cleanup >/dev/null 2>&1 || true
  }
  ip link del "$bridge" 2>/dev/null || true
  grep -o "$dir/[^ ]*" /proc/mounts | sort -r | xargs -r umount -l 2>/dev/null || true
  rm -rf "$dir"
}

wait_for() { # what, command...
  local what=$1; shift
  for _ in $(seq 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "$what did not come up; its log:" >&2
  tail -30 "$dir/$what.log" >&2
  exit 1
}

start() { # name, command...
  local name=$1; shift
  "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

case ${1:-} in
  down) down; exit 0 ;;
  up) ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
[[ $(id -u) -eq 0 ]] || { echo "hack/cluster.sh needs root (containerd, kubelet)" >&2; exit 1; }
command -v containerd >/dev/null && [[ -x /usr/lib/cni/bridge ]] && command -v conntrack >/dev/null \
  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    containerd runc containernetworking-plugins conntrack >/dev/null
bash "$root/hack/peers/build-kube.sh" cluster >&2
down
mkdir -p "$dir"/{pki,etcd,cni/net.d,kubelet,manifests}

# PKI: one CA; the API server's serving certificate; a key for ServiceAccount tokens; one client
# certificate per component (system:masters for the admin, system:node:<node> for the kubelet)
pki=$dir/pki
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=stella-cluster-ca \
  -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
cert() { # name, subject, extensions
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$2" \
    -keyout "$pki/$1.key" -out "$pki/$1.csr" 2>/dev/null
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile <(printf '%s\n' "$3") -out "$pki/$1.crt" 2>/dev/null
}
cert apiserver /CN=kube-apiserver \
  "subjectAltName=IP:$gateway,IP:$api_ip,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
cert admin "/O=system:masters/CN=stella-admin" "extendedKeyUsage=clientAuth"
cert kubelet "/O=system:nodes/CN=system:node:$node" "extendedKeyUsage=clientAuth"
cert kubelet-serving "/CN=$node" "subjectAltName=IP:$gateway,DNS:$node
extendedKeyUsage=serverAuth"
cert controller-manager /CN=system:kube-controller-manager "extendedKeyUsage=clientAuth"
cert scheduler /CN=system:kube-scheduler "extendedKeyUsage=clientAuth"
cert proxy /CN=system:kube-proxy "extendedKeyUsage=clientAuth"
cert apiserver-kubelet "/O=system:masters/CN=kube-apiserver-kubelet-client" "extendedKeyUsage=clientAuth"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null
openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"
kubeconfig() { # name
  cat >"$dir/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: stella, cluster: {server: "https://$gateway:6443", certificate-authority: $pki/ca.crt}}]
users: [{name: $1, user: {client-certificate: $pki/$1.crt, client-key: $pki/$1.key}}]
contexts: [{name: stella, context: {cluster: stella, user: $1}}]
current-context: stella
EOF
}
for c in admin kubelet controller-manager scheduler proxy; do kubeconfig $c; done

# the bridge Pods are attached to; the API server listens on its gateway address
ip link add "$bridge" type bridge
ip addr add "$gateway/16" dev "$bridge"
ip link set "$bridge" up
sysctl -qw net.ipv4.ip_forward=1
modprobe br_netfilter 2>/dev/null || true
[[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] && sysctl -qw net.bridge.bridge-nf-call-iptables=1

start etcd "$bin/etcd" --data-dir "$dir/etcd" --listen-client-urls http://127.0.0.1:23790 \
  --advertise-client-urls http://127.0.0.1:23790 --listen-peer-urls http://127.0.0.1:23800 \
  --initial-advertise-peer-urls http://127.0.0.1:23800 --initial-cluster default=http://127.0.0.1:23800
wait_for etcd curl -fsS http://127.0.0.1:23790/health

start kube-apiserver "$bin/kube-apiserver" --etcd-servers http://127.0.0.1:23790 \
  --bind-address "$gateway" --advertise-address "$gateway" --secure-port 6443 \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc --service-cluster-ip-range "$services" \
  --kubelet-client-certificate "$pki/apiserver-kubelet.crt" --kubelet-client-key "$pki/apiserver-kubelet.key" \
  --kubelet-certificate-authority "$pki/ca.crt" --enable-admission-plugins NodeRestriction \
  --allow-privileged=true
k() { "$bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" "$@"; }
wait_for kube-apiserver k get --raw /readyz

start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig "$dir/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 10257 \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --use-service-account-credentials --service-cluster-ip-range "$services" \
  --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
  --controllers '*,-nodeipam,-cloud-node-lifecycle'
start kube-scheduler "$bin/kube-scheduler" --kubeconfig "$dir/scheduler.kubeconfig" \
  --authentication-kubeconfig "$dir/scheduler.kubeconfig" \
  --authorization-kubeconfig "$dir/scheduler.kubeconfig" --bind-address 127.0.0.1 --secure-port 10259

# containerd of our own: its root, state and socket in $dir; loopback registries over plain HTTP
mkdir -p "$dir/certs.d"
cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
[grpc]
  address = "$dir/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_image"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "$dir/certs.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    SystemdCgroup = false
EOF
for port in ${STELLA_CLUSTER_REGISTRY_PORTS:-}; do
  mkdir -p "$dir/certs.d/127.0.0.1:$port"
  printf 'server = "http://127.0.0.1:%s"\n[host."http://127.0.0.1:%s"]\n  capabilities = ["pull", "resolve"]\n' \
    "$port" "$port" >"$dir/certs.d/127.0.0.1:$port/hosts.toml"
done
cat >"$dir/cni/net.d/10-stella.conflist" <<EOF
{"cniVersion": "1.0.0", "name": "stella", "plugins": [
  {"type": "bridge", "bridge": "$bridge", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$pods", "gateway": "$gateway"}]],
            "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "$dir/cni/ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
EOF
start containerd containerd --config "$dir/containerd.toml"
ctr() { command ctr --address "$dir/containerd.sock" -n k8s.io "$@"; }
wait_for containerd ctr version

# the pause image, from Kubernetes' own source: no image can be pulled here
src=$(go env GOMODCACHE)/k8s.io/kubernetes@v$KUBE_VERSION/build/pause/linux/pause.c
mkdir -p "$dir/pause/rootfs"
gcc -Os -static -DVERSION=3.10-stella -o "$dir/pause/rootfs/pause" "$src"
python3 "$root/hack/images/oci-archive.py" "$dir/pause/rootfs" "$pause_image" /pause "$dir/pause/image.tar"
ctr images import --no-unpack=false "$dir/pause/image.tar" >/dev/null

cat >"$dir/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$dir/containerd.sock
cgroupDriver: cgroupfs
failSwapOn: false
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $pki/kubelet-serving.crt
tlsPrivateKeyFile: $pki/kubelet-serving.key
address: $gateway
healthzBindAddress: 127.0.0.1
staticPodPath: $dir/manifests
resolvConf: /etc/resolv.conf
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
EOF
start kubelet "$bin/kubelet" --config "$dir/kubelet.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
  --hostname-override "$node" --node-ip "$gateway" --root-dir "$dir/kubelet"
start kube-proxy "$bin/kube-proxy" --kubeconfig "$dir/proxy.kubeconfig" --hostname-override "$node" \
  --cluster-cidr "$pods" --proxy-mode iptables --bind-address 127.0.0.1 \
  --metrics-bind-address 127.0.0.1:10249 --healthz-bind-address 127.0.0.1:10256
wait_for kubelet k wait --for=condition=Ready "node/$node" --timeout=1s
echo "$dir/admin.kubeconfig"
