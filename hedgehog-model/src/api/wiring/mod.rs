//! `wiring.githedgehog.com/v1beta1`.

pub(super) mod connection;
pub(super) mod server;
pub(super) mod serverprofile;
pub(super) mod switch;
pub(super) mod switchgroup;
pub(super) mod switchprofile;
pub(super) mod vlannamespace;
