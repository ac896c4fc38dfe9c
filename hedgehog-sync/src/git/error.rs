//! The one error type of the Git backend.

use std::path::PathBuf;

use super::CommitId;
use crate::codes::{self, ErrorCode};

/// Everything the Git backend can fail with.
///
/// Messages say what was attempted, where and why. They never contain a secret: anything that
/// comes from `git`'s output is scrubbed of the credentials that were in play and of passwords
/// embedded in URLs before it is stored here.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// A repository, reference, revision or path does not exist.
    #[error("{what} `{name}` not found in {repo}")]
    NotFound {
        /// What kind of thing was looked up ("repository", "branch", "revision", ...).
        what: &'static str,
        /// The name that was looked up.
        name: String,
        /// The repository (or directory) that was searched.
        repo: PathBuf,
    },
    /// A reference did not have the value the caller expected (compare-and-swap failed), or a
    /// publish ran out of attempts because the remote kept moving.
    #[error(
        "conflict on `{reference}`: expected {}, found {}{}: {detail}",
        fmt_opt(expected), fmt_opt(actual),
        local_commit.map(|c| format!(" (local commit {c} kept under refs/hedgehog/unpushed)")).unwrap_or_default()
    )]
    Conflict {
        /// The full reference name (`refs/heads/main`).
        reference: String,
        /// The value the caller based its change on.
        expected: Option<CommitId>,
        /// The value found instead, when known.
        actual: Option<CommitId>,
        /// A commit that was made locally but could not be published; it is kept under
        /// `refs/hedgehog/unpushed/<branch>` so nothing is lost.
        local_commit: Option<CommitId>,
        /// Why, in words.
        detail: String,
    },
    /// The remote refused a push for a reason other than a moved branch (a hook, branch
    /// protection, permissions). Retrying does not help.
    #[error("push of {local_commit} to `{branch}` on {remote} rejected: {reason}")]
    Rejected {
        /// The branch that was pushed to.
        branch: String,
        /// The remote, with any password removed.
        remote: String,
        /// The remote's reason, as `git` reported it.
        reason: String,
        /// The local commit that was not accepted; it is kept under
        /// `refs/hedgehog/unpushed/<branch>` when it came from `publish`.
        local_commit: CommitId,
    },
    /// The remote did not accept the credentials (or none were given and it needs some).
    #[error("authentication failed while trying to {op} {remote}: {detail}")]
    Auth {
        /// What was attempted ("fetch from", "push to", ...).
        op: &'static str,
        /// The remote, with any password removed.
        remote: String,
        /// `git`'s message, scrubbed of secrets.
        detail: String,
    },
    /// A path in a change set or a directory argument is not acceptable.
    #[error("invalid path `{path}`: {reason}")]
    InvalidPath {
        /// The offending path.
        path: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A network operation did not finish in time; `git` and what it started were killed. A
    /// push may or may not have reached the remote (the next fetch tells); the local commit is
    /// kept.
    #[error("git {op} did not finish within {seconds} s and was stopped")]
    Timeout {
        /// The `git` subcommand (`fetch`, `push`, `clone`, `ls-remote`).
        op: String,
        /// The limit, in seconds.
        seconds: u64,
    },
    /// A tree holds more than a read may take ([`crate::git::ReadLimits`]).
    #[error("the tree holds more than {limit} {what}, the limit of one read")]
    TooLarge {
        /// `files` or `bytes`.
        what: &'static str,
        /// The limit that was passed.
        limit: u64,
    },
    /// Some other argument is not acceptable (branch name, URL, signature).
    #[error("invalid {what} `{value}`: {reason}")]
    InvalidInput {
        /// Which argument.
        what: &'static str,
        /// Its value (never a secret).
        value: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A file-system operation failed.
    #[error("could not {op} {}: {source}", path.display())]
    Io {
        /// What was attempted.
        op: &'static str,
        /// Where.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `git` or gix failed for a reason not covered above.
    #[error("git failed to {op} in {}: {detail}", repo.display())]
    Git {
        /// What was attempted.
        op: String,
        /// The repository or directory it was attempted in.
        repo: PathBuf,
        /// The underlying message, scrubbed of secrets.
        detail: String,
    },
}

impl GitError {
    /// Its stable code ([`crate::codes`]).
    pub fn error_code(&self) -> ErrorCode {
        match self {
            GitError::NotFound { .. } => codes::GIT_NOT_FOUND,
            GitError::Conflict { .. } => codes::GIT_CONFLICT,
            GitError::Rejected { .. } => codes::GIT_REJECTED,
            GitError::Auth { .. } => codes::GIT_AUTH,
            GitError::InvalidPath { .. } => codes::GIT_INVALID_PATH,
            GitError::Timeout { .. } => codes::GIT_TIMEOUT,
            GitError::TooLarge { .. } => codes::GIT_TOO_LARGE,
            GitError::InvalidInput { .. } => codes::GIT_INVALID_INPUT,
            GitError::Io { .. } | GitError::Git { .. } => codes::GIT_ERROR,
        }
    }
}

fn fmt_opt(id: &Option<CommitId>) -> String {
    id.map_or_else(|| "no commit".to_owned(), |c| c.to_string())
}

/// Turns any gix (or other displayable) error into [`GitError::Git`] with a description of the
/// operation, so call sites stay one line long.
pub(crate) trait GixContext<T> {
    fn ctx(self, op: impl FnOnce() -> String, repo: &std::path::Path) -> Result<T, GitError>;
}

impl<T, E: std::fmt::Display> GixContext<T> for Result<T, E> {
    fn ctx(self, op: impl FnOnce() -> String, repo: &std::path::Path) -> Result<T, GitError> {
        self.map_err(|e| GitError::Git {
            op: op(),
            repo: repo.to_path_buf(),
            detail: e.to_string(),
        })
    }
}
