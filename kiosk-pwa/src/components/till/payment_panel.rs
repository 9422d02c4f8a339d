use leptos::{ev, prelude::*};
use pos_wire::{CardBrand, CardDetails, CreatePayment, PaymentMethod};

use crate::{
    i18n::{Text, t},
    locale::{tr, use_locale},
    money::format_money,
    till,
};

/// Taking payment of `total`: cash with quick tender buttons and the change
/// due, a card recorded from the terminal's slip, QRIS (online only), any
/// mix of them; `on_complete` once nothing is left to pay.
#[component]
pub fn PaymentPanel(
    #[prop(into)] total: Signal<i64>,
    #[prop(into)] currency: Signal<String>,
    /// The outlet's cash rounding step.
    #[prop(into)]
    step: Signal<i64>,
    tenders: RwSignal<Vec<CreatePayment>>,
    #[prop(into)] online: Signal<bool>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] error: Signal<Option<String>>,
    on_complete: Callback<()>,
    on_qris: Callback<()>,
    on_back: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let money = move |minor: i64| format_money(minor, &currency.get());
    let balance = Memo::new(move |_| tenders.with(|ts| till::balance(total.get(), ts)));
    let due_cash = Memo::new(move |_| till::cash_due(balance.get(), step.get()));
    let change = Memo::new(move |_| tenders.with(|ts| till::change_due(total.get(), step.get(), ts)));
    let other = RwSignal::new(String::new());
    let approval = RwSignal::new(String::new());
    let last4 = RwSignal::new(String::new());
    let brand = RwSignal::new(String::new());

    let take_cash = move |handed_over: i64| {
        let left = balance.get_untracked();
        // Less than the cash due but covering the bill would be refused: ask for the due.
        if left == 0 || handed_over <= 0 || (handed_over >= left && handed_over < due_cash.get_untracked()) {
            return;
        }
        tenders.update(|ts| ts.push(till::cash_tender(left, handed_over)));
        other.set(String::new());
    };
    let quick = move || {
        till::quick_tenders(due_cash.get())
            .into_iter()
            .enumerate()
            .map(|(i, amount)| {
                let label = if i == 0 { format!("{} · {}", t(locale.get(), Text::Exact), money(amount)) } else { money(amount) };
                view! {
                    <button type="button" class="tender-button" data-amount=amount.to_string() on:click=move |_| take_cash(amount)>
                        {label}
                    </button>
                }
            })
            .collect_view()
    };
    let record_card = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let left = balance.get_untracked();
        let code = approval.get_untracked().trim().to_owned();
        if left == 0 || code.is_empty() {
            return;
        }
        let digits = last4.get_untracked().trim().to_owned();
        let card = CardDetails {
            approval_code: code,
            last4: (!digits.is_empty()).then_some(digits),
            brand: CardBrand::try_from(brand.get_untracked().as_str()).ok(),
        };
        tenders.update(|ts| ts.push(till::card_tender(left, card)));
        approval.set(String::new());
        last4.set(String::new());
    };
    let taken = move || {
        tenders
            .get()
            .into_iter()
            .map(|p| {
                let id = p.client_payment_id;
                let what = match p.method {
                    PaymentMethod::Cash => t(locale.get(), Text::Cash),
                    PaymentMethod::Card => t(locale.get(), Text::Card),
                    _ => t(locale.get(), Text::Qris),
                };
                view! {
                    <li class="tender-line" data-method=p.method.as_str()>
                        <span>{what}</span>
                        <span>{money(p.amount_minor)}</span>
                        <button
                            type="button"
                            class="link"
                            aria-label=move || t(locale.get(), Text::Remove)
                            on:click=move |_| tenders.update(|ts| ts.retain(|t| t.client_payment_id != id))
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    let brands = move || {
        CardBrand::ALL
            .iter()
            .map(|b| view! { <option value=b.as_str()>{b.as_str().to_uppercase()}</option> })
            .collect_view()
    };

    view! {
        <section class="payment-panel">
            <div class="amounts">
                <p class="due-total">{tr(Text::Total)} " " <strong class="total">{move || money(total.get())}</strong></p>
                <ul class="tenders">{taken}</ul>
                <p class="left-to-pay" data-minor=move || balance.get().to_string()>
                    {tr(Text::LeftToPay)} " " <strong>{move || money(balance.get())}</strong>
                    <Show when=move || { due_cash.get() != balance.get() }>
                        " (" {tr(Text::Cash)} " " {move || money(due_cash.get())} ")"
                    </Show>
                </p>
                <p class="change-due" data-minor=move || change.get().to_string()>
                    {tr(Text::ChangeDue)} " " <strong>{move || money(change.get())}</strong>
                </p>
            </div>
            <Show when=move || { balance.get() > 0 }>
                <div class="tender-methods">
                    <fieldset class="cash">
                        <legend>{tr(Text::Cash)}</legend>
                        <div class="quick-tenders">{quick}</div>
                        <form
                            class="other-amount"
                            on:submit=move |ev: ev::SubmitEvent| {
                                ev.prevent_default();
                                take_cash(other.get_untracked().chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(0));
                            }
                        >
                            <input
                                class="other-cash"
                                inputmode="numeric"
                                placeholder=move || t(locale.get(), Text::OtherAmount)
                                prop:value=move || other.get()
                                on:input=move |ev| other.set(event_target_value(&ev))
                            />
                            <button type="submit">{tr(Text::Cash)}</button>
                        </form>
                    </fieldset>
                    <form class="card" on:submit=record_card>
                        <fieldset>
                            <legend>{tr(Text::Card)}</legend>
                            <input
                                class="approval-code"
                                placeholder=move || t(locale.get(), Text::ApprovalCode)
                                maxlength="12"
                                prop:value=move || approval.get()
                                on:input=move |ev| approval.set(event_target_value(&ev))
                            />
                            <input
                                class="last4"
                                inputmode="numeric"
                                maxlength="4"
                                placeholder=move || t(locale.get(), Text::LastFour)
                                prop:value=move || last4.get()
                                on:input=move |ev| last4.set(event_target_value(&ev))
                            />
                            <select class="card-brand" on:change=move |ev| brand.set(event_target_value(&ev))>
                                <option value="">{tr(Text::CardBrand)}</option>
                                {brands}
                            </select>
                            <button type="submit">{tr(Text::RecordCard)}</button>
                        </fieldset>
                    </form>
                    <div class="qris">
                        <button type="button" class="qris-button" disabled=move || !online.get() || busy.get() on:click=move |_| on_qris.run(())>
                            {tr(Text::Qris)}
                        </button>
                        <Show when=move || !online.get()>
                            <p class="muted">{tr(Text::QrisNeedsConnection)}</p>
                        </Show>
                    </div>
                </div>
            </Show>
            <p class="field-error" aria-live="polite">{move || error.get()}</p>
            <div class="payment-actions">
                <button type="button" on:click=move |_| on_back.run(())>{tr(Text::Back)}</button>
                <button
                    type="button"
                    class="primary complete-sale"
                    disabled=move || { balance.get() > 0 || busy.get() }
                    on:click=move |_| on_complete.run(())
                >
                    {tr(Text::CompleteSale)}
                </button>
            </div>
        </section>
    }
}
