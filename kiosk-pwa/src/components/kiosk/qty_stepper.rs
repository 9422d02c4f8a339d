use leptos::prelude::*;

use crate::{cart::MAX_QTY, i18n::Text, locale::tr};

/// − and + around a quantity; `on_step` hears −1 or +1. Below `min` (and
/// above the most a line may have) the button waits.
#[component]
pub fn QtyStepper(
    #[prop(into)] qty: Signal<i32>,
    min: i32,
    /// The cart's smaller version.
    #[prop(optional)]
    small: bool,
    on_step: Callback<i32>,
) -> impl IntoView {
    view! {
        <div class="stepper" class:small=small>
            <button
                type="button"
                aria-label=tr(Text::Less)
                disabled=move || { qty.get() <= min }
                on:click=move |_| on_step.run(-1)
            >
                "−"
            </button>
            <output class="qty">{qty}</output>
            <button
                type="button"
                aria-label=tr(Text::More)
                disabled=move || { qty.get() >= MAX_QTY }
                on:click=move |_| on_step.run(1)
            >
                "+"
            </button>
        </div>
    }
}
