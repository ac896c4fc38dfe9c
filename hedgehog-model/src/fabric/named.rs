//! [`Named`]: the objects of one kind by name.

use std::collections::HashMap;

/// Objects of one kind by name: found by hash (the rules look names up once per reference,
/// tens of thousands of times on a large fabric, and names share long prefixes that make
/// ordered comparisons slow), walked in name order (so that what the rules report does not
/// depend on hashing). The first object of a name wins.
pub(crate) struct Named<'a, T> {
    sorted: Vec<(&'a str, T)>,
    index: HashMap<&'a str, usize, foldhash::fast::RandomState>,
}

impl<'a, T> Named<'a, T> {
    /// From entries in input order.
    pub(crate) fn new(mut entries: Vec<(&'a str, T)>) -> Self {
        // A stable sort keeps equal names in input order, and `dedup_by` keeps the first.
        entries.sort_by(|a, b| a.0.cmp(b.0));
        entries.dedup_by(|later, first| later.0 == first.0);
        let index = entries
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (*name, i))
            .collect();
        Named {
            sorted: entries,
            index,
        }
    }

    /// The object of this name.
    pub(crate) fn get(&self, name: &str) -> Option<&T> {
        let &i = self.index.get(name)?;
        self.sorted.get(i).map(|(_, value)| value)
    }

    /// Whether there is an object of this name.
    pub(crate) fn contains_key(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// Names and objects, in name order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'a str, &T)> {
        self.sorted.iter().map(|(name, value)| (*name, value))
    }

    /// The objects, in name order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &T> {
        self.sorted.iter().map(|(_, value)| value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_a_name_wins_and_walks_are_in_name_order() {
        let named = Named::new(vec![("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5)]);
        assert_eq!(named.get("a"), Some(&2));
        assert_eq!(named.get("b"), Some(&1));
        assert_eq!(named.get("d"), None);
        assert!(named.contains_key("c") && !named.contains_key(""));
        let walked: Vec<(&str, i32)> = named.iter().map(|(n, v)| (n, *v)).collect();
        assert_eq!(walked, [("a", 2), ("b", 1), ("c", 4)]);
        assert_eq!(named.values().copied().collect::<Vec<_>>(), [2, 1, 4]);
    }
}
