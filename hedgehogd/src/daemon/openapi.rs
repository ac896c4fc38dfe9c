//! The OpenAPI 3.1 document, made by aide from the routes as they are declared (`api::router`):
//! paths, methods, parameters, request bodies and success schemas come from the handlers'
//! extractor and return types (schemars); error answers from the extractors (`reject`), the
//! authorisation layer of each route group and the request timeout; what a type cannot say
//! (a summary, a handler's own error statuses, a non-JSON answer) is added next to the route
//! by the functions here.

use aide::OperationOutput;
use aide::axum::IntoApiResponse;
use aide::generate::{GenContext, in_context};
use aide::openapi::{
    MediaType, OpenApi, Operation, Parameter, ParameterData, ParameterSchemaOrContent, PathStyle,
    ReferenceOr, Response, SchemaObject, SecurityScheme, StatusCode,
};
use aide::transform::{TransformOpenApi, TransformOperation, TransformPathItem};
use aide::util::iter_operations_mut;
use axum::Json;
use axum::body::Bytes;
use axum::extract::Extension;
use axum::http::header;
use hedgehog_model::ValidationReport;
use hedgehog_sync::fabric::ConnectionTest;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use super::api::{ApiError, ErrorBody, ErrorWith, Health, SyncStarted};
use super::config::Scope;

/// Makes this thread's aide context describe JSON Schema 2020-12 (OpenAPI 3.1's dialect) as
/// the handlers **serialise** their answers — a field left out when empty is not required —
/// collecting named schemas under `#/components/schemas/`. Run before declaring routes.
pub fn prepare() {
    in_context(|ctx| {
        ctx.schema = SchemaSettings::draft2020_12()
            .for_serialize()
            .with(|s| {
                s.inline_subschemas = false;
                s.definitions_path = "#/components/schemas/".into();
            })
            .into_generator();
    });
}

/// The schema of `T` as requests carry it (deserialised), inline: for query parameters.
pub fn input_schema<T: JsonSchema>() -> Schema {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .with(|s| s.inline_subschemas = true)
        .into_generator()
        .into_root_schema_for::<T>()
}

/// The name of the bearer-token security scheme.
const BEARER: &str = "bearer";

/// The serialised document, served at `/v1/openapi.json`.
#[derive(Clone)]
pub struct Document(Bytes);

impl Document {
    /// The document as JSON.
    pub fn new(api: &OpenApi) -> Document {
        // Serialising maps with string keys into memory cannot fail.
        Document(serde_json::to_vec(api).unwrap_or_default().into())
    }
}

/// `GET /v1/openapi.json`.
pub async fn serve(Extension(doc): Extension<Document>) -> impl IntoApiResponse {
    ([(header::CONTENT_TYPE, "application/json")], doc.0)
}

/// A handler's error answers are in the error shape.
impl OperationOutput for ApiError {
    type Inner = ErrorBody;

    fn operation_response(ctx: &mut GenContext, operation: &mut Operation) -> Option<Response> {
        Json::<ErrorBody>::operation_response(ctx, operation)
    }
}

/// Documents that `operation` may answer `status` in the error shape because `why`; a second
/// reason for the same status is added to the description.
pub fn add_error(ctx: &mut GenContext, operation: &mut Operation, status: u16, why: &str) {
    let responses = operation.responses.get_or_insert_with(Default::default);
    if let Some(ReferenceOr::Item(existing)) =
        responses.responses.get_mut(&StatusCode::Code(status))
    {
        if !existing.description.split("; ").any(|d| d == why) {
            existing.description = format!("{}; {why}", existing.description);
        }
        return;
    }
    if let Some(mut response) = ApiError::operation_response(ctx, operation) {
        response.description = why.to_owned();
        let responses = operation.responses.get_or_insert_with(Default::default);
        responses
            .responses
            .insert(StatusCode::Code(status), ReferenceOr::Item(response));
    }
}

/// [`add_error`] for each `(status, why)`, from a route's documentation.
fn errors<'t>(mut op: TransformOperation<'t>, list: &[(u16, &str)]) -> TransformOperation<'t> {
    in_context(|ctx| {
        for (status, why) in list {
            add_error(ctx, op.inner_mut(), *status, why);
        }
    });
    op
}

/// The bearer token a route group's layer demands (`need`), when tokens are configured.
pub fn guarded(
    mut item: TransformPathItem<'_>,
    tokens: bool,
    need: Scope,
) -> TransformPathItem<'_> {
    if !tokens {
        return item;
    }
    in_context(|ctx| {
        for (_, op) in iter_operations_mut(item.inner_mut()) {
            op.security = vec![[(BEARER.to_owned(), Vec::new())].into_iter().collect()];
            add_error(ctx, op, 401, "no bearer token, or an unknown one");
            if need > Scope::Read {
                add_error(ctx, op, 403, "the token's scope does not allow this");
            }
        }
    });
    item
}

/// The whole document: its description, the security scheme, the request timeout (408) on
/// every operation, and the path parameters that only the route template names.
pub fn finish(api: TransformOpenApi<'_>, tokens: bool) -> TransformOpenApi<'_> {
    let mut api = api
        .title("hedgehogd")
        .version(env!("CARGO_PKG_VERSION"))
        .description("Validation, drift and GitOps sync of Hedgehog Open Network Fabric.");
    if tokens {
        api = api.security_scheme(
            BEARER,
            SecurityScheme::Http {
                scheme: "bearer".into(),
                bearer_format: None,
                description: Some("A token of `[[tokens]]` in the configuration".into()),
                extensions: Default::default(),
            },
        );
    }
    let doc = api.inner_mut();
    doc.openapi = "3.1.0".into();
    in_context(|ctx| {
        for (path, item) in doc.paths.iter_mut().flat_map(|p| p.paths.iter_mut()) {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for (_, op) in iter_operations_mut(item) {
                template_parameters(ctx, path, op);
                add_error(
                    ctx,
                    op,
                    408,
                    "the request took longer than `request_timeout_secs`",
                );
            }
        }
    });
    api
}

/// Adds a string path parameter for each `{name}` of the route template that the handler's
/// extractor did not document (a `Path<String>` has no field names).
fn template_parameters(ctx: &mut GenContext, path: &str, op: &mut Operation) {
    let names = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')));
    for name in names {
        let documented = op.parameters.iter().any(|p| match p {
            ReferenceOr::Item(p) => p.parameter_data_ref().name == name,
            ReferenceOr::Reference { .. } => false,
        });
        if documented {
            continue;
        }
        let schema = SchemaObject {
            json_schema: ctx.schema.subschema_for::<String>(),
            example: None,
            external_docs: None,
        };
        op.parameters.push(ReferenceOr::Item(Parameter::Path {
            parameter_data: ParameterData {
                name: name.to_owned(),
                description: None,
                required: true,
                format: ParameterSchemaOrContent::Schema(schema),
                extensions: Default::default(),
                deprecated: None,
                example: None,
                examples: Default::default(),
                explode: None,
            },
            style: PathStyle::Simple,
        }));
    }
}

/// A 200 answer of one of `types` that is not JSON: no schema (a client that parses YAML
/// gets a stream of documents, which a string schema would not describe).
fn not_json<'t>(
    mut op: TransformOperation<'t>,
    why: &str,
    types: &[&str],
) -> TransformOperation<'t> {
    let response = Response {
        description: why.to_owned(),
        content: types
            .iter()
            .map(|t| ((*t).to_owned(), MediaType::default()))
            .collect(),
        ..Response::default()
    };
    let responses = op
        .inner_mut()
        .responses
        .get_or_insert_with(Default::default);
    responses
        .responses
        .insert(StatusCode::Code(200), ReferenceOr::Item(response));
    op
}

const NO_FABRIC: (u16, &str) = (404, "no fabric of that name");
const TASK_FAILED: (u16, &str) = (500, "the validation task failed (a defect)");
/// CPU-bound work is bounded (`cpu_workers`, `max_queued_requests`); beyond it, 503 with
/// `Retry-After`.
const BUSY: (u16, &str) = (
    503,
    "too much CPU work is running or waiting; retry after the seconds in Retry-After",
);

/// `POST /v1/validate`.
pub fn validate(op: TransformOperation<'_>) -> TransformOperation<'_> {
    let op = op.summary("Validate YAML or JSON objects (the CLI's JSON report)");
    errors(op, &[TASK_FAILED, BUSY])
}

/// `POST /v1/render`.
pub fn render(op: TransformOperation<'_>) -> TransformOperation<'_> {
    let op = op
        .summary("Render objects as canonical YAML")
        .response_with::<422, Json<ErrorWith<ValidationReport>>, _>(|r| {
            r.description("the input does not load: the error and the diagnostics")
        });
    errors(
        not_json(op, "canonical YAML", &["application/yaml"]),
        &[TASK_FAILED, BUSY],
    )
}

/// `GET /v1/fabrics`.
pub fn list_fabrics(op: TransformOperation<'_>) -> TransformOperation<'_> {
    op.summary("Every fabric")
}

/// `GET /v1/fabrics/{name}`.
pub fn get_fabric(op: TransformOperation<'_>) -> TransformOperation<'_> {
    errors(
        op.summary("Status, last sync and drift summary of a fabric"),
        &[NO_FABRIC],
    )
}

/// `GET /v1/fabrics/{name}/drift`.
pub fn get_drift(op: TransformOperation<'_>) -> TransformOperation<'_> {
    errors(
        op.summary("The per-object drift report"),
        &[
            (400, "`state` is not a drift state"),
            NO_FABRIC,
            (503, "no pass of the fabric has completed yet"),
        ],
    )
}

/// `GET /v1/fabrics/{name}/diagram`.
pub fn get_diagram(op: TransformOperation<'_>) -> TransformOperation<'_> {
    let op = op.summary("The wiring at the Git commit of the last pass, drawn");
    errors(
        not_json(
            op,
            "the drawing (SVG nodes carry `data-kind` and `data-name`)",
            &["image/svg+xml", "application/xml", "text/plain"],
        ),
        &[
            (400, "`format` is not a diagram format"),
            NO_FABRIC,
            (503, "no pass of the fabric has completed yet"),
        ],
    )
}

/// `POST /v1/fabrics/{name}/test-connection`.
pub fn test_connection(op: TransformOperation<'_>) -> TransformOperation<'_> {
    let op = op
        .summary("Test the Git remote and the cluster")
        .response_with::<200, Json<ConnectionTest>, _>(|r| r.description("what was found"));
    errors(op, &[NO_FABRIC])
}

/// `POST /v1/fabrics/{name}/sync`.
pub fn sync(op: TransformOperation<'_>) -> TransformOperation<'_> {
    let op = op
        .summary("Start a sync pass (write scope)")
        .response_with::<202, Json<SyncStarted>, _>(|r| {
            r.description("the new or the running operation (`Location`: its URL)")
        });
    errors(op, &[NO_FABRIC])
}

/// `GET /v1/fabrics/{name}/gitops-status`.
pub fn gitops_status(op: TransformOperation<'_>) -> TransformOperation<'_> {
    errors(
        op.summary("Branch, head, last synced commit, pending changes"),
        &[NO_FABRIC],
    )
}

/// `GET /v1/operations/{id}`.
pub fn get_operation(op: TransformOperation<'_>) -> TransformOperation<'_> {
    errors(
        op.summary("A sync operation"),
        &[(404, "no operation of that id")],
    )
}

/// `GET /healthz`.
pub fn healthz(op: TransformOperation<'_>) -> TransformOperation<'_> {
    op.summary("Liveness")
}

/// `GET /readyz`.
pub fn readyz(op: TransformOperation<'_>) -> TransformOperation<'_> {
    op.summary("Readiness: every fabric finished its first pass")
        .response_with::<200, Json<Health>, _>(|r| r.description("ready"))
        .response_with::<503, Json<ErrorWith<Health>>, _>(|r| {
            r.description("starting (some fabric has not finished its first pass) or failed (a daemon task died)")
        })
}

/// `GET /metrics`.
pub fn get_metrics(op: TransformOperation<'_>) -> TransformOperation<'_> {
    let op = op.summary("Prometheus metrics (OpenMetrics when the `Accept` header asks for it)");
    not_json(
        op,
        "the exposition",
        &["text/plain", "application/openmetrics-text"],
    )
}

/// `GET /v1/openapi.json`.
pub fn openapi(op: TransformOperation<'_>) -> TransformOperation<'_> {
    op.summary("This document")
        .response_with::<200, Json<serde_json::Value>, _>(|r| r.description("OpenAPI 3.1"))
}

#[cfg(test)]
mod tests {
    use crate::daemon::api::router;
    use crate::daemon::config::Config;
    use crate::daemon::state::Daemon;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// aide reports declarations that contradict each other (a response or parameter given
    /// twice, a request body set twice) to an error handler; the router declares none.
    #[test]
    fn the_declarations_do_not_contradict_each_other() {
        let errors = Rc::new(RefCell::new(Vec::new()));
        let sink = errors.clone();
        aide::generate::on_error(move |e| sink.borrow_mut().push(e.to_string()));
        let daemon = std::sync::Arc::new(Daemon::new(Vec::new(), None));
        let config = Config::empty(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
        let _ = router(daemon, &config);
        assert_eq!(*errors.borrow(), Vec::<String>::new());
    }
}
