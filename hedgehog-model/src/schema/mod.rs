//! Checks a raw object against its kind's `openAPIV3Schema`, the way the Kubernetes API
//! server validates a custom resource: `type`, `required`, `enum`, `minimum`/`maximum`,
//! `minItems`/`maxItems`, `pattern`, and `additionalProperties` schemas of maps.
//!
//! Unknown fields are not reported here: decoding reports them (`decode.unknown-field`).
//! The schemas are generated once from our types ([`crate::crd`]) and compiled into a tree
//! with ready regexes; a check walks the object and that tree together once.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

mod stream;

pub(crate) use stream::check_typed;

use crate::path::Segment;
use crate::tree::Tree;
use crate::{Diagnostic, FieldPath, Kind};

/// Validates `value`, a raw object of `kind`, against the kind's `openAPIV3Schema` as the
/// API server would, returning one `schema.<rule>` diagnostic per violation (with path, but
/// without object key or span: the caller knows those).
pub fn check(kind: Kind, value: &Value) -> Vec<Diagnostic> {
    let mut walk = Walk::new();
    walk.node(compiled(kind), value);
    walk.out
}

/// The first place in `value`, a raw object of `kind`, where a list stands for what the
/// schema makes an object. Serde's derived structs read a list as their fields in order; Go's
/// decoder refuses it, so the loader must too.
pub(crate) fn list_for_object<T: Tree>(kind: Kind, value: &T) -> Option<FieldPath> {
    let mut found = Vec::new();
    list_for_object_in(compiled(kind), value, &mut found).then(|| {
        let mut path = FieldPath::root();
        for segment in found.into_iter().rev() {
            match segment {
                Segment::Key(key) => path.push_key(key),
                Segment::Index(i) => path.push_index(i),
            }
        }
        path
    })
}

/// Whether `value` has a list where `node` wants an object; if so, `found` holds the path to
/// it, innermost segment first (built only on the way back from a find, so the walk itself
/// allocates nothing).
fn list_for_object_in<T: Tree>(node: &Node, value: &T, found: &mut Vec<Segment>) -> bool {
    if let Some(items) = value.items() {
        if node.ty == Some(Type::Object) {
            return true;
        }
        return node.items.as_deref().is_some_and(|item| {
            items.iter().enumerate().any(|(i, v)| {
                let hit = list_for_object_in(item, v, found);
                if hit {
                    found.push(Segment::Index(i));
                }
                hit
            })
        });
    }
    value.any_entry(|key, v| {
        node.child(key).is_some_and(|child| {
            let hit = list_for_object_in(child, v, found);
            if hit {
                found.push(Segment::Key(key.to_owned()));
            }
            hit
        })
    })
}

/// The JSON types a schema can demand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

impl Type {
    fn parse(name: &str) -> Option<Type> {
        Some(match name {
            "object" => Type::Object,
            "array" => Type::Array,
            "string" => Type::String,
            "integer" => Type::Integer,
            "number" => Type::Number,
            "boolean" => Type::Boolean,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Type::Object => "object",
            Type::Array => "array",
            Type::String => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
        }
    }

    fn matches(self, shape: Shape) -> bool {
        matches!(
            (self, shape),
            (Type::Object, Shape::Object)
                | (Type::Array, Shape::Array)
                | (Type::String, Shape::String)
                | (Type::Boolean, Shape::Bool)
                | (Type::Number, Shape::Number { .. })
                // As the API server: a JSON number is an integer when it has no fraction.
                | (Type::Integer, Shape::Number { whole: true, .. })
        )
    }
}

/// What a value is, as far as the type check and its message go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Null,
    Bool,
    /// `float`: written with a fraction or exponent (JSON type `number`, else `integer`);
    /// `whole`: without a fractional part (an `integer` to the API server).
    Number {
        float: bool,
        whole: bool,
    },
    String,
    Array,
    Object,
}

impl Shape {
    fn of(value: &Value) -> Shape {
        match value {
            Value::Null => Shape::Null,
            Value::Bool(_) => Shape::Bool,
            Value::Number(n) => Shape::number(n),
            Value::String(_) => Shape::String,
            Value::Array(_) => Shape::Array,
            Value::Object(_) => Shape::Object,
        }
    }

    fn number(n: &serde_json::Number) -> Shape {
        Shape::Number {
            float: n.is_f64(),
            whole: n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        }
    }

    /// The JSON type's name, as the API server's messages give it.
    fn name(self) -> &'static str {
        match self {
            Shape::Null => "null",
            Shape::Bool => "boolean",
            Shape::Number { float: true, .. } => "number",
            Shape::Number { float: false, .. } => "integer",
            Shape::String => "string",
            Shape::Array => "array",
            Shape::Object => "object",
        }
    }
}

/// A value without children, borrowed, for the checks of [`Walk::scalar`].
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a serde_json::Number),
    String(&'a str),
}

impl Scalar<'_> {
    fn is(self, value: &Value) -> bool {
        match (self, value) {
            (Scalar::Null, Value::Null) => true,
            (Scalar::Bool(a), Value::Bool(b)) => a == *b,
            (Scalar::Number(a), Value::Number(b)) => a == b,
            (Scalar::String(a), Value::String(b)) => a == b,
            _ => false,
        }
    }

    /// As JSON, for a message (made only when something is reported).
    fn to_value(self) -> Value {
        match self {
            Scalar::Null => Value::Null,
            Scalar::Bool(b) => Value::Bool(b),
            Scalar::Number(n) => Value::Number(n.clone()),
            Scalar::String(s) => Value::from(s),
        }
    }
}

/// One compiled schema node.
#[derive(Debug, Default)]
struct Node {
    ty: Option<Type>,
    /// Sorted by name: a handful per object, where a binary search beats hashing the key.
    properties: Vec<(String, Node)>,
    required: Vec<String>,
    additional: Option<Box<Node>>,
    items: Option<Box<Node>>,
    enumeration: Vec<Value>,
    minimum: Option<f64>,
    maximum: Option<f64>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    pattern: Option<(String, Regex)>,
}

impl Node {
    /// The schema of the field `key` of an object of this schema: its own property, else
    /// the `additionalProperties` schema of a map.
    fn child(&self, key: &str) -> Option<&Node> {
        self.properties
            .binary_search_by(|(name, _)| name.as_str().cmp(key))
            .ok()
            .and_then(|i| self.properties.get(i))
            .map(|(_, node)| node)
            .or(self.additional.as_deref())
    }

    fn compile(schema: &Value) -> Node {
        let get = |key: &str| schema.get(key);
        let usize_of = |key: &str| {
            get(key)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let sub = |key: &str| {
            get(key)
                .filter(|v| v.is_object())
                .map(|v| Box::new(Node::compile(v)))
        };
        Node {
            ty: get("type").and_then(Value::as_str).and_then(Type::parse),
            properties: get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    let mut compiled: Vec<(String, Node)> = props
                        .iter()
                        .map(|(k, v)| (k.clone(), Node::compile(v)))
                        .collect();
                    compiled.sort_by(|a, b| a.0.cmp(&b.0));
                    compiled
                })
                .unwrap_or_default(),
            required: get("required")
                .and_then(Value::as_array)
                .map(|names| {
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            additional: sub("additionalProperties"),
            items: sub("items"),
            enumeration: get("enum")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            minimum: get("minimum").and_then(Value::as_f64),
            maximum: get("maximum").and_then(Value::as_f64),
            min_items: usize_of("minItems"),
            max_items: usize_of("maxItems"),
            // Our patterns are upstream's and all compile with `regex` (no look-around); one
            // that did not would be skipped rather than fail every check.
            pattern: get("pattern")
                .and_then(Value::as_str)
                .and_then(|p| Regex::new(p).ok().map(|re| (p.to_owned(), re))),
        }
    }
}

fn compiled(kind: Kind) -> &'static Node {
    // `Kind::ALL` is in rank order and has one entry per kind: the rank is always in range.
    &all_compiled()[kind.rank()]
}

/// The schema of every kind, compiled on first use.
fn all_compiled() -> &'static [Node; 14] {
    static SCHEMAS: OnceLock<[Node; 14]> = OnceLock::new();
    SCHEMAS.get_or_init(|| Kind::ALL.map(|k| Node::compile(&crate::crd::schema_value(k))))
}

/// Compiles the schemas now rather than on first use ([`crate::prepare`]).
pub(crate) fn prepare() {
    all_compiled();
}

/// A path segment, borrowed from the object being walked where it can be; turned into a
/// [`FieldPath`] only when something is reported.
enum Seg<'v> {
    Key(Cow<'v, str>),
    Index(usize),
}

/// The checks of one object: the path to where it is, and what was found. [`Walk::node`]
/// walks a JSON value; [`stream`] walks a typed object as it serialises. Both report through
/// the same checks, so they give the same diagnostics.
struct Walk<'v> {
    path: Vec<Seg<'v>>,
    out: Vec<Diagnostic>,
}

impl<'v> Walk<'v> {
    fn new() -> Self {
        Walk {
            path: Vec::new(),
            out: Vec::new(),
        }
    }

    fn field_path(&self) -> FieldPath {
        let mut path = FieldPath::root();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => path.push_key(k.as_ref()),
                Seg::Index(i) => path.push_index(*i),
            }
        }
        path
    }

    fn report(&mut self, code: &'static str, message: String) {
        let path = self.field_path();
        self.out.push(Diagnostic::error(code, message).at(path));
    }

    /// Whether a value of `shape` has the node's type; reports it when not.
    fn type_ok(&mut self, node: &Node, shape: Shape) -> bool {
        let Some(ty) = node.ty else { return true };
        if ty.matches(shape) {
            return true;
        }
        let actual = shape.name();
        let path = self.field_path();
        self.report(
            "schema.type",
            format!(
                "Invalid value: \"{actual}\": {path} in body must be of type {}: \"{actual}\"",
                ty.name()
            ),
        );
        false
    }

    /// The `enum` rule for any value.
    fn enumeration(&mut self, node: &Node, is: impl Fn(&Value) -> bool, value: impl Fn() -> Value) {
        if node.enumeration.is_empty() || node.enumeration.iter().any(is) {
            return;
        }
        let mut supported = String::new();
        for (i, v) in node.enumeration.iter().enumerate() {
            if i > 0 {
                supported.push_str(", ");
            }
            let _ = write!(supported, "{v}");
        }
        self.report(
            "schema.enum",
            format!(
                "Unsupported value: {}: supported values: {supported}",
                value()
            ),
        );
    }

    /// The rules of a value without children (after its type): `enum`, bounds, `pattern`.
    fn scalar(&mut self, node: &Node, scalar: Scalar<'_>) {
        self.enumeration(node, |v| scalar.is(v), || scalar.to_value());
        match scalar {
            Scalar::Number(n) => self.number(node, n.as_f64().unwrap_or(0.0), scalar),
            Scalar::String(s) => self.string(node, s),
            Scalar::Null | Scalar::Bool(_) => {}
        }
    }

    fn number(&mut self, node: &Node, n: f64, value: Scalar<'_>) {
        if let Some(min) = node.minimum
            && n < min
        {
            let path = self.field_path();
            let value = value.to_value();
            self.report(
                "schema.minimum",
                format!("Invalid value: {value}: {path} in body should be greater than or equal to {min}"),
            );
        }
        if let Some(max) = node.maximum
            && n > max
        {
            let path = self.field_path();
            let value = value.to_value();
            self.report(
                "schema.maximum",
                format!(
                    "Invalid value: {value}: {path} in body should be less than or equal to {max}"
                ),
            );
        }
    }

    fn string(&mut self, node: &Node, s: &str) {
        if let Some((source, re)) = &node.pattern
            && !re.is_match(s)
        {
            let path = self.field_path();
            self.report(
                "schema.pattern",
                format!(
                    "Invalid value: {}: {path} in body should match '{source}'",
                    Value::from(s)
                ),
            );
        }
    }

    /// `minItems` and `maxItems` of a list of `len` items.
    fn items(&mut self, node: &Node, len: usize) {
        if let Some(min) = node.min_items
            && len < min
        {
            let path = self.field_path();
            self.report(
                "schema.min-items",
                format!("Invalid value: {len}: {path} in body should have at least {min} items"),
            );
        }
        if let Some(max) = node.max_items
            && len > max
        {
            self.report(
                "schema.max-items",
                format!("Too many: {len}: must have at most {max} items"),
            );
        }
    }

    /// `required`: `present` tells whether a field has a value other than null (the API
    /// server prunes nulls before validating, so a null is a missing value).
    fn required(&mut self, node: &Node, present: impl Fn(&str) -> bool) {
        for name in &node.required {
            if !present(name) {
                let mut path = self.field_path();
                path.push_key(name.clone());
                self.out
                    .push(Diagnostic::error("schema.required", "Required value").at(path));
            }
        }
    }

    fn node(&mut self, node: &Node, value: &'v Value) {
        if !self.type_ok(node, Shape::of(value)) {
            return;
        }
        match value {
            Value::Null => self.scalar(node, Scalar::Null),
            Value::Bool(b) => self.scalar(node, Scalar::Bool(*b)),
            Value::Number(n) => self.scalar(node, Scalar::Number(n)),
            Value::String(s) => self.scalar(node, Scalar::String(s)),
            Value::Array(items) => {
                self.enumeration(node, |v| v == value, || value.clone());
                self.items(node, items.len());
                if let Some(item_node) = &node.items {
                    for (i, item) in items.iter().enumerate() {
                        self.path.push(Seg::Index(i));
                        self.node(item_node, item);
                        self.path.pop();
                    }
                }
            }
            Value::Object(map) => {
                self.enumeration(node, |v| v == value, || value.clone());
                self.required(node, |name| map.get(name).is_some_and(|v| !v.is_null()));
                for (key, child) in map {
                    let Some(child_node) = node.child(key) else {
                        continue;
                    };
                    if child.is_null() {
                        continue;
                    }
                    self.path.push(Seg::Key(Cow::Borrowed(key)));
                    self.node(child_node, child);
                    self.path.pop();
                }
            }
        }
    }
}
