//! What counts into a till's drawer, and the checks that payments and
//! refunds make when they count into a shift.
//!
//! Expected cash = float + cash payments of the shift as they went into the
//! drawer (the amount applied to the bill plus its cash rounding, so after
//! change) + cash in − cash out − cash refunds made in the shift.

use pos_wire::DeviceKind;
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::ScopedTx,
    error::{Code, Error, Result},
};

/// The parts of a drawer's expected cash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Drawer {
    pub opening_float_minor: i64,
    pub cash_sales_minor: i64,
    pub cash_refunds_minor: i64,
    pub cash_in_minor: i64,
    pub cash_out_minor: i64,
}

impl Drawer {
    pub fn expected_minor(&self) -> i64 {
        self.opening_float_minor + self.cash_sales_minor + self.cash_in_minor
            - self.cash_out_minor
            - self.cash_refunds_minor
    }
}

/// Joins an open shift `s` to its drawer's parts (`dr.*`; null for a closed
/// shift, whose figures are stored).
pub(crate) const DRAWER_JOIN: &str = "LEFT JOIN LATERAL (SELECT \
      COALESCE((SELECT sum(p.amount_minor + p.rounding_minor) FROM payments p \
                 WHERE p.tenant_id = s.tenant_id AND p.shift_id = s.id AND p.method = 'cash' AND p.status = 'paid'), 0)::bigint \
        AS cash_sales_minor, \
      COALESCE((SELECT sum(f.amount_minor) FROM refunds f \
                  JOIN payments p ON p.tenant_id = f.tenant_id AND p.id = f.payment_id \
                 WHERE f.tenant_id = s.tenant_id AND f.shift_id = s.id AND p.method = 'cash' AND f.status = 'succeeded'), 0)::bigint \
        AS cash_refunds_minor, \
      COALESCE((SELECT sum(m.amount_minor) FROM shift_cash_movements m \
                 WHERE m.tenant_id = s.tenant_id AND m.shift_id = s.id AND m.kind = 'in'), 0)::bigint AS cash_in_minor, \
      COALESCE((SELECT sum(m.amount_minor) FROM shift_cash_movements m \
                 WHERE m.tenant_id = s.tenant_id AND m.shift_id = s.id AND m.kind = 'out'), 0)::bigint AS cash_out_minor \
    ) dr ON s.status = 'open'";

#[derive(FromQueryResult)]
struct OpenShift {
    id: Uuid,
    outlet_id: Uuid,
    device_id: Uuid,
}

/// The open shift `id`, locked shared until commit (a close waits for the
/// caller's transaction, and the caller sees the shift open).
async fn lock_open(tx: &ScopedTx, id: Uuid) -> Result<Option<OpenShift>> {
    tx.query_one("SELECT id, outlet_id, device_id FROM shifts WHERE id = $1 AND status = 'open' FOR SHARE", [id.into()])
        .await
}

/// Checks that a payment of an order at `outlet_id` may count into shift
/// `shift_id`: an open shift of that outlet, taken by its staff or by that
/// shift's own till (its offline queue); a kiosk has no drawer. 422 on
/// `shift_id` otherwise.
pub async fn check_payment_shift(tx: &ScopedTx, actor: &Actor, shift_id: Uuid, outlet_id: Uuid) -> Result<()> {
    let unknown = || Error::field("shift_id", Code::ShiftUnknown);
    let shift = lock_open(tx, shift_id).await?.filter(|s| s.outlet_id == outlet_id).ok_or_else(unknown)?;
    match actor.kind {
        // A cashier signed in on a till takes money into that till's drawer only.
        ActorKind::Staff { .. } if actor.till_device_id().is_some_and(|till| till != shift.device_id) => Err(unknown()),
        ActorKind::Staff { .. } => Ok(()),
        ActorKind::Device { kind: DeviceKind::Till, device_id, .. } if device_id == shift.device_id => Ok(()),
        ActorKind::Device { .. } => Err(unknown()),
    }
}

/// The shift a refund of a payment taken in `payment_shift` counts into:
/// that shift while it is still open (the money leaves the same drawer).
/// A refund made after that shift closed counts into no shift here; the
/// till wiring decides (see [`open_shift_of_till`]).
pub async fn refund_shift(tx: &ScopedTx, payment_shift: Option<Uuid>) -> Result<Option<Uuid>> {
    let Some(id) = payment_shift else { return Ok(None) };
    Ok(lock_open(tx, id).await?.map(|s| s.id))
}

/// The open shift of till `device_id`, if it has one (for counting the cash
/// a cashier signed in on that till takes into its drawer).
pub async fn open_shift_of_till(tx: &ScopedTx, device_id: Uuid) -> Result<Option<Uuid>> {
    let open: Option<OpenShift> = tx
        .query_one(
            "SELECT id, outlet_id, device_id FROM shifts WHERE device_id = $1 AND status = 'open'",
            [device_id.into()],
        )
        .await?;
    Ok(open.map(|s| s.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_cash_is_float_plus_sales_and_cash_in_less_cash_out_and_refunds() {
        let d = Drawer {
            opening_float_minor: 500_000,
            cash_sales_minor: 84_000,
            cash_refunds_minor: 42_000,
            cash_in_minor: 100_000,
            cash_out_minor: 25_000,
        };
        assert_eq!(d.expected_minor(), 500_000 + 84_000 + 100_000 - 25_000 - 42_000);
        assert_eq!(Drawer::default().expected_minor(), 0);
    }
}
