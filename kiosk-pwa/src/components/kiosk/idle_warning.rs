use leptos::prelude::*;

use super::kiosk_screen::{IDLE_WARNING_MS, KioskStep};
use crate::{i18n::Text, locale::tr};

/// "Still there?" with a countdown, before an abandoned order is cleared.
#[component]
pub fn IdleWarning(
    #[prop(into)] step: Signal<KioskStep>,
    #[prop(into)] last_touch: Signal<f64>,
    #[prop(into)] now: Signal<f64>,
    limit_ms: f64,
    on_stay: Callback<()>,
) -> impl IntoView {
    let left_ms = move || limit_ms - (now.get() - last_touch.get());
    let showing = move || matches!(step.get(), KioskStep::Menu | KioskStep::Checkout) && left_ms() < IDLE_WARNING_MS;
    view! {
        <Show when=showing>
            <div class="sheet-backdrop" on:click=move |_| on_stay.run(())>
                <div class="idle-warning" role="alertdialog" aria-modal="true">
                    <h2>{tr(Text::StillThere)}</h2>
                    <p>
                        {tr(Text::StartingOverIn)} " "
                        <strong>{move || format!("{}", (left_ms() / 1000.0).ceil().max(0.0))}</strong> " s"
                    </p>
                    <button type="button" class="primary" on:click=move |_| on_stay.run(())>
                        {tr(Text::ImHere)}
                    </button>
                </div>
            </div>
        </Show>
    }
}
