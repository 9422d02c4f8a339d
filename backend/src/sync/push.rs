//! A kiosk's queued orders, placed one by one: each in its own transaction,
//! so one bad order never blocks the rest, and the whole batch is safe to
//! resend after a timeout (replays are duplicates).
//!
//! Only a kiosk's own token may push, and only under its own `device_id`:
//! this is the lenient path for orders really taken offline (see
//! `orders::intake`); staff place orders with `POST /orders`.

use pos_wire::{CreateOrder, DeviceKind, SyncPush};
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::{Db, OutletScope, PrincipalId},
    error::{Code, CodedError, Error, Result},
    http::json::parse_json,
    orders::intake::{Intake, IntakePolicy, Placed, place_order},
};

pub const MAX_BATCH: usize = 500;

/// What became of one pushed order.
#[derive(Debug)]
pub struct Pushed {
    /// As far as it could be read from what was sent.
    pub client_order_id: Option<Uuid>,
    /// Placed (new, a replay, or a key reused for other content), or why not.
    pub outcome: Result<Placed>,
}

/// The kiosk pushing `push`: a kiosk token pushing under its own id, at
/// most [`MAX_BATCH`] orders.
pub fn pusher(actor: &Actor, push: &SyncPush) -> Result<Uuid> {
    let device_id = match actor.kind {
        ActorKind::Device { device_id, kind: DeviceKind::Kiosk, .. } => device_id,
        ActorKind::Device { .. } => return Err(Error::Forbidden(Code::PushKiosksOnly)),
        ActorKind::Staff { .. } => {
            return Err(Error::Forbidden(Code::PushDeviceTokensOnly));
        }
    };
    if device_id != push.device_id {
        return Err(Error::Forbidden(Code::PushOwnOrdersOnly));
    }
    if push.orders.len() > MAX_BATCH {
        return Err(Error::field("orders", CodedError::too_many(Code::TooManyOrders, MAX_BATCH)));
    }
    Ok(device_id)
}

/// Where the orders go: the pushing kiosk's tenant and outlets.
pub struct PushScope {
    pub tenant_id: Uuid,
    pub outlets: OutletScope,
    pub device_id: Uuid,
}

/// Places each of `orders` (as sent, not yet parsed) in its own scoped
/// transaction, in order. An order refused for what it says is reported
/// and the rest go on; the database failing fails the batch (the device
/// retries it, and what was placed comes back as duplicates).
pub async fn push_orders(
    db: &Db,
    scope: &PushScope,
    actor: &Actor,
    orders: Vec<serde_json::Value>,
    policy: &IntakePolicy,
) -> Result<Vec<Pushed>> {
    let mut pushed = Vec::with_capacity(orders.len());
    for raw in orders {
        let client_order_id = raw.get("client_order_id").and_then(|v| v.as_str()).and_then(|v| Uuid::parse_str(v).ok());
        let outcome = match parse_order(&raw) {
            Ok(order) => place_one(db, scope, actor, order, policy).await,
            Err(e) => Err(e),
        };
        match outcome {
            Err(e @ (Error::Db(_) | Error::Internal(_))) => return Err(e),
            Err(ref e) => tracing::info!(?client_order_id, error = ?e, "pushed order rejected"),
            Ok(_) => {}
        }
        pushed.push(Pushed { client_order_id, outcome });
    }
    Ok(pushed)
}

/// One order as the device sent it, with the same field errors `POST /orders` gives.
fn parse_order(raw: &serde_json::Value) -> Result<CreateOrder> {
    let bytes = serde_json::to_vec(raw).map_err(anyhow::Error::from)?;
    parse_json(&bytes)
}

/// Places one order; commits unless the key was reused for other content.
async fn place_one(
    db: &Db,
    scope: &PushScope,
    actor: &Actor,
    order: CreateOrder,
    policy: &IntakePolicy,
) -> Result<Placed> {
    let tx = db.begin_scoped(scope.tenant_id, scope.outlets.clone(), PrincipalId::Device(scope.device_id)).await?;
    let placed = place_order(&tx, actor, order, Intake::Offline, policy).await?;
    if !matches!(placed, Placed::Conflict(_)) {
        tx.commit().await?;
    }
    Ok(placed)
}

#[cfg(test)]
mod tests {
    use pos_wire::Role;

    use super::*;

    fn actor(kind: ActorKind) -> Actor {
        Actor { tenant_id: Uuid::nil(), kind, request_id: None }
    }

    fn device(kind: DeviceKind) -> (Uuid, Actor) {
        let id = Uuid::now_v7();
        (id, actor(ActorKind::Device { device_id: id, outlet_id: Uuid::nil(), kind }))
    }

    fn push(device_id: Uuid, orders: usize) -> SyncPush {
        SyncPush { device_id, orders: vec![serde_json::json!({}); orders] }
    }

    #[test]
    fn only_a_kiosk_pushes_and_only_its_own_orders() {
        let (id, kiosk) = device(DeviceKind::Kiosk);
        assert_eq!(pusher(&kiosk, &push(id, 1)).unwrap(), id);
        assert!(matches!(pusher(&kiosk, &push(Uuid::now_v7(), 1)), Err(Error::Forbidden(_))));
        for kind in [DeviceKind::Kds, DeviceKind::Board] {
            let (id, other) = device(kind);
            assert!(matches!(pusher(&other, &push(id, 1)), Err(Error::Forbidden(_))), "{kind:?}");
        }
        let owner = actor(ActorKind::Staff { user_id: Uuid::now_v7(), role: Role::Owner });
        assert!(matches!(pusher(&owner, &push(Uuid::now_v7(), 1)), Err(Error::Forbidden(_))));
    }

    #[test]
    fn a_batch_has_a_ceiling() {
        let (id, kiosk) = device(DeviceKind::Kiosk);
        assert!(pusher(&kiosk, &push(id, MAX_BATCH)).is_ok());
        assert!(matches!(pusher(&kiosk, &push(id, MAX_BATCH + 1)), Err(Error::Validation(_))));
    }

    #[test]
    fn what_is_not_an_order_is_refused_with_the_field_at_fault() {
        let Err(Error::Validation(errors)) = parse_order(&serde_json::json!({"items": "nope"})) else {
            panic!("a validation error");
        };
        assert!(!errors.is_empty());
    }
}
