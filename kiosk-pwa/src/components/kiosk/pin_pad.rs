use leptos::prelude::*;

use crate::{
    i18n::{Text, t},
    locale::{tr, use_locale},
    storage,
};

/// Four digits, typed or tapped; `on_complete` hears them when all four are in.
#[component]
pub fn PinPad(
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] error: Signal<Option<String>>,
    on_complete: Callback<String>,
) -> impl IntoView {
    let digits = RwSignal::new(String::new());
    let push = move |d: char| {
        let mut pin = digits.get_untracked();
        if pin.len() < 4 && d.is_ascii_digit() {
            pin.push(d);
        }
        if pin.len() == 4 {
            digits.set(String::new());
            on_complete.run(pin);
        } else {
            digits.set(pin);
        }
    };
    view! {
        <div class="pin-pad">
            <label for="pin-input">{label}</label>
            <input
                id="pin-input"
                class="pin-input"
                type="password"
                inputmode="numeric"
                autocomplete="off"
                maxlength="4"
                autofocus
                prop:value=move || digits.get()
                on:input=move |ev| {
                    let typed: String = event_target_value(&ev).chars().filter(char::is_ascii_digit).collect();
                    if typed.len() >= 4 {
                        digits.set(String::new());
                        on_complete.run(typed[..4].to_owned());
                    } else {
                        digits.set(typed);
                    }
                }
            />
            <p class="field-error" aria-live="polite">{error}</p>
            <DigitKeys on_digit=Callback::new(push) on_clear=Callback::new(move |()| digits.set(String::new())) />
        </div>
    }
}

/// The ten digit keys and "clear", for typing a PIN by touch.
#[component]
pub fn DigitKeys(on_digit: Callback<char>, on_clear: Callback<()>) -> impl IntoView {
    let keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9']
        .into_iter()
        .map(|d| {
            view! {
                <button type="button" class="pin-key" on:click=move |_| on_digit.run(d)>
                    {d.to_string()}
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="pin-keys">
            {keys}
            <button type="button" class="pin-key" on:click=move |_| on_clear.run(())>
                {tr(Text::ClearDigit)}
            </button>
            <button type="button" class="pin-key" on:click=move |_| on_digit.run('0')>"0"</button>
        </div>
    }
}

/// Right after pairing (or when staff change it): choose the staff PIN, twice.
#[component]
pub fn SetPinScreen(on_done: Callback<()>) -> impl IntoView {
    let locale = use_locale();
    let first = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let label = Signal::derive(move || {
        t(locale.get(), if first.get().is_some() { Text::RepeatPin } else { Text::SetPinTitle })
    });
    let on_complete = Callback::new(move |pin: String| match first.get_untracked() {
        None => {
            error.set(None);
            first.set(Some(pin));
        }
        Some(earlier) if earlier == pin && storage::valid_pin(&pin) => {
            if storage::set_staff_pin(&pin).is_ok() {
                on_done.run(());
            } else {
                error.set(Some(t(locale.get_untracked(), Text::StorageUnavailable).to_owned()));
            }
        }
        Some(_) => {
            first.set(None);
            error.set(Some(t(locale.get_untracked(), Text::PinMismatch).to_owned()));
        }
    });
    view! {
        <section class="set-pin card">
            <h2>{tr(Text::SetPinTitle)}</h2>
            <p class="hint">{tr(Text::SetPinHint)}</p>
            <PinPad label error on_complete />
        </section>
    }
}
