//! Test helpers for the Kubernetes backend: the kmock fake API server and a TLS server.
#![allow(dead_code)] // each test binary uses a different part of this module

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

/// The fake API server (tests/support/fake_apiserver.py on kmock 0.8), killed on drop.
pub struct FakeApiServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl FakeApiServer {
    /// Starts the server with extra arguments (`--omit PLURAL`, `--deny VERB`, `--namespace NS`).
    pub fn start(args: &[&str]) -> FakeApiServer {
        let python = kmock_python();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/fake_apiserver.py");
        let mut child = Command::new(python)
            .arg(script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the fake API server");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("READY ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => FakeApiServer { child, url },
            Err(_) => {
                let _ = child.kill();
                panic!("the fake API server printed no READY line within 60 s");
            }
        }
    }
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `<target-dir>/kmock-venv/bin/python`, creating the virtualenv with kmock 0.8 on first use.
/// An exclusive lock on a file next to it serialises concurrent test processes.
fn kmock_python() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .to_owned();
    let venv = target.join("kmock-venv");
    let python = venv.join("bin/python");
    let lock =
        std::fs::File::create(target.join("kmock-venv.lock")).expect("create the venv lock file");
    lock.lock().expect("lock the venv lock file");
    let ready = venv.join(".kmock-installed");
    if !ready.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
        run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "kmock==0.8.*"]));
        std::fs::write(&ready, b"kmock 0.8\n").expect("mark the venv ready");
    }
    python
}

fn run(cmd: &mut Command) {
    let status = cmd.status().unwrap_or_else(|e| panic!("run {cmd:?}: {e}"));
    assert!(status.success(), "{cmd:?} failed: {status}");
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
