//! Discounts on an order or one of its lines: a percentage or an amount,
//! with a reason, exactly once per `client_discount_id`, taken off before
//! service charge and tax (`super::recompute`). Only an order nothing was
//! paid (or is being paid) on, neither cancelled nor void, is discounted;
//! a discount is removed the same way, before payment.
//!
//! The outlet's `discount_limit_bp` bounds what a cashier gives alone: a
//! discount taking more than that share of what it applies to, or bringing
//! the order's discounts above that share of its item sales (so small
//! discounts cannot be stacked past it), needs a manager's (or owner's) PIN
//! on the spot (`crate::approvals`, rate limited as for refunds). Owners
//! and managers discount without one.
//!
//! A till that lost the network queues its discounts after their order
//! ([`add_queued_discount`], through `sync/push`): the manager's PIN rides
//! sealed to the server's key (`crate::till::approval_seal`) and is checked
//! at replay with the same rules and limiter. A PIN that does not check out
//! cannot undo the sale (the money was taken at the discounted price): the
//! discount is kept, marked `approval_unverified`, written to the audit log
//! and counted in the shift's reports.

pub mod http;
mod offline_approval;

pub use offline_approval::add_queued_discount;

use chrono::{DateTime, Utc};
use pos_wire::{CreateDiscount, Discount, DiscountKind, DiscountTerms, Order, Role, above_limit, discount_amounts};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::recompute::{announce, discount_terms, line_totals, lock_open, recompute};
use crate::{
    approvals::{self, ApprovalFor},
    auth::{Actor, rate_limit::RateLimiter},
    db::ScopedTx,
    error::{Code, CodedError, Error, FieldErrors, Result},
    tenancy::audit,
};

const REASON_MAX: usize = 200;
/// The largest amount a discount names (as the largest payment).
const MAX_AMOUNT: i64 = crate::payments::take::MAX_AMOUNT;

#[derive(Debug, Clone, FromQueryResult)]
struct DiscountRow {
    id: Uuid,
    client_discount_id: Uuid,
    order_id: Uuid,
    line_id: Option<Uuid>,
    kind: String,
    value: i64,
    amount_minor: i64,
    reason: String,
    user_id: Option<Uuid>,
    approved_by: Option<Uuid>,
    approval_unverified: bool,
    created_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, client_discount_id, order_id, line_id, kind, value, amount_minor, reason, user_id, \
                       approved_by, approval_unverified, created_at";

impl TryFrom<DiscountRow> for Discount {
    type Error = Error;

    fn try_from(r: DiscountRow) -> Result<Discount> {
        Ok(Discount {
            id: r.id,
            client_discount_id: r.client_discount_id,
            order_id: r.order_id,
            line_id: r.line_id,
            kind: DiscountKind::try_from(r.kind.as_str()).map_err(anyhow::Error::from)?,
            value: r.value,
            amount_minor: r.amount_minor,
            reason: r.reason,
            user_id: r.user_id,
            approved_by: r.approved_by,
            approval_unverified: r.approval_unverified,
            created_at: r.created_at,
        })
    }
}

/// Fills each order's `discounts` (those in force, oldest first).
pub async fn attach(tx: &ScopedTx, orders: &mut [Order]) -> Result<()> {
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let rows: Vec<DiscountRow> = tx
        .query_all(
            &format!(
                "SELECT {COLUMNS} FROM order_discounts WHERE order_id = ANY($1) AND removed_at IS NULL \
                 ORDER BY created_at, id"
            ),
            [ids.into()],
        )
        .await?;
    for row in rows {
        let discount = Discount::try_from(row)?;
        if let Some(order) = orders.iter_mut().find(|o| o.id == discount.order_id) {
            order.discounts.push(discount);
        }
    }
    Ok(())
}

/// A discount request that passed its field checks.
#[derive(Debug, Clone, PartialEq)]
struct DiscountRequest {
    client_discount_id: Uuid,
    terms: DiscountTerms,
    reason: String,
    /// Given at a till while offline (through the queue).
    offline: bool,
}

impl DiscountRequest {
    fn parse(req: &CreateDiscount) -> Result<DiscountRequest> {
        let mut errors = FieldErrors::new();
        let max = match req.kind {
            DiscountKind::Percent => 10_000,
            DiscountKind::Amount => MAX_AMOUNT,
        };
        if !(1..=max).contains(&req.value) {
            errors.add("value", CodedError::out_of_range(1, max));
        }
        let reason = errors.take("reason", crate::tenancy::names::reason(&req.reason, REASON_MAX));
        errors.finish()?;
        Ok(DiscountRequest {
            client_discount_id: req.client_discount_id,
            terms: DiscountTerms { line_id: req.line_id, kind: req.kind, value: req.value },
            reason: reason.unwrap_or_default(),
            offline: false,
        })
    }

    /// What makes a replay the same request (never the approval's PIN).
    fn payload_hash(&self, order_id: Uuid) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(order_id.as_bytes());
        h.update(self.terms.line_id.unwrap_or_default().as_bytes());
        h.update(self.terms.kind.as_str().as_bytes());
        h.update(self.terms.value.to_be_bytes());
        h.update(self.reason.as_bytes());
        h.finalize().to_vec()
    }
}

/// What became of a discount request.
pub enum Discounted {
    Created(Order),
    /// The same `client_discount_id` and content again: the order as it is now.
    Replayed(Order),
}

/// Discounts order `order_id` as `req` says (see the module docs).
pub async fn add_discount(
    tx: &ScopedTx,
    limiter: &RateLimiter,
    actor: &Actor,
    order_id: Uuid,
    req: &CreateDiscount,
) -> Result<Discounted> {
    let request = DiscountRequest::parse(req)?;
    discount_order(tx, actor, order_id, &request, |order, role| async move {
        if role == Role::Cashier && req.approval.is_none() {
            return Err(Error::Forbidden(Code::DiscountAboveLimit));
        }
        let what = ApprovalFor { action: "discount", entity: "order", entity_id: order.id, outlet_id: order.outlet_id };
        let approved = approvals::authorise(tx, limiter, actor, req.approval.as_ref(), what).await?;
        Ok(Approved { approved_by: approved.approved_by, unverified: None })
    })
    .await
}

/// How a discount above the limit was approved.
#[derive(Debug, Clone, PartialEq)]
struct Approved {
    approved_by: Option<Uuid>,
    /// Given offline without an approval the server could verify: why not.
    unverified: Option<&'static str>,
}

/// The discount of `request` on order `order_id`, exactly once per
/// `client_discount_id`; above the limit, `approve` says who approved it
/// (or refuses it) for the locked order and the actor's role.
async fn discount_order<F, Fut>(
    tx: &ScopedTx,
    actor: &Actor,
    order_id: Uuid,
    request: &DiscountRequest,
    approve: F,
) -> Result<Discounted>
where
    F: FnOnce(Order, Role) -> Fut,
    Fut: Future<Output = Result<Approved>>,
{
    let role = actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier])?;
    let hash = request.payload_hash(order_id);
    let order = super::get(tx, actor, order_id).await?;
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 2))",
        [request.client_discount_id.to_string().into()],
    )
    .await?;
    if let Some(existing) = by_client_id(tx, request.client_discount_id).await? {
        return replay(tx, actor, &existing, order_id, &hash).await;
    }

    let order = lock_open(tx, order.id).await?;
    if let Some(line_id) = request.terms.line_id
        && (line_id.is_nil() || !order.items.iter().any(|l| l.line_id == line_id))
    {
        return Err(Error::field("line_id", Code::DiscountLineUnknown));
    }
    let in_force = discount_terms(tx, order.id).await?;
    let mut terms: Vec<DiscountTerms> = in_force.iter().map(|(_, t, _)| *t).collect();
    let lines = line_totals(&order.items);
    let before = discount_amounts(&lines, &terms);
    terms.push(request.terms);
    let after = discount_amounts(&lines, &terms);
    let amount = after.last().copied().unwrap_or(0);
    let base = match request.terms.line_id {
        Some(line_id) => {
            let line_total = lines.iter().find(|(id, _)| *id == line_id).map_or(0, |(_, t)| *t);
            let taken: i64 =
                in_force.iter().zip(&before).filter(|((_, t, _), _)| t.line_id == Some(line_id)).map(|(_, a)| a).sum();
            line_total - taken
        }
        None => order.subtotal_minor - before.iter().sum::<i64>(),
    };
    let limit_bp = discount_limit(tx, order.outlet_id).await?;
    let needs_manager = above_limit(&request.terms, amount, base, after.iter().sum(), order.subtotal_minor, limit_bp);
    let approved = if needs_manager {
        approve(order.clone(), role).await?
    } else {
        Approved { approved_by: None, unverified: None }
    };

    let row: DiscountRow = tx
        .query_one(
            &format!(
                "INSERT INTO order_discounts (tenant_id, id, outlet_id, order_id, client_discount_id, payload_hash, \
                        line_id, kind, value, amount_minor, reason, user_id, approved_by, approval_unverified, offline) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING {COLUMNS}"
            ),
            [
                tx.tenant_id().into(),
                Uuid::now_v7().into(),
                order.outlet_id.into(),
                order.id.into(),
                request.client_discount_id.into(),
                hash.into(),
                request.terms.line_id.into(),
                request.terms.kind.as_str().into(),
                request.terms.value.into(),
                amount.into(),
                request.reason.clone().into(),
                actor.user_id().into(),
                approved.approved_by.into(),
                approved.unverified.is_some().into(),
                request.offline.into(),
            ],
        )
        .await?
        .ok_or_else(|| Error::internal("insert returned nothing"))?;
    let discount = Discount::try_from(row)?;
    let updated = recompute(tx, order.id, order.items.clone()).await?;
    let was = serde_json::json!({"discount_minor": order.discount_minor, "total_minor": order.total_minor});
    let mut record = serde_json::to_value(&discount).map_err(anyhow::Error::from)?;
    record["order_discount_minor"] = updated.discount_minor.into();
    record["order_total_minor"] = updated.total_minor.into();
    record["offline"] = request.offline.into();
    if let Some(why) = approved.unverified {
        record["approval_unverified_because"] = why.into();
    }
    audit::record(
        tx,
        actor,
        "discount.create",
        "discount",
        Some(discount.id),
        Some(order.outlet_id),
        Some(was),
        Some(record),
    )
    .await?;
    if let Some(why) = approved.unverified {
        tracing::warn!(discount_id = %discount.id, order_id = %order.id, why, "offline discount kept unverified");
        let after = serde_json::json!({"because": why, "amount_minor": discount.amount_minor, "order_id": order.id});
        audit::record(
            tx,
            actor,
            "discount.approval_unverified",
            "discount",
            Some(discount.id),
            Some(order.outlet_id),
            None,
            Some(after),
        )
        .await?;
    }
    Ok(Discounted::Created(announce(tx, actor, order.id).await?))
}

/// The same `client_discount_id` again: the order as it is now when the
/// request is the same (even if the discount was removed since), 409 when not.
async fn replay(tx: &ScopedTx, actor: &Actor, existing: &Stored, order_id: Uuid, hash: &[u8]) -> Result<Discounted> {
    if existing.payload_hash != hash || existing.order_id != order_id {
        return Err(Error::conflict(Code::ClientDiscountIdReused));
    }
    Ok(Discounted::Replayed(super::read(tx, actor, order_id).await?))
}

#[derive(Debug, FromQueryResult)]
struct Stored {
    order_id: Uuid,
    payload_hash: Vec<u8>,
}

async fn by_client_id(tx: &ScopedTx, client_discount_id: Uuid) -> Result<Option<Stored>> {
    tx.query_one(
        "SELECT order_id, payload_hash FROM order_discounts WHERE client_discount_id = $1",
        [client_discount_id.into()],
    )
    .await
}

async fn discount_limit(tx: &ScopedTx, outlet_id: Uuid) -> Result<i32> {
    let rows = tx.query_raw("SELECT discount_limit_bp FROM outlets WHERE id = $1", [outlet_id.into()]).await?;
    crate::db::opt_row(&rows, "discount_limit_bp")?.ok_or(Error::NotFound)
}

/// Takes a discount off an order before payment; the order as it is now.
/// Removing one already removed changes nothing.
pub async fn remove_discount(tx: &ScopedTx, actor: &Actor, order_id: Uuid, discount_id: Uuid) -> Result<Order> {
    actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier])?;
    let order = super::get(tx, actor, order_id).await?;
    let found: Option<DiscountRow> = tx
        .query_one(
            &format!("SELECT {COLUMNS} FROM order_discounts WHERE id = $1 AND order_id = $2"),
            [discount_id.into(), order.id.into()],
        )
        .await?;
    let discount = Discount::try_from(found.ok_or(Error::NotFound)?)?;
    let order = lock_open(tx, order.id).await?;
    let removed = tx
        .query_raw(
            "UPDATE order_discounts SET removed_at = now(), removed_by = $2 WHERE id = $1 AND removed_at IS NULL \
             RETURNING id",
            [discount_id.into(), actor.user_id().into()],
        )
        .await?;
    if !removed.is_empty() {
        let updated = recompute(tx, order.id, order.items.clone()).await?;
        let before = serde_json::to_value(&discount).map_err(anyhow::Error::from)?;
        let after = serde_json::json!({"removed": true, "order_discount_minor": updated.discount_minor,
                                       "order_total_minor": updated.total_minor});
        announce(tx, actor, order.id).await?;
        audit::record(
            tx,
            actor,
            "discount.remove",
            "discount",
            Some(discount.id),
            Some(order.outlet_id),
            Some(before),
            Some(after),
        )
        .await?;
    }
    super::read(tx, actor, order.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(kind: DiscountKind, value: i64, reason: &str) -> CreateDiscount {
        CreateDiscount {
            client_discount_id: Uuid::nil(),
            line_id: None,
            kind,
            value,
            reason: reason.into(),
            approval: None,
        }
    }

    #[test]
    fn fields_are_checked() {
        assert!(DiscountRequest::parse(&body(DiscountKind::Percent, 10_000, "staff meal")).is_ok());
        assert!(DiscountRequest::parse(&body(DiscountKind::Amount, 5_000, " loyal ")).is_ok());
        for (kind, value, reason) in [
            (DiscountKind::Percent, 0, "x"),
            (DiscountKind::Percent, 10_001, "x"),
            (DiscountKind::Amount, -1, "x"),
            (DiscountKind::Amount, 10, " "),
            (DiscountKind::Amount, 10, "a\u{7}b"),
        ] {
            assert!(
                matches!(DiscountRequest::parse(&body(kind, value, reason)), Err(Error::Validation(_))),
                "{value} {reason:?}"
            );
        }
    }

    #[test]
    fn the_pin_is_not_part_of_a_replay() {
        let order = Uuid::now_v7();
        let a = DiscountRequest::parse(&body(DiscountKind::Percent, 500, "birthday")).unwrap();
        let mut approved = body(DiscountKind::Percent, 500, "birthday ");
        approved.approval = Some(pos_wire::Approval { approver_id: Uuid::nil(), pin: "1234".into() });
        assert_eq!(a.payload_hash(order), DiscountRequest::parse(&approved).unwrap().payload_hash(order));
        let other = DiscountRequest::parse(&body(DiscountKind::Amount, 500, "birthday")).unwrap();
        assert_ne!(a.payload_hash(order), other.payload_hash(order));
    }
}
