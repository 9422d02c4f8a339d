//! Whether a price an offline device showed was really the item's price.
//!
//! The database keeps every state of an item (name, price, modifier groups)
//! and every outlet price with the catalogue versions and times between
//! which it was in force (migration `0006_price_history`). A shown unit
//! price is honoured when, at some moment that is
//! - not before the menu the device priced from (its pull cursor's version)
//!   was superseded, nor after the device took the order (`created_at_client`),
//! - and within the offline window (now − window … now),
//!
//! the item existed, the chosen options were valid options of it, and outlet
//! or item price plus the options' deltas made exactly that unit price.
//!
//! The device chooses its cursor and its clock, so neither is trusted beyond
//! what it can only narrow: whatever a device claims, nothing older than the
//! window is ever honoured, and nothing the item never cost.

use chrono::{DateTime, Utc};
use pos_wire::{ModifierGroup, OrderModifier, pricing};
use uuid::Uuid;

use super::line_pricing::chosen_modifiers;

/// When a history row was in force: catalogue versions `[version_from,
/// version_to)` and times `[valid_from, valid_to)`; `None`: still is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Span {
    pub version_from: i64,
    pub version_to: Option<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
}

impl Span {
    fn covers(&self, version: i64) -> bool {
        self.version_from <= version && self.version_to.is_none_or(|to| version < to)
    }
}

/// One state of an item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemState {
    pub span: Span,
    pub name: String,
    pub price_minor: i64,
    pub groups: Vec<ModifierGroup>,
}

/// A period in which the outlet had its own price for the item.
#[derive(Debug, Clone, PartialEq)]
pub struct OutletPrice {
    pub span: Span,
    pub price_minor: i64,
}

/// An item's history at one outlet: the rows in force at any time in the
/// offline window (older rows are neither loaded nor needed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemHistory {
    pub states: Vec<ItemState>,
    pub outlet_prices: Vec<OutletPrice>,
}

/// What bounds the moments a shown price may come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownWhen {
    /// The catalogue version of the menu the device priced from, when it said.
    pub menu_version: Option<i64>,
    /// When the device says it took the order (at most the server's now).
    pub taken_at: DateTime<Utc>,
    /// Start of the offline window: nothing that ended before it counts.
    pub not_before: DateTime<Utc>,
}

/// The item as it was when it had the shown price: what the line is named.
#[derive(Debug, Clone, PartialEq)]
pub struct Honoured {
    pub name: String,
    pub modifiers: Vec<OrderModifier>,
}

/// Looks for a moment (see the module docs) at which the item with the
/// `chosen` options cost `shown` for one unit; the latest such moment names
/// the line. `None`: the price is not honoured.
pub fn find_shown_price(history: &ItemHistory, chosen: &[Uuid], shown: i64, when: &ShownWhen) -> Option<Honoured> {
    // Every version at which something started or ended, with its time; the
    // state is constant from one to the next.
    let mut points: Vec<(i64, DateTime<Utc>)> = Vec::new();
    let spans = history.states.iter().map(|s| &s.span).chain(history.outlet_prices.iter().map(|o| &o.span));
    for span in spans {
        points.push((span.version_from, span.valid_from));
        if let (Some(v), Some(t)) = (span.version_to, span.valid_to) {
            points.push((v, t));
        }
    }
    points.sort();
    points.dedup_by_key(|p| p.0);

    let mut found = None;
    for (k, &(version, started)) in points.iter().enumerate() {
        let next = points.get(k + 1);
        let ended = next.map(|p| p.1);
        if ended.is_some_and(|t| t <= when.not_before) {
            continue;
        }
        let current_at_menu = match when.menu_version {
            Some(menu) => next.is_none_or(|p| p.0 > menu),
            None => ended.is_none_or(|t| t > when.taken_at),
        };
        let began_by_order = when.menu_version.is_some_and(|menu| version <= menu) || started <= when.taken_at;
        if !(current_at_menu && began_by_order) {
            continue;
        }
        let Some(state) = history.states.iter().find(|s| s.span.covers(version)) else { continue };
        let Ok(modifiers) = chosen_modifiers(&state.groups, chosen) else { continue };
        let base =
            history.outlet_prices.iter().find(|o| o.span.covers(version)).map_or(state.price_minor, |o| o.price_minor);
        if pricing::unit_price(base, modifiers.iter().map(|m| m.price_minor)) == shown {
            found = Some(Honoured { name: state.name.clone(), modifiers });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use pos_wire::ModifierOption;

    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap() + Duration::hours(hours)
    }

    /// In force for versions [from, to) = times [from h, to h).
    fn span(from: i64, to: Option<i64>) -> Span {
        Span { version_from: from, version_to: to, valid_from: at(from), valid_to: to.map(at) }
    }

    const LARGE: Uuid = Uuid::from_u128(0x1a);

    fn state(from: i64, to: Option<i64>, name: &str, price: i64, large: i64) -> ItemState {
        ItemState {
            span: span(from, to),
            name: name.into(),
            price_minor: price,
            groups: vec![ModifierGroup {
                id: Some(Uuid::from_u128(0x10)),
                name: "Size".into(),
                min: 0,
                max: 1,
                options: vec![ModifierOption { id: Some(LARGE), name: "Large".into(), price_minor: large }],
            }],
        }
    }

    /// Kopi 20,000 (Large +5,000) from 10 h; renamed and 25,000 from 20 h;
    /// Large +7,000 from 30 h; deleted at 40 h. The outlet sold it at
    /// 18,000 from 15 h to 25 h.
    fn kopi() -> ItemHistory {
        ItemHistory {
            states: vec![
                state(10, Some(20), "Kopi", 20_000, 5_000),
                state(20, Some(30), "Kopi Susu", 25_000, 5_000),
                state(30, Some(40), "Kopi Susu", 25_000, 7_000),
            ],
            outlet_prices: vec![OutletPrice { span: span(15, Some(25)), price_minor: 18_000 }],
        }
    }

    fn when(menu: Option<i64>, taken: i64) -> ShownWhen {
        ShownWhen { menu_version: menu, taken_at: at(taken), not_before: at(0) }
    }

    fn honoured(shown: i64, chosen: &[Uuid], w: ShownWhen) -> Option<String> {
        find_shown_price(&kopi(), chosen, shown, &w).map(|h| h.name)
    }

    #[test]
    fn the_price_of_the_menu_the_device_showed_is_honoured() {
        // Pulled at version 12 (item price), ordered at 13 h.
        assert_eq!(honoured(20_000, &[], when(Some(12), 13)).as_deref(), Some("Kopi"));
        assert_eq!(honoured(25_000, &[LARGE], when(Some(12), 13)).as_deref(), Some("Kopi"));
        // The outlet price from 15 h, and the item's new price under it from 20 h.
        assert_eq!(honoured(18_000, &[], when(Some(16), 17)).as_deref(), Some("Kopi"));
        assert_eq!(honoured(23_000, &[LARGE], when(Some(21), 22)).as_deref(), Some("Kopi Susu"));
        // A device clock behind the server: the menu's own moment still counts.
        assert_eq!(honoured(20_000, &[], when(Some(12), 5)).as_deref(), Some("Kopi"));
    }

    #[test]
    fn prices_from_before_the_menu_or_after_the_order_are_not() {
        // Menu of version 16 (outlet price 18,000): the item's older 20,000 had ended.
        assert_eq!(honoured(20_000, &[], when(Some(16), 17)), None);
        // Ordered at 13 h from the menu of version 12: 18,000 only came at 15 h.
        assert_eq!(honoured(18_000, &[], when(Some(12), 13)), None);
        // But anything between the menu and the order is (the spec's "some moment").
        assert_eq!(honoured(18_000, &[], when(Some(12), 16)).as_deref(), Some("Kopi"));
        // Never this price at all.
        assert_eq!(honoured(0, &[], when(Some(12), 13)), None);
        assert_eq!(honoured(19_999, &[], when(Some(0), 39)), None);
        // Not an option of the item then.
        assert_eq!(honoured(20_000, &[Uuid::from_u128(0xbad)], when(Some(12), 13)), None);
    }

    #[test]
    fn option_deltas_follow_their_own_history() {
        // Large was +5,000 until version 30, +7,000 after.
        assert_eq!(honoured(30_000, &[LARGE], when(Some(26), 27)).as_deref(), Some("Kopi Susu"));
        assert_eq!(honoured(32_000, &[LARGE], when(Some(26), 27)), None);
        assert_eq!(honoured(32_000, &[LARGE], when(Some(31), 32)).as_deref(), Some("Kopi Susu"));
        assert_eq!(honoured(30_000, &[LARGE], when(Some(31), 32)), None);
    }

    #[test]
    fn a_deleted_item_is_honoured_only_while_it_existed() {
        assert_eq!(honoured(25_000, &[], when(Some(35), 45)).as_deref(), Some("Kopi Susu"));
        assert_eq!(honoured(25_000, &[], when(Some(41), 45)), None);
        assert_eq!(honoured(20_000, &[], when(Some(5), 8)), None, "not yet created");
    }

    #[test]
    fn nothing_older_than_the_window_whatever_the_device_claims() {
        let old_menu = ShownWhen { menu_version: Some(0), taken_at: at(39), not_before: at(26) };
        assert_eq!(find_shown_price(&kopi(), &[], 20_000, &old_menu), None, "ended at 20 h");
        assert_eq!(find_shown_price(&kopi(), &[], 18_000, &old_menu), None, "the outlet price ended at 25 h");
        assert!(find_shown_price(&kopi(), &[], 25_000, &old_menu).is_some(), "in force within the window");
        // As loaded (only rows in force within the window), the same answers.
        let mut loaded = kopi();
        loaded.states.remove(0);
        loaded.outlet_prices.clear();
        assert_eq!(find_shown_price(&loaded, &[], 18_000, &old_menu), None);
        assert!(find_shown_price(&loaded, &[], 25_000, &old_menu).is_some());
        // An outlet price that ended inside the window still counts.
        let wider = ShownWhen { not_before: at(22), ..old_menu };
        assert!(find_shown_price(&kopi(), &[], 18_000, &wider).is_some());
    }

    #[test]
    fn without_a_menu_version_only_the_order_time_counts() {
        assert_eq!(honoured(18_000, &[], when(None, 16)).as_deref(), Some("Kopi"));
        assert_eq!(honoured(20_000, &[], when(None, 16)), None);
        assert_eq!(honoured(25_000, &[], when(None, 26)).as_deref(), Some("Kopi Susu"));
    }
}
