//! Whole-fabric validation: the cross-object rules upstream runs with a Kubernetes client
//! (API reference §7.2, rules 40–66) and the admission webhooks' change rules (§7.3, rules
//! 67–72), over a set of already defaulted objects.
//!
//! Unlike hhfab, every problem is reported (not the first), each on the object that is wrong
//! with the field path, and label-selected checks (44, 45, 49, 54) look at spec fields, so
//! they see every object whether or not its labels were written. Indexes are built once;
//! no rule compares all pairs of objects.

mod change;
mod vpc;
mod wiring;

use std::collections::BTreeMap;

use kube::core::ObjectMeta;
use serde_json::Value;

use crate::api::{
    Connection, External, ExternalAttachment, ExternalPeering, Ipv4Namespace, Server, Switch,
    VlanNamespace, Vpc, VpcAttachment, VpcPeering,
};
use crate::config::FabricConfig;
use crate::profiles::Catalog;
use crate::{Diagnostic, FieldPath, Kind, Object, ObjectKey};

pub use change::validate_change;

/// The objects of a fabric, indexed by name per kind. The first object of a name wins;
/// duplicates are the loader's to report.
pub struct Fabric<'a> {
    vpcs: BTreeMap<&'a str, &'a Vpc>,
    ipv4_namespaces: BTreeMap<&'a str, &'a Ipv4Namespace>,
    vlan_namespaces: BTreeMap<&'a str, &'a VlanNamespace>,
    switches: BTreeMap<&'a str, &'a Switch>,
    switch_groups: BTreeMap<&'a str, ()>,
    servers: BTreeMap<&'a str, &'a Server>,
    connections: BTreeMap<&'a str, &'a Connection>,
    externals: BTreeMap<&'a str, &'a External>,
    vpc_attachments: Vec<&'a VpcAttachment>,
    vpc_peerings: Vec<&'a VpcPeering>,
    external_attachments: Vec<&'a ExternalAttachment>,
    external_peerings: Vec<&'a ExternalPeering>,
    /// `gateway.githedgehog.com` Gateways, which this crate keeps as unknown documents.
    gateways: Vec<&'a Value>,
}

/// The name of an object (empty when unset).
pub(crate) fn name(meta: &ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

/// The key of an object of a modelled kind.
pub(crate) fn key(kind: Kind, meta: &ObjectMeta) -> ObjectKey {
    ObjectKey::new(kind, meta.namespace.clone().unwrap_or_default(), name(meta))
}

/// Where diagnostics are collected.
#[derive(Default)]
pub(crate) struct Out {
    diagnostics: Vec<Diagnostic>,
}

impl Out {
    /// An error on the object `key` at `path`.
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        key: ObjectKey,
        path: FieldPath,
        message: String,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, message).with_object(key).at(path));
    }

    /// A warning on the object `key` at `path`.
    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        key: ObjectKey,
        path: FieldPath,
        message: String,
    ) {
        self.diagnostics
            .push(Diagnostic::warning(code, message).with_object(key).at(path));
    }
}

/// For a group of items, each owned by a named object: the first item and the first item
/// of another owner, so that "an item of an owner other than me" is answered in O(1) per
/// item rather than by scanning the group (which would be quadratic in its size).
pub(crate) struct Others<'s> {
    first: Option<&'s str>,
    other: Option<usize>,
}

impl<'s> Others<'s> {
    /// From the owners of the group's items, in order.
    pub(crate) fn new(owners: impl IntoIterator<Item = &'s str>) -> Self {
        let mut owners = owners.into_iter();
        let first = owners.next();
        let other = first.and_then(|f| owners.position(|o| o != f).map(|i| i + 1));
        Others { first, other }
    }

    /// The index of an item whose owner is not `me`.
    pub(crate) fn of(&self, me: &str) -> Option<usize> {
        match self.first {
            Some(f) if f != me => Some(0),
            _ => self.other,
        }
    }
}

/// `spec.<field>`.
pub(crate) fn spec(field: &str) -> FieldPath {
    FieldPath::root().key("spec").key(field)
}

fn insert<'a, T>(map: &mut BTreeMap<&'a str, T>, meta: &'a ObjectMeta, value: T) {
    map.entry(name(meta)).or_insert(value);
}

impl<'a> Fabric<'a> {
    /// Indexes `objects` (O(n log n)).
    pub fn new(objects: &'a [Object]) -> Self {
        let mut f = Fabric {
            vpcs: BTreeMap::new(),
            ipv4_namespaces: BTreeMap::new(),
            vlan_namespaces: BTreeMap::new(),
            switches: BTreeMap::new(),
            switch_groups: BTreeMap::new(),
            servers: BTreeMap::new(),
            connections: BTreeMap::new(),
            externals: BTreeMap::new(),
            vpc_attachments: Vec::new(),
            vpc_peerings: Vec::new(),
            external_attachments: Vec::new(),
            external_peerings: Vec::new(),
            gateways: Vec::new(),
        };
        for object in objects {
            match object {
                Object::Vpc(o) => insert(&mut f.vpcs, &o.metadata, o.as_ref()),
                Object::Ipv4Namespace(o) => insert(&mut f.ipv4_namespaces, &o.metadata, o.as_ref()),
                Object::VlanNamespace(o) => insert(&mut f.vlan_namespaces, &o.metadata, o.as_ref()),
                Object::Switch(o) => insert(&mut f.switches, &o.metadata, o.as_ref()),
                Object::SwitchGroup(o) => insert(&mut f.switch_groups, &o.metadata, ()),
                Object::Server(o) => insert(&mut f.servers, &o.metadata, o.as_ref()),
                Object::Connection(o) => insert(&mut f.connections, &o.metadata, o.as_ref()),
                Object::External(o) => insert(&mut f.externals, &o.metadata, o.as_ref()),
                Object::VpcAttachment(o) => f.vpc_attachments.push(o),
                Object::VpcPeering(o) => f.vpc_peerings.push(o),
                Object::ExternalAttachment(o) => f.external_attachments.push(o),
                Object::ExternalPeering(o) => f.external_peerings.push(o),
                Object::Unknown(v) if is_gateway(v) => f.gateways.push(v),
                Object::SwitchProfile(_) | Object::ServerProfile(_) | Object::Unknown(_) => {}
            }
        }
        f
    }

    /// Runs rules 40–66 over the fabric and returns every problem found.
    pub fn validate(&self, cfg: &FabricConfig, catalog: &Catalog) -> Vec<Diagnostic> {
        // The two groups of rules read the same indexes and share nothing else: one core each.
        let (mut vpc, wiring) = rayon::join(
            || {
                let mut out = Out::default();
                vpc::validate(self, catalog, &mut out);
                out.diagnostics
            },
            || {
                let mut out = Out::default();
                wiring::validate(self, cfg, catalog, &mut out);
                out.diagnostics
            },
        );
        vpc.extend(wiring);
        vpc
    }
}

fn is_gateway(value: &Value) -> bool {
    value.get("kind").and_then(Value::as_str) == Some("Gateway")
        && value
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("gateway.githedgehog.com/"))
}

/// Rules 40–66 over `objects`, which must already be defaulted
/// ([`crate::defaults::default_object`]). SwitchProfiles among `objects` are not looked at:
/// the `catalog` decides which profiles exist ([`validate_all`] builds it from the objects).
pub fn validate(objects: &[Object], cfg: &FabricConfig, catalog: &Catalog) -> Vec<Diagnostic> {
    Fabric::new(objects).validate(cfg, catalog)
}

/// [`validate`] with the catalog of `objects` ([`Catalog::for_objects`]): the built-in
/// profiles of `cfg` and the user's SwitchProfiles where allowed, with the diagnostics of
/// refused profiles first.
pub fn validate_all(objects: &[Object], cfg: &FabricConfig) -> Vec<Diagnostic> {
    let (catalog, mut diagnostics) = Catalog::for_objects(objects, cfg);
    diagnostics.extend(validate(objects, cfg, &catalog));
    diagnostics
}
