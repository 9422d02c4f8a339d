use leptos::prelude::*;

use crate::{i18n::Text, locale::tr, menu::Menu};

/// The idle screen: a single big button to start, or why ordering is not possible.
#[component]
pub fn WelcomeScreen(
    #[prop(into)] menu: Signal<Menu>,
    #[prop(into)] ready: Signal<bool>,
    on_start: Callback<()>,
) -> impl IntoView {
    let closed = move || menu.with(|m| m.outlet.as_ref().is_some_and(|o| !o.is_open));
    let empty = move || menu.with(Menu::is_empty);
    view! {
        <section class="welcome">
            <h2 class="welcome-title">{tr(Text::WelcomeTitle)}</h2>
            {move || {
                if closed() {
                    view! { <p class="welcome-note">{tr(Text::OutletClosed)}</p> }.into_any()
                } else if empty() {
                    let text = if ready.get() { Text::MenuEmpty } else { Text::MenuLoading };
                    view! { <p class="welcome-note">{tr(text)}</p> }.into_any()
                } else {
                    view! {
                        <button type="button" class="start-button" on:click=move |_| on_start.run(())>
                            {tr(Text::TapToOrder)}
                        </button>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
