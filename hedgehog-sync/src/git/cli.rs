//! Running the `git` binary for the network operations (clone, fetch, push, ls-remote), with
//! credentials passed through the child's environment and secrets scrubbed from its output.

use std::io::Read;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::GitError;
use super::credentials::{AuthEnv, Credentials};
use crate::secret::{redact_url, scrub};

/// The scrubbed result of one `git` run.
pub(crate) struct GitRun {
    pub(crate) success: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// How long one network operation (clone, fetch, push, ls-remote) may take before `git` and
/// everything it started are killed: a remote that accepts the connection and then says
/// nothing would otherwise hold a pass forever.
pub const NETWORK_TIMEOUT: Duration = Duration::from_secs(600);

/// How often a running `git` is checked for having finished.
const POLL: Duration = Duration::from_millis(20);

/// Runs `git <args>` in `cwd` (a bare repository or a scratch directory) with `creds`, for at
/// most `timeout`.
///
/// Output is returned scrubbed; a non-zero exit is *not* an error here because `git push`
/// reports rejections that way and the caller knows how to read them. Past `timeout` the
/// process group of `git` (its ssh, remote helper, a local receive-pack and its hooks) is
/// killed and [`GitError::Timeout`] returned.
pub(crate) fn run(
    cwd: &Path,
    args: &[&str],
    creds: &Credentials,
    timeout: Duration,
) -> Result<GitRun, GitError> {
    let auth = AuthEnv::new(creds)?;
    let mut command = Command::new("git");
    command
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout kills everything it started.
        .process_group(0)
        // English messages, so rejections and auth failures can be recognised.
        .env("LC_ALL", "C")
        .env("LANGUAGE", "C")
        // A service must fail rather than wait for a password on a terminal nobody watches.
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_ASKPASS")
        .env_remove("SSH_ASKPASS")
        // Give up early on a stalled HTTP transfer.
        .args([
            "-c",
            "http.lowSpeedLimit=1000",
            "-c",
            "http.lowSpeedTime=60",
        ]);
    for option in &auth.config {
        command.arg("-c").arg(option);
    }
    for (name, value) in &auth.env {
        command.env(name, value.as_str());
    }
    command.args(args);
    let spawn_error = |source| GitError::Io {
        op: "run `git` (is it installed and on PATH?) in",
        path: cwd.to_path_buf(),
        source,
    };
    let mut child = command.spawn().map_err(spawn_error)?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = wait(&mut child, timeout).map_err(spawn_error)?;
    let (stdout, stderr) = (join(stdout), join(stderr));
    let Some(status) = status else {
        return Err(GitError::Timeout {
            op: args.first().copied().unwrap_or("run").to_owned(),
            seconds: timeout.as_secs(),
        });
    };
    let secrets = creds.secrets();
    Ok(GitRun {
        success: status.success(),
        stdout: scrub(&String::from_utf8_lossy(&stdout), &secrets),
        stderr: scrub(&String::from_utf8_lossy(&stderr), &secrets),
    })
}

/// Reads a pipe to its end on a thread of its own, so a chatty child never blocks on a full
/// pipe while we wait for it.
fn drain(pipe: Option<impl Read + Send + 'static>) -> Option<JoinHandle<Vec<u8>>> {
    pipe.map(|mut pipe| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    })
}

fn join(reader: Option<JoinHandle<Vec<u8>>>) -> Vec<u8> {
    reader.and_then(|r| r.join().ok()).unwrap_or_default()
}

/// Waits for `child` until `timeout`; then kills its process group and returns `None`.
fn wait(child: &mut Child, timeout: Duration) -> std::io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            let group = rustix::process::Pid::from_child(child);
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            child.wait()?;
            return Ok(None);
        }
        std::thread::sleep(POLL);
    }
}

impl GitRun {
    /// Turns a failed run into the matching error: [`GitError::Auth`] when `git` says the
    /// remote refused or asked for credentials, [`GitError::Git`] otherwise.
    pub(crate) fn into_error(self, op: &'static str, remote: &str, cwd: &Path) -> GitError {
        // Some failures (a refused push) are explained on stdout only.
        let detail = match self.stderr.trim() {
            "" => self.stdout.trim().to_owned(),
            stderr => stderr.to_owned(),
        };
        if looks_like_auth_failure(&detail) {
            GitError::Auth {
                op,
                remote: redact_url(remote),
                detail,
            }
        } else {
            GitError::Git {
                op: format!("{op} {}", redact_url(remote)),
                repo: cwd.to_path_buf(),
                detail,
            }
        }
    }

    /// `Ok(self)` when `git` succeeded, the matching error otherwise.
    pub(crate) fn check(
        self,
        op: &'static str,
        remote: &str,
        cwd: &Path,
    ) -> Result<Self, GitError> {
        if self.success {
            Ok(self)
        } else {
            Err(self.into_error(op, remote, cwd))
        }
    }
}

fn looks_like_auth_failure(stderr: &str) -> bool {
    const MARKERS: &[&str] = &[
        "authentication failed",
        "could not read username",
        "could not read password",
        "terminal prompts disabled",
        "permission denied (publickey",
        "host key verification failed",
        "invalid username or password",
        "http 401",
        "http 403",
        "the requested url returned error: 401",
        "the requested url returned error: 403",
    ];
    let lower = stderr.to_ascii_lowercase();
    MARKERS.iter().any(|m| lower.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The token reaches git's credential machinery through our helper, and only there.
    #[test]
    fn token_reaches_git_through_the_credential_helper() {
        let dir = tempfile::tempdir().unwrap();
        let creds = Credentials::Token {
            username: Some("bot".into()),
            token: "s3cr3t-token-value".into(),
        };
        let auth = AuthEnv::new(&creds).unwrap();
        assert!(auth.config.iter().all(|c| !c.contains("s3cr3t")));
        let mut command = Command::new("git");
        command
            .current_dir(dir.path())
            .env("GIT_TERMINAL_PROMPT", "0");
        for option in &auth.config {
            command.arg("-c").arg(option);
        }
        for (name, value) in &auth.env {
            command.env(name, value.as_str());
        }
        let mut child = command
            .args(["credential", "fill"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"protocol=https\nhost=example.com\n\n")
            .unwrap();
        let output = child.wait_with_output().unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("username=bot\n"), "{text}");
        assert!(text.contains("password=s3cr3t-token-value\n"), "{text}");
    }
}
