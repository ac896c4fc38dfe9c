//! `Object`: one enum over every modelled kind, plus `Unknown` for anything else.

use serde::Serialize;
use serde_json::Value;

use crate::api::{
    Connection, External, ExternalAttachment, ExternalPeering, Ipv4Namespace, Server,
    ServerProfile, Switch, SwitchGroup, SwitchProfile, VlanNamespace, Vpc, VpcAttachment,
    VpcPeering,
};
use crate::tree::Tree;
use crate::{Diagnostic, FieldPath, Kind, ObjectKey};

/// A field found in the input that the typed model does not know. It is reported and kept,
/// and [`Object::to_value_with`] puts it back, so nothing the user wrote is lost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnknownField {
    /// Where the field is inside the object.
    pub path: FieldPath,
    /// Its value as written.
    pub value: Value,
}

macro_rules! objects {
    ($($variant:ident),* $(,)?) => {
        /// An object of a modelled kind, or any other document kept verbatim.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Object {
            $(
                #[doc = concat!("A `", stringify!($variant), "`.")]
                $variant(Box<$variant>),
            )*
            /// A document of a kind this crate does not model (or that failed to decode),
            /// kept exactly as written.
            Unknown(Box<Value>),
        }

        impl Object {
            /// The modelled kind, or `None` for [`Object::Unknown`].
            pub fn kind(&self) -> Option<Kind> {
                match self {
                    $(Object::$variant(_) => Some(Kind::$variant),)*
                    Object::Unknown(_) => None,
                }
            }

            /// The object's metadata; `None` for an unknown document.
            pub fn meta(&self) -> Option<&kube::core::ObjectMeta> {
                match self {
                    $(Object::$variant(o) => Some(&o.metadata),)*
                    Object::Unknown(_) => None,
                }
            }

            /// The object's metadata, mutable; `None` for an unknown document.
            pub fn meta_mut(&mut self) -> Option<&mut kube::core::ObjectMeta> {
                match self {
                    $(Object::$variant(o) => Some(&mut o.metadata),)*
                    Object::Unknown(_) => None,
                }
            }

            /// The object as JSON (without unknown fields; see [`Object::to_value_with`]).
            pub fn to_value(&self) -> Value {
                let result = match self {
                    $(Object::$variant(o) => serde_json::to_value(o),)*
                    Object::Unknown(v) => return (**v).clone(),
                };
                // Typed objects only hold strings, numbers, bools, maps and lists: serialising
                // them to a JSON value cannot fail.
                result.unwrap_or(Value::Null)
            }

            /// The CRD schema check of a typed object (as [`crate::check_schema`] of its
            /// value, without making the value); `None` for an unknown document.
            pub(crate) fn check_schema(&self) -> Option<Vec<Diagnostic>> {
                match self {
                    $(Object::$variant(o) => {
                        Some(crate::schema::check_typed(Kind::$variant, o.as_ref()))
                    })*
                    Object::Unknown(_) => None,
                }
            }

            /// Decodes an object of `kind` from `de` as it is.
            pub(crate) fn decode_plain<'de, D: serde::Deserializer<'de>>(
                kind: Kind,
                de: D,
            ) -> Result<Object, D::Error> {
                Ok(match kind {
                    $(Kind::$variant => Object::$variant(Box::new(
                        <$variant as serde::Deserialize>::deserialize(de)?
                    )),)*
                })
            }

            /// Where decoding `value` fails. Tracking paths costs an allocation per field,
            /// so it runs only once a plain decode has failed.
            fn error_path(kind: Kind, value: &Value) -> FieldPath {
                let mut track = serde_path_to_error::Track::new();
                let de = serde_path_to_error::Deserializer::new(value, &mut track);
                let failed = match kind {
                    $(Kind::$variant => <$variant as serde::Deserialize>::deserialize(de).is_err(),)*
                };
                if failed { tracked_path(&track.path()) } else { FieldPath::root() }
            }
        }
    };
}

objects!(
    SwitchProfile,
    VlanNamespace,
    Ipv4Namespace,
    SwitchGroup,
    Switch,
    Server,
    ServerProfile,
    Connection,
    External,
    ExternalAttachment,
    Vpc,
    VpcAttachment,
    VpcPeering,
    ExternalPeering,
);

/// The result of decoding one JSON value into an [`Object`].
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The object; [`Object::Unknown`] when the kind is not modelled or did not decode.
    pub object: Object,
    /// Fields the model does not know, kept to be written back.
    pub unknown: Vec<UnknownField>,
    /// Unknown fields and type errors, as diagnostics (without object span).
    pub diagnostics: Vec<Diagnostic>,
}

impl Object {
    /// Decodes a JSON value strictly: a modelled `apiVersion`/`kind` becomes a typed object,
    /// each field the model does not know becomes a diagnostic and an [`UnknownField`];
    /// a value that does not fit the model (a string where a number belongs…) is a diagnostic
    /// and the document is kept verbatim as [`Object::Unknown`].
    pub fn from_value(value: Value) -> Decoded {
        let api_version = value.get("apiVersion").and_then(Value::as_str);
        let kind_name = value.get("kind").and_then(Value::as_str);
        let Some(kind) = api_version
            .zip(kind_name)
            .and_then(|(a, k)| Kind::from_type(a, k))
        else {
            return Decoded {
                object: Object::Unknown(Box::new(value)),
                unknown: Vec::new(),
                diagnostics: Vec::new(),
            };
        };
        let mut unknown_paths = Vec::new();
        let mut result = Object::decode_typed(kind, &value, &mut unknown_paths);
        // Go decodes `field: null` (and a bare or missing `spec`) as the zero value, serde
        // refuses it for plain fields: retry without the null entries. Rare, so the common
        // path pays nothing; an unknown field whose value is null is then dropped with its null.
        let value = if result.is_err() && (has_null_entry(&value) || value.get("spec").is_none()) {
            let mut stripped = without_null_entries(&value);
            // The generated resource types require `spec`; a bare or missing `spec` means an
            // empty one.
            if let Value::Object(map) = &mut stripped {
                map.entry("spec")
                    .or_insert_with(|| Value::Object(Default::default()));
            }
            let mut retry_paths = Vec::new();
            match Object::decode_typed(kind, &stripped, &mut retry_paths) {
                Ok(object) => {
                    result = Ok(object);
                    unknown_paths = retry_paths;
                    stripped
                }
                Err(_) => value,
            }
        } else {
            value
        };
        // Serde reads a list as a struct's fields in order; Go refuses it (found by the
        // differential fuzzer: `static: {mac: [10.0.1.5]}` decoded as an IP).
        let result = result.and_then(
            |object| match crate::schema::list_for_object(kind, &value) {
                Some(path) => Err(serde::de::Error::custom(format!(
                    "{path}: invalid type: sequence, expected a map"
                ))),
                None => Ok(object),
            },
        );
        match result {
            Ok(object) => Object::with_unknown(object, unknown_paths, &value),
            Err(err) => {
                let key = key_of_value(&value);
                let diagnostic =
                    Diagnostic::error("decode.invalid-value", format!("{kind}: {err}"))
                        .at(Object::error_path(kind, &value));
                let diagnostic = match key {
                    Some(k) => diagnostic.with_object(k),
                    None => diagnostic,
                };
                Decoded {
                    object: Object::Unknown(Box::new(value)),
                    unknown: Vec::new(),
                    diagnostics: vec![diagnostic],
                }
            }
        }
    }

    /// [`Object::from_value`] of a document's JSON value, decoded by `decode` from the document
    /// itself without making that value (`decode` gives the object and the paths of the fields
    /// it ignored): `None` when the kind is not modelled or the document does not decode
    /// cleanly (the caller then decodes the JSON value, which says why). Both decodings agree
    /// wherever this one answers.
    pub(crate) fn from_tree<T: Tree>(
        doc: &T,
        decode: impl FnOnce(Kind) -> Option<(Object, Vec<FieldPath>)>,
    ) -> Option<Decoded> {
        let api_version = doc.field("apiVersion").and_then(Tree::text)?;
        let kind = Kind::from_type(api_version, doc.field("kind").and_then(Tree::text)?)?;
        let (object, mut unknown_paths) = decode(kind)?;
        unknown_paths.retain(|path| !is_type_meta(path));
        if crate::schema::list_for_object(kind, doc).is_some() {
            return None;
        }
        Some(Object::with_unknown(object, unknown_paths, doc))
    }

    /// Decodes `kind` from `de`, recording the path of every field the model ignores.
    fn decode_typed<'de, D: serde::Deserializer<'de>>(
        kind: Kind,
        de: D,
        unknown: &mut Vec<FieldPath>,
    ) -> Result<Object, D::Error> {
        let mut record = |path: serde_ignored::Path<'_>| {
            let path = ignored_path(&path);
            if !is_type_meta(&path) {
                unknown.push(path);
            }
        };
        Object::decode_plain(kind, serde_ignored::Deserializer::new(de, &mut record))
    }

    /// A decoded object with the fields at `unknown_paths` of `doc` reported and kept.
    fn with_unknown<T: Tree>(object: Object, unknown_paths: Vec<FieldPath>, doc: &T) -> Decoded {
        if unknown_paths.is_empty() {
            // The usual case: no key to build (four strings) for no diagnostic.
            return Decoded {
                object,
                unknown: Vec::new(),
                diagnostics: Vec::new(),
            };
        }
        let key = object.key();
        let mut unknown = Vec::with_capacity(unknown_paths.len());
        let mut diagnostics = Vec::with_capacity(unknown_paths.len());
        for path in unknown_paths {
            // Go's strict decoder names the field itself; the path says where it is.
            let name = match path.segments().last() {
                Some(crate::Segment::Key(k)) => k.clone(),
                _ => path.to_string(),
            };
            diagnostics.push(
                Diagnostic::error("decode.unknown-field", format!("unknown field \"{name}\""))
                    .with_object(key.clone())
                    .at(path.clone()),
            );
            if let Some(v) = doc.at(&path) {
                unknown.push(UnknownField {
                    path,
                    value: v.to_json(),
                });
            }
        }
        Decoded {
            object,
            unknown,
            diagnostics,
        }
    }

    /// The object's key. Unknown documents take theirs from `apiVersion`, `kind` and
    /// `metadata`, with empty strings for what is missing.
    pub fn key(&self) -> ObjectKey {
        match (self.kind(), self.meta(), self) {
            (Some(kind), Some(meta), _) => ObjectKey::new(
                kind,
                meta.namespace.clone().unwrap_or_default(),
                meta.name.clone().unwrap_or_default(),
            ),
            (_, _, Object::Unknown(v)) => key_of_value(v.as_ref()).unwrap_or_else(|| ObjectKey {
                api_group: String::new(),
                kind: String::new(),
                namespace: String::new(),
                name: String::new(),
            }),
            _ => unreachable_key(),
        }
    }

    /// The object as JSON with the unknown fields put back where they were.
    pub fn to_value_with(&self, unknown: &[UnknownField]) -> Value {
        let mut value = self.to_value();
        for field in unknown {
            insert_at(&mut value, &field.path, field.value.clone());
        }
        value
    }
}

fn unreachable_key() -> ObjectKey {
    // `kind()` and `meta()` are both `Some` for every typed variant and both `None` for
    // `Unknown`, so this is never reached; an empty key is the harmless answer if it were.
    ObjectKey {
        api_group: String::new(),
        kind: String::new(),
        namespace: String::new(),
        name: String::new(),
    }
}

/// The key of a raw document, if it has at least a `kind`.
pub(crate) fn key_of_value<T: Tree>(value: &T) -> Option<ObjectKey> {
    let (api_group, kind, namespace, name) = key_parts(value)?;
    Some(ObjectKey {
        api_group: api_group.to_owned(),
        kind: kind.to_owned(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    })
}

/// [`key_of_value`] borrowed from a raw document: API group, kind, namespace, name.
pub(crate) fn key_parts<T: Tree>(doc: &T) -> Option<(&str, &str, &str, &str)> {
    let kind = doc.field("kind")?.text()?;
    let api_group = doc
        .field("apiVersion")
        .and_then(Tree::text)
        .and_then(|v| v.rsplit_once('/'))
        .map_or("", |(g, _)| g);
    let meta = doc.field("metadata");
    let field = |name: &str| {
        meta.and_then(|m| m.field(name))
            .and_then(Tree::text)
            .unwrap_or("")
    };
    Some((api_group, kind, field("namespace"), field("name")))
}

fn has_null_entry(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.values().any(|v| v.is_null() || has_null_entry(v)),
        Value::Array(items) => items.iter().any(has_null_entry),
        _ => false,
    }
}

fn without_null_entries(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_null_entries(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_null_entries).collect()),
        other => other.clone(),
    }
}

fn tracked_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment as S;
    let mut out = FieldPath::root();
    for segment in path.iter() {
        match segment {
            S::Seq { index } => out.push_index(*index),
            S::Map { key } => out.push_key(key.clone()),
            S::Enum { variant } => out.push_key(variant.clone()),
            S::Unknown => {}
        }
    }
    out
}

/// `apiVersion` and `kind` at the top: the typed models take them from their kind rather
/// than from the input, so serde reports them as ignored, but they are not unknown fields.
fn is_type_meta(path: &FieldPath) -> bool {
    matches!(path.segments(), [crate::Segment::Key(key)] if key == "apiVersion" || key == "kind")
}

fn ignored_path(path: &serde_ignored::Path<'_>) -> FieldPath {
    use serde_ignored::Path as P;
    match path {
        P::Root => FieldPath::root(),
        P::Seq { parent, index } => ignored_path(parent).index(*index),
        P::Map { parent, key } => ignored_path(parent).key(key.clone()),
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            ignored_path(parent)
        }
    }
}

/// Puts `new` at `path` inside `value` when the parent still exists; a field whose parent
/// the typed model dropped entirely is re-created with it.
fn insert_at(value: &mut Value, path: &FieldPath, new: Value) {
    use crate::path::Segment;
    let Some((last, parents)) = path.segments().split_last() else {
        return;
    };
    let mut cursor = value;
    for seg in parents {
        cursor = match seg {
            Segment::Key(k) => {
                let Value::Object(map) = cursor else { return };
                map.entry(k.clone())
                    .or_insert_with(|| Value::Object(Default::default()))
            }
            Segment::Index(i) => match cursor.get_mut(*i) {
                Some(next) => next,
                None => return,
            },
        };
    }
    match (last, cursor) {
        (Segment::Key(k), Value::Object(map)) => {
            map.insert(k.clone(), new);
        }
        (Segment::Index(i), Value::Array(items)) if *i <= items.len() => items.insert(*i, new),
        _ => {}
    }
}
