package main

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
)

// embeddedEtcd is a single-member etcd on loopback ports, with a client for compactions.
type embeddedEtcd struct {
	server    *embed.Etcd
	client    *clientv3.Client
	clientURL string
}

func startEtcd(dir string) (*embeddedEtcd, error) {
	clientPort, err := freePort()
	if err != nil {
		return nil, err
	}
	peerPort, err := freePort()
	if err != nil {
		return nil, err
	}
	clientURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", clientPort)}
	peerURL := url.URL{Scheme: "http", Host: fmt.Sprintf("127.0.0.1:%d", peerPort)}

	cfg := embed.NewConfig()
	cfg.Name = "test"
	cfg.Dir = filepath.Join(dir, "etcd")
	cfg.ListenClientUrls = []url.URL{clientURL}
	cfg.AdvertiseClientUrls = []url.URL{clientURL}
	cfg.ListenPeerUrls = []url.URL{peerURL}
	cfg.AdvertisePeerUrls = []url.URL{peerURL}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	cfg.LogLevel = "error"
	// Test data: losing it on a crash is fine, and fsync on a shared disk costs seconds.
	cfg.UnsafeNoFsync = true

	server, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, err
	}
	select {
	case <-server.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		server.Close()
		return nil, fmt.Errorf("not ready within 60 s")
	}
	client, err := clientv3.New(clientv3.Config{Endpoints: []string{clientURL.String()}, DialTimeout: 10 * time.Second})
	if err != nil {
		server.Close()
		return nil, err
	}
	return &embeddedEtcd{server: server, client: client, clientURL: clientURL.String()}, nil
}

// compact discards every revision before the current one, as the API server's periodic
// compaction would after a long enough time; returns the revision compacted to.
func (e *embeddedEtcd) compact(ctx context.Context) (int64, error) {
	status, err := e.client.Status(ctx, e.clientURL)
	if err != nil {
		return 0, err
	}
	rev := status.Header.Revision
	if _, err := e.client.Compact(ctx, rev, clientv3.WithCompactPhysical()); err != nil {
		return 0, err
	}
	return rev, nil
}

func (e *embeddedEtcd) close() {
	_ = e.client.Close()
	e.server.Close()
}

// freePort asks the kernel for an unused loopback port. The port is released before the
// caller binds it; nothing else on a test machine races for it in practice.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
