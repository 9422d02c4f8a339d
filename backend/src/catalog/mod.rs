//! The catalogue: categories (with a position and a kitchen station), menu
//! items with modifier groups, outlet overrides (price, 86), the effective
//! menu of an outlet, the change feed devices pull, and item images.
//!
//! Every write takes a version from the tenant's catalogue counter (see the
//! catalogue migration), which orders the change feed in commit order.

pub mod categories;
pub mod http;
pub mod images;
pub mod items;
pub mod menu;
pub mod menu_stamps;
pub mod modifiers;
pub mod overrides;
pub mod pull;

use crate::{db::ScopedTx, error::Result};

/// The next catalogue version of the caller's tenant; holds the counter's
/// row lock until the transaction ends.
pub(crate) async fn next_version(tx: &ScopedTx) -> Result<i64> {
    let rows = tx.query_raw("SELECT app.next_catalog_version(1) AS v", []).await?;
    crate::db::opt_row::<i64>(&rows, "v")?.ok_or_else(|| crate::error::Error::internal("no catalogue version"))
}

/// Announces a brand-wide catalogue change on every live outlet's stream.
pub(crate) async fn announce_everywhere(tx: &ScopedTx, event: pos_wire::LiveEvent) -> Result<()> {
    let rows = tx.query_raw("SELECT id FROM outlets WHERE archived_at IS NULL", []).await?;
    for outlet in crate::db::rows::<uuid::Uuid>(&rows, "id")? {
        tx.append_event(outlet, event.clone()).await?;
    }
    Ok(())
}
