//! Differential tests of hedgehog-model against upstream fabric's own Go validation (the
//! oracle in `conformance/oracle`, run through `scripts/upstream-oracle`): the project's
//! validation fixtures and structure-aware mutants of generated fabrics go through both
//! programs, and every object's verdict is compared.

pub mod bases;
pub mod campaign;
pub mod compare;
pub mod known;
pub mod mutate;
pub mod oracle;
pub mod record;
pub mod rng;
