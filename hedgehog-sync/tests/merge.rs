//! Three-way merge of one object with the last common Git version as base.

use hedgehog_sync::merge::merge3;
use serde_json::json;

#[test]
fn edits_to_different_fields_merge_cleanly() {
    let base = json!({"spec": {"subnets": {"default": {"vlan": 1001, "subnet": "10.0.1.0/24"}},
                               "mode": "l2vni"}});
    let ours = json!({"spec": {"subnets": {"default": {"vlan": 1005, "subnet": "10.0.1.0/24"}},
                               "mode": "l2vni"}});
    let theirs = json!({"spec": {"subnets": {"default": {"vlan": 1001, "subnet": "10.0.1.0/24"},
                                             "extra": {"vlan": 1010}},
                                 "mode": "l3vni"}});
    let m = merge3(Some(&base), Some(&ours), Some(&theirs));
    assert!(m.is_clean(), "{:?}", m.conflicts);
    assert_eq!(
        m.merged.unwrap(),
        json!({"spec": {"subnets": {"default": {"vlan": 1005, "subnet": "10.0.1.0/24"},
                                    "extra": {"vlan": 1010}},
                        "mode": "l3vni"}})
    );
}

#[test]
fn the_same_field_changed_differently_is_a_conflict_with_both_values() {
    let base = json!({"spec": {"vlan": 1001, "ports": ["E1/1"], "gone": true}});
    let ours = json!({"spec": {"vlan": 1002, "ports": ["E1/1", "E1/2"]}});
    let theirs = json!({"spec": {"vlan": 1003, "ports": ["E1/3"], "gone": false}});
    let m = merge3(Some(&base), Some(&ours), Some(&theirs));
    let conflicts = serde_json::to_value(&m.conflicts).unwrap();
    assert_eq!(
        conflicts,
        json!([
            {"path": "spec.gone", "base": true, "ours": null, "theirs": false},
            {"path": "spec.ports", "base": ["E1/1"], "ours": ["E1/1", "E1/2"], "theirs": ["E1/3"]},
            {"path": "spec.vlan", "base": 1001, "ours": 1002, "theirs": 1003},
        ])
    );
    // Ours wins where they conflict, so a forced merge keeps the desired state.
    assert_eq!(
        m.merged.unwrap(),
        json!({"spec": {"vlan": 1002, "ports": ["E1/1", "E1/2"]}})
    );
}

#[test]
fn deletions_and_creations() {
    let base = json!({"spec": {"vlan": 1}});
    // Deleted on our side, untouched on theirs: deleted.
    assert_eq!(merge3(Some(&base), None, Some(&base)).merged, None);
    // Deleted on ours, edited on theirs: conflict at the root.
    let edited = json!({"spec": {"vlan": 2}});
    let m = merge3(Some(&base), None, Some(&edited));
    assert_eq!(m.conflicts.len(), 1);
    assert!(m.conflicts[0].path.is_root());
    // Created identically on both sides: clean.
    assert!(merge3(None, Some(&edited), Some(&edited)).is_clean());
    // Created differently on both sides: merged field by field from an absent base.
    let a = json!({"spec": {"vlan": 2, "a": 1}});
    let b = json!({"spec": {"vlan": 3, "b": 1}});
    let m = merge3(None, Some(&a), Some(&b));
    assert_eq!(m.conflicts.len(), 1);
    assert_eq!(m.conflicts[0].path.to_string(), "spec.vlan");
    assert_eq!(
        m.merged.unwrap(),
        json!({"spec": {"vlan": 2, "a": 1, "b": 1}})
    );
}
