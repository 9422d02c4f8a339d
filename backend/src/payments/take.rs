//! `POST /orders/{id}/payments`: cash and card recorded at once, QRIS
//! charged at the gateway; exactly once per `client_payment_id`.
//!
//! Replays of one key are serialised by a transaction-scoped advisory lock
//! on the key (20 parallel posts make one payment), and the unique index
//! backs it. The order's row lock serialises payments of one order, so
//! split tender never pays more than the total.
//!
//! No database transaction is held across a call to the gateway: a QRIS
//! payment is stored `pending` and committed, then charged, then its QR
//! stored in a second transaction (or it is marked `failed`). A new payment
//! on an order with a pending QRIS first cancels that charge at the gateway
//! (the customer chose another way to pay); if the gateway says it was paid
//! meanwhile, that payment is applied and the new one sees the balance left.

use pos_wire::{CreatePayment, Payment, PaymentMethod, PaymentStatus, Role};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    COLUMNS, PaymentRow,
    cash::take_cash,
    charge_state::{self, Report},
    gateway::{ChargeState, GatewayError},
    settle::{self, apply_paid, balance, lock_order},
};
use crate::{
    auth::{Actor, ActorKind},
    db::{OutletScope, PrincipalId, ScopedTx},
    error::{Code, CodedError, Error, FieldErrors, Result},
    orders::{self, intake::Intake},
    state::AppState,
};

/// The largest amount anyone hands over or pays in one go (minor units).
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

#[derive(Debug)]
pub enum Taken {
    Created(Payment),
    /// The same `client_payment_id` with the same content: the stored payment.
    Duplicate(Payment),
}

/// Staff at the counter record cash and card (and may show a QR); a kiosk
/// starts QRIS payments only; kitchen staff, kitchen displays and pickup
/// boards record nothing.
pub fn may_take(actor: &Actor, method: PaymentMethod) -> Result<()> {
    match &actor.kind {
        ActorKind::Device { kind: pos_wire::DeviceKind::Kiosk, .. } if method == PaymentMethod::Qris => Ok(()),
        ActorKind::Device { kind: pos_wire::DeviceKind::Kiosk, .. } => Err(Error::Forbidden(Code::KiosksPayByQrisOnly)),
        ActorKind::Device { .. } => Err(Error::Forbidden(Code::DevicesRecordNoPayments)),
        ActorKind::Staff { .. } => actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier]).map(|_| ()),
    }
}

/// What identifies a payment's content, for replay detection.
pub fn payload_hash(order_id: Uuid, req: &CreatePayment) -> Vec<u8> {
    let canonical = serde_json::to_vec(&(order_id, req)).unwrap_or_default();
    Sha256::digest(&canonical).to_vec()
}

/// Checks what needs neither the order nor the database.
pub fn check_request(req: &CreatePayment) -> Result<()> {
    let mut errors = FieldErrors::new();
    if !(1..=MAX_AMOUNT).contains(&req.amount_minor) {
        errors.add("amount_minor", CodedError::out_of_range(1, MAX_AMOUNT));
    }
    match (req.method, &req.card) {
        (PaymentMethod::Card, None) => errors.add("card", Code::CardDetailsRequired),
        (PaymentMethod::Card, Some(card)) => {
            let code = &card.approval_code;
            if code.is_empty() || code.len() > 12 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
                errors.add("card.approval_code", Code::ApprovalCodeInvalid);
            }
            if let Some(last4) = &card.last4
                && (last4.len() != 4 || !last4.chars().all(|c| c.is_ascii_digit()))
            {
                errors.add("card.last4", Code::CardLastFourInvalid);
            }
        }
        (_, Some(_)) => errors.add("card", Code::CardDetailsCardOnly),
        (_, None) => {}
    }
    match req.tendered_minor {
        Some(_) if req.method != PaymentMethod::Cash => errors.add("tendered_minor", Code::TenderedCashOnly),
        Some(t) if !(0..=MAX_AMOUNT).contains(&t) => {
            errors.add("tendered_minor", CodedError::out_of_range(0, MAX_AMOUNT))
        }
        _ => {}
    }
    errors.finish()
}

/// The id the gateway knows a payment by (Midtrans allows 50 characters).
pub fn gateway_order_id(payment_id: Uuid) -> String {
    format!("pay-{payment_id}")
}

/// A pending QRIS charge of an order.
#[derive(Debug, Clone, FromQueryResult)]
pub(crate) struct PendingCharge {
    pub id: Uuid,
    pub gateway_order_id: String,
    pub amount_minor: i64,
}

/// Where one pass over the request ended.
enum Step {
    Done(Taken),
    /// Pending QRIS charges of the order must be settled one way or the other first.
    CancelFirst(Vec<PendingCharge>),
    /// A QRIS payment was stored pending: charge it at the gateway.
    Charge(Payment, String),
}

/// Takes the payment `req` on order `order_id` for `actor`, starting in `tx`
/// (the request's transaction).
pub async fn take_payment(
    state: &AppState,
    tx: ScopedTx,
    actor: &Actor,
    order_id: Uuid,
    req: CreatePayment,
    intake: Intake,
) -> Result<Taken> {
    let scope = Scope::of(&tx, actor);
    let hash = payload_hash(order_id, &req);
    let mut first = Some(tx);
    // A second pass follows a cancelled charge; a third means the gateway
    // keeps a charge pending that it would not cancel.
    for _ in 0..3 {
        let tx = match first.take() {
            Some(tx) => tx,
            None => scope.begin(state).await?,
        };
        match step(&tx, actor, order_id, &req, intake, &hash, state).await? {
            Step::Done(taken) => {
                tx.commit().await?;
                return Ok(taken);
            }
            Step::CancelFirst(pending) => {
                drop(tx);
                for charge in pending {
                    cancel_charge(state, &scope, order_id, &charge, ChargeState::Cancelled).await?;
                }
            }
            Step::Charge(payment, gateway_order_id) => {
                tx.commit().await?;
                return charge(state, &scope, payment, &gateway_order_id).await.map(Taken::Created);
            }
        }
    }
    Err(Error::conflict(Code::QrisPaymentPending))
}

/// The request's tenant, outlets and principal, to open its later transactions.
pub(crate) struct Scope {
    tenant_id: Uuid,
    outlets: OutletScope,
    principal: PrincipalId,
}

impl Scope {
    pub(crate) fn of(tx: &ScopedTx, actor: &Actor) -> Scope {
        Scope { tenant_id: tx.tenant_id(), outlets: tx.outlets().clone(), principal: actor.principal_id() }
    }

    pub(crate) fn system(tenant_id: Uuid, outlet_id: Uuid) -> Scope {
        Scope { tenant_id, outlets: OutletScope::Only(vec![outlet_id]), principal: PrincipalId::System }
    }

    pub(crate) async fn begin(&self, state: &AppState) -> Result<ScopedTx> {
        state.db.begin_scoped(self.tenant_id, self.outlets.clone(), self.principal).await
    }
}

async fn step(
    tx: &ScopedTx,
    actor: &Actor,
    order_id: Uuid,
    req: &CreatePayment,
    intake: Intake,
    hash: &[u8],
    state: &AppState,
) -> Result<Step> {
    may_take(actor, req.method)?;
    // A kiosk sees only the orders it placed; anyone else's is not found.
    orders::get(tx, actor, order_id).await?;
    if let Some(existing) = replay(tx, req.client_payment_id, hash).await? {
        return Ok(Step::Done(Taken::Duplicate(existing)));
    }
    check_request(req)?;
    let order = lock_order(tx, order_id).await?;
    if order.status == pos_wire::OrderStatus::Cancelled || order.payment_status == pos_wire::OrderPaymentStatus::Void {
        return Err(Error::conflict(Code::OrderNotPayable));
    }
    if !matches!(
        order.payment_status,
        pos_wire::OrderPaymentStatus::Unpaid | pos_wire::OrderPaymentStatus::PartiallyPaid
    ) {
        return Err(Error::conflict(Code::OrderAlreadyPaid));
    }
    // Money taken at a till goes into its drawer: the open shift of the till
    // a cashier signed in on, who cannot sell without one (a queued sale is
    // recorded in any case, as its money has changed hands).
    let shift_id = crate::shifts::sale::payment_shift(tx, actor, req.shift_id, order.outlet_id, intake).await?;
    let with_shift;
    let req = if shift_id == req.shift_id {
        req
    } else {
        with_shift = CreatePayment { shift_id, ..req.clone() };
        &with_shift
    };
    let pending: Vec<PendingCharge> = tx
        .query_all(
            "SELECT id, gateway_order_id, amount_minor FROM payments \
              WHERE order_id = $1 AND status = 'pending' AND gateway_order_id IS NOT NULL ORDER BY created_at",
            [order_id.into()],
        )
        .await?;
    if !pending.is_empty() {
        return Ok(Step::CancelFirst(pending));
    }
    let due = balance(&order);
    let above_balance =
        || Error::field("amount_minor", CodedError::new(Code::AmountAboveBalance).with("balance_minor", due));
    let new = NewPayment { id: Uuid::now_v7(), order_id, outlet_id: order.outlet_id, req, hash, actor };
    match req.method {
        PaymentMethod::Cash => {
            let step = cash_step(tx, order.outlet_id).await?;
            let cash = take_cash(req.amount_minor, req.tendered_minor, due, step)
                .map_err(|(field, why)| Error::field(field, why))?;
            let payment = insert(tx, &new, Fields::cash(cash)).await?;
            apply_paid(tx, &order, &payment).await?;
            Ok(Step::Done(Taken::Created(counted(payment))))
        }
        PaymentMethod::Card => {
            if req.amount_minor > due {
                return Err(above_balance());
            }
            let payment = insert(tx, &new, Fields::card(req.amount_minor)).await?;
            apply_paid(tx, &order, &payment).await?;
            Ok(Step::Done(Taken::Created(counted(payment))))
        }
        PaymentMethod::Qris => {
            if req.amount_minor > due {
                return Err(above_balance());
            }
            let Some(gateway) = &state.gateway else {
                return Err(Error::Unavailable(Code::PaymentGatewayUnavailable));
            };
            if order.currency != "IDR" {
                return Err(Error::field("method", Code::QrisRupiahOnly));
            }
            let gateway_order_id = gateway_order_id(new.id);
            let fields = Fields::qris(req.amount_minor, gateway.name(), &gateway_order_id);
            let payment = insert(tx, &new, fields).await?;
            Ok(Step::Charge(payment, gateway_order_id))
        }
    }
}

fn counted(payment: Payment) -> Payment {
    metrics::counter!("payments_total", "method" => payment.method.as_str(), "outcome" => payment.status.as_str())
        .increment(1);
    payment
}

async fn cash_step(tx: &ScopedTx, outlet_id: Uuid) -> Result<i64> {
    let rows = tx.query_raw("SELECT cash_rounding_step FROM outlets WHERE id = $1", [outlet_id.into()]).await?;
    let step: Option<i32> = crate::db::opt_row(&rows, "cash_rounding_step")?;
    Ok(i64::from(step.unwrap_or(0)))
}

/// The stored payment of `client_payment_id`, if any: a replay when its
/// content is the same, a 409 when not. One at a time per key.
async fn replay(tx: &ScopedTx, client_payment_id: Uuid, hash: &[u8]) -> Result<Option<Payment>> {
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))", [client_payment_id.to_string().into()]).await?;
    #[derive(FromQueryResult)]
    struct Stored {
        payload_hash: Vec<u8>,
    }
    let Some(stored) = tx
        .query_one::<Stored>(
            "SELECT payload_hash FROM payments WHERE client_payment_id = $1",
            [client_payment_id.into()],
        )
        .await?
    else {
        return Ok(None);
    };
    if stored.payload_hash != hash {
        return Err(Error::conflict(Code::ClientPaymentIdReused));
    }
    let row: PaymentRow = tx
        .query_one(&format!("SELECT {COLUMNS} FROM payments WHERE client_payment_id = $1"), [client_payment_id.into()])
        .await?
        .ok_or(Error::NotFound)?;
    Payment::try_from(row).map(Some)
}

struct NewPayment<'r> {
    id: Uuid,
    order_id: Uuid,
    outlet_id: Uuid,
    req: &'r CreatePayment,
    hash: &'r [u8],
    actor: &'r Actor,
}

/// What differs by method.
struct Fields {
    status: PaymentStatus,
    amount_minor: i64,
    rounding_minor: i64,
    tendered_minor: Option<i64>,
    change_minor: Option<i64>,
    gateway: Option<String>,
    gateway_order_id: Option<String>,
}

impl Fields {
    fn cash(cash: super::cash::Cash) -> Fields {
        Fields {
            status: PaymentStatus::Paid,
            amount_minor: cash.applied_minor,
            rounding_minor: cash.rounding_minor,
            tendered_minor: Some(cash.tendered_minor),
            change_minor: Some(cash.change_minor),
            gateway: None,
            gateway_order_id: None,
        }
    }

    fn card(amount_minor: i64) -> Fields {
        Fields {
            status: PaymentStatus::Paid,
            amount_minor,
            rounding_minor: 0,
            tendered_minor: None,
            change_minor: None,
            gateway: None,
            gateway_order_id: None,
        }
    }

    fn qris(amount_minor: i64, gateway: &str, gateway_order_id: &str) -> Fields {
        Fields {
            status: PaymentStatus::Pending,
            gateway: Some(gateway.to_string()),
            gateway_order_id: Some(gateway_order_id.to_string()),
            ..Fields::card(amount_minor)
        }
    }
}

async fn insert(tx: &ScopedTx, new: &NewPayment<'_>, f: Fields) -> Result<Payment> {
    let card = new.req.card.as_ref();
    let device_id = match new.actor.kind {
        ActorKind::Device { device_id, .. } => Some(device_id),
        // A cashier signed in on a till: taken at that till.
        ActorKind::Staff { .. } => new.actor.till_device_id(),
    };
    let row: PaymentRow = tx
        .query_one(
            &format!(
                "INSERT INTO payments (tenant_id, id, outlet_id, order_id, client_payment_id, payload_hash, method, \
                        status, amount_minor, rounding_minor, tendered_minor, change_minor, card_approval_code, \
                        card_last4, card_brand, gateway, gateway_order_id, device_id, user_id, shift_id, paid_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                         CASE WHEN $8 = 'paid' THEN now() END) \
                 RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                new.id.into(),
                new.outlet_id.into(),
                new.order_id.into(),
                new.req.client_payment_id.into(),
                new.hash.to_vec().into(),
                new.req.method.as_str().into(),
                f.status.as_str().into(),
                f.amount_minor.into(),
                f.rounding_minor.into(),
                f.tendered_minor.into(),
                f.change_minor.into(),
                card.map(|c| c.approval_code.clone()).into(),
                card.and_then(|c| c.last4.clone()).into(),
                card.and_then(|c| c.brand).map(|b| b.as_str().to_string()).into(),
                f.gateway.into(),
                f.gateway_order_id.into(),
                device_id.into(),
                new.actor.user_id().into(),
                new.req.shift_id.into(),
            ],
        )
        .await?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let payment = Payment::try_from(row)?;
    super::audit(tx, Some(new.actor), "payment.create", &payment).await?;
    Ok(payment)
}

/// Charges a stored pending QRIS payment at the gateway and stores its QR
/// code; a charge the gateway would not make leaves the payment `failed`.
async fn charge(state: &AppState, scope: &Scope, payment: Payment, gateway_order_id: &str) -> Result<Payment> {
    let gateway = state.gateway.as_ref().ok_or(Error::Unavailable(Code::PaymentGatewayUnavailable))?;
    let charged = gateway.charge_qris(gateway_order_id, payment.amount_minor).await;
    let tx = scope.begin(state).await?;
    let order = lock_order(&tx, payment.order_id).await?;
    let row = super::lock(&tx, payment.id).await?;
    match charged {
        Ok(qr) if row.status == PaymentStatus::Pending.as_str() => {
            let stored: PaymentRow = tx
                .query_one(
                    &format!(
                        "UPDATE payments SET qr_string = $2, gateway_transaction_id = $3, expires_at = $4, \
                                updated_at = now() WHERE id = $1 RETURNING {COLUMNS}"
                    ),
                    [payment.id.into(), qr.qr_string.into(), qr.transaction_id.into(), qr.expires_at.into()],
                )
                .await?
                .ok_or(Error::NotFound)?;
            let payment = counted(Payment::try_from(stored)?);
            settle::announce(&tx, &order, &payment).await?;
            tx.commit().await?;
            Ok(payment)
        }
        // Settled one way or another while we waited (it cannot be paid
        // without its QR code, so this is the reconciliation job's doing).
        Ok(_) => {
            tx.commit().await?;
            Payment::try_from(row)
        }
        Err(e) => {
            tracing::warn!(payment_id = %payment.id, error = %e, "QRIS charge not made");
            if row.status == PaymentStatus::Pending.as_str() {
                let failed = charge_state::set_status(&tx, &row, PaymentStatus::Failed, None).await?;
                super::audit(&tx, None, "payment.failed", &failed).await?;
                settle::announce(&tx, &order, &counted(failed)).await?;
            }
            tx.commit().await?;
            Err(Error::Unavailable(Code::PaymentGatewayUnavailable))
        }
    }
}

/// Ends a pending charge at the gateway (`ending` is what we call it
/// locally: cancelled, or expired by the reconciliation job), or learns
/// that it was paid, and applies what the gateway says.
pub(crate) async fn cancel_charge(
    state: &AppState,
    scope: &Scope,
    order_id: Uuid,
    charge: &PendingCharge,
    ending: ChargeState,
) -> Result<charge_state::Applied> {
    let gateway = state.gateway.as_ref().ok_or(Error::Unavailable(Code::PaymentGatewayUnavailable))?;
    let report = match gateway.cancel(&charge.gateway_order_id).await {
        Ok(s) => Report {
            state: if s.state == ChargeState::Cancelled { ending } else { s.state },
            gross_amount_minor: charge.amount_minor,
            transaction_id: s.transaction_id,
        },
        // Paid, expired or never made: ask what it is.
        Err(GatewayError::Refused(_)) => match gateway.status(&charge.gateway_order_id).await {
            Ok(s) => {
                Report { state: s.state, gross_amount_minor: s.gross_amount_minor, transaction_id: s.transaction_id }
            }
            // Not known at the gateway: nobody can pay it.
            Err(GatewayError::Refused(_)) => {
                Report { state: ending, gross_amount_minor: charge.amount_minor, transaction_id: None }
            }
            Err(GatewayError::Unavailable(_)) => return Err(Error::Unavailable(Code::PaymentGatewayUnavailable)),
        },
        Err(GatewayError::Unavailable(_)) => return Err(Error::Unavailable(Code::PaymentGatewayUnavailable)),
    };
    let tx = scope.begin(state).await?;
    let applied = charge_state::apply(&tx, order_id, charge.id, &report).await?;
    tx.commit().await?;
    Ok(applied)
}
