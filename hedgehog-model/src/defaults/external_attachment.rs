//! Upstream `ExternalAttachment.Default()`.

use super::labels;
use crate::api::ExternalAttachment;

pub(crate) fn default(attach: &mut ExternalAttachment) {
    labels::cleanup(&mut attach.metadata);
    labels::set(&mut attach.metadata, "connection", &attach.spec.connection);
    labels::set(&mut attach.metadata, "external", &attach.spec.external);
}
