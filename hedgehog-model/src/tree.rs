//! Read access shared by JSON values and the loader's borrowed document trees, so that the
//! walks that read raw documents (an object's key, lists standing for objects, unknown
//! fields) are written once for both.

use serde_json::Value;

use crate::{FieldPath, Segment};

/// A raw document or part of one.
pub(crate) trait Tree: Sized {
    /// The value of `key` in a mapping.
    fn field(&self, key: &str) -> Option<&Self>;
    /// The string, if this is one.
    fn text(&self) -> Option<&str>;
    /// The items, if this is a sequence.
    fn items(&self) -> Option<&[Self]>;
    /// Whether `f` holds for any entry of a mapping (in order; stops at the first).
    fn any_entry(&self, f: impl FnMut(&str, &Self) -> bool) -> bool;
    /// A JSON copy.
    fn to_json(&self) -> Value;

    /// The node at `path`, if there is one.
    fn at(&self, path: &FieldPath) -> Option<&Self> {
        path.segments()
            .iter()
            .try_fold(self, |node, seg| match seg {
                Segment::Key(k) => node.field(k),
                Segment::Index(i) => node.items().and_then(|items| items.get(*i)),
            })
    }
}

impl Tree for Value {
    fn field(&self, key: &str) -> Option<&Self> {
        self.get(key)
    }

    fn text(&self) -> Option<&str> {
        self.as_str()
    }

    fn items(&self) -> Option<&[Self]> {
        self.as_array().map(Vec::as_slice)
    }

    fn any_entry(&self, mut f: impl FnMut(&str, &Self) -> bool) -> bool {
        self.as_object()
            .is_some_and(|map| map.iter().any(|(k, v)| f(k, v)))
    }

    fn to_json(&self) -> Value {
        self.clone()
    }
}
