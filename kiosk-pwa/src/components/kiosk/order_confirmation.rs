use leptos::prelude::*;
use pos_wire::{
    OrderStatus, PairedDevice,
    money::{Rounding, round_to_step},
};

use crate::{
    components::ReceiptEmailForm,
    confirmation::Confirmation,
    i18n::{self, Text, t},
    locale::{tr, use_locale},
    money::format_money,
    queue::Delivery,
};

use super::qris_payment::ended_text;

/// The pickup number, large, following the order live until it is ready;
/// paid, or what to pay at the counter (and, when the outlet releases kiosk
/// orders to the kitchen only once paid, that it waits for that).
#[component]
pub fn OrderConfirmation(
    #[prop(into)] confirmation: Signal<Option<Confirmation>>,
    /// The outlet's kitchen sees kiosk orders only once they are paid.
    #[prop(into)]
    kitchen_after_payment: Signal<bool>,
    /// The outlet's cash rounding step: paid in cash at the counter, the
    /// total is rounded to it (as the till and the server do).
    #[prop(into)]
    cash_rounding_step: Signal<i64>,
    /// This kiosk (it may mail the receipt of its own paid order).
    device: PairedDevice,
    /// The browser has a network (mailing the receipt needs it).
    #[prop(into)]
    online: Signal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let paid = move || confirmation.with(|c| c.as_ref().is_some_and(Confirmation::is_paid));
    let waits_for_payment = move || kitchen_after_payment.get() && !paid();
    let status_text = move || {
        let waits = waits_for_payment();
        confirmation.with(|c| {
            let c = c.as_ref()?;
            Some(match (c.delivery, c.status) {
                (Delivery::Attention | Delivery::Handled, _) => Text::StatusAttention,
                (_, Some(OrderStatus::Ready)) => Text::StatusReady,
                (_, Some(OrderStatus::Completed)) => Text::StatusCompleted,
                (_, Some(OrderStatus::Cancelled)) => Text::StatusCancelled,
                (_, Some(OrderStatus::Preparing | OrderStatus::Accepted)) => Text::StatusPreparing,
                (Delivery::Confirmed, _) if waits => Text::StatusAwaitingPayment,
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
    // What the counter takes in cash, when that differs from the total.
    let cash_total = move || {
        confirmation.with(|c| {
            let c = c.as_ref()?;
            let cash = round_to_step(c.total_minor, cash_rounding_step.get(), Rounding::HalfUp);
            (cash != c.total_minor).then(|| format_money(cash, &c.currency))
        })
    };
    let receipt = move || {
        confirmation.with(|c| c.as_ref().and_then(|c| c.receipt_number)).map(|n| i18n::receipt_number(locale.get(), n))
    };
    // Paid on the server: the customer may have the receipt mailed.
    let paid_order =
        Memo::new(move |_| confirmation.with(|c| c.as_ref().filter(|c| c.is_paid()).and_then(|c| c.order_id)));
    let device = StoredValue::new(device);
    let qris_ended = move || confirmation.with(|c| c.as_ref().and_then(|c| c.qris_ended));
    view! {
        <section class="confirmation" data-state=state data-paid=move || paid().to_string()>
            <h2>{tr(Text::ThankYou)}</h2>
            <p class="eyebrow">{tr(Text::YourNumber)}</p>
            <p class="pickup-number">
                {move || number().unwrap_or_else(|| t(locale.get(), Text::NumberFollows).to_owned())}
            </p>
            <p class="order-status" role="status" aria-live="assertive">
                {move || status_text().map(|text| t(locale.get(), text))}
            </p>
            <Show
                when=paid
                fallback=move || {
                    view! {
                        {move || {
                            qris_ended()
                                .map(|why| {
                                    view! { <p class="qris-note">{move || t(locale.get(), ended_text(why))}</p> }
                                })
                        }}
                        <p class="pay-reminder">
                            {tr(Text::PayAtCounterReminder)} ": " <strong>{total}</strong>
                            {move || {
                                cash_total()
                                    .map(|cash| {
                                        view! {
                                            " "
                                            <span class="cash-total">
                                                "(" {tr(Text::CashTotal)} " " <strong>{cash}</strong> ")"
                                            </span>
                                        }
                                    })
                            }}
                        </p>
                        <Show when=waits_for_payment>
                            <p class="kitchen-after-payment">{tr(Text::KitchenAfterPayment)}</p>
                        </Show>
                    }
                }
            >
                <p class="paid-note">
                    <strong>{tr(Text::PaidThanks)}</strong>
                    " "
                    <span class="receipt-number">{receipt}</span>
                </p>
                {move || {
                    paid_order
                        .get()
                        .map(|order_id| {
                            view! { <ReceiptEmailForm device=device.get_value() order_id online /> }
                        })
                }}
            </Show>
            <button type="button" class="primary new-order" on:click=move |_| on_done.run(())>
                {tr(Text::NewOrder)}
            </button>
        </section>
    }
}
