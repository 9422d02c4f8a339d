use std::collections::HashMap;

use leptos::prelude::*;
use pos_wire::{AddRound, PairedDevice};
use uuid::Uuid;

use crate::{
    api::{self, ApiError},
    cart::CartLine,
    clock,
    tables::{self, QueuedRound, Seat},
    tables_text::{TableText, tt},
};

/// How sending the cart to a table went.
#[derive(Debug, Clone, PartialEq)]
pub enum RoundSent {
    /// The server has it: the check (new or not) is `order_id`.
    Sent { order_id: Uuid },
    /// Kept on the till until the network returns (a round of an open check).
    Queued { order_id: Uuid, rounds: Vec<QueuedRound> },
}

/// Why it could not be sent.
#[derive(Debug, Clone, PartialEq)]
pub enum NotSent {
    Api(ApiError),
    Storage(String),
}

/// Sends `lines` (with their `notes`) to `seat` as the cashier `me`: a new
/// check opens with them as its first round; an open check gets a round.
/// Without the server (or behind rounds of the same check still waiting)
/// it is queued, to be sent later exactly once and in order (a new check
/// by its `client_order_id`, a round by its `client_round_id`: both are
/// `round_id`, the same across tries).
pub async fn send_cart(
    me: &PairedDevice,
    seat: &Seat,
    round_id: Uuid,
    lines: &[CartLine],
    notes: &HashMap<Uuid, String>,
    priced_from: Option<String>,
) -> Result<RoundSent, NotSent> {
    let items = tables::round_lines(lines, notes);
    let (order_id, opens_table, guests) = match seat {
        Seat::NewCheck { table_id, guests, .. } => (round_id, Some(*table_id), Some(*guests)),
        Seat::Round { order_id, .. } => (*order_id, None, None),
    };
    let round = AddRound { client_round_id: round_id, lines: items };
    if opens_table.is_some() || !tables::must_queue(order_id) {
        let answer = match opens_table {
            Some(table_id) => {
                let mut body = tables::new_check(
                    me.outlet_id,
                    table_id,
                    round.lines.clone(),
                    priced_from.clone(),
                    guests,
                    clock::now_ms(),
                );
                body.client_order_id = round_id;
                api::place_order(me, &body).await
            }
            None => api::add_round(me, order_id, &round).await,
        };
        match answer {
            Ok(order) => return Ok(RoundSent::Sent { order_id: order.id }),
            Err(e) if !e.is_transient() => return Err(NotSent::Api(e)),
            Err(_) => {}
        }
    }
    let queued = QueuedRound {
        order_id,
        label: seat.label().to_owned(),
        round,
        token: me.device_token.clone(),
        queued_at_ms: clock::now_ms(),
        opens_table,
        priced_from,
        guests,
    };
    let rounds = tables::queue_round(queued).map_err(NotSent::Storage)?;
    Ok(RoundSent::Queued { order_id, rounds })
}

/// A note for each line of the cart ("no ice"), sent with the line to the
/// kitchen ticket.
#[component]
pub fn LineNotes(#[prop(into)] cart: Signal<Vec<CartLine>>, notes: RwSignal<HashMap<Uuid, String>>) -> impl IntoView {
    let note_rows = move || {
        cart.get()
            .into_iter()
            .map(|line| {
                let key = line.key;
                view! {
                    <li class="note-line">
                        <span>{format!("{}× {}", line.qty, line.name)}</span>
                        <input
                            class="line-note"
                            data-item=line.name.clone()
                            maxlength=tables::NOTE_MAX_CHARS.to_string()
                            placeholder=tt(TableText::NotePlaceholder)
                            prop:value=move || notes.with(|n| n.get(&key).cloned().unwrap_or_default())
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                notes.update(|n| {
                                    n.insert(key, text);
                                })
                            }
                        />
                    </li>
                }
            })
            .collect_view()
    };
    view! { <ul class="note-lines">{note_rows}</ul> }
}

/// Above the cart while it goes to a table: which table, a note for each
/// line, and the button that sends it to the kitchen.
#[component]
pub fn RoundBar(
    seat: RwSignal<Option<Seat>>,
    #[prop(into)] cart: Signal<Vec<CartLine>>,
    notes: RwSignal<HashMap<Uuid, String>>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_send: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="round-bar">
            <p class="round-seat">
                {tt(TableText::SendingTo)} " " <strong>{move || seat.with(|s| s.as_ref().map(|s| s.label().to_owned()))}</strong>
            </p>
            <GuestsPicker seat />
            <LineNotes cart notes />
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
            <div class="payment-actions">
                <button type="button" class="cancel-round" on:click=move |_| on_cancel.run(())>{tt(TableText::Cancel)}</button>
                <button
                    type="button"
                    class="primary send-round"
                    disabled=move || busy.get() || cart.with(Vec::is_empty)
                    on:click=move |_| on_send.run(())
                >
                    {tt(TableText::SendRound)}
                </button>
            </div>
        </div>
    }
}

/// How many guests a new check seats (1 to 99, changed later on the check).
#[component]
fn GuestsPicker(seat: RwSignal<Option<Seat>>) -> impl IntoView {
    let guests = move || match seat.get() {
        Some(Seat::NewCheck { guests, .. }) => Some(guests),
        _ => None,
    };
    let set = move |n: i32| {
        seat.update(|s| {
            if let Some(Seat::NewCheck { guests, .. }) = s {
                *guests = n.clamp(1, tables::MAX_GUESTS_PICKED);
            }
        })
    };
    move || {
        guests().map(|n| {
            view! {
                <div class="guests-picker">
                    <label for="guest-count">{tt(TableText::Guests)}</label>
                    <button type="button" class="qty-btn guests-less" disabled={n <= 1} on:click=move |_| set(n - 1)>"−"</button>
                    <input
                        id="guest-count"
                        class="guest-count"
                        type="number"
                        inputmode="numeric"
                        min="1"
                        max=tables::MAX_GUESTS_PICKED.to_string()
                        prop:value=n.to_string()
                        on:change=move |ev| {
                            // Out of range or not a number: back to what it was.
                            set(tables::parse_guests(&event_target_value(&ev), tables::MAX_GUESTS_PICKED).unwrap_or(n));
                        }
                    />
                    <button type="button" class="qty-btn guests-more" disabled={n >= tables::MAX_GUESTS_PICKED} on:click=move |_| set(n + 1)>"+"</button>
                </div>
            }
        })
    }
}

/// Notes for a counter sale's lines, folded away until wanted.
#[component]
pub fn SaleNotes(#[prop(into)] cart: Signal<Vec<CartLine>>, notes: RwSignal<HashMap<Uuid, String>>) -> impl IntoView {
    view! {
        <Show when=move || cart.with(|c| !c.is_empty())>
            <details class="sale-notes">
                <summary>{tt(TableText::Notes)}</summary>
                <LineNotes cart notes />
            </details>
        </Show>
    }
}
