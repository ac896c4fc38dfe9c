//! The OpenAPI 3 document of the API, its schemas generated from the Rust types the
//! handlers serialise.

use hedgehog_model::ValidationReport;
use hedgehog_sync::drift::DriftReport;
use hedgehog_sync::fabric::ConnectionTest;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::api::{ErrorBody, FabricView, GitopsStatus, Health, SyncStarted};
use super::state::Operation;

/// The document served at `/v1/openapi.json`.
pub fn document() -> Value {
    let mut generator = SchemaSettings::openapi3().into_generator();
    let mut schema =
        |f: fn(&mut schemars::SchemaGenerator) -> schemars::Schema| f(&mut generator).to_value();
    let error = schema(|g| g.subschema_for::<ErrorBody>());
    let validation = schema(|g| g.subschema_for::<ValidationReport>());
    let drift = schema(|g| g.subschema_for::<DriftReport>());
    let fabric = schema(|g| g.subschema_for::<FabricView>());
    let fabrics = schema(|g| g.subschema_for::<Vec<FabricView>>());
    let started = schema(|g| g.subschema_for::<SyncStarted>());
    let operation = schema(|g| g.subschema_for::<Operation>());
    let gitops = schema(|g| g.subschema_for::<GitopsStatus>());
    let health = schema(|g| g.subschema_for::<Health>());
    let connection = schema(|g| g.subschema_for::<ConnectionTest>());
    let schemas = generator.take_definitions(true);

    let ok = |description: &str, schema: &Value| json!({"description": description, "content": {"application/json": {"schema": schema}}});
    let errors = json!({
        "400": ok("invalid input", &error), "401": ok("no or unknown bearer token", &error),
        "403": ok("the token's scope does not allow this", &error), "404": ok("no such fabric or operation", &error),
    });
    let busy = json!({"description": "busy: too much CPU work is running or waiting; retry after the seconds in Retry-After",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": &error}}});
    let with_errors = |mut responses: Value| {
        if let (Some(r), Some(e)) = (responses.as_object_mut(), errors.as_object()) {
            for (k, v) in e {
                r.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        responses
    };
    let name =
        json!([{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}]);
    let yaml_body = json!({"required": true, "content": {
        "application/yaml": {"schema": {"type": "string"}}, "application/json": {"schema": {"type": "string"}}}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "hedgehogd", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Validation, drift and GitOps sync of Hedgehog Open Network Fabric."},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/v1/validate": {"post": {"summary": "Validate YAML or JSON objects (the CLI's JSON report)",
                "parameters": [{"name": "fabric", "in": "query", "schema": {"type": "boolean", "default": true}}],
                "requestBody": yaml_body,
                "responses": with_errors(json!({"200": ok("the validation report", &validation),
                    "413": ok("body too large", &error), "503": busy}))}},
            "/v1/render": {"post": {"summary": "Render objects as canonical YAML",
                "parameters": [{"name": "headers", "in": "query", "schema": {"type": "boolean", "default": false}}],
                "requestBody": yaml_body,
                "responses": with_errors(json!({"200": {"description": "canonical YAML",
                    "content": {"application/yaml": {"schema": {"type": "string"}}}},
                    "422": ok("the input does not load", &validation), "413": ok("body too large", &error),
                    "503": busy}))}},
            "/v1/fabrics": {"get": {"summary": "Every fabric", "responses": with_errors(json!({"200": ok("fabrics", &fabrics)}))}},
            "/v1/fabrics/{name}": {"get": {"summary": "Status, last sync and drift summary of a fabric",
                "parameters": name, "responses": with_errors(json!({"200": ok("the fabric", &fabric)}))}},
            "/v1/fabrics/{name}/drift": {"get": {"summary": "The per-object drift report",
                "parameters": [name[0], {"name": "kind", "in": "query", "schema": {"type": "string"}},
                               {"name": "state", "in": "query", "schema": {"type": "string"}}],
                "responses": with_errors(json!({"200": ok("the drift report", &drift),
                    "503": ok("no pass has completed yet", &error)}))}},
            "/v1/fabrics/{name}/test-connection": {"post": {"summary": "Test the Git remote and the cluster",
                "parameters": name, "responses": with_errors(json!({"200": ok("what was found", &connection)}))}},
            "/v1/fabrics/{name}/sync": {"post": {"summary": "Start a sync pass (write scope)",
                "parameters": name, "responses": with_errors(json!({"202": ok("the new or the running operation", &started)}))}},
            "/v1/fabrics/{name}/gitops-status": {"get": {"summary": "Branch, head, last synced commit, pending changes",
                "parameters": name, "responses": with_errors(json!({"200": ok("the GitOps status", &gitops)}))}},
            "/v1/operations/{id}": {"get": {"summary": "A sync operation",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": with_errors(json!({"200": ok("the operation", &operation)}))}},
            "/healthz": {"get": {"summary": "Liveness", "security": [], "responses": {"200": ok("alive", &health)}}},
            "/readyz": {"get": {"summary": "Readiness: every fabric finished its first pass", "security": [],
                "responses": {"200": ok("ready", &health),
                    "503": ok("starting (a fabric has not finished its first pass) or failed (a daemon task died)", &health)}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text format",
                "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/v1/openapi.json": {"get": {"summary": "This document", "security": [],
                "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {}}}}}},
        }
    })
}
