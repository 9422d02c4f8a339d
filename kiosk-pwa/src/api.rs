//! Calls to the server's JSON API (see API.md). Plain async functions, so
//! components never build requests or parse responses themselves.

use gloo_net::http::{Request, Response};
use pos_wire::{PairDevice, PairedDevice, Problem};
use serde::de::DeserializeOwned;
use web_sys::AbortSignal;

/// A request with no answer by then counts as unreachable, rather than
/// leaving a spinner on a kiosk forever.
const REQUEST_TIMEOUT_MS: u32 = 15_000;

/// Why a call did not return what was asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server refused and said why, as an RFC 9457 problem document.
    Problem(Problem),
    /// No answer: offline, server down, or timed out.
    Unreachable,
    /// An answer that is neither the expected body nor a problem document,
    /// such as a proxy's HTML error page.
    Unexpected { status: u16 },
}

/// Trades a pairing code, as typed, for this device's token. The server
/// ignores case, spaces and dashes in the code.
pub async fn pair_device(pairing_code: &str) -> Result<PairedDevice, ApiError> {
    let body = PairDevice { pairing_code: pairing_code.to_owned() };
    let response = Request::post("/api/v1/devices/pair")
        .abort_signal(Some(&AbortSignal::timeout_with_u32(REQUEST_TIMEOUT_MS)))
        .json(&body)
        .map_err(|_| ApiError::Unexpected { status: 0 })?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    read_json(response).await
}

/// The body as `T` on success, otherwise the problem document the server sent.
async fn read_json<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError::Unexpected { status });
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(ApiError::Problem(problem)),
        Err(_) => Err(ApiError::Unexpected { status }),
    }
}
