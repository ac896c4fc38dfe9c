package main

import (
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes a kubeconfig with one context, `user`, that authenticates with a
// bearer token and verifies the server with the test CA. Namespace: default.
func writeKubeconfig(path, server string, caPEM []byte, token, user string) error {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["test-apiserver"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts[user] = &clientcmdapi.Context{Cluster: "test-apiserver", AuthInfo: user, Namespace: "default"}
	cfg.CurrentContext = user
	return clientcmd.WriteToFile(*cfg, path)
}
