use leptos::prelude::*;

use crate::{
    components::{StaffSheet, UnpairButton},
    i18n::Text,
    locale::tr,
    storage::{self, KdsSettings},
};

/// The display's own settings: age colour thresholds, sound; and unpairing.
#[component]
pub fn KdsSettingsPanel(
    settings: RwSignal<KdsSettings>,
    on_close: Callback<()>,
    on_unpair: Callback<()>,
) -> impl IntoView {
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
    view! {
        <StaffSheet title=Text::Settings class="kds-settings" on_close>
            <label for="warn-after">{tr(Text::AmberAfter)}</label>
            <input id="warn-after" type="number" min="1" max="120" bind:value=warn />
            <label for="late-after">{tr(Text::RedAfter)}</label>
            <input id="late-after" type="number" min="2" max="240" bind:value=late />
            <label class="check">
                <input type="checkbox" bind:checked=sound />
                " "
                {tr(Text::Sound)}
            </label>
            <div class="panel-actions">
                <button type="button" class="primary" on:click=save>
                    {tr(Text::Save)}
                </button>
                <UnpairButton on_unpair />
            </div>
        </StaffSheet>
    }
}
