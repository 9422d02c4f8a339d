//! A manager's approval given on the spot: a cashier asks, a manager (or an
//! owner) types their PIN on the cashier's screen. The approver must be an
//! active owner, or an active manager with a membership in the outlet the
//! approval is for, and have a PIN set.
//!
//! PIN checks are rate limited (failures only: a right PIN gives its slot
//! back), so a cashier cannot try the million PINs of their manager: each
//! person asking has [`PIN_ATTEMPTS`] wrong PINs per approver and window,
//! and every approver [`APPROVER_ATTEMPTS`] from everyone together. One
//! cashier typing wrong PINs on purpose therefore locks only themselves out
//! of that manager's approvals, not the whole shop. Once a limit is reached
//! even the right PIN waits for the window to end. The PIN itself is never
//! stored, logged or echoed.

use std::time::Duration;

use pos_wire::{Approval, Role};
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{
    auth::{Actor, pin::Pin, rate_limit::RateLimiter},
    db::ScopedTx,
    error::{Code, Error, Result},
    tenancy::audit,
};

/// Wrong PINs allowed per person asking and approver in [`PIN_WINDOW`].
pub const PIN_ATTEMPTS: u32 = 5;
/// Wrong PINs allowed per approver from everyone together in [`PIN_WINDOW`].
pub const APPROVER_ATTEMPTS: u32 = 20;
pub const PIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Who may do something that needs a manager: the actor alone, or the actor
/// with the approval of `approved_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorised {
    pub approved_by: Option<Uuid>,
}

/// What an approval is given for, as the audit log names it.
#[derive(Debug, Clone, Copy)]
pub struct ApprovalFor<'a> {
    /// `refund`, `order.void`.
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Uuid,
    pub outlet_id: Uuid,
}

/// Owners and managers act alone; cashiers need an approval; everyone else
/// (kitchen staff, devices) is refused. An approval sent by an owner or
/// manager is checked and recorded too. Every approval granted goes into
/// the audit log.
pub async fn authorise(
    tx: &ScopedTx,
    limiter: &RateLimiter,
    actor: &Actor,
    approval: Option<&Approval>,
    what: ApprovalFor<'_>,
) -> Result<Authorised> {
    let role = actor.require_role(&[Role::Owner, Role::Manager, Role::Cashier])?;
    let approval = match (role, approval) {
        (_, Some(a)) => a,
        (Role::Cashier, None) => return Err(Error::Forbidden(Code::ApprovalRequired)),
        (_, None) => return Ok(Authorised { approved_by: None }),
    };
    let approver = check_approval(tx, limiter, actor, approval, what.outlet_id).await?;
    let after = serde_json::json!({"action": what.action, "entity": what.entity, "approved_by": approver});
    audit::record(
        tx,
        actor,
        "approval.grant",
        what.entity,
        Some(what.entity_id),
        Some(what.outlet_id),
        None,
        Some(after),
    )
    .await?;
    Ok(Authorised { approved_by: Some(approver) })
}

#[derive(FromQueryResult)]
struct ApproverRow {
    pin_hash: Option<String>,
}

/// The approver's id when `approval` is a right PIN of someone who may
/// approve at `outlet_id`, typed on `asker`'s screen.
pub async fn check_approval(
    tx: &ScopedTx,
    limiter: &RateLimiter,
    asker: &Actor,
    approval: &Approval,
    outlet_id: Uuid,
) -> Result<Uuid> {
    let pin = Pin::parse(&approval.pin).map_err(|e| Error::field("approval.pin", e))?;
    let approver: Option<ApproverRow> = tx
        .query_one(
            "SELECT u.pin_hash FROM users u \
              WHERE u.id = $1 AND u.active \
                AND (u.role = 'owner' OR (u.role = 'manager' AND EXISTS \
                     (SELECT 1 FROM user_outlets m WHERE m.user_id = u.id AND m.outlet_id = $2)))",
            [approval.approver_id.into(), outlet_id.into()],
        )
        .await?;
    let Some(hash) = approver.and_then(|a| a.pin_hash) else {
        return Err(Error::Forbidden(Code::ApproverNotAllowed));
    };
    let approver_key = format!("approval-pin:{}:{}", tx.tenant_id(), approval.approver_id);
    let (kind, id) = asker.audit_identity();
    let asker_key = format!("{approver_key}:{kind}:{id}");
    // A wrong PIN keeps its slots: it counts.
    let mine = limiter.acquire(&asker_key, PIN_ATTEMPTS, PIN_WINDOW).await?;
    let everyones = match limiter.acquire(&approver_key, APPROVER_ATTEMPTS, PIN_WINDOW).await {
        Ok(slot) => slot,
        Err(e) => {
            limiter.release(mine).await;
            return Err(e);
        }
    };
    if pin.matches(hash).await? {
        limiter.release(mine).await;
        limiter.release(everyones).await;
        Ok(approval.approver_id)
    } else {
        tracing::warn!(approver_id = %approval.approver_id, "approval refused: wrong PIN");
        Err(Error::Forbidden(Code::ApprovalPinWrong))
    }
}
