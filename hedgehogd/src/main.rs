//! `hedgehogd`: the hedgehog daemon and operator command line.

fn main() {}
