//! A sale at a till needs an open shift (issue 12).
//!
//! Only a cashier signed in on a till (a till-bound staff token) is held to
//! it: kiosks and staff not signed in on a till sell as before.
//!
//! - Online (`POST /orders`, `POST /orders/{id}/payments`): the till must
//!   have an open shift now, else 409 `shift_not_open`.
//! - Replayed from the till's queue (`sync/push`): a sale taken offline
//!   while the shift was open must still land, even if the shift has closed
//!   since (closed from the admin, say). The pushed order names the shift it
//!   was taken in (`shift_id`); it lands when that is a shift of this very
//!   till whose opening and closing frame the order's `created_at_client`
//!   (give or take [`CLOCK_SLACK`]), or when the till has an open shift now.
//!   A queued payment whose shift has closed since is recorded in no drawer:
//!   that drawer was counted already (the cash was in it, so its variance
//!   shows it), and its stored Z report never changes.

use chrono::{DateTime, Duration, Utc};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use super::drawer::{check_payment_shift, open_shift_of_till};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, Result},
    orders::intake::Intake,
};

/// How far a till's clock may be from the server's when framing an order in its shift.
pub const CLOCK_SLACK: Duration = Duration::minutes(10);

fn not_open() -> Error {
    Error::conflict(Code::ShiftNotOpen)
}

#[derive(FromQueryResult)]
struct ShiftSpan {
    opened_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

/// Whether `actor` may place an order taken at `taken_at` (`created_at_client`)
/// that names `claimed` as its shift: see the module docs.
pub async fn check_order(
    tx: &ScopedTx,
    actor: &Actor,
    intake: Intake,
    claimed: Option<Uuid>,
    taken_at: DateTime<Utc>,
) -> Result<()> {
    let Some(till) = actor.till_device_id() else { return Ok(()) };
    if open_shift_of_till(tx, till).await?.is_some() {
        return Ok(());
    }
    match (intake, claimed) {
        (Intake::Offline, Some(shift_id)) if taken_in(tx, till, shift_id, taken_at).await? => Ok(()),
        _ => Err(not_open()),
    }
}

/// Whether `taken_at` falls within shift `shift_id` of till `till`.
async fn taken_in(tx: &ScopedTx, till: Uuid, shift_id: Uuid, taken_at: DateTime<Utc>) -> Result<bool> {
    let span: Option<ShiftSpan> = tx
        .query_one(
            "SELECT opened_at, closed_at FROM shifts WHERE id = $1 AND device_id = $2",
            [shift_id.into(), till.into()],
        )
        .await?;
    Ok(span.is_some_and(|s| {
        s.opened_at - CLOCK_SLACK <= taken_at && s.closed_at.is_none_or(|closed| taken_at <= closed + CLOCK_SLACK)
    }))
}

/// The shift a payment of an order at `outlet_id` counts into: `requested`
/// (checked), else the open shift of the caller's till. A till-bound
/// cashier online needs one (409 `shift_not_open`); replayed from the queue,
/// a payment whose shift has closed since counts into no drawer (its order
/// was let in by [`check_order`]).
pub async fn payment_shift(
    tx: &ScopedTx,
    actor: &Actor,
    requested: Option<Uuid>,
    outlet_id: Uuid,
    intake: Intake,
) -> Result<Option<Uuid>> {
    let till = actor.till_device_id();
    let shift_id = match (requested, till) {
        (Some(id), _) => Some(id),
        (None, Some(till)) => open_shift_of_till(tx, till).await?,
        (None, None) => None,
    };
    let Some(shift_id) = shift_id else {
        return match (till, intake) {
            (Some(_), Intake::Online) => Err(not_open()),
            _ => Ok(None),
        };
    };
    match check_payment_shift(tx, actor, shift_id, outlet_id).await {
        Ok(()) => Ok(Some(shift_id)),
        Err(refused) => match (till, intake) {
            (Some(till), Intake::Offline) if closed_shift_of(tx, till, shift_id).await? => Ok(None),
            _ => Err(refused),
        },
    }
}

/// Whether `shift_id` is a closed shift of till `till`.
async fn closed_shift_of(tx: &ScopedTx, till: Uuid, shift_id: Uuid) -> Result<bool> {
    #[derive(FromQueryResult)]
    struct Found {
        closed: bool,
    }
    let found: Option<Found> = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM shifts WHERE id = $1 AND device_id = $2 AND status = 'closed') AS closed",
            [shift_id.into(), till.into()],
        )
        .await?;
    Ok(found.is_some_and(|f| f.closed))
}
