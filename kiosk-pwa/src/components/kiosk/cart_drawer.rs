use leptos::prelude::*;

use crate::{
    cart::{self, CartLine, MAX_QTY},
    i18n::{Text, t, view_cart},
    locale::use_locale,
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
                let at_max = line.qty >= MAX_QTY;
                view! {
                    <li class="cart-line" data-item-id=line.item_id.to_string()>
                        <div class="line-text">
                            <span class="line-name">{line.name.clone()}</span>
                            <span class="line-options">{options}</span>
                            <span class="line-total">{format_money(line.line_total_minor(), &currency)}</span>
                        </div>
                        <div class="stepper small">
                            <button
                                type="button"
                                aria-label=move || t(locale.get(), Text::Less)
                                on:click=move |_| cart.update(|c| cart::change_qty(c, key, -1))
                            >
                                "−"
                            </button>
                            <output class="qty">{line.qty}</output>
                            <button
                                type="button"
                                aria-label=move || t(locale.get(), Text::More)
                                disabled=at_max
                                on:click=move |_| cart.update(|c| cart::change_qty(c, key, 1))
                            >
                                "+"
                            </button>
                        </div>
                        <button
                            type="button"
                            class="remove"
                            aria-label=move || t(locale.get(), Text::Remove)
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
        <aside class="cart-drawer" class:expanded=move || expanded.get() aria-label=move || t(locale.get(), Text::CartTitle)>
            <button type="button" class="cart-summary" on:click=move |_| expanded.update(|e| *e = !*e)>
                <span>{move || view_cart(locale.get(), count())}</span>
                <span>{subtotal}</span>
            </button>
            <h2>{move || t(locale.get(), Text::CartTitle)}</h2>
            <Show when=move || removed_notice.with(|r| !r.is_empty())>
                <p class="alert notice" role="alert">
                    {move || t(locale.get(), Text::ItemsRemoved)} " "
                    {move || removed_notice.get().join(", ")}
                </p>
            </Show>
            <Show
                when=move || { count() > 0 }
                fallback=move || view! { <p class="cart-empty">{move || t(locale.get(), Text::CartEmpty)}</p> }
            >
                <ul class="cart-lines">{lines}</ul>
            </Show>
            <div class="cart-footer">
                <div class="sum-row">
                    <span>{move || t(locale.get(), Text::Subtotal)}</span>
                    <strong class="cart-subtotal">{subtotal}</strong>
                </div>
                <button
                    type="button"
                    class="primary checkout-button"
                    disabled=move || { count() == 0 }
                    on:click=move |_| on_checkout.run(())
                >
                    {move || t(locale.get(), Text::Checkout)}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    {move || t(locale.get(), Text::Cancel)}
                </button>
            </div>
        </aside>
    }
}
