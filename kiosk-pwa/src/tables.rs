//! Table service at the till, as plain logic: where the cart goes (a new
//! check at a free table, or a round on an open one), the lines of a round
//! with their notes, the floor as the cashier sees it (free, or the check's
//! balance and age), and the rounds queued while the server cannot be
//! reached: kept in localStorage in the order taken, each sent until the
//! server answers for it (its `client_round_id` makes a repeat one round).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use pos_wire::{
    AddRound, Area, Channel, CheckRound, CreateOrder, DiningTable, Order, OrderLine, OrderLineRequest,
    OrderPaymentStatus, PairedDevice,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{api::ApiError, cart::CartLine, clock};

const ROUNDS_KEY: &str = "pos.till.rounds";
/// The server's limit on a line's note.
pub const NOTE_MAX_CHARS: usize = 140;

/// Where the cart goes when the cashier sends it.
#[derive(Debug, Clone, PartialEq)]
pub enum Seat {
    /// A free table: sending opens its check (the first round) for `guests`.
    NewCheck { table_id: Uuid, label: String, guests: i32 },
    /// An open check: sending adds a round.
    Round { order_id: Uuid, label: String },
}

impl Seat {
    pub fn label(&self) -> &str {
        match self {
            Seat::NewCheck { label, .. } | Seat::Round { label, .. } => label,
        }
    }
}

/// The guests the till's picker offers for a new check.
pub const MAX_GUESTS_PICKED: i32 = 99;
/// The most guests the server seats at one check (typed on the check).
pub const MAX_GUESTS: i32 = 999;

/// A number of guests as typed: within 1 and `max`, else none.
pub fn parse_guests(raw: &str, max: i32) -> Option<i32> {
    raw.trim().parse::<i32>().ok().filter(|n| (1..=max).contains(n))
}

/// A note as sent: trimmed, at most the server's length, none when blank.
pub fn clean_note(note: &str) -> Option<String> {
    let note: String = note.trim().chars().take(NOTE_MAX_CHARS).collect();
    (!note.is_empty()).then_some(note)
}

/// The cart's lines as the server takes them, each with its note (by cart line key).
pub fn round_lines(lines: &[CartLine], notes: &HashMap<Uuid, String>) -> Vec<OrderLineRequest> {
    let mut items: Vec<OrderLineRequest> = lines.iter().map(CartLine::request).collect();
    apply_notes(&mut items, lines, notes);
    items
}

/// Gives each of `items` (made from `lines`, in their order) its line's note.
pub fn apply_notes(items: &mut [OrderLineRequest], lines: &[CartLine], notes: &HashMap<Uuid, String>) {
    for (item, line) in items.iter_mut().zip(lines) {
        item.note = notes.get(&line.key).and_then(|n| clean_note(n));
    }
}

/// A new check at `table_id` with its first round.
pub fn new_check(
    outlet_id: Uuid,
    table_id: Uuid,
    items: Vec<OrderLineRequest>,
    priced_from: Option<String>,
    guest_count: Option<i32>,
    now_ms: f64,
) -> CreateOrder {
    CreateOrder {
        client_order_id: Uuid::now_v7(),
        outlet_id,
        channel: Channel::Table,
        customer_name: None,
        table: None,
        table_id: Some(table_id),
        guest_count,
        created_at_client: clock::utc_of(now_ms),
        items,
        number: None,
        priced_from,
    }
}

/// A round taken at the till, kept until the server has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedRound {
    pub order_id: Uuid,
    /// The table's label when it was taken, for the screen.
    pub label: String,
    pub round: AddRound,
    /// The cashier's token: the round is recorded under their name.
    pub token: String,
    pub queued_at_ms: f64,
    /// The round opens a check at this table (taken offline): `order_id`
    /// is then the new check's `client_order_id` until the server has it.
    #[serde(default)]
    pub opens_table: Option<Uuid>,
    /// The menu the lines were priced from (for a check opened offline).
    #[serde(default)]
    pub priced_from: Option<String>,
    /// The guests of a check opened offline.
    #[serde(default)]
    pub guests: Option<i32>,
}

/// The rounds waiting to be sent, oldest first.
pub fn queued_rounds() -> Vec<QueuedRound> {
    LocalStorage::get(ROUNDS_KEY).unwrap_or_default()
}

fn store_rounds(rounds: &[QueuedRound]) -> Result<(), String> {
    if rounds.is_empty() {
        LocalStorage::delete(ROUNDS_KEY);
        return Ok(());
    }
    LocalStorage::set(ROUNDS_KEY, rounds).map_err(|e| e.to_string())
}

/// Keeps `round` to send later (after those already waiting).
pub fn queue_round(round: QueuedRound) -> Result<Vec<QueuedRound>, String> {
    let mut rounds = queued_rounds();
    if !rounds.iter().any(|r| r.round.client_round_id == round.round.client_round_id) {
        rounds.push(round);
    }
    store_rounds(&rounds)?;
    Ok(rounds)
}

/// What became of one queued round when it was sent.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    /// The server has it (now, or from an earlier try).
    Landed,
    /// No answer, or the server in trouble: it and every round after it wait.
    Later,
    /// The server refused it for good (check closed meanwhile, item gone...).
    Refused(ApiError),
}

pub fn sent(answer: &Result<Order, ApiError>) -> Sent {
    match answer {
        Ok(_) => Sent::Landed,
        // A cashier's token that ran out: kept until someone signs in again.
        Err(e) if e.is_transient() || e.is_unauthorized() => Sent::Later,
        Err(e) => Sent::Refused(e.clone()),
    }
}

/// Whether a round for `order_id` must wait behind rounds already queued
/// for it (so that it does not overtake them).
pub fn must_queue(order_id: Uuid) -> bool {
    queued_rounds().iter().any(|r| r.order_id == order_id)
}

/// What sending the queued rounds did.
#[derive(Debug, Default)]
pub struct Flushed {
    /// Still waiting, oldest first.
    pub waiting: Vec<QueuedRound>,
    pub refused: Vec<(QueuedRound, ApiError)>,
    /// Checks opened offline, now on the server: (client id, server id).
    pub opened: Vec<(Uuid, Uuid)>,
}

/// Sends the queued rounds in the order taken, stopping at the first that
/// must wait (so that a check's rounds never overtake each other). A check
/// opened offline is placed first (exactly once, by its client id) and the
/// rounds after it follow it to its server id; when another till seated the
/// table meanwhile, its lines join that check as a round.
pub async fn send_queued(till: &PairedDevice) -> Flushed {
    let mut done = Flushed::default();
    loop {
        let rounds = queued_rounds();
        let Some(first) = rounds.first().cloned() else {
            done.waiting = rounds;
            return done;
        };
        let cashier = PairedDevice { device_token: first.token.clone(), ..till.clone() };
        let answer = match first.opens_table {
            Some(table_id) => {
                let mut body = new_check(
                    till.outlet_id,
                    table_id,
                    first.round.lines.clone(),
                    first.priced_from.clone(),
                    first.guests,
                    first.queued_at_ms,
                );
                body.client_order_id = first.order_id;
                crate::api::place_order(&cashier, &body).await
            }
            None => crate::api::add_round(&cashier, first.order_id, &first.round).await,
        };
        let mut follow = None;
        match (sent(&answer), first.opens_table) {
            (Sent::Later, _) => {
                done.waiting = rounds;
                return done;
            }
            (Sent::Landed, Some(_)) => follow = answer.ok().map(|o| o.id),
            (Sent::Landed, None) => {}
            (Sent::Refused(e), Some(table_id)) if e.status() == Some(409) => {
                match crate::api::dining_table(&cashier, table_id).await.map(|t| t.open_check_id) {
                    // Seated meanwhile: the lines go to that check, as a round.
                    Ok(Some(check)) => {
                        retarget(first.order_id, check);
                        done.opened.push((first.order_id, check));
                        continue;
                    }
                    Ok(None) => done.refused.push((first.clone(), e)),
                    Err(_) => {
                        done.waiting = rounds;
                        return done;
                    }
                }
            }
            (Sent::Refused(e), _) => done.refused.push((first.clone(), e)),
        }
        // Read again: a round may have been queued while this one was on its way.
        let mut rounds = queued_rounds();
        rounds.retain(|r| r.round.client_round_id != first.round.client_round_id);
        if let Some(server_id) = follow {
            for r in rounds.iter_mut().filter(|r| r.order_id == first.order_id) {
                r.order_id = server_id;
            }
            done.opened.push((first.order_id, server_id));
        }
        if store_rounds(&rounds).is_err() {
            done.waiting = rounds;
            return done;
        }
    }
}

/// Queued rounds of check `from` (opened offline) go to check `to` as rounds.
fn retarget(from: Uuid, to: Uuid) {
    let mut rounds = queued_rounds();
    for r in rounds.iter_mut().filter(|r| r.order_id == from) {
        r.order_id = to;
        r.opens_table = None;
    }
    let _ = store_rounds(&rounds);
}

/// A table as the floor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct FloorTable {
    pub table: DiningTable,
    /// Its open check, as last loaded.
    pub check: Option<Order>,
}

impl FloorTable {
    pub fn is_free(&self) -> bool {
        self.table.open_check_id.is_none()
    }

    /// What is left to pay on its check.
    pub fn balance_minor(&self) -> Option<i64> {
        self.check.as_ref().map(|c| c.total_minor - c.paid_minor)
    }
}

/// The floor: areas in their order, each table under its area.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Floor {
    pub areas: Vec<Area>,
    pub tables: Vec<FloorTable>,
}

impl Floor {
    pub fn new(mut areas: Vec<Area>, tables: Vec<DiningTable>, mut checks: HashMap<Uuid, Order>) -> Floor {
        areas.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        let mut tables: Vec<FloorTable> = tables
            .into_iter()
            .map(|table| {
                let check = table.open_check_id.and_then(|id| checks.remove(&id));
                FloorTable { table, check }
            })
            .collect();
        tables.sort_by(|a, b| (a.table.position, &a.table.label).cmp(&(b.table.position, &b.table.label)));
        Floor { areas, tables }
    }

    /// `check` as loaded just now: its table shows it while it is open, and
    /// is free once it is paid or closed.
    pub fn follow(&mut self, check: &Order) {
        let open = check.status != pos_wire::OrderStatus::Cancelled
            && matches!(check.payment_status, OrderPaymentStatus::Unpaid | OrderPaymentStatus::PartiallyPaid);
        for t in &mut self.tables {
            let here = check.table_id == Some(t.table.id) && open;
            if here {
                t.table.open_check_id = Some(check.id);
                t.check = Some(check.clone());
            } else if t.table.open_check_id == Some(check.id) {
                t.table.open_check_id = None;
                t.check = None;
            }
        }
    }

    pub fn in_area(&self, area_id: Uuid) -> impl Iterator<Item = &FloorTable> {
        self.tables.iter().filter(move |t| t.table.area_id == area_id)
    }

    pub fn free(&self) -> impl Iterator<Item = &FloorTable> {
        self.tables.iter().filter(|t| t.is_free())
    }

    /// Tables with an open check other than `order_id`'s.
    pub fn other_checks(&self, order_id: Uuid) -> impl Iterator<Item = &FloorTable> {
        self.tables.iter().filter(move |t| t.table.open_check_id.is_some_and(|id| id != order_id))
    }
}

/// How long a check has been open, in whole minutes.
pub fn age_minutes(opened: &DateTime<Utc>, now_ms: f64) -> i64 {
    ((now_ms - clock::ms_of(opened)) / 60_000.0).max(0.0) as i64
}

/// "12 min", "1 h 05".
pub fn age_label(minutes: i64) -> String {
    if minutes < 60 { format!("{minutes} min") } else { format!("{} h {:02}", minutes / 60, minutes % 60) }
}

/// The lines picked to split off (whole lines), as the server takes them.
pub fn split_lines(order: &Order, picked: &[Uuid]) -> Vec<pos_wire::SplitLine> {
    order
        .items
        .iter()
        .filter(|l| picked.contains(&l.line_id))
        .map(|l| pos_wire::SplitLine { line_id: l.line_id, qty: l.qty })
        .collect()
}

/// A check's lines by round, in the order taken: first those that came
/// with the check (in no round), then each round's. Lines of rounds not
/// known (yet) stay in the first group, so that every line shows once.
pub fn lines_by_round<'a>(order: &'a Order, rounds: &[CheckRound]) -> Vec<Vec<&'a OrderLine>> {
    let round_of = |line: &OrderLine| rounds.iter().position(|r| r.line_ids.contains(&line.line_id));
    let mut groups: Vec<Vec<&OrderLine>> = vec![Vec::new(); rounds.len() + 1];
    for line in &order.items {
        groups[round_of(line).map_or(0, |i| i + 1)].push(line);
    }
    groups.retain(|g| !g.is_empty());
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(name: &str, qty: i32) -> CartLine {
        CartLine {
            key: Uuid::new_v4(),
            item_id: Uuid::new_v4(),
            name: name.into(),
            options: vec![],
            unit_price_minor: 10_000,
            qty,
        }
    }

    #[test]
    fn notes_go_with_their_line_trimmed_and_bounded() {
        let lines = [line("Es Teh", 2), line("Nasi Goreng", 1)];
        let mut notes = HashMap::new();
        notes.insert(lines[0].key, "  no ice ".to_owned());
        notes.insert(lines[1].key, "   ".to_owned());
        let sent = round_lines(&lines, &notes);
        assert_eq!(sent[0].note.as_deref(), Some("no ice"));
        assert_eq!(sent[0].qty, 2);
        assert_eq!(sent[1].note, None);
        assert_eq!(clean_note(&"x".repeat(300)).map(|n| n.chars().count()), Some(NOTE_MAX_CHARS));
    }

    #[test]
    fn ages_read_in_minutes_then_hours() {
        let opened = clock::utc_of(1_000_000.0);
        assert_eq!(age_minutes(&opened, 1_000_000.0 + 12.5 * 60_000.0), 12);
        assert_eq!(age_minutes(&opened, 0.0), 0);
        assert_eq!(age_label(12), "12 min");
        assert_eq!(age_label(65), "1 h 05");
    }

    #[test]
    fn only_definite_answers_take_a_round_off_the_queue() {
        let problem = |status| {
            ApiError::Problem(pos_wire::Problem {
                status,
                ..serde_json::from_str(r#"{"type":"about:blank","title":"x","status":409}"#).unwrap()
            })
        };
        assert_eq!(sent(&Err(ApiError::Unreachable)), Sent::Later);
        assert_eq!(sent(&Err(problem(503))), Sent::Later);
        assert_eq!(sent(&Err(problem(401))), Sent::Later);
        assert!(matches!(sent(&Err(problem(409))), Sent::Refused(_)));
    }

    fn check() -> Order {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::nil(), "client_order_id": Uuid::nil(), "outlet_id": Uuid::nil(), "number": "1",
            "status": "accepted", "channel": "table", "customer_name": null, "table": "A1", "items": [],
            "subtotal_minor": 0, "service_charge_minor": 0, "tax_minor": 0, "total_minor": 0, "currency": "IDR",
            "flags": [], "cancel_reason": null, "created_at_client": "2026-01-01T00:00:00Z",
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    fn table(label: &str) -> DiningTable {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::new_v4(), "outlet_id": Uuid::nil(), "area_id": Uuid::nil(), "label": label, "seats": 4,
            "position": 0, "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn the_floor_follows_a_check_as_loaded() {
        let (a, b) = (table("A1"), table("A2"));
        let mut floor = Floor::new(vec![], vec![a.clone(), b.clone()], HashMap::new());
        let mut c = Order { id: Uuid::new_v4(), table_id: Some(a.id), ..check() };
        floor.follow(&c);
        assert_eq!(floor.free().map(|t| t.table.label.as_str()).collect::<Vec<_>>(), ["A2"]);
        assert_eq!(floor.tables[0].balance_minor(), Some(0));
        // Moved to A2, then paid: A2 is free again.
        c.table_id = Some(b.id);
        floor.follow(&c);
        assert_eq!(floor.free().map(|t| t.table.label.as_str()).collect::<Vec<_>>(), ["A1"]);
        c.payment_status = OrderPaymentStatus::Paid;
        floor.follow(&c);
        assert_eq!(floor.free().count(), 2);
    }

    #[test]
    fn lines_group_by_round_opening_lines_first() {
        let mut order = check();
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::new_v4()).collect();
        order.items = ids
            .iter()
            .map(|id| OrderLine {
                line_id: *id,
                menu_item_id: Uuid::nil(),
                name: id.to_string(),
                qty: 1,
                unit_price_minor: 1,
                line_total_minor: 1,
                discount_minor: 0,
                modifiers: vec![],
                note: None,
                station: None,
            })
            .collect();
        let round = |lines: &[Uuid]| CheckRound {
            client_round_id: Uuid::new_v4(),
            line_ids: lines.to_vec(),
            created_at: clock::utc_of(0.0),
        };
        let rounds = [round(&[ids[1], ids[3]]), round(&[ids[2]])];
        let groups: Vec<Vec<Uuid>> =
            lines_by_round(&order, &rounds).iter().map(|g| g.iter().map(|l| l.line_id).collect()).collect();
        assert_eq!(groups, [vec![ids[0]], vec![ids[1], ids[3]], vec![ids[2]]]);
        // Without rounds (not loaded, or none): one group, every line once.
        assert_eq!(lines_by_round(&order, &[]).concat().len(), 4);
    }
}
