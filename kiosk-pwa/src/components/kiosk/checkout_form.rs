use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    cart::{self, CartLine, PickupBy},
    i18n::{Text, t},
    locale::{tr, use_locale},
    menu::Menu,
    money::format_money,
    payment::PayChoice,
};

/// Takeaway with a name, or eat in at a table; pay here with QRIS (while
/// the server can be reached) or at the counter; the totals as the counter
/// will ask for them; place the order, and why the server refused it if it
/// did.
#[component]
pub fn CheckoutForm(
    #[prop(into)] cart: Signal<Vec<CartLine>>,
    #[prop(into)] menu: Signal<Menu>,
    #[prop(into)] placing: Signal<bool>,
    #[prop(into)] failed: Signal<bool>,
    /// Whether "pay here with QRIS" is offered now.
    #[prop(into)]
    qris_offered: Signal<bool>,
    /// Offline: why only the counter is offered.
    #[prop(into)]
    online: Signal<bool>,
    /// How the customer will pay (QRIS counts only while offered).
    pay_by: RwSignal<PayChoice>,
    /// Why the server refused the order just tried (empty: it did not).
    #[prop(into)]
    refused: Signal<Vec<String>>,
    on_place: Callback<PickupBy>,
    on_back: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let dine_in = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let table = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let currency = move || menu.with(|m| m.currency.clone());
    let totals = move || menu.with(|m| cart.with(|c| cart::totals(c, m)));
    let row = move |label: Text, amount: i64, class: &'static str| {
        view! {
            <div class=format!("sum-row {class}")>
                <span>{tr(label)}</span>
                <span>{format_money(amount, &currency())}</span>
            </div>
        }
    };
    let summary = move || {
        let totals = totals();
        let mut rows = vec![row(Text::Subtotal, totals.subtotal_minor, "")];
        if totals.service_charge_minor != 0 {
            rows.push(row(Text::ServiceCharge, totals.service_charge_minor, ""));
        }
        if totals.tax_minor != 0 {
            rows.push(row(Text::Tax, totals.tax_minor, ""));
        }
        rows.push(row(Text::Total, totals.total_minor, "grand-total"));
        rows.collect_view()
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let pickup = if dine_in.get_untracked() {
            PickupBy::Table(table.get_untracked().trim().to_owned())
        } else {
            PickupBy::Name(name.get_untracked().trim().to_owned())
        };
        let empty = match &pickup {
            PickupBy::Name(v) | PickupBy::Table(v) => v.is_empty(),
        };
        missing.set(empty);
        if !empty {
            on_place.run(pickup);
        }
    };
    view! {
        <section class="checkout">
            <h2>{tr(Text::CheckoutTitle)}</h2>
            <form on:submit=submit novalidate>
                <div class="choice-row" role="group">
                    <button
                        type="button"
                        class="choice"
                        aria-pressed=move || (!dine_in.get()).to_string()
                        on:click=move |_| dine_in.set(false)
                    >
                        {tr(Text::TakeAway)}
                    </button>
                    <button
                        type="button"
                        class="choice"
                        aria-pressed=move || dine_in.get().to_string()
                        on:click=move |_| dine_in.set(true)
                    >
                        {tr(Text::DineIn)}
                    </button>
                </div>
                {move || {
                    // A table number, or a name to call: one field, set up for what it takes.
                    let (id, label, value, maxlength, numeric) = if dine_in.get() {
                        ("pickup-table", Text::TableLabel, table, "20", true)
                    } else {
                        ("pickup-name", Text::NameLabel, name, "60", false)
                    };
                    view! {
                        <label for=id>{tr(label)}</label>
                        <input
                            id=id
                            class="big-input"
                            type="text"
                            inputmode=numeric.then_some("numeric")
                            maxlength=maxlength
                            autocomplete="off"
                            autocapitalize=(!numeric).then_some("words")
                            bind:value=value
                        />
                    }
                }}
                <p class="field-error" aria-live="polite">
                    {move || missing.get().then(|| t(locale.get(), Text::NeedNameOrTable))}
                </p>
                <fieldset class="payment">
                    <legend>{tr(Text::PaymentLabel)}</legend>
                    <Show when=move || qris_offered.get()>
                        <button
                            type="button"
                            class="choice pay-qris"
                            aria-pressed=move || (pay_by.get() == PayChoice::Qris).to_string()
                            on:click=move |_| pay_by.set(PayChoice::Qris)
                        >
                            {tr(Text::PayHereQris)}
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="choice pay-counter"
                        aria-pressed=move || (pay_by.get() == PayChoice::Counter || !qris_offered.get()).to_string()
                        on:click=move |_| pay_by.set(PayChoice::Counter)
                    >
                        {tr(Text::PayAtCounter)}
                    </button>
                    <Show when=move || !online.get()>
                        <p class="hint qris-offline">{tr(Text::QrisNeedsConnection)}</p>
                    </Show>
                </fieldset>
                <div class="totals">{summary}</div>
                <Show when=move || refused.with(|r| !r.is_empty())>
                    <div class="alert refused" role="alert">
                        <p>{tr(Text::OrderRefused)}</p>
                        <ul>{move || refused.get().into_iter().map(|why| view! { <li>{why}</li> }).collect_view()}</ul>
                    </div>
                </Show>
                <Show when=move || failed.get()>
                    <p class="alert" role="alert">
                        {tr(Text::OrderNotSaved)}
                    </p>
                </Show>
                <button type="submit" class="primary place-order" disabled=move || placing.get()>
                    {move || t(locale.get(), if placing.get() { Text::Placing } else { Text::PlaceOrder })}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_back.run(())>
                    {tr(Text::BackToMenu)}
                </button>
            </form>
        </section>
    }
}
