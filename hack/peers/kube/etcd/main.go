// Command etcd is upstream's etcd main at the version k8s.io/kubernetes pins
// (go.etcd.io/etcd/server/v3 has local replaces and cannot be `go install`ed).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
