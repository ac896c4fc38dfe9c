//! Any request to the daemon's router (no fabric, no token): never a panic, never a 500,
//! and every error answer is the documented `{"error": {"code", "message"}}` JSON.
//!
//! The input is `METHOD-BYTE PATH\nCONTENT-TYPE\nBODY`: the first byte picks the method,
//! the rest of the first line is the path and query, the second line the content type.
#![no_main]

use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use hedgehogd::daemon::{api, config::Config, state::Daemon};
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a runtime")
});

static ROUTER: LazyLock<axum::Router> = LazyLock::new(|| {
    let config = Config::empty(([127, 0, 0, 1], 0).into());
    let _runtime = RUNTIME.enter();
    api::router(Arc::new(Daemon::new(Vec::new(), None)), &config)
});

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::DELETE,
    Method::PATCH,
];

fuzz_target!(|data: &[u8]| {
    hedgehog_fuzz::tolerate_caught_dependency_panics();
    let Some((&method, rest)) = data.split_first() else {
        return;
    };
    let mut lines = rest.splitn(3, |&b| b == b'\n');
    let (Some(path), Some(content_type)) = (lines.next(), lines.next()) else {
        return;
    };
    let body = lines.next().unwrap_or_default().to_vec();
    let Ok(path) = std::str::from_utf8(path) else {
        return;
    };
    let mut request = Request::builder()
        .method(METHODS[usize::from(method) % METHODS.len()].clone())
        .uri(format!("/{}", path.trim_start_matches('/')));
    if !content_type.is_empty() {
        request = request.header("content-type", content_type);
    }
    let Ok(request) = request.body(Body::from(body)) else {
        return; // not a request any client could send (an invalid URI or header)
    };
    let router = ROUTER.clone();
    RUNTIME.block_on(async {
        let response = router.oneshot(request).await.expect("infallible");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a whole body");
        assert_ne!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body:?}");
        if status.is_client_error() || status.is_server_error() {
            let json: serde_json::Value = serde_json::from_slice(&body)
                .unwrap_or_else(|e| panic!("a {status} body that is not JSON ({e}): {body:?}"));
            assert!(json["error"]["code"].is_string(), "{status}: {json}");
            assert!(json["error"]["message"].is_string(), "{status}: {json}");
        }
    });
});
