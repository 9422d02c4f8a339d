use leptos::prelude::*;

use crate::{
    i18n::{Text, t},
    locale::use_locale,
    storage::{self, KdsSettings},
};

/// The display's own settings: age colour thresholds, sound; and unpairing.
#[component]
pub fn KdsSettingsPanel(
    settings: RwSignal<KdsSettings>,
    on_close: Callback<()>,
    on_unpair: Callback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let current = settings.get_untracked();
    let warn = RwSignal::new(current.warn_after_min.to_string());
    let late = RwSignal::new(current.late_after_min.to_string());
    let sound = RwSignal::new(current.sound);
    let save = move |_| {
        let parse = |s: String, fallback: u32| s.trim().parse::<u32>().ok().filter(|m| *m >= 1).unwrap_or(fallback);
        let mut next = settings.get_untracked();
        next.warn_after_min = parse(warn.get_untracked(), next.warn_after_min);
        next.late_after_min = parse(late.get_untracked(), next.late_after_min).max(next.warn_after_min + 1);
        next.sound = sound.get_untracked();
        storage::remember_kds_settings(&next);
        settings.set(next);
        on_close.run(());
    };
    let unpair = move |_| {
        if window().confirm_with_message(t(locale.get_untracked(), Text::UnpairConfirm)).unwrap_or(false) {
            on_unpair.run(());
        }
    };
    view! {
        <div class="sheet-backdrop">
            <div class="staff-panel kds-settings" role="dialog" aria-modal="true">
                <header class="panel-head">
                    <h2>{move || t(locale.get(), Text::Settings)}</h2>
                    <button type="button" class="secondary narrow" on:click=move |_| on_close.run(())>
                        {move || t(locale.get(), Text::Close)}
                    </button>
                </header>
                <label for="warn-after">{move || t(locale.get(), Text::AmberAfter)}</label>
                <input id="warn-after" type="number" min="1" max="120" bind:value=warn />
                <label for="late-after">{move || t(locale.get(), Text::RedAfter)}</label>
                <input id="late-after" type="number" min="2" max="240" bind:value=late />
                <label class="check">
                    <input type="checkbox" bind:checked=sound />
                    " "
                    {move || t(locale.get(), Text::Sound)}
                </label>
                <div class="panel-actions">
                    <button type="button" class="primary" on:click=save>
                        {move || t(locale.get(), Text::Save)}
                    </button>
                    <button type="button" class="secondary danger" on:click=unpair>
                        {move || t(locale.get(), Text::UnpairButton)}
                    </button>
                </div>
            </div>
        </div>
    }
}
