use leptos::prelude::*;

use crate::{
    clock,
    i18n::{Text, t},
    locale::{tr, use_locale},
    money::format_money,
    payment::{Ended, QrisCheckout, QrisState},
    qr,
};

/// The QR code to scan with the amount and a countdown; once it is no
/// longer payable, why, with "try again" (when that can help) and the counter.
#[component]
pub fn QrisPayment(
    #[prop(into)] qris: Signal<Option<QrisCheckout>>,
    #[prop(into)] now: Signal<f64>,
    on_retry: Callback<()>,
    on_counter: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let state = Memo::new(move |_| qris.with(|q| q.as_ref().map(|q| q.state.clone())));
    let data_state = move || match state.get() {
        Some(QrisState::Requesting) | None => "requesting",
        Some(QrisState::Showing { .. }) => "showing",
        Some(QrisState::Paid { .. }) => "paid",
        Some(QrisState::Ended(_)) => "ended",
    };
    let number = move || qris.with(|q| q.as_ref().map(|q| q.number.clone()).unwrap_or_default());
    let amount = move || qris.with(|q| q.as_ref().map(|q| format_money(q.amount_minor, &q.currency)));
    // Drawn once per QR code, not on every tick of the countdown.
    let qr_markup = Memo::new(move |_| match state.get() {
        Some(QrisState::Showing { qr_string, .. }) => qr::svg(&qr_string),
        _ => None,
    });
    let remaining = move || {
        let left = qris.with(|q| q.as_ref().and_then(|q| q.remaining_ms(now.get())))?;
        Some(clock::duration_label(left))
    };
    let body = move || match state.get() {
        None | Some(QrisState::Requesting) => {
            view! { <p class="qris-wait" role="status">{tr(Text::PreparingQr)}</p> }.into_any()
        }
        Some(QrisState::Showing { .. }) => view! {
            <div class="qr-code" role="img" aria-label=tr(Text::QrisTitle) inner_html=move || qr_markup.get()></div>
            <p class="qris-hint">{tr(Text::ScanToPay)}</p>
            <p class="qris-countdown">
                {tr(Text::QrExpiresIn)} " " <strong class="countdown">{remaining}</strong>
            </p>
            <p class="qris-wait" role="status" aria-live="polite">{tr(Text::WaitingForPayment)}</p>
            <button type="button" class="secondary pay-counter" on:click=move |_| on_counter.run(())>
                {tr(Text::PayAtCounterInstead)}
            </button>
        }
        .into_any(),
        Some(QrisState::Paid { .. }) => {
            view! { <p class="qris-paid" role="status">{tr(Text::PaidThanks)}</p> }.into_any()
        }
        Some(QrisState::Ended(why)) => view! {
            <p class="alert qris-ended" role="alert" data-why=ended_name(why)>
                {move || t(locale.get(), ended_text(why))}
            </p>
            <Show when=move || why.can_retry()>
                <button type="button" class="secondary try-again" on:click=move |_| on_retry.run(())>
                    {tr(Text::TryAgain)}
                </button>
            </Show>
            <button type="button" class="primary pay-counter" on:click=move |_| on_counter.run(())>
                {tr(Text::PayAtCounter)}
            </button>
        }
        .into_any(),
    };
    view! {
        <section class="qris-payment" data-state=data_state>
            <h2>{tr(Text::QrisTitle)}</h2>
            <p class="eyebrow">{tr(Text::YourNumber)} " " <strong class="qris-number">{number}</strong></p>
            <p class="qris-amount">{tr(Text::AmountToPay)} ": " <strong>{amount}</strong></p>
            {body}
        </section>
    }
}

/// Why the QR code is gone, for the customer.
pub fn ended_text(why: Ended) -> Text {
    match why {
        Ended::Expired => Text::QrExpired,
        Ended::Failed => Text::QrFailed,
        Ended::Cancelled => Text::QrCancelled,
        Ended::Unavailable => Text::QrisUnavailable,
        Ended::NoAnswer => Text::QrisNoAnswer,
        Ended::Refused => Text::QrisRefused,
        Ended::NotPlaced => Text::QrisNotPlaced,
    }
}

/// For the page's markup (and its tests).
fn ended_name(why: Ended) -> &'static str {
    match why {
        Ended::Expired => "expired",
        Ended::Failed => "failed",
        Ended::Cancelled => "cancelled",
        Ended::Unavailable => "unavailable",
        Ended::NoAnswer => "no-answer",
        Ended::Refused => "refused",
        Ended::NotPlaced => "not-placed",
    }
}
