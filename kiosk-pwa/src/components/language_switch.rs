use leptos::prelude::*;

use crate::i18n::{LOCALES, Locale, Text, language_name, t};
use crate::storage;

/// Buttons to switch the interface language; the choice is remembered.
#[component]
pub fn LanguageSwitch(locale: RwSignal<Locale>) -> impl IntoView {
    let buttons = LOCALES
        .into_iter()
        .map(|option| {
            let choose = move |_| {
                locale.set(option);
                storage::remember_locale(option);
            };
            view! {
                <button
                    type="button"
                    lang=option.as_str()
                    title=language_name(option)
                    aria-pressed=move || (locale.get() == option).to_string()
                    on:click=choose
                >
                    {option.as_str().to_uppercase()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch" role="group" aria-label=move || t(locale.get(), Text::LanguageLabel)>
            {buttons}
        </div>
    }
}
