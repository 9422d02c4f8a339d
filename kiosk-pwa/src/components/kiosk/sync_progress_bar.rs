use leptos::prelude::*;

use crate::{i18n::Text, locale::tr, menu::SyncProgress};

/// The first full menu download, as a bar.
#[component]
pub fn SyncProgressBar(#[prop(into)] progress: Signal<Option<SyncProgress>>) -> impl IntoView {
    let percent = move || progress.get().and_then(|p| (p.done * 100).checked_div(p.total)).unwrap_or(0).min(100);
    view! {
        <Show when=move || progress.get().is_some()>
            <div class="sync-progress">
                <span>{tr(Text::SyncingMenu)}</span>
                // Until the first page says how much there is, the bar just moves.
                {move || {
                    if progress.get().is_some_and(|p| p.total > 0) {
                        view! {
                            <progress max="100" value=percent>
                                {move || format!("{}%", percent())}
                            </progress>
                        }
                            .into_any()
                    } else {
                        view! { <progress></progress> }.into_any()
                    }
                }}
            </div>
        </Show>
    }
}
