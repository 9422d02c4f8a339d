use leptos::prelude::*;
use uuid::Uuid;

use super::QtyStepper;
use crate::{
    cart::{self, CartLine, MAX_QTY, Selection},
    i18n::{Text, choice_rule},
    locale::{tr, use_locale},
    menu::{Menu, MenuEntry},
    money::format_money,
};

/// One item in full: its options (each group's minimum and maximum
/// enforced), a quantity, and the button that adds it to the cart.
#[component]
pub fn ItemSheet(
    item: MenuEntry,
    currency: String,
    on_add: Callback<CartLine>,
    on_close: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let item = StoredValue::new(item);
    let currency = StoredValue::new(currency);
    let selection = RwSignal::new(Selection::default());
    let qty = RwSignal::new(1);
    let complete = move || item.with_value(|i| selection.with(|s| s.complete(i)));
    let line_total = move || {
        let unit = item.with_value(|i| selection.with(|s| s.unit_price(i)));
        format_money(unit * i64::from(qty.get()), &currency.get_value())
    };
    let add = move |_| {
        if !complete() {
            return;
        }
        let line = item.with_value(|i| {
            selection.with_untracked(|s| CartLine {
                key: Uuid::new_v4(),
                item_id: i.id,
                name: i.name.clone(),
                options: s.options(i),
                unit_price_minor: s.unit_price(i),
                qty: qty.get_untracked(),
            })
        });
        on_add.run(line);
    };

    let groups = item.with_value(|i| {
        i.modifier_groups
            .iter()
            .map(|group| {
                let group = StoredValue::new(group.clone());
                let options = group.with_value(|g| {
                    g.options
                        .iter()
                        .filter_map(|o| o.id.map(|id| (id, o.name.clone(), o.price_minor)))
                        .map(|(id, name, price)| {
                            let chosen = move || selection.with(|s| s.is_chosen(id));
                            // At the maximum, the other options of a multi-choice group wait.
                            let blocked = move || {
                                group.with_value(|g| {
                                    g.max > 1 && !chosen() && selection.with(|s| s.count_in(g) >= g.max as usize)
                                })
                            };
                            let price = (price != 0).then(|| {
                                let sign = if price > 0 { "+" } else { "" };
                                move || format!("{sign}{}", format_money(price, &currency.get_value()))
                            });
                            view! {
                                <button
                                    type="button"
                                    class="option"
                                    data-option-id=id.to_string()
                                    aria-pressed=move || chosen().to_string()
                                    disabled=blocked
                                    on:click=move |_| group.with_value(|g| selection.update(|s| s.tap(g, id)))
                                >
                                    <span class="option-name">{name}</span>
                                    <span class="option-price">{price}</span>
                                </button>
                            }
                        })
                        .collect_view()
                });
                let done = move || group.with_value(|g| selection.with(|s| s.group_done(g)));
                let (min, max) = group.with_value(|g| (g.min, g.max));
                view! {
                    <fieldset class="modifier-group" class:unmet=move || !done()>
                        <legend>
                            <span class="group-name">{group.with_value(|g| g.name.clone())}</span>
                            <span class="group-rule">{move || choice_rule(locale.get(), min, max)}</span>
                        </legend>
                        <div class="options">{options}</div>
                    </fieldset>
                }
            })
            .collect_view()
    });

    let (name, description, image) = item.with_value(|i| (i.name.clone(), i.description.clone(), i.image_url.clone()));
    let dialog_label = name.clone();
    view! {
        <div class="sheet-backdrop" on:click=move |_| on_close.run(())>
            <div
                class="item-sheet"
                role="dialog"
                aria-modal="true"
                aria-label=dialog_label
                on:click=|ev| ev.stop_propagation()
            >
                {image.map(|url| view! { <img class="sheet-picture" src=url alt="" /> })}
                <h2>{name}</h2>
                <Show when={
                    let empty = description.is_empty();
                    move || !empty
                }>
                    <p class="description">{description.clone()}</p>
                </Show>
                <div class="groups">{groups}</div>
                <div class="sheet-actions">
                    <QtyStepper
                        qty
                        min=1
                        on_step=Callback::new(move |delta: i32| qty.update(|q| *q = (*q + delta).clamp(1, MAX_QTY)))
                    />
                    <button type="button" class="secondary" on:click=move |_| on_close.run(())>
                        {tr(Text::Cancel)}
                    </button>
                    <button type="button" class="primary add-to-order" disabled=move || !complete() on:click=add>
                        {tr(Text::AddToOrder)}
                        " · "
                        {line_total}
                    </button>
                </div>
            </div>
        </div>
    }
}

/// The sheet of the item `open_item` names, while it is open (and still on
/// the menu); its line goes into the cart.
#[component]
pub fn OpenItemSheet(
    open_item: RwSignal<Option<Uuid>>,
    #[prop(into)] menu: Signal<Menu>,
    cart: RwSignal<Vec<CartLine>>,
) -> impl IntoView {
    move || {
        open_item.get().and_then(|id| menu.with(|m| m.item(id).cloned())).map(|item| {
            view! {
                <ItemSheet
                    item
                    currency=menu.with_untracked(|m| m.currency.clone())
                    on_add=Callback::new(move |line: CartLine| {
                        cart.update(|lines| cart::add_line(lines, line));
                        open_item.set(None);
                    })
                    on_close=Callback::new(move |()| open_item.set(None))
                />
            }
        })
    }
}
