use leptos::prelude::*;
use pos_wire::TicketStatus;
use uuid::Uuid;

use crate::{
    clock,
    i18n::Text,
    kitchen::{Kitchen, ShownTicket},
    locale::tr,
    storage::KdsSettings,
};

/// One station's part of one order: number, age (amber, then red, past the
/// set minutes), the lines, and one big button: bump (or dismiss, once the
/// order was cancelled, which strikes the ticket through at once).
#[component]
pub fn TicketCard(
    shown: ShownTicket,
    #[prop(into)] now: Signal<f64>,
    #[prop(into)] skew_ms: Signal<f64>,
    #[prop(into)] settings: Signal<KdsSettings>,
    on_bump: Callback<Uuid>,
    on_dismiss: Callback<Uuid>,
) -> impl IntoView {
    let ticket = shown.ticket.clone();
    let id = ticket.id;
    let cancelled = ticket.status == TicketStatus::Cancelled;
    let created_ms = clock::ms_of(&ticket.created_at);
    let age_ms = move || now.get() + skew_ms.get() - created_ms;
    let lateness = move || {
        let age_min = age_ms() / 60_000.0;
        let s = settings.get();
        if age_min >= f64::from(s.late_after_min) {
            "late"
        } else if age_min >= f64::from(s.warn_after_min) {
            "warn"
        } else {
            "ok"
        }
    };
    let fresh = move || Kitchen::is_fresh(&shown, now.get());
    let lines = ticket
        .lines
        .iter()
        .map(|line| {
            let mods = line.modifiers.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join(", ");
            view! {
                <li>
                    <span class="qty">{line.qty}</span>
                    " "
                    <span class="name">{line.name.clone()}</span>
                    {(!mods.is_empty()).then(|| view! { <span class="mods">{mods}</span> })}
                    {line.note.clone().map(|note| view! { <span class="note">{note}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <article
            class=move || format!("ticket {}", lateness())
            class:cancelled=cancelled
            class:fresh=fresh
            data-ticket-id=id.to_string()
            data-number=ticket.number.clone()
        >
            <header class="ticket-head">
                <span class="ticket-number">{ticket.number.clone()}</span>
                <span class="ticket-age">{move || clock::duration_label(age_ms())}</span>
            </header>
            <div class="ticket-meta">
                <span>{ticket.station.clone()}</span>
            </div>
            {cancelled.then(|| view! { <div class="cancelled-label">{tr(Text::Cancelled)}</div> })}
            <ul class="ticket-lines">{lines}</ul>
            {if cancelled {
                view! {
                    <button type="button" class="bump-button" on:click=move |_| on_dismiss.run(id)>
                        {tr(Text::Dismiss)}
                    </button>
                }
                    .into_any()
            } else {
                view! {
                    <button type="button" class="bump-button" on:click=move |_| on_bump.run(id)>
                        {tr(Text::Bump)}
                    </button>
                }
                    .into_any()
            }}
        </article>
    }
}
