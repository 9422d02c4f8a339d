use leptos::{ev::SubmitEvent, prelude::*};

use crate::{
    cart::{self, CartLine, PickupBy},
    i18n::{Text, t},
    locale::use_locale,
    menu::Menu,
    money::{self, format_money},
};

/// Takeaway with a name, or eat in at a table; pay at the counter; the
/// totals as the counter will ask for them; place the order, and why the
/// server refused it if it did.
#[component]
pub fn CheckoutForm(
    #[prop(into)] cart: Signal<Vec<CartLine>>,
    #[prop(into)] menu: Signal<Menu>,
    #[prop(into)] placing: Signal<bool>,
    #[prop(into)] failed: Signal<bool>,
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
    let totals = move || {
        let (sc, tax) = menu.with(|m| m.outlet.as_ref().map_or((0, 0), |o| (o.service_charge_bp, o.tax_rate_bp)));
        money::totals(cart.with(|c| cart::subtotal(c)), sc, tax)
    };
    let row = move |label: Text, amount: i64, class: &'static str| {
        view! {
            <div class=format!("sum-row {class}")>
                <span>{move || t(locale.get(), label)}</span>
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
            <h2>{move || t(locale.get(), Text::CheckoutTitle)}</h2>
            <form on:submit=submit novalidate>
                <div class="choice-row" role="group">
                    <button
                        type="button"
                        class="choice"
                        aria-pressed=move || (!dine_in.get()).to_string()
                        on:click=move |_| dine_in.set(false)
                    >
                        {move || t(locale.get(), Text::TakeAway)}
                    </button>
                    <button
                        type="button"
                        class="choice"
                        aria-pressed=move || dine_in.get().to_string()
                        on:click=move |_| dine_in.set(true)
                    >
                        {move || t(locale.get(), Text::DineIn)}
                    </button>
                </div>
                {move || {
                    if dine_in.get() {
                        view! {
                            <label for="pickup-table">{move || t(locale.get(), Text::TableLabel)}</label>
                            <input
                                id="pickup-table"
                                class="big-input"
                                type="text"
                                inputmode="numeric"
                                maxlength="20"
                                autocomplete="off"
                                bind:value=table
                            />
                        }
                            .into_any()
                    } else {
                        view! {
                            <label for="pickup-name">{move || t(locale.get(), Text::NameLabel)}</label>
                            <input
                                id="pickup-name"
                                class="big-input"
                                type="text"
                                maxlength="60"
                                autocomplete="off"
                                autocapitalize="words"
                                bind:value=name
                            />
                        }
                            .into_any()
                    }
                }}
                <p class="field-error" aria-live="polite">
                    {move || missing.get().then(|| t(locale.get(), Text::NeedNameOrTable))}
                </p>
                <fieldset class="payment">
                    <legend>{move || t(locale.get(), Text::PaymentLabel)}</legend>
                    <button type="button" class="choice" aria-pressed="true">
                        {move || t(locale.get(), Text::PayAtCounter)}
                    </button>
                </fieldset>
                <div class="totals">{summary}</div>
                <Show when=move || refused.with(|r| !r.is_empty())>
                    <div class="alert refused" role="alert">
                        <p>{move || t(locale.get(), Text::OrderRefused)}</p>
                        <ul>{move || refused.get().into_iter().map(|why| view! { <li>{why}</li> }).collect_view()}</ul>
                    </div>
                </Show>
                <Show when=move || failed.get()>
                    <p class="alert" role="alert">
                        {move || t(locale.get(), Text::OrderNotSaved)}
                    </p>
                </Show>
                <button type="submit" class="primary place-order" disabled=move || placing.get()>
                    {move || t(locale.get(), if placing.get() { Text::Placing } else { Text::PlaceOrder })}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_back.run(())>
                    {move || t(locale.get(), Text::BackToMenu)}
                </button>
            </form>
        </section>
    }
}
