//! Connection defaulting (upstream `Connection.Default`): labels naming the connection type,
//! its switches and servers, and the VPC of a static external.

use super::labels;
use crate::api::{Connection, ConnectionType};
use crate::validate::connection::endpoints;

/// The type label of a connection with no type, as upstream spells it.
const INVALID_TYPE: &str = "<invalid>";

pub(super) fn default(conn: &mut Connection) {
    let Connection { metadata, spec, .. } = conn;
    labels::cleanup(metadata);
    // Upstream leaves deprecated MCLAG connections without labels.
    if spec.mclag.is_some() || spec.mclag_domain.is_some() {
        return;
    }
    let kind = spec
        .connection_type()
        .map_or(INVALID_TYPE, ConnectionType::as_str);
    labels::set(metadata, "connection-type", kind);
    if let Some(se) = spec
        .static_external
        .as_ref()
        .filter(|se| !se.within_vpc.is_empty())
    {
        labels::set(metadata, "vpc", &se.within_vpc);
    }
    // Device labels only when the endpoints are sound, as upstream.
    let ends = endpoints(spec);
    if ends.problems.is_empty() {
        for switch in ends.switches {
            labels::set_list(metadata, "switch", switch);
        }
        for server in ends.servers {
            labels::set_list(metadata, "server", server);
        }
    }
}
