//! The kiosk's menu: a cache of the outlet's catalogue in IndexedDB, kept
//! current with `sync/pull` (a full snapshot the first time, then changes
//! after the stored cursor), and the effective menu the customer sees
//! (outlet prices applied, unavailable items hidden).

use std::{
    cell::{Cell, RefCell},
    collections::{HashMap, HashSet},
    rc::Rc,
};

use leptos::prelude::*;
use pos_wire::{Category, ChangeOp, ItemOverride, KitchenRelease, MenuItem, ModifierGroup, Outlet, PairedDevice};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    api::{self, ApiError},
    clock, db,
    net::Connectivity,
};

const PAGE_SIZE: u32 = 500;
/// How often a screen calls [`MenuSync::poll`] (events make changes quicker).
pub const POLL_MS: u32 = 30_000;
const DEFAULT_CURRENCY: &str = "IDR";

/// One cached catalogue row, as stored in [`db::MENU`].
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CachedRow {
    /// `"<entity>:<id>"`
    key: String,
    entity: String,
    data: serde_json::Value,
}

/// A cached row's entity, read back through its JSON text: the bundle then
/// carries one parser per catalogue type (the one from text, which the rest
/// of the app uses too), not a second one from `serde_json::Value`; about
/// 30 KiB of WASM (issue 12).
fn parse_row<T: serde::de::DeserializeOwned>(data: &serde_json::Value) -> serde_json::Result<T> {
    serde_json::from_str(&data.to_string())
}

fn row_key(entity: &str, id: Uuid) -> String {
    format!("{entity}:{id}")
}

/// The outlet's settings the kiosk needs.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletInfo {
    pub name: String,
    pub is_open: bool,
    pub tax_rate_bp: i32,
    pub service_charge_bp: i32,
    /// Whether kiosk orders wait for payment before the kitchen sees them.
    pub kitchen_release: KitchenRelease,
    /// Cash due is rounded to this (the server's rule; the till shows it).
    pub cash_rounding_step: i64,
    /// Discounts above this share need a manager's PIN (the server's rule,
    /// `pos_wire::above_limit`; 0 until known: then every one asks).
    pub discount_limit_bp: i32,
}

/// An item as the customer can order it now.
#[derive(Debug, Clone, PartialEq)]
pub struct MenuEntry {
    pub id: Uuid,
    pub name: String,
    /// The item's code (SKU/PLU) the till searches by.
    pub code: Option<String>,
    pub description: String,
    pub price_minor: i64,
    pub image_url: Option<String>,
    /// Only groups and options the server has given ids (orders refer to them).
    pub modifier_groups: Vec<ModifierGroup>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MenuCategory {
    pub id: Uuid,
    pub name: String,
    pub items: Vec<MenuEntry>,
}

/// What the kiosk shows: categories with at least one available item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Menu {
    pub outlet: Option<OutletInfo>,
    pub currency: String,
    pub categories: Vec<MenuCategory>,
}

impl Menu {
    pub fn item(&self, id: Uuid) -> Option<&MenuEntry> {
        self.categories.iter().flat_map(|c| &c.items).find(|i| i.id == id)
    }

    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }
}

/// The catalogue as cached, by entity.
#[derive(Debug, Default)]
struct Catalogue {
    categories: HashMap<Uuid, Category>,
    items: HashMap<Uuid, MenuItem>,
    overrides: HashMap<Uuid, ItemOverride>,
    outlet: Option<Outlet>,
}

impl Catalogue {
    fn apply(&mut self, entity: &str, id: Uuid, data: Option<&serde_json::Value>) {
        match (entity, data) {
            ("category", Some(d)) => {
                if let Ok(c) = parse_row::<Category>(d) {
                    self.categories.insert(id, c);
                }
            }
            ("category", None) => {
                self.categories.remove(&id);
            }
            ("menu_item", Some(d)) => {
                if let Ok(i) = parse_row::<MenuItem>(d) {
                    self.items.insert(id, i);
                }
            }
            ("menu_item", None) => {
                self.items.remove(&id);
            }
            ("item_override", Some(d)) => {
                if let Ok(o) = parse_row::<ItemOverride>(d) {
                    self.overrides.insert(id, o);
                }
            }
            ("item_override", None) => {
                self.overrides.remove(&id);
            }
            ("outlet", Some(d)) => self.outlet = parse_row(d).ok(),
            ("outlet", None) => self.outlet = None,
            _ => {}
        }
    }

    /// The menu as sold at `now_ms`: outlet prices, 86ed items hidden until
    /// their `unavailable_until` passes.
    fn effective(&self, now_ms: f64) -> Menu {
        let mut categories: Vec<&Category> = self.categories.values().collect();
        categories.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.name.cmp(&b.name)));
        let mut items: Vec<&MenuItem> = self.items.values().collect();
        items.sort_by(|a, b| a.position.cmp(&b.position).then_with(|| a.name.cmp(&b.name)));
        let categories = categories
            .into_iter()
            .map(|category| MenuCategory {
                id: category.id,
                name: category.name.clone(),
                items: items
                    .iter()
                    .filter(|item| item.category_id == category.id)
                    .filter_map(|item| self.entry(item, now_ms))
                    .collect(),
            })
            .filter(|c| !c.items.is_empty())
            .collect();
        Menu {
            outlet: self.outlet.as_ref().map(|o| OutletInfo {
                name: o.name.clone(),
                is_open: o.is_open,
                tax_rate_bp: o.tax_rate_bp,
                service_charge_bp: o.service_charge_bp,
                kitchen_release: o.kiosk_kitchen_release,
                cash_rounding_step: i64::from(o.cash_rounding_step.max(1)),
                discount_limit_bp: o.discount_limit_bp,
            }),
            currency: self
                .outlet
                .as_ref()
                .map(|o| o.currency.clone())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| DEFAULT_CURRENCY.to_owned()),
            categories,
        }
    }

    fn entry(&self, item: &MenuItem, now_ms: f64) -> Option<MenuEntry> {
        let setting = self.overrides.get(&item.id);
        if let Some(o) = setting {
            let back_by_itself = o.unavailable_until.is_some_and(|until| clock::ms_of(&until) <= now_ms);
            if !o.available && !back_by_itself {
                return None;
            }
        }
        let modifier_groups = item
            .modifier_groups
            .iter()
            .filter(|g| g.id.is_some())
            .map(|g| ModifierGroup {
                options: g.options.iter().filter(|o| o.id.is_some()).cloned().collect(),
                ..g.clone()
            })
            .collect();
        Some(MenuEntry {
            id: item.id,
            name: item.name.clone(),
            code: item.code.clone(),
            description: item.description.clone(),
            price_minor: setting.and_then(|o| o.price_minor).unwrap_or(item.price_minor),
            image_url: item.image_url.clone(),
            modifier_groups,
        })
    }
}

/// Progress of the first full download, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyncProgress {
    pub done: u64,
    pub total: u64,
}

/// The menu cache and its sync. Clones share it.
#[derive(Clone)]
pub struct MenuSync {
    device: Rc<PairedDevice>,
    connectivity: Connectivity,
    catalogue: Rc<RefCell<Catalogue>>,
    running: Rc<Cell<bool>>,
    again: Rc<Cell<bool>>,
    warmed: Rc<RefCell<HashSet<String>>>,
    /// The menu the customer sees.
    pub menu: RwSignal<Menu>,
    /// `Some` while the first full download runs.
    pub progress: RwSignal<Option<SyncProgress>>,
    /// The cache has everything once (a menu can be shown offline).
    pub ready: RwSignal<bool>,
    pub last_synced_ms: RwSignal<Option<f64>>,
    /// Set when the server no longer accepts this device.
    pub revoked: RwSignal<bool>,
    /// The cursor of the last pull that went through to the end: every
    /// price shown was the server's at that point or later.
    priced_from: Rc<RefCell<Option<String>>>,
}

const CURSOR_KEY: &str = "menu_cursor";
const OUTLET_KEY: &str = "menu_outlet";
const PRICED_FROM_KEY: &str = "menu_priced_from";

impl MenuSync {
    pub fn new(device: PairedDevice, connectivity: Connectivity) -> MenuSync {
        MenuSync {
            device: Rc::new(device),
            connectivity,
            catalogue: Rc::default(),
            running: Rc::default(),
            again: Rc::default(),
            warmed: Rc::default(),
            menu: RwSignal::new(Menu { currency: DEFAULT_CURRENCY.into(), ..Menu::default() }),
            progress: RwSignal::new(None),
            ready: RwSignal::new(false),
            last_synced_ms: RwSignal::new(None),
            revoked: RwSignal::new(false),
            priced_from: Rc::default(),
        }
    }

    /// What orders name as the menu their prices come from (`priced_from`).
    pub fn priced_from(&self) -> Option<String> {
        self.priced_from.borrow().clone()
    }

    /// Shows what the cache holds (works offline), then brings it up to date.
    pub async fn start(&self) {
        if let Err(e) = self.load_cache().await {
            leptos::logging::warn!("menu cache unreadable: {e}");
        }
        self.pull().await;
    }

    async fn load_cache(&self) -> db::DbResult<()> {
        let outlet = self.device.outlet_id.to_string();
        if db::meta::<String>(OUTLET_KEY).await?.as_deref() != Some(outlet.as_str()) {
            // A cache of another outlet (the device was paired again): start over.
            db::clear(db::MENU).await?;
            db::set_meta::<Option<String>>(CURSOR_KEY, &None).await?;
            db::set_meta::<Option<String>>(PRICED_FROM_KEY, &None).await?;
            db::set_meta(OUTLET_KEY, &outlet).await?;
        }
        *self.priced_from.borrow_mut() = db::meta::<Option<String>>(PRICED_FROM_KEY).await?.flatten();
        let rows: Vec<CachedRow> = db::all(db::MENU).await?;
        {
            let mut catalogue = self.catalogue.borrow_mut();
            for row in &rows {
                if let Some(id) = row.key.split_once(':').and_then(|(_, id)| Uuid::parse_str(id).ok()) {
                    catalogue.apply(&row.entity, id, Some(&row.data));
                }
            }
        }
        if db::meta::<Option<String>>(CURSOR_KEY).await?.flatten().is_some() {
            self.ready.set(true);
        }
        self.publish();
        Ok(())
    }

    /// The regular check between events: pulls while the browser is online;
    /// offline, recomputes the menu (an `unavailable_until` may have passed).
    pub fn poll(&self) {
        if self.connectivity.browser_online.get_untracked() {
            let sync = self.clone();
            leptos::task::spawn_local(async move { sync.pull().await });
        } else {
            self.publish();
        }
    }

    /// Recomputes the visible menu (also when an `unavailable_until` passes).
    pub fn publish(&self) {
        let menu = self.catalogue.borrow().effective(clock::now_ms());
        if self.menu.with_untracked(|m| *m != menu) {
            self.menu.set(menu);
        }
    }

    /// Fetches every change after the stored cursor. Calls made while one
    /// runs fold into one more round after it.
    pub async fn pull(&self) {
        if self.running.replace(true) {
            self.again.set(true);
            return;
        }
        loop {
            self.again.set(false);
            let result = self.pull_all_pages().await;
            self.connectivity.report(&result);
            match result {
                Ok(()) => {
                    self.last_synced_ms.set(Some(clock::now_ms()));
                    self.ready.set(true);
                    self.publish();
                    self.warm_pictures();
                }
                Err(e) if e.is_unauthorized() => self.revoked.set(true),
                Err(_) => {}
            }
            self.publish();
            if !self.again.get() {
                break;
            }
        }
        self.running.set(false);
    }

    /// Loads every picture of the menu once while online, so the service
    /// worker has them when the network is gone (not only those seen).
    fn warm_pictures(&self) {
        let urls: Vec<String> = self.menu.with_untracked(|m| {
            m.categories.iter().flat_map(|c| &c.items).filter_map(|i| i.image_url.clone()).collect()
        });
        let mut warmed = self.warmed.borrow_mut();
        for url in urls {
            if warmed.insert(url.clone())
                && let Ok(image) = web_sys::HtmlImageElement::new()
            {
                image.set_src(&url);
            }
        }
    }

    async fn pull_all_pages(&self) -> Result<(), ApiError> {
        let cursor: Option<String> = db::meta::<Option<String>>(CURSOR_KEY).await.ok().flatten().flatten();
        let full = cursor.is_none();
        let mut done: u64 = 0;
        if full {
            // The bar shows from the first request (the total comes with the first page).
            self.progress.set(Some(SyncProgress { done: 0, total: 0 }));
        }
        let result = self.pull_pages(cursor, full, &mut done).await;
        if full {
            self.progress.set(None);
        }
        result
    }

    async fn pull_pages(&self, mut cursor: Option<String>, full: bool, done: &mut u64) -> Result<(), ApiError> {
        let mut cached = true;
        loop {
            let page = api::pull_changes(&self.device, cursor.as_deref(), PAGE_SIZE).await?;
            if full {
                let known = self.progress.get_untracked().map(|p| p.total).filter(|t| *t > 0);
                let total = page.total.map(|t| t.max(0) as u64).or(known);
                *done += page.changes.len() as u64;
                self.progress.set(Some(SyncProgress { done: *done, total: total.unwrap_or(*done).max(*done) }));
            }
            let mut upserts = Vec::new();
            let mut deletes = Vec::new();
            for change in &page.changes {
                let key = row_key(&change.entity, change.id);
                match (change.op, &change.data) {
                    (ChangeOp::Upsert, Some(data)) => {
                        upserts.push(CachedRow { key, entity: change.entity.clone(), data: data.clone() })
                    }
                    _ => deletes.push(key),
                }
            }
            if let Err(e) = db::apply_menu_page(&upserts, &deletes, CURSOR_KEY, &page.cursor).await {
                // Keep going in memory; the next start pulls again from the old cursor.
                leptos::logging::warn!("menu page not cached: {e}");
                cached = false;
            }
            {
                let mut catalogue = self.catalogue.borrow_mut();
                for change in &page.changes {
                    let data = if change.op == ChangeOp::Upsert { change.data.as_ref() } else { None };
                    catalogue.apply(&change.entity, change.id, data);
                }
            }
            if !page.has_more {
                self.priced_from.replace(Some(page.cursor.clone()));
                // What a restart shows is the cache: it may name this menu only if it holds all of it.
                if cached && let Err(e) = db::set_meta(PRICED_FROM_KEY, &Some(page.cursor)).await {
                    leptos::logging::warn!("menu cursor not kept: {e}");
                }
                return Ok(());
            }
            cursor = Some(page.cursor);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const T0: &str = "2026-11-22T10:00:00Z";

    fn catalogue() -> (Catalogue, Uuid, Uuid) {
        let (cat, item) = (Uuid::new_v4(), Uuid::new_v4());
        let mut c = Catalogue::default();
        c.apply(
            "category",
            cat,
            Some(&json!({"id": cat, "name": "Makanan", "position": 1, "station": null, "updated_at": T0})),
        );
        c.apply(
            "menu_item",
            item,
            Some(&json!({"id": item, "category_id": cat, "name": "Nasi", "description": "", "price_minor": 20000,
                          "image_url": null, "position": 1, "modifier_groups": [], "updated_at": T0})),
        );
        (c, cat, item)
    }

    fn ms(rfc3339: &str) -> f64 {
        chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis() as f64
    }

    #[test]
    fn outlet_price_and_86_until() {
        let (mut c, _, item) = catalogue();
        let now = ms(T0);
        assert_eq!(c.effective(now).item(item).map(|i| i.price_minor), Some(20000));
        let until = "2026-11-22T12:00:00Z";
        c.apply(
            "item_override",
            item,
            Some(&json!({"outlet_id": Uuid::new_v4(), "item_id": item, "price_minor": 18000,
                          "available": false, "unavailable_until": until})),
        );
        assert!(c.effective(now).is_empty(), "86ed: hidden, and so is its empty category");
        let later = c.effective(ms(until) + 1.0);
        assert_eq!(later.item(item).map(|i| i.price_minor), Some(18000), "back by itself, at the outlet price");
        c.apply("item_override", item, None);
        assert_eq!(c.effective(now).item(item).map(|i| i.price_minor), Some(20000));
    }

    #[test]
    fn deleted_rows_leave() {
        let (mut c, cat, item) = catalogue();
        c.apply("menu_item", item, None);
        assert!(c.effective(0.0).is_empty());
        c.apply("category", cat, None);
        assert!(c.categories.is_empty());
    }
}
