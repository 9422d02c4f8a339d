use leptos::{ev, prelude::*};
use pos_wire::{PairedDevice, TillStaff};

use crate::{
    api::{self, ApiError},
    clock,
    components::kiosk::DigitKeys,
    i18n::{Text, t},
    locale::{tr, use_locale},
    till::Cashier,
};

/// The outlet's staff with a PIN as large buttons; tap a name, type the
/// PIN (keys or keyboard, Enter signs in).
#[component]
pub fn CashierSignIn(device: PairedDevice, on_signed_in: Callback<Cashier>) -> impl IntoView {
    let locale = use_locale();
    let staff = RwSignal::new(None::<Result<Vec<TillStaff>, ApiError>>);
    let chosen = RwSignal::new(None::<TillStaff>);
    let pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let device_for_list = device.clone();
    leptos::task::spawn_local(async move { staff.set(Some(api::till_staff(&device_for_list).await)) });

    let device = StoredValue::new(device);
    let submit = move || {
        let (Some(person), digits) = (chosen.get_untracked(), pin.get_untracked()) else { return };
        if digits.len() < 4 || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let device = device.get_value();
        leptos::task::spawn_local(async move {
            match api::till_sign_in(&device, person.id, &digits).await {
                Ok(session) => on_signed_in.run(Cashier::from_session(session, clock::now_ms())),
                Err(e) => {
                    let text = match e.status() {
                        Some(401) => t(locale.get_untracked(), Text::SignInRefused).to_owned(),
                        Some(429) => t(locale.get_untracked(), Text::TooManyTries).to_owned(),
                        _ => e.message(locale.get_untracked()),
                    };
                    error.set(Some(text));
                }
            }
            pin.set(String::new());
            busy.set(false);
        });
    };
    let press = move |d: char| {
        error.set(None);
        pin.update(|p| {
            if p.len() < 6 {
                p.push(d);
            }
        });
    };

    let people = move || match staff.get() {
        None => view! { <p class="muted">"…"</p> }.into_any(),
        Some(Err(_)) => view! { <p class="field-error">{tr(Text::StaffNeedsConnection)}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{tr(Text::NoStaffWithPin)}</p> }.into_any(),
        Some(Ok(list)) => list
            .into_iter()
            .map(|person| {
                let (id, name) = (person.id, person.name.clone());
                view! {
                    <button
                        type="button"
                        class="staff-choice"
                        data-user-id=id.to_string()
                        aria-pressed=move || chosen.with(|c| c.as_ref().is_some_and(|c| c.id == id)).to_string()
                        on:click=move |_| {
                            chosen.set(Some(person.clone()));
                            pin.set(String::new());
                            error.set(None);
                        }
                    >
                        {name}
                    </button>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <section class="till-sign-in">
            <h2>{tr(Text::WhoIsSigningIn)}</h2>
            <div class="staff-choices">{people}</div>
            <Show when=move || chosen.with(Option::is_some)>
                <form
                    class="pin-pad till-pin"
                    on:submit=move |ev: ev::SubmitEvent| {
                        ev.prevent_default();
                        submit();
                    }
                >
                    <label for="till-pin">
                        {move || chosen.with(|c| c.as_ref().map(|c| c.name.clone()).unwrap_or_default())}
                    </label>
                    <input
                        id="till-pin"
                        class="pin-input"
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="6"
                        autofocus
                        prop:value=move || pin.get()
                        on:input=move |ev| {
                            error.set(None);
                            pin.set(event_target_value(&ev).chars().filter(char::is_ascii_digit).take(6).collect());
                        }
                    />
                    <p class="field-error" aria-live="polite">{move || error.get()}</p>
                    <DigitKeys on_digit=Callback::new(press) on_clear=Callback::new(move |()| pin.set(String::new())) />
                    <button type="submit" class="primary sign-in-button" disabled=move || busy.get()>
                        {tr(Text::SignIn)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
