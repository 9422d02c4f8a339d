//! The language the screens show. The app provides it once, through Leptos
//! context, to every component below it: no component passes it on, and
//! every text or amount read in a reactive closure follows a switch.
//! The choice is kept in localStorage (`storage`) for the next start.

use leptos::prelude::*;

use crate::{
    i18n::{Locale, Text, t},
    storage,
};

/// The context value: one per app.
#[derive(Debug, Clone, Copy)]
struct Shown {
    locale: ReadSignal<Locale>,
    choose: WriteSignal<Locale>,
}

/// Makes the remembered language (or the default) the one every component
/// below the caller shows.
pub fn provide_locale() -> ReadSignal<Locale> {
    let (locale, choose) = signal(storage::locale());
    provide_context(Shown { locale, choose });
    locale
}

fn shown() -> Shown {
    // Not `expect_context`: its message formats the type name, code every
    // screen would download for a panic that cannot happen under `App`.
    use_context::<Shown>().expect("the app provides the locale")
}

/// The language shown (call under the app's component, which provides it).
pub fn use_locale() -> ReadSignal<Locale> {
    shown().locale
}

/// `key`'s text in the language shown, as a closure a view renders again
/// on a language switch: `{tr(Text::Close)}`, `aria-label=tr(Text::More)`.
/// (One function, so every use shares one closure type: one copy of the
/// rendering code in the bundle, not one per text.)
#[inline(always)]
pub fn tr(key: Text) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = use_locale();
    let (id, en) = (t(Locale::Id, key), t(Locale::En, key));
    move || match locale.get() {
        Locale::Id => id,
        Locale::En => en,
    }
}

/// What the language switch calls: every screen shows `locale` from now on,
/// also after a restart.
pub fn use_locale_choice() -> impl Fn(Locale) + Copy + 'static {
    let choose = shown().choose;
    move |choice| {
        choose.set(choice);
        storage::remember_locale(choice);
    }
}
