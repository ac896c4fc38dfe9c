//! How many fabrics one `hedgehogd` replica can run (issue 15): its memory and CPU per
//! fabric, measured on a real `hedgehogd serve` process with `file://` remotes.
//!
//! * `many`: N small fabrics (hhfab's VLAB, 39 objects each; default 200), each in a remote
//!   of its own, policy `commit` from a desired state.
//! * `large`: one fabric of M objects (default 100 000, `hedgehogd sample --real`).
//!
//! For each: the resident memory of an idle daemon without fabrics (the base), then of the
//! daemon with the fabrics once every first pass is done (the first pass commits the desired
//! state); then one more pass of every fabric (in sync: the steady state), with the CPU time
//! it took (the daemon and its `git` children, from `/proc`).
//!
//! ```sh
//! cargo build --release -p hedgehogd -p hedgehog-benches --bin replica-capacity
//! target/release/replica-capacity [--fabrics 200] [--objects 100000]
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use hedgehog_benches::daemon::{Client, Daemon, bare_remote, beside_me};
use hedgehog_benches::real_fabric_yaml;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (fabrics, objects) = (arg("--fabrics", 200), arg("--objects", 100_000));
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
        let base = measure(tmp.path(), "base", 0, "").await?;
        println!("idle daemon without fabrics: RSS {:.1} MiB", base.rss_mib);
        let vlab = sample(&["sample"])?;
        let many = measure(tmp.path(), "many", fabrics, &vlab).await?;
        report(
            &format!("{fabrics} small fabrics (39 objects)"),
            &many,
            &base,
            fabrics,
        );
        let large = real_fabric_yaml(objects);
        let one = measure(tmp.path(), "large", 1, &large).await?;
        report(&format!("1 fabric of {objects} objects"), &one, &base, 1);
        Ok(())
    })
}

/// What one scenario measured.
struct Measured {
    /// Resident memory once every first pass is done.
    rss_mib: f64,
    /// Wall time until then.
    first_passes: Duration,
    /// CPU seconds (daemon and children) of the first passes.
    first_cpu: f64,
    /// Wall time of one more pass of every fabric.
    steady: Duration,
    /// CPU seconds of that round.
    steady_cpu: f64,
    /// The peak resident memory (after both).
    peak_mib: f64,
}

fn report(what: &str, m: &Measured, base: &Measured, fabrics: usize) {
    #[allow(clippy::cast_precision_loss)] // a few hundred fabrics
    let n = fabrics as f64;
    let per_fabric = (m.rss_mib - base.rss_mib) / n;
    println!(
        "{what}: RSS {:.1} MiB ({per_fabric:.2} MiB per fabric above the base), peak {:.1} MiB; \
         first passes {:.1} s wall, {:.1} s CPU ({:.3} s per fabric); steady pass of all {:.1} s \
         wall, {:.2} s CPU ({:.4} s CPU per fabric per pass)",
        m.rss_mib,
        m.peak_mib,
        m.first_passes.as_secs_f64(),
        m.first_cpu,
        m.first_cpu / n,
        m.steady.as_secs_f64(),
        m.steady_cpu,
        m.steady_cpu / n,
    );
    let cpu_per_pass = m.steady_cpu / n;
    if cpu_per_pass > 0.0 {
        println!(
            "  at the default interval (300 s) one core runs {:.0} such fabrics; 1 GiB holds {:.0}",
            300.0 / cpu_per_pass,
            (1024.0 - base.rss_mib) / per_fabric.max(0.01)
        );
    }
}

fn sample(args: &[&str]) -> Result<String, String> {
    let out = Command::new(hedgehogd()?)
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

/// Starts a daemon with `fabrics` fabrics whose desired state is `desired`, waits for their
/// first passes, then runs one more pass of each.
async fn measure(
    tmp: &Path,
    name: &str,
    fabrics: usize,
    desired: &str,
) -> Result<Measured, String> {
    let dir = tmp.join(name);
    let home = dir.join("home");
    std::fs::create_dir_all(dir.join("desired")).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("desired/fabric.yaml"), desired).map_err(|e| e.to_string())?;
    let seed = bare_remote(&home, &dir)?;
    let mut config = format!("data_dir = \"{}\"\n", dir.join("data").display());
    for i in 0..fabrics {
        let remote = dir.join(format!("f{i}.git"));
        copy(&seed, &remote)?;
        config.push_str(&format!(
            "[[fabrics]]\nname = \"f{i}\"\npolicy = \"commit\"\ninterval_secs = 3600\n\
             desired = \"{}\"\ngit = {{ url = \"file://{}\", base_dir = \"fabric\" }}\n",
            dir.join("desired").display(),
            remote.display()
        ));
    }
    let path = dir.join("hedgehogd.toml");
    std::fs::write(&path, config).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let daemon = Daemon::start(
        &hedgehogd()?,
        &["--config", path.to_str().ok_or("not UTF-8")?],
        &[
            ("HOME", home.to_str().ok_or("not UTF-8")?),
            ("GIT_CONFIG_NOSYSTEM", "1"),
        ],
    )?;
    let mut client = daemon.client().await?;
    wait_ready(&mut client).await?;
    let first_passes = started.elapsed();
    let first_cpu = daemon.cpu_time()?.as_secs_f64();
    let rss_mib = memory_mib(daemon.pid(), "VmRSS:")?;
    let round = Instant::now();
    for i in 0..fabrics {
        let r = client
            .post(&format!("/v1/fabrics/f{i}/sync"), None, "")
            .await?;
        if r.status != 202 {
            return Err(format!("sync f{i}: {} {}", r.status, r.text()));
        }
    }
    wait_idle(&mut client).await?;
    let steady = round.elapsed();
    let steady_cpu = daemon.cpu_time()?.as_secs_f64() - first_cpu;
    let peak_mib = memory_mib(daemon.pid(), "VmHWM:")?;
    drop(client);
    daemon.stop();
    Ok(Measured {
        rss_mib,
        first_passes,
        first_cpu,
        steady,
        steady_cpu,
        peak_mib,
    })
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    let status = Command::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .map_err(|e| e.to_string())?;
    status.success().then_some(()).ok_or("cp failed".into())
}

async fn wait_ready(client: &mut Client) -> Result<(), String> {
    loop {
        let r = client.get("/readyz", None).await?;
        if r.status == 200 {
            return Ok(());
        }
        if r.json()["status"] == "failed" {
            return Err(r.text());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Waits until no fabric has a running pass (and each has one finished).
async fn wait_idle(client: &mut Client) -> Result<(), String> {
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let list = client.get("/v1/fabrics", None).await?.json();
        let busy = list
            .as_array()
            .ok_or("no fabric list")?
            .iter()
            .any(|f| !f["running_operation"].is_null());
        if !busy {
            return Ok(());
        }
    }
}

/// A memory figure of a process (`VmRSS:` now, `VmHWM:` its peak) in MiB.
fn memory_mib(pid: u32, field: &str) -> Result<f64, String> {
    let status =
        std::fs::read_to_string(format!("/proc/{pid}/status")).map_err(|e| e.to_string())?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| format!("no {field}"))?;
    Ok(kib / 1024.0)
}

fn hedgehogd() -> Result<PathBuf, String> {
    beside_me("hedgehogd")
}
