//! VLAN ranges (`meta.VLANRange`) and upstream's helpers over lists of them
//! (`api/meta/vlan.go`): normalisation, merging, overlap checks and membership.
//!
//! One deliberate difference from upstream: when merging overlapping ranges, upstream's
//! `NormalizedVLANRanges` sets the end of the merged range to the end of the *next* range
//! (`To = next.To`), so `[1-100, 10-20]` becomes `[1-20]` and VLANs 21..100 are lost. Here the
//! merged end is the larger of the two ends (`[1-100]`).

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The lowest usable VLAN ID.
pub const VLAN_MIN: u16 = 1;
/// The highest usable VLAN ID.
pub const VLAN_MAX: u16 = 4094;

/// An inclusive range of VLAN IDs. `to == 0` means "just `from`" (upstream's convention,
/// applied by [`normalize_vlan_ranges`]).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(default)]
pub struct VlanRange {
    /// First VLAN of the range.
    #[serde(skip_serializing_if = "is_zero")]
    pub from: u16,
    /// Last VLAN of the range (inclusive); 0 means the same as `from`.
    #[serde(skip_serializing_if = "is_zero")]
    pub to: u16,
}

fn is_zero(v: &u16) -> bool {
    *v == 0
}

impl VlanRange {
    /// A range from `from` to `to`, both inclusive.
    pub const fn new(from: u16, to: u16) -> Self {
        VlanRange { from, to }
    }

    /// Whether `vlan` lies inside the range (as written: a range whose `to` is 0 and has not
    /// been normalised contains nothing, as upstream's `Contains`).
    pub fn contains(&self, vlan: u16) -> bool {
        self.from <= vlan && vlan <= self.to
    }
}

impl fmt::Display for VlanRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.from, self.to)
    }
}

/// Why a list of VLAN ranges is invalid. The text is upstream's (`invalid range %d: …`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VlanRangeError {
    /// `from` is greater than `to`.
    #[error("invalid range {0}: from > to")]
    FromAfterTo(usize),
    /// `from` is outside 1..=4094.
    #[error("invalid range {0}: from < 1 || from > 4094")]
    FromOutOfRange(usize),
    /// `to` is outside 1..=4094.
    #[error("invalid range {0}: to < 1 || to > 4094")]
    ToOutOfRange(usize),
}

impl VlanRangeError {
    /// The index of the offending range in the list.
    pub fn index(&self) -> usize {
        match *self {
            VlanRangeError::FromAfterTo(i)
            | VlanRangeError::FromOutOfRange(i)
            | VlanRangeError::ToOutOfRange(i) => i,
        }
    }
}

/// Two ranges of a list overlap (or touch at one VLAN). The text is upstream's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("VLAN ranges overlap: {first} and {second}")]
pub struct VlanOverlapError {
    /// The lower of the two ranges.
    pub first: VlanRange,
    /// The range that starts inside `first`.
    pub second: VlanRange,
}

/// Checks one range as upstream does, with `to == 0` read as `from`.
fn check_range(index: usize, range: VlanRange) -> Result<VlanRange, VlanRangeError> {
    let to = if range.to == 0 { range.from } else { range.to };
    if range.from > to {
        return Err(VlanRangeError::FromAfterTo(index));
    }
    if !(VLAN_MIN..=VLAN_MAX).contains(&range.from) {
        return Err(VlanRangeError::FromOutOfRange(index));
    }
    if !(VLAN_MIN..=VLAN_MAX).contains(&to) {
        return Err(VlanRangeError::ToOutOfRange(index));
    }
    Ok(VlanRange::new(range.from, to))
}

/// Checks every range without changing anything; the first invalid one is reported, in the
/// order upstream checks them.
pub fn check_vlan_ranges(ranges: &[VlanRange]) -> Result<(), VlanRangeError> {
    ranges
        .iter()
        .enumerate()
        .try_for_each(|(i, r)| check_range(i, *r).map(drop))
}

/// Normalises `ranges` in place when all of them are valid: `to == 0` becomes `from`, and the
/// list is sorted by (`from`, `to`). Overlapping ranges are kept (see
/// [`normalized_vlan_ranges`] to merge them). On error nothing is changed (upstream rewrites
/// the ranges before the first invalid one).
pub fn normalize_vlan_ranges(ranges: &mut [VlanRange]) -> Result<(), VlanRangeError> {
    check_vlan_ranges(ranges)?;
    for r in ranges.iter_mut() {
        if r.to == 0 {
            r.to = r.from;
        }
    }
    ranges.sort_unstable();
    Ok(())
}

/// Upstream's `NormalizedVLANRanges`: normalises `ranges` in place
/// ([`normalize_vlan_ranges`]) and returns them with overlapping or touching ranges merged.
/// Unlike upstream, a merged range ends at the larger of the two ends.
pub fn normalized_vlan_ranges(ranges: &mut [VlanRange]) -> Result<Vec<VlanRange>, VlanRangeError> {
    normalize_vlan_ranges(ranges)?;
    let mut merged: Vec<VlanRange> = Vec::with_capacity(ranges.len());
    for r in ranges.iter() {
        match merged.last_mut() {
            Some(last) if last.to >= r.from => last.to = last.to.max(r.to),
            _ => merged.push(*r),
        }
    }
    Ok(merged)
}

/// Upstream's `CheckVLANRangesOverlap`: sorts `ranges` in place and reports the first pair of
/// neighbours that overlap. Ranges are inclusive, so `100-200` and `200-250` overlap.
pub fn check_vlan_ranges_overlap(ranges: &mut [VlanRange]) -> Result<(), VlanOverlapError> {
    ranges.sort_unstable();
    match ranges.windows(2).find(|w| w[0].to >= w[1].from) {
        Some(w) => Err(VlanOverlapError {
            first: w[0],
            second: w[1],
        }),
        None => Ok(()),
    }
}

/// Whether `vlan` lies in any of `ranges` (upstream's `VLANNamespaceSpec.Contains`).
pub fn vlan_in_ranges(ranges: &[VlanRange], vlan: u16) -> bool {
    ranges.iter().any(|r| r.contains(vlan))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(from: u16, to: u16) -> VlanRange {
        VlanRange::new(from, to)
    }

    #[test]
    fn normalizes_sorts_and_merges_with_the_larger_end() {
        let mut ranges = vec![r(10, 20), r(1, 100), r(300, 0), r(101, 200)];
        let merged = normalized_vlan_ranges(&mut ranges).unwrap();
        assert_eq!(ranges, vec![r(1, 100), r(10, 20), r(101, 200), r(300, 300)]);
        // Upstream would yield [1-20, 101-200, 300-300]; 1-100 swallows 10-20 here.
        assert_eq!(merged, vec![r(1, 100), r(101, 200), r(300, 300)]);
        let mut touching = vec![r(100, 200), r(200, 250)];
        assert_eq!(
            normalized_vlan_ranges(&mut touching).unwrap(),
            vec![r(100, 250)]
        );
        assert_eq!(normalized_vlan_ranges(&mut []).unwrap(), vec![]);
    }

    #[test]
    fn reports_upstream_errors_and_leaves_input_alone() {
        let mut ranges = vec![r(5, 0), r(20, 10)];
        let err = normalized_vlan_ranges(&mut ranges).unwrap_err();
        assert_eq!(err.to_string(), "invalid range 1: from > to");
        assert_eq!(ranges, vec![r(5, 0), r(20, 10)]);
        assert_eq!(
            check_vlan_ranges(&[r(0, 10)]).unwrap_err().to_string(),
            "invalid range 0: from < 1 || from > 4094"
        );
        assert_eq!(
            check_vlan_ranges(&[r(1, 2), r(4000, 4095)])
                .unwrap_err()
                .to_string(),
            "invalid range 1: to < 1 || to > 4094"
        );
        assert_eq!(
            check_vlan_ranges(&[r(4095, 0)]).unwrap_err(),
            VlanRangeError::FromOutOfRange(0)
        );
    }

    #[test]
    fn overlap_is_inclusive_and_names_first_sorted_pair() {
        let mut ranges = vec![r(3000, 3899), r(200, 250), r(100, 200)];
        assert_eq!(
            check_vlan_ranges_overlap(&mut ranges)
                .unwrap_err()
                .to_string(),
            "VLAN ranges overlap: 100-200 and 200-250"
        );
        assert!(check_vlan_ranges_overlap(&mut [r(1, 99), r(100, 200)]).is_ok());
        assert!(check_vlan_ranges_overlap(&mut [r(1, 99)]).is_ok());
    }

    #[test]
    fn membership() {
        let ranges = [r(1000, 1999), r(3000, 3000)];
        assert!(vlan_in_ranges(&ranges, 1000) && vlan_in_ranges(&ranges, 1999));
        assert!(vlan_in_ranges(&ranges, 3000) && !vlan_in_ranges(&ranges, 2000));
        assert!(!r(5, 0).contains(5));
    }
}
