//! The kiosk's staff PIN as it is stored: PBKDF2-HMAC-SHA256 with a random
//! per-device salt and the iteration count kept beside it. A stable, specified
//! function, so no compiler or library upgrade can change what a stored PIN
//! hashes to and lock staff out, which std's `DefaultHasher` (what earlier
//! builds used) does not promise. It is still a 4-digit PIN on a device the
//! public can touch: the hashing keeps it from being read at a glance or
//! tried instantly, not from a patient attacker with the tablet's storage.
//!
//! Plain functions, no browser: `storage` keeps the record in localStorage.

use std::hash::Hasher;

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// PBKDF2 rounds for new PINs (0.1 to 0.3 s in a kiosk's
/// browser). Stored with each PIN, so raising it later leaves old PINs valid.
pub const ITERATIONS: u32 = 100_000;
pub const SALT_BYTES: usize = 16;
const KDF: &str = "pbkdf2-sha256";

/// The stored form of the staff PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StoredPin {
    Pbkdf2 {
        kdf: String,
        iterations: u32,
        /// Hex.
        salt: String,
        /// Hex, 32 bytes.
        hash: String,
    },
    /// Builds before this one: std's `DefaultHasher` (SipHash-1-3, zero
    /// keys) over `(salt, pin)`. Checked once with a frozen copy of that
    /// function, then replaced by [`StoredPin::Pbkdf2`].
    Legacy { salt: u64, hash: u64 },
}

/// What checking a PIN found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Wrong,
    Right,
    /// Right, but stored in an old form: store it again with [`StoredPin::new`].
    RightButOutdated,
}

impl StoredPin {
    /// The record of `pin` with `salt` (random, [`SALT_BYTES`] long).
    pub fn new(pin: &str, salt: &[u8]) -> StoredPin {
        StoredPin::Pbkdf2 {
            kdf: KDF.into(),
            iterations: ITERATIONS,
            salt: hex(salt),
            hash: hex(&derive(pin, salt, ITERATIONS)),
        }
    }

    pub fn check(&self, pin: &str) -> Verdict {
        match self {
            StoredPin::Pbkdf2 { kdf, iterations, salt, hash } => {
                let Some(salt) = unhex(salt) else { return Verdict::Wrong };
                if kdf != KDF
                    || *iterations == 0
                    || !bool::from(hex(&derive(pin, &salt, *iterations)).as_bytes().ct_eq(hash.as_bytes()))
                {
                    Verdict::Wrong
                } else if *iterations < ITERATIONS {
                    Verdict::RightButOutdated
                } else {
                    Verdict::Right
                }
            }
            StoredPin::Legacy { salt, hash } => {
                if legacy_hash(*salt, pin) == *hash {
                    Verdict::RightButOutdated
                } else {
                    Verdict::Wrong
                }
            }
        }
    }
}

/// PBKDF2-HMAC-SHA256 of the PIN (surrounding blanks ignored), 32 bytes.
pub fn derive(pin: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    pbkdf2::pbkdf2_hmac_array::<sha2::Sha256, 32>(pin.trim().as_bytes(), salt, iterations)
}

/// What `DefaultHasher::new()` gave for `(salt, pin.trim())` when earlier
/// builds stored PINs: SipHash-1-3 with zero keys over the salt's bytes, the
/// PIN's bytes and the 0xFF that ends a hashed `str`.
fn legacy_hash(salt: u64, pin: &str) -> u64 {
    let mut hasher = siphasher::sip::SipHasher13::new_with_keys(0, 0);
    hasher.write(&salt.to_le_bytes());
    hasher.write(pin.trim().as_bytes());
    hasher.write(&[0xFF]);
    hasher.finish()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_matches_the_published_test_vectors() {
        // RFC 7914 §11 (PBKDF2-HMAC-SHA256), and the widely published
        // "password"/"salt" vectors: the function cannot drift.
        assert_eq!(
            hex(&pbkdf2::pbkdf2_hmac_array::<sha2::Sha256, 64>(b"passwd", b"salt", 1)),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
             49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
        );
        assert_eq!(
            hex(&derive("password", b"salt", 1)),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
        );
        assert_eq!(
            hex(&derive("password", b"salt", 4096)),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"
        );
    }

    #[test]
    fn a_stored_pin_opens_only_with_its_pin_and_survives_serialisation() {
        let salt = [7u8; SALT_BYTES];
        let stored = StoredPin::new("4821", &salt);
        let json = serde_json::to_string(&stored).unwrap();
        assert!(!json.contains("4821"), "{json}");
        let back: StoredPin = serde_json::from_str(&json).unwrap();
        assert_eq!(back, stored);
        assert_eq!(back.check("4821"), Verdict::Right);
        assert_eq!(back.check(" 4821 "), Verdict::Right);
        assert_eq!(back.check("4822"), Verdict::Wrong);
        assert_eq!(back.check(""), Verdict::Wrong);
        assert_ne!(StoredPin::new("4821", &[8u8; SALT_BYTES]), stored, "salted: same PIN, other device, other hash");
    }

    #[test]
    fn a_pin_stored_with_fewer_rounds_still_opens_and_asks_to_be_rehashed() {
        let salt = [1u8; SALT_BYTES];
        let weak = StoredPin::Pbkdf2 {
            kdf: KDF.into(),
            iterations: 1000,
            salt: hex(&salt),
            hash: hex(&derive("1234", &salt, 1000)),
        };
        assert_eq!(weak.check("1234"), Verdict::RightButOutdated);
        assert_eq!(weak.check("4321"), Verdict::Wrong);
        let broken =
            StoredPin::Pbkdf2 { kdf: "md5".into(), iterations: ITERATIONS, salt: "zz".into(), hash: "00".into() };
        assert_eq!(broken.check("1234"), Verdict::Wrong, "an unreadable record opens nothing");
    }

    /// The frozen legacy function equals what earlier builds stored (std's
    /// DefaultHasher today). Should a future std change DefaultHasher, this
    /// test fails while `legacy_hash` keeps opening those old PINs: then
    /// delete the comparison, keep the fixed values.
    #[test]
    fn legacy_pins_open_once_and_ask_to_be_rehashed() {
        use std::hash::Hash;
        for (salt, pin) in [(0u64, "0000"), (1_234_567_890_123, "4821"), (u64::MAX, "9999")] {
            let mut std_hasher = std::collections::hash_map::DefaultHasher::new();
            (salt, pin).hash(&mut std_hasher);
            assert_eq!(legacy_hash(salt, pin), std_hasher.finish(), "{salt} {pin}");
        }
        // What a build of late 2026 stored for salt 1234567890123 and PIN 4821.
        let fixed = 9_435_496_587_122_423_225;
        assert_eq!(legacy_hash(1_234_567_890_123, "4821"), fixed);
        let old: StoredPin = serde_json::from_str(&format!(r#"{{"salt":1234567890123,"hash":{fixed}}}"#)).unwrap();
        assert_eq!(old, StoredPin::Legacy { salt: 1_234_567_890_123, hash: fixed });
        assert_eq!(old.check("4821"), Verdict::RightButOutdated);
        assert_eq!(old.check("4822"), Verdict::Wrong);
    }

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        assert_eq!(unhex(&hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("zz"), None);
    }
}
