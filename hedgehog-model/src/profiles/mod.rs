//! The switch profile catalog: upstream's built-in SwitchProfiles (compiled in), registered
//! as `pkg/ctrl/switchprofile/catalog.go` does, plus the user's own profiles where the fabric
//! allows them; and the port queries of a profile ([`ports`]).

pub mod ports;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::api::SwitchProfile;
use crate::config::FabricConfig;
use crate::defaults::default_object;
use crate::load::{Document, Limits, Loader};
use crate::validate::validate_object;
use crate::{Diagnostic, Object};

pub use ports::{PortError, PortLanes};

/// Which catalog list of upstream a built-in profile belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProfileSet {
    /// `defaultSwitchProfiles`: always registered.
    Default,
    /// `sonicCLSPlusSwitchProfiles`: registered with `includeSONiCCLSPlus`.
    SonicClsPlus,
    /// `cumulusSwitchProfiles`: registered with `includeCumulus`.
    Cumulus,
}

/// The compiled-in profile files, in upstream's registration order.
const SOURCES: [(&str, ProfileSet, &str); 23] = [
    (
        "dell-s5232f-on",
        ProfileSet::Default,
        include_str!("../../profiles/dell-s5232f-on.yaml"),
    ),
    (
        "dell-s5248f-on",
        ProfileSet::Default,
        include_str!("../../profiles/dell-s5248f-on.yaml"),
    ),
    (
        "dell-z9332f-on",
        ProfileSet::Default,
        include_str!("../../profiles/dell-z9332f-on.yaml"),
    ),
    (
        "celestica-ds2000",
        ProfileSet::Default,
        include_str!("../../profiles/celestica-ds2000.yaml"),
    ),
    (
        "celestica-ds3000",
        ProfileSet::Default,
        include_str!("../../profiles/celestica-ds3000.yaml"),
    ),
    (
        "celestica-ds4000",
        ProfileSet::Default,
        include_str!("../../profiles/celestica-ds4000.yaml"),
    ),
    (
        "celestica-ds4101",
        ProfileSet::Default,
        include_str!("../../profiles/celestica-ds4101.yaml"),
    ),
    (
        "celestica-ds5000",
        ProfileSet::Default,
        include_str!("../../profiles/celestica-ds5000.yaml"),
    ),
    (
        "edgecore-dcs203",
        ProfileSet::Default,
        include_str!("../../profiles/edgecore-dcs203.yaml"),
    ),
    (
        "edgecore-dcs204",
        ProfileSet::Default,
        include_str!("../../profiles/edgecore-dcs204.yaml"),
    ),
    (
        "edgecore-dcs240",
        ProfileSet::Default,
        include_str!("../../profiles/edgecore-dcs240.yaml"),
    ),
    (
        "edgecore-dcs501",
        ProfileSet::Default,
        include_str!("../../profiles/edgecore-dcs501.yaml"),
    ),
    (
        "edgecore-eps202",
        ProfileSet::Default,
        include_str!("../../profiles/edgecore-eps202.yaml"),
    ),
    (
        "edgecore-eps203",
        ProfileSet::Default,
        include_str!("../../profiles/edgecore-eps203.yaml"),
    ),
    (
        "supermicro-sse-c4632sb",
        ProfileSet::Default,
        include_str!("../../profiles/supermicro-sse-c4632sb.yaml"),
    ),
    (
        "vs",
        ProfileSet::Default,
        include_str!("../../profiles/vs.yaml"),
    ),
    (
        "celestica-ds2000-clsp",
        ProfileSet::SonicClsPlus,
        include_str!("../../profiles/celestica-ds2000-clsp.yaml"),
    ),
    (
        "celestica-ds3000-clsp",
        ProfileSet::SonicClsPlus,
        include_str!("../../profiles/celestica-ds3000-clsp.yaml"),
    ),
    (
        "celestica-ds4000-clsp",
        ProfileSet::SonicClsPlus,
        include_str!("../../profiles/celestica-ds4000-clsp.yaml"),
    ),
    (
        "celestica-ds4101-clsp",
        ProfileSet::SonicClsPlus,
        include_str!("../../profiles/celestica-ds4101-clsp.yaml"),
    ),
    (
        "celestica-ds5000-clsp",
        ProfileSet::SonicClsPlus,
        include_str!("../../profiles/celestica-ds5000-clsp.yaml"),
    ),
    (
        "vs-clsp",
        ProfileSet::SonicClsPlus,
        include_str!("../../profiles/vs-clsp.yaml"),
    ),
    (
        "cumulus-vx",
        ProfileSet::Cumulus,
        include_str!("../../profiles/cumulus-vx.yaml"),
    ),
];

/// A compiled-in profile, parsed and defaulted.
#[derive(Debug)]
pub struct BuiltinProfile {
    /// The catalog list it belongs to.
    pub set: ProfileSet,
    /// The profile, defaulted as upstream's `Register` does (namespace, ports annotation).
    pub profile: SwitchProfile,
}

/// Every compiled-in profile, parsed once. A file that would not parse is left out rather
/// than panicking; `tests/profiles_catalog.rs` asserts that all 23 load.
pub fn builtin_profiles() -> &'static [BuiltinProfile] {
    static PROFILES: OnceLock<Vec<BuiltinProfile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        SOURCES
            .iter()
            .filter_map(|(name, set, text)| {
                // Read by the loader's fast path: the files are block YAML, and libyaml's
                // reading of them was half of the fixed cost of a validation.
                let loaded = Loader::new(Limits::default()).load_str(text, None);
                let [document] = <[Document; 1]>::try_from(loaded.documents).ok()?;
                let mut object = document.object;
                default_object(&mut object);
                match object {
                    Object::SwitchProfile(profile)
                        if profile.metadata.name.as_deref() == Some(*name) =>
                    {
                        Some(BuiltinProfile {
                            set: *set,
                            profile: *profile,
                        })
                    }
                    _ => None,
                }
            })
            .collect()
    })
}

fn profile_name(profile: &SwitchProfile) -> &str {
    profile.metadata.name.as_deref().unwrap_or("")
}

/// The switch profiles a fabric can use: the built-in ones its configuration registers, plus
/// the user's own where allowed. Lookups are by name.
#[derive(Clone, Debug)]
pub struct Catalog {
    /// Shared by every catalog of the same configuration flags ([`builtin_for`]).
    builtin: &'static BTreeMap<String, &'static SwitchProfile>,
    /// The user's profiles; never a built-in's name ([`Catalog::with_user_profiles`]).
    extra: BTreeMap<String, SwitchProfile>,
}

/// The built-in profiles registered for the two flags of [`FabricConfig`] that choose them,
/// built once per combination: every validation needs a catalog, and rebuilding this one
/// (23 names, two maps) was a fixed cost of each `POST /v1/validate`. The cache is keyed on
/// both flags, everything the answer depends on.
fn builtin_for(
    sonic_cls_plus: bool,
    cumulus: bool,
) -> &'static BTreeMap<String, &'static SwitchProfile> {
    static BY_FLAGS: [OnceLock<BTreeMap<String, &'static SwitchProfile>>; 4] =
        [const { OnceLock::new() }; 4];
    BY_FLAGS[usize::from(sonic_cls_plus) << 1 | usize::from(cumulus)].get_or_init(|| {
        builtin_profiles()
            .iter()
            .filter(|b| match b.set {
                ProfileSet::Default => true,
                ProfileSet::SonicClsPlus => sonic_cls_plus,
                ProfileSet::Cumulus => cumulus,
            })
            .map(|b| (profile_name(&b.profile).to_owned(), &b.profile))
            .collect()
    })
}

impl Catalog {
    /// The built-in profiles upstream's `RegisterAll` registers for `cfg`: the 16 default
    /// ones, the SONiC+ ones when `includeSONiCCLSPlus`, `cumulus-vx` when `includeCumulus`.
    pub fn builtin(cfg: &FabricConfig) -> Catalog {
        Catalog {
            builtin: builtin_for(cfg.include_sonic_cls_plus, cfg.include_cumulus),
            extra: BTreeMap::new(),
        }
    }

    /// Adds the user's (defaulted) profiles, as upstream's admission of them would:
    /// one with a built-in's name must equal it (`default switch profiles are immutable`);
    /// any other is refused unless `allow_extra` (upstream `allowExtraSwitchProfiles`; hhfab
    /// never allows them and deletes them instead) and must pass per-object validation
    /// (rule 36). Refused profiles are not added; every refusal is a diagnostic on the profile.
    pub fn with_user_profiles<'a>(
        mut self,
        profiles: impl IntoIterator<Item = &'a SwitchProfile>,
        allow_extra: bool,
        cfg: &FabricConfig,
    ) -> (Catalog, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        for profile in profiles {
            let name = profile_name(profile);
            let object = Object::SwitchProfile(Box::new(profile.clone()));
            let key = object.key();
            if let Some(builtin) = self.builtin.get(name) {
                if builtin.spec != profile.spec {
                    diagnostics.push(
                        Diagnostic::error(
                            "fabric.switchprofile.default-immutable",
                            "default switch profiles are immutable",
                        )
                        .with_object(key)
                        .at(crate::FieldPath::root().key("spec")),
                    );
                }
                continue;
            }
            if !allow_extra {
                diagnostics.push(
                    Diagnostic::error(
                        "fabric.switchprofile.only-default",
                        "only default switch profiles are allowed",
                    )
                    .with_object(key),
                );
                continue;
            }
            let problems = validate_object(&object, Some(cfg));
            let refused = problems.iter().any(Diagnostic::is_error);
            diagnostics.extend(problems);
            if !refused {
                self.extra.insert(name.to_owned(), profile.clone());
            }
        }
        (self, diagnostics)
    }

    /// The catalog for a set of objects: the built-in profiles of `cfg` plus the
    /// SwitchProfiles among `objects` ([`Catalog::with_user_profiles`] with
    /// `cfg.allow_extra_switch_profiles`).
    pub fn for_objects(objects: &[Object], cfg: &FabricConfig) -> (Catalog, Vec<Diagnostic>) {
        let user = objects.iter().filter_map(|o| match o {
            Object::SwitchProfile(p) => Some(p.as_ref()),
            _ => None,
        });
        Catalog::builtin(cfg).with_user_profiles(user, cfg.allow_extra_switch_profiles, cfg)
    }

    /// The profile named `name`.
    pub fn get(&self, name: &str) -> Option<&SwitchProfile> {
        self.builtin_profile(name).or_else(|| self.extra.get(name))
    }

    /// The built-in profile named `name`, if the catalog registers one.
    pub fn builtin_profile(&self, name: &str) -> Option<&SwitchProfile> {
        self.builtin.get(name).copied()
    }

    /// Whether `name` is a built-in profile of this catalog.
    pub fn is_builtin(&self, name: &str) -> bool {
        self.builtin.contains_key(name)
    }

    /// The names of all profiles, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let mut names: Vec<&str> = self
            .builtin
            .keys()
            .chain(self.extra.keys())
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names.into_iter()
    }

    /// How many profiles the catalog holds.
    pub fn len(&self) -> usize {
        self.builtin.len() + self.extra.len()
    }

    /// Whether the catalog holds no profile.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loader reads every compiled-in profile file as libyaml does, and nothing is left
    /// out: the profiles are exactly the files, decoded from libyaml's reading and defaulted.
    #[test]
    fn builtin_profiles_read_as_libyaml_reads_them() {
        let builtin = builtin_profiles();
        assert_eq!(builtin.len(), SOURCES.len());
        for ((name, set, text), loaded) in SOURCES.iter().zip(builtin) {
            let value: serde_json::Value = serde_yaml_ng::from_str(text).unwrap();
            let mut object = Object::from_value(value).object;
            default_object(&mut object);
            let Object::SwitchProfile(reference) = object else {
                panic!("{name} is not a SwitchProfile");
            };
            assert_eq!(loaded.set, *set, "{name}");
            assert_eq!(loaded.profile, *reference, "{name}");
        }
    }

    /// The shared built-in catalogs are keyed on both flags: asked for every combination in
    /// turn (so a cache keyed on less would hand back an earlier combination's catalog),
    /// each holds exactly the profiles its flags register.
    #[test]
    fn builtin_catalogs_are_keyed_on_both_flags() {
        for (clsp, cumulus) in [(false, false), (true, false), (false, true), (true, true)] {
            let cfg = FabricConfig {
                include_sonic_cls_plus: clsp,
                include_cumulus: cumulus,
                ..FabricConfig::default()
            };
            let expected: Vec<&str> = builtin_profiles()
                .iter()
                .filter(|b| match b.set {
                    ProfileSet::Default => true,
                    ProfileSet::SonicClsPlus => clsp,
                    ProfileSet::Cumulus => cumulus,
                })
                .map(|b| profile_name(&b.profile))
                .collect();
            let catalog = Catalog::builtin(&cfg);
            let names: Vec<&str> = catalog.names().collect();
            let mut sorted = expected.clone();
            sorted.sort_unstable();
            assert_eq!(names, sorted, "clsp={clsp} cumulus={cumulus}");
        }
    }
}
