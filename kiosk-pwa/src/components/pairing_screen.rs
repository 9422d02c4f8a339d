use leptos::{ev::SubmitEvent, prelude::*};
use pos_wire::{DeviceKind, PairedDevice};

use crate::api::{self, ApiError};
use crate::app::home_path;
use crate::i18n::{Locale, Text, t};
use crate::locale::{tr, use_locale};
use crate::storage;

/// The field the server names in a problem document for a bad code.
const CODE_FIELD: &str = "pairing_code";

/// Asks for the pairing code made in the admin and trades it for a device
/// token, which is stored before `on_paired` hears of it. A code in the
/// address (`?pair=CODE`, as a setup link or QR code carries it) is used at
/// once.
#[component]
pub fn PairingScreen(kind: DeviceKind, on_paired: Callback<PairedDevice>) -> impl IntoView {
    let locale = use_locale();
    let heading = match kind {
        DeviceKind::Kiosk => Text::PairKioskHeading,
        DeviceKind::Kds => Text::PairKdsHeading,
        DeviceKind::Board => Text::PairBoardHeading,
        DeviceKind::Till => Text::PairTillHeading,
    };
    let code = RwSignal::new(String::new());
    let pair = Action::new_unsync(move |code: &String| {
        let code = code.clone();
        async move {
            let device = api::pair_device(&code).await.map_err(PairingFailure::Refused)?;
            storage::remember_device(&device).map_err(|_| PairingFailure::NotSaved)?;
            if device.kind != kind {
                return Err(PairingFailure::OtherScreen(device.kind));
            }
            on_paired.run(device);
            Ok::<(), PairingFailure>(())
        }
    });
    if let Some(from_link) = code_in_address() {
        code.set(from_link.clone());
        pair.dispatch(from_link);
    }
    let pending = pair.pending();
    // A new attempt hides the last one's failure until it has its own answer.
    let failure = move || {
        if pending.get() { None } else { pair.value().get().and_then(Result::err) }
    };
    let code_error = move || {
        failure()
            .and_then(|f| f.code_error(locale.get()))
            .map(|message| format!("{}: {message}", t(locale.get(), Text::PairingCodeLabel)))
    };
    let message = move || failure().and_then(|f| f.message(locale.get()));
    let other_screen = move || match failure() {
        Some(PairingFailure::OtherScreen(kind)) => Some(home_path(kind)),
        _ => None,
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked().trim().to_owned();
        if !typed.is_empty() && !pending.get_untracked() {
            pair.dispatch(typed);
        }
    };
    let cannot_submit = move || pending.get() || code.with(|c| c.trim().is_empty());

    view! {
        <section class="pairing">
            <h2>{tr(heading)}</h2>
            <p class="hint">{tr(Text::PairHint)}</p>
            <form on:submit=submit novalidate>
                <label for="pairing-code">{tr(Text::PairingCodeLabel)}</label>
                <input
                    id="pairing-code"
                    class="code-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    enterkeyhint="go"
                    maxlength="16"
                    placeholder="ABCD-2345"
                    autofocus
                    aria-invalid=move || code_error().is_some().to_string()
                    aria-describedby="pairing-code-error"
                    bind:value=code
                />
                <p id="pairing-code-error" class="field-error" aria-live="polite">
                    {code_error}
                </p>
                <button type="submit" class="primary" disabled=cannot_submit>
                    {move || {
                        t(locale.get(), if pending.get() { Text::Pairing } else { Text::PairButton })
                    }}
                </button>
            </form>
            <Show when=move || message().is_some()>
                <p class="alert" role="alert">
                    {message}
                    {move || {
                        other_screen()
                            .map(|href| {
                                view! {
                                    " "
                                    <a href=href>{tr(Text::OpenItsScreen)}</a>
                                }
                            })
                    }}
                </p>
            </Show>
        </section>
    }
}

/// `?pair=CODE` in the address, taken out of it (and of the history) so a
/// reload or a revoked pairing does not try the used code again.
fn code_in_address() -> Option<String> {
    let window = web_sys::window()?;
    let location = window.location();
    let url = web_sys::Url::new(&location.href().ok()?).ok()?;
    let params = url.search_params();
    let code = params.get("pair").map(|c| c.trim().to_owned()).filter(|c| !c.is_empty())?;
    params.delete("pair");
    let clean = format!("{}{}{}", url.pathname(), url.search(), url.hash());
    let _ = window.history().ok()?.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    Some(code)
}

/// Why pairing did not complete.
#[derive(Debug, Clone, PartialEq)]
enum PairingFailure {
    Refused(ApiError),
    /// Paired on the server, but the token could not be kept in this browser.
    NotSaved,
    /// A code for the other kind of screen (kept: that screen is now paired).
    OtherScreen(DeviceKind),
}

impl PairingFailure {
    /// The server's complaint about the code itself, shown under the input.
    fn code_error(&self, locale: Locale) -> Option<String> {
        match self {
            PairingFailure::Refused(ApiError::Problem(problem)) => {
                problem.field_messages(locale).remove(CODE_FIELD).and_then(|messages| messages.into_iter().next())
            }
            _ => None,
        }
    }

    /// Everything else worth saying, shown below the form.
    fn message(&self, locale: Locale) -> Option<String> {
        match self {
            PairingFailure::Refused(ApiError::Problem(problem)) => {
                let fields = problem.field_messages(locale);
                let other_fields: Vec<String> = fields
                    .iter()
                    .filter(|(field, _)| field.as_str() != CODE_FIELD)
                    .flat_map(|(field, messages)| messages.iter().map(move |m| format!("{field}: {m}")))
                    .collect();
                if !other_fields.is_empty() {
                    Some(other_fields.join("; "))
                } else if fields.contains_key(CODE_FIELD) {
                    None
                } else {
                    Some(problem.message(locale))
                }
            }
            PairingFailure::Refused(ApiError::Unreachable) => Some(t(locale, Text::ServerUnreachable).to_owned()),
            PairingFailure::Refused(ApiError::Unexpected { status }) => {
                Some(format!("{} (HTTP {status}).", t(locale, Text::PairingFailed)))
            }
            PairingFailure::NotSaved => Some(t(locale, Text::StorageUnavailable).to_owned()),
            PairingFailure::OtherScreen(_) => Some(t(locale, Text::PairedForOtherScreen).to_owned()),
        }
    }
}
