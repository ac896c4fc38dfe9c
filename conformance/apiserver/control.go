package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
)

// control is a loopback HTTP endpoint for fault injection in tests:
//
//	POST /compact              compacts etcd at its current revision -> {"revision": N}
//	POST /watch-proxy/cut      closes every connection through the watch proxy and refuses new ones
//	POST /watch-proxy/restore  accepts connections through the watch proxy again
//
// The watch proxy is a TCP pass-through to kube-apiserver (same TLS certificate, so the
// same kubeconfig works with its URL): a client connected through it can be disconnected
// while the test keeps writing through the direct URL.
type control struct {
	url      string
	proxyURL string
	server   *http.Server
	proxy    *cutProxy
}

func startControl(ctx context.Context, etcd *embeddedEtcd, apiPort int) (*control, error) {
	proxyListener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	proxy := &cutProxy{listener: proxyListener, target: fmt.Sprintf("127.0.0.1:%d", apiPort), conns: map[net.Conn]struct{}{}}
	go proxy.serve()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /compact", func(w http.ResponseWriter, r *http.Request) {
		rev, err := etcd.compact(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]int64{"revision": rev})
	})
	mux.HandleFunc("POST /watch-proxy/cut", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]int{"closed": proxy.cut()})
	})
	mux.HandleFunc("POST /watch-proxy/restore", func(w http.ResponseWriter, _ *http.Request) {
		proxy.restore()
		_ = json.NewEncoder(w).Encode(map[string]bool{"restored": true})
	})
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		proxyListener.Close()
		return nil, err
	}
	server := &http.Server{Handler: mux}
	go func() { _ = server.Serve(listener) }()
	return &control{
		url:      "http://" + listener.Addr().String(),
		proxyURL: "https://" + proxyListener.Addr().String(),
		server:   server,
		proxy:    proxy,
	}, nil
}

func (c *control) close() {
	_ = c.server.Close()
	_ = c.proxy.listener.Close()
	c.proxy.cut()
}

type cutProxy struct {
	listener net.Listener
	target   string
	mu       sync.Mutex
	refusing bool
	conns    map[net.Conn]struct{}
}

func (p *cutProxy) serve() {
	for {
		conn, err := p.listener.Accept()
		if err != nil {
			return
		}
		go p.handle(conn)
	}
}

func (p *cutProxy) handle(client net.Conn) {
	p.mu.Lock()
	refusing := p.refusing
	p.mu.Unlock()
	if refusing {
		client.Close()
		return
	}
	upstream, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	p.track(client, upstream)
	var wg sync.WaitGroup
	wg.Add(2)
	pipe := func(dst, src net.Conn) {
		defer wg.Done()
		_, _ = io.Copy(dst, src)
		dst.Close()
		src.Close()
	}
	go pipe(upstream, client)
	go pipe(client, upstream)
	wg.Wait()
	p.untrack(client, upstream)
}

func (p *cutProxy) track(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		p.conns[c] = struct{}{}
	}
}

func (p *cutProxy) untrack(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		delete(p.conns, c)
	}
}

// cut refuses new connections and closes the open ones; returns how many were closed.
func (p *cutProxy) cut() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refusing = true
	n := len(p.conns)
	for c := range p.conns {
		c.Close()
	}
	return n / 2
}

func (p *cutProxy) restore() {
	p.mu.Lock()
	p.refusing = false
	p.mu.Unlock()
}
