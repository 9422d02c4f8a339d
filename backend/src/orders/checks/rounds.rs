//! A round: more lines for a check, priced by the server as `POST /orders`
//! prices them, fired to the kitchen as tickets of their own (the rest of
//! the check is not sent again), exactly once per `client_round_id`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use pos_wire::{AddRound, CheckRound, LiveEvent, Order, OrderStatus};
use sea_orm::FromQueryResult;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{lock_check, may_work_checks};
use crate::{
    auth::Actor,
    db::ScopedTx,
    error::{Code, Error, Result},
    orders::{
        intake::price_now,
        lifecycle::Move,
        recompute::{announce, recompute},
        status::set_status,
    },
    stock::sales::WhenShort,
    tenancy::audit,
};

/// The most lines a check collects.
pub const MAX_CHECK_LINES: usize = 500;

pub enum Round {
    Added(Order),
    /// The same `client_round_id` and content again: the check as it is now.
    Replayed(Order),
}

fn payload_hash(order_id: Uuid, req: &AddRound) -> Vec<u8> {
    let canonical = serde_json::to_vec(&(order_id, &req.lines)).unwrap_or_default();
    Sha256::digest(&canonical).to_vec()
}

pub async fn add_round(tx: &ScopedTx, actor: &Actor, order_id: Uuid, req: AddRound) -> Result<Round> {
    may_work_checks(actor)?;
    let seen = crate::orders::get(tx, actor, order_id).await?;
    let hash = payload_hash(seen.id, &req);
    tx.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 3))", [req.client_round_id.to_string().into()])
        .await?;
    #[derive(FromQueryResult)]
    struct Stored {
        payload_hash: Vec<u8>,
    }
    let stored: Option<Stored> = tx
        .query_one("SELECT payload_hash FROM check_rounds WHERE client_round_id = $1", [req.client_round_id.into()])
        .await?;
    if let Some(stored) = stored {
        if stored.payload_hash != hash {
            return Err(Error::conflict(Code::ClientRoundIdReused));
        }
        return Ok(Round::Replayed(crate::orders::read(tx, actor, seen.id).await?));
    }

    let order = lock_check(tx, actor, seen.id).await?;
    if order.status == OrderStatus::Completed {
        return Err(Error::conflict(Code::OrderNotOpen));
    }
    let new_lines = price_now(tx, order.outlet_id, &req.lines).await?;
    if order.items.len() + new_lines.len() > MAX_CHECK_LINES {
        return Err(Error::field("lines", crate::error::CodedError::too_many(Code::TooManyLines, MAX_CHECK_LINES)));
    }
    let mut lines = order.items.clone();
    lines.extend(new_lines.iter().cloned());
    let updated = recompute(tx, order.id, lines).await?;
    crate::stock::sales::take_for_order(
        tx,
        &updated,
        &new_lines,
        WhenShort::Refuse,
        actor.user_id(),
        actor.till_device_id(),
    )
    .await?;
    let line_ids: Vec<Uuid> = new_lines.iter().map(|l| l.line_id).collect();
    tx.execute(
        "INSERT INTO check_rounds (tenant_id, id, outlet_id, order_id, client_round_id, payload_hash, line_ids, user_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
            tx.tenant_id().into(),
            Uuid::now_v7().into(),
            order.outlet_id.into(),
            order.id.into(),
            req.client_round_id.into(),
            hash.into(),
            line_ids.clone().into(),
            actor.user_id().into(),
        ],
    )
    .await?;
    let tickets = crate::kitchen::fire_lines(tx, &updated, &new_lines).await?;
    tx.append_events(order.outlet_id, tickets.into_iter().map(LiveEvent::TicketCreated).collect()).await?;
    if updated.status == OrderStatus::Ready {
        // Back to the kitchen for the new round.
        set_status(tx, updated.clone(), OrderStatus::Preparing, None, Move::NewRound).await?;
    }
    let after = serde_json::json!({"client_round_id": req.client_round_id, "line_ids": line_ids,
                                   "subtotal_minor": updated.subtotal_minor, "total_minor": updated.total_minor});
    audit::record(tx, actor, "check.round", "order", Some(order.id), Some(order.outlet_id), None, Some(after)).await?;
    Ok(Round::Added(announce(tx, actor, order.id).await?))
}

/// The rounds added to check `order_id`, oldest first, each with its lines
/// still on the check (rounds whose lines all went elsewhere are left out).
pub async fn list_rounds(tx: &ScopedTx, actor: &Actor, order_id: Uuid) -> Result<Vec<CheckRound>> {
    may_work_checks(actor)?;
    let order = crate::orders::get(tx, actor, order_id).await?;
    #[derive(FromQueryResult)]
    struct Row {
        client_round_id: Uuid,
        line_ids: Vec<Uuid>,
        created_at: DateTime<Utc>,
    }
    let rows: Vec<Row> = tx
        .query_all(
            "SELECT client_round_id, line_ids, created_at FROM check_rounds WHERE order_id = $1 ORDER BY created_at, id",
            [order.id.into()],
        )
        .await?;
    let on_check: HashSet<Uuid> = order.items.iter().map(|l| l.line_id).collect();
    Ok(rows
        .into_iter()
        .map(|r| CheckRound {
            client_round_id: r.client_round_id,
            line_ids: r.line_ids.into_iter().filter(|id| on_check.contains(id)).collect(),
            created_at: r.created_at,
        })
        .filter(|r| !r.line_ids.is_empty())
        .collect())
}
