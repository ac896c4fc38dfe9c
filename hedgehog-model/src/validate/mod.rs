//! Per-object validation: upstream's `Validate()` of every kind without other objects
//! (rules 1–39 of the API reference, §7.1), reporting every problem instead of the first.

pub(crate) mod connection;
mod external;
mod external_attachment;
mod external_peering;
mod ipv4_namespace;
pub(crate) mod meta;
mod server;
mod switch;
mod switch_profile;
mod vlan_namespace;
mod vpc;
mod vpc_attachment;
mod vpc_peering;

use crate::config::FabricConfig;
use crate::{Diagnostic, FieldPath, Object, ObjectKey};

/// Validates one object on its own, as upstream's validating webhook would with no other
/// objects at hand. `cfg` is the fabric configuration; without one, the rules that need it
/// are skipped (as upstream does when it has none).
///
/// The object should be defaulted first ([`crate::defaults::default_object`]), as upstream
/// always defaults before it validates.
pub fn validate_object(object: &Object, cfg: Option<&FabricConfig>) -> Vec<Diagnostic> {
    let mut report = Report::new(object.key());
    match object {
        Object::Vpc(o) => vpc::validate(o, cfg, &mut report),
        Object::VpcAttachment(o) => vpc_attachment::validate(o, cfg, &mut report),
        Object::VpcPeering(o) => vpc_peering::validate(o, cfg, &mut report),
        Object::Ipv4Namespace(o) => ipv4_namespace::validate(o, cfg, &mut report),
        Object::External(o) => external::validate(o, cfg, &mut report),
        Object::ExternalAttachment(o) => external_attachment::validate(o, cfg, &mut report),
        Object::ExternalPeering(o) => external_peering::validate(o, cfg, &mut report),
        Object::Switch(o) => switch::validate(o, cfg, &mut report),
        Object::SwitchProfile(o) => switch_profile::validate(o, cfg, &mut report),
        Object::Connection(o) => connection::validate(o, cfg, &mut report),
        Object::VlanNamespace(o) => vlan_namespace::validate(o, cfg, &mut report),
        Object::Server(o) => server::validate_metadata_only(&o.metadata, &mut report),
        Object::SwitchGroup(o) => server::validate_metadata_only(&o.metadata, &mut report),
        Object::ServerProfile(o) => server::validate_metadata_only(&o.metadata, &mut report),
        Object::Unknown(_) => {}
    }
    report.diagnostics
}

/// Collects the diagnostics of one object.
pub(crate) struct Report {
    key: ObjectKey,
    diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub(crate) fn new(key: ObjectKey) -> Self {
        Report {
            key,
            diagnostics: Vec::new(),
        }
    }

    /// Records an error at `path` with a stable `code` and upstream's `message`.
    pub(crate) fn error(
        &mut self,
        code: &'static str,
        path: impl Into<FieldPath>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::error(code, message)
                .with_object(self.key.clone())
                .at(path),
        );
    }

    /// Records a warning.
    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        path: impl Into<FieldPath>,
        message: impl Into<String>,
    ) {
        self.diagnostics.push(
            Diagnostic::warning(code, message)
                .with_object(self.key.clone())
                .at(path),
        );
    }

    /// The key of the object under validation.
    pub(crate) fn key(&self) -> &ObjectKey {
        &self.key
    }
}
