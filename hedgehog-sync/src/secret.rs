//! Secrets (tokens, private keys) and how they are kept out of every output.
//!
//! Secrets are held in [`secrecy`]'s [`SecretString`]: its `Debug` prints `[REDACTED]`, it
//! has no `Display`, reading it takes an explicit [`ExposeSecret::expose_secret`] call, and its
//! memory is zeroised when it is dropped. URLs are shown through [`redact_url`], which hides
//! their user information (a password, or a token used as the user name).

pub use secrecy::zeroize::Zeroizing;
pub use secrecy::{ExposeSecret, SecretString};

/// A secret from text read from a file or the environment: surrounding white space trimmed,
/// and the text it came from zeroised (copying into the secret's exact-size buffer leaves no
/// stray copy behind).
pub fn secret_from(text: Zeroizing<String>) -> SecretString {
    SecretString::from(text.trim())
}

/// What replaces a secret in text.
pub const REDACTED: &str = "<redacted>";

/// Replaces the user information of every `scheme://userinfo@host` in `text` with
/// `<redacted>`: `https://bot:s3cr3t@host/r.git` is shown as `https://<redacted>@host/r.git`.
pub fn redact_url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let (head, tail) = rest.split_at(pos + 3);
        out.push_str(head);
        let authority = authority(tail);
        match authority.rfind('@') {
            Some(at) => {
                out.push_str(REDACTED);
                out.push_str(&authority[at..]);
            }
            None => out.push_str(authority),
        }
        rest = &tail[authority.len()..];
    }
    out.push_str(rest);
    out
}

/// Whether `url` carries a password (`https://user:password@host/…`). Such URLs are refused:
/// the password would be stored in the clone's `.git/config` and shown wherever the URL is.
pub fn url_has_password(url: &str) -> bool {
    url.find("://").is_some_and(|pos| {
        let authority = authority(&url[pos + 3..]);
        authority
            .rfind('@')
            .is_some_and(|at| authority[..at].contains(':'))
    })
}

/// The authority part at the start of what follows `scheme://`.
fn authority(tail: &str) -> &str {
    let end = tail
        .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
        .unwrap_or(tail.len());
    &tail[..end]
}

/// Replaces every secret in `text`, and the user information of every URL, with
/// `<redacted>`. A multi-line secret (a private key) is also replaced line by line, since
/// programs may echo one line of it; lines shorter than 16 characters (`-----END …`) are too
/// common to be secret.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut out = redact_url(text);
    for secret in secrets.iter().filter(|s| !s.trim().is_empty()) {
        out = out.replace(secret, REDACTED);
        for line in secret.lines().map(str::trim).filter(|l| l.len() >= 16) {
            out = out.replace(line, REDACTED);
        }
    }
    out
}

/// A parser's error message that is safe to show for text holding secrets: the first line
/// only (parsers go on to quote the source lines around the error, which may be a token's),
/// with every quoted value replaced by `…` (a type error quotes the value it did not expect),
/// and URLs' user information redacted.
pub fn parser_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or_default();
    let mut out = String::with_capacity(first.len());
    let mut open: Option<char> = None;
    for c in first.chars() {
        match open {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if matches!(c, '"' | '`') {
                    open = Some(c);
                }
            }
        }
    }
    if let Some(q) = open {
        out.push('…');
        out.push(q);
    }
    redact_url(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_information_is_redacted_in_every_url() {
        assert_eq!(
            redact_url("fatal: https://bot:s3cr3t@example.com/a.git not found; ssh://git@h/x"),
            "fatal: https://<redacted>@example.com/a.git not found; ssh://<redacted>@h/x"
        );
        assert_eq!(
            redact_url("`https://ghp_tokenasuser@github.com?x=1` and https://h/p@q"),
            "`https://<redacted>@github.com?x=1` and https://h/p@q"
        );
        assert_eq!(redact_url("no url: a@b"), "no url: a@b");
        assert!(url_has_password("https://u:p@h/r"));
        assert!(url_has_password("https://u:p@h"));
        assert!(!url_has_password("https://u@h/r"));
        assert!(!url_has_password("https://h:443/r@x:y"));
        assert!(!url_has_password("git@github.com:o/r.git"));
    }

    #[test]
    fn scrub_removes_secrets_and_key_lines() {
        let key = "-----BEGIN KEY-----\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n-----END KEY-----";
        let text = format!("token s3cr3t-token-value and QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n{key}");
        let out = scrub(&text, &["s3cr3t-token-value", key]);
        assert!(!out.contains("s3cr3t"));
        assert!(!out.contains("QUJDREVG"));
    }

    #[test]
    fn secrets_do_not_print() {
        let secret = SecretString::from("s3cr3t-token-value");
        let shown = format!("{secret:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert_eq!(secret.expose_secret(), "s3cr3t-token-value");
    }
}
