//! The pickup board's state: which numbers are being prepared and which are
//! ready, loaded from the orders list and kept current by live events.

use std::rc::Rc;

use leptos::prelude::*;
use pos_wire::{Order, OrderStatus, PairedDevice};
use uuid::Uuid;

use crate::{api, clock, events::LiveEvent, net::Connectivity, replay::ReloadReplay};

/// Orders older than this are not on the board (a forgotten one from yesterday).
const LOOKBACK_MS: i64 = 12 * 3600 * 1000;

#[derive(Debug, Clone, PartialEq)]
pub struct BoardEntry {
    pub order_id: Uuid,
    pub number: String,
    pub ready: bool,
    /// When it turned ready here, ms (the newest ready numbers come first).
    pub ready_at_ms: f64,
}

#[derive(Clone)]
pub struct Board {
    device: Rc<PairedDevice>,
    connectivity: Connectivity,
    pub entries: RwSignal<Vec<BoardEntry>>,
    /// Bumped when a number turns ready (rings the chime).
    pub chime: RwSignal<u32>,
    /// The number that turned ready last, highlighted for a while.
    pub just_ready: RwSignal<Option<(Uuid, f64)>>,
    pub revoked: RwSignal<bool>,
    /// Orders events bring while the lists reload.
    replay: Rc<ReloadReplay<Order>>,
}

fn on_board(status: OrderStatus) -> bool {
    matches!(status, OrderStatus::Placed | OrderStatus::Accepted | OrderStatus::Preparing | OrderStatus::Ready)
}

impl Board {
    pub fn new(device: PairedDevice, connectivity: Connectivity) -> Board {
        Board {
            device: Rc::new(device),
            connectivity,
            entries: RwSignal::new(Vec::new()),
            chime: RwSignal::new(0),
            just_ready: RwSignal::new(None),
            revoked: RwSignal::new(false),
            replay: Rc::default(),
        }
    }

    /// Reloads every order still in progress or ready.
    pub async fn reload(&self) {
        for order in &self.replay.around(self.reload_once()).await {
            self.apply_order(order, false);
        }
    }

    async fn reload_once(&self) {
        let from = chrono::DateTime::from_timestamp_millis(clock::now_ms() as i64 - LOOKBACK_MS).unwrap_or_default();
        let mut entries = Vec::new();
        for status in [OrderStatus::Placed, OrderStatus::Accepted, OrderStatus::Preparing, OrderStatus::Ready] {
            let result = api::orders_in_status(&self.device, status, from).await;
            self.connectivity.report(&result);
            match result {
                Ok(page) => entries.extend(page.items.iter().map(|o| self.entry_for(o))),
                Err(e) => {
                    if e.is_unauthorized() {
                        self.revoked.set(true);
                    }
                    return;
                }
            }
        }
        // The lists are read one after another: an order that moved on in
        // between is in two of them, and the later read is the newer.
        let mut latest: Vec<BoardEntry> = Vec::with_capacity(entries.len());
        for entry in entries.into_iter().rev() {
            if !latest.iter().any(|e| e.order_id == entry.order_id) {
                latest.push(entry);
            }
        }
        latest.sort_by(|a, b| a.number.cmp(&b.number));
        self.entries.set(latest);
    }

    fn entry_for(&self, order: &Order) -> BoardEntry {
        let known = self.entries.with_untracked(|e| e.iter().find(|x| x.order_id == order.id).map(|x| x.ready_at_ms));
        BoardEntry {
            order_id: order.id,
            number: order.number.clone(),
            ready: order.status == OrderStatus::Ready,
            ready_at_ms: known.unwrap_or_else(|| clock::ms_of(&order.updated_at)),
        }
    }

    pub fn apply(&self, event: &LiveEvent) {
        match event {
            LiveEvent::OrderCreated(order) | LiveEvent::OrderStatusChanged(order) => {
                self.replay.record(order);
                self.apply_order(order, true);
            }
            LiveEvent::Reset => {
                let board = self.clone();
                leptos::task::spawn_local(async move { board.reload().await });
            }
            _ => {}
        }
    }

    fn apply_order(&self, order: &Order, chime: bool) {
        let was_ready = self.entries.with_untracked(|e| e.iter().any(|x| x.order_id == order.id && x.ready));
        let turned_ready = order.status == OrderStatus::Ready && !was_ready;
        let mut entry = self.entry_for(order);
        if turned_ready {
            entry.ready_at_ms = clock::now_ms();
        }
        self.entries.update(|entries| {
            entries.retain(|x| x.order_id != order.id);
            if on_board(order.status) {
                entries.push(entry);
                entries.sort_by(|a, b| a.number.cmp(&b.number));
            }
        });
        if turned_ready && chime {
            self.just_ready.set(Some((order.id, clock::now_ms())));
            self.chime.update(|n| *n += 1);
        }
    }
}
