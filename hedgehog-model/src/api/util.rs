//! Shared pieces of the API types: Go zero-value tests for `skip_serializing_if`, string
//! enums that keep unknown values, and a schema transform for `required` lists.

use schemars::Schema;
use schemars::transform::Transform;

/// Go's `omitempty` for `bool`.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// Go's `omitempty` for unsigned integers.
pub(crate) fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// Marks properties as `required` in a struct's schema, the way controller-gen does for Go
/// fields without `omitempty` or with `+kubebuilder:validation:Required`.
///
/// serde must accept those fields missing (Go decodes them to their zero value), so schemars
/// does not list them as required on its own; this transform restores the CRD's list.
pub(crate) struct Require(pub &'static [&'static str]);

impl Transform for Require {
    fn transform(&mut self, schema: &mut Schema) {
        let names = self.0.iter().map(|n| serde_json::Value::from(*n)).collect();
        schema.insert("required".to_owned(), serde_json::Value::Array(names));
    }
}

/// Declares a Go string type with named constants as a Rust enum that keeps values upstream
/// does not define (`Other`), so decoding accepts whatever Go's decoder accepts and the
/// schema check or validation reports the value instead.
///
/// `listed` says whether the CRD carries an `enum` for the type (a `+kubebuilder:validation:Enum`
/// marker); its list holds the values in the marker's order.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (listed = $listed:expr) {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value upstream does not define, kept as written.
            Other(String),
        }

        impl $name {
            /// The values upstream defines, in its order.
            pub const VALUES: &'static [&'static str] = &[$($value),*];

            /// The value as written in YAML.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Other(s) => s,
                }
            }

            /// Whether the value is Go's zero value, the empty string.
            pub fn is_empty(&self) -> bool {
                self.as_str().is_empty()
            }

            /// Whether the value is one upstream defines.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::from(String::new())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $( $value => $name::$variant, )*
                    _ => $name::Other(s),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::from(s.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::from)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let listed: &[&str] = $listed;
                if listed.is_empty() {
                    schemars::json_schema!({ "type": "string" })
                } else {
                    schemars::json_schema!({ "type": "string", "enum": listed })
                }
            }
        }
    };
}
pub(crate) use string_enum;
