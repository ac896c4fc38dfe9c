//! The Git backend: a bare clone per remote, read trees and file history with gix, write one
//! commit per change set with gix, and push with the `git` binary.
//!
//! ```text
//! remote ──git clone/fetch──▶ cache/<hash>.git   refs/remotes/origin/<branch>  (what the remote has)
//!                                                refs/heads/<branch>           (what we committed)
//!                                                refs/hedgehog/unpushed/<b>    (a commit a push refused)
//! ```
//!
//! Why two tools: gix reads and writes objects and refs in-process and fast, but cannot push.
//! Network operations (clone, fetch, push, ls-remote) therefore run the `git` binary, which also
//! honours the user's ssh configuration and credential helpers. Doing all network work with one
//! tool means one way credentials are handled: they are handed to the child process through
//! its environment (a credential helper that reads an environment variable, or
//! `GIT_SSH_COMMAND` with a key file of mode 0600 that is removed afterwards), never through
//! argv, a URL or `.git/config`, and they are scrubbed from every message `git` prints.
//!
//! Rules this module keeps:
//! - a change set is exactly one commit (or none when nothing changes);
//! - references move by compare-and-swap only; a push never forces, it uses
//!   `--force-with-lease` on the tip the change set was planned on, and only for a commit that
//!   descends from that tip;
//! - a commit that could not be pushed is kept under `refs/hedgehog/unpushed/<branch>`.

mod cli;
mod credentials;
mod error;
mod read;
mod remote;
mod write;

pub use cli::NETWORK_TIMEOUT;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use credentials::Credentials;
pub use error::GitError;
use error::GixContext;
pub use read::{FileVersion, ReadLimits, ReadScope, SkippedFile, Tree};
pub use remote::{
    PublishError, PublishRequest, Published, PushOutcome, RemoteStatus, default_branch, test_remote,
};
pub use write::{FileChange, Signature};

/// The exclusive right to change a clone ([`Repo::lock`]); released when dropped (or when the
/// process dies: the kernel drops `flock` locks with the file).
#[derive(Debug)]
pub struct CacheLock {
    _file: std::fs::File,
}

/// The id of a commit (a full SHA-1).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitId(gix::ObjectId);

impl CommitId {
    /// The id as 40 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        self.0.to_hex().to_string()
    }
}

impl fmt::Display for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.to_hex())
    }
}

impl fmt::Debug for CommitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommitId({})", self.0.to_hex())
    }
}

impl FromStr for CommitId {
    type Err = GitError;

    /// Parses a full hex commit id.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        gix::ObjectId::from_hex(s.as_bytes())
            .map(CommitId)
            .map_err(|_| GitError::InvalidInput {
                what: "commit id",
                value: s.chars().take(80).collect(),
                reason: "expected 40 hex digits",
            })
    }
}

/// The local and remote-tracking tips of one branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BranchHeads {
    /// `refs/heads/<branch>`: where local commits go.
    pub local: Option<CommitId>,
    /// `refs/remotes/origin/<branch>`: the remote's tip as of the last fetch.
    pub remote: Option<CommitId>,
}

/// A bare repository, usually a cache clone of one remote.
pub struct Repo {
    repo: gix::Repository,
    path: PathBuf,
    /// Limit on each network operation of this handle.
    network_timeout: std::time::Duration,
}

impl fmt::Debug for Repo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Repo").field("path", &self.path).finish()
    }
}

/// The remote every cache clone talks to.
const REMOTE: &str = "origin";
/// Where fetched branches land; also the refspec `fetch` uses.
const FETCH_REFSPEC: &str = "+refs/heads/*:refs/remotes/origin/*";

impl Repo {
    /// Opens an existing repository (bare or not) at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, GitError> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(GitError::NotFound {
                what: "repository",
                name: path.display().to_string(),
                repo: path.to_path_buf(),
            });
        }
        let repo = gix::open(path).ctx(|| "open the repository".to_owned(), path)?;
        Ok(Self {
            repo,
            path: path.to_path_buf(),
            network_timeout: cli::NETWORK_TIMEOUT,
        })
    }

    /// The repository's directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sets how long each fetch or push of this handle may take ([`NETWORK_TIMEOUT`] unless
    /// set) before `git` is stopped with [`GitError::Timeout`].
    pub fn set_network_timeout(&mut self, timeout: std::time::Duration) {
        self.network_timeout = timeout;
    }

    /// Waits for, and holds until dropped, the exclusive right to change this clone (fetch,
    /// commit, push). Two fabrics on one remote share a cache clone, and a daemon and a
    /// command line may share a cache directory: an advisory file lock (`hedgehog.lock` in the
    /// git directory, `flock`) keeps their fetches and pushes from interleaving, within and
    /// across processes. Reading trees and history needs no lock. Blocks the thread.
    pub fn lock(&self) -> Result<CacheLock, GitError> {
        let path = self.repo.git_dir().join("hedgehog.lock");
        let io = |op: &'static str| {
            let path = path.clone();
            move |source| GitError::Io { op, path, source }
        };
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io("open the lock file"))?;
        file.lock().map_err(io("lock"))?;
        Ok(CacheLock { _file: file })
    }

    /// The local and remote-tracking tips of `branch` (no network access).
    pub fn head(&self, branch: &str) -> Result<BranchHeads, GitError> {
        Ok(BranchHeads {
            local: self.ref_target(&local_ref(branch)?)?,
            remote: self.ref_target(&remote_ref(branch)?)?,
        })
    }

    /// The commit a full reference name points to, if the reference exists.
    fn ref_target(&self, name: &str) -> Result<Option<CommitId>, GitError> {
        let reference = self
            .repo
            .try_find_reference(name)
            .ctx(|| format!("look up `{name}`"), &self.path)?;
        match reference {
            None => Ok(None),
            Some(mut r) => {
                let id = r
                    .peel_to_id()
                    .ctx(|| format!("resolve `{name}`"), &self.path)?;
                Ok(Some(CommitId(id.detach())))
            }
        }
    }

    /// Resolves a revision (branch, `origin/<branch>`, full ref name or commit id) to a commit.
    fn resolve(&self, rev: &str) -> Result<CommitId, GitError> {
        let not_found = || GitError::NotFound {
            what: "revision",
            name: rev.to_owned(),
            repo: self.path.clone(),
        };
        let id = self.repo.rev_parse_single(rev).map_err(|_| not_found())?;
        let commit = id
            .object()
            .ctx(|| format!("read `{rev}`"), &self.path)?
            .peel_to_commit()
            .map_err(|_| not_found())?;
        Ok(CommitId(commit.id))
    }
}

/// `refs/heads/<branch>`, after checking that `branch` is a valid branch name.
fn local_ref(branch: &str) -> Result<String, GitError> {
    checked_ref("refs/heads/", branch)
}

/// `refs/remotes/origin/<branch>`, after checking that `branch` is a valid branch name.
fn remote_ref(branch: &str) -> Result<String, GitError> {
    checked_ref("refs/remotes/origin/", branch)
}

/// `refs/hedgehog/unpushed/<branch>`: where a commit the remote refused is kept.
fn unpushed_ref(branch: &str) -> Result<String, GitError> {
    checked_ref("refs/hedgehog/unpushed/", branch)
}

/// `refs/hedgehog/desired/<branch>`: keeps the commit a desired state last agreed with when
/// it exists only in the cache clone (see [`crate::engine::Engine::agree`]).
pub(crate) fn desired_ref(branch: &str) -> Result<String, GitError> {
    checked_ref("refs/hedgehog/desired/", branch)
}

fn checked_ref(prefix: &str, branch: &str) -> Result<String, GitError> {
    let name = format!("{prefix}{branch}");
    let invalid = |reason| GitError::InvalidInput {
        what: "branch name",
        value: branch.to_owned(),
        reason,
    };
    if branch.is_empty() || branch.starts_with('-') || branch.starts_with("refs/") {
        return Err(invalid("must be a plain branch name such as `main`"));
    }
    gix::refs::FullName::try_from(name.as_str())
        .map_err(|_| invalid("not a valid Git reference name"))?;
    Ok(name)
}
