//! Real sockets on 127.0.0.1: TLS with an rcgen CA, refused and silent ports, DNS failure,
//! and that no error or debug output ever shows the token.

mod support;

use std::time::Duration;

use hedgehog_sync::kube::{Cluster, ClusterConfig, ConnectionReport, ErrorClass};
use support::{TestPki, tls_version_server};

const TOKEN: &str = "hh-token-Zq8vX3distinctive0042";

async fn report(cfg: &ClusterConfig) -> ConnectionReport {
    let cluster = Cluster::connect(cfg).await.expect("settings are valid");
    let report = cluster.test_connection().await;
    let shown = format!(
        "{report:?} {} {cluster:?} {cfg:?}",
        serde_json::to_string(&report).unwrap()
    );
    assert!(!shown.contains(TOKEN), "token leaked: {shown}");
    report
}

fn config(url: &str) -> ClusterConfig {
    let mut cfg = ClusterConfig::new(url).with_token(TOKEN);
    cfg.connect_timeout = Duration::from_secs(3);
    cfg.read_timeout = Some(Duration::from_secs(3));
    cfg
}

#[tokio::test]
async fn right_ca_connects() {
    let pki = TestPki::generate("hedgehog-test-ca");
    let url = tls_version_server(&pki).await;
    let r = report(&config(&url).with_ca_pem(&pki.ca_pem)).await;
    assert!(r.reachable, "{r:?}");
    assert_eq!(r.server_version.as_deref(), Some("v1.33.0-tls-test"));
}

#[tokio::test]
async fn wrong_ca_is_a_tls_error() {
    let pki = TestPki::generate("hedgehog-test-ca");
    let other = TestPki::generate("some-other-ca");
    let url = tls_version_server(&pki).await;
    let r = report(&config(&url).with_ca_pem(&other.ca_pem)).await;
    assert!(!r.reachable);
    let error = r.error.unwrap();
    assert_eq!(error.class, ErrorClass::Tls, "{error:?}");
    assert!(
        error.message.contains("CA certificate"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn no_ca_still_verifies_against_system_roots() {
    let pki = TestPki::generate("hedgehog-test-ca");
    let url = tls_version_server(&pki).await;
    let r = report(&config(&url)).await;
    assert_eq!(
        r.error.map(|e| e.class),
        Some(ErrorClass::Tls),
        "TLS must not be silently off"
    );
}

#[tokio::test]
async fn insecure_skip_tls_verify_connects_when_asked() {
    let pki = TestPki::generate("hedgehog-test-ca");
    let url = tls_version_server(&pki).await;
    let mut cfg = config(&url);
    cfg.insecure_skip_tls_verify = true;
    let r = report(&cfg).await;
    assert!(r.reachable, "{r:?}");
    assert_eq!(r.server_version.as_deref(), Some("v1.33.0-tls-test"));
}

#[tokio::test]
async fn closed_port_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let r = report(&config(&format!("https://127.0.0.1:{port}"))).await;
    assert!(!r.reachable);
    assert_eq!(r.error.unwrap().class, ErrorClass::Connect);
}

#[tokio::test]
async fn silent_server_is_a_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    // Accept and hold connections without ever answering.
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            held.push(s);
        }
    });
    let mut cfg = config(&url);
    cfg.read_timeout = Some(Duration::from_millis(300));
    let started = std::time::Instant::now();
    let r = report(&cfg).await;
    assert_eq!(r.error.unwrap().class, ErrorClass::Timeout);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn unknown_host_is_a_dns_error() {
    let r = report(&config("https://hedgehog-no-such-host.invalid:6443")).await;
    assert!(!r.reachable);
    assert_eq!(r.error.unwrap().class, ErrorClass::Dns);
}

#[tokio::test]
async fn bad_settings_never_echo_the_token() {
    let mut cfg = config("https://127.0.0.1:1").with_ca_pem("/etc/kubernetes/pki/ca.crt");
    cfg.client_key_pem = Some(TOKEN.into());
    let err = Cluster::connect(&cfg).await.unwrap_err();
    let shown = format!("{err} {err:?} {cfg:?}");
    assert!(shown.contains("must be PEM text"), "{shown}");
    assert!(!shown.contains(TOKEN), "{shown}");
}
