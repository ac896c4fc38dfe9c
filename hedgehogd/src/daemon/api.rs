//! The HTTP API under `/v1`, plus `/healthz`, `/readyz` and `/metrics`. Bodies are JSON with
//! the same structures the library and the Python bindings return; errors are
//! `{"error": {"code", "message"}}`.

use hedgehog_sync::codes;
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use aide::openapi::OpenApi;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Extension, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use hedgehog_model::load::{Limits, Loader};
use hedgehog_model::render::{RenderOptions, render_with};
use hedgehog_model::{ValidateOptions, ValidationReport, validate_loaded};
use hedgehog_sync::drift::DriftReport;
use hedgehog_sync::secret::redact_url;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tower_http::timeout::TimeoutLayer;

use super::config::{Config, Scope, Token};
use super::coordination::forward;
use super::coordination::{Coordinator, Route};
use super::cpu::{CpuLimit, Refused};
use super::reject::{Path, Query, Text};
use super::state::{
    Daemon, ErrorRecord, FabricEntry, FabricState, Operation, Pending, SyncRecord, lock,
};
use super::{auth, metrics, openapi, reject};

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

/// An error answer that carries more than the error: the fields of `T` beside `error`.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "ErrorWith{T}")]
pub struct ErrorWith<T> {
    /// The error.
    pub error: ErrorDetail,
    /// What else the answer says.
    #[serde(flatten)]
    pub details: T,
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
    pub(super) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// 401.
    pub fn unauthorized(message: &str) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::AUTH_UNAUTHORIZED.code,
            message,
        )
    }

    /// 403.
    pub fn forbidden(message: &str) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, codes::AUTH_FORBIDDEN.code, message)
    }

    fn not_found(what: &str, name: &str) -> ApiError {
        let code = if what == "fabric" {
            codes::FABRIC_NOT_FOUND.code
        } else {
            codes::OPERATION_NOT_FOUND.code
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
pub(super) fn body(body: Result<Bytes, BytesRejection>) -> Result<String, ApiError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                codes::BODY_TOO_LARGE.code,
                e.body_text(),
            )
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::BODY_UNREADABLE.code,
                e.body_text(),
            )
        }
    })?;
    // The body's own buffer becomes the text (no copy when, as usual, nothing else holds it).
    String::from_utf8(Vec::from(bytes)).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            codes::BODY_NOT_UTF8.code,
            "the body is not UTF-8 text",
        )
    })
}

struct AppState {
    daemon: Arc<Daemon>,
    tokens: Vec<Token>,
    cpu: CpuLimit,
    coordinator: Option<Arc<Coordinator>>,
    max_body: usize,
    retry_after: String,
}

type Shared = Arc<AppState>;

/// The router of the whole API, and its OpenAPI document made from the same declarations.
pub fn router(daemon: Arc<Daemon>, config: &Config) -> Router {
    router_with(daemon, config, None)
}

/// [`router`] for a replica among several: requests for a fabric another replica owns are
/// forwarded to it, and answered 503 while nobody owns it.
pub fn router_with(
    daemon: Arc<Daemon>,
    config: &Config,
    coordinator: Option<Arc<Coordinator>>,
) -> Router {
    let guarded = !config.tokens.is_empty();
    openapi::prepare();
    let retry_after = config
        .coordination
        .as_ref()
        .map_or(1, |c| c.retry_period.as_secs().max(1))
        .to_string();
    let state: Shared = Arc::new(AppState {
        daemon,
        tokens: config.tokens.clone(),
        cpu: CpuLimit::new(config.cpu_workers, config.max_queued_requests),
        coordinator,
        max_body: config.max_body_bytes,
        retry_after,
    });
    // CPU-bound routes: a place in the queue is taken (or 503 answered) after authentication
    // and before the body is read.
    let cpu = ApiRouter::new()
        .api_route("/v1/validate", post_with(validate, openapi::validate))
        .api_route("/v1/render", post_with(render, openapi::render))
        .route_layer(middleware::from_fn_with_state(state.clone(), admit))
        .with_path_items(|item| openapi::guarded(item, guarded, Scope::Read))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_read));
    let read = ApiRouter::new()
        .api_route("/v1/fabrics", get_with(list_fabrics, openapi::list_fabrics))
        .api_route(
            "/v1/fabrics/{name}",
            get_with(get_fabric, openapi::get_fabric),
        )
        .api_route(
            "/v1/fabrics/{name}/drift",
            get_with(get_drift, openapi::get_drift),
        )
        .api_route(
            "/v1/fabrics/{name}/diagram",
            get_with(get_diagram, openapi::get_diagram),
        )
        .api_route(
            "/v1/fabrics/{name}/gitops-status",
            get_with(gitops_status, openapi::gitops_status),
        )
        .api_route(
            "/v1/fabrics/{name}/test-connection",
            post_with(test_connection, openapi::test_connection),
        )
        .api_route(
            "/v1/operations/{id}",
            get_with(get_operation, openapi::get_operation),
        )
        .api_route("/metrics", get_with(get_metrics, openapi::get_metrics))
        .with_path_items(|item| openapi::guarded(item, guarded, Scope::Read))
        .route_layer(middleware::from_fn_with_state(state.clone(), to_owner))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_read));
    let write = ApiRouter::new()
        .api_route("/v1/fabrics/{name}/sync", post_with(sync, openapi::sync))
        .with_path_items(|item| openapi::guarded(item, guarded, Scope::Write))
        .route_layer(middleware::from_fn_with_state(state.clone(), to_owner))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_write));
    let open = ApiRouter::new()
        .api_route("/healthz", get_with(healthz, openapi::healthz))
        .api_route("/readyz", get_with(readyz, openapi::readyz))
        .api_route(
            "/v1/openapi.json",
            get_with(openapi::serve, openapi::openapi),
        );
    let mut api = OpenApi::default();
    let app = ApiRouter::new()
        .merge(cpu)
        .merge(read)
        .merge(write)
        .merge(open)
        .finish_api_with(&mut api, |doc| openapi::finish(doc, guarded));
    app.merge(super::ui::router())
        .fallback(|| async {
            ApiError::new(
                StatusCode::NOT_FOUND,
                codes::ROUTE_NOT_FOUND.code,
                "no such endpoint",
            )
        })
        .layer(Extension(openapi::Document::new(&api)))
        .layer(middleware::from_fn_with_state(state.clone(), count_request))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(middleware::from_fn(reject::json_errors))
        .with_state(state)
}

/// Seconds a refused client is asked to wait.
const RETRY_AFTER_SECS: &str = "1";

/// A place in the CPU queue for the request, or 503 with `Retry-After`.
async fn admit(State(s): State<Shared>, request: Request, next: Next) -> Response {
    match s.cpu.admit() {
        Ok(_admission) => next.run(request).await,
        Err(_) => {
            let mut response = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::SERVER_BUSY.code,
                "too many validations and renderings are running or waiting; retry later",
            )
            .into_response();
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from_static(RETRY_AFTER_SECS),
            );
            response
        }
    }
}

/// An error answer for CPU work that did not produce a result.
fn refused(e: Refused) -> ApiError {
    match e {
        Refused::Busy | Refused::Cancelled => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::SERVER_BUSY.code,
            "the request was cancelled",
        ),
        Refused::Failed(message) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL.code,
            message,
        ),
    }
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

/// What a path is about: a fabric, an operation, or neither.
enum Target<'a> {
    Fabric(&'a str),
    Operation(&'a str),
    Other,
}

fn target(path: &str) -> Target<'_> {
    if let Some(rest) = path.strip_prefix("/v1/fabrics/") {
        return Target::Fabric(rest.split('/').next().unwrap_or(rest));
    }
    path.strip_prefix("/v1/operations/")
        .map_or(Target::Other, Target::Operation)
}

/// Among several replicas: answers requests for fabrics this replica owns, forwards those
/// for fabrics another one owns (once: a forwarded request is never forwarded again), and
/// answers 503 with `Retry-After` while nobody owns the fabric. An operation unknown here is
/// asked for at the other live replicas.
async fn to_owner(State(s): State<Shared>, request: Request, next: Next) -> Response {
    let Some(coordinator) = s.coordinator.clone() else {
        return next.run(request).await;
    };
    let me = coordinator.identity();
    let forwarded = forward::was_forwarded(&request);
    let path = request.uri().path().to_owned();
    let mut response = match target(&path) {
        Target::Fabric(name) if s.daemon.fabrics.contains_key(name) => {
            match coordinator.route(name) {
                Route::Local => next.run(request).await,
                Route::Owner { address, .. } if !forwarded => {
                    forward::forward(&address, request, me, s.max_body).await
                }
                Route::Owner { .. } | Route::Nobody => unowned(&s, name),
            }
        }
        Target::Operation(id) if !forwarded && s.daemon.operation(id).is_none() => {
            let peers = coordinator.peers();
            let (uri, headers) = (request.uri().clone(), request.headers().clone());
            match forward::ask_peers(&peers, &uri, &headers, me).await {
                Some(found) => found,
                None => next.run(request).await,
            }
        }
        _ => next.run(request).await,
    };
    forward::served_by(&mut response, me);
    response
}

/// 503 `fabric.unowned` with `Retry-After`.
fn unowned(s: &AppState, name: &str) -> Response {
    let mut response = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        codes::FABRIC_UNOWNED.code,
        format!("no replica owns fabric {name:?} right now; retry shortly"),
    )
    .into_response();
    if let Ok(value) = header::HeaderValue::from_str(&s.retry_after) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
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
#[derive(Deserialize, JsonSchema)]
struct ValidateQuery {
    /// Also the fabric-wide checks (references, uniqueness); default true.
    fabric: Option<bool>,
}

async fn validate(
    State(s): State<Shared>,
    Query(q): Query<ValidateQuery>,
    Text(text): Text,
) -> Result<Json<ValidationReport>, ApiError> {
    let options = ValidateOptions {
        fabric: q.fabric.unwrap_or(true),
        ..ValidateOptions::default()
    };
    let report = s
        .cpu
        .run(move |cancel| {
            let mut loaded = Loader::new(Limits::default()).load_str(&text, None);
            (!cancel.is_cancelled()).then(|| validate_loaded(&mut loaded, &options))
        })
        .await
        .map_err(refused)?;
    Ok(Json(report))
}

/// `?headers=true` for hhfab's comment headers.
#[derive(Deserialize, JsonSchema)]
struct RenderQuery {
    /// hhfab's `# <Kind>List` comment before the first object of each kind; default false.
    headers: Option<bool>,
}

async fn render(
    State(s): State<Shared>,
    Query(q): Query<RenderQuery>,
    Text(text): Text,
) -> Result<Response, ApiError> {
    let options = RenderOptions {
        headers: q.headers.unwrap_or(false),
    };
    let rendered = s
        .cpu
        .run(move |cancel| {
            let loaded = Loader::new(Limits::default()).load_str(&text, None);
            // Unknown fields are kept and rendered; only text that could not be read is
            // refused.
            if loaded
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.code.starts_with("load."))
            {
                return Some(Err(loaded.diagnostics));
            }
            (!cancel.is_cancelled()).then(|| Ok(render_with(&loaded.documents, &options)))
        })
        .await
        .map_err(refused)?;
    match rendered {
        Ok(yaml) => Ok(([(header::CONTENT_TYPE, "application/yaml")], yaml).into_response()),
        Err(diagnostics) => {
            let report = ValidationReport::new(0, diagnostics);
            let body = ErrorWith {
                error: ErrorDetail {
                    code: codes::RENDER_NOT_LOADED.code.into(),
                    message: "the input does not load (see the diagnostics)".into(),
                },
                details: report,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
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
    /// The cluster's API server, when one is configured (user information redacted).
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
    /// Among several replicas: the identity of the replica that owns the fabric (holds its
    /// Lease) now, `null` while nobody does; absent for a single daemon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Option<String>>,
}

/// Where a fabric's GitOps state lives.
#[derive(Serialize, JsonSchema)]
pub struct GitView {
    /// The remote (its user information, if any, shown as `<redacted>`).
    pub url: String,
    /// The branch.
    pub branch: String,
    /// The base directory in the repository.
    pub base_dir: String,
}

fn view(s: &AppState, entry: &FabricEntry) -> FabricView {
    let settings = entry.fabric.settings();
    let status = lock(&entry.status);
    FabricView {
        name: settings.name.clone(),
        policy: entry.spec.policy.as_str().to_owned(),
        interval_secs: entry.spec.interval.as_secs(),
        git: GitView {
            url: redact_url(&settings.git.url),
            branch: settings.git.branch.clone(),
            base_dir: settings.git.base_dir.clone(),
        },
        cluster: settings.cluster.as_ref().map(|c| redact_url(&c.server)),
        state: status.state(),
        running_operation: status.running.clone(),
        last_sync: status.last_sync.clone(),
        last_error: status.last_error.clone(),
        drift: entry.fabric.drift_summary(),
        watch: entry.fabric.watch_status(),
        owner: s.coordinator.as_ref().map(|c| c.owner(entry.fabric.name())),
    }
}

async fn list_fabrics(State(s): State<Shared>) -> Json<Vec<FabricView>> {
    Json(s.daemon.fabrics.values().map(|e| view(&s, e)).collect())
}

async fn get_fabric(
    State(s): State<Shared>,
    Path(name): Path<String>,
) -> Result<Json<FabricView>, ApiError> {
    Ok(Json(view(&s, &*entry(&s, &name)?)))
}

/// Filters of the drift report.
#[derive(Deserialize, JsonSchema)]
struct DriftQuery {
    /// Only objects of this kind (`VPC`, `Connection`, …).
    kind: Option<String>,
    /// Only objects in this drift state.
    #[schemars(with = "Option<hedgehog_sync::drift::State>")]
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
            codes::FABRIC_NOT_SYNCED.code,
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
            codes::QUERY_INVALID.code,
            format!("unknown state {state:?}"),
        ));
    }
    report.objects.retain(|o| {
        q.kind.as_ref().is_none_or(|k| &o.kind == k)
            && q.state.as_ref().is_none_or(|s| o.state.as_str() == s)
    });
    Ok(Json(report))
}

/// The format of a diagram.
#[derive(Deserialize, JsonSchema)]
struct DiagramQuery {
    /// `svg` (the default), `drawio`, `dot` or `mermaid`.
    format: Option<String>,
}

async fn get_diagram(
    State(s): State<Shared>,
    Path(name): Path<String>,
    Query(q): Query<DiagramQuery>,
) -> Result<Response, ApiError> {
    use hedgehog_model::diagram::{Diagram, Format};
    let format: Format = q
        .format
        .as_deref()
        .unwrap_or("svg")
        .parse()
        .map_err(|e: String| {
            ApiError::new(StatusCode::BAD_REQUEST, codes::QUERY_INVALID.code, e)
        })?;
    let entry = entry(&s, &name)?;
    let values = entry.fabric.git_objects().ok_or_else(|| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::FABRIC_NOT_SYNCED.code,
            format!("fabric {name:?} has not completed a sync pass yet"),
        )
    })?;
    let objects: Vec<hedgehog_model::Object> = values
        .into_iter()
        .map(|v| hedgehog_model::Object::from_value(v).object)
        .collect();
    let text = Diagram::from_objects(&objects).render(format);
    let content_type = match format {
        Format::Svg => "image/svg+xml",
        Format::Drawio => "application/xml",
        Format::Dot | Format::Mermaid => "text/plain",
    };
    Ok(([(header::CONTENT_TYPE, content_type)], text).into_response())
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
    let Some(started) = s.daemon.start_pass(&entry, "request") else {
        return Ok(unowned(&s, &name));
    };
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
    /// The remote (user information redacted).
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
        url: redact_url(&settings.git.url),
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
    /// `ok`; `starting` until every fabric has finished its first pass; `failed` once a
    /// daemon task (a fabric's scheduler, a cluster watch) has died.
    pub status: String,
    /// Fabrics still waiting for their first pass.
    pub waiting: Vec<String>,
    /// Daemon tasks that died, with why (only when there are any).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dead_tasks: Vec<String>,
}

async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        waiting: Vec::new(),
        dead_tasks: Vec::new(),
    })
}

async fn readyz(State(s): State<Shared>) -> Response {
    let waiting: Vec<String> = s
        .daemon
        .fabrics
        .iter()
        .filter(|(_, e)| e.gate.permits() && !lock(&e.status).attempted)
        .map(|(n, _)| n.clone())
        .collect();
    let dead_tasks = s.daemon.tasks.dead();
    let status = match (dead_tasks.is_empty(), waiting.is_empty()) {
        (false, _) => "failed",
        (true, false) => "starting",
        (true, true) => "ok",
    };
    let health = Health {
        status: status.into(),
        waiting,
        dead_tasks,
    };
    if status == "ok" {
        Json(health).into_response()
    } else {
        let error = ErrorDetail {
            code: codes::DAEMON_STARTING.code.into(),
            message: format!(
                "waiting for the first pass of {}",
                health.waiting.join(", ")
            ),
        };
        let body = ErrorWith {
            error,
            details: health,
        };
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    }
}

async fn get_metrics(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let openmetrics = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(metrics::wants_openmetrics);
    let content_type = if openmetrics {
        metrics::OPENMETRICS
    } else {
        metrics::PROMETHEUS_TEXT
    };
    (
        [(header::CONTENT_TYPE, content_type)],
        metrics::render(&s.daemon, openmetrics),
    )
        .into_response()
}
