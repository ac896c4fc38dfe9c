//! Switch defaulting (upstream `Switch.Default`).

use super::labels;
use crate::api::Switch;

/// The prefix upstream strips from port speeds (`SPEED_10G` → `10G`, the NOS's spelling).
const SPEED_PREFIX: &str = "SPEED_";

/// The VLANNamespace a switch is in when it names none.
const DEFAULT_VLAN_NAMESPACE: &str = "default";

/// Link-flap errdisable defaults, applied only when the struct is present (its presence
/// turns the feature on).
const DEFAULT_LINK_FLAP_THRESHOLD: u8 = 3;
const DEFAULT_LINK_FLAP_SAMPLING_INTERVAL: u32 = 30;
const DEFAULT_LINK_FLAP_RECOVERY_INTERVAL: u32 = 300;

pub(super) fn default(sw: &mut Switch) {
    labels::cleanup(&mut sw.metadata);
    let spec = &mut sw.spec;

    for speed in spec
        .port_group_speeds
        .values_mut()
        .chain(spec.port_speeds.values_mut())
    {
        // Like Go's `strings.CutPrefix`: one prefix is removed, not all of them.
        if let Some(rest) = speed.strip_prefix(SPEED_PREFIX) {
            *speed = rest.to_owned();
        }
    }

    if spec.vlan_namespaces.is_empty() {
        spec.vlan_namespaces.push(DEFAULT_VLAN_NAMESPACE.to_owned());
    }

    let group = &spec.redundancy.group;
    if !group.is_empty() && !spec.groups.contains(group) {
        spec.groups.push(group.clone());
    }

    if let Some(flap) = &mut spec.link_flap_err_disable {
        flap.flap_threshold
            .get_or_insert(DEFAULT_LINK_FLAP_THRESHOLD);
        flap.sampling_interval
            .get_or_insert(DEFAULT_LINK_FLAP_SAMPLING_INTERVAL);
        flap.recovery_interval
            .get_or_insert(DEFAULT_LINK_FLAP_RECOVERY_INTERVAL);
    }

    spec.groups.sort_unstable();
    spec.vlan_namespaces.sort_unstable();

    for group in &spec.groups {
        labels::set_list(&mut sw.metadata, "switchgroup", group);
    }
    for ns in &spec.vlan_namespaces {
        labels::set_list(&mut sw.metadata, "vlanns", ns);
    }
    labels::set(&mut sw.metadata, "profile", &spec.profile);
}
