//! The kitchen display's state: the open tickets (from `GET tickets`, kept
//! current by live events), recently bumped ones (to recall), and the
//! cook's bumps and recalls, which are saved in IndexedDB and sent in order,
//! with backoff, so a bump made while offline is not lost.

use std::{cell::Cell, collections::HashSet, rc::Rc};

use leptos::prelude::*;
use pos_wire::{OrderStatus, PairedDevice, Ticket, TicketStatus};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    api::{self, TicketMove},
    clock::{self, Alarm},
    db,
    events::LiveEvent,
    net::Connectivity,
    replay::ReloadReplay,
};

/// How long a new ticket stays highlighted.
const FRESH_MS: f64 = 10_000.0;
/// Bumped tickets kept at hand for recall.
const RECALLABLE: usize = 12;
/// Coalesces bursts of new orders (a replay after reconnecting) into one reload.
const RELOAD_DEBOUNCE_MS: u32 = 120;

/// A bump or recall waiting to be sent, as kept in [`db::KITCHEN_MOVES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedMove {
    pub id: String,
    pub ticket_id: Uuid,
    pub step: TicketMove,
    pub queued_at_ms: f64,
}

/// A ticket on screen. Cancelled ones stay (struck through) until dismissed.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownTicket {
    pub ticket: Ticket,
    /// When it first appeared here (for the highlight), ms.
    pub seen_at_ms: f64,
}

/// The display's state and its sender. Clones share it.
#[derive(Clone)]
pub struct Kitchen {
    device: Rc<PairedDevice>,
    connectivity: Connectivity,
    alarm: Alarm,
    reload_scheduled: Rc<Cell<bool>>,
    loaded_once: Rc<Cell<bool>>,
    /// Ticket events that arrive while the open tickets reload.
    replay: Rc<ReloadReplay<LiveEvent>>,
    /// Open and cancelled tickets, oldest first.
    pub tickets: RwSignal<Vec<ShownTicket>>,
    /// Bumped tickets, newest first.
    pub bumped: RwSignal<Vec<Ticket>>,
    /// Moves saved but not yet accepted by the server.
    pub queued: RwSignal<Vec<QueuedMove>>,
    /// Server clock minus device clock, ms (ticket ages use the server's).
    pub skew_ms: RwSignal<f64>,
    /// Bumped to ring the new-ticket sound.
    pub new_ticket_chime: RwSignal<u32>,
    pub revoked: RwSignal<bool>,
    pub last_error: RwSignal<Option<String>>,
    /// The open tickets have been loaded from the server at least once.
    pub loaded: RwSignal<bool>,
}

impl Kitchen {
    pub fn new(device: PairedDevice, connectivity: Connectivity) -> Kitchen {
        Kitchen {
            device: Rc::new(device),
            connectivity,
            alarm: Alarm::default(),
            reload_scheduled: Rc::default(),
            loaded_once: Rc::default(),
            replay: Rc::default(),
            tickets: RwSignal::new(Vec::new()),
            bumped: RwSignal::new(Vec::new()),
            queued: RwSignal::new(Vec::new()),
            skew_ms: RwSignal::new(0.0),
            new_ticket_chime: RwSignal::new(0),
            revoked: RwSignal::new(false),
            last_error: RwSignal::new(None),
            loaded: RwSignal::new(false),
        }
    }

    pub fn start(&self) {
        let kitchen = self.clone();
        leptos::task::spawn_local(async move {
            if let Ok(moves) = db::all::<QueuedMove>(db::KITCHEN_MOVES).await {
                kitchen.queued.set(sorted(moves));
            }
            kitchen.reload().await;
            kitchen.run_sender().await;
        });
    }

    /// Reloads open tickets soon (several calls in a burst make one reload).
    pub fn reload_soon(&self) {
        if self.reload_scheduled.replace(true) {
            return;
        }
        let kitchen = self.clone();
        leptos::task::spawn_local(async move {
            clock::sleep(RELOAD_DEBOUNCE_MS).await;
            kitchen.reload_scheduled.set(false);
            kitchen.reload().await;
        });
    }

    /// Replaces the open tickets with the server's, keeping what the cook
    /// did that the server has not heard of yet.
    pub async fn reload(&self) {
        // What arrived live while the answer was on its way wins over it.
        for event in &self.replay.around(self.reload_once()).await {
            self.apply_live(event, false);
        }
    }

    async fn reload_once(&self) {
        let result = api::open_tickets(&self.device).await;
        self.connectivity.report(&result);
        let (open, server_ms) = match result {
            Ok(answer) => answer,
            Err(e) => {
                if e.is_unauthorized() {
                    self.revoked.set(true);
                }
                return;
            }
        };
        if let Some(server_ms) = server_ms {
            // The Date header has whole seconds: only correct a real drift.
            let skew = server_ms - clock::now_ms();
            if skew.abs() > 2_000.0 {
                self.skew_ms.set(skew);
            }
        }
        if let Ok(bumped) = api::bumped_tickets(&self.device).await {
            self.bumped.set(bumped);
        }
        let queued = self.queued.get_untracked();
        let bumped_here: HashSet<Uuid> =
            queued.iter().filter(|m| m.step == TicketMove::Bump).map(|m| m.ticket_id).collect();
        let now = clock::now_ms();
        let first_load = !self.loaded_once.replace(true);
        let mut arrived = false;
        self.tickets.update(|shown| {
            let before: HashSet<Uuid> = shown.iter().map(|t| t.ticket.id).collect();
            let mut next: Vec<ShownTicket> = open
                .into_iter()
                .filter(|t| !bumped_here.contains(&t.id))
                .map(|ticket| {
                    let seen_at_ms = shown.iter().find(|s| s.ticket.id == ticket.id).map_or_else(
                        || {
                            arrived = true;
                            if first_load { 0.0 } else { now }
                        },
                        |s| s.seen_at_ms,
                    );
                    ShownTicket { ticket, seen_at_ms }
                })
                .collect();
            // Cancelled tickets stay struck through until the cook dismisses them.
            next.extend(shown.iter().filter(|s| s.ticket.status == TicketStatus::Cancelled).cloned());
            arrived &= !first_load && next.iter().any(|t| !before.contains(&t.ticket.id));
            sort_tickets(&mut next);
            *shown = next;
        });
        if arrived {
            self.new_ticket_chime.update(|n| *n += 1);
        }
        if first_load {
            self.loaded.set(true);
        }
    }

    /// Applies a live event.
    pub fn apply(&self, event: &LiveEvent) {
        if matches!(
            event,
            LiveEvent::TicketUpdated(_) | LiveEvent::OrderStatusChanged(_) | LiveEvent::OrderState { .. }
        ) {
            self.replay.record(event);
        }
        self.apply_live(event, true);
    }

    fn apply_live(&self, event: &LiveEvent, chime: bool) {
        match event {
            // New orders arrive as their tickets (`ticket.created`).
            LiveEvent::Reset => self.reload_soon(),
            LiveEvent::TicketUpdated(ticket) => self.apply_ticket((**ticket).clone(), chime),
            LiveEvent::OrderStatusChanged(order) => self.apply_order(order.id, order.status),
            LiveEvent::OrderState { order_id, status } => self.apply_order(*order_id, *status),
            _ => {}
        }
    }

    fn apply_ticket(&self, ticket: Ticket, chime: bool) {
        let now = clock::now_ms();
        match ticket.status {
            TicketStatus::Open => {
                let mut arrived = false;
                self.tickets.update(|shown| match shown.iter_mut().find(|s| s.ticket.id == ticket.id) {
                    Some(existing) => existing.ticket = ticket.clone(),
                    None => {
                        arrived = true;
                        shown.push(ShownTicket { ticket: ticket.clone(), seen_at_ms: now });
                        sort_tickets(shown);
                    }
                });
                self.bumped.update(|b| b.retain(|t| t.id != ticket.id));
                if arrived && chime {
                    self.new_ticket_chime.update(|n| *n += 1);
                }
            }
            TicketStatus::Bumped => {
                self.tickets.update(|shown| shown.retain(|s| s.ticket.id != ticket.id));
                self.bumped.update(|b| {
                    b.retain(|t| t.id != ticket.id);
                    b.insert(0, ticket);
                    b.truncate(RECALLABLE);
                });
            }
            TicketStatus::Cancelled => self.tickets.update(|shown| {
                if let Some(existing) = shown.iter_mut().find(|s| s.ticket.id == ticket.id) {
                    existing.ticket = ticket;
                }
            }),
        }
    }

    fn apply_order(&self, order_id: Uuid, status: OrderStatus) {
        let cancelled = status == OrderStatus::Cancelled;
        self.tickets.update(|shown| {
            for s in shown.iter_mut().filter(|s| s.ticket.order_id == order_id) {
                s.ticket.order_status = status;
                if cancelled {
                    s.ticket.status = TicketStatus::Cancelled;
                }
            }
        });
        if cancelled {
            self.bumped.update(|b| b.retain(|t| t.order_id != order_id));
        }
    }

    /// The cook clears a cancelled ticket off the screen.
    pub fn dismiss(&self, ticket_id: Uuid) {
        self.tickets.update(|shown| shown.retain(|s| s.ticket.id != ticket_id));
    }

    /// Bumps at once on screen; the server hears of it as soon as it can.
    pub async fn bump(&self, ticket_id: Uuid) {
        let Some(shown) = self.tickets.with_untracked(|t| t.iter().find(|s| s.ticket.id == ticket_id).cloned()) else {
            return;
        };
        self.tickets.update(|t| t.retain(|s| s.ticket.id != ticket_id));
        let mut ticket = shown.ticket;
        ticket.status = TicketStatus::Bumped;
        self.bumped.update(|b| {
            b.insert(0, ticket);
            b.truncate(RECALLABLE);
        });
        self.queue_move(ticket_id, TicketMove::Bump).await;
    }

    /// Brings a bumped ticket back on screen and to the server.
    pub async fn recall(&self, ticket_id: Uuid) {
        let Some(mut ticket) = self.bumped.with_untracked(|b| b.iter().find(|t| t.id == ticket_id).cloned()) else {
            return;
        };
        // Recalling a bump the server never heard of just forgets the bump.
        let unsent = self.queued.with_untracked(|q| {
            q.iter().find(|m| m.ticket_id == ticket_id && m.step == TicketMove::Bump).map(|m| m.id.clone())
        });
        self.bumped.update(|b| b.retain(|t| t.id != ticket_id));
        ticket.status = TicketStatus::Open;
        ticket.bumped_at = None;
        self.tickets.update(|t| {
            t.push(ShownTicket { ticket, seen_at_ms: 0.0 });
            sort_tickets(t);
        });
        match unsent {
            Some(id) => {
                let _ = db::delete(db::KITCHEN_MOVES, &id).await;
                self.queued.update(|q| q.retain(|m| m.id != id));
            }
            None => self.queue_move(ticket_id, TicketMove::Recall).await,
        }
    }

    async fn queue_move(&self, ticket_id: Uuid, step: TicketMove) {
        let queued = QueuedMove { id: Uuid::now_v7().to_string(), ticket_id, step, queued_at_ms: clock::now_ms() };
        if let Err(e) = db::put(db::KITCHEN_MOVES, &queued).await {
            // Still sent from memory while the page lives.
            leptos::logging::warn!("move not saved: {e}");
        }
        self.queued.update(|q| q.push(queued));
        self.alarm.ring();
    }

    /// The network is back: send now.
    pub fn send_now(&self) {
        self.alarm.ring();
    }

    async fn run_sender(&self) {
        let mut failures = 0;
        loop {
            let Some(next) = self.queued.with_untracked(|q| q.first().cloned()) else {
                failures = 0;
                self.alarm.wait(60_000).await;
                continue;
            };
            if !self.connectivity.browser_online.get_untracked() {
                self.alarm.wait(60_000).await;
                continue;
            }
            let result = api::move_ticket(&self.device, next.ticket_id, next.step).await;
            self.connectivity.report(&result);
            match result {
                Ok(ticket) => {
                    self.done(&next).await;
                    self.apply(&LiveEvent::TicketUpdated(Box::new(ticket)));
                    failures = 0;
                    self.last_error.set(None);
                }
                Err(e) if e.is_unauthorized() => {
                    self.revoked.set(true);
                    return;
                }
                Err(e) if !e.is_transient() => {
                    // 409/404: someone else moved it first. The server's view wins.
                    self.done(&next).await;
                    self.last_error.set(Some(e.summary()));
                    self.reload().await;
                }
                Err(e) => {
                    failures += 1;
                    self.last_error.set(Some(e.summary()));
                    self.alarm.wait(clock::backoff_ms(failures)).await;
                }
            }
        }
    }

    async fn done(&self, queued: &QueuedMove) {
        let _ = db::delete(db::KITCHEN_MOVES, &queued.id).await;
        self.queued.update(|q| q.retain(|m| m.id != queued.id));
    }

    /// A ticket is highlighted as new for a few seconds.
    pub fn is_fresh(shown: &ShownTicket, now_ms: f64) -> bool {
        shown.seen_at_ms > 0.0 && now_ms - shown.seen_at_ms < FRESH_MS
    }
}

fn sorted(mut moves: Vec<QueuedMove>) -> Vec<QueuedMove> {
    moves.sort_by(|a, b| a.queued_at_ms.total_cmp(&b.queued_at_ms));
    moves
}

fn sort_tickets(tickets: &mut [ShownTicket]) {
    tickets.sort_by(|a, b| a.ticket.created_at.cmp(&b.ticket.created_at).then(a.ticket.id.cmp(&b.ticket.id)));
}

/// Item name -> quantity over `tickets` (open ones only), most first.
pub fn all_day_counts<'a>(tickets: impl Iterator<Item = &'a Ticket>) -> Vec<(String, i32)> {
    let mut counts: Vec<(String, i32)> = Vec::new();
    for line in tickets.filter(|t| t.status == TicketStatus::Open).flat_map(|t| &t.lines) {
        match counts.iter_mut().find(|(name, _)| *name == line.name) {
            Some((_, qty)) => *qty += line.qty,
            None => counts.push((line.name.clone(), line.qty)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}
