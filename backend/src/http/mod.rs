//! The HTTP edge: problem+json, JSON extraction settings, client addresses.

pub mod body;
pub mod client_ip;
pub mod json;
pub mod problem;

pub use problem::problem_response;
