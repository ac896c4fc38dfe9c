//! The loopback fake Kubernetes API server for tests: kmock 0.8 plus the apiserver
//! bookkeeping in `hedgehog-sync/tests/support/fake_apiserver.py` (which says what it
//! emulates). Used by hedgehog-sync's and hedgehogd's integration tests.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The fake API server process, killed on drop.
pub struct FakeApiServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

/// The bearer token the fake accepts (it accepts any; tests use this one).
pub const TOKEN: &str = "fake-apiserver-token-123";

impl FakeApiServer {
    /// Starts the server with extra arguments (`--omit PLURAL`, `--deny VERB`,
    /// `--namespace NS`). kmock lives in a virtualenv next to `target_tmpdir` (a test's
    /// `CARGO_TARGET_TMPDIR`), created with `pip` on first use.
    pub fn start(target_tmpdir: &Path, args: &[&str]) -> Result<FakeApiServer, String> {
        let python = kmock_python(target_tmpdir)?;
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../hedgehog-sync/tests/support/fake_apiserver.py");
        let mut child = Command::new(python)
            .arg(script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the fake API server: {e}"))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("READY ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => Ok(FakeApiServer { child, url }),
            Err(_) => {
                let _ = child.kill();
                Err("the fake API server printed no READY line within 60 s".into())
            }
        }
    }
}

impl FakeApiServer {
    /// Injects a fault: every request for `plural` answers `code` (403, 500, …) and its open
    /// watches end with a watch error; `code` 0 clears it. A real API server shows such
    /// faults only with broken RBAC or an overloaded etcd, hence the fake.
    pub fn fail(&self, plural: &str, code: u16) -> Result<(), String> {
        use std::io::{Read, Write};
        let addr = self.url.trim_start_matches("http://");
        let mut stream =
            std::net::TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let request = format!(
            "POST /fault/{plural}/{code} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut answer = String::new();
        stream
            .read_to_string(&mut answer)
            .map_err(|e| e.to_string())?;
        if answer.starts_with("HTTP/1.1 200") {
            Ok(())
        } else {
            Err(format!("the fault was not set: {answer}"))
        }
    }
}

impl Drop for FakeApiServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `<target>/kmock-venv/bin/python`, creating the virtualenv on first use; an exclusive lock
/// on a file next to it serialises concurrent test processes.
fn kmock_python(target_tmpdir: &Path) -> Result<PathBuf, String> {
    let target = target_tmpdir.parent().ok_or("no target directory")?;
    let venv = target.join("kmock-venv");
    let python = venv.join("bin/python");
    let lock = std::fs::File::create(target.join("kmock-venv.lock")).map_err(|e| e.to_string())?;
    lock.lock().map_err(|e| e.to_string())?;
    let ready = venv.join(".kmock-installed");
    if !ready.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        run(Command::new(&python).args(["-m", "pip", "install", "--quiet", "kmock==0.8.*"]))?;
        std::fs::write(&ready, b"kmock 0.8\n").map_err(|e| e.to_string())?;
    }
    Ok(python)
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed: {status}"))
    }
}
