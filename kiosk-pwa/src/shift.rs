//! The till's shift: the shift this till sells in (kept across reloads, so
//! a till that restarts offline keeps selling in it), counting the drawer
//! by Rupiah note and coin, and the queue of cash movements and the close.
//!
//! Opening a shift needs the server (it assigns the shift and keeps one
//! open per till); everything after works offline. Cash movements and the
//! close wait in localStorage and are sent in order, exactly once (the
//! server keys them by `client_movement_id` / `client_close_id`), and only
//! once every sale queued before them has reached the server, so that the
//! Z report counts them.

use gloo_storage::{LocalStorage, Storage};
use pos_wire::{CashMovementKind, CloseShift, CreateCashMovement, DenominationCount, PairedDevice, Shift};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    api::{self, ApiError},
    db,
    queue::{Delivery, QueuedOrder},
};

const SHIFT_KEY: &str = "pos.till.shift";
const OPS_KEY: &str = "pos.till.shift_ops";

/// Rupiah notes, largest first.
pub const NOTES: [i64; 7] = [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000];
/// Rupiah coins, largest first (Rp 1.000 exists as a note and as a coin).
pub const COINS: [i64; 4] = [1_000, 500, 200, 100];
/// Quick amounts for the opening float.
pub const FLOATS: [i64; 4] = [100_000, 200_000, 300_000, 500_000];

/// The shift this till sells in, as last known.
pub fn stored_shift() -> Option<Shift> {
    LocalStorage::get::<Shift>(SHIFT_KEY).ok()
}

pub fn remember_shift(shift: Option<&Shift>) {
    match shift {
        // Best effort: without it the till asks the server after a reload.
        Some(s) => {
            let _ = LocalStorage::set(SHIFT_KEY, s);
        }
        None => LocalStorage::delete(SHIFT_KEY),
    }
}

/// A drawer counted piece by piece: how many of each of [`NOTES`] and [`COINS`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DrawerCount {
    pub notes: [i64; NOTES.len()],
    pub coins: [i64; COINS.len()],
}

impl DrawerCount {
    pub fn total_minor(&self) -> i64 {
        let notes: i64 = NOTES.iter().zip(self.notes).map(|(v, n)| v * n).sum();
        let coins: i64 = COINS.iter().zip(self.coins).map(|(v, n)| v * n).sum();
        notes + coins
    }

    /// The count as the server takes it: one entry per value (notes and
    /// coins of the same value together), largest first, none of zero.
    pub fn denominations(&self) -> Vec<DenominationCount> {
        let mut out: Vec<DenominationCount> = Vec::new();
        let pieces = NOTES.iter().zip(self.notes).chain(COINS.iter().zip(self.coins));
        for (&value_minor, count) in pieces.filter(|(_, n)| *n > 0) {
            match out.iter_mut().find(|d| d.value_minor == value_minor) {
                Some(d) => d.count += count,
                None => out.push(DenominationCount { value_minor, count }),
            }
        }
        out.sort_by_key(|d| std::cmp::Reverse(d.value_minor));
        out
    }

    /// The close sent for this count (keyed by `client_close_id`).
    pub fn close(&self, client_close_id: Uuid) -> CloseShift {
        CloseShift {
            counted_minor: Some(self.total_minor()),
            denominations: Some(self.denominations()),
            client_close_id: Some(client_close_id),
        }
    }
}

/// What a queued shift operation does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ShiftAction {
    Movement(CreateCashMovement),
    Close(CloseShift),
}

/// A cash movement or a close waiting to reach the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftOp {
    pub shift_id: Uuid,
    pub queued_at_ms: f64,
    /// The cashier who did it (recorded under their name whoever sends it).
    pub token: String,
    pub action: ShiftAction,
}

pub fn movement(kind: CashMovementKind, amount_minor: i64, reason: &str) -> CreateCashMovement {
    CreateCashMovement { client_movement_id: Uuid::now_v7(), kind, amount_minor, reason: reason.trim().to_owned() }
}

pub fn queued_ops() -> Vec<ShiftOp> {
    LocalStorage::get::<Vec<ShiftOp>>(OPS_KEY).unwrap_or_default()
}

fn save_ops(ops: &[ShiftOp]) -> Result<(), String> {
    LocalStorage::set(OPS_KEY, ops).map_err(|e| e.to_string())
}

/// Saves `op` at the end of the queue (before anything is sent).
pub fn queue_op(op: ShiftOp) -> Result<(), String> {
    let mut ops = queued_ops();
    ops.push(op);
    save_ops(&ops)
}

/// How sending the queue went.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// Everything went (a close answers the closed shift).
    Done(Option<Shift>),
    /// Sales queued before the next operation are still on their way, or
    /// the network failed: it stays queued.
    Waiting,
    /// The server refused one: it is taken off the queue (the cashier is told).
    Refused(ShiftOp, ApiError),
}

/// Whether sales queued at or before `at_ms` are still waiting to be sent.
fn sales_waiting(orders: &[QueuedOrder], at_ms: f64) -> bool {
    orders.iter().any(|o| matches!(o.state, Delivery::Pending | Delivery::Placing) && o.queued_at_ms <= at_ms)
}

/// Sends the queued operations in order, each once every sale queued
/// before it has reached the server.
pub async fn send_ops(till: &PairedDevice) -> Sent {
    let mut closed = None;
    loop {
        let ops = queued_ops();
        let Some(op) = ops.first().cloned() else { return Sent::Done(closed) };
        let orders: Vec<QueuedOrder> = db::all(db::ORDERS).await.unwrap_or_default();
        if sales_waiting(&orders, op.queued_at_ms) {
            return Sent::Waiting;
        }
        let me = PairedDevice { device_token: op.token.clone(), ..till.clone() };
        let result = match &op.action {
            ShiftAction::Movement(body) => api::move_cash(&me, op.shift_id, body).await.map(|()| None),
            ShiftAction::Close(body) => api::close_shift(&me, op.shift_id, body).await.map(Some),
        };
        // Taken off only once answered; a crash before that resends it (exactly once on the server).
        let rest: Vec<ShiftOp> = queued_ops().into_iter().filter(|o| o != &op).collect();
        match result {
            Ok(shift) => {
                let _ = save_ops(&rest);
                closed = shift.or(closed);
            }
            Err(e) if e.is_transient() || e.is_unauthorized() => return Sent::Waiting,
            Err(e) => {
                let _ = save_ops(&rest);
                return Sent::Refused(op, e);
            }
        }
    }
}

/// Cash that moved in (+) or out (−) of `shift_id`'s drawer and has not reached the server yet.
pub fn queued_cash(shift_id: Uuid) -> i64 {
    queued_ops()
        .iter()
        .filter(|o| o.shift_id == shift_id)
        .map(|o| match &o.action {
            ShiftAction::Movement(m) if m.kind == CashMovementKind::In => m.amount_minor,
            ShiftAction::Movement(m) => -m.amount_minor,
            ShiftAction::Close(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawer_counted_by_note_and_coin_totals_and_merges_the_thousands() {
        let mut count = DrawerCount::default();
        count.notes[0] = 3; // 3 × 100.000
        count.notes[6] = 2; // 2 × 1.000 notes
        count.coins[0] = 5; // 5 × 1.000 coins
        count.coins[3] = 4; // 4 × 100
        assert_eq!(count.total_minor(), 300_000 + 2_000 + 5_000 + 400);
        let sent: Vec<(i64, i64)> = count.denominations().iter().map(|d| (d.value_minor, d.count)).collect();
        assert_eq!(sent, [(100_000, 3), (1_000, 7), (100, 4)]);
        let close = count.close(Uuid::nil());
        assert_eq!(close.counted_minor, Some(307_400));
        assert!(DrawerCount::default().denominations().is_empty());
    }

    #[test]
    fn an_operation_waits_for_the_sales_queued_before_it() {
        let order = |state, at: f64| {
            let mut o: QueuedOrder = serde_json::from_value(serde_json::json!({
                "client_order_id": Uuid::nil(), "state": "pending", "shown_total_minor": 0, "currency": "IDR",
                "queued_at_ms": at,
                "body": {"client_order_id": Uuid::nil(), "outlet_id": Uuid::nil(), "channel": "counter",
                         "created_at_client": "2026-01-01T00:00:00Z", "items": []}
            }))
            .unwrap();
            o.state = state;
            o
        };
        assert!(sales_waiting(&[order(Delivery::Pending, 10.0)], 20.0));
        assert!(!sales_waiting(&[order(Delivery::Pending, 30.0)], 20.0), "a later sale does not hold it");
        assert!(!sales_waiting(&[order(Delivery::Confirmed, 10.0), order(Delivery::Attention, 10.0)], 20.0));
    }
}
