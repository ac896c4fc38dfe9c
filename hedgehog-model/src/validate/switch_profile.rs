//! SwitchProfile validation (rule 36, upstream `SwitchProfile.Validate`). It matters for
//! custom profiles: the built-in ones pass it.
//!
//! Upstream walks its maps in random order and stops at the first problem; here every
//! problem is reported, walking ports, groups, profiles and pipelines in name order. A port
//! counts as referencing its profile and group even when it has other problems, so one
//! mistake does not cascade into "not referenced" errors.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use super::meta::go_quote;
use super::{Report, meta};
use crate::FieldPath;
use crate::api::{SwitchProfile, SwitchProfilePort, SwitchProfileSpec};
use crate::config::FabricConfig;
use crate::profiles::ports::go_atoi;

const MANAGEMENT_PORT_PREFIX: &str = "M";
const MANAGEMENT_NOS_PREFIX: &str = "Management";
const DATA_PORT_PREFIX: &str = "E";
const DATA_NOS_PREFIX: &str = "Ethernet";
const BREAKOUT_NOS_PREFIX: &str = "1/";
const ONIE_PORT_PREFIX: &str = "eth";

/// Port speeds upstream allows (`allowedPortSpeeds`).
const PORT_SPEEDS: [&str; 12] = [
    "1G", "2.5G", "5G", "10G", "20G", "25G", "40G", "50G", "100G", "200G", "400G", "800G",
];

/// Lane counts a breakout mode may have (`allowedPortBreakoutNumbers`).
const BREAKOUT_NUMBERS: [&str; 4] = ["1", "2", "4", "8"];

pub(super) fn validate(sp: &SwitchProfile, _cfg: Option<&FabricConfig>, report: &mut Report) {
    meta::validate(&sp.metadata, report);
    let spec = &sp.spec;
    let at = |field: &str| FieldPath::root().key("spec").key(field);

    if spec.display_name.is_empty() {
        report.error(
            "switch-profile.display-name.required",
            at("displayName"),
            "displayName is required",
        );
    }
    if spec.other_names.len() > 5 {
        report.error(
            "switch-profile.other-names.too-many",
            at("otherNames"),
            "otherNames must not exceed 5 items",
        );
    }
    for (i, name) in spec.other_names.iter().enumerate() {
        if name.is_empty() {
            report.error(
                "switch-profile.other-names.empty",
                at("otherNames").index(i),
                "otherNames must not contain empty strings",
            );
        } else if spec.other_names.iter().position(|n| n == name) != Some(i) {
            report.error(
                "switch-profile.other-names.duplicate",
                at("otherNames").index(i),
                "otherNames must not contain duplicates",
            );
        }
    }
    if spec.switch_silicon.is_empty() {
        report.error(
            "switch-profile.switch-silicon.required",
            at("switchSilicon"),
            "switchSilicon is required",
        );
    }
    if spec.nos_type.is_empty() {
        report.error(
            "switch-profile.nos-type.required",
            at("nosType"),
            "nosType is required",
        );
    } else if !spec.nos_type.is_known() {
        report.error(
            "switch-profile.nos-type.invalid",
            at("nosType"),
            format!("nosType {} is invalid", go_quote(spec.nos_type.as_str())),
        );
    }
    if spec.platform.is_empty() {
        report.error(
            "switch-profile.platform.required",
            at("platform"),
            "platform is required",
        );
    }

    let mut used = check_ports(spec, report);
    check_groups(spec, &mut used, report);
    check_profiles(spec, &used, report);

    for (name, pipeline) in &spec.pipelines {
        let path = at("pipelines").key(name.as_str());
        if name.is_empty() {
            report.error(
                "switch-profile.pipeline.name-required",
                path.clone(),
                format!("pipeline {} must have a name", go_quote(name)),
            );
        }
        if pipeline.max_ports == 0 {
            report.error(
                "switch-profile.pipeline.max-ports-required",
                path.key("maxPorts"),
                format!("pipeline {} must have a non-zero max ports", go_quote(name)),
            );
        }
    }
}

/// Formats as Go's `%q` of the string, quoting only when a message is written.
#[derive(Clone, Copy)]
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&go_quote(self.0))
    }
}

/// The groups and profiles that ports (and, for profiles, groups) refer to.
#[derive(Default)]
struct Used<'a> {
    groups: BTreeSet<&'a str>,
    profiles: BTreeSet<&'a str>,
}

/// Checks every port; returns what they reference.
fn check_ports<'a>(spec: &'a SwitchProfileSpec, report: &mut Report) -> Used<'a> {
    let mut used = Used::default();
    let mut nos_names = HashSet::with_capacity(spec.ports.len());
    let mut base_nos_names = HashSet::new();
    let mut labels = HashSet::with_capacity(spec.ports.len());

    for (name, port) in &spec.ports {
        let q = Quoted(name);
        // Paths are built only for problems: valid profiles are the common case.
        let mut err = |code: &'static str, field: Option<&str>, message: String| {
            let mut path = FieldPath::root()
                .key("spec")
                .key("ports")
                .key(name.as_str());
            if let Some(field) = field {
                path.push_key(field);
            }
            report.error(code, path, message);
        };

        if port.nos_name.is_empty() {
            err(
                "switch-profile.port.nos-required",
                Some("nos"),
                format!("port {q} must have a NOS name"),
            );
        }
        if name.len() < 2 {
            err(
                "switch-profile.port.name-too-short",
                None,
                format!("port {q} name must have with at least two characters"),
            );
        }
        if !port.nos_name.is_empty() && !nos_names.insert(port.nos_name.as_str()) {
            err(
                "switch-profile.port.nos-duplicate",
                Some("nos"),
                format!(
                    "port {q} NOS name {} is duplicated",
                    go_quote(&port.nos_name)
                ),
            );
        }
        if !port.base_nos_name.is_empty() && !base_nos_names.insert(port.base_nos_name.as_str()) {
            err(
                "switch-profile.port.base-nos-duplicate",
                Some("baseNOSName"),
                format!(
                    "port {q} base NOS name {} is duplicated",
                    go_quote(&port.base_nos_name)
                ),
            );
        }

        if port.management {
            check_management_port(name, port, &mut err);
            continue;
        }

        check_data_port_name(name, &mut err);
        if port.label.is_empty() {
            err(
                "switch-profile.port.label-required",
                Some("label"),
                format!("port {q} must have a label"),
            );
        } else if !labels.insert(port.label.as_str()) {
            err(
                "switch-profile.port.label-duplicate",
                Some("label"),
                format!("port {q} label {} is duplicated", go_quote(&port.label)),
            );
        }
        match (port.profile.is_empty(), port.group.is_empty()) {
            (true, true) => err(
                "switch-profile.port.profile-or-group-required",
                None,
                format!("port {q} must have a profile or group"),
            ),
            (false, false) => err(
                "switch-profile.port.profile-and-group",
                None,
                format!("port {q} must have either a profile or group, not both"),
            ),
            _ => {}
        }

        // Whether the port is a breakout port, when that can be known (its profile exists).
        let mut breakout = Some(false);
        if !port.profile.is_empty() {
            used.profiles.insert(port.profile.as_str());
            match spec.port_profiles.get(&port.profile) {
                None => {
                    breakout = None;
                    err(
                        "switch-profile.port.profile-missing",
                        Some("profile"),
                        format!(
                            "port {q} references non-existent profile {}",
                            go_quote(&port.profile)
                        ),
                    );
                }
                Some(profile) if profile.breakout.is_some() => {
                    breakout = Some(true);
                    check_breakout_port(name, port, &mut err);
                }
                Some(_) => {}
            }
        }

        if !port.pipeline.is_empty() {
            if !spec.pipelines.contains_key(&port.pipeline) {
                err(
                    "switch-profile.port.pipeline-missing",
                    Some("pipeline"),
                    format!(
                        "port {q} references non-existent pipeline {}",
                        go_quote(&port.pipeline)
                    ),
                );
            }
            if breakout == Some(false) {
                err(
                    "switch-profile.port.pipeline-not-breakout",
                    Some("pipeline"),
                    format!("port {q} must be a breakout port to reference a pipeline"),
                );
            }
        }

        if breakout == Some(false) && !port.nos_name.is_empty() {
            match port.nos_name.strip_prefix(DATA_NOS_PREFIX) {
                None => err(
                    "switch-profile.port.data-nos-prefix",
                    Some("nos"),
                    format!("data port {q} NOS name must start with {DATA_NOS_PREFIX}"),
                ),
                Some(rest) if !non_negative(rest) => err(
                    "switch-profile.port.data-nos-number",
                    Some("nos"),
                    format!("data port {q} NOS name must end with a zero or positive integer"),
                ),
                Some(_) => {}
            }
        }

        if !port.group.is_empty() {
            used.groups.insert(port.group.as_str());
            if !spec.port_groups.contains_key(&port.group) {
                err(
                    "switch-profile.port.group-missing",
                    Some("group"),
                    format!(
                        "port {q} references non-existent group {}",
                        go_quote(&port.group)
                    ),
                );
            }
        }
    }
    used
}

/// The checks of a management port (`M<n>`, NOS `Management<n>`, ONIE `eth<n>`).
fn check_management_port(
    name: &str,
    port: &SwitchProfilePort,
    err: &mut impl FnMut(&'static str, Option<&str>, String),
) {
    let q = Quoted(name);
    match name.strip_prefix(MANAGEMENT_PORT_PREFIX) {
        None => err(
            "switch-profile.port.management-name-prefix",
            None,
            format!("management port {q} name must start with M"),
        ),
        Some(rest) if !positive(rest) => err(
            "switch-profile.port.management-name-number",
            None,
            format!("management port {q} name must end with a positive integer"),
        ),
        Some(_) => {}
    }
    if !port.nos_name.is_empty() {
        match port.nos_name.strip_prefix(MANAGEMENT_NOS_PREFIX) {
            None => err(
                "switch-profile.port.management-nos-prefix",
                Some("nos"),
                format!("management port {q} NOS name must start with Management"),
            ),
            Some(rest) if !non_negative(rest) => err(
                "switch-profile.port.management-nos-number",
                Some("nos"),
                format!("management port {q} NOS name must end with a positive integer"),
            ),
            Some(_) => {}
        }
    }
    if port.onie_port_name.is_empty() {
        err(
            "switch-profile.port.management-onie-required",
            Some("oniePortName"),
            format!("management port {q} must have an ONIE port name"),
        );
    } else {
        match port.onie_port_name.strip_prefix(ONIE_PORT_PREFIX) {
            None => err(
                "switch-profile.port.management-onie-prefix",
                Some("oniePortName"),
                format!("management port {q} ONIE port name must start with eth"),
            ),
            Some(rest) if !non_negative(rest) => err(
                "switch-profile.port.management-onie-number",
                Some("oniePortName"),
                format!(
                    "management port {q} ONIE port name must end with a zero or positive integer"
                ),
            ),
            Some(_) => {}
        }
    }
    for (set, field, what) in [
        (!port.group.is_empty(), "group", "a group"),
        (!port.profile.is_empty(), "profile", "a profile"),
        (
            !port.base_nos_name.is_empty(),
            "baseNOSName",
            "a base NOS name",
        ),
    ] {
        if set {
            err(
                "switch-profile.port.management-field-set",
                Some(field),
                format!("management port {q} must not have {what}"),
            );
        }
    }
}

/// A data port is named `E<asic>/<port>`, both positive integers.
fn check_data_port_name(name: &str, err: &mut impl FnMut(&'static str, Option<&str>, String)) {
    let q = Quoted(name);
    let Some(rest) = name.strip_prefix(DATA_PORT_PREFIX) else {
        err(
            "switch-profile.port.data-name-prefix",
            None,
            format!("data port {q} must start with E"),
        );
        return;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let [asic, number] = parts.as_slice() else {
        err(
            "switch-profile.port.data-name-segments",
            None,
            format!(
                "data port {q} name must have two segments separated by a slash (e.g. asic/port)"
            ),
        );
        return;
    };
    if !positive(asic) {
        err(
            "switch-profile.port.data-name-asic",
            None,
            format!(
                "data port {q} name must contain a positive integer as the first segment (e.g. asic)"
            ),
        );
    }
    if !positive(number) {
        err(
            "switch-profile.port.data-name-port",
            None,
            format!(
                "data port {q} name must contain a positive integer as the second segment (port)"
            ),
        );
    }
}

/// A breakout port has NOS name `1/<n>` and base NOS name `Ethernet<n>`.
fn check_breakout_port(
    name: &str,
    port: &SwitchProfilePort,
    err: &mut impl FnMut(&'static str, Option<&str>, String),
) {
    let q = Quoted(name);
    if !port.nos_name.is_empty() {
        match port.nos_name.strip_prefix(BREAKOUT_NOS_PREFIX) {
            None => err(
                "switch-profile.port.breakout-nos-prefix",
                Some("nos"),
                format!("breakout port {q} NOS name must start with {BREAKOUT_NOS_PREFIX}"),
            ),
            Some(rest) if go_atoi(rest).is_none() => err(
                "switch-profile.port.breakout-nos-number",
                Some("nos"),
                format!("breakout port {q} NOS name must end with a positive integer"),
            ),
            Some(_) => {}
        }
    }
    if port.base_nos_name.is_empty() {
        err(
            "switch-profile.port.breakout-base-nos-required",
            Some("baseNOSName"),
            format!("breakout port {q} must have a base NOS name"),
        );
        return;
    }
    match port.base_nos_name.strip_prefix(DATA_NOS_PREFIX) {
        None => err(
            "switch-profile.port.breakout-base-nos-prefix",
            Some("baseNOSName"),
            format!("breakout port {q} base NOS name must start with {DATA_NOS_PREFIX}"),
        ),
        Some(rest) if !non_negative(rest) => err(
            "switch-profile.port.breakout-base-nos-number",
            Some("baseNOSName"),
            format!("breakout port {q} base NOS name must end with a zero or positive integer"),
        ),
        Some(_) => {}
    }
}

/// Checks every port group; records the profiles they reference in `used`.
fn check_groups<'a>(spec: &'a SwitchProfileSpec, used: &mut Used<'a>, report: &mut Report) {
    for (name, group) in &spec.port_groups {
        let path = || {
            FieldPath::root()
                .key("spec")
                .key("portGroups")
                .key(name.as_str())
        };
        let q = Quoted(name);
        if !used.groups.contains(name.as_str()) {
            report.error(
                "switch-profile.group.unreferenced",
                path(),
                format!("group {q} is not referenced by any port"),
            );
        }
        if group.nos_name.is_empty() {
            report.error(
                "switch-profile.group.nos-required",
                path().key("nos"),
                format!("group {q} must have a NOS name"),
            );
        } else if !positive(&group.nos_name) {
            report.error(
                "switch-profile.group.nos-invalid",
                path().key("nos"),
                format!("group {q} NOS name must be a positive integer"),
            );
        }
        if group.profile.is_empty() {
            report.error(
                "switch-profile.group.profile-required",
                path().key("profile"),
                format!("group {q} must have a profile"),
            );
            continue;
        }
        used.profiles.insert(group.profile.as_str());
        let qp = Quoted(&group.profile);
        match spec.port_profiles.get(&group.profile) {
            None => report.error(
                "switch-profile.group.profile-missing",
                path().key("profile"),
                format!("group {q} references non-existent profile {qp}"),
            ),
            Some(profile) => {
                if profile.speed.is_none() {
                    report.error(
                        "switch-profile.group.profile-not-speed",
                        path().key("profile"),
                        format!("group {q} references non-speed profile {qp}"),
                    );
                }
                if profile.auto_neg_allowed {
                    report.error(
                        "switch-profile.group.profile-autoneg",
                        path().key("profile"),
                        format!("group {q} profile {qp} must not have auto-negotiation allowed"),
                    );
                }
            }
        }
    }
}

/// Checks every port profile.
fn check_profiles(spec: &SwitchProfileSpec, used: &Used<'_>, report: &mut Report) {
    for (name, profile) in &spec.port_profiles {
        let path = || {
            FieldPath::root()
                .key("spec")
                .key("portProfiles")
                .key(name.as_str())
        };
        let q = Quoted(name);
        if !used.profiles.contains(name.as_str()) {
            report.error(
                "switch-profile.profile.unreferenced",
                path(),
                format!("profile {q} is not referenced by any port or group"),
            );
        }
        match (&profile.speed, &profile.breakout) {
            (None, None) => report.error(
                "switch-profile.profile.speed-or-breakout-required",
                path(),
                format!("profile {q} must have a speed or breakout"),
            ),
            (Some(_), Some(_)) => report.error(
                "switch-profile.profile.speed-and-breakout",
                path(),
                format!("profile {q} must have either a speed or breakout, not both"),
            ),
            _ => {}
        }
        if profile.auto_neg_default && !profile.auto_neg_allowed {
            report.error(
                "switch-profile.profile.autoneg-default",
                path().key("autoNegDefault"),
                format!(
                    "profile {q} must not have default auto-negotiation enabled if it's not allowed"
                ),
            );
        }
        if let Some(speed) = &profile.speed {
            let path = || path().key("speed");
            if speed.default.is_empty() {
                report.error(
                    "switch-profile.profile.speed-default-required",
                    path().key("default"),
                    format!("profile {q} must have a default speed"),
                );
            }
            if speed.supported.is_empty() {
                report.error(
                    "switch-profile.profile.speed-supported-required",
                    path().key("supported"),
                    format!("profile {q} must have supported speeds"),
                );
            } else if !speed.default.is_empty() && !speed.supported.contains(&speed.default) {
                report.error(
                    "switch-profile.profile.speed-default-unsupported",
                    path().key("default"),
                    format!("profile {q} must have default speed in supported speeds"),
                );
            }
            for (i, s) in speed.supported.iter().enumerate() {
                let p = || path().key("supported").index(i);
                if s.is_empty() {
                    report.error(
                        "switch-profile.profile.speed-empty",
                        p(),
                        format!("profile {q} must have non-empty speeds"),
                    );
                } else if let Err(why) = validate_port_speed(s) {
                    report.error(
                        "switch-profile.profile.speed-invalid",
                        p(),
                        format!("profile {q} speed {} is invalid: {why}", go_quote(s)),
                    );
                }
            }
        }
        if let Some(breakout) = &profile.breakout {
            let path = || path().key("breakout");
            if breakout.default.is_empty() {
                report.error(
                    "switch-profile.profile.breakout-default-required",
                    path().key("default"),
                    format!("profile {q} must have a default breakout"),
                );
            }
            if breakout.supported.is_empty() {
                report.error(
                    "switch-profile.profile.breakout-supported-required",
                    path().key("supported"),
                    format!("profile {q} must have supported breakouts"),
                );
            } else if !breakout.default.is_empty()
                && !breakout.supported.contains_key(&breakout.default)
            {
                report.error(
                    "switch-profile.profile.breakout-default-unsupported",
                    path().key("default"),
                    format!("profile {q} must have default breakout in supported breakouts"),
                );
            }
            for (mode, offsets) in &breakout.supported {
                let p = || path().key("supported").key(mode.as_str());
                if offsets.offsets.is_empty() {
                    report.error(
                        "switch-profile.profile.breakout-offsets-required",
                        p().key("offsets"),
                        format!(
                            "profile {q} must have non-empty offsets for mode {}",
                            go_quote(mode)
                        ),
                    );
                }
                if mode.is_empty() {
                    report.error(
                        "switch-profile.profile.breakout-mode-empty",
                        p(),
                        format!("profile {q} must have non-empty modes"),
                    );
                } else if let Err(why) = validate_port_breakout_mode(mode) {
                    report.error(
                        "switch-profile.profile.breakout-mode-invalid",
                        p(),
                        format!("profile {q} breakout {} is invalid: {why}", go_quote(mode)),
                    );
                }
            }
        }
    }
}

/// Upstream `ValidatePortSpeed`: a speed from the allowed list, such as `25G`.
pub(crate) fn validate_port_speed(speed: &str) -> Result<(), String> {
    if !speed.ends_with('G') {
        return Err(format!("speed {} must have a G suffix", go_quote(speed)));
    }
    if !PORT_SPEEDS.contains(&speed) {
        return Err(format!("speed {} is not allowed", go_quote(speed)));
    }
    Ok(())
}

/// Upstream `ValidatePortBreakoutMode`: `<1|2|4|8>x<speed>`, such as `4x25G`.
pub(crate) fn validate_port_breakout_mode(mode: &str) -> Result<(), String> {
    let q = go_quote(mode);
    let parts: Vec<&str> = mode.split('x').collect();
    // Upstream's message has the typo "axactly".
    let [number, speed] = parts.as_slice() else {
        return Err(format!("mode {q} must have axactly one 'x' as a separator"));
    };
    if number.is_empty() {
        return Err(format!("mode {q} must have a number before 'x'"));
    }
    if speed.is_empty() {
        return Err(format!("mode {q} must have a speed after 'x'"));
    }
    if !BREAKOUT_NUMBERS.contains(number) {
        return Err(format!("mode {q} must have a valid number"));
    }
    validate_port_speed(speed)
}

/// Whether `text` is a Go integer (`strconv.Atoi`) greater than zero.
fn positive(text: &str) -> bool {
    go_atoi(text).is_some_and(|n| n > 0)
}

/// Whether `text` is a Go integer (`strconv.Atoi`) of zero or more.
fn non_negative(text: &str) -> bool {
    go_atoi(text).is_some_and(|n| n >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_like_go() {
        assert_eq!(go_atoi("+7"), Some(7));
        assert_eq!(go_atoi("-0"), Some(0));
        assert_eq!(go_atoi("007"), Some(7));
        assert_eq!(go_atoi(""), None);
        assert_eq!(go_atoi("1_0"), None);
        assert_eq!(go_atoi("+"), None);
        assert_eq!(go_atoi("99999999999999999999"), None);
    }

    #[test]
    fn speeds_and_modes() {
        assert!(validate_port_speed("2.5G").is_ok());
        assert_eq!(
            validate_port_speed("25").unwrap_err(),
            "speed \"25\" must have a G suffix"
        );
        assert_eq!(
            validate_port_speed("30G").unwrap_err(),
            "speed \"30G\" is not allowed"
        );
        assert!(validate_port_breakout_mode("4x25G").is_ok());
        assert_eq!(
            validate_port_breakout_mode("4x25Gx").unwrap_err(),
            "mode \"4x25Gx\" must have axactly one 'x' as a separator"
        );
        assert_eq!(
            validate_port_breakout_mode("x25G").unwrap_err(),
            "mode \"x25G\" must have a number before 'x'"
        );
        assert_eq!(
            validate_port_breakout_mode("4x").unwrap_err(),
            "mode \"4x\" must have a speed after 'x'"
        );
        assert_eq!(
            validate_port_breakout_mode("3x25G").unwrap_err(),
            "mode \"3x25G\" must have a valid number"
        );
        assert_eq!(
            validate_port_breakout_mode("4x3G").unwrap_err(),
            "speed \"3G\" is not allowed"
        );
    }
}
