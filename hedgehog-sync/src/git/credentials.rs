//! Credentials for remotes, and how they reach a `git` child process without ever being
//! written to its argv, a URL, a log or an error message.

use std::io::Write as _;
use std::path::Path;

use secrecy::zeroize::Zeroizing;

use super::GitError;
use crate::secret::{ExposeSecret, SecretString};

/// How to authenticate to a remote.
///
/// `Debug` is safe to log: secrets print as `[REDACTED]`, and are zeroised when dropped.
#[derive(Clone, Debug, Default)]
pub enum Credentials {
    /// No credentials of our own: `git`'s own configuration (credential helpers, ssh agent and
    /// config) applies, as it would on the command line. Never prompts.
    #[default]
    None,
    /// An HTTPS token (GitHub/GitLab personal access token, deploy token).
    Token {
        /// User name sent with the token; [`Credentials::DEFAULT_TOKEN_USER`] when `None`
        /// (GitHub ignores it, GitLab accepts any non-empty name for personal access tokens).
        username: Option<String>,
        /// The token.
        token: SecretString,
    },
    /// An SSH private key (OpenSSH or PEM text) without a passphrase.
    SshKey {
        /// The private key text.
        private_key: SecretString,
        /// `known_hosts` lines for the server. When given, only these host keys are accepted
        /// (strict checking); when `None`, the user's ssh configuration decides.
        known_hosts: Option<String>,
    },
}

impl Credentials {
    /// The user name sent with a token when none is configured.
    pub const DEFAULT_TOKEN_USER: &'static str = "x-access-token";

    /// The secret values in play, to scrub them from `git`'s output.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        match self {
            Credentials::None => Vec::new(),
            Credentials::Token { token, .. } => vec![token.expose_secret()],
            Credentials::SshKey { private_key, .. } => vec![private_key.expose_secret()],
        }
    }
}

/// The name of the environment variable through which a token reaches the credential helper.
const TOKEN_ENV: &str = "HEDGEHOG_GIT_TOKEN";
/// The name of the environment variable holding the user name sent with the token.
const USER_ENV: &str = "HEDGEHOG_GIT_USERNAME";

/// What a `git` child process needs to authenticate: `-c` options, environment variables, and
/// a private directory for the SSH key that is deleted when this value is dropped.
pub(crate) struct AuthEnv {
    pub(crate) config: Vec<String>,
    /// Values are zeroised when dropped (one of them may be the token).
    pub(crate) env: Vec<(&'static str, Zeroizing<String>)>,
    /// Holds the key file (mode 0600) in a directory only we can read; removed on drop.
    _key_dir: Option<tempfile::TempDir>,
}

impl AuthEnv {
    pub(crate) fn new(creds: &Credentials) -> Result<Self, GitError> {
        match creds {
            Credentials::None => Ok(Self {
                config: Vec::new(),
                env: Vec::new(),
                _key_dir: None,
            }),
            Credentials::Token { username, token } => Ok(Self {
                // The empty helper resets any configured helpers, so neither a stale stored
                // password wins over our token nor is our token stored by a helper afterwards.
                // The helper text names only the variables; the values stay in the environment.
                config: vec![
                    "credential.helper=".to_owned(),
                    format!(
                        "credential.helper=!f() {{ test \"$1\" = get || exit 0; \
                         printf 'username=%s\\npassword=%s\\n' \"${USER_ENV}\" \"${TOKEN_ENV}\"; }}; f"
                    ),
                ],
                env: vec![
                    (
                        USER_ENV,
                        Zeroizing::new(
                            username
                                .clone()
                                .unwrap_or_else(|| Credentials::DEFAULT_TOKEN_USER.to_owned()),
                        ),
                    ),
                    (TOKEN_ENV, Zeroizing::new(token.expose_secret().to_owned())),
                ],
                _key_dir: None,
            }),
            Credentials::SshKey {
                private_key,
                known_hosts,
            } => {
                let dir = tempfile::Builder::new()
                    .prefix("hedgehog-ssh-")
                    .tempdir()
                    .map_err(|source| GitError::Io {
                        op: "create a private directory for the SSH key",
                        path: std::env::temp_dir(),
                        source,
                    })?;
                let key_path = dir.path().join("id");
                let mut key = Zeroizing::new(private_key.expose_secret().to_owned());
                // ssh refuses key files whose last line is not terminated.
                if !key.ends_with('\n') {
                    key.push('\n');
                }
                write_private(&key_path, key.as_bytes())?;
                let mut command = format!(
                    "ssh -i {} -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=30",
                    shell_quote(&key_path)
                );
                if let Some(hosts) = known_hosts {
                    let hosts_path = dir.path().join("known_hosts");
                    write_private(&hosts_path, hosts.as_bytes())?;
                    command.push_str(&format!(
                        " -o UserKnownHostsFile={} -o StrictHostKeyChecking=yes",
                        shell_quote(&hosts_path)
                    ));
                }
                Ok(Self {
                    config: Vec::new(),
                    env: vec![("GIT_SSH_COMMAND", Zeroizing::new(command))],
                    _key_dir: Some(dir),
                })
            }
        }
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), GitError> {
    let io = |source| GitError::Io {
        op: "write",
        path: path.to_path_buf(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Quotes a path for the POSIX shell that runs `GIT_SSH_COMMAND`.
fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.to_string_lossy().replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_key_file_is_private_and_removed_afterwards() {
        let creds = Credentials::SshKey {
            private_key:
                "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----".into(),
            known_hosts: Some("example.com ssh-ed25519 AAAA".to_owned()),
        };
        let env = AuthEnv::new(&creds).unwrap();
        let (name, command) = &env.env[0];
        assert_eq!(*name, "GIT_SSH_COMMAND");
        assert!(!command.contains("PRIVATE KEY"));
        let key_path = command
            .split('\'')
            .nth(1)
            .map(std::path::PathBuf::from)
            .unwrap();
        let content = std::fs::read_to_string(&key_path).unwrap();
        assert!(content.ends_with("-----END OPENSSH PRIVATE KEY-----\n"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(command.contains("StrictHostKeyChecking=yes"));
        drop(env);
        assert!(!key_path.exists());
    }

    #[test]
    fn secrets_never_print() {
        let creds = Credentials::Token {
            username: Some("bot".into()),
            token: "s3cr3t-token-value".into(),
        };
        let shown = format!("{creds:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("[REDACTED]"));
        assert!(shown.contains("bot"));
    }
}
