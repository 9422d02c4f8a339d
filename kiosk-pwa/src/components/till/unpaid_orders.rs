use leptos::prelude::*;
use pos_wire::{Channel, Order, OrderPaymentStatus, OrderStatus};

use crate::{i18n::Text, locale::tr, money::format_money};

/// Whether the till lists `order` to be paid: a kiosk order left to pay at
/// the counter, not cancelled.
pub fn awaits_payment(order: &Order) -> bool {
    order.channel == Channel::Kiosk
        && order.status != OrderStatus::Cancelled
        && matches!(order.payment_status, OrderPaymentStatus::Unpaid | OrderPaymentStatus::PartiallyPaid)
}

/// Kiosk orders waiting to be paid at the counter, oldest first.
#[component]
pub fn UnpaidOrders(
    #[prop(into)] orders: Signal<Option<Vec<Order>>>,
    on_pay: Callback<Order>,
    on_close: Callback<()>,
) -> impl IntoView {
    let rows = move || match orders.get() {
        None => view! { <p class="muted">"…"</p> }.into_any(),
        Some(list) if list.is_empty() => view! { <p class="muted">{tr(Text::NoUnpaidOrders)}</p> }.into_any(),
        Some(list) => view! {
            <ul class="unpaid-list">
                {list
                    .into_iter()
                    .map(|order| {
                        let left = order.total_minor - order.paid_minor;
                        let label = format!(
                            "{} · {}",
                            order.number,
                            order.customer_name.clone().or(order.table.clone()).unwrap_or_default(),
                        );
                        let currency = order.currency.clone();
                        let id = order.id.to_string();
                        view! {
                            <li class="unpaid-order" data-order-id=id>
                                <span class="unpaid-label">{label}</span>
                                <span class="unpaid-amount">{move || format_money(left, &currency)}</span>
                                <button type="button" class="primary" on:click=move |_| on_pay.run(order.clone())>
                                    {tr(Text::PayThisOrder)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="unpaid-orders">
            <h2>{tr(Text::UnpaidOrders)}</h2>
            {rows}
            <button type="button" on:click=move |_| on_close.run(())>{tr(Text::Back)}</button>
        </section>
    }
}
