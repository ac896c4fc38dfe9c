//! Test helpers for the Kubernetes backend: the kmock fake API server and a TLS server.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::Path;
use std::sync::Arc;

pub use hedgehog_benches::fake_apiserver::FakeApiServer;

/// Starts the fake API server (see `hedgehog_benches::fake_apiserver`) with extra arguments.
pub fn fake_apiserver(args: &[&str]) -> FakeApiServer {
    FakeApiServer::start(Path::new(env!("CARGO_TARGET_TMPDIR")), args).unwrap()
}

/// A CA and a server certificate for 127.0.0.1/localhost signed by it, as PEM.
pub struct TestPki {
    /// The CA certificate PEM.
    pub ca_pem: String,
    /// The server certificate chain (DER).
    pub server_chain: Vec<tokio_rustls::rustls::pki_types::CertificateDer<'static>>,
    /// The server key (PKCS#8 DER).
    pub server_key: Vec<u8>,
}

impl TestPki {
    /// Generates a fresh CA and server certificate.
    pub fn generate(ca_name: &str) -> TestPki {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, ca_name);
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let server_key = KeyPair::generate().unwrap();
        let server_params =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        let issuer = Issuer::from_params(&ca_params, &ca_key);
        let server_cert = server_params.signed_by(&server_key, &issuer).unwrap();
        TestPki {
            ca_pem: ca_cert.pem(),
            server_chain: vec![server_cert.der().clone()],
            server_key: server_key.serialize_der(),
        }
    }
}

/// A TLS server on 127.0.0.1 that answers `GET /version` like an API server and every other
/// path with a 404 Status. Returns its `https://127.0.0.1:PORT` URL; runs until the runtime ends.
pub async fn tls_version_server(pki: &TestPki) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_rustls::rustls;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(pki.server_key.clone().into());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(pki.server_chain.clone(), key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!(
        "https://127.0.0.1:{}",
        listener.local_addr().unwrap().port()
    );
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf);
                let (code, body) = if head.starts_with("GET /version ") {
                    ("200 OK", r#"{"major":"1","minor":"33","gitVersion":"v1.33.0-tls-test","gitCommit":"","gitTreeState":"","buildDate":"","goVersion":"","compiler":"","platform":""}"#.to_owned())
                } else {
                    ("404 Not Found", r#"{"apiVersion":"v1","kind":"Status","status":"Failure","code":404,"reason":"NotFound","message":"not found"}"#.to_owned())
                };
                let response = format!(
                    "HTTP/1.1 {code}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

#[allow(unused_imports)] // each test binary uses a different part
pub use hedgehog_benches::test_apiserver::{Options, RESTRICTED_ACCOUNT, TestApiServer};

/// The real API server this test binary shares (see `hedgehog_benches::test_apiserver`).
pub fn real_apiserver() -> &'static TestApiServer {
    hedgehog_benches::test_apiserver::shared(Path::new(env!("CARGO_TARGET_TMPDIR")))
}

/// A kube client of `config` (tests use it for what hedgehog itself never does: create
/// namespaces, write as another field manager).
pub async fn kube_client(config: &hedgehog_sync::kube::ClusterConfig) -> kube::Client {
    hedgehog_sync::kube::Cluster::connect(config)
        .await
        .unwrap()
        .client()
        .clone()
}

/// Creates namespace `name` on the shared real server and returns the admin's settings for
/// it (writes allowed): each test works in a namespace of its own.
pub async fn real_namespace(name: &str) -> hedgehog_sync::kube::ClusterConfig {
    use k8s_openapi::api::core::v1::Namespace;
    let config = real_apiserver().admin(name);
    let api: kube::Api<Namespace> = kube::Api::all(kube_client(&config).await);
    let namespace: Namespace =
        serde_json::from_value(serde_json::json!({"metadata": {"name": name}})).unwrap();
    api.create(&kube::api::PostParams::default(), &namespace)
        .await
        .unwrap();
    config
}
