//! `Diagnostic`: the one type for every problem a user's input can cause.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{FieldPath, ObjectKey};

/// How bad a diagnostic is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The input is accepted, but something deserves attention (e.g. deprecated MCLAG).
    Warning,
    /// Upstream would refuse the input.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A place in a source text. Lines and columns start at 1.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// The file, if the text came from one.
    pub file: Option<Arc<str>>,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 1.
    pub column: u32,
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}",
            self.file.as_deref().unwrap_or("<input>"),
            self.line,
            self.column
        )
    }
}

/// A problem found in the input: parse errors, schema violations, upstream validation
/// failures and warnings all have this shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable dotted identifier of the rule (`vpc.subnet.vlan-required`).
    pub code: &'static str,
    /// What is wrong, in upstream's words where upstream has a message.
    pub message: String,
    /// The object the problem is in, when it is known.
    pub object: Option<ObjectKey>,
    /// The field inside the object (root when the object as a whole is meant).
    pub path: FieldPath,
    /// Where in the source text, when the object came from text.
    pub span: Option<Span>,
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            object: None,
            path: FieldPath::root(),
            span: None,
        }
    }

    /// A warning diagnostic.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the object.
    pub fn with_object(mut self, key: ObjectKey) -> Self {
        self.object = Some(key);
        self
    }

    /// Sets the field path.
    pub fn at(mut self, path: impl Into<FieldPath>) -> Self {
        self.path = path.into();
        self
    }

    /// Sets the source span.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// Compiler style: `file:line:col: error[code]: Kind/name: path: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(span) = &self.span {
            write!(f, "{span}: ")?;
        }
        write!(f, "{}[{}]: ", self.severity, self.code)?;
        if let Some(key) = &self.object {
            write!(f, "{key}: ")?;
        }
        if !self.path.is_root() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// The flat JSON shape of a diagnostic that the CLI, the HTTP API and Python share:
/// `{severity, code, message, kind, namespace, name, path, file, line, column}`,
/// with `null` for what is unknown.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
#[schemars(rename = "Diagnostic")]
struct Flat {
    severity: Severity,
    code: String,
    message: String,
    kind: Option<String>,
    namespace: Option<String>,
    name: Option<String>,
    path: Option<String>,
    file: Option<String>,
    line: Option<u32>,
    column: Option<u32>,
    #[serde(default, skip_serializing)]
    #[schemars(skip)]
    api_group: Option<String>,
}

/// The schema of the flat JSON form.
impl schemars::JsonSchema for Diagnostic {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Diagnostic".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Flat::json_schema(generator)
    }
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let key = self.object.as_ref();
        Flat {
            severity: self.severity,
            code: self.code.to_owned(),
            message: self.message.clone(),
            kind: key.map(|k| k.kind.clone()),
            namespace: key.map(|k| k.namespace.clone()),
            name: key.map(|k| k.name.clone()),
            path: (!self.path.is_root()).then(|| self.path.to_string()),
            file: self
                .span
                .as_ref()
                .and_then(|s| s.file.as_deref().map(str::to_owned)),
            line: self.span.as_ref().map(|s| s.line),
            column: self.span.as_ref().map(|s| s.column),
            api_group: None,
        }
        .serialize(serializer)
    }
}

/// Codes read back from JSON are interned here so that `code` can stay `&'static str`.
fn intern(code: String) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static CODES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = CODES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(existing) = set.get(code.as_str()) {
        return existing;
    }
    let leaked: &'static str = Box::leak(code.into_boxed_str());
    set.insert(leaked);
    leaked
}

impl<'de> Deserialize<'de> for Diagnostic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let flat = Flat::deserialize(deserializer)?;
        let object = match (flat.kind, flat.name) {
            (Some(kind), Some(name)) => Some(ObjectKey {
                api_group: flat.api_group.unwrap_or_else(|| {
                    kind.parse::<crate::Kind>()
                        .map(|k| k.group().to_owned())
                        .unwrap_or_default()
                }),
                kind,
                namespace: flat.namespace.unwrap_or_default(),
                name,
            }),
            _ => None,
        };
        Ok(Diagnostic {
            severity: flat.severity,
            code: intern(flat.code),
            message: flat.message,
            object,
            path: flat.path.map(|p| FieldPath::parse(&p)).unwrap_or_default(),
            span: flat.line.map(|line| Span {
                file: flat.file.map(Arc::from),
                line,
                column: flat.column.unwrap_or(1),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    #[test]
    fn flat_json_shape_and_text_form() {
        let d = Diagnostic::error(
            "vpc.subnet.vlan-required",
            "subnet default: vlan is required",
        )
        .with_object(ObjectKey::new(Kind::Vpc, "default", "vpc-1"))
        .at("spec.subnets.default.vlan")
        .with_span(Span {
            file: Some("a.yaml".into()),
            line: 7,
            column: 9,
        });
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "severity": "error", "code": "vpc.subnet.vlan-required",
                "message": "subnet default: vlan is required",
                "kind": "VPC", "namespace": "default", "name": "vpc-1",
                "path": "spec.subnets.default.vlan", "file": "a.yaml", "line": 7, "column": 9
            })
        );
        assert_eq!(
            d.to_string(),
            "a.yaml:7:9: error[vpc.subnet.vlan-required]: VPC/vpc-1: spec.subnets.default.vlan: subnet default: vlan is required"
        );
        let back: Diagnostic = serde_json::from_value(json).unwrap();
        assert_eq!(back, d);
        let bare = serde_json::to_value(Diagnostic::warning("x", "y")).unwrap();
        assert!(bare["kind"].is_null() && bare["line"].is_null() && bare["path"].is_null());
    }
}
