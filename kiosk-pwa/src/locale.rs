//! The language the screens show. The app provides it once, through Leptos
//! context, to every component below it: no component passes it on, and
//! every text or amount read in a reactive closure follows a switch.
//! The choice is kept in localStorage (`storage`) for the next start.

use leptos::prelude::*;

use crate::{i18n::Locale, storage};

/// The context value: one per app.
#[derive(Debug, Clone, Copy)]
struct Shown(RwSignal<Locale>);

/// Makes the remembered language (or the default) the one every component
/// below the caller shows.
pub fn provide_locale() -> Signal<Locale> {
    let locale = RwSignal::new(storage::locale());
    provide_context(Shown(locale));
    locale.into()
}

fn shown() -> RwSignal<Locale> {
    expect_context::<Shown>().0
}

/// The language shown (call under the app's component, which provides it).
pub fn use_locale() -> Signal<Locale> {
    shown().into()
}

/// What the language switch calls: every screen shows `locale` from now on,
/// also after a restart.
pub fn use_locale_choice() -> impl Fn(Locale) + Copy + 'static {
    let locale = shown();
    move |choice| {
        locale.set(choice);
        storage::remember_locale(choice);
    }
}
