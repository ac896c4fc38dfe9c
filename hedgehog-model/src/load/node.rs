//! A parsed document as a tree that borrows its strings from the text, and a serde
//! `Deserializer` that decodes typed objects straight from it.
//!
//! Building a `serde_json::Value` per document cost a `String` per scalar and a hash map per
//! mapping, all thrown away once the typed object was decoded. A [`Node`] costs one `Vec` per
//! collection and nothing per string. The deserializer calls a visitor exactly as
//! `serde_json`'s `&Value` deserializer would for the same document (the JSON value stays the
//! reference), and it refuses, with an error, every request it does not mirror: the caller
//! then decodes the document's JSON value instead, so any difference can only cost time, never
//! change a result. `load::differential::tests::tree_decoding_agrees_with_value_decoding` and
//! the `yaml_differential` fuzz target check that both decodings agree.

use std::borrow::Cow;
use std::cell::RefCell;

use serde::Deserializer;
use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};
use serde_json::{Error, Map, Number, Value};

use crate::tree::Tree;
use crate::{Decoded, FieldPath, Object};

/// A YAML or JSON document, or part of one.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node<'a> {
    /// A string, borrowed from the text unless it had escapes.
    Str(Cow<'a, str>),
    /// Null, a boolean or a number.
    Scalar(Leaf),
    /// A sequence.
    Seq(Vec<Node<'a>>),
    /// A mapping, in the order written, each key once.
    Map(Vec<(Cow<'a, str>, Node<'a>)>),
}

/// The scalars that are not strings.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Leaf {
    Null,
    Bool(bool),
    Number(Number),
}

impl Leaf {
    /// The scalar as a JSON value.
    pub(crate) fn value(&self) -> Value {
        match self {
            Leaf::Null => Value::Null,
            Leaf::Bool(b) => Value::Bool(*b),
            Leaf::Number(n) => Value::Number(n.clone()),
        }
    }
}

impl<'a> Node<'a> {
    /// A tree borrowing from a JSON value (for documents the fast parser does not read).
    pub(crate) fn of_value(value: &'a Value) -> Node<'a> {
        match value {
            Value::String(s) => Node::Str(Cow::Borrowed(s)),
            Value::Array(items) => Node::Seq(items.iter().map(Node::of_value).collect()),
            Value::Object(map) => Node::Map(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::of_value(v)))
                    .collect(),
            ),
            Value::Null => Node::Scalar(Leaf::Null),
            Value::Bool(b) => Node::Scalar(Leaf::Bool(*b)),
            Value::Number(n) => Node::Scalar(Leaf::Number(n.clone())),
        }
    }

    /// The same document as a JSON value.
    pub(crate) fn to_value(&self) -> Value {
        match self {
            Node::Str(s) => Value::String(s.clone().into_owned()),
            Node::Scalar(leaf) => leaf.value(),
            Node::Seq(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Map(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (k, v) in entries {
                    map.insert(k.clone().into_owned(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// [`Object::from_value`] of the document's JSON value, decoded from the tree itself;
    /// `None` when it cannot be (the caller then decodes the JSON value).
    pub(crate) fn decode(&self) -> Option<Decoded> {
        Object::from_tree(self, |kind| {
            let ignored = RefCell::new(Vec::new());
            let at = At {
                node: self,
                place: &Place::Root,
                ignored: &ignored,
            };
            let object = Object::decode_plain(kind, at).ok()?;
            Some((object, ignored.into_inner()))
        })
    }

    /// What this node is, for a message.
    pub(crate) fn what(&self) -> &'static str {
        match self {
            Node::Str(_) => "a string",
            Node::Scalar(Leaf::Null) => "null",
            Node::Scalar(Leaf::Bool(_)) => "a boolean",
            Node::Scalar(Leaf::Number(_)) => "a number",
            Node::Seq(_) => "a list",
            Node::Map(_) => "an object",
        }
    }

    /// How serde names what this node is, for an error.
    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Node::Str(s) => de::Unexpected::Str(s),
            Node::Scalar(Leaf::Null) => de::Unexpected::Unit,
            Node::Scalar(Leaf::Bool(b)) => de::Unexpected::Bool(*b),
            Node::Scalar(Leaf::Number(_)) => de::Unexpected::Other("number"),
            Node::Seq(_) => de::Unexpected::Seq,
            Node::Map(_) => de::Unexpected::Map,
        }
    }

    /// The error for a request this deserializer leaves to the JSON value's.
    fn refuse<'v, V: Visitor<'v>>(&self, visitor: &V) -> Error {
        de::Error::invalid_type(self.unexpected(), visitor)
    }
}

impl Tree for Node<'_> {
    fn field(&self, key: &str) -> Option<&Self> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match self {
            Node::Seq(items) => Some(items),
            _ => None,
        }
    }

    fn any_entry(&self, mut f: impl FnMut(&str, &Self) -> bool) -> bool {
        match self {
            Node::Map(entries) => entries.iter().any(|(k, v)| f(k, v)),
            _ => false,
        }
    }

    fn to_json(&self) -> Value {
        self.to_value()
    }
}

/// Where a node sits: a chain of borrowed steps up to the document's root, built on the stack
/// while decoding and made a [`FieldPath`] only for a field the model ignores (which is what
/// `serde_ignored` reports, without its copy of every key).
enum Place<'p> {
    Root,
    Key(&'p str, &'p Place<'p>),
    Index(usize, &'p Place<'p>),
}

impl Place<'_> {
    fn path(&self) -> FieldPath {
        match self {
            Place::Root => FieldPath::root(),
            Place::Key(key, parent) => parent.path().key(*key),
            Place::Index(i, parent) => parent.path().index(*i),
        }
    }
}

/// A node being decoded, where it sits, and the places of the fields the model ignored.
#[derive(Clone, Copy)]
struct At<'n, 'a, 'p> {
    node: &'n Node<'a>,
    place: &'p Place<'p>,
    ignored: &'p RefCell<Vec<FieldPath>>,
}

/// Decodes from the node, as `serde_json` decodes from the node's JSON value.
macro_rules! scalar_only {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.node {
                Node::Scalar(leaf) => leaf.value().$method(visitor),
                other => Err(other.refuse(&visitor)),
            }
        }
    )*};
}

impl<'n, 'a: 'n> Deserializer<'n> for At<'n, 'a, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::Scalar(leaf) => leaf.value().deserialize_any(visitor),
            Node::Seq(items) => self.visit_seq(items, visitor),
            Node::Map(entries) => self.visit_map(entries, visitor),
        }
    }

    scalar_only!(
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64,
        deserialize_unit
    );

    fn deserialize_str<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Str(s) => visitor.visit_borrowed_str(s),
            other => Err(other.refuse(&visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::Seq(items) => self.visit_seq(items, visitor),
            other => Err(other.refuse(&visitor)),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Scalar(Leaf::Null) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'n>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // serde_json hands its raw-value type the text of the value; that is left to it.
        if name.starts_with("$serde_json") {
            return Err(self.node.refuse(&visitor));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Seq(items) => self.visit_seq(items, visitor),
            other => Err(other.refuse(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'n>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node {
            Node::Map(entries) => self.visit_map(entries, visitor),
            other => Err(other.refuse(&visitor)),
        }
    }

    /// A sequence is refused where a struct is wanted, unlike `serde_json` (which reads it as
    /// the fields in order): Go refuses it, and the JSON value's decoding reports it.
    fn deserialize_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'n>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.node {
            Node::Str(variant) => visitor.visit_enum(Variant {
                name: variant,
                value: None,
            }),
            Node::Map(entries) if entries.len() == 1 => visitor.visit_enum(Variant {
                name: &entries[0].0,
                value: Some(At {
                    node: &entries[0].1,
                    ..self
                }),
            }),
            other => Err(other.refuse(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.ignored.borrow_mut().push(self.place.path());
        visitor.visit_unit()
    }

    fn deserialize_i128<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.node.refuse(&visitor))
    }

    fn deserialize_u128<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.node.refuse(&visitor))
    }
}

impl<'n, 'a: 'n> At<'n, 'a, '_> {
    fn visit_seq<V: Visitor<'n>>(
        self,
        items: &'n [Node<'a>],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let mut access = Items {
            iter: items.iter().enumerate(),
            parent: self,
        };
        let seq = visitor.visit_seq(&mut access)?;
        if access.iter.len() == 0 {
            Ok(seq)
        } else {
            Err(de::Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            ))
        }
    }

    fn visit_map<V: Visitor<'n>>(
        self,
        entries: &'n [(Cow<'a, str>, Node<'a>)],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let mut access = Entries {
            iter: entries.iter(),
            value: None,
            parent: self,
        };
        let map = visitor.visit_map(&mut access)?;
        if access.iter.len() == 0 {
            Ok(map)
        } else {
            Err(de::Error::invalid_length(
                entries.len(),
                &"fewer elements in map",
            ))
        }
    }
}

struct Items<'n, 'a, 'p> {
    iter: std::iter::Enumerate<std::slice::Iter<'n, Node<'a>>>,
    parent: At<'n, 'a, 'p>,
}

impl<'n, 'a: 'n> SeqAccess<'n> for Items<'n, 'a, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'n>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((i, node)) = self.iter.next() else {
            return Ok(None);
        };
        let place = Place::Index(i, self.parent.place);
        let at = At {
            node,
            place: &place,
            ignored: self.parent.ignored,
        };
        seed.deserialize(at).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

struct Entries<'n, 'a, 'p> {
    iter: std::slice::Iter<'n, (Cow<'a, str>, Node<'a>)>,
    value: Option<&'n (Cow<'a, str>, Node<'a>)>,
    parent: At<'n, 'a, 'p>,
}

impl<'n, 'a: 'n> MapAccess<'n> for Entries<'n, 'a, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'n>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(entry) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(entry);
        seed.deserialize(Key(&entry.0)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'n>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((key, node)) = self.value.take() else {
            return Err(de::Error::custom("value is missing"));
        };
        let place = Place::Key(key, self.parent.place);
        let at = At {
            node,
            place: &place,
            ignored: self.parent.ignored,
        };
        seed.deserialize(at)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Key requests refused (`serde_json` parses the key's text as a number for them).
macro_rules! key_refused {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            Err(self.refuse(&visitor))
        }
    )*};
}
/// A mapping key, read as `serde_json` reads an object's key; keys read as numbers, booleans
/// or enums are left to it.
struct Key<'de>(&'de str);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        Err(self.refuse(&visitor))
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(self.refuse(&visitor))
    }

    key_refused!(
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64
    );
}

impl Key<'_> {
    fn refuse<'v, V: Visitor<'v>>(&self, visitor: &V) -> Error {
        de::Error::invalid_type(de::Unexpected::Str(self.0), visitor)
    }
}

/// An enum written as its variant's name, or as a mapping of the name to its content.
struct Variant<'n, 'a, 'p> {
    name: &'n str,
    value: Option<At<'n, 'a, 'p>>,
}

impl<'n, 'a: 'n, 'p> EnumAccess<'n> for Variant<'n, 'a, 'p> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'n>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let name: de::value::StrDeserializer<'_, Error> = self.name.into_deserializer();
        seed.deserialize(name).map(|v| (v, self))
    }
}

impl<'n, 'a: 'n> VariantAccess<'n> for Variant<'n, 'a, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Some(value) => serde::Deserialize::deserialize(value),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'n>>(self, seed: T) -> Result<T::Value, Error> {
        match self.value {
            Some(value) => seed.deserialize(value),
            None => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"newtype variant",
            )),
        }
    }

    fn tuple_variant<V: Visitor<'n>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Some(
                at @ At {
                    node: Node::Seq(items),
                    ..
                },
            ) if !items.is_empty() => at.visit_seq(items, visitor),
            Some(At {
                node: Node::Seq(_), ..
            }) => visitor.visit_unit(),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'n>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Some(
                at @ At {
                    node: Node::Map(entries),
                    ..
                },
            ) => at.visit_map(entries, visitor),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::UnitVariant,
                &"struct variant",
            )),
        }
    }
}
