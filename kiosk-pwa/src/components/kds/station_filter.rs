use leptos::prelude::*;

use crate::{i18n::Text, locale::tr};

/// All stations, or one: the cook's choice, remembered on this display.
#[component]
pub fn StationFilter(
    #[prop(into)] stations: Signal<Vec<String>>,
    #[prop(into)] selected: Signal<Option<String>>,
    on_select: Callback<Option<String>>,
) -> impl IntoView {
    let buttons = move || {
        stations
            .get()
            .into_iter()
            .map(|station| {
                let for_click = station.clone();
                let for_pressed = station.clone();
                view! {
                    <button
                        type="button"
                        aria-pressed=move || (selected.get().as_deref() == Some(for_pressed.as_str())).to_string()
                        on:click=move |_| on_select.run(Some(for_click.clone()))
                    >
                        {station}
                    </button>
                }
            })
            .collect_view()
    };
    view! {
        <div class="station-filter" role="group" aria-label=tr(Text::Station)>
            <button
                type="button"
                aria-pressed=move || selected.get().is_none().to_string()
                on:click=move |_| on_select.run(None)
            >
                {tr(Text::AllStations)}
            </button>
            {buttons}
        </div>
    }
}
