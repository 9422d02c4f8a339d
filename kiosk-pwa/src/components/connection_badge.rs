use leptos::prelude::*;

use crate::{
    i18n::{Text, moves_waiting, orders_waiting, t},
    locale::use_locale,
    net::Connectivity,
};

/// Online or offline, and how much waits to be sent: orders on a kiosk,
/// bumps (`kitchen`) on a kitchen display.
#[component]
pub fn ConnectionBadge(
    connectivity: Connectivity,
    #[prop(into)] pending: Signal<usize>,
    #[prop(optional)] kitchen: bool,
) -> impl IntoView {
    let locale = use_locale();
    let online = move || connectivity.online();
    let waiting = move || {
        let n = pending.get();
        if kitchen { moves_waiting(locale.get(), n) } else { orders_waiting(locale.get(), n) }
    };
    view! {
        <div class="connection" class:offline=move || !online() role="status" aria-live="polite">
            <span class="dot" aria-hidden="true"></span>
            <span class="state">{move || t(locale.get(), if online() { Text::Online } else { Text::Offline })}</span>
            <Show when=move || { pending.get() > 0 }>
                <span class="pending" data-pending=move || pending.get()>
                    {waiting}
                </span>
            </Show>
        </div>
    }
}
