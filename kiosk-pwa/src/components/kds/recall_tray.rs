use leptos::prelude::*;
use pos_wire::Ticket;
use uuid::Uuid;

use crate::{i18n::Text, locale::tr};

/// Tickets bumped recently, newest first, each with a recall button.
#[component]
pub fn RecallTray(#[prop(into)] bumped: Signal<Vec<Ticket>>, on_recall: Callback<Uuid>) -> impl IntoView {
    let rows = move || {
        bumped
            .get()
            .into_iter()
            .take(6)
            .map(|ticket| {
                let id = ticket.id;
                view! {
                    <li data-ticket-id=id.to_string()>
                        <strong>{ticket.number.clone()}</strong>
                        <span>{ticket.station.clone()}</span>
                        <button type="button" class="recall-button" on:click=move |_| on_recall.run(id)>
                            {tr(Text::Recall)}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="recall-section">
            <h2>{tr(Text::RecentlyBumped)}</h2>
            <Show
                when=move || bumped.with(|b| !b.is_empty())
                fallback=move || view! { <p class="hint">{tr(Text::NothingToRecall)}</p> }
            >
                <ul class="recall-list">{rows}</ul>
            </Show>
        </section>
    }
}
