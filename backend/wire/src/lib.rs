//! JSON shapes of the public API (see API.md), shared by the server and the
//! WASM apps so the two can never disagree. Request types refuse unknown
//! fields; validation beyond shape happens in the server's domain types.

pub mod auth;
pub mod catalog;
pub mod devices;
pub mod discounts;
pub mod events;
pub mod money;
pub mod orders;
pub mod outlets;
pub mod page;
pub mod payments;
pub mod pickup;
pub mod pricing;
pub mod problem;
pub mod reports;
pub mod shifts;
pub mod stock;
pub mod stock_ledger;
pub mod stock_reports;
pub mod tables;
pub mod till;
pub mod users;

pub use auth::*;
pub use catalog::*;
pub use devices::*;
pub use discounts::*;
pub use events::*;
pub use orders::*;
pub use outlets::*;
pub use page::*;
pub use payments::*;
pub use pickup::*;
pub use problem::*;
pub use reports::*;
pub use shifts::*;
pub use stock::*;
pub use stock_ledger::*;
pub use stock_reports::*;
pub use tables::*;
pub use till::*;
pub use users::*;
