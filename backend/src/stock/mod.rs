//! Inventory (issue 14): ingredients, recipes, and stock per outlet kept as
//! an append-only ledger of movements with a balance row per (outlet,
//! ingredient) updated in the same transaction.
//!
//! - [`ingredients`], [`recipes`]: the brand's ingredients and what a
//!   portion of an item (and of each modifier option) takes.
//! - [`ledger`]: the one place balances change: one statement locks and
//!   updates every balance a change touches, in ingredient order (so two
//!   orders never deadlock), and its effects follow (auto-86, comeback,
//!   low-stock mail).
//! - [`sales`]: depletion in the order's own transaction, and what a
//!   cancellation or a refund with `restock` puts back.
//! - [`movements`]: what people record (receive, waste, count, transfers).
//! - [`levels`]: on hand at an outlet, and its alert levels.
//!
//! Who may do what: owners and managers everything; cashiers and kitchen
//! staff record deliveries (`receive`, `transfer_in`) and `waste`, not
//! counts or transfers out; devices (kiosk, KDS, till, pickup board) no
//! stock writes at all, and read nothing here.

pub mod availability;
pub mod http;
pub mod ingredients;
pub mod ledger;
pub mod levels;
pub mod listing;
pub mod movements;
pub mod recipes;
pub mod sales;

use pos_wire::{Role, StockMovementKind};
use uuid::Uuid;

use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Error, Result},
};

/// The largest quantity one movement or recipe line may name.
pub const MAX_QTY: i64 = 1_000_000_000;

/// The nil option id: a recipe line of the item itself.
pub const ITEM_ITSELF: Uuid = Uuid::nil();

/// Owners and managers: the brand's ingredients, recipes, counts, transfers.
pub fn may_manage(actor: &Actor) -> Result<Role> {
    actor.require_role(&[Role::Owner, Role::Manager])
}

/// Who may record a movement of `kind` (see the module docs).
pub fn may_record(actor: &Actor, kind: StockMovementKind) -> Result<Role> {
    use StockMovementKind as K;
    match kind {
        K::Receive | K::Waste | K::TransferIn => {
            actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier, Role::Kitchen])
        }
        _ => may_manage(actor),
    }
}

/// Staff who may read an outlet's stock (any staff of it; not devices).
pub fn may_read(actor: &Actor) -> Result<Role> {
    actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier, Role::Kitchen])
}

/// 404 unless the outlet is live and in the caller's scope.
pub async fn live_outlet(tx: &ScopedTx, outlet_id: Uuid) -> Result<String> {
    let rows =
        tx.query_raw("SELECT name FROM outlets WHERE id = $1 AND archived_at IS NULL", [outlet_id.into()]).await?;
    crate::db::opt_row::<String>(&rows, "name")?.ok_or(Error::NotFound)
}

/// `350 ml`: a quantity with its unit, as people read it.
pub fn with_unit(qty: i64, unit: &str) -> String {
    format!("{qty} {unit}")
}
