//! Change-safety rules (API reference §7.3, rules 67–72): what upstream's admission webhooks
//! would refuse when a fabric goes from one object set to another.
//!
//! Creates and updates are judged against the objects of `after`. Deletes are judged against
//! what `after` still holds: the sync engine deletes dependents before what they depend on, so
//! an object whose dependents go in the same change is safe to delete; one that `after` still
//! refers to is what the webhook refuses.

use std::collections::BTreeMap;

use super::{Fabric, Out, name, spec};
use crate::api::{Connection, Ipv4Namespace, Switch, SwitchProfile, VlanNamespace, Vpc};
use crate::config::FabricConfig;
use crate::net::Prefix;
use crate::profiles::Catalog;
use crate::vlan::vlan_in_ranges;
use crate::{Diagnostic, FieldPath, Object, ObjectKey};

/// Who refers to a name: target name → referring objects' names (in index order).
#[derive(Default)]
struct Refs<'a>(BTreeMap<&'a str, Vec<&'a str>>);

impl<'a> Refs<'a> {
    fn add(&mut self, target: &'a str, by: &'a str) {
        self.0.entry(target).or_default().push(by);
    }

    fn first(&self, target: &str) -> Option<&'a str> {
        self.0.get(target).and_then(|v| v.first().copied())
    }
}

/// The references among the objects of `after`, built once.
#[derive(Default)]
struct References<'a> {
    attachments_by_connection: Refs<'a>,
    attachments_by_vpc: Refs<'a>,
    external_attachments_by_connection: Refs<'a>,
    external_attachments_by_external: Refs<'a>,
    connections_by_switch: Refs<'a>,
    connections_by_server: Refs<'a>,
    connections_by_within_vpc: Refs<'a>,
    switches_by_vlan_namespace: Refs<'a>,
    vpcs_by_vlan_namespace: BTreeMap<&'a str, Vec<&'a Vpc>>,
    vpcs_by_ipv4_namespace: BTreeMap<&'a str, Vec<&'a Vpc>>,
    externals_by_ipv4_namespace: Refs<'a>,
    peerings_by_vpc: Refs<'a>,
    external_peerings_by_vpc: Refs<'a>,
    external_peerings_by_external: Refs<'a>,
}

impl<'a> References<'a> {
    fn new(f: &Fabric<'a>) -> Self {
        let mut r = References::default();
        for a in &f.vpc_attachments {
            let by = name(&a.metadata);
            r.attachments_by_connection.add(&a.spec.connection, by);
            let vpc = a
                .spec
                .subnet
                .split_once('/')
                .map_or(a.spec.subnet.as_str(), |(v, _)| v);
            r.attachments_by_vpc.add(vpc, by);
        }
        for a in &f.external_attachments {
            let by = name(&a.metadata);
            r.external_attachments_by_connection
                .add(&a.spec.connection, by);
            r.external_attachments_by_external.add(&a.spec.external, by);
        }
        for (conn_name, wired) in f.connections.iter() {
            for sw in &wired.ends.switches {
                r.connections_by_switch.add(sw, conn_name);
            }
            for srv in &wired.ends.servers {
                r.connections_by_server.add(srv, conn_name);
            }
            if let Some(se) = wired
                .conn
                .spec
                .static_external
                .as_ref()
                .filter(|se| !se.within_vpc.is_empty())
            {
                r.connections_by_within_vpc.add(&se.within_vpc, conn_name);
            }
        }
        for (sw_name, sw) in f.switches.iter() {
            for ns in &sw.spec.vlan_namespaces {
                r.switches_by_vlan_namespace.add(ns, sw_name);
            }
        }
        for vpc in f.vpcs.values() {
            r.vpcs_by_vlan_namespace
                .entry(vpc.spec.vlan_namespace.as_str())
                .or_default()
                .push(vpc);
            r.vpcs_by_ipv4_namespace
                .entry(vpc.spec.ipv4_namespace.as_str())
                .or_default()
                .push(vpc);
        }
        for (ext_name, ext) in f.externals.iter() {
            r.externals_by_ipv4_namespace
                .add(&ext.spec.ipv4_namespace, ext_name);
        }
        for p in &f.vpc_peerings {
            let mut vpcs: Vec<&str> = p
                .spec
                .permit
                .iter()
                .flat_map(|m| m.keys().map(String::as_str))
                .collect();
            vpcs.sort_unstable();
            vpcs.dedup();
            for vpc in vpcs {
                r.peerings_by_vpc.add(vpc, name(&p.metadata));
            }
        }
        for p in &f.external_peerings {
            r.external_peerings_by_vpc
                .add(&p.spec.permit.vpc.name, name(&p.metadata));
            r.external_peerings_by_external
                .add(&p.spec.permit.external.name, name(&p.metadata));
        }
        r
    }
}

/// What upstream's admission webhooks would refuse when going from `before` to `after`
/// (rules 67–72). Both sets should be defaulted. Objects are matched by key; an object of
/// `after` equal to its `before` is not a change.
///
/// Deliberate difference: the VLANNamespace update check (69) looks at the VPCs that use the
/// namespace (`spec.vlanNamespace`), not those labelled with its name as an IPv4Namespace as
/// upstream does, and skips hostBGP subnets (VLAN 0), which upstream would refuse.
pub fn validate_change(
    before: &[Object],
    after: &[Object],
    cfg: &FabricConfig,
    catalog: &Catalog,
) -> Vec<Diagnostic> {
    let old: BTreeMap<ObjectKey, &Object> = before
        .iter()
        .filter(|o| o.kind().is_some())
        .map(|o| (o.key(), o))
        .collect();
    let new: BTreeMap<ObjectKey, &Object> = after
        .iter()
        .filter(|o| o.kind().is_some())
        .map(|o| (o.key(), o))
        .collect();
    let fabric = Fabric::new(after);
    let refs = References::new(&fabric);
    let mut c = Check {
        fabric: &fabric,
        refs: &refs,
        cfg,
        catalog,
        out: Out::default(),
    };
    for (key, object) in &new {
        match old.get(key) {
            None => c.created(key, object),
            Some(prev) if prev != object => c.updated(key, prev, object),
            Some(_) => {}
        }
    }
    for (key, object) in &old {
        if !new.contains_key(key) {
            c.deleted(key, object);
        }
    }
    c.out.diagnostics
}

struct Check<'f, 'a> {
    fabric: &'f Fabric<'a>,
    refs: &'f References<'a>,
    cfg: &'f FabricConfig,
    catalog: &'f Catalog,
    out: Out,
}

impl Check<'_, '_> {
    fn error(&mut self, code: &'static str, key: &ObjectKey, path: FieldPath, message: String) {
        self.out.error(code, key.clone(), path, message);
    }

    /// Refuses the delete of `key` when `refs` still names it.
    fn in_use(
        &mut self,
        key: &ObjectKey,
        refs: &Refs<'_>,
        code: &'static str,
        message: &str,
        kind: &str,
    ) {
        if let Some(by) = refs.first(&key.name) {
            self.error(
                code,
                key,
                FieldPath::root(),
                format!("{message} ({kind} {by})"),
            );
        }
    }

    fn created(&mut self, key: &ObjectKey, object: &Object) {
        match object {
            Object::Connection(conn) => self.within_vpc_exists(key, conn),
            Object::SwitchProfile(sp) => {
                if self.catalog.builtin_profile(&key.name).is_none()
                    && !self.cfg.allow_extra_switch_profiles
                {
                    self.error(
                        "fabric.change.switchprofile-only-default",
                        key,
                        FieldPath::root(),
                        "only default switch profiles are allowed".to_owned(),
                    );
                }
                self.default_profile_unchanged(key, sp);
            }
            _ => {}
        }
    }

    fn updated(&mut self, key: &ObjectKey, prev: &Object, object: &Object) {
        match (prev, object) {
            (Object::Connection(old), Object::Connection(new)) => {
                self.connection_update(key, old, new)
            }
            (Object::Switch(old), Object::Switch(new)) => self.switch_update(key, old, new),
            (Object::VlanNamespace(_), Object::VlanNamespace(new)) => {
                self.vlan_namespace_update(key, new)
            }
            (Object::Ipv4Namespace(_), Object::Ipv4Namespace(new)) => {
                self.ipv4_namespace_update(key, new)
            }
            (Object::SwitchProfile(_), Object::SwitchProfile(new)) => {
                self.default_profile_unchanged(key, new)
            }
            _ => {}
        }
    }

    fn deleted(&mut self, key: &ObjectKey, object: &Object) {
        let r = self.refs;
        match object {
            Object::Connection(_) => {
                self.in_use(
                    key,
                    &r.attachments_by_connection,
                    "fabric.change.connection-has-attachments",
                    "connection has attachments",
                    "VPCAttachment",
                );
                self.in_use(
                    key,
                    &r.external_attachments_by_connection,
                    "fabric.change.connection-has-external-attachments",
                    "connection has external attachments",
                    "ExternalAttachment",
                );
            }
            Object::Switch(_) => {
                self.in_use(
                    key,
                    &r.connections_by_switch,
                    "fabric.change.switch-has-connections",
                    "switch has connections",
                    "Connection",
                );
            }
            Object::Server(_) => {
                self.in_use(
                    key,
                    &r.connections_by_server,
                    "fabric.change.server-has-connections",
                    "server has connections",
                    "Connection",
                );
            }
            Object::VlanNamespace(_) => {
                self.in_use(
                    key,
                    &r.switches_by_vlan_namespace,
                    "fabric.change.vlannamespace-has-switches",
                    "VLANNamespace has switches",
                    "Switch",
                );
                if let Some(vpc) = r
                    .vpcs_by_vlan_namespace
                    .get(key.name.as_str())
                    .and_then(|v| v.first())
                {
                    let by = name(&vpc.metadata);
                    self.error(
                        "fabric.change.vlannamespace-has-vpcs",
                        key,
                        FieldPath::root(),
                        format!("VLANNamespace has VPCs (VPC {by})"),
                    );
                }
            }
            Object::Ipv4Namespace(_) => {
                if let Some(vpc) = r
                    .vpcs_by_ipv4_namespace
                    .get(key.name.as_str())
                    .and_then(|v| v.first())
                {
                    let by = name(&vpc.metadata);
                    self.error(
                        "fabric.change.ipv4namespace-has-vpcs",
                        key,
                        FieldPath::root(),
                        format!("IPv4Namespace has VPCs (VPC {by})"),
                    );
                }
                self.in_use(
                    key,
                    &r.externals_by_ipv4_namespace,
                    "fabric.change.ipv4namespace-has-externals",
                    "IPv4Namespace has externals",
                    "External",
                );
            }
            Object::Vpc(_) => {
                self.in_use(
                    key,
                    &r.attachments_by_vpc,
                    "fabric.change.vpc-has-attachments",
                    "VPC has attachments",
                    "VPCAttachment",
                );
                self.in_use(
                    key,
                    &r.peerings_by_vpc,
                    "fabric.change.vpc-has-peerings",
                    "VPC has peerings",
                    "VPCPeering",
                );
                self.in_use(
                    key,
                    &r.external_peerings_by_vpc,
                    "fabric.change.vpc-has-external-peerings",
                    "VPC has external peerings",
                    "ExternalPeering",
                );
                self.in_use(
                    key,
                    &r.connections_by_within_vpc,
                    "fabric.change.vpc-has-static-externals",
                    "VPC has static external connections (using withingVPC option)",
                    "Connection",
                );
            }
            Object::External(_) => {
                self.in_use(
                    key,
                    &r.external_attachments_by_external,
                    "fabric.change.external-has-attachments",
                    "external has attachments",
                    "ExternalAttachment",
                );
                self.in_use(
                    key,
                    &r.external_peerings_by_external,
                    "fabric.change.external-has-peerings",
                    "external has peerings",
                    "ExternalPeering",
                );
            }
            Object::SwitchProfile(_) if self.catalog.is_builtin(&key.name) => {
                self.error(
                    "fabric.change.switchprofile-default-immutable",
                    key,
                    FieldPath::root(),
                    "default switch profiles are immutable".to_owned(),
                );
            }
            _ => {}
        }
    }

    /// Rule 67 (create and update): a static external's `withinVPC` exists.
    fn within_vpc_exists(&mut self, key: &ObjectKey, conn: &Connection) {
        let Some(se) = &conn.spec.static_external else {
            return;
        };
        if !se.within_vpc.is_empty() && !self.fabric.vpcs.contains_key(se.within_vpc.as_str()) {
            self.error(
                "fabric.change.connection-within-vpc-not-found",
                key,
                spec("staticExternal").key("withinVPC"),
                format!("vpc {} not found", se.within_vpc),
            );
        }
    }

    /// Rule 67 (update).
    fn connection_update(&mut self, key: &ObjectKey, old: &Connection, new: &Connection) {
        if old.spec.connection_type() != new.spec.connection_type() {
            self.error(
                "fabric.change.connection-type-immutable",
                key,
                FieldPath::root().key("spec"),
                "connection type is immutable".to_owned(),
            );
        }
        if let (Some(a), Some(b)) = (&old.spec.static_external, &new.spec.static_external)
            && a.within_vpc != b.within_vpc
        {
            self.error(
                "fabric.change.connection-within-vpc-immutable",
                key,
                spec("staticExternal").key("withinVPC"),
                "StaticExternal.WithinVPC is immutable".to_owned(),
            );
        }
        self.within_vpc_exists(key, new);
    }

    /// Rule 68 (update).
    fn switch_update(&mut self, key: &ObjectKey, old: &Switch, new: &Switch) {
        if (old.spec.roce || new.spec.roce) && old.spec.port_breakouts != new.spec.port_breakouts {
            self.error(
                "fabric.change.switch-breakouts-with-roce",
                key,
                spec("portBreakouts"),
                "port breakouts cannot be changed when RoCEv2 is enabled".to_owned(),
            );
        }
    }

    /// Rule 69 (update), on the VPCs that use the namespace.
    fn vlan_namespace_update(&mut self, key: &ObjectKey, ns: &VlanNamespace) {
        let vpcs = self
            .refs
            .vpcs_by_vlan_namespace
            .get(key.name.as_str())
            .map_or(&[][..], Vec::as_slice);
        for vpc in vpcs {
            for (subnet_name, subnet) in &vpc.spec.subnets {
                if !subnet.host_bgp && !vlan_in_ranges(&ns.spec.ranges, subnet.vlan) {
                    let message = format!(
                        "existing vpc {} subnet {subnet_name} (vlan {}) doesn't fit updated VLAN namespace",
                        name(&vpc.metadata),
                        subnet.vlan
                    );
                    self.error(
                        "fabric.change.vlannamespace-vpc-outside",
                        key,
                        spec("ranges"),
                        message,
                    );
                }
            }
        }
    }

    /// Rule 70 (update).
    fn ipv4_namespace_update(&mut self, key: &ObjectKey, ns: &Ipv4Namespace) {
        let prefixes: Vec<Prefix> = ns
            .spec
            .subnets
            .iter()
            .filter_map(|s| Prefix::parse(s))
            .collect();
        let vpcs = self
            .refs
            .vpcs_by_ipv4_namespace
            .get(key.name.as_str())
            .map_or(&[][..], Vec::as_slice);
        for vpc in vpcs {
            for (subnet_name, subnet) in &vpc.spec.subnets {
                let Some(p) = Prefix::parse(&subnet.subnet) else {
                    continue;
                };
                if !prefixes.iter().any(|ns| p.is_subset_of(ns)) {
                    let message = format!(
                        "existing vpc {} subnet {subnet_name} (cidr {}) doesn't fit updated IPv4 namespace",
                        name(&vpc.metadata),
                        subnet.subnet
                    );
                    self.error(
                        "fabric.change.ipv4namespace-vpc-outside",
                        key,
                        spec("subnets"),
                        message,
                    );
                }
            }
        }
    }

    /// Rule 72: a built-in profile's spec must stay as built in.
    fn default_profile_unchanged(&mut self, key: &ObjectKey, sp: &SwitchProfile) {
        if self
            .catalog
            .builtin_profile(&key.name)
            .is_some_and(|b| b.spec != sp.spec)
        {
            self.error(
                "fabric.change.switchprofile-default-immutable",
                key,
                FieldPath::root().key("spec"),
                "default switch profiles are immutable".to_owned(),
            );
        }
    }
}
