//! The POS platform's server side: domain, JSON API and start-up.
//!
//! Areas of the business each have a module with their domain types, their
//! queries (taking a [`db::ScopedTx`], never a pool) and their HTTP handlers.

pub mod approvals;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_stock;
pub mod device_apps;
pub mod email;
pub mod error;
pub mod events;
pub mod http;
pub mod jobs;
pub mod kitchen;
pub mod ops;
pub mod orders;
pub mod payments;
pub mod pickup;
pub mod receipts;
pub mod reports;
pub mod shifts;
pub mod startup;
pub mod state;
pub mod stock;
pub mod sync;
pub mod tables;
pub mod telemetry;
pub mod tenancy;
pub mod till;

pub use error::{Error, Result};
