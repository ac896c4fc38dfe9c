//! Whole-fabric validation: the cross-object rules upstream runs with a Kubernetes client
//! (API reference §7.2, rules 40–66) and the admission webhooks' change rules (§7.3, rules
//! 67–72), over a set of already defaulted objects.
//!
//! Unlike hhfab, every problem is reported (not the first), each on the object that is wrong
//! with the field path, and label-selected checks (44, 45, 49, 54) look at spec fields, so
//! they see every object whether or not its labels were written. Indexes are built once;
//! no rule compares all pairs of objects.

mod change;
mod named;
mod vpc;
mod wiring;

use rayon::prelude::*;

use self::named::Named;

use kube::core::ObjectMeta;
use serde_json::Value;

use crate::api::{
    Connection, External, ExternalAttachment, ExternalPeering, Ipv4Namespace, Server, Switch,
    VlanNamespace, Vpc, VpcAttachment, VpcPeering,
};
use crate::config::FabricConfig;
use crate::profiles::Catalog;
use crate::validate::connection::{Endpoints, endpoints};
use crate::{Diagnostic, FieldPath, Kind, Object, ObjectKey};

pub use change::validate_change;

/// The objects of a fabric, indexed by name per kind. The first object of a name wins;
/// duplicates are the loader's to report.
pub struct Fabric<'a> {
    vpcs: Named<'a, &'a Vpc>,
    ipv4_namespaces: Named<'a, &'a Ipv4Namespace>,
    vlan_namespaces: Named<'a, &'a VlanNamespace>,
    switches: Named<'a, &'a Switch>,
    switch_groups: Named<'a, ()>,
    servers: Named<'a, &'a Server>,
    connections: Named<'a, Wired<'a>>,
    externals: Named<'a, &'a External>,
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

/// A connection with its endpoints, worked out once for all the rules that need them (there
/// are several attachments per connection).
pub(crate) struct Wired<'a> {
    pub(crate) conn: &'a Connection,
    pub(crate) ends: Endpoints<'a>,
}

/// The objects of a fabric by kind, in input order, before indexing.
#[derive(Default)]
struct ByKind<'a> {
    vpcs: Vec<(&'a str, &'a Vpc)>,
    ipv4_namespaces: Vec<(&'a str, &'a Ipv4Namespace)>,
    vlan_namespaces: Vec<(&'a str, &'a VlanNamespace)>,
    switches: Vec<(&'a str, &'a Switch)>,
    switch_groups: Vec<(&'a str, ())>,
    servers: Vec<(&'a str, &'a Server)>,
    connections: Vec<(&'a str, &'a Connection)>,
    externals: Vec<(&'a str, &'a External)>,
    vpc_attachments: Vec<&'a VpcAttachment>,
    vpc_peerings: Vec<&'a VpcPeering>,
    external_attachments: Vec<&'a ExternalAttachment>,
    external_peerings: Vec<&'a ExternalPeering>,
    gateways: Vec<&'a Value>,
}

impl<'a> ByKind<'a> {
    fn new(objects: &'a [Object]) -> Self {
        let mut s = ByKind::default();
        for object in objects {
            match object {
                Object::Vpc(o) => s.vpcs.push((name(&o.metadata), o)),
                Object::Ipv4Namespace(o) => s.ipv4_namespaces.push((name(&o.metadata), o)),
                Object::VlanNamespace(o) => s.vlan_namespaces.push((name(&o.metadata), o)),
                Object::Switch(o) => s.switches.push((name(&o.metadata), o)),
                Object::SwitchGroup(o) => s.switch_groups.push((name(&o.metadata), ())),
                Object::Server(o) => s.servers.push((name(&o.metadata), o)),
                Object::Connection(o) => s.connections.push((name(&o.metadata), o)),
                Object::External(o) => s.externals.push((name(&o.metadata), o)),
                Object::VpcAttachment(o) => s.vpc_attachments.push(o),
                Object::VpcPeering(o) => s.vpc_peerings.push(o),
                Object::ExternalAttachment(o) => s.external_attachments.push(o),
                Object::ExternalPeering(o) => s.external_peerings.push(o),
                Object::Unknown(v) if is_gateway(v) => s.gateways.push(v),
                Object::SwitchProfile(_) | Object::ServerProfile(_) | Object::Unknown(_) => {}
            }
        }
        s
    }
}

impl<'a> Fabric<'a> {
    /// Indexes `objects` (O(n log n)).
    pub fn new(objects: &'a [Object]) -> Self {
        let s = ByKind::new(objects);
        let connections = s
            .connections
            .into_par_iter()
            .map(|(n, conn)| {
                let ends = endpoints(&conn.spec);
                (n, Wired { conn, ends })
            })
            .collect();
        Fabric {
            vpcs: Named::new(s.vpcs),
            ipv4_namespaces: Named::new(s.ipv4_namespaces),
            vlan_namespaces: Named::new(s.vlan_namespaces),
            switches: Named::new(s.switches),
            switch_groups: Named::new(s.switch_groups),
            servers: Named::new(s.servers),
            connections: Named::new(connections),
            externals: Named::new(s.externals),
            vpc_attachments: s.vpc_attachments,
            vpc_peerings: s.vpc_peerings,
            external_attachments: s.external_attachments,
            external_peerings: s.external_peerings,
            gateways: s.gateways,
        }
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
