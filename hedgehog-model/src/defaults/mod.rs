//! Defaulting exactly as upstream's `Default()` of every kind (the mutating webhook),
//! API reference §6. Deliberate differences are listed in the README.

mod connection;
mod external;
mod external_attachment;
mod external_peering;
mod ipv4_namespace;
pub(crate) mod labels;
mod switch;
mod switch_profile;
mod vlan_namespace;
mod vpc;
mod vpc_attachment;
pub(crate) mod vpc_peering;

use crate::Object;

/// Applies upstream's defaulting to `object` in place. Idempotent: defaulting a defaulted
/// object changes nothing. Unknown documents are left as they are.
pub fn default_object(object: &mut Object) {
    if let Some(meta) = object.meta_mut()
        && meta.namespace.as_deref().unwrap_or("").is_empty()
    {
        meta.namespace = Some("default".to_owned());
    }
    match object {
        Object::Vpc(o) => vpc::default(o),
        Object::VpcAttachment(o) => vpc_attachment::default(o),
        Object::VpcPeering(o) => vpc_peering::default(o),
        Object::Ipv4Namespace(o) => ipv4_namespace::default(o),
        Object::External(o) => external::default(o),
        Object::ExternalAttachment(o) => external_attachment::default(o),
        Object::ExternalPeering(o) => external_peering::default(o),
        Object::Switch(o) => switch::default(o),
        Object::SwitchProfile(o) => switch_profile::default(o),
        Object::Connection(o) => connection::default(o),
        Object::VlanNamespace(o) => vlan_namespace::default(o),
        Object::Server(o) => labels::cleanup(&mut o.metadata),
        Object::SwitchGroup(_) | Object::ServerProfile(_) | Object::Unknown(_) => {}
    }
}
