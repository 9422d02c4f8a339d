//! The pickup board's state: which numbers are being prepared and which are
//! ready, loaded from the board's list (`GET /outlets/{id}/pickup`: numbers
//! and states only) and kept current by `pickup.updated` events.

use std::rc::Rc;

use leptos::prelude::*;
use pos_wire::{OrderStatus, PairedDevice, PickupEntry};
use uuid::Uuid;

use crate::{api, clock, events::LiveEvent, net::Connectivity, replay::ReloadReplay};

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
    /// Changes events bring while the list reloads.
    replay: Rc<ReloadReplay<PickupEntry>>,
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
        for entry in &self.replay.around(self.reload_once()).await {
            self.apply_entry(entry, false);
        }
    }

    async fn reload_once(&self) {
        let result = api::pickup_board(&self.device).await;
        self.connectivity.report(&result);
        match result {
            Ok(list) => {
                let mut latest: Vec<BoardEntry> =
                    list.iter().filter(|e| on_board(e.status)).map(|e| self.entry_for(e)).collect();
                latest.sort_by(|a, b| a.number.cmp(&b.number));
                self.entries.set(latest);
            }
            Err(e) => {
                if e.is_unauthorized() {
                    self.revoked.set(true);
                }
            }
        }
    }

    fn entry_for(&self, entry: &PickupEntry) -> BoardEntry {
        let known =
            self.entries.with_untracked(|e| e.iter().find(|x| x.order_id == entry.order_id).map(|x| x.ready_at_ms));
        BoardEntry {
            order_id: entry.order_id,
            number: entry.number.clone(),
            ready: entry.status == OrderStatus::Ready,
            ready_at_ms: known.unwrap_or_else(|| clock::ms_of(&entry.updated_at)),
        }
    }

    pub fn apply(&self, event: &LiveEvent) {
        match event {
            LiveEvent::PickupUpdated(entry) => {
                self.replay.record(entry);
                self.apply_entry(entry, true);
            }
            LiveEvent::Reset => {
                let board = self.clone();
                leptos::task::spawn_local(async move { board.reload().await });
            }
            _ => {}
        }
    }

    fn apply_entry(&self, entry: &PickupEntry, chime: bool) {
        let was_ready = self.entries.with_untracked(|e| e.iter().any(|x| x.order_id == entry.order_id && x.ready));
        let turned_ready = entry.status == OrderStatus::Ready && !was_ready;
        let mut shown = self.entry_for(entry);
        if turned_ready {
            shown.ready_at_ms = clock::now_ms();
        }
        self.entries.update(|entries| {
            entries.retain(|x| x.order_id != entry.order_id);
            if on_board(entry.status) {
                entries.push(shown);
                entries.sort_by(|a, b| a.number.cmp(&b.number));
            }
        });
        if turned_ready && chime {
            self.just_ready.set(Some((entry.order_id, clock::now_ms())));
            self.chime.update(|n| *n += 1);
        }
    }
}
