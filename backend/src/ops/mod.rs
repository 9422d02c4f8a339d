//! Operations endpoints: health, readiness, metrics and the API documents.

pub mod health;
pub mod memory;
pub mod metrics;
pub mod openapi;
