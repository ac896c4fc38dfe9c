//! HTTP load test of `hedgehogd serve` on 127.0.0.1: requests per second and latency
//! percentiles of `POST /v1/validate` with a small body (`small`) and with hhfab's default
//! VLAB (`vlab`, `hedgehogd sample`), and `GET /v1/fabrics/{name}/drift` on a generated
//! 20 000-object fabric (`drift`). Bounded: each scenario stops after `--seconds` (default
//! 10) or `--requests` (default 20 000), whichever comes first. A request not answered within
//! `--timeout-ms` (default 1000) counts as a timeout (its connection is replaced); `503 Server
//! Busy` answers are counted apart.
//!
//! ```sh
//! cargo build --release -p hedgehogd -p hedgehog-benches
//! target/release/http-load [--seconds 10] [--requests 20000] [--connections 4] [--objects 20000] \
//!     [--timeout-ms 1000] [--scenarios small,vlab,drift]
//! ```
//!
//! The daemon is the `hedgehogd` next to this program (same build profile), started on a free
//! loopback port with a fabric whose Git repository (a local bare repository) holds the
//! generated fabric and whose desired state differs in a few hundred objects, so the drift
//! report is not empty.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Client, Daemon};
use hedgehog_benches::{ScaleParams, fabric_yaml, vlab_yaml};

struct Options {
    seconds: u64,
    requests: usize,
    connections: usize,
    objects: usize,
    timeout: Duration,
    scenarios: Vec<String>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        seconds: 10,
        requests: 20_000,
        connections: 4,
        objects: 20_000,
        timeout: Duration::from_secs(1),
        scenarios: vec!["small".into(), "vlab".into(), "drift".into()],
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).ok_or("every option needs a value")?;
        if pair[0] == "--scenarios" {
            o.scenarios = value.split(',').map(str::to_owned).collect();
            continue;
        }
        let n: u64 = value
            .parse()
            .map_err(|_| format!("{value} is not a number"))?;
        let as_usize = usize::try_from(n).map_err(|e| e.to_string())?;
        match pair[0].as_str() {
            "--seconds" => o.seconds = n,
            "--requests" => o.requests = as_usize,
            "--connections" => o.connections = as_usize.max(1),
            "--objects" => o.objects = as_usize,
            "--timeout-ms" => o.timeout = Duration::from_millis(n),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn git(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=load", "-c", "user.email=load@localhost"])
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// A bare repository whose `main` holds the fabric below `fabric/` (as `raw/` is not read, the
/// fabric is written through hedgehogd's own layout by a first `commit` pass), plus the
/// config file.
fn setup(dir: &Path, objects: usize) -> Result<PathBuf, String> {
    let bare = dir.join("fabric.git");
    let work = dir.join("work");
    git(
        dir,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            &bare.display().to_string(),
        ],
    )?;
    git(
        dir,
        &["init", "-q", "-b", "main", &work.display().to_string()],
    )?;
    std::fs::write(work.join("README.md"), "load test\n").map_err(|e| e.to_string())?;
    git(&work, &["add", "."])?;
    git(&work, &["commit", "-q", "-m", "init"])?;
    git(&work, &["push", "-q", &bare.display().to_string(), "main"])?;
    let desired = dir.join("desired");
    std::fs::create_dir_all(&desired).map_err(|e| e.to_string())?;
    let yaml = fabric_yaml(ScaleParams::about(objects));
    std::fs::write(desired.join("fabric.yaml"), &yaml).map_err(|e| e.to_string())?;
    let config = dir.join("hedgehogd.toml");
    let write = |policy: &str| {
        std::fs::write(
            &config,
            format!(
                "data_dir = \"{}\"\n[[fabrics]]\nname = \"load\"\npolicy = \"{policy}\"\n\
                 interval_secs = 3600\ndesired = \"{}\"\ngit = {{ url = \"file://{}\", base_dir = \"fabric\" }}\n",
                dir.join("data").display(),
                desired.display(),
                bare.display()
            ),
        )
        .map_err(|e| e.to_string())
    };
    // Commit the fabric once, then serve it with a desired state in which every tenth server
    // has a new description, so the drift report lists a few hundred objects.
    write("commit")?;
    let binary = hedgehogd()?;
    let status = Command::new(&binary)
        .args(["serve", "--once", "--config", &config.display().to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !matches!(status.code(), Some(0 | 3)) {
        return Err(format!("the seeding pass failed: {status}"));
    }
    let mut n = 0;
    let edited: String = yaml
        .lines()
        .map(|line| {
            if line.starts_with("  description: server ") {
                n += 1;
                if n % 10 == 0 {
                    return format!("{line} (moved)");
                }
            }
            line.to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(desired.join("fabric.yaml"), edited + "\n").map_err(|e| e.to_string())?;
    write("detect")?;
    Ok(config)
}

fn hedgehogd() -> Result<PathBuf, String> {
    hedgehog_benches::daemon::beside_me("hedgehogd")
}

/// What one scenario measured.
#[derive(Default)]
struct Outcome {
    /// Latencies of the successful answers.
    latencies: Vec<Duration>,
    /// Requests not answered within the timeout.
    timeouts: usize,
    /// `503` answers (the daemon's queue was full).
    busy: usize,
    /// CPU time the daemon used during the scenario.
    daemon_cpu: Duration,
}

/// Runs `connections` clients for at most `seconds` / `requests`.
async fn scenario(
    daemon: &Daemon,
    options: &Options,
    post: Option<String>,
    path: &'static str,
) -> Result<(Outcome, Duration), String> {
    let deadline = Instant::now() + Duration::from_secs(options.seconds);
    let per_connection = options.requests / options.connections;
    let timeout = options.timeout;
    let cpu_before = daemon.cpu_time()?;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..options.connections {
        let mut client: Client = daemon.client().await?;
        let addr = daemon.addr;
        let body = post.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Outcome::default();
            while out.latencies.len() + out.timeouts + out.busy < per_connection
                && Instant::now() < deadline
            {
                let sent = Instant::now();
                let request = async {
                    match &body {
                        Some(body) => client.post(path, None, body.as_bytes()).await,
                        None => client.get(path, None).await,
                    }
                };
                let Ok(response) = tokio::time::timeout(timeout, request).await else {
                    out.timeouts += 1;
                    client = Client::connect(addr).await?;
                    continue;
                };
                let response = response?;
                if response.status == 503 {
                    out.busy += 1;
                } else if response.status.is_success() {
                    out.latencies.push(sent.elapsed());
                } else {
                    return Err(format!("{path}: {} {}", response.status, response.text()));
                }
            }
            Ok::<_, String>(out)
        }));
    }
    let mut all = Outcome::default();
    for task in tasks {
        let out = task.await.map_err(|e| e.to_string())??;
        all.latencies.extend(out.latencies);
        all.timeouts += out.timeouts;
        all.busy += out.busy;
    }
    let elapsed = started.elapsed();
    all.daemon_cpu = daemon.cpu_time()?.saturating_sub(cpu_before);
    Ok((all, elapsed))
}

fn report(name: &str, mut outcome: Outcome, elapsed: Duration) {
    let latencies = &mut outcome.latencies;
    latencies.sort();
    let pct = |p: f64| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let i = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(i).copied().unwrap_or_default()
    };
    #[allow(clippy::cast_precision_loss)]
    let rps = latencies.len() as f64 / elapsed.as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let cpu_per_request = outcome.daemon_cpu.as_secs_f64() / latencies.len().max(1) as f64;
    println!(
        "{name}: {} answered in {:.1} s = {rps:.0} req/s; p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         {} timeouts, {} busy (503); daemon CPU {:.0} µs/request",
        latencies.len(),
        elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        pct(1.0).as_secs_f64() * 1e3,
        outcome.timeouts,
        outcome.busy,
        cpu_per_request * 1e6,
    );
}

const SMALL_BODY: &str = "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("http-load: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), String> {
    let options = options()?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = setup(dir.path(), options.objects)?;
    let daemon = Daemon::start(
        &hedgehogd()?,
        &["--config", &config.display().to_string()],
        &[],
    )?;
    let mut probe = daemon.client().await?;
    let ready = Instant::now() + Duration::from_secs(600);
    while probe.get("/readyz", None).await?.status != 200 {
        if Instant::now() > ready {
            return Err("the first pass did not finish within 10 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drift = probe.get("/v1/fabrics/load/drift", None).await?.json();
    println!(
        "fabric: {} objects, {} not in sync; {} connections, at most {} s or {} requests per scenario",
        drift["summary"]["counts"].as_object().map_or(0, |c| c
            .values()
            .filter_map(serde_json::Value::as_u64)
            .sum::<u64>()),
        drift["objects"].as_array().map_or(0, Vec::len),
        options.connections,
        options.seconds,
        options.requests
    );
    let wants = |name: &str| options.scenarios.iter().any(|s| s == name);
    if wants("small") {
        let (outcome, elapsed) = scenario(
            &daemon,
            &options,
            Some(SMALL_BODY.to_owned()),
            "/v1/validate",
        )
        .await?;
        report("POST /v1/validate (small body)", outcome, elapsed);
    }
    if wants("vlab") {
        let vlab = vlab_yaml();
        let (outcome, elapsed) = scenario(&daemon, &options, Some(vlab), "/v1/validate").await?;
        report("POST /v1/validate (hhfab's default VLAB)", outcome, elapsed);
    }
    if wants("drift") {
        let (outcome, elapsed) =
            scenario(&daemon, &options, None, "/v1/fabrics/load/drift").await?;
        report("GET /v1/fabrics/load/drift", outcome, elapsed);
    }
    Ok(())
}
