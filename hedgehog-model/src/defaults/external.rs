//! Upstream `External.Default()`.

use super::labels;
use super::vpc::DEFAULT_NAMESPACE;
use crate::api::External;

pub(crate) fn default(external: &mut External) {
    if external.spec.ipv4_namespace.is_empty() {
        external.spec.ipv4_namespace = DEFAULT_NAMESPACE.to_owned();
    }
    labels::cleanup(&mut external.metadata);
    labels::set(
        &mut external.metadata,
        "ipv4ns",
        &external.spec.ipv4_namespace,
    );
}
