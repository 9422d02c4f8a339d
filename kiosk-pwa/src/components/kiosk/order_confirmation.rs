use leptos::prelude::*;
use pos_wire::OrderStatus;

use crate::{
    confirmation::Confirmation,
    i18n::{Text, t},
    locale::{tr, use_locale},
    money::format_money,
    queue::Delivery,
};

/// The pickup number, large, following the order live until it is ready.
#[component]
pub fn OrderConfirmation(
    #[prop(into)] confirmation: Signal<Option<Confirmation>>,
    on_done: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let status_text = move || {
        confirmation.with(|c| {
            let c = c.as_ref()?;
            Some(match (c.delivery, c.status) {
                (Delivery::Attention | Delivery::Handled, _) => Text::StatusAttention,
                (_, Some(OrderStatus::Ready)) => Text::StatusReady,
                (_, Some(OrderStatus::Completed)) => Text::StatusCompleted,
                (_, Some(OrderStatus::Cancelled)) => Text::StatusCancelled,
                (_, Some(OrderStatus::Preparing | OrderStatus::Accepted)) => Text::StatusPreparing,
                (Delivery::Confirmed, _) => Text::StatusSent,
                (Delivery::Pending | Delivery::Placing, _) => Text::StatusSaved,
            })
        })
    };
    let state = move || match status_text() {
        Some(Text::StatusReady) => "ready",
        Some(Text::StatusCancelled | Text::StatusAttention) => "problem",
        Some(Text::StatusSaved) => "saved",
        _ => "sent",
    };
    let number = move || confirmation.with(|c| c.as_ref().and_then(|c| c.number.clone()));
    let total = move || confirmation.with(|c| c.as_ref().map(|c| format_money(c.total_minor, &c.currency)));
    view! {
        <section class="confirmation" data-state=state>
            <h2>{tr(Text::ThankYou)}</h2>
            <p class="eyebrow">{tr(Text::YourNumber)}</p>
            <p class="pickup-number">
                {move || number().unwrap_or_else(|| t(locale.get(), Text::NumberFollows).to_owned())}
            </p>
            <p class="order-status" role="status" aria-live="assertive">
                {move || status_text().map(|text| t(locale.get(), text))}
            </p>
            <p class="pay-reminder">
                {tr(Text::PayAtCounterReminder)} ": " <strong>{total}</strong>
            </p>
            <button type="button" class="primary new-order" on:click=move |_| on_done.run(())>
                {tr(Text::NewOrder)}
            </button>
        </section>
    }
}
