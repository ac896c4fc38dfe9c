//! A Git smart-HTTP server on 127.0.0.1 for tests: `git http-backend` (Git's own CGI program)
//! behind a small hyper server that demands a token by HTTP basic authentication, as GitHub
//! and GitLab do, and answers `/moved/<path>` with a redirect to `/<path>` (before asking for
//! credentials, as the old address of a renamed repository does). The token path of the Git
//! backend is tested against it for real.

use std::convert::Infallible;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use base64::Engine as _;
use http_body_util::{BodyExt as _, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

/// The server; it stops when dropped.
pub struct GitHttpServer {
    /// `http://127.0.0.1:PORT`; a repository `ROOT/x.git` is at `{url}/x.git`.
    pub url: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

struct Site {
    root: PathBuf,
    authorization: String,
    user: String,
}

impl GitHttpServer {
    /// Serves the repositories below `root` to `user` with `token`.
    pub fn start(root: &Path, user: &str, token: &str) -> GitHttpServer {
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{token}"));
        let site = Arc::new(Site {
            root: root.to_path_buf(),
            authorization: format!("Basic {basic}"),
            user: user.to_owned(),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr: SocketAddr = listener.local_addr().expect("local address");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the Git HTTP server");
            runtime.block_on(serve(listener, site, stopped));
        });
        GitHttpServer {
            url: format!("http://{addr}"),
            _stop: stop,
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    site: Arc<Site>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = &mut stopped => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let site = site.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| answer(site.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    site: Arc<Site>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    if let Some(rest) = req
        .uri()
        .path_and_query()
        .and_then(|p| p.as_str().strip_prefix("/moved/"))
    {
        return Ok(Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(hyper::header::LOCATION, format!("/{rest}"))
            .body(Full::new(Bytes::new()))
            .expect("a response"));
    }
    let authorized = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes() == site.authorization.as_bytes());
    if !authorized {
        return Ok(Response::builder()
            .status(StatusCode::UNAUTHORIZED)
            .header(hyper::header::WWW_AUTHENTICATE, "Basic realm=\"git\"")
            .body(Full::new(Bytes::from_static(b"token required\n")))
            .expect("a response"));
    }
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let site2 = site.clone();
    let answer = tokio::task::spawn_blocking(move || cgi(&site2, &parts, &body)).await;
    Ok(answer.unwrap_or_else(|e| failure(&e.to_string())))
}

/// Runs `git http-backend` for one request (RFC 3875 variables) and turns its output into a
/// response.
fn cgi(site: &Site, parts: &hyper::http::request::Parts, body: &[u8]) -> Response<Full<Bytes>> {
    let header = |name: hyper::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let child = Command::new("git")
        .arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", &site.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", &site.root)
        .env("REMOTE_USER", &site.user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("REQUEST_METHOD", parts.method.as_str())
        .env("PATH_INFO", parts.uri.path())
        .env("QUERY_STRING", parts.uri.query().unwrap_or_default())
        .env("CONTENT_TYPE", header(hyper::header::CONTENT_TYPE))
        .env("CONTENT_LENGTH", body.len().to_string())
        .env(
            "HTTP_CONTENT_ENCODING",
            header(hyper::header::CONTENT_ENCODING),
        )
        .env(
            "GIT_PROTOCOL",
            header(hyper::header::HeaderName::from_static("git-protocol")),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return failure(&e.to_string()),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(body);
    }
    match child.wait_with_output() {
        Ok(out) => parse_cgi(&out.stdout),
        Err(e) => failure(&e.to_string()),
    }
}

/// CGI output: header lines (`Status: 404 Not Found`, `Content-Type: …`), a blank line, the
/// body.
fn parse_cgi(out: &[u8]) -> Response<Full<Bytes>> {
    let split = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| {
            out.windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, i + 2))
        });
    let Some((end, start)) = split else {
        return failure("http-backend printed no headers");
    };
    let mut response = Response::builder();
    for line in String::from_utf8_lossy(&out[..end]).lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value.split_whitespace().next().and_then(|c| c.parse().ok());
            response = response.status(code.unwrap_or(500));
        } else {
            response = response.header(name.trim(), value);
        }
    }
    response
        .body(Full::new(Bytes::copy_from_slice(&out[start..])))
        .unwrap_or_else(|e| failure(&e.to_string()))
}

fn failure(why: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(why.to_owned())));
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}
