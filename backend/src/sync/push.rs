//! A kiosk's queued orders, placed one by one: each in its own transaction,
//! so one bad order never blocks the rest, and the whole batch is safe to
//! resend after a timeout (replays are duplicates).
//!
//! Only a kiosk's own token may push, under its own `device_id`, or a
//! cashier signed in on a till, under that till's id: this is the lenient
//! path for orders really taken offline (see `orders::intake`); other staff
//! place orders with `POST /orders`.
//!
//! An order may carry `payments: [CreatePayment]`, cash and card taken with
//! it while offline (a till's queue, issue 12). Each is taken after its
//! order, in a transaction of its own, exactly once per `client_payment_id`
//! ([`crate::payments::take`]), with the same rules as online: a kiosk's are
//! refused (kiosks take no cash), and QRIS never rides in a queue. A
//! till's device token alone pushes nothing: its cashier's token does.
//!
//! A till's order may also carry `discounts: [QueuedDiscount]`, given while
//! offline: each applied after its order and before its payments (which
//! were taken at the discounted total), in a transaction of its own,
//! exactly once per `client_discount_id`, a sealed manager's PIN checked
//! then ([`crate::orders::discounts::add_queued_discount`]).
//!
//! A till's order also names `shift_id`, the shift it was sold in: a sale
//! at a till needs an open shift, and one taken offline while its shift was
//! open still lands after the shift closed ([`crate::shifts::sale`]).

use pos_wire::{CreateOrder, CreatePayment, DeviceKind, Discount, Order, PaymentMethod, QueuedDiscount, SyncPush};
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind},
    db::{Db, OutletScope, PrincipalId},
    error::{Code, CodedError, Error, Result},
    http::json::parse_json,
    orders::{
        discounts::{Discounted, add_queued_discount},
        intake::{Intake, IntakePolicy, Placed, place_order},
    },
    payments::take::{Taken, take_payment},
    state::AppState,
};

pub const MAX_BATCH: usize = 500;

/// What became of one pushed order.
#[derive(Debug)]
pub struct Pushed {
    /// As far as it could be read from what was sent.
    pub client_order_id: Option<Uuid>,
    /// Placed (new, a replay, or a key reused for other content), or why not.
    pub outcome: Result<Placed>,
    /// Its queued discounts, in the order sent.
    pub discounts: Vec<PushedDiscount>,
    /// Its queued payments, in the order sent.
    pub payments: Vec<PushedPayment>,
}

/// What became of one queued discount: the discount as stored (new or
/// already there), or why not.
#[derive(Debug)]
pub struct PushedDiscount {
    pub client_discount_id: Option<Uuid>,
    pub outcome: Result<(bool, Option<Discount>)>,
}

/// What became of one queued payment.
#[derive(Debug)]
pub struct PushedPayment {
    pub client_payment_id: Option<Uuid>,
    pub outcome: Result<Taken>,
}

/// Who pushes `push`: a kiosk token under its own id, or a cashier signed
/// in on a till under that till's id; at most [`MAX_BATCH`] orders.
pub fn pusher(actor: &Actor, push: &SyncPush) -> Result<Uuid> {
    let device_id = match actor.kind {
        ActorKind::Device { device_id, kind: DeviceKind::Kiosk, .. } => device_id,
        ActorKind::Device { kind: DeviceKind::Till, .. } => return Err(Error::Forbidden(Code::PushTillCashierOnly)),
        ActorKind::Device { .. } => return Err(Error::Forbidden(Code::PushKiosksOnly)),
        ActorKind::Staff { till: Some(till), .. } => till.device_id,
        ActorKind::Staff { till: None, .. } => {
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

/// Where the orders go: the pusher's tenant and outlets, and who pushes.
pub struct PushScope {
    pub tenant_id: Uuid,
    pub outlets: OutletScope,
    pub principal: PrincipalId,
}

impl PushScope {
    pub fn of(tx: &crate::db::ScopedTx, actor: &Actor) -> PushScope {
        PushScope { tenant_id: tx.tenant_id(), outlets: tx.outlets().clone(), principal: actor.principal_id() }
    }
}

/// Places each of `orders` (as sent, not yet parsed) in its own scoped
/// transaction, in order. An order refused for what it says is reported
/// and the rest go on; the database failing fails the batch (the device
/// retries it, and what was placed comes back as duplicates).
pub async fn push_orders(
    state: &AppState,
    scope: &PushScope,
    actor: &Actor,
    orders: Vec<serde_json::Value>,
    policy: &IntakePolicy,
) -> Result<Vec<Pushed>> {
    let mut pushed = Vec::with_capacity(orders.len());
    for mut raw in orders {
        let client_order_id = raw.get("client_order_id").and_then(|v| v.as_str()).and_then(|v| Uuid::parse_str(v).ok());
        let shift_id = take_shift_id(&mut raw);
        let discounts = take_array(&mut raw, "discounts", "an array of discounts");
        let (queued, outcome) = match take_array(&mut raw, "payments", "an array of payments") {
            Ok(queued) => match (shift_id, parse_order(&raw)) {
                (Ok(shift_id), Ok(order)) => {
                    (queued, place_one(&state.db, scope, actor, order, shift_id, policy).await)
                }
                (Err(e), _) | (_, Err(e)) => (queued, Err(e)),
            },
            Err(e) => (Vec::new(), Err(e)),
        };
        match outcome {
            Err(e @ (Error::Db(_) | Error::Internal(_))) => return Err(e),
            Err(ref e) => tracing::info!(?client_order_id, error = ?e, "pushed order rejected"),
            Ok(_) => {}
        }
        let discounts = match (&outcome, discounts) {
            (Ok(Placed::Created(order) | Placed::Duplicate(order)), Ok(discounts)) => {
                push_discounts(state, scope, actor, order, discounts).await?
            }
            (_, Ok(discounts)) => discounts
                .iter()
                .map(|raw| PushedDiscount { client_discount_id: discount_id(raw), outcome: Err(Error::NotFound) })
                .collect(),
            (_, Err(e)) => vec![PushedDiscount { client_discount_id: None, outcome: Err(e) }],
        };
        let payments = match &outcome {
            Ok(Placed::Created(order) | Placed::Duplicate(order)) => {
                push_payments(state, scope, actor, order.id, queued).await?
            }
            // Nothing to pay: the order is not there (its own result says why).
            _ => queued
                .iter()
                .map(|raw| PushedPayment { client_payment_id: payment_id(raw), outcome: Err(Error::NotFound) })
                .collect(),
        };
        pushed.push(Pushed { client_order_id, outcome, discounts, payments });
    }
    Ok(pushed)
}

/// Takes the array `field` (`payments`, `discounts`) off a pushed order
/// (the order itself has no such field).
fn take_array(raw: &mut serde_json::Value, field: &'static str, what: &'static str) -> Result<Vec<serde_json::Value>> {
    let Some(items) = raw.as_object_mut().and_then(|o| o.remove(field)) else { return Ok(Vec::new()) };
    match items {
        serde_json::Value::Array(items) => Ok(items),
        serde_json::Value::Null => Ok(Vec::new()),
        _ => Err(Error::field(field, CodedError::parser(Code::InvalidValue, what))),
    }
}

/// Takes `shift_id` off a pushed order: the till's shift it was sold in
/// (see [`crate::shifts::sale`]).
fn take_shift_id(raw: &mut serde_json::Value) -> Result<Option<Uuid>> {
    let Some(value) = raw.as_object_mut().and_then(|o| o.remove("shift_id")) else { return Ok(None) };
    match value {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Uuid::parse_str(&s)
            .map(Some)
            .map_err(|_| Error::field("shift_id", CodedError::parser(Code::InvalidValue, "a UUID"))),
        _ => Err(Error::field("shift_id", CodedError::parser(Code::InvalidValue, "a UUID"))),
    }
}

fn payment_id(raw: &serde_json::Value) -> Option<Uuid> {
    raw.get("client_payment_id").and_then(|v| v.as_str()).and_then(|v| Uuid::parse_str(v).ok())
}

fn discount_id(raw: &serde_json::Value) -> Option<Uuid> {
    raw.get("client_discount_id").and_then(|v| v.as_str()).and_then(|v| Uuid::parse_str(v).ok())
}

/// Applies the queued discounts of the pushed `order`, each in a
/// transaction of its own, before its payments. At most [`MAX_DISCOUNTS`].
async fn push_discounts(
    state: &AppState,
    scope: &PushScope,
    actor: &Actor,
    order: &Order,
    queued: Vec<serde_json::Value>,
) -> Result<Vec<PushedDiscount>> {
    let mut out = Vec::with_capacity(queued.len());
    for (i, raw) in queued.into_iter().enumerate() {
        let client_discount_id = discount_id(&raw);
        let outcome = if i >= MAX_DISCOUNTS {
            Err(Error::field("discounts", CodedError::too_many(Code::InvalidValue, MAX_DISCOUNTS)))
        } else {
            match parse_json::<QueuedDiscount>(&serde_json::to_vec(&raw).map_err(anyhow::Error::from)?) {
                Ok(discount) => apply_discount(state, scope, actor, order, &discount).await,
                Err(e) => Err(e),
            }
        };
        if let Err(e @ (Error::Db(_) | Error::Internal(_))) = outcome {
            return Err(e);
        }
        out.push(PushedDiscount { client_discount_id, outcome });
    }
    Ok(out)
}

/// Discounts allowed per pushed order.
pub const MAX_DISCOUNTS: usize = 20;

/// One queued discount in its own transaction: whether it is new, and it as stored.
async fn apply_discount(
    state: &AppState,
    scope: &PushScope,
    actor: &Actor,
    order: &Order,
    discount: &QueuedDiscount,
) -> Result<(bool, Option<Discount>)> {
    let tx = state.db.begin_scoped(scope.tenant_id, scope.outlets.clone(), scope.principal).await?;
    let done = add_queued_discount(&tx, &state.limiter, &state.approval_keys, actor, order, discount).await?;
    tx.commit().await?;
    let (created, order) = match done {
        Discounted::Created(order) => (true, order),
        Discounted::Replayed(order) => (false, order),
    };
    Ok((created, order.discounts.into_iter().find(|d| d.client_discount_id == discount.client_discount_id)))
}

/// Takes the queued payments of the pushed order `order_id`, each in a
/// transaction of its own.
async fn push_payments(
    state: &AppState,
    scope: &PushScope,
    actor: &Actor,
    order_id: Uuid,
    queued: Vec<serde_json::Value>,
) -> Result<Vec<PushedPayment>> {
    let mut out = Vec::with_capacity(queued.len());
    for raw in queued {
        let client_payment_id = payment_id(&raw);
        let outcome = match parse_payment(&raw) {
            Ok(payment) => {
                let tx = state.db.begin_scoped(scope.tenant_id, scope.outlets.clone(), scope.principal).await?;
                take_payment(state, tx, actor, order_id, payment, Intake::Offline).await
            }
            Err(e) => Err(e),
        };
        if let Err(e @ (Error::Db(_) | Error::Internal(_))) = outcome {
            return Err(e);
        }
        out.push(PushedPayment { client_payment_id, outcome });
    }
    Ok(out)
}

/// One queued payment as the device sent it; QRIS is paid online only.
fn parse_payment(raw: &serde_json::Value) -> Result<CreatePayment> {
    let bytes = serde_json::to_vec(raw).map_err(anyhow::Error::from)?;
    let payment: CreatePayment = parse_json(&bytes)?;
    if payment.method == PaymentMethod::Qris {
        return Err(Error::field("method", Code::QrisOnlineOnly));
    }
    Ok(payment)
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
    shift_id: Option<Uuid>,
    policy: &IntakePolicy,
) -> Result<Placed> {
    let tx = db.begin_scoped(scope.tenant_id, scope.outlets.clone(), scope.principal).await?;
    crate::shifts::sale::check_order(&tx, actor, Intake::Offline, shift_id, order.created_at_client).await?;
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
    use crate::auth::actor::TillBinding;

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
    fn only_a_kiosk_or_a_tills_cashier_pushes_and_only_its_own_orders() {
        let (id, kiosk) = device(DeviceKind::Kiosk);
        assert_eq!(pusher(&kiosk, &push(id, 1)).unwrap(), id);
        assert!(matches!(pusher(&kiosk, &push(Uuid::now_v7(), 1)), Err(Error::Forbidden(_))));
        let till = TillBinding { device_id: Uuid::now_v7(), outlet_id: Uuid::nil() };
        let cashier = actor(ActorKind::Staff { user_id: Uuid::now_v7(), role: Role::Cashier, till: Some(till) });
        assert_eq!(pusher(&cashier, &push(till.device_id, 1)).unwrap(), till.device_id);
        assert!(matches!(pusher(&cashier, &push(Uuid::now_v7(), 1)), Err(Error::Forbidden(_))));
        for kind in [DeviceKind::Kds, DeviceKind::Board, DeviceKind::Till] {
            let (id, other) = device(kind);
            assert!(matches!(pusher(&other, &push(id, 1)), Err(Error::Forbidden(_))), "{kind:?}");
        }
        let owner = actor(ActorKind::Staff { user_id: Uuid::now_v7(), role: Role::Owner, till: None });
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
