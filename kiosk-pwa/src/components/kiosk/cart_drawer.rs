use leptos::prelude::*;

use super::QtyStepper;
use crate::{
    cart::{self, CartLine},
    i18n::{Text, view_cart},
    locale::{tr, use_locale},
    menu::Menu,
    money::format_money,
};

/// The cart beside the menu (below it in portrait): lines with quantity
/// buttons, the subtotal, and the way to checkout.
#[component]
pub fn CartDrawer(
    cart: RwSignal<Vec<CartLine>>,
    #[prop(into)] menu: Signal<Menu>,
    removed_notice: RwSignal<Vec<String>>,
    on_checkout: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    // In portrait the cart folds away under a summary button.
    let expanded = RwSignal::new(false);
    let currency = move || menu.with(|m| m.currency.clone());
    let subtotal = move || format_money(cart.with(|c| cart::subtotal(c)), &currency());
    let count = move || cart.with(|c| cart::item_count(c));
    let lines = move || {
        let currency = currency();
        cart.get()
            .into_iter()
            .map(|line| {
                let key = line.key;
                let options = line.options.iter().map(|o| o.name.clone()).collect::<Vec<_>>().join(", ");
                view! {
                    <li class="cart-line" data-item-id=line.item_id.to_string()>
                        <div class="line-text">
                            <span class="line-name">{line.name.clone()}</span>
                            <span class="line-options">{options}</span>
                            <span class="line-total">{format_money(line.line_total_minor(), &currency)}</span>
                        </div>
                        <QtyStepper
                            qty=line.qty
                            min=0
                            small=true
                            on_step=Callback::new(move |delta| cart.update(|c| cart::change_qty(c, key, delta)))
                        />
                        <button
                            type="button"
                            class="remove"
                            aria-label=tr(Text::Remove)
                            on:click=move |_| cart.update(|c| c.retain(|l| l.key != key))
                        >
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <aside class="cart-drawer" class:expanded=move || expanded.get() aria-label=tr(Text::CartTitle)>
            <button type="button" class="cart-summary" on:click=move |_| expanded.update(|e| *e = !*e)>
                <span>{move || view_cart(locale.get(), count())}</span>
                <span>{subtotal}</span>
            </button>
            <h2>{tr(Text::CartTitle)}</h2>
            <Show when=move || removed_notice.with(|r| !r.is_empty())>
                <p class="alert notice" role="alert">
                    {tr(Text::ItemsRemoved)} " "
                    {move || removed_notice.get().join(", ")}
                </p>
            </Show>
            <Show
                when=move || { count() > 0 }
                fallback=move || view! { <p class="cart-empty">{tr(Text::CartEmpty)}</p> }
            >
                <ul class="cart-lines">{lines}</ul>
            </Show>
            <div class="cart-footer">
                <div class="sum-row">
                    <span>{tr(Text::Subtotal)}</span>
                    <strong class="cart-subtotal">{subtotal}</strong>
                </div>
                <button
                    type="button"
                    class="primary checkout-button"
                    disabled=move || { count() == 0 }
                    on:click=move |_| on_checkout.run(())
                >
                    {tr(Text::Checkout)}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    {tr(Text::Cancel)}
                </button>
            </div>
        </aside>
    }
}
