use leptos::{ev, prelude::*};
use pos_wire::PairedDevice;
use uuid::Uuid;

use crate::{
    api,
    locale::use_locale,
    receipt_email::{self, MailState, MailText, Why, refuse_before_sending},
};

/// "Email me the receipt": an optional address and a button, for a fully
/// paid order (the till's sale-complete screen, the kiosk's confirmation).
/// Says when it was sent or why not (the server's reason translated);
/// offline it says it needs the network and sends nothing later.
#[component]
pub fn ReceiptEmailForm(
    /// Who asks: the kiosk, or the till as its signed-in cashier.
    device: PairedDevice,
    order_id: Uuid,
    /// The browser has a network.
    #[prop(into)]
    online: Signal<bool>,
) -> impl IntoView {
    let locale = use_locale();
    let address = RwSignal::new(String::new());
    let sending = RwSignal::new(MailState::Idle);
    let device = StoredValue::new(device);
    let text = move |key| receipt_email::text(locale.get(), key);

    let submit = move |e: ev::SubmitEvent| {
        e.prevent_default();
        if sending.get_untracked() == MailState::Sending {
            return;
        }
        let to = address.get_untracked().trim().to_owned();
        if let Some(why) = refuse_before_sending(&to, online.get_untracked()) {
            sending.set(MailState::NotSent(why));
            return;
        }
        sending.set(MailState::Sending);
        let lang = locale.get_untracked().as_str();
        leptos::task::spawn_local(async move {
            let answer = api::email_receipt(&device.get_value(), order_id, &to, lang).await;
            sending.set(match answer {
                Ok(()) => MailState::Sent(to),
                Err(e) => MailState::NotSent(Why::from_error(e)),
            });
        });
    };
    let state = move || match sending.get() {
        MailState::Idle => "idle",
        MailState::Sending => "sending",
        MailState::Sent(_) => "sent",
        MailState::NotSent(_) => "not-sent",
    };
    let outcome = move || match sending.get() {
        MailState::Sent(to) => Some(receipt_email::sent_to(locale.get(), &to)),
        MailState::NotSent(why) => Some(why.message(locale.get())),
        MailState::Idle | MailState::Sending => None,
    };
    view! {
        <form class="receipt-email" data-state=state on:submit=submit novalidate>
            <label for="receipt-email-address">{move || text(MailText::Label)}</label>
            <div class="receipt-email-row">
                <input
                    id="receipt-email-address"
                    type="email"
                    inputmode="email"
                    autocomplete="off"
                    maxlength="254"
                    placeholder=move || text(MailText::Placeholder)
                    prop:value=move || address.get()
                    on:input=move |ev| {
                        address.set(event_target_value(&ev));
                        // A new address: the last outcome was for another.
                        if !matches!(sending.get_untracked(), MailState::Sending | MailState::Idle) {
                            sending.set(MailState::Idle);
                        }
                    }
                />
                <button
                    type="submit"
                    class="secondary send-receipt"
                    disabled=move || sending.get() == MailState::Sending || address.with(|a| a.trim().is_empty())
                >
                    {move || text(if sending.get() == MailState::Sending { MailText::Sending } else { MailText::Send })}
                </button>
            </div>
            <p
                class="receipt-email-outcome"
                class:field-error=move || matches!(sending.get(), MailState::NotSent(_))
                role="status"
                aria-live="polite"
            >
                {outcome}
            </p>
        </form>
    }
}
