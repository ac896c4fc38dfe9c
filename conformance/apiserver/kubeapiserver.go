package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// kubeAPIServer is kube-apiserver's own command, run in this process. It stops with the
// process: its command handles SIGTERM/SIGINT itself, and etcd closes under it.
type kubeAPIServer struct {
	url  string
	port int
	done chan error
}

func startKubeAPIServer(ctx context.Context, dir, etcdURL string, p *pki, watchCache bool) (*kubeAPIServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + filepath.Join(dir, "certs"),
		"--tls-cert-file=" + p.servingCertFile,
		"--tls-private-key-file=" + p.servingKeyFile,
		"--etcd-servers=" + etcdURL,
		"--authorization-mode=RBAC",
		"--token-auth-file=" + p.tokenFile,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=" + p.saKeyFile,
		"--service-account-signing-key-file=" + p.saKeyFile,
		"--service-cluster-ip-range=10.96.0.0/16",
		// The endpoint reconciler would publish 127.0.0.1 as the kubernetes service's
		// endpoint, which endpoint validation rejects (loopback).
		"--endpoint-reconciler-type=none",
		// One client per test binary: flow control only costs start-up time here.
		"--enable-priority-and-fairness=false",
		"--watch-cache=" + strconv.FormatBool(watchCache),
		"--profiling=false",
		"--v=0",
	}
	cmd := app.NewAPIServerCommand()
	cmd.SetArgs(args)
	s := &kubeAPIServer{url: fmt.Sprintf("https://127.0.0.1:%d", port), port: port, done: make(chan error, 1)}
	go func() { s.done <- cmd.Execute() }()

	client, err := kubernetes.NewForConfig(s.restConfig(p, p.adminToken))
	if err != nil {
		return nil, err
	}
	// Ready means every post-start hook ran (RBAC bootstrap roles, CRD controllers) and the
	// default namespace exists.
	err = wait.PollUntilContextTimeout(ctx, 200*time.Millisecond, 3*time.Minute, true, func(ctx context.Context) (bool, error) {
		select {
		case err := <-s.done:
			return false, fmt.Errorf("exited during start-up: %v", err)
		default:
		}
		status := 0
		client.Discovery().RESTClient().Get().AbsPath("/readyz").Do(ctx).StatusCode(&status)
		if status != 200 {
			return false, nil
		}
		_, err := client.CoreV1().Namespaces().Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (s *kubeAPIServer) restConfig(p *pki, token string) *rest.Config {
	return &rest.Config{
		Host:            s.url,
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{CAData: p.caPEM},
		QPS:             200,
		Burst:           400,
	}
}
