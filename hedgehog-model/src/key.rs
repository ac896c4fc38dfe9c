//! `ObjectKey`: the identity of an object everywhere in hedgehog.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Kind;

/// Identity of an object: API group, kind, namespace and name.
///
/// Keys order by hhfab's kind order ([`Kind::ALL`]; kinds this crate does not model come
/// after, by group and kind), then namespace, then name — the order in which hedgehog
/// renders and reports objects.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectKey {
    /// API group, without the version (`vpc.githedgehog.com`).
    pub api_group: String,
    /// Kind as spelled in `kind` (`VPC`).
    pub kind: String,
    /// Namespace (`default` for every valid Hedgehog object).
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
}

impl ObjectKey {
    /// A key of a modelled kind.
    pub fn new(kind: Kind, namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectKey {
            api_group: kind.group().to_owned(),
            kind: kind.name().to_owned(),
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// The modelled kind of this key, if it is one.
    pub fn known_kind(&self) -> Option<Kind> {
        let kind: Kind = self.kind.parse().ok()?;
        (kind.group() == self.api_group).then_some(kind)
    }

    fn rank(&self) -> usize {
        self.known_kind().map_or(Kind::ALL.len(), Kind::rank)
    }
}

impl Ord for ObjectKey {
    fn cmp(&self, other: &Self) -> Ordering {
        // The rank is a function of group and kind: keys of one kind (most comparisons in
        // a map of objects) skip looking it up.
        let same_type = self.kind == other.kind && self.api_group == other.api_group;
        let by_type = || {
            self.rank()
                .cmp(&other.rank())
                .then_with(|| self.api_group.cmp(&other.api_group))
                .then_with(|| self.kind.cmp(&other.kind))
        };
        (if same_type {
            Ordering::Equal
        } else {
            by_type()
        })
        .then_with(|| self.namespace.cmp(&other.namespace))
        .then_with(|| self.name.cmp(&other.name))
    }
}

impl PartialOrd for ObjectKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for ObjectKey {
    /// `Kind/name`, or `Kind/namespace/name` outside `default`, as hhfab prints objects.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() || self.namespace == "default" {
            write!(f, "{}/{}", self.kind, self.name)
        } else {
            write!(f, "{}/{}/{}", self.kind, self.namespace, self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_hhfab_kind_order_then_name() {
        let mut keys = [
            ObjectKey::new(Kind::Vpc, "default", "a"),
            ObjectKey {
                api_group: "example.com".into(),
                kind: "Other".into(),
                namespace: "default".into(),
                name: "a".into(),
            },
            ObjectKey::new(Kind::Switch, "default", "b"),
            ObjectKey::new(Kind::Switch, "default", "a"),
            ObjectKey::new(Kind::VlanNamespace, "default", "z"),
        ];
        keys.sort();
        let shown: Vec<String> = keys.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "VLANNamespace/z",
                "Switch/a",
                "Switch/b",
                "VPC/a",
                "Other/a"
            ]
        );
    }
}
