//! Forwarding a request to the replica that owns its fabric: the same method, path, query,
//! headers (the caller's `Authorization` included: the owner checks it) and body, over
//! HTTP/1.1, with a header naming the forwarding replica so that a forwarded request is
//! never forwarded again (replicas whose views of the Leases disagree answer 503 instead of
//! passing a request around).

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;

use crate::daemon::api::ApiError;
use hedgehog_sync::codes;

/// The header a forwarded request carries: the identity of the replica that forwarded it.
pub const FORWARDED_BY: &str = "x-hedgehog-forwarded-by";
/// The header every answer of a coordinated replica carries: its identity.
pub const SERVED_BY: &str = "x-hedgehog-served-by";

/// Headers that belong to one connection, not to the request.
const HOP_BY_HOP: [&str; 6] = [
    "connection",
    "keep-alive",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
];

/// Whether `request` was forwarded by another replica already.
pub fn was_forwarded(request: &Request) -> bool {
    request.headers().contains_key(FORWARDED_BY)
}

/// Sends `request` to `address` and returns its answer; 502 `fabric.forward-failed` when the
/// owner cannot be reached.
pub async fn forward(address: &str, request: Request, me: &str, max_body: usize) -> Response {
    match send(address, request, me, max_body).await {
        Ok(response) => response,
        Err(e) => {
            tracing::warn!(%address, error = %e, "cannot forward a request to the fabric's owner");
            ApiError::new(
                StatusCode::BAD_GATEWAY,
                codes::FABRIC_FORWARD_FAILED.code,
                format!("the replica that owns this fabric ({address}) cannot be reached: {e}"),
            )
            .into_response()
        }
    }
}

async fn send(
    address: &str,
    request: Request,
    me: &str,
    max_body: usize,
) -> Result<Response, String> {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, max_body).await.map_err(|e| e.to_string())?;
    let path = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let mut builder = hyper::Request::builder().method(parts.method).uri(path);
    for (name, value) in &parts.headers {
        if *name != header::HOST && !HOP_BY_HOP.contains(&name.as_str()) {
            builder = builder.header(name, value);
        }
    }
    let request = builder
        .header(header::HOST, address)
        .header(
            FORWARDED_BY,
            HeaderValue::from_str(me).map_err(|e| e.to_string())?,
        )
        .body(Full::new(body))
        .map_err(|e| e.to_string())?;
    let stream = tokio::net::TcpStream::connect(address)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let answer = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let (parts, body) = answer.into_parts();
    let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = parts.status;
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) && *name != header::CONTENT_LENGTH {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(response)
}

/// Adds `x-hedgehog-served-by: <identity>` to an answer made here (a forwarded answer
/// keeps the owner's).
pub fn served_by(response: &mut Response, identity: &str) {
    if response.headers().contains_key(SERVED_BY) {
        return;
    }
    if let Ok(value) = HeaderValue::from_str(identity) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(SERVED_BY), value);
    }
}

/// Asks each of `peers` for the same `GET` as `request` (an operation this replica does not
/// know); the first answer that is not 404, if any.
pub async fn ask_peers(
    peers: &[String],
    uri: &axum::http::Uri,
    headers: &axum::http::HeaderMap,
    me: &str,
) -> Option<Response> {
    for peer in peers {
        let mut builder = Request::builder().uri(uri.clone());
        for (name, value) in headers {
            builder = builder.header(name, value);
        }
        let Ok(copy) = builder.body(Body::empty()) else {
            continue;
        };
        let answer = forward(peer, copy, me, 0).await;
        if answer.status() != StatusCode::NOT_FOUND && answer.status() != StatusCode::BAD_GATEWAY {
            return Some(answer);
        }
    }
    None
}
