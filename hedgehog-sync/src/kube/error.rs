//! Errors of the Kubernetes backend, classified for people who configure a fabric in NetBox.

use std::error::Error as StdError;
use std::io;

use serde::{Deserialize, Serialize};

use crate::codes::{self, ErrorCode};
use crate::secret::{ExposeSecret, SecretString, redact_url};

/// What kind of failure a cluster request met, so a UI can say what to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ErrorClass {
    /// The server name does not resolve.
    Dns,
    /// Nothing answers at that address and port (refused, unreachable, reset).
    Connect,
    /// The TLS handshake failed: wrong CA, bad certificate, not a TLS server.
    Tls,
    /// The cluster rejected the credentials (HTTP 401).
    Unauthorized,
    /// The credentials are valid but not allowed to do this (HTTP 403).
    Forbidden,
    /// No answer in time.
    Timeout,
    /// Anything else, including invalid settings and unexpected answers.
    Other,
}

/// A classified error with a message fit for a NetBox user; never carries a secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ErrorInfo {
    /// The class of the failure.
    pub class: ErrorClass,
    /// HTTP status code of the API server's answer, when there was one.
    pub status: Option<u16>,
    /// What went wrong and what to check.
    pub message: String,
}

/// Error of the Kubernetes backend.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KubeError {
    /// The cluster settings are unusable (bad URL, CA that is not PEM text, unknown context…).
    #[error("invalid cluster settings: {0}")]
    Config(String),
    /// A request to the API server failed.
    #[error("{}", .0.message)]
    Request(ErrorInfo),
    /// An object handed to the backend is not a Hedgehog object it can send.
    #[error("invalid object: {0}")]
    Object(String),
    /// A write was asked for on a cluster connection that does not allow writes.
    #[error("writes to this cluster are disabled (set allow_writes to enable apply and delete)")]
    WritesDisabled,
}

impl KubeError {
    /// The class and message of this error, for reports.
    pub fn info(&self) -> ErrorInfo {
        match self {
            KubeError::Request(info) => info.clone(),
            other => ErrorInfo {
                class: ErrorClass::Other,
                status: None,
                message: other.to_string(),
            },
        }
    }

    /// The class of this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            KubeError::Request(info) => info.class,
            _ => ErrorClass::Other,
        }
    }

    /// Its stable code ([`crate::codes`]).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            KubeError::Config(_) => codes::KUBE_CONFIG,
            KubeError::Object(_) => codes::KUBE_OBJECT,
            KubeError::WritesDisabled => codes::KUBE_WRITES_DISABLED,
            KubeError::Request(info) => match info.class {
                ErrorClass::Dns => codes::KUBE_DNS,
                ErrorClass::Connect => codes::KUBE_CONNECT,
                ErrorClass::Tls => codes::KUBE_TLS,
                ErrorClass::Unauthorized => codes::KUBE_UNAUTHORIZED,
                ErrorClass::Forbidden => codes::KUBE_FORBIDDEN,
                ErrorClass::Timeout => codes::KUBE_TIMEOUT,
                ErrorClass::Other => codes::KUBE_ERROR,
            },
        }
    }

    /// HTTP status of the API server's answer, if the error is one.
    pub fn status(&self) -> Option<u16> {
        match self {
            KubeError::Request(info) => info.status,
            _ => None,
        }
    }
}

/// Replaces secrets (token, private key) and the user information of URLs in any text
/// before it leaves the backend.
#[derive(Clone, Default)]
pub(crate) struct Redactor {
    secrets: Vec<SecretString>,
}

impl Redactor {
    pub(crate) fn new(secrets: impl IntoIterator<Item = SecretString>) -> Self {
        // Short strings would redact innocent text; real tokens and keys are long.
        Redactor {
            secrets: secrets
                .into_iter()
                .filter(|s| s.expose_secret().len() >= 8)
                .collect(),
        }
    }

    pub(crate) fn clean(&self, text: &str) -> String {
        self.secrets.iter().fold(redact_url(text), |acc, s| {
            acc.replace(s.expose_secret(), "[redacted]")
        })
    }

    /// Classifies a kube error into a [`KubeError::Request`] whose message holds no secret.
    pub(crate) fn request_error(&self, err: &kube::Error) -> KubeError {
        let mut info = classify(err);
        info.message = self.clean(&info.message);
        KubeError::Request(info)
    }
}

/// A request that got no answer within the client-side deadline.
pub(crate) fn timeout_error(what: &str) -> KubeError {
    KubeError::Request(ErrorInfo {
        class: ErrorClass::Timeout,
        status: None,
        message: format!(
            "the cluster did not answer {what} in time; check the server URL, firewalls and the timeouts"
        ),
    })
}

fn classify(err: &kube::Error) -> ErrorInfo {
    if let kube::Error::Api(status) = err {
        let code = status.code;
        let detail = if status.message.is_empty() {
            status.reason.as_str()
        } else {
            status.message.as_str()
        };
        let (class, message) = match code {
            401 => (
                ErrorClass::Unauthorized,
                format!(
                    "the cluster rejected the credentials (401 Unauthorized): check the service account token and client certificate ({detail})"
                ),
            ),
            403 => (
                ErrorClass::Forbidden,
                format!(
                    "the credentials are valid but not allowed to do this (403 Forbidden): grant the RBAC rules from the generated manifests ({detail})"
                ),
            ),
            408 | 504 => (
                ErrorClass::Timeout,
                format!("the API server timed out ({code}): {detail}"),
            ),
            _ => (
                ErrorClass::Other,
                format!("the API server answered {code}: {detail}"),
            ),
        };
        return ErrorInfo {
            class,
            status: Some(code),
            message,
        };
    }
    let chain = chain_text(err);
    let lower = chain.to_lowercase();
    let has_io = |kinds: &[io::ErrorKind]| io_kinds(err).iter().any(|k| kinds.contains(k));
    let (class, hint) = if lower.contains("dns error") || lower.contains("failed to lookup address")
    {
        (
            ErrorClass::Dns,
            "the server name does not resolve; check the server URL",
        )
    } else if [
        "certificate",
        "tls",
        "handshake",
        "rustls",
        "unknownissuer",
        "badsignature",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        (
            ErrorClass::Tls,
            "the TLS connection failed; check that the CA certificate (PEM text) is the cluster's CA and the URL uses https",
        )
    } else if has_io(&[io::ErrorKind::TimedOut])
        || lower.contains("timed out")
        || lower.contains("deadline")
    {
        (
            ErrorClass::Timeout,
            "the cluster did not answer in time; check the server URL, firewalls and the timeouts",
        )
    } else if has_io(&[
        io::ErrorKind::ConnectionRefused,
        io::ErrorKind::ConnectionReset,
        io::ErrorKind::ConnectionAborted,
        io::ErrorKind::HostUnreachable,
        io::ErrorKind::NetworkUnreachable,
        io::ErrorKind::AddrNotAvailable,
    ]) || lower.contains("connect")
    {
        (
            ErrorClass::Connect,
            "nothing answers at the server address; check the URL, port and that the API server runs",
        )
    } else {
        (ErrorClass::Other, "the request to the cluster failed")
    };
    ErrorInfo {
        class,
        status: None,
        message: format!("{hint} ({chain})"),
    }
}

fn chain_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = e.source();
    }
    parts.join(": ")
}

fn io_kinds(err: &(dyn StdError + 'static)) -> Vec<io::ErrorKind> {
    let mut out = Vec::new();
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<io::Error>() {
            out.push(io.kind());
        }
        cur = e.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactor_hides_secrets_and_ignores_short_ones() {
        let r = Redactor::new(["s3cr3t-token-xyz".into(), "abc".into()]);
        assert_eq!(
            r.clean("Bearer s3cr3t-token-xyz abc https://u:pw@h:6443/api"),
            "Bearer [redacted] abc https://<redacted>@h:6443/api"
        );
    }

    #[test]
    fn api_status_codes_map_to_classes() {
        let status = |code| {
            kube::Error::Api(Box::new(
                kube::core::Status::failure("no", "Reason").with_code(code),
            ))
        };
        assert_eq!(classify(&status(401)).class, ErrorClass::Unauthorized);
        assert_eq!(classify(&status(403)).class, ErrorClass::Forbidden);
        assert_eq!(classify(&status(504)).class, ErrorClass::Timeout);
        assert_eq!(classify(&status(500)).class, ErrorClass::Other);
        assert_eq!(classify(&status(403)).status, Some(403));
    }
}
