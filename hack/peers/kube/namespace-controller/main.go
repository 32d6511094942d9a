// Command namespace-controller runs upstream's namespace controller
// (k8s.io/kubernetes/pkg/controller/namespace) as kube-controller-manager
// starts it (cmd/kube-controller-manager/app/core.go,
// startModifiedNamespaceController), and nothing else: the test API server runs
// no controllers, and the whole kube-controller-manager needs a staging module
// (k8s.io/endpointslice) the module proxy here does not serve.
package main

import (
	"context"
	"flag"
	"os"
	"os/signal"
	"syscall"
	"time"

	v1 "k8s.io/api/core/v1"
	"k8s.io/client-go/informers"
	clientset "k8s.io/client-go/kubernetes"
	"k8s.io/client-go/metadata"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	namespacecontroller "k8s.io/kubernetes/pkg/controller/namespace"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server")
	resync := flag.Duration("namespace-sync-period", 5*time.Minute, "as kube-controller-manager's flag")
	workers := flag.Int("concurrent-namespace-syncs", 10, "as kube-controller-manager's flag")
	klog.InitFlags(nil)
	flag.Parse()

	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.Fatal(err)
	}
	// as kube-controller-manager: namespace deletion makes many calls
	config.QPS *= 20
	config.Burst *= 100
	client := clientset.NewForConfigOrDie(config)
	metadataClient := metadata.NewForConfigOrDie(config)

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	factory := informers.NewSharedInformerFactory(client, 0)
	controller := namespacecontroller.NewNamespaceController(
		ctx,
		client,
		metadataClient,
		client.Discovery().ServerPreferredNamespacedResources,
		factory.Core().V1().Namespaces(),
		*resync,
		v1.FinalizerKubernetes,
	)
	factory.Start(ctx.Done())
	controller.Run(ctx, *workers)
}
