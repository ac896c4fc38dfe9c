//! CustomResourceDefinitions of the 14 kinds, generated from the typed models so that they
//! match upstream's controller-gen output (see `tests/crd_equivalence.rs`).
//!
//! kube-derive supplies names, scope, printer columns and the status subresource; the
//! `openAPIV3Schema` comes from schemars with settings and a transform that speak
//! controller-gen's dialect of OpenAPI (no `nullable` for optional fields, Go integer
//! formats, no implicit defaults), so no text is post-processed.

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::{
    CustomResourceDefinition, CustomResourceValidation, JSONSchemaProps,
};
use kube::CustomResourceExt;
use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::Transform;
use schemars::{JsonSchema, Schema, json_schema};
use serde_json::{Map, Value};

use crate::Kind;
use crate::api::{
    Connection, ConnectionSpec, ConnectionStatus, External, ExternalAttachment,
    ExternalAttachmentSpec, ExternalAttachmentStatus, ExternalPeering, ExternalPeeringSpec,
    ExternalPeeringStatus, ExternalSpec, ExternalStatus, Ipv4Namespace, Ipv4NamespaceSpec,
    Ipv4NamespaceStatus, Server, ServerProfile, ServerProfileSpec, ServerProfileStatus, ServerSpec,
    ServerStatus, Switch, SwitchGroup, SwitchGroupSpec, SwitchGroupStatus, SwitchProfile,
    SwitchProfileSpec, SwitchProfileStatus, SwitchSpec, SwitchStatus, VlanNamespace,
    VlanNamespaceSpec, VlanNamespaceStatus, Vpc, VpcAttachment, VpcAttachmentSpec,
    VpcAttachmentStatus, VpcPeering, VpcPeeringSpec, VpcPeeringStatus, VpcSpec, VpcStatus,
};

/// The CRD of a kind, as upstream ships it (modulo descriptions and key order).
pub fn crd(kind: Kind) -> CustomResourceDefinition {
    match kind {
        Kind::SwitchProfile => build::<SwitchProfile, SwitchProfileSpec, SwitchProfileStatus>(kind),
        Kind::VlanNamespace => build::<VlanNamespace, VlanNamespaceSpec, VlanNamespaceStatus>(kind),
        Kind::Ipv4Namespace => build::<Ipv4Namespace, Ipv4NamespaceSpec, Ipv4NamespaceStatus>(kind),
        Kind::SwitchGroup => build::<SwitchGroup, SwitchGroupSpec, SwitchGroupStatus>(kind),
        Kind::Switch => build::<Switch, SwitchSpec, SwitchStatus>(kind),
        Kind::Server => build::<Server, ServerSpec, ServerStatus>(kind),
        Kind::ServerProfile => build::<ServerProfile, ServerProfileSpec, ServerProfileStatus>(kind),
        Kind::Connection => build::<Connection, ConnectionSpec, ConnectionStatus>(kind),
        Kind::External => build::<External, ExternalSpec, ExternalStatus>(kind),
        Kind::ExternalAttachment => {
            build::<ExternalAttachment, ExternalAttachmentSpec, ExternalAttachmentStatus>(kind)
        }
        Kind::Vpc => build::<Vpc, VpcSpec, VpcStatus>(kind),
        Kind::VpcAttachment => build::<VpcAttachment, VpcAttachmentSpec, VpcAttachmentStatus>(kind),
        Kind::VpcPeering => build::<VpcPeering, VpcPeeringSpec, VpcPeeringStatus>(kind),
        Kind::ExternalPeering => {
            build::<ExternalPeering, ExternalPeeringSpec, ExternalPeeringStatus>(kind)
        }
    }
}

/// All 14 CRDs as one multi-document YAML stream, in [`Kind::ALL`] order.
pub fn crds_yaml() -> String {
    let mut out = String::new();
    for kind in Kind::ALL {
        out.push_str("---\n");
        // A CRD is plain data (strings, numbers, maps): serialising it cannot fail.
        out.push_str(&serde_yaml_ng::to_string(&crd(kind)).unwrap_or_default());
    }
    out
}

/// The `openAPIV3Schema` of a kind as JSON, the form the schema checker walks.
pub(crate) fn schema_value(kind: Kind) -> Value {
    match kind {
        Kind::SwitchProfile => root_schema::<SwitchProfileSpec, SwitchProfileStatus>(kind),
        Kind::VlanNamespace => root_schema::<VlanNamespaceSpec, VlanNamespaceStatus>(kind),
        Kind::Ipv4Namespace => root_schema::<Ipv4NamespaceSpec, Ipv4NamespaceStatus>(kind),
        Kind::SwitchGroup => root_schema::<SwitchGroupSpec, SwitchGroupStatus>(kind),
        Kind::Switch => root_schema::<SwitchSpec, SwitchStatus>(kind),
        Kind::Server => root_schema::<ServerSpec, ServerStatus>(kind),
        Kind::ServerProfile => root_schema::<ServerProfileSpec, ServerProfileStatus>(kind),
        Kind::Connection => root_schema::<ConnectionSpec, ConnectionStatus>(kind),
        Kind::External => root_schema::<ExternalSpec, ExternalStatus>(kind),
        Kind::ExternalAttachment => {
            root_schema::<ExternalAttachmentSpec, ExternalAttachmentStatus>(kind)
        }
        Kind::Vpc => root_schema::<VpcSpec, VpcStatus>(kind),
        Kind::VpcAttachment => root_schema::<VpcAttachmentSpec, VpcAttachmentStatus>(kind),
        Kind::VpcPeering => root_schema::<VpcPeeringSpec, VpcPeeringStatus>(kind),
        Kind::ExternalPeering => root_schema::<ExternalPeeringSpec, ExternalPeeringStatus>(kind),
    }
}

fn build<K: CustomResourceExt, S: JsonSchema, St: JsonSchema>(
    kind: Kind,
) -> CustomResourceDefinition {
    let mut crd = K::crd();
    // kube-derive leaves listKind to the API server; controller-gen writes it.
    crd.spec.names.list_kind = Some(format!("{kind}List"));
    let schema: JSONSchemaProps =
        // The schema is generated from our own types, never from input; it always has the
        // shape of JSONSchemaProps (checked by the equivalence test).
        serde_json::from_value(root_schema::<S, St>(kind)).unwrap_or_default();
    for version in &mut crd.spec.versions {
        version.schema = Some(CustomResourceValidation {
            open_api_v3_schema: Some(schema.clone()),
        });
    }
    crd
}

/// The object schema: `apiVersion`, `kind`, `metadata`, `spec`, `status`, as controller-gen
/// writes it for a Go type with `TypeMeta`, `ObjectMeta`, `Spec` and `Status`.
fn root_schema<S: JsonSchema, St: JsonSchema>(kind: Kind) -> Value {
    let mut generator = generator();
    let mut spec = generator.root_schema_for::<S>();
    let description = spec.remove("description").unwrap_or(Value::Null);
    spec.remove("title");
    spec.insert(
        "description".into(),
        format!("Spec is the desired state of the {kind}").into(),
    );
    let mut status = generator.root_schema_for::<St>();
    status.remove("title");
    status.insert(
        "description".into(),
        format!("Status is the observed state of the {kind}").into(),
    );
    let mut root = json_schema!({
        "description": description,
        "type": "object",
        "properties": {
            "apiVersion": {
                "description": "APIVersion defines the versioned schema of this representation of an object.",
                "type": "string"
            },
            "kind": {
                "description": "Kind is a string value representing the REST resource this object represents.",
                "type": "string"
            },
            "metadata": { "type": "object" },
            "spec": spec,
            "status": status
        }
    });
    // Only ExternalAttachment's Go type declares `spec` without `omitempty`.
    if kind == Kind::ExternalAttachment {
        root.insert("required".into(), Value::from(vec!["spec"]));
    }
    root.to_value()
}

fn generator() -> SchemaGenerator {
    let mut settings = SchemaSettings::openapi3();
    settings.inline_subschemas = true;
    settings.meta_schema = None;
    // Runs after openapi3()'s own transforms, so it also sees (and undoes) `AddNullable`.
    settings.transforms.push(Box::new(ControllerGenDialect));
    settings.into_generator()
}

/// Rewrites schemars' output into what controller-gen emits for the same Go type.
#[derive(Clone, Copy, Debug)]
struct ControllerGenDialect;

impl Transform for ControllerGenDialect {
    fn transform(&mut self, schema: &mut Schema) {
        schemars::transform::transform_subschemas(self, schema);
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        drop_null(obj);
        obj.remove("title");
        integer_dialect(obj);
        // serde's `default` is always Go's zero value here, which controller-gen leaves
        // implicit; explicit `+kubebuilder:default` values are never zero in upstream.
        if obj.get("default").is_some_and(is_zero_value) {
            obj.remove("default");
        }
    }
}

/// `Option<T>` becomes plain `T`: Go pointers and `omitempty` fields are not nullable.
fn drop_null(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if let [single] = types.as_slice() {
            let single = single.clone();
            obj.insert("type".into(), single);
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(alternatives)) = obj.get(key) else {
            continue;
        };
        let non_null: Vec<&Value> = alternatives
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        if let ([only], true) = (non_null.as_slice(), alternatives.len() == 2) {
            let Some(inner) = only.as_object().cloned() else {
                continue;
            };
            obj.remove(key);
            for (k, v) in inner {
                obj.entry(k).or_insert(v);
            }
        }
    }
    obj.remove("nullable");
}

/// Go integer types as controller-gen spells them: `uint8`/`uint16` → bare `integer`,
/// `uint32`/`int32` → `format: int32`, `uint64`/`int64` → `format: int64`; the implicit
/// range of the Rust type is dropped, explicit `+kubebuilder:validation` bounds kept.
fn integer_dialect(obj: &mut Map<String, Value>) {
    let Some(format) = obj.get("format").and_then(Value::as_str) else {
        return;
    };
    let (go_format, natural_max): (Option<&str>, u64) = match format {
        "uint8" => (None, u8::MAX.into()),
        "uint16" => (None, u16::MAX.into()),
        "uint32" => (Some("int32"), u32::MAX.into()),
        "uint64" | "uint" => (Some("int64"), u64::MAX),
        _ => return,
    };
    match go_format {
        Some(f) => obj.insert("format".into(), f.into()),
        None => obj.remove("format"),
    };
    let max = obj.get("maximum").and_then(Value::as_u64);
    let min = obj.get("minimum").and_then(Value::as_u64);
    // schemars writes `minimum: 0` (and the type's maximum) for every unsigned type; a bound
    // is ours only when it differs from that natural range.
    let explicit_max = max.is_some_and(|m| m != natural_max);
    if !explicit_max {
        obj.remove("maximum");
        if min == Some(0) {
            obj.remove("minimum");
        }
    }
}

fn is_zero_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_zero_value),
    }
}
