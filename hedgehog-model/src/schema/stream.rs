//! The schema check of a typed object, made while the object serialises itself: the same
//! rules as [`super::check`] on its JSON value, without building that value first (which
//! cost a tenth of the validation of a large fabric, in allocations alone).
//!
//! A serde `Serializer` walks the compiled schema beside the object: a struct or map is an
//! object, a sequence a list, everything else a scalar, exactly as `serde_json::to_value`
//! would make them. The few shapes it does not follow (tuple and struct enum variants,
//! map keys that are not strings, 128-bit integers) make it give up, and the caller falls back to the
//! JSON value; our types use none of them. `tests` compare both checks on every sample
//! object and on objects breaking each rule.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Number;

use super::{Node, Scalar, Seg, Shape, Walk, compiled};
use crate::{Diagnostic, Kind};

/// [`super::check`] of `object`, a typed object of `kind`, as if on
/// `serde_json::to_value(object)`.
pub(crate) fn check_typed<T: Serialize + ?Sized>(kind: Kind, object: &T) -> Vec<Diagnostic> {
    let node = compiled(kind);
    let mut walk = Walk::new();
    let checked = object.serialize(Checker {
        walk: &mut walk,
        node,
        in_field: false,
    });
    match checked {
        Ok(_) => walk.out,
        // A shape the stream does not follow: check the JSON value instead.
        Err(GaveUp) => serde_json::to_value(object)
            .map(|value| super::check(kind, &value))
            .unwrap_or_default(),
    }
}

/// The stream met a shape it does not follow.
#[derive(Debug)]
pub(crate) struct GaveUp;

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("shape not followed by the streaming schema check")
    }
}

impl std::error::Error for GaveUp {}

impl ser::Error for GaveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GaveUp
    }
}

/// The schema node of a field the schema says nothing about: no rule, no children. Such a
/// field is still read when it is `required`, to learn whether it is null.
static ANY: Node = Node {
    ty: None,
    properties: Vec::new(),
    required: Vec::new(),
    additional: None,
    items: None,
    enumeration: Vec::new(),
    minimum: None,
    maximum: None,
    min_items: None,
    max_items: None,
    pattern: None,
};

/// Checks one value against `node`. Its `Ok` is whether the value was other than null.
struct Checker<'w, 'n> {
    walk: &'w mut Walk<'static>,
    node: &'n Node,
    /// A field of an object: a null one is skipped (the API server prunes it), where an item
    /// of a list is checked.
    in_field: bool,
}

impl<'w, 'n> Checker<'w, 'n> {
    fn scalar(self, shape: Shape, scalar: Scalar<'_>) -> Result<bool, GaveUp> {
        if self.walk.type_ok(self.node, shape) {
            self.walk.scalar(self.node, scalar);
        }
        Ok(true)
    }

    fn null(self) -> Result<bool, GaveUp> {
        if self.in_field {
            return Ok(false);
        }
        self.scalar(Shape::Null, Scalar::Null)
    }

    fn number(self, n: &Number) -> Result<bool, GaveUp> {
        self.scalar(Shape::number(n), Scalar::Number(n))
    }

    /// An object (`Shape::Object`: its fields are checked as they come, `required` at the
    /// end) or a list (`Shape::Array`).
    fn compound(self, shape: Shape) -> Compound<'w, 'n> {
        let node = self.walk.type_ok(self.node, shape).then_some(self.node);
        Compound {
            walk: self.walk,
            node,
            present: Vec::new(),
            key: None,
            items: 0,
        }
    }
}

/// A struct, map or sequence being checked; `node` is `None` when its type was wrong (then
/// its content is not checked, as in [`Walk::node`]).
struct Compound<'w, 'n> {
    walk: &'w mut Walk<'static>,
    node: Option<&'n Node>,
    /// Fields with a value other than null, for `required` (only while the node has any).
    present: Vec<Cow<'static, str>>,
    /// The key of the map entry whose value comes next.
    key: Option<Cow<'static, str>>,
    items: usize,
}

impl Compound<'_, '_> {
    /// Checks the field `key` of an object.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), GaveUp> {
        let Some(node) = self.node else {
            return Ok(());
        };
        let required = node.required.iter().any(|r| *r == key);
        let child = match node.child(&key) {
            Some(child) => child,
            None if required => &ANY,
            None => return Ok(()),
        };
        // A struct field's name is borrowed: keeping it costs nothing.
        let name = required.then(|| key.clone());
        self.walk.path.push(Seg::Key(key));
        let present = value.serialize(Checker {
            walk: self.walk,
            node: child,
            in_field: true,
        });
        self.walk.path.pop();
        if present? && let Some(name) = name {
            self.present.push(name);
        }
        Ok(())
    }

    fn end_object(self) -> Result<bool, GaveUp> {
        if let Some(node) = self.node {
            let present = &self.present;
            self.walk
                .required(node, |name| present.iter().any(|p| p == name));
        }
        Ok(true)
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GaveUp> {
        let index = self.items;
        self.items += 1;
        let Some(item_node) = self.node.and_then(|n| n.items.as_deref()) else {
            return Ok(());
        };
        self.walk.path.push(Seg::Index(index));
        let checked = value.serialize(Checker {
            walk: self.walk,
            node: item_node,
            in_field: false,
        });
        self.walk.path.pop();
        checked.map(|_| ())
    }

    fn end_list(self) -> Result<bool, GaveUp> {
        if let Some(node) = self.node {
            self.walk.items(node, self.items);
        }
        Ok(true)
    }
}

impl<'w, 'n> ser::Serializer for Checker<'w, 'n> {
    type Ok = bool;
    type Error = GaveUp;
    type SerializeSeq = Compound<'w, 'n>;
    type SerializeTuple = Compound<'w, 'n>;
    type SerializeTupleStruct = Compound<'w, 'n>;
    type SerializeTupleVariant = Impossible<bool, GaveUp>;
    type SerializeMap = Compound<'w, 'n>;
    type SerializeStruct = Compound<'w, 'n>;
    type SerializeStructVariant = Impossible<bool, GaveUp>;

    fn serialize_bool(self, v: bool) -> Result<bool, GaveUp> {
        self.scalar(Shape::Bool, Scalar::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<bool, GaveUp> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i16(self, v: i16) -> Result<bool, GaveUp> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i32(self, v: i32) -> Result<bool, GaveUp> {
        self.serialize_i64(i64::from(v))
    }

    fn serialize_i64(self, v: i64) -> Result<bool, GaveUp> {
        self.number(&Number::from(v))
    }

    fn serialize_u8(self, v: u8) -> Result<bool, GaveUp> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u16(self, v: u16) -> Result<bool, GaveUp> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u32(self, v: u32) -> Result<bool, GaveUp> {
        self.serialize_u64(u64::from(v))
    }

    fn serialize_u64(self, v: u64) -> Result<bool, GaveUp> {
        self.number(&Number::from(v))
    }

    fn serialize_f32(self, v: f32) -> Result<bool, GaveUp> {
        self.serialize_f64(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<bool, GaveUp> {
        // serde_json makes a non-finite float null.
        match Number::from_f64(v) {
            Some(n) => self.number(&n),
            None => self.null(),
        }
    }

    fn serialize_char(self, v: char) -> Result<bool, GaveUp> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<bool, GaveUp> {
        self.scalar(Shape::String, Scalar::String(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<bool, GaveUp> {
        // serde_json writes bytes as a list of numbers.
        let mut list = self.compound(Shape::Array);
        for b in v {
            ser::SerializeSeq::serialize_element(&mut list, b)?;
        }
        list.end_list()
    }

    fn serialize_none(self) -> Result<bool, GaveUp> {
        self.null()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, GaveUp> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<bool, GaveUp> {
        self.null()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<bool, GaveUp> {
        self.null()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<bool, GaveUp> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<bool, GaveUp> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<bool, GaveUp> {
        // `{variant: value}`, as serde_json.
        let mut object = self.compound(Shape::Object);
        object.field(Cow::Borrowed(variant), value)?;
        object.end_object()
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'n>, GaveUp> {
        Ok(self.compound(Shape::Array))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w, 'n>, GaveUp> {
        Ok(self.compound(Shape::Array))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'n>, GaveUp> {
        Ok(self.compound(Shape::Array))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, GaveUp> {
        Err(GaveUp)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'n>, GaveUp> {
        Ok(self.compound(Shape::Object))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w, 'n>, GaveUp> {
        Ok(self.compound(Shape::Object))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, GaveUp> {
        Err(GaveUp)
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = bool;
    type Error = GaveUp;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GaveUp> {
        self.item(value)
    }

    fn end(self) -> Result<bool, GaveUp> {
        self.end_list()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = bool;
    type Error = GaveUp;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GaveUp> {
        self.item(value)
    }

    fn end(self) -> Result<bool, GaveUp> {
        self.end_list()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = bool;
    type Error = GaveUp;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GaveUp> {
        self.item(value)
    }

    fn end(self) -> Result<bool, GaveUp> {
        self.end_list()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = bool;
    type Error = GaveUp;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), GaveUp> {
        // The key is needed only where the node can say something about the value.
        let wanted = self.node.is_some_and(|n| {
            !n.properties.is_empty() || n.additional.is_some() || !n.required.is_empty()
        });
        self.key = if wanted {
            // Keys that are not strings (serde_json would turn numbers into text) never
            // occur in our types: give up on them.
            match key.serialize(serde_json::value::Serializer) {
                Ok(serde_json::Value::String(key)) => Some(Cow::Owned(key)),
                _ => return Err(GaveUp),
            }
        } else {
            None
        };
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GaveUp> {
        match self.key.take() {
            Some(key) => self.field(key, value),
            None => Ok(()),
        }
    }

    fn end(self) -> Result<bool, GaveUp> {
        self.end_object()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = bool;
    type Error = GaveUp;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), GaveUp> {
        self.field(Cow::Borrowed(key), value)
    }

    fn end(self) -> Result<bool, GaveUp> {
        self.end_object()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Node, Type, check, compiled};
    use super::check_typed;
    use crate::config::FabricConfig;
    use crate::hydrate::{HydrateMode, hydrate};
    use crate::load::Loader;
    use crate::sample::{Preset, ScaleParams, preset, realistic, scaled};
    use crate::{Diagnostic, Kind, Object, defaults};

    /// Diagnostics as `code path message` lines, sorted (the stream reports `required` after
    /// the fields, the value walk before them; the report sorts them anyway).
    fn lines(found: &[Diagnostic]) -> Vec<String> {
        let mut lines: Vec<String> = found
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.path, d.message))
            .collect();
        lines.sort();
        lines
    }

    /// Both checks of one typed object.
    fn both(object: &Object) -> (Vec<String>, Vec<String>) {
        let kind = object.kind().expect("a typed object");
        let streamed = object.check_schema().expect("typed");
        (lines(&streamed), lines(&check(kind, &object.to_value())))
    }

    /// Every object of the samples: no diagnostic either way, and the same.
    #[test]
    fn samples_check_alike() {
        let mut objects = preset(Preset::Vlab);
        objects.extend(realistic(2_000));
        objects.extend(scaled(ScaleParams::about(1_000)));
        hydrate(
            &mut objects,
            &FabricConfig::default(),
            HydrateMode::IfNotPresent,
        )
        .expect("the samples hydrate");
        for object in &mut objects {
            defaults::default_object(object);
            let (streamed, walked) = both(object);
            assert_eq!(streamed, walked, "{:?}", object.key());
            assert!(streamed.is_empty(), "{streamed:?}");
        }
    }

    /// Objects breaking every rule a typed object can break give the same diagnostics.
    #[test]
    fn broken_objects_check_alike() {
        let text = r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata: {name: leaf-01, labels: {a: b}}
spec:
  role: leaf
  profile: vs
  redundancy: {group: eslag-1, type: multi}
  portFECs: {E1/1: fast, E1/2: rs}
  linkFlapErrDisable: {flapThreshold: 51, samplingInterval: 0, recoveryInterval: 0}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: VLANNamespace
metadata: {name: empty}
spec: {ranges: []}
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: VLANNamespace
metadata: {name: many}
spec:
  ranges: [{from: 1, to: 1}, {from: 2, to: 2}, {from: 3, to: 3}, {from: 4, to: 4}, {from: 5, to: 5}, {from: 6, to: 6}, {from: 7, to: 7}, {from: 8, to: 8}, {from: 9, to: 9}, {from: 10, to: 10}, {from: 11, to: 11}, {from: 12, to: 12}, {from: 13, to: 13}, {from: 14, to: 14}, {from: 15, to: 15}, {from: 16, to: 16}, {from: 17, to: 17}, {from: 18, to: 18}, {from: 19, to: 19}, {from: 20, to: 20}, {from: 21, to: 21}]
---
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: c}
spec:
  staticExternal:
    link:
      switch: {port: leaf-01/E1/7, ip: 172.31.1.1/33, nextHop: 172.31.1.5, vlan: 70}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: vpc-1}
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
      dhcp:
        enable: true
        options: {leaseTimeSeconds: 3600}
        static:
          "0c:20:12:ff:00:01": {}
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: ExternalAttachment
metadata: {name: a}
"#;
        let loaded = Loader::default().load_str(text, None);
        let mut codes = std::collections::BTreeSet::new();
        for doc in &loaded.documents {
            let mut object = doc.object.clone();
            defaults::default_object(&mut object);
            let (streamed, walked) = both(&object);
            assert_eq!(streamed, walked, "{:?}", object.key());
            codes.extend(
                streamed
                    .iter()
                    .map(|l| l.split(' ').next().unwrap_or("").to_owned()),
            );
        }
        // A typed object never lacks a required field nor writes an empty list with a
        // minimum (see `hand_made_shapes_check_alike` for those).
        let expected = [
            "schema.enum",
            "schema.max-items",
            "schema.maximum",
            "schema.minimum",
            "schema.pattern",
        ];
        assert_eq!(codes.into_iter().collect::<Vec<_>>(), expected);
    }

    /// Shapes our types never make, written by hand: a required field missing or null, an
    /// empty list with a minimum, a null list item, a wrong type.
    #[test]
    fn hand_made_shapes_check_alike() {
        #[derive(serde::Serialize)]
        struct Doc<S> {
            spec: S,
        }
        #[derive(serde::Serialize)]
        struct Ranges {
            ranges: Vec<Option<u8>>,
        }
        #[derive(serde::Serialize)]
        struct Role {
            role: Option<bool>,
            groups: Option<Vec<Option<u8>>>,
        }
        fn alike<T: serde::Serialize>(kind: Kind, doc: &T) -> Vec<String> {
            let value = serde_json::to_value(doc).expect("serialises");
            let walked = lines(&check(kind, &value));
            assert_eq!(lines(&check_typed(kind, doc)), walked);
            walked
        }
        let empty = Doc {
            spec: Ranges { ranges: vec![] },
        };
        assert_eq!(alike(Kind::VlanNamespace, &empty).len(), 1);
        let null_item = Doc {
            spec: Ranges {
                ranges: vec![None, Some(1)],
            },
        };
        assert_eq!(alike(Kind::VlanNamespace, &null_item).len(), 2);
        let missing = Doc {
            spec: Role {
                role: None,
                groups: Some(vec![None]),
            },
        };
        assert_eq!(alike(Kind::Switch, &missing).len(), 2);
        let wrong = Doc {
            spec: Role {
                role: Some(true),
                groups: None,
            },
        };
        assert_eq!(alike(Kind::Switch, &wrong).len(), 1);
    }

    /// The stream checks `enum` only on values without children; it relies on no schema
    /// having an `enum` on an object or a list.
    #[test]
    fn no_enum_on_objects_or_lists() {
        fn walk(node: &Node, kind: Kind) {
            if matches!(node.ty, Some(Type::Object | Type::Array)) {
                assert!(node.enumeration.is_empty(), "{kind:?}");
            }
            let children = node.properties.iter().map(|(_, n)| n);
            for child in children
                .chain(node.additional.as_deref())
                .chain(node.items.as_deref())
            {
                walk(child, kind);
            }
        }
        for kind in Kind::ALL {
            walk(compiled(kind), kind);
        }
    }

    /// A shape the stream does not follow falls back to the JSON value.
    #[test]
    fn an_unfollowed_shape_falls_back_to_the_value() {
        #[derive(serde::Serialize)]
        enum Odd {
            Pair(u8, u8),
        }
        #[derive(serde::Serialize)]
        struct Spec {
            role: Odd,
        }
        #[derive(serde::Serialize)]
        struct Doc {
            spec: Spec,
        }
        let doc = Doc {
            spec: Spec {
                role: Odd::Pair(1, 2),
            },
        };
        let value = serde_json::to_value(&doc).expect("serialises");
        let fallback = check_typed(Kind::Switch, &doc);
        assert_eq!(fallback, check(Kind::Switch, &value));
        assert!(!fallback.is_empty());
    }
}
