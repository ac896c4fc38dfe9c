//! The HTTP API under `/v1`, plus `/healthz`, `/readyz` and `/metrics`. Bodies are JSON with
//! the same structures the library and the Python bindings return; errors are
//! `{"error": {"code", "message"}}`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::render::{RenderOptions, render_with};
use hedgehog_model::{ValidateOptions, ValidationReport, validate_loaded};
use hedgehog_sync::drift::DriftReport;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tower_http::timeout::TimeoutLayer;

use super::config::{Scope, Token};
use super::state::{
    Daemon, ErrorRecord, FabricEntry, FabricState, Operation, Pending, SyncRecord, lock,
};
use super::{auth, metrics, openapi};

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

/// The body of an error answer.
#[derive(Serialize, JsonSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Serialize, JsonSchema)]
pub struct ErrorDetail {
    /// Stable code (`auth.missing`, `fabric.not-found`, `body.too-large`, …).
    pub code: String,
    /// For people.
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 401.
    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "auth.unauthorized", message)
    }

    /// 403.
    pub fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "auth.forbidden", message)
    }

    fn not_found(what: &str, name: &str) -> ApiError {
        let code = if what == "fabric" {
            "fabric.not-found"
        } else {
            "operation.not-found"
        };
        ApiError::new(
            StatusCode::NOT_FOUND,
            code,
            format!("no {what} named {name:?}"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// The request body, or a JSON error (413 when over the limit).
fn body(body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body.too-large",
                e.body_text(),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "body.unreadable", e.body_text())
        }
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "body.not-utf8",
            "the body is not UTF-8 text",
        )
    })
}

struct AppState {
    daemon: Arc<Daemon>,
    tokens: Vec<Token>,
}

type Shared = Arc<AppState>;

/// The router of the whole API.
pub fn router(
    daemon: Arc<Daemon>,
    tokens: Vec<Token>,
    max_body: usize,
    timeout: Duration,
) -> Router {
    let state: Shared = Arc::new(AppState { daemon, tokens });
    let read = Router::new()
        .route("/v1/validate", post(validate))
        .route("/v1/render", post(render))
        .route("/v1/fabrics", get(list_fabrics))
        .route("/v1/fabrics/{name}", get(get_fabric))
        .route("/v1/fabrics/{name}/drift", get(get_drift))
        .route("/v1/fabrics/{name}/gitops-status", get(gitops_status))
        .route("/v1/fabrics/{name}/test-connection", post(test_connection))
        .route("/v1/operations/{id}", get(get_operation))
        .route("/metrics", get(get_metrics))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_read));
    let write = Router::new()
        .route("/v1/fabrics/{name}/sync", post(sync))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_write));
    let open = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/v1/openapi.json", get(openapi_json));
    Router::new()
        .merge(read)
        .merge(write)
        .merge(open)
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "route.not-found", "no such endpoint")
        })
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .with_state(state)
}

async fn require_read(
    State(s): State<Shared>,
    headers: HeaderMap,
    request: Request,
    next: Next,
) -> Response {
    match auth::authorize(&headers, &s.tokens, Scope::Read) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

async fn require_write(
    State(s): State<Shared>,
    headers: HeaderMap,
    request: Request,
    next: Next,
) -> Response {
    match auth::authorize(&headers, &s.tokens, Scope::Write) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

async fn count_request(State(s): State<Shared>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    s.daemon.metrics.request(&route, response.status().as_u16());
    response
}

fn entry(s: &AppState, name: &str) -> Result<Arc<FabricEntry>, ApiError> {
    s.daemon
        .fabrics
        .get(name)
        .cloned()
        .ok_or_else(|| ApiError::not_found("fabric", name))
}

/// `?fabric=false` for per-object validation only.
#[derive(Deserialize)]
struct ValidateQuery {
    fabric: Option<bool>,
}

async fn validate(
    Query(q): Query<ValidateQuery>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Json<ValidationReport>, ApiError> {
    let text = body(raw)?;
    let options = ValidateOptions {
        fabric: q.fabric.unwrap_or(true),
        ..ValidateOptions::default()
    };
    let report = tokio::task::spawn_blocking(move || {
        let mut loaded = Loader::new(Limits::default()).load_str(&text, None);
        validate_loaded(&mut loaded, &options)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    Ok(Json(report))
}

#[derive(Deserialize)]
struct RenderQuery {
    headers: Option<bool>,
}

async fn render(
    Query(q): Query<RenderQuery>,
    raw: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let text = body(raw)?;
    let options = RenderOptions {
        headers: q.headers.unwrap_or(false),
    };
    let rendered = tokio::task::spawn_blocking(move || {
        let loaded = Loader::new(Limits::default()).load_str(&text, None);
        // Unknown fields are kept and rendered; only text that could not be read is refused.
        if loaded
            .diagnostics
            .iter()
            .any(|d| d.is_error() && d.code.starts_with("load."))
        {
            return Err(loaded.diagnostics);
        }
        Ok(render_with(&loaded.documents, &options))
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))?;
    match rendered {
        Ok(yaml) => Ok(([(header::CONTENT_TYPE, "application/yaml")], yaml).into_response()),
        Err(diagnostics) => {
            let report = ValidationReport::new(0, diagnostics);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(report)).into_response())
        }
    }
}

/// A fabric as `GET /v1/fabrics/{name}` shows it.
#[derive(Serialize, JsonSchema)]
pub struct FabricView {
    /// Its name.
    pub name: String,
    /// `detect`, `commit` or `apply`.
    pub policy: String,
    /// Seconds between scheduled passes.
    pub interval_secs: u64,
    /// The GitOps repository.
    pub git: GitView,
    /// The cluster's API server, when one is configured.
    pub cluster: Option<String>,
    /// How the fabric stands after its last pass: `pending`, `ok`, `conflict` (refused:
    /// the desired state and another writer changed the same fields), `refused` (the
    /// deletion guard or change-safety rules), `failing`.
    pub state: FabricState,
    /// The running pass, if any.
    pub running_operation: Option<String>,
    /// The last successful pass (kept across restarts).
    pub last_sync: Option<SyncRecord>,
    /// The last failure since then.
    pub last_error: Option<ErrorRecord>,
    /// The current drift roll-up and counts (after the first pass of this run).
    #[schemars(with = "Option<serde_json::Value>")]
    pub drift: Option<hedgehog_sync::drift::Summary>,
    /// The cluster watch (when a cluster is configured and a pass has run).
    #[schemars(with = "Option<serde_json::Value>")]
    pub watch: Option<hedgehog_sync::kube::WatchStatus>,
}

/// Where a fabric's GitOps state lives.
#[derive(Serialize, JsonSchema)]
pub struct GitView {
    /// The remote (without credentials).
    pub url: String,
    /// The branch.
    pub branch: String,
    /// The base directory in the repository.
    pub base_dir: String,
}

fn view(entry: &FabricEntry) -> FabricView {
    let settings = entry.fabric.settings();
    let status = lock(&entry.status);
    FabricView {
        name: settings.name.clone(),
        policy: entry.spec.policy.as_str().to_owned(),
        interval_secs: entry.spec.interval.as_secs(),
        git: GitView {
            url: settings.git.url.clone(),
            branch: settings.git.branch.clone(),
            base_dir: settings.git.base_dir.clone(),
        },
        cluster: settings.cluster.as_ref().map(|c| c.server.clone()),
        state: status.state(),
        running_operation: status.running.clone(),
        last_sync: status.last_sync.clone(),
        last_error: status.last_error.clone(),
        drift: entry.fabric.drift_summary(),
        watch: entry.fabric.watch_status(),
    }
}

async fn list_fabrics(State(s): State<Shared>) -> Json<Vec<FabricView>> {
    Json(s.daemon.fabrics.values().map(|e| view(e)).collect())
}

async fn get_fabric(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Json<FabricView>, ApiError> {
    Ok(Json(view(&*entry(&s, &name)?)))
}

/// Filters of the drift report.
#[derive(Deserialize)]
struct DriftQuery {
    kind: Option<String>,
    state: Option<String>,
}

async fn get_drift(
    State(s): State<Shared>,
    Path(name): Path<String>,
    Query(q): Query<DriftQuery>,
) -> Result<Json<DriftReport>, ApiError> {
    let entry = entry(&s, &name)?;
    let mut report = entry.fabric.drift().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "fabric.not-synced",
            format!("fabric {name:?} has not completed a sync pass yet"),
        )
    })?;
    if let Some(state) = &q.state
        && !hedgehog_sync::drift::State::ALL
            .iter()
            .any(|s| s.as_str() == state)
    {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "query.invalid",
            format!("unknown state {state:?}"),
        ));
    }
    report.objects.retain(|o| {
        q.kind.as_ref().is_none_or(|k| &o.kind == k)
            && q.state.as_ref().is_none_or(|s| o.state.as_str() == s)
    });
    Ok(Json(report))
}

async fn test_connection(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let entry = entry(&s, &name)?;
    Ok(Json(entry.fabric.test_connection().await).into_response())
}

/// The answer of `POST /v1/fabrics/{name}/sync`.
#[derive(Serialize, JsonSchema)]
pub struct SyncStarted {
    /// The operation: the new pass, or the one already running.
    pub operation: Operation,
    /// True when a pass of this fabric was already running (no second one was started).
    pub already_running: bool,
}

async fn sync(State(s): State<Shared>, Path(name): Path<String>) -> Result<Response, ApiError> {
    let entry = entry(&s, &name)?;
    let started = s.daemon.start_pass(&entry, "request");
    let location = format!("/v1/operations/{}", started.operation.id);
    let body = SyncStarted {
        already_running: !started.new,
        operation: started.operation,
    };
    Ok((
        StatusCode::ACCEPTED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response())
}

async fn get_operation(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<Operation>, ApiError> {
    s.daemon
        .operation(&id)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("operation", &id))
}

/// The GitOps side of a fabric.
#[derive(Serialize, JsonSchema)]
pub struct GitopsStatus {
    /// The remote.
    pub url: String,
    /// The branch.
    pub branch: String,
    /// The base directory.
    pub base_dir: String,
    /// The branch tip the last successful pass read.
    pub head_commit: Option<String>,
    /// The last commit a pass published.
    pub last_published_commit: Option<String>,
    /// The commit the desired state last agreed with: the next pass rebases on it, so
    /// edits other writers committed since are kept (or refused as conflicts).
    pub base_commit: Option<String>,
    /// When that pass finished (ms since the Unix epoch).
    pub last_sync_unix_ms: Option<u64>,
    /// What committing the desired state would change (from the last plan).
    pub pending: Pending,
    /// The drift roll-up (`git_ahead` while changes wait for a commit or for the GitOps tool).
    pub status: Option<String>,
}

async fn gitops_status(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Json<GitopsStatus>, ApiError> {
    let entry = entry(&s, &name)?;
    let settings = entry.fabric.settings();
    let last = lock(&entry.status).last_sync.clone();
    Ok(Json(GitopsStatus {
        url: settings.git.url.clone(),
        branch: settings.git.branch.clone(),
        base_dir: settings.git.base_dir.clone(),
        head_commit: last.as_ref().map(|l| l.commit.clone()),
        last_published_commit: last.as_ref().and_then(|l| l.published.clone()),
        base_commit: last.as_ref().and_then(|l| l.base_commit.clone()),
        last_sync_unix_ms: last.as_ref().map(|l| l.finished_unix_ms),
        pending: last.as_ref().map(|l| l.pending.clone()).unwrap_or_default(),
        status: entry
            .fabric
            .drift_summary()
            .map(|s| s.status.as_str().to_owned())
            .or_else(|| last.map(|l| l.status)),
    }))
}

/// Liveness and readiness answers.
#[derive(Serialize, JsonSchema)]
pub struct Health {
    /// `ok`, or `starting` until every fabric has finished its first pass.
    pub status: String,
    /// Fabrics still waiting for their first pass.
    pub waiting: Vec<String>,
}

async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        waiting: Vec::new(),
    })
}

async fn readyz(State(s): State<Shared>) -> Response {
    let waiting: Vec<String> = s
        .daemon
        .fabrics
        .iter()
        .filter(|(_, e)| !lock(&e.status).attempted)
        .map(|(n, _)| n.clone())
        .collect();
    let ready = waiting.is_empty();
    let body = Json(Health {
        status: if ready { "ok" } else { "starting" }.into(),
        waiting,
    });
    if ready {
        body.into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
    }
}

async fn get_metrics(State(s): State<Shared>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics::render(&s.daemon),
    )
        .into_response()
}

async fn openapi_json() -> Json<serde_json::Value> {
    Json(openapi::document())
}
