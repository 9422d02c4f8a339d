use leptos::prelude::*;

use crate::{i18n::Text, locale::tr};

/// How many of each item the open tickets still need ("all day").
#[component]
pub fn AllDayCounts(#[prop(into)] counts: Signal<Vec<(String, i32)>>) -> impl IntoView {
    let rows = move || {
        counts
            .get()
            .into_iter()
            .map(|(name, qty)| {
                view! {
                    <li>
                        <span>{name}</span>
                        <strong>{qty}</strong>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="all-day-section">
            <h2>{tr(Text::AllDay)}</h2>
            <ul class="all-day">{rows}</ul>
        </section>
    }
}
