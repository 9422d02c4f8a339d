use leptos::prelude::*;

use crate::{
    i18n::{LOCALES, Text, language_name},
    locale::{tr, use_locale, use_locale_choice},
};

/// Buttons to switch the interface language; the choice is remembered.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let locale = use_locale();
    let choose = use_locale_choice();
    let buttons = LOCALES
        .into_iter()
        .map(|option| {
            view! {
                <button
                    type="button"
                    lang=option.as_str()
                    title=language_name(option)
                    aria-pressed=move || (locale.get() == option).to_string()
                    on:click=move |_| choose(option)
                >
                    {option.as_str().to_uppercase()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch" role="group" aria-label=tr(Text::LanguageLabel)>
            {buttons}
        </div>
    }
}
