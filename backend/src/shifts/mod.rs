//! Shifts of a till and its cash drawer (API.md, Tills and shifts).
//!
//! - [`open`]: a shift opens on a till with a float; one open shift per till
//!   (a unique partial index backs the per-till advisory lock), exactly once
//!   per `client_shift_id`.
//! - [`movements`]: cash in and out with a reason, exactly once per
//!   `client_movement_id`.
//! - [`close`]: the drawer counted (a total or by denomination) against the
//!   expected cash; the Z report is made and stored in the same transaction.
//! - [`drawer`]: what counts into a drawer, and the checks the payments and
//!   refunds make when they count into a shift.
//! - [`report`]: the X report (any time) and the stored Z report, as JSON and
//!   as a printable 80 mm page.
//! - [`sale`]: a sale at a till needs an open shift.
//!
//! Locks: anything added to a shift (payment, refund, movement) holds a lock
//! on the shift's row until it commits, and the close takes it exclusively,
//! so the Z report sees everything that made it in and nothing gets in later.

pub mod close;
pub mod count;
pub mod drawer;
pub mod http;
pub mod list;
pub mod movements;
pub mod open;
pub mod report;
pub mod sale;
mod words;

use chrono::{DateTime, Utc};
use pos_wire::{Role, Shift, ShiftStatus};
use sea_orm::FromQueryResult;
use uuid::Uuid;

pub use drawer::open_shift_of_till;

use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Error, Result},
    tenancy::audit,
};

/// Cashiers, managers and owners of the shift's outlet run shifts (the
/// outlet is the transaction's scope); kitchen staff and devices do not.
pub fn may_run_shifts(actor: &Actor) -> Result<Role> {
    actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier])
}

/// A shift as stored, with the names around it and, while it is open, the
/// parts of its drawer (see [`drawer::DRAWER_JOIN`]).
#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct ShiftRow {
    pub id: Uuid,
    pub client_shift_id: Option<Uuid>,
    pub outlet_id: Uuid,
    pub device_id: Uuid,
    pub device_name: String,
    pub status: String,
    pub opening_float_minor: i64,
    pub expected_minor: Option<i64>,
    pub counted_minor: Option<i64>,
    pub variance_minor: Option<i64>,
    pub opened_by: Option<Uuid>,
    pub opened_by_name: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub closed_by: Option<Uuid>,
    pub closed_by_name: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    pub close_payload_hash: Option<Vec<u8>>,
    pub cash_sales_minor: Option<i64>,
    pub cash_refunds_minor: Option<i64>,
    pub cash_in_minor: Option<i64>,
    pub cash_out_minor: Option<i64>,
}

/// The columns of [`ShiftRow`] over `shifts s` (with [`FROM`]).
pub(crate) const COLUMNS: &str = "s.id, s.client_shift_id, s.outlet_id, s.device_id, \
    COALESCE(d.name, '') AS device_name, s.status, s.opening_float_minor, s.expected_minor, s.counted_minor, \
    s.variance_minor, s.opened_by, ou.name AS opened_by_name, s.opened_at, s.closed_by, \
    cu.name AS closed_by_name, s.closed_at, s.close_payload_hash, \
    dr.cash_sales_minor, dr.cash_refunds_minor, dr.cash_in_minor, dr.cash_out_minor";

/// `shifts s` with its till, the people who opened and closed it, and its drawer.
pub(crate) fn from() -> String {
    format!(
        "shifts s \
         LEFT JOIN devices d ON d.tenant_id = s.tenant_id AND d.id = s.device_id \
         LEFT JOIN users ou ON ou.tenant_id = s.tenant_id AND ou.id = s.opened_by \
         LEFT JOIN users cu ON cu.tenant_id = s.tenant_id AND cu.id = s.closed_by \
         {}",
        drawer::DRAWER_JOIN
    )
}

impl ShiftRow {
    pub fn status(&self) -> Result<ShiftStatus> {
        ShiftStatus::try_from(self.status.as_str()).map_err(|e| Error::Internal(e.into()))
    }

    /// The drawer's parts as they stand (an open shift's).
    pub fn drawer(&self) -> drawer::Drawer {
        drawer::Drawer {
            opening_float_minor: self.opening_float_minor,
            cash_sales_minor: self.cash_sales_minor.unwrap_or(0),
            cash_refunds_minor: self.cash_refunds_minor.unwrap_or(0),
            cash_in_minor: self.cash_in_minor.unwrap_or(0),
            cash_out_minor: self.cash_out_minor.unwrap_or(0),
        }
    }

    pub fn to_shift(&self) -> Result<Shift> {
        let status = self.status()?;
        let expected_minor = match (status, self.expected_minor) {
            (ShiftStatus::Closed, Some(stored)) => stored,
            _ => self.drawer().expected_minor(),
        };
        Ok(Shift {
            id: self.id,
            client_shift_id: self.client_shift_id,
            outlet_id: self.outlet_id,
            device_id: self.device_id,
            device_name: self.device_name.clone(),
            status,
            opening_float_minor: self.opening_float_minor,
            expected_minor,
            counted_minor: self.counted_minor,
            variance_minor: self.variance_minor,
            opened_by: self.opened_by,
            opened_by_name: self.opened_by_name.clone(),
            opened_at: self.opened_at,
            closed_by: self.closed_by,
            closed_by_name: self.closed_by_name.clone(),
            closed_at: self.closed_at,
        })
    }
}

/// One shift the caller can see; `lock` takes its row for update until commit.
pub(crate) async fn row(tx: &ScopedTx, id: Uuid, lock: bool) -> Result<ShiftRow> {
    if lock {
        // Lock the shift alone (the joined rows are not ours to lock).
        tx.execute("SELECT 1 FROM shifts WHERE id = $1 FOR UPDATE", [id.into()]).await?;
    }
    tx.query_one(&format!("SELECT {COLUMNS} FROM {} WHERE s.id = $1", from()), [id.into()])
        .await?
        .ok_or(Error::NotFound)
}

/// `GET /shifts/{id}`.
pub async fn get(tx: &ScopedTx, actor: &Actor, id: Uuid) -> Result<Shift> {
    may_run_shifts(actor)?;
    row(tx, id, false).await?.to_shift()
}

/// Puts a change of a shift into the audit log.
pub(crate) async fn record(
    tx: &ScopedTx,
    actor: &Actor,
    action: &str,
    shift: &Shift,
    after: Option<serde_json::Value>,
) -> Result<()> {
    let after = after.or_else(|| audit::snapshot(shift));
    audit::record(tx, actor, action, "shift", Some(shift.id), Some(shift.outlet_id), None, after).await
}

/// SHA-256 of `value`'s JSON: what makes a replay the same request.
pub(crate) fn payload_hash(value: &impl serde::Serialize) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    Sha256::digest(serde_json::to_vec(value).unwrap_or_default()).to_vec()
}
