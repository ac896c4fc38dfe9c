//! A running `hedgehogd serve` process and a small HTTP/1.1 client for it, shared by the
//! daemon's integration tests and the HTTP load test (`benches/load/`).

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

/// A `hedgehogd serve` child process listening on a free loopback port; killed on drop.
pub struct Daemon {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    /// Lines it logged (standard error), collected in the background.
    pub log: mpsc::Receiver<String>,
    /// Lines logged before it listened (read while waiting for the address).
    early: Vec<String>,
}

impl Daemon {
    /// Starts `binary serve --listen 127.0.0.1:0 ARGS…` with `env` (`RUST_LOG=info` unless
    /// `env` sets it), and waits (up to 60 s) for its "listening" log line.
    pub fn start(binary: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<Daemon, String> {
        let mut command = Command::new(binary);
        command.env("RUST_LOG", "info");
        let mut child = command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let stderr = child.stderr.take().ok_or("no stderr")?;
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut seen = Vec::new();
        loop {
            match log.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    let addr = listening_addr(&line);
                    seen.push(line);
                    if let Some(addr) = addr {
                        return Ok(Daemon {
                            child,
                            addr,
                            log,
                            early: seen,
                        });
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    return Err(format!("hedgehogd did not start:\n{}", seen.join("\n")));
                }
            }
        }
    }

    /// Sends SIGINT-like termination and waits for the exit status (graceful shutdown).
    pub fn stop(mut self) -> Option<i32> {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
        }
        let status = self.child.wait().ok()?;
        status.code()
    }

    /// Stops it as [`Daemon::stop`] does and returns every line it logged.
    pub fn stop_and_collect(mut self) -> Vec<String> {
        #[cfg(unix)]
        {
            let _ = Command::new("kill")
                .args(["-INT", &self.child.id().to_string()])
                .status();
        }
        let _ = self.child.wait();
        let mut lines = std::mem::take(&mut self.early);
        // The reader thread ends at the end of the child's standard error.
        lines.extend(self.log.iter());
        lines
    }

    /// Its process id (for signals: `kill -9`, `SIGSTOP`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` (`"KILL"`, `"STOP"`, `"CONT"`, …) with `kill`.
    pub fn signal(&self, signal: &str) -> Result<(), String> {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("kill -{signal} failed: {status}"))
        }
    }

    /// CPU time it has used so far: user and system, all threads, plus the children it has
    /// waited for (`git`), from `/proc/PID/stat` (Linux). The load generators share the
    /// machine, so throughput alone depends on how busy it is; CPU time per request does not.
    pub fn cpu_time(&self) -> Result<Duration, String> {
        let pid = self.child.id();
        let stat =
            std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| e.to_string())?;
        // The fields after the command name (in parentheses, and it may hold spaces): utime,
        // stime, cutime and cstime are the 12th to 15th, in clock ticks (`USER_HZ`, 100).
        let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let ticks: Option<u64> = after
            .split_whitespace()
            .skip(11)
            .take(4)
            .map(|f| f.parse::<u64>().ok())
            .sum();
        let ticks = ticks.ok_or_else(|| format!("cannot read /proc/{pid}/stat"))?;
        Ok(Duration::from_millis(ticks * 10))
    }

    /// A client connected to it.
    pub async fn client(&self) -> Result<Client, String> {
        Client::connect(self.addr).await
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bare remote `dir/remote.git` whose `main` has one commit (a README), made with `git`
/// under `home` (see [`crate::git`]).
pub fn bare_remote(home: &Path, dir: &Path) -> Result<std::path::PathBuf, String> {
    let (bare, work) = (dir.join("remote.git"), dir.join("work"));
    let utf8 = |p: &Path| p.to_str().map(str::to_owned).ok_or("the path is not UTF-8");
    crate::git(
        home,
        dir,
        &["init", "-q", "--bare", "-b", "main", &utf8(&bare)?],
    )?;
    crate::git(home, dir, &["init", "-q", "-b", "main", &utf8(&work)?])?;
    std::fs::write(work.join("README.md"), "fabric\n").map_err(|e| e.to_string())?;
    crate::git(home, &work, &["add", "."])?;
    crate::git(home, &work, &["commit", "-q", "-m", "initial"])?;
    crate::git(home, &work, &["push", "-q", &utf8(&bare)?, "main"])?;
    Ok(bare)
}

/// The program `name` in the directory of the running one (a load program finds the
/// `hedgehogd` built with it in `target/release/`).
pub fn beside_me(name: &str) -> Result<std::path::PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let path = me.with_file_name(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: build it first (cargo build --release -p {name})",
            path.display()
        ))
    }
}

fn listening_addr(line: &str) -> Option<SocketAddr> {
    if !line.contains("hedgehogd listening") {
        return None;
    }
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("addr="))
        .and_then(|a| a.parse().ok())
}

/// One keep-alive HTTP/1.1 connection.
pub struct Client {
    sender: SendRequest<Full<Bytes>>,
    addr: SocketAddr,
}

/// A response: status, headers and the whole body.
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Client {
    /// Opens a connection.
    pub async fn connect(addr: SocketAddr) -> Result<Client, String> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        Ok(Client { sender, addr })
    }

    /// Sends one request (`token`: a bearer token) and reads the whole response.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> Result<Response, String> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(hyper::header::HOST, self.addr.to_string());
        if let Some(token) = token {
            request = request.header(hyper::header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
        Ok(Response {
            status: parts.status,
            headers: parts.headers,
            body: body.to_vec(),
        })
    }

    /// Polls `GET /readyz` until it answers 200 (at most 60 s).
    pub async fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            let r = self.get("/readyz", None).await?;
            if r.status == StatusCode::OK {
                return Ok(());
            }
            if std::time::Instant::now() > deadline {
                return Err(format!("not ready after 60 s: {}", r.text()));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `GET path`.
    pub async fn get(&mut self, path: &str, token: Option<&str>) -> Result<Response, String> {
        self.send(Method::GET, path, token, Vec::new()).await
    }

    /// `POST path` with a body.
    pub async fn post(
        &mut self,
        path: &str,
        token: Option<&str>,
        body: impl Into<Vec<u8>>,
    ) -> Result<Response, String> {
        self.send(Method::POST, path, token, body.into()).await
    }
}
