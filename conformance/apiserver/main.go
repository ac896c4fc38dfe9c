// Command test-apiserver runs a real kube-apiserver on an embedded etcd, on 127.0.0.1 only,
// with the Hedgehog CRDs installed and the built-in switch profiles seeded, for hedgehog's
// integration tests. It writes an admin kubeconfig (and, if asked, one for a service account
// bound only by the project's RBAC manifests), prints CONTROL, WATCH-PROXY and then READY on
// standard output, and runs until SIGTERM or SIGINT.
//
// Not here: upstream's admission webhooks (go.githedgehog.com/fabric's Setup*WebhookWith).
// The fabric module cannot be fetched through the Go module proxy this project builds with
// (the proxy refuses the go.githedgehog.com host, and the module is not served under its
// GitHub path), and upstream source may not be copied into this repository. Objects are
// therefore defaulted and validated only by the CRDs' structural schemas.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type options struct {
	kubeconfig           string
	restrictedKubeconfig string
	rbacManifests        string
	crdDir               string
	seeds                stringList
	watchCache           bool
	workDir              string
	exitWithStdin        bool
}

type stringList []string

func (s *stringList) String() string     { return fmt.Sprint(*s) }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	var o options
	flag.StringVar(&o.kubeconfig, "kubeconfig", "", "write the admin kubeconfig to this file (required)")
	flag.StringVar(&o.restrictedKubeconfig, "restricted-kubeconfig", "", "write a kubeconfig of the service account bound by --rbac-manifests to this file")
	flag.StringVar(&o.rbacManifests, "rbac-manifests", "", "YAML (ServiceAccount, Role, RoleBinding, ...) applied for the restricted user; required with --restricted-kubeconfig")
	flag.StringVar(&o.crdDir, "crds", "", "directory of CustomResourceDefinition YAML files to install (required)")
	flag.Var(&o.seeds, "seed", "YAML file of objects to create once the CRDs are served (repeatable)")
	flag.BoolVar(&o.watchCache, "watch-cache", true, "keep kube-apiserver's watch cache; without it watches read etcd directly, so a compaction expires old resource versions (410 Gone)")
	flag.BoolVar(&o.exitWithStdin, "exit-with-stdin", false, "also shut down when standard input closes (a test harness that dies cannot send a signal)")
	flag.StringVar(&o.workDir, "work-dir", "", "directory for etcd data and certificates (default: a new temporary directory, removed at exit)")
	flag.Parse()
	if o.kubeconfig == "" || o.crdDir == "" || (o.restrictedKubeconfig != "") != (o.rbacManifests != "") {
		fmt.Fprintln(os.Stderr, "usage: test-apiserver --kubeconfig FILE --crds DIR [--seed FILE]... [--restricted-kubeconfig FILE --rbac-manifests FILE] [--watch-cache=false] [--exit-with-stdin]")
		os.Exit(2)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "test-apiserver:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	started := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if o.exitWithStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	dir := o.workDir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "hedgehog-test-apiserver-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}

	etcd, err := startEtcd(dir)
	if err != nil {
		return fmt.Errorf("etcd: %w", err)
	}
	defer etcd.close()

	pki, err := newPKI(dir)
	if err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	api, err := startKubeAPIServer(ctx, dir, etcd.clientURL, pki, o.watchCache)
	if err != nil {
		return fmt.Errorf("kube-apiserver: %w", err)
	}

	admin := api.restConfig(pki, pki.adminToken)
	if err := bootstrap(ctx, admin, o); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	if err := writeKubeconfig(o.kubeconfig, api.url, pki.caPEM, pki.adminToken, "admin"); err != nil {
		return err
	}
	if o.restrictedKubeconfig != "" {
		token, err := restrictedToken(ctx, admin, o.rbacManifests)
		if err != nil {
			return fmt.Errorf("restricted user: %w", err)
		}
		if err := writeKubeconfig(o.restrictedKubeconfig, api.url, pki.caPEM, token, "restricted"); err != nil {
			return err
		}
	}

	control, err := startControl(ctx, etcd, api.port)
	if err != nil {
		return fmt.Errorf("control endpoint: %w", err)
	}
	fmt.Fprintf(os.Stderr, "test-apiserver: ready at %s after %.1fs\n", api.url, time.Since(started).Seconds())
	fmt.Printf("CONTROL %s\nWATCH-PROXY %s\nREADY\n", control.url, control.proxyURL)

	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "test-apiserver: shutting down")
	control.close()
	return nil
}
