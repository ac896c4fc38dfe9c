//! Talking to the remote: clone, fetch, push, publish (plan → commit → push with retries) and
//! a connectivity check. All of it runs the `git` binary; see the module docs for why.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use crate::secret::{redact_url, url_has_password};

use super::cli;
use super::{
    CommitId, Credentials, FETCH_REFSPEC, FileChange, GitError, GixContext, REMOTE, ReadScope,
    Repo, Signature, Tree, local_ref, remote_ref, unpushed_ref,
};

/// How a push ended when `git push` itself worked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PushOutcome {
    /// The remote branch now points at `commit`.
    Pushed {
        /// The commit that was pushed.
        commit: CommitId,
    },
    /// The remote refused the update.
    Rejected {
        /// `git`'s reason, e.g. `stale info`, `fetch first`, `pre-receive hook declined`.
        reason: String,
        /// `true` when the remote branch moved (the lease did not hold): fetching and
        /// re-planning can help. `false` for hooks, protection rules and permissions.
        stale: bool,
    },
}

/// What to publish and where; see [`Repo::publish`].
#[derive(Clone, Debug)]
pub struct PublishRequest<'a> {
    /// The branch to publish to.
    pub branch: &'a str,
    /// The directory the plan works on (`""` for the root); the plan sees the files below it
    /// and its changes are relative to it.
    pub base_dir: &'a str,
    /// The commit message.
    pub message: &'a str,
    /// Author and committer.
    pub author: &'a Signature,
    /// How many times to fetch, plan, commit and push before giving up (at least 1 is used).
    pub max_attempts: u32,
    /// What of the base directory the plan reads.
    pub scope: ReadScope<'a>,
}

/// A successful [`Repo::publish`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// The change set landed as `commit` on the remote branch.
    Pushed {
        /// The new remote tip.
        commit: CommitId,
        /// How many attempts it took (1 when nobody pushed in between).
        attempts: u32,
    },
    /// The plan changed nothing on top of `tip`; no commit was made.
    NothingToDo {
        /// The remote tip the plan was computed on.
        tip: CommitId,
    },
}

/// Why [`Repo::publish`] failed: the backend, or the caller's plan.
#[derive(Debug, thiserror::Error)]
pub enum PublishError<E> {
    /// A Git failure, including [`GitError::Conflict`] when the attempts ran out.
    #[error(transparent)]
    Git(#[from] GitError),
    /// The plan function failed; nothing was committed for that attempt.
    #[error("planning the change set failed: {0}")]
    Plan(E),
}

/// What [`test_remote`] found out about a remote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RemoteStatus {
    /// `git ls-remote` succeeded with these credentials.
    pub reachable: bool,
    /// The branch the remote's `HEAD` points to, when it says.
    pub default_branch: Option<String>,
    /// The tip of the requested branch, when it exists.
    pub head: Option<CommitId>,
    /// Whether the remote accepted a push of these credentials in a dry run; `None` when that
    /// could not be determined. See [`test_remote`] for what this can and cannot tell.
    pub can_push: Option<bool>,
    /// The first error met, scrubbed of secrets.
    pub error: Option<String>,
}

impl Repo {
    /// Opens the cache clone of `url` under `cache_dir`, or makes it with a bare clone.
    ///
    /// The clone lives in `cache_dir/<sha256 of url>.git`, so the same URL always reuses the
    /// same clone. A fresh clone is fetched with `+refs/heads/*:refs/remotes/origin/*`, so `refs/remotes/origin/*`
    /// is populated; a reused clone is not fetched (call [`Repo::fetch`]). A URL with a password
    /// in it is refused: secrets must come through `creds` so they never land in
    /// `.git/config`.
    pub fn clone_or_open(
        url: &str,
        cache_dir: &Path,
        creds: &Credentials,
    ) -> Result<Self, GitError> {
        check_url(url)?;
        let target = cache_dir.join(cache_name(url));
        if target.exists() {
            let repo = Self::open(&target)?;
            let configured = repo
                .repo
                .config_snapshot()
                .string("remote.origin.url")
                .map(|u| u.to_string());
            if configured.as_deref() != Some(url) {
                return Err(GitError::InvalidInput {
                    what: "cache clone",
                    value: target.display().to_string(),
                    reason: "exists but its `origin` is a different URL",
                });
            }
            return Ok(repo);
        }
        std::fs::create_dir_all(cache_dir).map_err(|source| GitError::Io {
            op: "create the cache directory",
            path: cache_dir.to_path_buf(),
            source,
        })?;
        // Clone next to the target and rename, so a clone cut short never looks complete.
        let scratch = tempfile::Builder::new()
            .prefix(".clone-")
            .tempdir_in(cache_dir)
            .map_err(|source| GitError::Io {
                op: "create a scratch directory in",
                path: cache_dir.to_path_buf(),
                source,
            })?;
        let staging = scratch.path().join("repo.git");
        let staging_arg = path_arg(&staging)?;
        cli::run(
            scratch.path(),
            &["clone", "--bare", "--quiet", "--", url, staging_arg],
            creds,
            cli::NETWORK_TIMEOUT,
        )?
        .check("clone", url, cache_dir)?;
        cli::run(
            &staging,
            &["config", "remote.origin.fetch", FETCH_REFSPEC],
            &Credentials::None,
            cli::NETWORK_TIMEOUT,
        )?
        .check("configure the fetch refspec of", url, &staging)?;
        let repo = Self::open(&staging)?;
        repo.fetch(creds)?;
        match std::fs::rename(&staging, &target) {
            Ok(()) => Self::open(&target),
            // Somebody else finished the same clone first; theirs is as good as ours.
            Err(_) if target.exists() => Self::open(&target),
            Err(source) => Err(GitError::Io {
                op: "move the new clone into place at",
                path: target,
                source,
            }),
        }
    }

    /// Fetches every branch of `origin` into `refs/remotes/origin/*`, pruning branches the
    /// remote deleted. Local branches are not touched.
    pub fn fetch(&self, creds: &Credentials) -> Result<(), GitError> {
        let url = self.remote_url();
        cli::run(
            &self.path,
            &[
                "fetch",
                "--prune",
                "--quiet",
                "--no-tags",
                REMOTE,
                FETCH_REFSPEC,
            ],
            creds,
            self.network_timeout,
        )?
        .check("fetch from", &url, &self.path)?;
        Ok(())
    }

    /// Pushes the local `refs/heads/<branch>` to the remote branch of the same name, but only
    /// if the remote branch is still at `expected_remote_tip` (`None`: it must not exist yet).
    ///
    /// Runs `git push --porcelain --force-with-lease=refs/heads/<b>:<expected>`. The lease
    /// makes the push fail instead of overwriting someone else's work; the local commit must
    /// descend from `expected_remote_tip`, so the push is always a fast-forward and never
    /// forces.
    pub fn push(
        &self,
        branch: &str,
        expected_remote_tip: Option<CommitId>,
        creds: &Credentials,
    ) -> Result<PushOutcome, GitError> {
        let name = local_ref(branch)?;
        let local = self.ref_target(&name)?.ok_or_else(|| GitError::NotFound {
            what: "branch",
            name: name.clone(),
            repo: self.path.clone(),
        })?;
        if let Some(expected) = expected_remote_tip
            && !self.descends_from(local, expected)?
        {
            return Err(GitError::Conflict {
                reference: name,
                expected: Some(expected),
                actual: Some(local),
                local_commit: None,
                detail: "the local branch does not descend from the expected remote tip; \
                         pushing it would overwrite remote history"
                    .to_owned(),
            });
        }
        self.push_commit(branch, local, expected_remote_tip, creds)
    }

    /// Pushes `commit` to `refs/heads/<branch>` with a lease on `expected`; on success the
    /// remote-tracking ref is moved to `commit`.
    fn push_commit(
        &self,
        branch: &str,
        commit: CommitId,
        expected: Option<CommitId>,
        creds: &Credentials,
    ) -> Result<PushOutcome, GitError> {
        let target = local_ref(branch)?;
        let lease = format!(
            "--force-with-lease={target}:{}",
            expected.map(|c| c.to_hex()).unwrap_or_default()
        );
        let refspec = format!("{}:{target}", commit.to_hex());
        let url = self.remote_url();
        let run = cli::run(
            &self.path,
            &["push", "--porcelain", &lease, REMOTE, &refspec],
            creds,
            self.network_timeout,
        )?;
        match parse_porcelain(&run.stdout, &target) {
            Some(('!', summary)) => {
                let reason = summary
                    .trim_start_matches("[rejected]")
                    .trim_start_matches("[remote rejected]")
                    .trim()
                    .trim_start_matches('(')
                    .trim_end_matches(')')
                    .to_owned();
                let stale = !summary.contains("remote rejected")
                    && ["stale info", "fetch first", "non-fast-forward"]
                        .iter()
                        .any(|s| summary.contains(s));
                Ok(PushOutcome::Rejected { reason, stale })
            }
            Some(_) if run.success => {
                self.set_ref(&remote_ref(branch)?, commit, "push")?;
                Ok(PushOutcome::Pushed { commit })
            }
            _ => Err(run.into_error("push to", &url, &self.path)),
        }
    }

    /// Fetches, lets `plan` compute a change set on the remote tip's files below
    /// `request.base_dir`, commits it as one commit and pushes it with a lease on that tip.
    ///
    /// When the push is refused because the branch moved, it fetches again and re-plans on the
    /// new tip, up to `request.max_attempts` times; then it fails with [`GitError::Conflict`].
    /// A refusal for any other reason (hooks, protection) fails at once with
    /// [`GitError::Rejected`]. In both cases the last local commit is kept under
    /// `refs/hedgehog/unpushed/<branch>` and named in the error. On success the local branch
    /// and the remote-tracking ref point at the new commit; if the local branch held commits
    /// the remote never got, its old tip is kept under `refs/hedgehog/unpushed/<branch>`.
    pub fn publish<E>(
        &self,
        request: &PublishRequest<'_>,
        creds: &Credentials,
        mut plan: impl FnMut(&Tree) -> Result<Vec<FileChange>, E>,
    ) -> Result<Published, PublishError<E>> {
        let branch = request.branch;
        let remote_name = remote_ref(branch)?;
        let keep = unpushed_ref(branch)?;
        let mut last_rejection = None;
        for attempt in 1..=request.max_attempts.max(1) {
            self.fetch(creds)?;
            let tip = self
                .ref_target(&remote_name)?
                .ok_or_else(|| GitError::NotFound {
                    what: "remote branch",
                    name: branch.to_owned(),
                    repo: self.path.clone(),
                })?;
            let tree = self.read_tree_scoped(&tip.to_hex(), request.base_dir, &request.scope)?;
            let changes = plan(&tree).map_err(PublishError::Plan)?;
            let Some(commit) = self.write_commit(
                tip,
                request.base_dir,
                &changes,
                request.message,
                request.author,
            )?
            else {
                return Ok(Published::NothingToDo { tip });
            };
            self.set_ref(&keep, commit, request.message)?;
            match self.push_commit(branch, commit, Some(tip), creds)? {
                PushOutcome::Pushed { commit } => {
                    let local = local_ref(branch)?;
                    let previous = self.ref_target(&local)?;
                    self.set_ref(&local, commit, request.message)?;
                    // Local commits that never reached the remote stay reachable.
                    match previous {
                        Some(old) if !self.descends_from(commit, old)? => {
                            self.set_ref(&keep, old, "local commits not in the published history")?;
                        }
                        _ => self.delete_ref(&keep)?,
                    }
                    return Ok(Published::Pushed {
                        commit,
                        attempts: attempt,
                    });
                }
                PushOutcome::Rejected {
                    reason,
                    stale: true,
                } => {
                    last_rejection = Some((tip, commit, reason));
                }
                PushOutcome::Rejected {
                    reason,
                    stale: false,
                } => {
                    return Err(GitError::Rejected {
                        branch: branch.to_owned(),
                        remote: redact_url(&self.remote_url()),
                        reason,
                        local_commit: commit,
                    }
                    .into());
                }
            }
        }
        let (expected, local_commit, reason) = last_rejection.ok_or_else(|| GitError::Git {
            op: format!("publish to `{branch}`"),
            repo: self.path.clone(),
            detail: "no attempt was made".to_owned(),
        })?;
        // Best effort: name the tip that beat us; the conflict stands either way.
        let actual = self
            .fetch(creds)
            .and_then(|()| self.ref_target(&remote_name))
            .unwrap_or(None);
        Err(GitError::Conflict {
            reference: local_ref(branch)?,
            expected: Some(expected),
            actual,
            local_commit: Some(local_commit),
            detail: format!(
                "the remote branch kept moving ({} attempts, last refusal: {reason})",
                request.max_attempts.max(1)
            ),
        }
        .into())
    }

    /// Whether `ancestor` is `commit` or one of its ancestors.
    fn descends_from(&self, commit: CommitId, ancestor: CommitId) -> Result<bool, GitError> {
        if commit == ancestor {
            return Ok(true);
        }
        let base = self.repo.merge_base(commit.0, ancestor.0).ctx(
            || format!("find the merge base of {commit} and {ancestor}"),
            &self.path,
        )?;
        Ok(base.map(|id| id.detach()) == Some(ancestor.0))
    }

    /// The URL of `origin`, for messages (redacted before use).
    fn remote_url(&self) -> String {
        self.repo
            .config_snapshot()
            .string("remote.origin.url")
            .map_or_else(|| REMOTE.to_owned(), |u| u.to_string())
    }
}

/// Checks whether `url` is reachable with `creds`, which branch its `HEAD` names, where
/// `branch` points, and whether a push would be accepted.
///
/// Reachability and heads come from `git ls-remote --symref`. `can_push` comes from
/// `git push --dry-run` of a throw-away commit to `refs/hedgehog/push-probe`, which never
/// touches a branch: it tells whether the server lets these credentials open a push session
/// (over HTTPS that is where GitHub and GitLab check write access). It cannot tell whether a
/// protected branch, a server-side hook or a file-system permission would refuse the real push
/// (a dry run sends no objects, and `file://` remotes are not checked for write permission),
/// so `Some(true)` means "authorised to push", not "the next push will land".
pub fn test_remote(url: &str, branch: &str, creds: &Credentials) -> RemoteStatus {
    let mut status = RemoteStatus::default();
    if let Err(e) = check_url(url).and_then(|()| local_ref(branch).map(drop)) {
        status.error = Some(e.to_string());
        return status;
    }
    let scratch = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            status.error = Some(format!("could not create a scratch directory: {e}"));
            return status;
        }
    };
    let branch_ref = format!("refs/heads/{branch}");
    match list_remote(scratch.path(), url, &branch_ref, creds) {
        Ok(listing) => {
            status.reachable = true;
            status.default_branch = listing.default_branch;
            status.head = listing.head;
        }
        Err(e) => {
            status.error = Some(e.to_string());
            return status;
        }
    }
    match probe_push(scratch.path(), url, creds) {
        Ok(()) => status.can_push = Some(true),
        Err(e @ GitError::Auth { .. }) => {
            status.can_push = Some(false);
            status.error = Some(e.to_string());
        }
        Err(e) => status.error = Some(e.to_string()),
    }
    status
}

/// The branch a remote's `HEAD` points to (`git ls-remote --symref`), when it says. Sends
/// nothing to the remote, unlike [`test_remote`].
pub fn default_branch(url: &str, creds: &Credentials) -> Result<Option<String>, GitError> {
    check_url(url)?;
    let scratch = tempfile::tempdir().map_err(|e| GitError::Io {
        op: "create a scratch directory",
        path: std::env::temp_dir(),
        source: e,
    })?;
    Ok(list_remote(scratch.path(), url, "HEAD", creds)?.default_branch)
}

/// What `git ls-remote --symref` says about `HEAD` and one reference.
struct RemoteListing {
    default_branch: Option<String>,
    head: Option<CommitId>,
}

fn list_remote(
    scratch: &Path,
    url: &str,
    reference: &str,
    creds: &Credentials,
) -> Result<RemoteListing, GitError> {
    let run = cli::run(
        scratch,
        &["ls-remote", "--symref", "--", url, "HEAD", reference],
        creds,
        cli::NETWORK_TIMEOUT,
    )?
    .check("list", url, scratch)?;
    let mut listing = RemoteListing {
        default_branch: None,
        head: None,
    };
    for line in run.stdout.lines() {
        if let Some(symref) = line.strip_prefix("ref: ") {
            if let Some((target, "HEAD")) = symref.split_once('\t') {
                listing.default_branch = target.strip_prefix("refs/heads/").map(str::to_owned);
            }
        } else if let Some((id, name)) = line.split_once('\t')
            && name == reference
        {
            listing.head = id.parse().ok();
        }
    }
    Ok(listing)
}

/// `git push --dry-run` of an empty commit from a scratch repository to a ref no branch
/// protection or workflow cares about.
fn probe_push(scratch: &Path, url: &str, creds: &Credentials) -> Result<(), GitError> {
    let dir = scratch.join("probe.git");
    let repo = gix::init_bare(&dir).ctx(|| "create a scratch repository".to_owned(), scratch)?;
    let tree = repo
        .write_object(gix::objs::Tree::empty())
        .ctx(|| "write an empty tree".to_owned(), &dir)?
        .detach();
    let probe = gix::actor::Signature {
        name: "hedgehog".into(),
        email: "hedgehog@localhost".into(),
        time: gix::date::Time::default(),
    };
    let commit = gix::objs::Commit {
        tree,
        parents: Default::default(),
        author: probe.clone(),
        committer: probe,
        encoding: None,
        message: "hedgehog push probe".into(),
        extra_headers: Vec::new(),
    };
    let id = repo
        .write_object(&commit)
        .ctx(|| "write the probe commit".to_owned(), &dir)?;
    let refspec = format!("{}:refs/hedgehog/push-probe", id.to_hex());
    cli::run(
        &dir,
        &["push", "--dry-run", "--porcelain", "--", url, &refspec],
        creds,
        cli::NETWORK_TIMEOUT,
    )?
    .check("push to", url, &dir)?;
    Ok(())
}

/// Finds `<flag>\t<src>:<dst>\t<summary>` for `dst` in `git push --porcelain` output.
fn parse_porcelain(stdout: &str, dst: &str) -> Option<(char, String)> {
    stdout.lines().find_map(|line| {
        let mut fields = line.splitn(3, '\t');
        let flag = fields.next()?.chars().next()?;
        let (_, to) = fields.next()?.rsplit_once(':')?;
        (to == dst).then(|| (flag, fields.next().unwrap_or_default().to_owned()))
    })
}

fn check_url(url: &str) -> Result<(), GitError> {
    let invalid = |reason| GitError::InvalidInput {
        what: "remote URL",
        value: redact_url(url),
        reason,
    };
    if url.trim().is_empty() || url.starts_with('-') {
        return Err(invalid("must be a URL or path and must not start with `-`"));
    }
    if url_has_password(url) {
        return Err(invalid(
            "contains a password; pass the password or token as Credentials so it is never stored or shown",
        ));
    }
    Ok(())
}

/// The cache directory name of `url`: a stable hash, so any URL maps to a safe file name.
fn cache_name(url: &str) -> PathBuf {
    let digest = Sha256::digest(url.as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    PathBuf::from(format!("{hex}.git"))
}

fn path_arg(path: &Path) -> Result<&str, GitError> {
    path.to_str().ok_or_else(|| GitError::InvalidPath {
        path: path.display().to_string(),
        reason: "is not UTF-8",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn porcelain_lines_are_found_by_destination() {
        let out = "To file:///r.git\n!\tabc:refs/heads/main\t[rejected] (stale info)\nDone\n";
        assert_eq!(
            parse_porcelain(out, "refs/heads/main"),
            Some(('!', "[rejected] (stale info)".to_owned()))
        );
        assert_eq!(parse_porcelain(out, "refs/heads/other"), None);
        let ok = "To x\n \tabc:refs/heads/main\t1111..2222\nDone\n";
        assert_eq!(
            parse_porcelain(ok, "refs/heads/main").map(|p| p.0),
            Some(' ')
        );
    }

    #[test]
    fn cache_names_are_stable_and_distinct() {
        assert_eq!(cache_name("file:///a"), cache_name("file:///a"));
        assert_ne!(cache_name("file:///a"), cache_name("file:///b"));
    }
}
