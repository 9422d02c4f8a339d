use leptos::prelude::*;

use crate::{clock, events::LinkState, i18n::Text, locale::tr};

/// Silence beyond this (or a dropped stream) means tickets may be missing.
const BEHIND_AFTER_MS: f64 = 20_000.0;

/// A loud banner while the display may be missing tickets: the live stream
/// is down or has said nothing for over 20 s. Says for how long.
#[component]
pub fn BehindBanner(
    #[prop(into)] state: Signal<LinkState>,
    #[prop(into)] last_contact_ms: Signal<f64>,
    #[prop(into)] now: Signal<f64>,
) -> impl IntoView {
    let silent_for = move || now.get() - last_contact_ms.get();
    let behind = move || state.get() == LinkState::Down || silent_for() > BEHIND_AFTER_MS;
    view! {
        <Show when=behind>
            <div class="behind-banner" role="alert">
                {tr(Text::BehindFor)} " " {move || clock::duration_label(silent_for())}
            </div>
        </Show>
    }
}
