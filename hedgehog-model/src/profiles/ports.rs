//! Port queries of a switch profile for a given switch, as upstream computes them
//! (`api/wiring/v1beta1/switchprofile_types.go`): which API port names exist (`M<n>`,
//! `E<asic>/<port>`, breakout sub-ports `E1/55/1..N`, the base name being an alias of `/1`),
//! their NOS names, speeds, breakout modes, auto-negotiation, FEC and port (lane) counts.

use std::collections::{BTreeMap, BTreeSet};

use crate::api::{SwitchProfilePort, SwitchProfilePortProfile, SwitchProfileSpec, SwitchSpec};

/// The prefix of data port NOS names (`Ethernet0`).
pub const DATA_PORT_NOS_PREFIX: &str = "Ethernet";

/// Why a profile cannot answer a port query; the texts are upstream's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PortError {
    /// A breakout port's `baseNOSName` lacks the `Ethernet` prefix.
    #[error("port {port:?} base NOS name {nos:?} is invalid (no expected prefix)")]
    BaseNosPrefix {
        /// API port name.
        port: String,
        /// The port's NOS name (upstream prints this one).
        nos: String,
    },
    /// A breakout port's `baseNOSName` does not end in a number.
    #[error("port {port:?} base NOS name {nos:?} is invalid (suffix isn't a number)")]
    BaseNosNumber {
        /// API port name.
        port: String,
        /// The port's NOS name.
        nos: String,
    },
    /// A breakout offset is not a number.
    #[error(
        "port {port:?} NOS name {nos:?} breakout mode {mode:?} offset {offset:?} is invalid (not a number)"
    )]
    Offset {
        /// API port name.
        port: String,
        /// The port's NOS name.
        nos: String,
        /// The breakout mode.
        mode: String,
        /// The offset as written.
        offset: String,
    },
    /// The switch (or the profile default) selects a breakout mode the port's profile lacks.
    #[error("port {port:?} has a breakout {mode:?} not supported by profile {profile:?}")]
    UnsupportedBreakout {
        /// API port name.
        port: String,
        /// The breakout mode.
        mode: String,
        /// The port profile.
        profile: String,
    },
    /// A port refers to a port profile that does not exist.
    #[error("port {port:?} references non-existent profile {profile:?}")]
    MissingProfile {
        /// The port's NOS name (upstream prints this one).
        port: String,
        /// The port profile.
        profile: String,
    },
    /// A port profile has neither speed nor breakout settings.
    #[error("port {port:?} references profile {profile:?} without speed or breakout")]
    EmptyProfile {
        /// The port's NOS name.
        port: String,
        /// The port profile.
        profile: String,
    },
    /// A data port has neither a profile nor a group.
    #[error("port {port:?} must have a profile or group")]
    NoProfileOrGroup {
        /// The port name.
        port: String,
    },
    /// A breakout port's base NOS number plus an offset does not fit 64 bits (upstream's Go
    /// wraps around silently and names a port `Ethernet-9223372036854775808`).
    #[error(
        "port {port:?} NOS name {nos:?} breakout mode {mode:?} offset {offset:?} is invalid (base NOS number plus offset overflows)"
    )]
    OffsetOverflow {
        /// API port name.
        port: String,
        /// The port's NOS name.
        nos: String,
        /// The breakout mode.
        mode: String,
        /// The offset as written.
        offset: String,
    },
    /// Two API ports map to the same NOS port.
    #[error("NOS port {0:?} is duplicated")]
    DuplicateNos(String),
    /// A port name the profile does not have.
    #[error("port {0:?} does not exist in the switch profile")]
    UnknownPort(String),
}

/// How many ports (breakout lanes in use) a switch has, in all and per pipeline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortLanes {
    /// All data ports: 1 per speed/group port, the number of breakout ports per breakout port.
    pub total: u32,
    /// Per pipeline: the count and the API port names (sorted), for ports with a pipeline.
    pub pipelines: BTreeMap<String, (u32, Vec<String>)>,
}

/// A port's breakout settings under a switch: its profile name, the profile and the mode
/// (the switch's `portBreakouts` entry, else the profile default).
struct Breakout<'a> {
    profile_name: &'a str,
    profile: &'a SwitchProfilePortProfile,
    mode: &'a str,
}

impl SwitchProfileSpec {
    /// The port profile a data port refers to directly (`profile`, not via its group).
    fn direct_profile<'a>(
        &'a self,
        port: &'a SwitchProfilePort,
    ) -> Result<Option<&'a SwitchProfilePortProfile>, PortError> {
        if port.profile.is_empty() {
            return Ok(None);
        }
        self.port_profiles
            .get(&port.profile)
            .map(Some)
            .ok_or_else(|| PortError::MissingProfile {
                port: port.nos_name.clone(),
                profile: port.profile.clone(),
            })
    }

    fn breakout_of<'a>(
        &'a self,
        name: &str,
        port: &'a SwitchProfilePort,
        sw: &'a SwitchSpec,
    ) -> Result<Option<Breakout<'a>>, PortError> {
        let Some(profile) = self.direct_profile(port)? else {
            return Ok(None);
        };
        let Some(breakout) = &profile.breakout else {
            return Ok(None);
        };
        let mode = sw.port_breakouts.get(name).unwrap_or(&breakout.default);
        Ok(Some(Breakout {
            profile_name: &port.profile,
            profile,
            mode,
        }))
    }

    /// The number of breakout ports of a breakout port in `mode`.
    fn breakout_lanes(&self, name: &str, profile: &str, mode: &str) -> Result<usize, PortError> {
        self.port_profiles
            .get(profile)
            .and_then(|p| p.breakout.as_ref())
            .and_then(|b| b.supported.get(mode))
            .map(|m| m.offsets.len())
            .ok_or_else(|| PortError::UnsupportedBreakout {
                port: name.to_owned(),
                mode: mode.to_owned(),
                profile: profile.to_owned(),
            })
    }

    /// The NOS port numbers of a breakout port in `mode` (`baseNOSName` number plus each offset).
    fn breakout_nos_numbers(
        &self,
        name: &str,
        port: &SwitchProfilePort,
        profile: &str,
        mode: &str,
    ) -> Result<Vec<i64>, PortError> {
        let breakout = self
            .port_profiles
            .get(profile)
            .and_then(|p| p.breakout.as_ref())
            .and_then(|b| b.supported.get(mode))
            .ok_or_else(|| PortError::UnsupportedBreakout {
                port: name.to_owned(),
                mode: mode.to_owned(),
                profile: profile.to_owned(),
            })?;
        let base = base_nos_number(name, port)?;
        breakout
            .offsets
            .iter()
            .map(|offset| {
                let error = |overflow: bool| {
                    let (port, nos) = (name.to_owned(), port.nos_name.clone());
                    let (mode, offset) = (mode.to_owned(), offset.clone());
                    if overflow {
                        PortError::OffsetOverflow {
                            port,
                            nos,
                            mode,
                            offset,
                        }
                    } else {
                        PortError::Offset {
                            port,
                            nos,
                            mode,
                            offset,
                        }
                    }
                };
                let o = go_atoi(offset).ok_or_else(|| error(false))?;
                base.checked_add(o).ok_or_else(|| error(true))
            })
            .collect()
    }

    /// Upstream `GetAPI2NOSPortsFor`: every API port name of the switch with its NOS name:
    /// management ports, speed and group ports, and for each breakout port in its current
    /// mode the sub-ports `<port>/1..N` plus the base name (an alias of `/1`).
    pub fn api_to_nos_ports(&self, sw: &SwitchSpec) -> Result<BTreeMap<String, String>, PortError> {
        let mut ports = BTreeMap::new();
        for (name, port) in &self.ports {
            // Upstream reads a missing port profile as one without breakout here.
            let breakout = match self.breakout_of(name, port, sw) {
                _ if port.management => None,
                Err(PortError::MissingProfile { .. }) => None,
                other => other?,
            };
            let Some(b) = breakout else {
                ports.insert(name.clone(), port.nos_name.clone());
                continue;
            };
            let numbers = self.breakout_nos_numbers(name, port, b.profile_name, b.mode)?;
            for (i, n) in numbers.iter().enumerate() {
                let nos = format!("{DATA_PORT_NOS_PREFIX}{n}");
                if i == 0 {
                    ports.insert(name.clone(), nos.clone());
                }
                ports.insert(format!("{name}/{}", i + 1), nos);
            }
        }
        Ok(ports)
    }

    /// Upstream `GetNOS2APIPortsFor`: NOS name → API name; a breakout's NOS name maps to its
    /// `/1` sub-port rather than the base alias.
    pub fn nos_to_api_ports(&self, sw: &SwitchSpec) -> Result<BTreeMap<String, String>, PortError> {
        let mut ports: BTreeMap<String, String> = BTreeMap::new();
        for (api, nos) in self.api_to_nos_ports(sw)? {
            match ports.get(&nos) {
                None => {
                    ports.insert(nos, api);
                }
                Some(prev) if format!("{prev}/1") == api => {
                    ports.insert(nos, api);
                }
                Some(prev) if *prev == format!("{api}/1") => {}
                Some(_) => return Err(PortError::DuplicateNos(nos)),
            }
        }
        Ok(ports)
    }

    /// Upstream `GetAllBreakoutNOSNames`: the NOS names of every breakout sub-port of every
    /// breakout mode of every breakout port.
    pub fn all_breakout_nos_names(&self) -> Result<BTreeSet<String>, PortError> {
        let mut names = BTreeSet::new();
        for (name, port) in &self.ports {
            let Some(profile) = self.direct_profile(port)? else {
                continue;
            };
            let Some(breakout) = &profile.breakout else {
                continue;
            };
            for mode in breakout.supported.keys() {
                for n in self.breakout_nos_numbers(name, port, &port.profile, mode)? {
                    names.insert(format!("{DATA_PORT_NOS_PREFIX}{n}"));
                }
            }
        }
        Ok(names)
    }

    /// Upstream `GetAvailableAPIPorts`: the data ports a connection may use: speed and group
    /// ports by name, breakout ports by sub-port name only (`E1/55/1..N`).
    pub fn available_api_ports(&self, sw: &SwitchSpec) -> Result<BTreeSet<String>, PortError> {
        let mut ports = BTreeSet::new();
        for (name, port) in &self.ports {
            if port.management {
                continue;
            }
            match self.direct_profile(port)? {
                Some(profile) => match (&profile.breakout, &profile.speed) {
                    (Some(_), _) => {
                        let b = self.breakout_of(name, port, sw)?;
                        let mode = b.map_or("", |b| b.mode);
                        let n = self.breakout_lanes(name, &port.profile, mode)?;
                        ports.extend((1..=n).map(|i| format!("{name}/{i}")));
                    }
                    (None, Some(_)) => {
                        ports.insert(name.clone());
                    }
                    (None, None) => {
                        return Err(PortError::EmptyProfile {
                            port: port.nos_name.clone(),
                            profile: port.profile.clone(),
                        });
                    }
                },
                None if !port.group.is_empty() => {
                    ports.insert(name.clone());
                }
                None => {
                    return Err(PortError::NoProfileOrGroup {
                        port: port.nos_name.clone(),
                    });
                }
            }
        }
        Ok(ports)
    }

    /// Upstream `GetFECConfigurablePorts`: [`Self::available_api_ports`] plus the base name of
    /// each breakout port in a single-lane mode (`E1/53` at `1x100G`).
    pub fn fec_configurable_ports(&self, sw: &SwitchSpec) -> Result<BTreeSet<String>, PortError> {
        let mut ports = self.available_api_ports(sw)?;
        for (name, port) in &self.ports {
            if port.management {
                continue;
            }
            let Ok(Some(b)) = self.breakout_of(name, port, sw) else {
                continue;
            };
            let lanes = b
                .profile
                .breakout
                .as_ref()
                .and_then(|br| br.supported.get(b.mode))
                .map(|m| m.offsets.len());
            if lanes == Some(1) {
                ports.insert(name.clone());
            }
        }
        Ok(ports)
    }

    /// Upstream `GetAutoNegsDefaultsFor`: per configurable port, whether auto-negotiation may
    /// be set and its default. Speed ports by name, breakout ports by sub-port name; group
    /// ports never.
    pub fn auto_neg_defaults(
        &self,
        sw: &SwitchSpec,
    ) -> Result<BTreeMap<String, (bool, bool)>, PortError> {
        let mut ports = BTreeMap::new();
        for (name, port) in &self.ports {
            if port.management {
                continue;
            }
            let Some(profile) = self.direct_profile(port)? else {
                if port.group.is_empty() {
                    return Err(PortError::NoProfileOrGroup { port: name.clone() });
                }
                continue;
            };
            let setting = (profile.auto_neg_allowed, profile.auto_neg_default);
            if profile.speed.is_some() {
                ports.insert(name.clone(), setting);
            } else if profile.breakout.is_some() {
                let mode = self.breakout_of(name, port, sw)?.map_or("", |b| b.mode);
                let lanes = self.breakout_lanes(name, &port.profile, mode)?;
                ports.extend((1..=lanes).map(|i| (format!("{name}/{i}"), setting)));
            } else {
                return Err(PortError::EmptyProfile {
                    port: name.clone(),
                    profile: port.profile.clone(),
                });
            }
        }
        Ok(ports)
    }

    /// Upstream `GetBreakoutDefaults`: the current breakout mode of every breakout port.
    pub fn breakout_modes(&self, sw: &SwitchSpec) -> Result<BTreeMap<String, String>, PortError> {
        let mut modes = BTreeMap::new();
        for (name, port) in &self.ports {
            if port.management {
                continue;
            }
            if let Some(b) = self.breakout_of(name, port, sw)? {
                modes.insert(name.clone(), b.mode.to_owned());
            }
        }
        Ok(modes)
    }

    /// Upstream `NormalizePortName`: a breakout port's base name becomes its `/1` sub-port;
    /// names with two `/` are returned as they are.
    pub fn normalize_port_name(&self, name: &str) -> Result<String, PortError> {
        if name.matches('/').count() == 2 {
            return Ok(name.to_owned());
        }
        let port = self
            .ports
            .get(name)
            .ok_or_else(|| PortError::UnknownPort(name.to_owned()))?;
        match self.direct_profile(port)? {
            Some(profile) if profile.breakout.is_some() => Ok(format!("{name}/1")),
            _ => Ok(name.to_owned()),
        }
    }

    /// The speed profile of a speed or group port (through its group for group ports).
    fn speed_profile(&self, name: &str) -> Option<&SwitchProfilePortProfile> {
        let port = self.ports.get(name)?;
        let profile = if port.profile.is_empty() {
            &self.port_groups.get(&port.group)?.profile
        } else {
            &port.profile
        };
        self.port_profiles
            .get(profile)
            .filter(|p| p.speed.is_some())
    }

    /// The speeds a speed or group port supports (`None` for other or unknown ports).
    pub fn port_speeds(&self, name: &str) -> Option<&[String]> {
        self.speed_profile(name)?
            .speed
            .as_ref()
            .map(|s| s.supported.as_slice())
    }

    /// The default speed of a speed or group port.
    pub fn port_default_speed(&self, name: &str) -> Option<&str> {
        self.speed_profile(name)?
            .speed
            .as_ref()
            .map(|s| s.default.as_str())
    }

    /// The speeds a port group supports.
    pub fn group_speeds(&self, group: &str) -> Option<&[String]> {
        let profile = self
            .port_profiles
            .get(&self.port_groups.get(group)?.profile)?;
        profile.speed.as_ref().map(|s| s.supported.as_slice())
    }

    /// The breakout modes a breakout port supports, sorted (`None` for other ports).
    pub fn port_breakouts(&self, name: &str) -> Option<Vec<&str>> {
        let port = self.ports.get(name)?;
        let breakout = self.port_profiles.get(&port.profile)?.breakout.as_ref()?;
        Some(breakout.supported.keys().map(String::as_str).collect())
    }

    /// The ports (lanes) a switch uses, in all and per pipeline, as upstream's switch
    /// validation counts them against `maxPorts`: 1 per group port, 1 per speed port, the
    /// number of breakout ports of the current mode per breakout port.
    pub fn port_lanes(&self, sw: &SwitchSpec) -> Result<PortLanes, PortError> {
        let mut lanes = PortLanes::default();
        for (name, port) in &self.ports {
            if port.management {
                continue;
            }
            let count = if port.group.is_empty() {
                if port.profile.is_empty() {
                    return Err(PortError::NoProfileOrGroup { port: name.clone() });
                }
                match self.breakout_of(name, port, sw)? {
                    Some(b) => self.breakout_lanes(name, b.profile_name, b.mode)?,
                    None => 1,
                }
            } else {
                1
            };
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            lanes.total = lanes.total.saturating_add(count);
            if !port.pipeline.is_empty() {
                let entry = lanes.pipelines.entry(port.pipeline.clone()).or_default();
                entry.0 = entry.0.saturating_add(count);
                entry.1.push(name.clone());
            }
        }
        for (_, names) in lanes.pipelines.values_mut() {
            names.sort();
        }
        Ok(lanes)
    }
}

fn base_nos_number(name: &str, port: &SwitchProfilePort) -> Result<i64, PortError> {
    let suffix = port
        .base_nos_name
        .strip_prefix(DATA_PORT_NOS_PREFIX)
        .ok_or_else(|| PortError::BaseNosPrefix {
            port: name.to_owned(),
            nos: port.nos_name.clone(),
        })?;
    go_atoi(suffix).ok_or_else(|| PortError::BaseNosNumber {
        port: name.to_owned(),
        nos: port.nos_name.clone(),
    })
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits that fit an `int` (64 bits).
pub(crate) fn go_atoi(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}
