//! Reports: sales (by day, hour, item, modifier, payment method, outlet and
//! channel), the sales summary, kitchen times, and voids, refunds and
//! discounts with who approved them; and the stock reports ([`stock`]: on
//! hand, movements, theoretical against counted usage, food cost per item).
//!
//! Sales read the rollups kept in every order's and payment's own
//! transaction (triggers, migration 0017; intake counts a new order itself
//! before it takes the outlet's number, `rollups`, migration 0021), so a
//! month of a busy outlet sums a few hundred rows, not its orders. Owners see the brand, managers the outlets
//! they work at (the transaction's row-level security scope does it);
//! cashiers, kitchen staff and devices are refused.

pub mod adjustments;
pub mod compact;
pub mod csv;
pub mod http;
pub mod kitchen;
pub mod range;
pub mod rollups;
pub mod sales;
pub mod stock;
pub mod summary;

use pos_wire::Role;

pub use range::ReportRange;
pub use summary::summary;

use crate::{auth::Actor, error::Result};

/// Reports are for owners and managers.
pub fn may_read_reports(actor: &Actor) -> Result<()> {
    actor.require_role(&[Role::Owner, Role::Manager]).map(|_| ())
}
