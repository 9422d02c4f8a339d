//! `POST /shifts/{id}/close`: the drawer counted against the expected cash.
//!
//! The shift's row is locked for the close, so payments, refunds and
//! movements counting into it either committed before (and are in the Z
//! report) or wait and then find it closed. The Z report is stored in the
//! same statement that closes the shift; a trigger keeps a closed shift as
//! it is. A close sent again with the same count (or `client_close_id` and
//! count) answers the same; another count is refused.

use pos_wire::{CloseShift, Shift, ShiftStatus};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::{count::Count, may_run_shifts, payload_hash, record, report, row};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, Result},
};

#[derive(FromQueryResult)]
struct Now {
    now: chrono::DateTime<chrono::Utc>,
    name: Option<String>,
}

pub async fn close_shift(tx: &ScopedTx, actor: &Actor, id: Uuid, req: CloseShift) -> Result<Shift> {
    may_run_shifts(actor)?;
    let currency = report::currency(tx).await?;
    let count = Count::parse(&req, &currency)?;
    let hash = payload_hash(&(count.counted_minor, &count.denominations));
    let shift = row(tx, id, true).await?;
    if shift.status()? == ShiftStatus::Closed {
        return if shift.close_payload_hash.as_deref() == Some(hash.as_slice()) {
            shift.to_shift()
        } else {
            Err(Error::conflict(Code::ShiftClosed))
        };
    }

    let x = report::build_x(tx, &shift, currency).await?;
    let now: Now = tx
        .query_one("SELECT now() AS now, (SELECT name FROM users WHERE id = $1) AS name", [actor.user_id().into()])
        .await?
        .ok_or_else(|| Error::internal("no clock"))?;
    let expected = x.cash.expected_minor;
    let closed = Shift {
        status: ShiftStatus::Closed,
        expected_minor: expected,
        counted_minor: Some(count.counted_minor),
        variance_minor: Some(count.counted_minor - expected),
        closed_by: actor.user_id(),
        closed_by_name: now.name,
        closed_at: Some(now.now),
        ..x.shift.clone()
    };
    for d in &count.denominations {
        tx.execute(
            "INSERT INTO shift_counts (tenant_id, shift_id, outlet_id, value_minor, count) VALUES ($1, $2, $3, $4, $5)",
            [tx.tenant_id().into(), id.into(), shift.outlet_id.into(), d.value_minor.into(), d.count.into()],
        )
        .await?;
    }
    let z = report::into_z(x, closed.clone(), count.counted_minor, count.denominations);
    let z_json = serde_json::to_value(&z).map_err(anyhow::Error::from)?;
    tx.execute(
        "UPDATE shifts SET status = 'closed', closed_by = $2, closed_at = $3, client_close_id = $4, \
                close_payload_hash = $5, expected_minor = $6, counted_minor = $7, variance_minor = $8, z_report = $9 \
          WHERE id = $1",
        [
            id.into(),
            actor.user_id().into(),
            now.now.into(),
            req.client_close_id.into(),
            hash.into(),
            expected.into(),
            count.counted_minor.into(),
            (count.counted_minor - expected).into(),
            z_json.into(),
        ],
    )
    .await?;
    let shift = row(tx, id, false).await?.to_shift()?;
    let after = serde_json::json!({
        "expected_minor": shift.expected_minor,
        "counted_minor": shift.counted_minor,
        "variance_minor": shift.variance_minor,
    });
    record(tx, actor, "shift.close", &shift, Some(after)).await?;
    tracing::info!(shift_id = %id, expected, counted = count.counted_minor, "shift closed");
    Ok(shift)
}
