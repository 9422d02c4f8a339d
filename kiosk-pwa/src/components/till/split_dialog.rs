use leptos::prelude::*;
use pos_wire::Order;
use uuid::Uuid;

use crate::{
    money::format_money,
    tables_text::{TableText, tt},
};

/// Splitting a check by item: the cashier ticks lines; `on_split` gets
/// them (whole lines) to go to an order paid apart.
#[component]
pub fn SplitByItem(
    order: Order,
    #[prop(into)] busy: Signal<bool>,
    on_split: Callback<Vec<Uuid>>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let picked = RwSignal::new(Vec::<Uuid>::new());
    let currency = order.currency.clone();
    let lines = order
        .items
        .iter()
        .map(|line| {
            let id = line.line_id;
            let (total, currency) = (line.line_total_minor, currency.clone());
            view! {
                <li>
                    <label class="split-line">
                        <input
                            type="checkbox"
                            prop:checked=move || picked.with(|p| p.contains(&id))
                            on:change=move |_| {
                                picked.update(|p| if let Some(i) = p.iter().position(|x| *x == id) { p.remove(i); } else { p.push(id); })
                            }
                        />
                        <span>{format!("{}× {}", line.qty, line.name)}</span>
                        <span>{move || format_money(total, &currency)}</span>
                    </label>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="split-dialog">
            <p>{tt(TableText::PickLines)}</p>
            <ul class="split-lines">{lines}</ul>
            <div class="payment-actions">
                <button type="button" on:click=move |_| on_cancel.run(())>{tt(TableText::Cancel)}</button>
                <button
                    type="button"
                    class="primary split-off"
                    disabled=move || busy.get() || picked.with(Vec::is_empty)
                    on:click=move |_| on_split.run(picked.get_untracked())
                >
                    {tt(TableText::SplitOff)}
                </button>
            </div>
        </div>
    }
}
