use leptos::prelude::*;

use crate::{i18n::Text, locale::tr};

/// A dialog for staff over the screen (the kiosk's staff panel, the kitchen
/// display's settings): a heading, a close button, and what `children` show.
#[component]
pub fn StaffSheet(
    title: Text,
    /// More classes on the dialog.
    #[prop(optional)]
    class: &'static str,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="sheet-backdrop">
            <div class=format!("staff-panel {class}") role="dialog" aria-modal="true">
                <header class="panel-head">
                    <h2>{tr(title)}</h2>
                    <button type="button" class="secondary narrow" on:click=move |_| on_close.run(())>
                        {tr(Text::Close)}
                    </button>
                </header>
                {children()}
            </div>
        </div>
    }
}
