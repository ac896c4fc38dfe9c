//! Typed models of the Hedgehog Open Network Fabric API (`vpc.githedgehog.com` and
//! `wiring.githedgehog.com`, `v1beta1`), with loading from YAML/JSON, upstream-exact
//! defaulting and validation, and canonical rendering.
//!
//! The crate is pure: no network, no async, no Git. Data flows
//! text → document → [`Object`] → defaulted `Object` → [`Diagnostic`]s.

pub mod api;
pub mod codes;
pub mod config;
pub mod crd;
pub mod defaults;
mod diagnostic;
pub mod diagram;
pub mod fabric;
pub mod hydrate;
mod key;
mod kind;
pub mod load;
pub mod net;
mod object;
mod path;
mod pipeline;
pub mod profiles;
pub mod render;
pub mod sample;
mod schema;
mod tree;
pub mod validate;
pub mod vlan;

pub use diagnostic::{Diagnostic, Severity, Span};
pub use key::ObjectKey;
pub use kind::{Kind, UnknownKind, VERSION, VPC_GROUP, WIRING_GROUP};
pub use object::{Decoded, Object, UnknownField};
pub use path::{FieldPath, Segment};
pub use pipeline::{
    StageTimes, ValidateOptions, ValidationReport, prepare, validate_loaded, validate_loaded_timed,
};
pub use schema::check as check_schema;
