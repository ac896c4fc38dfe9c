//! Rejections in the API's error shape: extractors whose rejections are [`ApiError`]s (and
//! that document them in the OpenAPI document), and a last layer that puts any other error
//! answer (a timeout, a method the route does not have) into `{"error": {"code", "message"}}`.

use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::{MediaType, Operation, RequestBody, SchemaObject};
use aide::operation::{ParamLocation, add_parameters, parameters_from_schema, set_body};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hedgehog_sync::codes;
use schemars::{JsonSchema, Schema};
use serde::de::DeserializeOwned;

use super::api::{ApiError, body};
use super::openapi::{add_error, input_schema};

/// The query string, deserialised; a query that does not fit is a 400 `query.invalid`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(q)| Query(q))
            .map_err(|e| ApiError::new(e.status(), codes::QUERY_INVALID.code, e.body_text()))
    }
}

impl<T: JsonSchema> OperationInput for Query<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let schema = input_schema::<T>();
        let parameters = parameters_from_schema(ctx, schema, ParamLocation::Query);
        add_parameters(ctx, operation, parameters);
        add_error(
            ctx,
            operation,
            400,
            "the query string does not fit its parameters",
        );
    }
}

/// The path parameters; a parameter that does not decode is a 400 `path.invalid`.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(p)| Path(p))
            .map_err(|e| {
                let code = if e.status().is_client_error() {
                    codes::PATH_INVALID.code
                } else {
                    codes::INTERNAL.code
                };
                ApiError::new(e.status(), code, e.body_text())
            })
    }
}

impl<T: JsonSchema> OperationInput for Path<T> {
    /// Parameters of an object `T` are documented by aide; a single value's parameter is
    /// named by the route template (see `openapi::template_parameters`).
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Path::<T>::operation_input(ctx, operation);
        add_error(ctx, operation, 400, "a path parameter does not decode");
    }
}

/// A request body of UTF-8 text (YAML or JSON) within the body limit: 413 `body.too-large`
/// beyond it, 400 `body.unreadable` or `body.not-utf8`.
pub struct Text(pub String);

impl<S: Send + Sync> FromRequest<S> for Text {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        body(Bytes::from_request(request, state).await).map(Text)
    }
}

impl OperationInput for Text {
    /// Any JSON or YAML value is accepted (what does not describe Kubernetes objects is
    /// reported in the answer), so those media types carry the schema that allows anything.
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let media = |json_schema: Schema| MediaType {
            schema: Some(SchemaObject {
                json_schema,
                example: None,
                external_docs: None,
            }),
            ..MediaType::default()
        };
        let any = media(Schema::default());
        let content = [
            ("application/yaml", any.clone()),
            ("application/json", any),
            ("text/plain", media(ctx.schema.subschema_for::<String>())),
        ];
        // An empty body is an empty stream of documents, so the body is optional.
        let body = RequestBody {
            description: Some("YAML or JSON text: Kubernetes objects".into()),
            content: content
                .into_iter()
                .map(|(t, m)| (t.to_owned(), m))
                .collect(),
            required: false,
            ..RequestBody::default()
        };
        set_body(ctx, operation, body);
        add_error(
            ctx,
            operation,
            400,
            "the body is not UTF-8 text or could not be read",
        );
        add_error(
            ctx,
            operation,
            413,
            "the body is larger than `max_body_bytes`",
        );
    }
}

/// The error code of an answer that was not made by a handler.
fn code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::METHOD_NOT_ALLOWED => codes::METHOD_NOT_ALLOWED.code,
        StatusCode::REQUEST_TIMEOUT => codes::REQUEST_TIMEOUT.code,
        StatusCode::PAYLOAD_TOO_LARGE => codes::BODY_TOO_LARGE.code,
        StatusCode::SERVICE_UNAVAILABLE => codes::UNAVAILABLE.code,
        s if s.is_server_error() => codes::INTERNAL.code,
        _ => codes::REQUEST_INVALID.code,
    }
}

/// Rebuilds an error answer that is not JSON (a layer's or the router's) in the error shape,
/// keeping its status and headers (`Allow`, `Retry-After`, …) and its text as the message.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    // Such answers carry at most a line of text; a longer or unreadable one is not a message.
    let text = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .filter(|t| !t.trim().is_empty());
    let message = text.unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
    let mut shaped = ApiError::new(status, code(status), message).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            shaped.headers_mut().append(name, value.clone());
        }
    }
    shaped
}

#[cfg(test)]
mod tests {
    //! Every error answer, provoked over real HTTP on 127.0.0.1 from the real router (with the
    //! demo fabric, no pass run), is in the error shape and documented for its operation.

    use std::net::SocketAddr;
    use std::time::Duration;

    use axum::http::Method;
    use hedgehog_benches::daemon::Client;
    use hedgehog_sync::secret::SecretString;
    use serde_json::Value;
    use tempfile::TempDir;

    use crate::daemon::api::router;
    use crate::daemon::config::{Config, Scope, Token};
    use crate::daemon::{daemon, demo};

    const READ: &str = "read-token-0123456789";
    const WRITE: &str = "write-token-0123456789";

    /// The router of a daemon of the demo fabric (its scheduler never runs) served on a
    /// loopback port, and a client; the directory holds the fabric's repository.
    async fn demo(tokens: Vec<Token>, max_body: usize, timeout: Duration) -> (TempDir, Client) {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config::empty(SocketAddr::from(([127, 0, 0, 1], 0)));
        config.fabrics.push(demo::fabric(dir.path()).await.unwrap());
        config.tokens = tokens;
        config.max_body_bytes = max_body;
        config.request_timeout = timeout;
        let app = router(daemon(&config).await.unwrap(), &config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (dir, Client::connect(addr).await.unwrap())
    }

    fn tokens() -> Vec<Token> {
        [
            ("reader", Scope::Read, READ),
            ("writer", Scope::Write, WRITE),
        ]
        .into_iter()
        .map(|(name, scope, secret)| Token {
            name: name.into(),
            scope,
            secret: SecretString::from(secret),
        })
        .collect()
    }

    /// `count` VPCs: enough YAML to keep validation busy for more than a millisecond.
    fn many_vpcs(count: usize) -> String {
        (0..count)
            .map(|i| {
                format!(
                    "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-{i}\n\
                     spec:\n  subnets:\n    default:\n      subnet: 10.{}.{}.0/24\n      vlan: {}\n---\n",
                    i / 256,
                    i % 256,
                    1000 + i % 2000
                )
            })
            .collect()
    }

    /// One provoked error: the request, what must come back, where the document lists it.
    struct Case {
        method: Method,
        uri: &'static str,
        token: Option<&'static str>,
        body: Vec<u8>,
        status: u16,
        code: &'static str,
        /// The operation (path template, method) that documents it; `None` when the request
        /// matches no operation (an unknown path or method).
        documented: Option<(&'static str, &'static str)>,
    }

    fn case(method: Method, uri: &'static str, status: u16, code: &'static str) -> Case {
        Case {
            method,
            uri,
            token: None,
            body: Vec::new(),
            status,
            code,
            documented: None,
        }
    }

    impl Case {
        fn doc(mut self, path: &'static str, method: &'static str) -> Case {
            self.documented = Some((path, method));
            self
        }
        fn body(mut self, body: impl Into<Vec<u8>>) -> Case {
            self.body = body.into();
            self
        }
        fn token(mut self, token: &'static str) -> Case {
            self.token = Some(token);
            self
        }
    }

    async fn check(c: &mut Client, cases: Vec<Case>) {
        let doc = c.get("/v1/openapi.json", None).await.unwrap().json();
        for case in cases {
            let what = format!("{} {}", case.method, case.uri);
            let r = c
                .send(case.method, case.uri, case.token, case.body)
                .await
                .unwrap();
            assert_eq!(r.status.as_u16(), case.status, "{what}: {}", r.text());
            assert_eq!(
                r.headers["content-type"],
                "application/json",
                "{what}: {}",
                r.text()
            );
            let body = r.json();
            assert_eq!(body["error"]["code"], case.code, "{what}: {body}");
            assert!(body["error"]["message"].is_string(), "{what}: {body}");
            let Some((path, method)) = case.documented else {
                continue;
            };
            let response = &doc["paths"][path][method]["responses"][case.status.to_string()];
            let schema = response["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{what}: {} not documented: {response}", case.status));
            let name = schema.trim_start_matches("#/components/schemas/");
            let required = &doc["components"]["schemas"][name]["required"];
            assert!(
                required
                    .as_array()
                    .is_some_and(|r| r.contains(&Value::from("error"))),
                "{what}: {name} does not require `error`: {required}"
            );
        }
    }

    #[tokio::test]
    async fn every_error_answer_is_in_the_error_shape_and_documented() {
        let (_dir, mut c) = demo(Vec::new(), 64 * 1024, Duration::from_secs(30)).await;
        use Method as M;
        check(
            &mut c,
            vec![
                case(M::POST, "/v1/validate?fabric=maybe", 400, "query.invalid")
                    .doc("/v1/validate", "post"),
                case(M::POST, "/v1/render?headers=2", 400, "query.invalid")
                    .doc("/v1/render", "post"),
                case(M::GET, "/v1/fabrics/%FF", 400, "path.invalid")
                    .doc("/v1/fabrics/{name}", "get"),
                case(M::POST, "/v1/validate", 400, "body.not-utf8")
                    .body([0xff, 0xfe, 0x00])
                    .doc("/v1/validate", "post"),
                case(M::POST, "/v1/render", 413, "body.too-large")
                    .body(vec![b'#'; 64 * 1024 + 1])
                    .doc("/v1/render", "post"),
                case(M::GET, "/v1/fabrics/nope", 404, "fabric.not-found")
                    .doc("/v1/fabrics/{name}", "get"),
                case(M::POST, "/v1/fabrics/nope/sync", 404, "fabric.not-found")
                    .doc("/v1/fabrics/{name}/sync", "post"),
                case(M::GET, "/v1/operations/nope", 404, "operation.not-found")
                    .doc("/v1/operations/{id}", "get"),
                case(M::POST, "/v1/render", 422, "render.not-loaded")
                    .body("kind: [")
                    .doc("/v1/render", "post"),
                case(M::GET, "/v1/fabrics/demo/drift", 503, "fabric.not-synced")
                    .doc("/v1/fabrics/{name}/drift", "get"),
                case(M::GET, "/readyz", 503, "daemon.starting").doc("/readyz", "get"),
                case(M::PUT, "/v1/fabrics", 405, "method.not-allowed"),
                case(M::GET, "/v1/nothing-here", 404, "route.not-found"),
            ],
        )
        .await;
        let allowed = c.send(Method::DELETE, "/healthz", None, Vec::new()).await;
        assert_eq!(allowed.unwrap().headers["allow"], "GET,HEAD");
    }

    #[tokio::test]
    async fn a_request_timeout_is_a_documented_json_408() {
        let (_dir, mut c) = demo(Vec::new(), 8 << 20, Duration::from_millis(1)).await;
        let case = case(Method::POST, "/v1/validate", 408, "request.timeout")
            .body(many_vpcs(2000))
            .doc("/v1/validate", "post");
        check(&mut c, vec![case]).await;
    }

    #[tokio::test]
    async fn with_tokens_401_and_403_are_documented_where_the_layers_answer_them() {
        let (_dir, mut c) = demo(tokens(), 64 * 1024, Duration::from_secs(30)).await;
        use Method as M;
        check(
            &mut c,
            vec![
                case(M::GET, "/v1/fabrics", 401, "auth.unauthorized").doc("/v1/fabrics", "get"),
                case(M::GET, "/metrics", 401, "auth.unauthorized").doc("/metrics", "get"),
                case(M::POST, "/v1/fabrics/demo/sync", 401, "auth.unauthorized")
                    .token("not-a-token-0123456789")
                    .doc("/v1/fabrics/{name}/sync", "post"),
                case(M::POST, "/v1/fabrics/demo/sync", 403, "auth.forbidden")
                    .token(READ)
                    .doc("/v1/fabrics/{name}/sync", "post"),
            ],
        )
        .await;
        let doc = c.get("/v1/openapi.json", None).await.unwrap().json();
        let ops = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                let item = item.as_object().unwrap();
                item.iter()
                    .map(move |(method, op)| (format!("{method} {path}"), op.clone()))
            });
        for (what, op) in ops {
            let open =
                ["get /healthz", "get /readyz", "get /v1/openapi.json"].contains(&what.as_str());
            let responses = &op["responses"];
            assert_eq!(op["security"].is_null(), open, "{what}: {op}");
            assert_eq!(responses["401"].is_null(), open, "{what}");
            // Every token may read, so only the write route can answer 403.
            let writes = what == "post /v1/fabrics/{name}/sync";
            assert_eq!(responses["403"].is_object(), writes, "{what}");
            assert!(responses["408"].is_object(), "{what}");
        }
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    }

    #[tokio::test]
    async fn without_tokens_the_document_asks_for_none() {
        let (_dir, mut c) = demo(Vec::new(), 64 * 1024, Duration::from_secs(30)).await;
        let doc = c.get("/v1/openapi.json", None).await.unwrap().json();
        assert!(doc["components"]["securitySchemes"].is_null(), "{doc}");
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                assert!(op["security"].is_null(), "{method} {path}");
                assert!(op["responses"]["401"].is_null(), "{method} {path}");
            }
        }
    }
}
