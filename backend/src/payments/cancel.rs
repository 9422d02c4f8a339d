//! `POST /payments/{id}/cancel`: the customer (or the cashier) gives up on
//! a QR code; it is cancelled at the gateway first. A charge the gateway
//! says was paid meanwhile is applied instead.

use pos_wire::{Payment, PaymentMethod, PaymentStatus};
use uuid::Uuid;

use super::{
    COLUMNS, PaymentRow,
    gateway::ChargeState,
    take::{PendingCharge, Scope, cancel_charge, may_take},
};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, Result},
    orders,
    state::AppState,
};

async fn read(tx: &ScopedTx, id: Uuid) -> Result<PaymentRow> {
    tx.query_one(&format!("SELECT {COLUMNS} FROM payments WHERE id = $1"), [id.into()]).await?.ok_or(Error::NotFound)
}

/// Cancels the pending QRIS payment `id`; those who may start one may cancel it.
pub async fn cancel_payment(state: &AppState, tx: ScopedTx, actor: &Actor, id: Uuid) -> Result<Payment> {
    may_take(actor, PaymentMethod::Qris)?;
    let row = read(&tx, id).await?;
    // A kiosk cancels only the payments of its own orders.
    orders::get(&tx, actor, row.order_id).await?;
    let (Some(gateway_order_id), true) = (row.gateway_order_id.clone(), row.status == PaymentStatus::Pending.as_str())
    else {
        return Err(Error::conflict(Code::PaymentNotPending));
    };
    let scope = Scope::of(&tx, actor);
    tx.commit().await?;
    let charge = PendingCharge { id, gateway_order_id, amount_minor: row.amount_minor };
    cancel_charge(state, &scope, row.order_id, &charge, ChargeState::Cancelled).await?;
    let tx = scope.begin(state).await?;
    let payment = Payment::try_from(read(&tx, id).await?)?;
    tx.commit().await?;
    Ok(payment)
}
