use leptos::prelude::*;
use uuid::Uuid;

use crate::{
    i18n::Text,
    locale::tr,
    menu::{Menu, MenuEntry},
    money::format_money,
};

/// Category tabs and the chosen category's items as large picture cards.
#[component]
pub fn MenuGrid(#[prop(into)] menu: Signal<Menu>, on_pick: Callback<Uuid>) -> impl IntoView {
    let chosen = RwSignal::new(None::<Uuid>);
    // The chosen category, or the first one if it went away (or none was chosen).
    let current = Memo::new(move |_| {
        menu.with(|m| {
            let wanted = chosen.get();
            m.categories.iter().find(|c| Some(c.id) == wanted).or(m.categories.first()).map(|c| c.id)
        })
    });
    let tabs = move || {
        menu.with(|m| {
            m.categories
                .iter()
                .map(|c| {
                    let id = c.id;
                    view! {
                        <button
                            type="button"
                            class="category-tab"
                            aria-pressed=move || (current.get() == Some(id)).to_string()
                            on:click=move |_| chosen.set(Some(id))
                        >
                            {c.name.clone()}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let items = move || {
        let currency = menu.with(|m| m.currency.clone());
        menu.with(|m| {
            m.categories.iter().find(|c| Some(c.id) == current.get()).map(|c| {
                c.items
                    .iter()
                    .map(|item| view! { <MenuCard item=item.clone() currency=currency.clone() on_pick /> })
                    .collect_view()
            })
        })
    };
    view! {
        <section class="menu-grid">
            <nav class="category-tabs" aria-label=tr(Text::Categories)>
                {tabs}
            </nav>
            <div class="item-cards">{items}</div>
        </section>
    }
}

/// One item: picture, name, price. Tapping opens its sheet.
#[component]
pub fn MenuCard(item: MenuEntry, currency: String, on_pick: Callback<Uuid>) -> impl IntoView {
    let (id, price) = (item.id, item.price_minor);
    let initial = item.name.chars().next().unwrap_or('?').to_string();
    let picture = match item.image_url.clone() {
        Some(url) => view! { <img src=url alt="" loading="lazy" decoding="async" /> }.into_any(),
        None => view! { <span class="no-picture" aria-hidden="true">{initial}</span> }.into_any(),
    };
    view! {
        <button type="button" class="item-card" data-item-id=id.to_string() on:click=move |_| on_pick.run(id)>
            <span class="picture">{picture}</span>
            <span class="item-name">{item.name.clone()}</span>
            <span class="item-price">{move || format_money(price, &currency)}</span>
        </button>
    }
}
