//! A discount given at a till while offline, replayed from its queue after
//! its order: the manager's PIN, when the discount needed one, arrives
//! sealed and is checked now, with the same rules and limiter as online.

use pos_wire::{Approval, Order, QueuedDiscount, Role, SealedApproval};
use uuid::Uuid;

use super::{Approved, DiscountRequest, Discounted, discount_order};
use crate::{
    approvals::{self, ApprovalFor},
    auth::{Actor, rate_limit::RateLimiter},
    db::ScopedTx,
    error::{Error, Result},
    till::approval_seal::ApprovalKeyPair,
};

/// Discounts `order` (placed from the same queue item) as the till did
/// offline. Above the limit a cashier's discount is approved by the sealed
/// PIN when it checks out, and otherwise kept with `approval_unverified`.
pub async fn add_queued_discount(
    tx: &ScopedTx,
    limiter: &RateLimiter,
    keys: &ApprovalKeyPair,
    actor: &Actor,
    order: &Order,
    queued: &QueuedDiscount,
) -> Result<Discounted> {
    let mut request = DiscountRequest::parse(&queued.to_create())?;
    request.offline = true;
    let sealed = queued.sealed_approval.as_ref();
    discount_order(tx, actor, order.id, &request, |order, role| async move {
        if role != Role::Cashier {
            // Owners and managers discount alone, online or not.
            return Ok(Approved { approved_by: None, unverified: None });
        }
        let Some(sealed) = sealed else { return Ok(unverified("no approval")) };
        let approval = match opened(keys, sealed, queued.client_discount_id, &order) {
            Ok(approval) => approval,
            Err(why) => return Ok(unverified(why)),
        };
        let what = ApprovalFor { action: "discount", entity: "order", entity_id: order.id, outlet_id: order.outlet_id };
        match approvals::authorise(tx, limiter, actor, Some(&approval), what).await {
            Ok(approved) => Ok(Approved { approved_by: approved.approved_by, unverified: None }),
            Err(e @ (Error::Db(_) | Error::Internal(_))) => Err(e),
            Err(Error::RateLimited { .. }) => Ok(unverified("too many wrong PINs")),
            Err(Error::Forbidden(code)) => Ok(unverified(code.as_str())),
            Err(_) => Ok(unverified("not a PIN")),
        }
    })
    .await
}

fn unverified(why: &'static str) -> Approved {
    Approved { approved_by: None, unverified: Some(why) }
}

/// The approval sealed for this very discount of this order at its outlet.
fn opened(
    keys: &ApprovalKeyPair,
    sealed: &SealedApproval,
    client_discount_id: Uuid,
    order: &Order,
) -> std::result::Result<Approval, &'static str> {
    let seal = keys.open(sealed).map_err(|e| {
        tracing::warn!(error = %e, "sealed approval not opened");
        "seal not opened"
    })?;
    if seal.client_discount_id != client_discount_id
        || seal.client_order_id != order.client_order_id
        || seal.outlet_id != order.outlet_id
    {
        return Err("sealed for another discount");
    }
    Ok(Approval { approver_id: seal.approver_id, pin: seal.pin })
}
