//! The one type for secrets (tokens, private keys) across the crate.

use std::fmt;

/// A secret string (token, private key). `Debug` and `Display` print `<redacted>`, so a
/// secret never reaches a log, an error message or an API answer by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself: call it only where the secret is sent to its destination (a `git`
    /// child process, the API server, a constant-time comparison) or scrubbed from output.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
