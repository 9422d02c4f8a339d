//! A manager's approval typed on the till while it is offline. The till
//! cannot check the PIN (it keeps none: a 4–6 digit PIN's hash on a device
//! falls to a brute force in seconds), so it seals what was typed to the
//! server's approval key with the browser's WebCrypto (ECDH P-256 with a
//! one-time key, HKDF-SHA256, AES-256-GCM): the PIN only exists readable
//! for the moment it is sealed; the queue holds the seal, which only the
//! server opens and checks at replay.
//!
//! While online the till keeps the server's key and the names of who may
//! approve (ids and names, no PINs) in localStorage, for when it is not.

use gloo_storage::{LocalStorage, Storage};
use js_sys::{Array, Object, Reflect, Uint8Array};
use pos_wire::{APPROVAL_SEAL_INFO, ApprovalKey, ApprovalSeal, PairedDevice, Role, SealedApproval, TillStaff};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

use crate::api;

const KEY_KEY: &str = "pos.till.approval-key";
const APPROVERS_KEY: &str = "pos.till.approvers";

/// The server's approval key, as last fetched.
pub fn stored_key() -> Option<ApprovalKey> {
    LocalStorage::get(KEY_KEY).ok()
}

/// Who may approve at this till (owners and managers), as last listed online.
pub fn stored_approvers() -> Vec<TillStaff> {
    LocalStorage::get(APPROVERS_KEY).unwrap_or_default()
}

/// Keeps who may approve, from a staff list fetched online.
pub fn remember_approvers(staff: &[TillStaff]) {
    let approvers: Vec<&TillStaff> = staff.iter().filter(|s| matches!(s.role, Role::Owner | Role::Manager)).collect();
    let _ = LocalStorage::set(APPROVERS_KEY, approvers);
}

/// Fetches the server's key and who may approve, for later offline use.
pub async fn refresh(till: &PairedDevice) {
    if let Ok(key) = api::approval_key(till).await {
        let _ = LocalStorage::set(KEY_KEY, key);
    }
    if let Ok(staff) = api::till_staff(till).await {
        remember_approvers(&staff);
    }
}

/// Seals `content` to `key` (see the module docs).
pub async fn seal(key: &ApprovalKey, content: &ApprovalSeal) -> Result<SealedApproval, String> {
    sealed(key, content).await.map_err(|e| e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

async fn sealed(key: &ApprovalKey, content: &ApprovalSeal) -> Result<SealedApproval, JsValue> {
    let subtle = subtle()?;
    let server_point = b64url_decode(&key.public_key).ok_or("bad key")?;
    let ec = object(&[("name", "ECDH".into()), ("namedCurve", "P-256".into())])?;
    let server: CryptoKey = resolve(subtle.import_key_with_object(
        "raw",
        &Uint8Array::from(server_point.as_slice()),
        &ec,
        false,
        &Array::new(),
    )?)
    .await?;
    let pair =
        resolve::<JsValue>(subtle.generate_key_with_object(&ec, false, &Array::of1(&"deriveBits".into()))?).await?;
    let own_private: CryptoKey = Reflect::get(&pair, &"privateKey".into())?.dyn_into()?;
    let own_public: CryptoKey = Reflect::get(&pair, &"publicKey".into())?.dyn_into()?;
    let derive = object(&[("name", "ECDH".into()), ("public", server.into())])?;
    let shared: JsValue = resolve(subtle.derive_bits_with_object(&derive, &own_private, 256)?).await?;
    let hkdf_in: CryptoKey = resolve(subtle.import_key_with_object(
        "raw",
        &Uint8Array::new(&shared),
        &object(&[("name", "HKDF".into())])?,
        false,
        &Array::of1(&"deriveKey".into()),
    )?)
    .await?;
    let hkdf = object(&[
        ("name", "HKDF".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::new_with_length(0).into()),
        ("info", Uint8Array::from(APPROVAL_SEAL_INFO).into()),
    ])?;
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())])?;
    let content_key: CryptoKey = resolve(subtle.derive_key_with_object_and_object(
        &hkdf,
        &hkdf_in,
        &aes,
        false,
        &Array::of1(&"encrypt".into()),
    )?)
    .await?;
    // A fresh key per seal: the nonce need only be unique under it; it is random anyway.
    let iv = &uuid::Uuid::new_v4().into_bytes()[..12];
    let gcm = object(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(iv).into()),
        ("additionalData", Uint8Array::from(key.key_id.as_bytes()).into()),
    ])?;
    let plain = serde_json::to_vec(content).map_err(|e| e.to_string())?;
    let ciphertext: JsValue = resolve(subtle.encrypt_with_object_and_u8_array(&gcm, &content_key, &plain)?).await?;
    let epk: JsValue = resolve(subtle.export_key("raw", &own_public)?).await?;
    Ok(SealedApproval {
        key_id: key.key_id.clone(),
        epk: b64url(&Uint8Array::new(&epk).to_vec()),
        iv: b64url(iv),
        ciphertext: b64url(&Uint8Array::new(&ciphertext).to_vec()),
    })
}

fn subtle() -> Result<SubtleCrypto, JsValue> {
    let crypto = web_sys::window().ok_or("no window")?.crypto()?;
    Ok(crypto.subtle())
}

async fn resolve<T: JsCast>(promise: js_sys::Promise) -> Result<T, JsValue> {
    JsFuture::from(promise).await?.dyn_into().map_err(|v| JsValue::from(format!("unexpected {v:?}")))
}

fn object(fields: &[(&str, JsValue)]) -> Result<Object, JsValue> {
    let o = Object::new();
    for (name, value) in fields {
        Reflect::set(&o, &(*name).into(), value)?;
    }
    Ok(o)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
pub fn b64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// base64url (padding optional); `None` for anything else.
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u32> = text
        .trim_end_matches('=')
        .bytes()
        .map(|c| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32))
        .collect::<Option<_>>()?;
    if digits.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, d)| n | (d << (18 - 6 * i)));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_as_the_server_writes_it() {
        // RFC 4648 test vectors, URL-safe, unpadded.
        for (plain, encoded) in
            [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")]
        {
            assert_eq!(b64url(plain.as_bytes()), encoded);
            assert_eq!(b64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(b64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64url_decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(b64url_decode("a"), None);
        assert_eq!(b64url_decode("a+b/"), None);
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(b64url_decode(&b64url(&all)).unwrap(), all);
    }
}
