use leptos::prelude::*;

use crate::{
    i18n::{Text, t},
    locale::{tr, use_locale},
};

/// Unpairs this device, once the person confirms it (queued orders and
/// bumps stay on the device).
#[component]
pub fn UnpairButton(on_unpair: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let unpair = move |_| {
        if window().confirm_with_message(t(locale.get_untracked(), Text::UnpairConfirm)).unwrap_or(false) {
            on_unpair.run(());
        }
    };
    view! {
        <button type="button" class="secondary danger" on:click=unpair>
            {tr(Text::UnpairButton)}
        </button>
    }
}
