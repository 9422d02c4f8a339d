//! Offline approvals: a till that lost the network cannot check a
//! manager's PIN (it keeps none: a 4–6 digit PIN's hash on a device falls
//! to a brute force in seconds). It seals what the manager typed to the
//! server's public key instead ([`pos_wire::SealedApproval`]: ECDH P-256
//! with a one-time key of the till's, HKDF-SHA256, AES-256-GCM through the
//! browser's WebCrypto), and the server opens it at replay and checks the
//! PIN as it would online.
//!
//! The key pair is derived from the server's token secret, so every
//! process behind the proxy has the same one and nothing new is stored; a
//! new secret makes a new key (its `key_id` changes, and tills fetch it
//! again when online; a seal to an old key is not opened: the discount is
//! then flagged, never lost).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use hmac::{Hmac, Mac};
use p256::{PublicKey, SecretKey, elliptic_curve::sec1::ToEncodedPoint};
use pos_wire::{APPROVAL_SEAL_INFO, ApprovalKey, ApprovalSeal, SealedApproval};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, UnboundKey};
use sha2::{Digest, Sha256};

/// Why a sealed approval could not be opened (all of them: the discount is
/// kept and flagged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("sealed to another key")]
    OtherKey,
    #[error("not a sealed approval")]
    Malformed,
    #[error("does not open with this key")]
    DoesNotOpen,
}

/// The server's approval key pair.
pub struct ApprovalKeyPair {
    secret: SecretKey,
    public: ApprovalKey,
}

impl ApprovalKeyPair {
    /// The key pair of `server_secret` (the same on every process).
    pub fn derive(server_secret: &[u8]) -> ApprovalKeyPair {
        let secret = (0u8..=u8::MAX)
            .find_map(|counter| {
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(server_secret).ok()?;
                mac.update(b"pos offline approval key v1");
                mac.update(&[counter]);
                SecretKey::from_slice(&mac.finalize().into_bytes()).ok()
            })
            .expect("one of 256 derivations is a valid P-256 scalar");
        let point = secret.public_key().to_encoded_point(false);
        let key_id = hex::encode(&Sha256::digest(point.as_bytes())[..8]);
        let public = ApprovalKey { key_id, public_key: B64.encode(point.as_bytes()) };
        ApprovalKeyPair { secret, public }
    }

    pub fn public(&self) -> &ApprovalKey {
        &self.public
    }

    /// What a till sealed.
    pub fn open(&self, sealed: &SealedApproval) -> Result<ApprovalSeal, SealError> {
        if sealed.key_id != self.public.key_id {
            return Err(SealError::OtherKey);
        }
        let epk = B64.decode(&sealed.epk).map_err(|_| SealError::Malformed)?;
        let epk = PublicKey::from_sec1_bytes(&epk).map_err(|_| SealError::Malformed)?;
        let iv = B64.decode(&sealed.iv).map_err(|_| SealError::Malformed)?;
        let nonce = Nonce::try_assume_unique_for_key(&iv).map_err(|_| SealError::Malformed)?;
        let mut data = B64.decode(&sealed.ciphertext).map_err(|_| SealError::Malformed)?;
        if data.len() > 1024 {
            return Err(SealError::Malformed);
        }
        let key = content_key(&self.secret, &epk);
        let plain = key
            .open_in_place(nonce, Aad::from(sealed.key_id.as_bytes()), &mut data)
            .map_err(|_| SealError::DoesNotOpen)?;
        serde_json::from_slice(plain).map_err(|_| SealError::Malformed)
    }
}

/// The AES-256-GCM key of one seal: HKDF-SHA256 (empty salt) of the ECDH
/// secret, as WebCrypto's `deriveBits` + `deriveKey` make it on the till.
fn content_key(secret: &SecretKey, public: &PublicKey) -> LessSafeKey {
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), public.as_affine());
    let mut okm = [0u8; 32];
    shared.extract::<Sha256>(Some(&[])).expand(APPROVAL_SEAL_INFO, &mut okm).expect("32 bytes is a valid HKDF length");
    LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &okm).expect("32 bytes is an AES-256 key"))
}

/// Seals `content` to `key` as a till does (for tests and tools: the tills
/// seal in the browser).
pub fn seal(key: &ApprovalKey, content: &ApprovalSeal) -> SealedApproval {
    let server = PublicKey::from_sec1_bytes(&B64.decode(&key.public_key).expect("base64url")).expect("a P-256 point");
    let ephemeral = loop {
        if let Ok(k) = SecretKey::from_slice(&rand::random::<[u8; 32]>()) {
            break k;
        }
    };
    let iv: [u8; 12] = rand::random();
    let mut data = serde_json::to_vec(content).expect("serialisable");
    content_key(&ephemeral, &server)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(iv), Aad::from(key.key_id.as_bytes()), &mut data)
        .expect("sealing never fails");
    SealedApproval {
        key_id: key.key_id.clone(),
        epk: B64.encode(ephemeral.public_key().to_encoded_point(false).as_bytes()),
        iv: B64.encode(iv),
        ciphertext: B64.encode(data),
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn content() -> ApprovalSeal {
        ApprovalSeal {
            approver_id: Uuid::now_v7(),
            pin: "4321".into(),
            client_discount_id: Uuid::now_v7(),
            client_order_id: Uuid::now_v7(),
            outlet_id: Uuid::now_v7(),
            sealed_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn every_process_derives_the_same_key_and_only_it_opens_a_seal() {
        let a = ApprovalKeyPair::derive(b"a server secret of thirty-two bytes!");
        let again = ApprovalKeyPair::derive(b"a server secret of thirty-two bytes!");
        assert_eq!(a.public(), again.public());
        assert_eq!(B64.decode(&a.public().public_key).unwrap().len(), 65);
        let what = content();
        let sealed = seal(a.public(), &what);
        assert_eq!(again.open(&sealed).unwrap(), what);

        let other = ApprovalKeyPair::derive(b"another secret");
        assert_ne!(other.public().key_id, a.public().key_id);
        assert_eq!(other.open(&sealed), Err(SealError::OtherKey));
        let forged = SealedApproval { key_id: other.public().key_id.clone(), ..sealed.clone() };
        assert_eq!(other.open(&forged), Err(SealError::DoesNotOpen));
    }

    #[test]
    fn a_changed_seal_does_not_open() {
        let key = ApprovalKeyPair::derive(b"secret");
        let sealed = seal(key.public(), &content());
        let mut bytes = B64.decode(&sealed.ciphertext).unwrap();
        bytes[0] ^= 1;
        let tampered = SealedApproval { ciphertext: B64.encode(bytes), ..sealed.clone() };
        assert_eq!(key.open(&tampered), Err(SealError::DoesNotOpen));
        let garbage = SealedApproval { epk: "AAAA".into(), ..sealed };
        assert_eq!(key.open(&garbage), Err(SealError::Malformed));
    }
}
