//! Each outlet's current menu stamp in memory, so a conditional
//! `GET /outlets/{id}/menu` that finds the menu unchanged answers 304
//! without the database.
//!
//! An entry is used only while all of these hold:
//! - the tenant's menu epoch is the one it was read under (a commit that
//!   changes any menu replaces the epoch before it answers, see
//!   `db::epochs`): a write through any process is seen by the next request;
//! - the event fan-out is connected, and no menu event of the tenant has
//!   been delivered since (this process forgets the tenant's stamps before
//!   its streams show such an event, so a device that refetches on it never
//!   gets the old 304);
//! - the outlet's earliest pending timed 86 has not run out (that changes
//!   the stamp without any write), and the entry is younger than [`TTL`].

use std::{
    collections::HashMap,
    sync::{
        Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use uuid::Uuid;

use super::menu::{self, MenuStamp};
use crate::{
    auth::principal::{Authenticated, Scoped},
    error::Result,
    events::{OutletEvent, bus::DeliveryWatcher},
    state::AppState,
};

/// The longest an entry is trusted, whatever else holds.
pub const TTL: Duration = Duration::from_secs(30);
/// Outlets remembered at most (all are forgotten when full).
const MAX_ENTRIES: usize = 20_000;

struct Entry {
    menu_epoch: String,
    stamp: MenuStamp,
    until: Instant,
}

/// The stamps by (tenant, outlet).
#[derive(Default)]
pub struct MenuStamps {
    entries: Mutex<HashMap<(Uuid, Uuid), Entry>>,
    /// Bumped whenever entries are forgotten: a stamp read from the
    /// database before that is not remembered (it may be the old one).
    generation: AtomicU64,
}

/// Where a request stands before it reads a stamp from the database.
#[derive(Debug, Clone, Copy)]
pub struct Before {
    generation: u64,
    at: Instant,
}

impl MenuStamps {
    /// The remembered stamp of the outlet, if it is still the current one
    /// under `menu_epoch` (read from Redis for this request).
    pub fn get(&self, tenant_id: Uuid, outlet_id: Uuid, menu_epoch: &str) -> Option<MenuStamp> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let found = entries
            .get(&(tenant_id, outlet_id))
            .filter(|e| e.menu_epoch == menu_epoch && Instant::now() < e.until)
            .map(|e| e.stamp.clone());
        metrics::counter!("menu_stamp_cache_total", "result" => if found.is_some() { "hit" } else { "miss" })
            .increment(1);
        found
    }

    /// To be taken before the request's epochs and stamp are read.
    pub fn before_read(&self, at: Instant) -> Before {
        Before { generation: self.generation.load(Ordering::Acquire), at }
    }

    /// Remembers `stamp`, read from the database after `before` under
    /// `menu_epoch`; `horizon` is how long it stays current without a
    /// write, counted from the reading transaction's start (which was
    /// after `before.at`).
    pub fn put(
        &self,
        before: Before,
        tenant_id: Uuid,
        outlet_id: Uuid,
        menu_epoch: &str,
        stamp: MenuStamp,
        horizon: Option<Duration>,
    ) {
        let until = before.at + horizon.map_or(TTL, |h| h.min(TTL));
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if self.generation.load(Ordering::Acquire) != before.generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert((tenant_id, outlet_id), Entry { menu_epoch: menu_epoch.to_string(), stamp, until });
    }

    fn forget(&self, which: impl FnOnce(&mut HashMap<(Uuid, Uuid), Entry>)) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        which(&mut entries);
    }
}

impl DeliveryWatcher for MenuStamps {
    fn before_delivery(&self, tenant_id: Uuid, events: &[OutletEvent]) {
        // Catalogue changes are brand-wide: forget every outlet of the tenant.
        if events.iter().any(OutletEvent::changes_menu) {
            self.forget(|entries| entries.retain(|(tenant, _), _| *tenant != tenant_id));
        }
    }

    fn fanout_interrupted(&self) {
        self.forget(HashMap::clear);
    }
}

/// Where a menu request's database work stands.
pub enum MenuRead {
    /// The stamp came from memory; no transaction of the request's own yet.
    Remembered(Authenticated),
    /// The stamp was read in the request's transaction.
    Read(Scoped),
}

impl MenuRead {
    /// The request's transaction, opened now if it is not yet.
    pub async fn scoped(self, state: &AppState) -> Result<Scoped> {
        match self {
            MenuRead::Remembered(who) => who.into_scoped(state).await,
            MenuRead::Read(s) => Ok(s),
        }
    }

    /// Ends a request that needs nothing more from the database.
    pub async fn finish(self) -> Result<()> {
        match self {
            MenuRead::Remembered(who) => who.finish().await,
            MenuRead::Read(s) => s.tx.commit().await,
        }
    }
}

/// The outlet's current stamp: from memory when it can be trusted (see
/// the module), else from the database (404 when the outlet is not
/// visible to the caller), remembered for the next request.
pub async fn current_stamp(state: &AppState, who: Authenticated, outlet_id: Uuid) -> Result<(MenuStamp, MenuRead)> {
    let tenant_id = who.actor.tenant_id;
    let trusted_epoch = who.epochs.as_ref().filter(|_| state.events.fanout_healthy()).map(|e| e.menu.clone());
    if let Some(epoch) = &trusted_epoch
        && who.outlets.contains(outlet_id)
        && let Some(stamp) = state.menu_stamps.get(tenant_id, outlet_id, epoch)
    {
        return Ok((stamp, MenuRead::Remembered(who)));
    }
    let before = state.menu_stamps.before_read(who.started);
    let s = who.into_scoped(state).await?;
    let (stamp, horizon) = menu::stamp_and_horizon(&s.tx, outlet_id).await?;
    if let Some(epoch) = &trusted_epoch
        && state.events.fanout_healthy()
    {
        state.menu_stamps.put(before, tenant_id, outlet_id, epoch, stamp.clone(), horizon);
    }
    Ok((stamp, MenuRead::Read(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(v: i64) -> MenuStamp {
        MenuStamp { menu_version: v, expired_86: 0, currency: "IDR".into() }
    }

    #[test]
    fn an_entry_needs_its_epoch_and_no_forgetting_in_between() {
        let stamps = MenuStamps::default();
        let (t, o) = (Uuid::now_v7(), Uuid::now_v7());
        let before = stamps.before_read(Instant::now());
        stamps.put(before, t, o, "e1", stamp(1), None);
        assert_eq!(stamps.get(t, o, "e1"), Some(stamp(1)));
        assert_eq!(stamps.get(t, o, "e2"), None);

        // A read that overlapped a forgetting is not remembered.
        let before = stamps.before_read(Instant::now());
        stamps.fanout_interrupted();
        stamps.put(before, t, o, "e1", stamp(1), None);
        assert_eq!(stamps.get(t, o, "e1"), None);
    }

    #[test]
    fn a_pending_timed_86_bounds_the_entry() {
        let stamps = MenuStamps::default();
        let (t, o) = (Uuid::now_v7(), Uuid::now_v7());
        let before = stamps.before_read(Instant::now());
        stamps.put(before, t, o, "e1", stamp(1), Some(Duration::ZERO));
        assert_eq!(stamps.get(t, o, "e1"), None);
    }
}
