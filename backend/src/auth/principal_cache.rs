//! Principals (devices, staff sessions) resolved recently by this process,
//! so most requests skip re-reading them from the database.
//!
//! An entry is used only under the tenant's auth epoch it was filled under
//! (read from Redis before the database read that filled it; see
//! `db::epochs`), and for at most [`TTL`]. Every commit that may end or
//! narrow a principal replaces that epoch before it answers, so "revoked →
//! refused on the next request" holds across server processes. Only
//! principals the database accepted are kept: a refusal is never cached.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use uuid::Uuid;

use super::{
    ActorKind,
    jwt::{Claims, TokenType},
};
use crate::db::OutletScope;

/// The longest an entry is trusted, whatever its epoch.
pub const TTL: Duration = Duration::from_secs(30);
/// How often a device's use is recorded (`devices.last_seen_at`).
pub const TOUCH_EVERY: Duration = Duration::from_secs(60);
/// Principals remembered at most (expired ones go first, then all).
const MAX_ENTRIES: usize = 50_000;

/// What a token's claims name: the same claims, the same principal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Device { tenant_id: Uuid, device_id: Uuid, outlet_id: Option<Uuid> },
    Staff { tenant_id: Uuid, user_id: Uuid, session_id: Option<Uuid>, till_id: Option<Uuid> },
}

impl Key {
    fn of(claims: &Claims) -> Key {
        match claims.typ {
            TokenType::Device => Key::Device { tenant_id: claims.tid, device_id: claims.sub, outlet_id: claims.oid },
            TokenType::Staff => {
                Key::Staff { tenant_id: claims.tid, user_id: claims.sub, session_id: claims.sid, till_id: claims.till }
            }
        }
    }
}

/// A principal as the database last accepted it.
#[derive(Debug, Clone)]
pub struct Known {
    pub kind: ActorKind,
    /// The outlet scope its transactions are opened with.
    pub outlets: OutletScope,
}

struct Entry {
    auth_epoch: String,
    known: Known,
    until: Instant,
    /// From then on a device's use is due to be recorded again: the entry
    /// is not used, and the database path (which records it) refills it.
    touch_due_at: Option<Instant>,
}

#[derive(Default)]
pub struct PrincipalCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl PrincipalCache {
    /// The principal of `claims`, if cached under `auth_epoch` (the
    /// tenant's current one), not expired, and (a device) its use not due
    /// to be recorded.
    pub fn get(&self, claims: &Claims, auth_epoch: &str) -> Option<Known> {
        let now = Instant::now();
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let hit = entries
            .get(&Key::of(claims))
            .filter(|e| e.auth_epoch == auth_epoch && now < e.until && e.touch_due_at.is_none_or(|at| now < at))
            .map(|e| e.known.clone());
        drop(entries);
        metrics::counter!("principal_cache_total", "result" => if hit.is_some() { "hit" } else { "miss" }).increment(1);
        hit
    }

    /// Remembers what the database said of `claims`' principal, read after
    /// `auth_epoch` was; `use_recorded`: a device's use is recorded as of
    /// now (that read recorded it, or it was recorded less than
    /// [`TOUCH_EVERY`] ago).
    pub fn put(&self, claims: &Claims, auth_epoch: &str, known: Known, use_recorded: bool) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, e| now < e.until);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        let touch_due_at = match known.kind {
            ActorKind::Device { .. } => Some(if use_recorded { now + TOUCH_EVERY } else { now }),
            ActorKind::Staff { .. } => None,
        };
        let entry = Entry { auth_epoch: auth_epoch.to_string(), known, until: now + TTL, touch_due_at };
        entries.insert(Key::of(claims), entry);
    }
}
