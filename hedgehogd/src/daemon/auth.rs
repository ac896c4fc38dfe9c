//! Bearer tokens with read and write scopes, compared in constant time.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use hedgehog_sync::secret::ExposeSecret;
use subtle::ConstantTimeEq;

use super::api::ApiError;
use super::config::{Scope, Token};

/// Checks the request's bearer token against `tokens` for `need`; with no tokens configured
/// every request passes (the daemon then listens on loopback only).
pub fn authorize(headers: &HeaderMap, tokens: &[Token], need: Scope) -> Result<(), ApiError> {
    if tokens.is_empty() {
        return Ok(());
    }
    let presented = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::unauthorized("a bearer token is required (Authorization: Bearer …)")
        })?;
    // Every token is compared, so the time taken does not tell which (or whether one) matched.
    let mut best: Option<&Token> = None;
    for token in tokens {
        let equal: bool = token
            .secret
            .expose_secret()
            .as_bytes()
            .ct_eq(presented.as_bytes())
            .into();
        if equal && best.is_none_or(|b| b.scope < token.scope) {
            best = Some(token);
        }
    }
    match best {
        None => Err(ApiError::unauthorized("the bearer token is not valid")),
        Some(token) if token.scope < need => Err(ApiError::forbidden(
            "this token is read-only; the request needs a write-scoped token",
        )),
        Some(token) => {
            tracing::debug!(token = %token.name, "request authorized");
            Ok(())
        }
    }
}
