//! Cross-object validation (rules 40–66) on a small real fabric and mutations of it.

mod fabric_support;

use fabric_support::*;
use serde_json::json;

#[test]
fn base_fabric_is_valid() {
    let objects = fabric_with(|_| {});
    assert_eq!(objects.len(), 26);
    assert!(per_object(&objects).is_empty(), "{:#?}", summary(&per_object(&objects)));
    assert!(cross(&objects).is_empty(), "{:#?}", summary(&cross(&objects)));
}
