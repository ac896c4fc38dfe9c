//! `hedgehogd drift`: one detect-only sync pass, printed as a drift report.
//!
//! Exit codes: 0 in sync; 3 drift found; 4 some kinds could not be read from the cluster
//! (their objects are `unknown`; takes precedence over 3, because the report is partial);
//! 2 usage, I/O, Git or cluster-connection problems.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hedgehog_sync::drift::{DriftReport, ObjectDrift, State, Status};
use hedgehog_sync::fabric::{Fabric, FabricSettings, GitSource, PassRequest, Policy};
use hedgehog_sync::git::{Credentials, Signature, default_branch};
use hedgehog_sync::kube::{ClusterConfig, ExecPlugins};
use hedgehog_sync::secret::{Zeroizing, redact_url, secret_from, url_has_password};
use hedgehog_sync::snapshot::{MISPLACED, SnapshotProblem};

use super::{Format, input};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The GitOps repository: a URL or local path, optionally `@REF` (a branch; default: the
    /// remote's default branch) and `:DIR` (the base directory holding `managed/`).
    #[arg(long, value_name = "REPO[@REF][:DIR]")]
    git: String,
    /// The desired state (files or a directory of YAML/JSON); without it Git is the desired
    /// state.
    #[arg(long, value_name = "PATH")]
    desired: Option<PathBuf>,
    /// Kubeconfig files for the fabric's cluster, merged as kubectl merges a `KUBECONFIG`
    /// list (`a.yaml:b.yaml`, or the flag repeated); like kubectl, a user's `exec` credential
    /// plugin runs. Without it, drift compares the desired state and Git only; the
    /// environment's `KUBECONFIG` is never read.
    #[arg(long, value_name = "FILE[:FILE…]", action = clap::ArgAction::Append)]
    cluster_config: Vec<std::ffi::OsString>,
    /// The kubeconfig context (default: its current context).
    #[arg(long, value_name = "NAME", requires = "cluster_config")]
    context: Option<String>,
    /// Ask the API server (a dry-run apply of Git's version) before calling an object
    /// drifted, so fields that webhooks or controllers add are not drift.
    #[arg(long, requires = "cluster_config")]
    server_dry_run: bool,
    /// Name of an environment variable holding an HTTPS token for the Git remote.
    #[arg(long, value_name = "VAR")]
    git_token_env: Option<String>,
    /// An SSH private key file for the Git remote.
    #[arg(long, value_name = "FILE", conflicts_with = "git_token_env")]
    git_ssh_key: Option<PathBuf>,
    /// Where to keep the clone of the repository (default: a temporary directory).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Plan the desired state as allowed to delete whole kinds and more than 10 % of the
    /// managed objects (without it such a plan is reported as one a commit would refuse).
    #[arg(long, requires = "desired")]
    allow_deletions: bool,
    /// List each managed file that is not where the layout puts it (by default one line
    /// says how many there are).
    #[arg(long)]
    list_misplaced: bool,
    /// Fabric configuration (YAML or JSON) the desired state's plan is checked against.
    #[arg(long, value_name = "FILE")]
    fabric_config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// A parsed `REPO[@REF][:DIR]`.
#[derive(Debug, PartialEq, Eq)]
struct GitSpec {
    url: String,
    branch: Option<String>,
    dir: String,
}

impl GitSpec {
    /// Splits `@REF` and `:DIR` off the repository's path part, so that `https://host:443/…`,
    /// `ssh://git@host/…` and `git@host:org/repo` keep their own `@` and `:`. A local path
    /// that exists is taken whole.
    fn parse(spec: &str) -> anyhow::Result<GitSpec> {
        if spec.is_empty() {
            bail!("--git needs a repository");
        }
        if url_has_password(spec) {
            bail!(
                "--git {}: the URL contains a password; remove it and give the password or \
                 token with --git-token-env",
                redact_url(spec)
            );
        }
        let path_start = if let Some(i) = spec.find("://") {
            spec[i + 3..].find('/').map_or(spec.len(), |j| i + 3 + j)
        } else {
            match (spec.find(':'), spec.find('/')) {
                // scp-like `user@host:path`: the path starts after the first colon.
                (Some(c), slash) if slash.is_none_or(|s| c < s) && !Path::new(spec).exists() => {
                    c + 1
                }
                _ => 0,
            }
        };
        let (head, path) = spec.split_at(path_start);
        let (repo_path, rest) = match path.find(['@', ':']) {
            Some(i) if !Path::new(spec).exists() => (&path[..i], &path[i..]),
            _ => (path, ""),
        };
        let (branch, dir) = match rest.strip_prefix('@') {
            Some(r) => match r.split_once(':') {
                Some((b, d)) => (Some(b), d),
                None => (Some(r), ""),
            },
            None => (None, rest.strip_prefix(':').unwrap_or("")),
        };
        if branch == Some("") {
            bail!("--git {}: empty branch after `@`", redact_url(spec));
        }
        let repo = format!("{head}{repo_path}");
        let url = if head.is_empty() {
            let path = std::path::absolute(&repo)
                .with_context(|| format!("--git {spec}: cannot resolve {repo}"))?;
            format!("file://{}", path.display())
        } else {
            repo
        };
        Ok(GitSpec {
            url,
            branch: branch.map(str::to_owned),
            dir: dir.trim_matches('/').to_owned(),
        })
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let spec = GitSpec::parse(&args.git)?;
    let credentials = credentials(&args)?;
    let config = input::fabric_config(args.fabric_config.as_deref())?;
    let desired = match &args.desired {
        Some(path) => Some(crate::desired::load(path).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let kubeconfigs: Vec<PathBuf> = args
        .cluster_config
        .iter()
        .flat_map(std::env::split_paths)
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    let cluster = if kubeconfigs.is_empty() {
        None
    } else {
        Some(ClusterConfig::from_kubeconfig_files(
            &kubeconfigs,
            args.context.as_deref(),
            ExecPlugins::Allow,
        )?)
    };
    let branch = match spec.branch {
        Some(b) => b,
        None => default_branch(&spec.url, &credentials)?
            .context("the Git remote names no default branch; give one with @REF")?,
    };
    let temp;
    let cache_dir = match &args.cache_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::tempdir().context("cannot create a temporary directory")?;
            temp.path().to_path_buf()
        }
    };
    let settings = FabricSettings {
        name: "cli".into(),
        git: GitSource {
            url: spec.url,
            branch,
            base_dir: spec.dir,
            credentials,
        },
        cluster,
        cache_dir,
        config,
        server_dry_run: args.server_dry_run,
        max_delete_percent: hedgehog_sync::guard::DEFAULT_MAX_PERCENT,
    };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let (fabric, report) = runtime.block_on(async {
        let fabric = Fabric::new(settings).await?;
        let request = PassRequest {
            policy: Policy::Detect,
            desired,
            base: None,
            // A detect-only pass commits nothing; the signature is never used.
            author: Signature::new("hedgehogd", "hedgehogd@localhost"),
            message: String::new(),
            force: false,
            allow_deletions: args.allow_deletions,
            adopt_layout: false,
        };
        let progress = std::io::stdout().is_terminal().then(Progress::start);
        let report = fabric.pass(request).await;
        if let Some(p) = progress {
            p.stop();
        }
        anyhow::Ok((fabric, report?))
    })?;
    // The process ends after the report: freeing the fabric's snapshots (every object twice)
    // object by object would only delay the exit (about 0.1 s for 20 000 objects). It holds
    // no file, thread or temporary directory that needs its drop.
    std::mem::forget(fabric);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            serde_json::to_writer(&mut out, &report.drift)?;
            writeln!(out)?;
        }
        Format::Text => print_text(&mut out, &report.drift)?,
    }
    if let Some(refusal) = report
        .plan
        .as_ref()
        .and_then(|p| p.deletions.refusal.as_ref())
    {
        eprintln!(
            "hedgehogd: warning: a commit of this desired state would be refused: {refusal} ({})",
            refusal.code
        );
    }
    report_problems(&report.problems, args.list_misplaced);
    Ok(exit_code(&report.drift))
}

/// Prints the problems of the branch's managed files on standard error: each one, except
/// misplaced files (objects read from another file than the layout's), which are one line
/// unless `list_misplaced`.
fn report_problems(problems: &[SnapshotProblem], list_misplaced: bool) {
    let (misplaced, others): (Vec<_>, Vec<_>) = problems.iter().partition(|p| p.code == MISPLACED);
    for problem in others
        .iter()
        .chain(misplaced.iter().filter(|_| list_misplaced))
    {
        eprintln!("hedgehogd: warning: {}: {}", problem.path, problem.message);
    }
    if !misplaced.is_empty() && !list_misplaced {
        eprintln!(
            "hedgehogd: note: {} managed files are not where the layout puts them (they are read \
             all the same; --list-misplaced lists them, a commit pass with adopt_layout moves \
             them in a commit of its own)",
            misplaced.len()
        );
    }
}

/// See the module docs.
fn exit_code(report: &DriftReport) -> ExitCode {
    if !report.summary.unread_kinds.is_empty() {
        ExitCode::from(4)
    } else if report.summary.status == Status::InSync {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}

fn credentials(args: &Args) -> anyhow::Result<Credentials> {
    if let Some(var) = &args.git_token_env {
        let token = std::env::var(var)
            .map(Zeroizing::new)
            .with_context(|| format!("--git-token-env: environment variable {var} is not set"))?;
        return Ok(Credentials::Token {
            username: None,
            token: secret_from(token),
        });
    }
    if let Some(path) = &args.git_ssh_key {
        let key = std::fs::read_to_string(path)
            .map(Zeroizing::new)
            .with_context(|| format!("cannot read the SSH key {}", path.display()))?;
        return Ok(Credentials::SshKey {
            private_key: secret_from(key),
            known_hosts: None,
        });
    }
    Ok(Credentials::None)
}

fn print_text(out: &mut impl Write, report: &DriftReport) -> std::io::Result<()> {
    let counts: Vec<String> = State::ALL
        .iter()
        .filter(|s| report.summary.counts.get(**s) > 0)
        .map(|s| format!("{} {}", report.summary.counts.get(*s), s.as_str()))
        .collect();
    writeln!(
        out,
        "{}: {}",
        report.summary.status.as_str(),
        if counts.is_empty() {
            "no objects".to_owned()
        } else {
            counts.join(", ")
        }
    )?;
    for unread in &report.summary.unread_kinds {
        writeln!(out, "unread             {}: {}", unread.kind, unread.reason)?;
    }
    for object in &report.objects {
        print_object(out, object)?;
    }
    Ok(())
}

fn print_object(out: &mut impl Write, object: &ObjectDrift) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<18} {} {}/{}",
        object.state.as_str(),
        object.kind,
        object.namespace,
        object.name
    )?;
    let show = |v: &Option<serde_json::Value>| v.as_ref().map_or("-".to_owned(), |v| v.to_string());
    for field in &object.changes {
        let c = &field.change;
        write!(
            out,
            "    {}: {} -> {}",
            c.path,
            show(&c.before),
            show(&c.after)
        )?;
        match &field.set_by {
            Some(commit) => writeln!(out, " (Git value from {})", &commit[..commit.len().min(12)])?,
            None => writeln!(out)?,
        }
    }
    for conflict in &object.conflicts {
        writeln!(
            out,
            "    conflict at {}: desired {} / cluster {}",
            conflict.path,
            show(&conflict.ours),
            show(&conflict.theirs)
        )?;
    }
    Ok(())
}

/// An elapsed-time indicator on standard error while a pass runs (terminals only).
struct Progress {
    stop: tokio::sync::oneshot::Sender<()>,
}

impl Progress {
    fn start() -> Progress {
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let started = Instant::now();
            let mut tick = tokio::time::interval(Duration::from_millis(200));
            loop {
                tokio::select! {
                    _ = &mut stopped => break,
                    _ = tick.tick() => {
                        eprint!("\rsync pass: {:.1} s", started.elapsed().as_secs_f64());
                    }
                }
            }
            eprint!("\r\x1b[K");
        });
        Progress { stop }
    }

    fn stop(self) {
        let _ = self.stop.send(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (String, Option<String>, String) {
        let g = GitSpec::parse(s).unwrap();
        (g.url, g.branch, g.dir)
    }

    #[test]
    fn git_specs_keep_the_urls_own_separators() {
        assert_eq!(
            parse("https://git.example.com:8443/org/fabric.git@prod:clusters/lab"),
            (
                "https://git.example.com:8443/org/fabric.git".into(),
                Some("prod".into()),
                "clusters/lab".into()
            )
        );
        assert_eq!(
            parse("ssh://git@host/org/repo:fabric"),
            ("ssh://git@host/org/repo".into(), None, "fabric".into())
        );
        assert_eq!(
            parse("git@github.com:org/repo.git@main"),
            (
                "git@github.com:org/repo.git".into(),
                Some("main".into()),
                "".into()
            )
        );
        let (url, branch, dir) = parse("/srv/git/fabric.git@main:base/");
        assert_eq!(url, "file:///srv/git/fabric.git");
        assert_eq!((branch.as_deref(), dir.as_str()), (Some("main"), "base"));
        assert!(GitSpec::parse("/srv/repo@:x").is_err());
        assert!(GitSpec::parse("").is_err());
    }
}
