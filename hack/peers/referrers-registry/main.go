// A test peer: go-containerregistry's registry (the one cosign's and crane's own tests push to)
// with the OCI 1.1 referrers API switched on, which Debian's distribution 2.8 lacks. Blobs and
// manifests live in memory; the process serves until killed.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	address := flag.String("address", "127.0.0.1:0", "host:port to listen on")
	flag.Parse()
	handler := registry.New(registry.WithReferrersSupport(true))
	log.Printf("listening on %s", *address)
	log.Fatal(http.ListenAndServe(*address, handler))
}
