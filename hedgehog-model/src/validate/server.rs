//! Server, SwitchGroup and ServerProfile validation (rule 39): upstream checks only their
//! metadata.

use kube::core::ObjectMeta;

use super::{Report, meta};

/// Validates the metadata of a kind that has no other per-object rules.
pub(super) fn validate_metadata_only(object_meta: &ObjectMeta, report: &mut Report) {
    meta::validate(object_meta, report);
}
