//! The till's plain logic: the cashier signed in (kept across reloads, so
//! a till that restarts offline keeps selling), the sale's tenders (quick
//! cash amounts, what is left to pay, the change due with the outlet's cash
//! rounding) and finding items by name or code in the device's own menu.

use std::collections::HashMap;

use gloo_storage::{LocalStorage, Storage};
use pos_wire::{
    CardDetails, CreatePayment, PairedDevice, PaymentMethod, TillSession, TillStaff,
    money::{Rounding, round_to_step},
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{clock, menu::Menu};

const CASHIER_KEY: &str = "pos.till.cashier";

/// The cashier signed in on this till.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cashier {
    pub user: TillStaff,
    pub token: String,
    pub expires_at_ms: f64,
}

impl Cashier {
    pub fn from_session(session: TillSession, now_ms: f64) -> Cashier {
        Cashier {
            user: session.user,
            token: session.access_token,
            expires_at_ms: now_ms + session.expires_in as f64 * 1000.0,
        }
    }

    /// The till acting for this cashier: every call carries their token.
    pub fn device(&self, till: &PairedDevice) -> PairedDevice {
        PairedDevice { device_token: self.token.clone(), ..till.clone() }
    }
}

/// The cashier kept from before a reload, unless their shift token ran out.
pub fn stored_cashier(now_ms: f64) -> Option<Cashier> {
    LocalStorage::get::<Cashier>(CASHIER_KEY).ok().filter(|c| c.expires_at_ms > now_ms)
}

pub fn remember_cashier(cashier: Option<&Cashier>) {
    match cashier {
        // Best effort: if storage fails, the cashier signs in again after a reload.
        Some(c) => {
            let _ = LocalStorage::set(CASHIER_KEY, c);
        }
        None => LocalStorage::delete(CASHIER_KEY),
    }
}

/// Notes a customer commonly hands over, in rupiah.
const NOTES: [i64; 3] = [20_000, 50_000, 100_000];

/// Cash due on `balance` at an outlet rounding cash to `step` (the server's rule).
pub fn cash_due(balance: i64, step: i64) -> i64 {
    round_to_step(balance, step, Rounding::HalfUp)
}

/// The quick tender buttons for `due` (cash, already rounded): exact, the
/// common notes that cover it, and the next round amounts above it.
pub fn quick_tenders(due: i64) -> Vec<i64> {
    if due <= 0 {
        return Vec::new();
    }
    let mut amounts = vec![due];
    amounts.extend(NOTES.iter().copied().filter(|&n| n > due));
    for step in [5_000, 10_000, 50_000, 100_000] {
        amounts.push((due / step + 1) * step);
    }
    amounts.sort_unstable();
    amounts.dedup();
    amounts.truncate(6);
    amounts
}

/// What the tenders so far apply to the bill of `total`.
pub fn paid(tenders: &[CreatePayment]) -> i64 {
    tenders.iter().map(|t| t.amount_minor).sum()
}

/// Left to pay of `total` after `tenders`.
pub fn balance(total: i64, tenders: &[CreatePayment]) -> i64 {
    (total - paid(tenders)).max(0)
}

/// Cash handed over for `balance`: settles it when it covers the cash due
/// (the rest is change), else pays part of it.
pub fn cash_tender(balance: i64, handed_over: i64) -> CreatePayment {
    let applied = handed_over.min(balance);
    CreatePayment { tendered_minor: Some(handed_over), ..payment(PaymentMethod::Cash, applied.max(1)) }
}

/// A card payment of `amount` recorded from the terminal's slip.
pub fn card_tender(amount: i64, card: CardDetails) -> CreatePayment {
    CreatePayment { card: Some(card), ..payment(PaymentMethod::Card, amount) }
}

fn payment(method: PaymentMethod, amount_minor: i64) -> CreatePayment {
    CreatePayment {
        client_payment_id: Uuid::now_v7(),
        method,
        amount_minor,
        tendered_minor: None,
        card: None,
        shift_id: None,
    }
}

/// The change due: cash handed over beyond the cash due (rounded) of the
/// balance it settled.
pub fn change_due(total: i64, step: i64, tenders: &[CreatePayment]) -> i64 {
    let mut left = total;
    let mut change = 0;
    for t in tenders {
        if t.method == PaymentMethod::Cash && t.amount_minor >= left {
            change += t.tendered_minor.unwrap_or(t.amount_minor) - cash_due(left, step);
        }
        left = (left - t.amount_minor).max(0);
    }
    change.max(0)
}

/// The menu's items by name and code, lower-cased once, so that each
/// keystroke is one pass of substring matches (and one lookup of a code).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SearchIndex {
    /// (lower-case name, lower-case code, category index, item index)
    entries: Vec<(String, Option<String>, usize, usize)>,
    /// Lower-case code -> (category index, item index).
    by_code: HashMap<String, (usize, usize)>,
}

impl SearchIndex {
    pub fn new(menu: &Menu) -> SearchIndex {
        let entries: Vec<_> = menu
            .categories
            .iter()
            .enumerate()
            .flat_map(|(c, category)| {
                category.items.iter().enumerate().map(move |(i, item)| {
                    (item.name.to_lowercase(), item.code.as_ref().map(|k| k.to_lowercase()), c, i)
                })
            })
            .collect();
        let by_code = entries.iter().filter_map(|(_, code, c, i)| Some((code.clone()?, (*c, *i)))).collect();
        SearchIndex { entries, by_code }
    }

    /// The item whose code is `query` exactly (whatever its case).
    pub fn exact_code(&self, query: &str) -> Option<(usize, usize)> {
        self.by_code.get(&query.trim().to_lowercase()).copied()
    }

    /// At most `limit` items for `query`, as (category, item) indexes: the
    /// item with exactly that code first, then names starting with the
    /// query, then names containing every word of it or codes starting
    /// with it.
    pub fn find(&self, query: &str, limit: usize) -> Vec<(usize, usize)> {
        let query = query.trim().to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        let exact = self.by_code.get(&query).copied();
        let one_word = words.len() == 1;
        let mut starts: Vec<(usize, usize)> = exact.into_iter().collect();
        let mut contains = Vec::new();
        for (name, code, c, i) in &self.entries {
            let named = words.iter().all(|w| name.contains(w));
            let coded = one_word && code.as_ref().is_some_and(|k| k.starts_with(&query));
            if !(named || coded) || exact == Some((*c, *i)) {
                continue;
            }
            if named && name.starts_with(&query) {
                starts.push((*c, *i));
            } else if contains.len() < limit {
                contains.push((*c, *i));
            }
            if starts.len() >= limit {
                break;
            }
        }
        starts.extend(contains);
        starts.truncate(limit);
        starts
    }
}

/// Since when the till lists orders (unpaid ones from the kiosks): the last 12 h.
pub fn recent_since() -> String {
    clock::utc_of(clock::now_ms() - 12.0 * 3600.0 * 1000.0).to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::menu::{MenuCategory, MenuEntry};

    #[test]
    fn quick_tenders_start_exact_then_notes_then_round_amounts() {
        assert_eq!(quick_tenders(42_000), vec![42_000, 45_000, 50_000, 100_000]);
        assert_eq!(quick_tenders(18_500), vec![18_500, 20_000, 50_000, 100_000]);
        assert_eq!(quick_tenders(120_000), vec![120_000, 125_000, 130_000, 150_000, 200_000]);
        assert!(quick_tenders(0).is_empty());
    }

    #[test]
    fn cash_settles_with_rounding_and_gives_change() {
        // Rp 41.958 at a Rp 100 step: Rp 42.000 due, Rp 8.000 back from 50.000.
        let tenders = [cash_tender(41_958, 50_000)];
        assert_eq!(tenders[0].amount_minor, 41_958);
        assert_eq!(balance(41_958, &tenders), 0);
        assert_eq!(change_due(41_958, 100, &tenders), 8_000);
    }

    #[test]
    fn split_tender_card_then_cash() {
        let card = CardDetails { approval_code: "A1".into(), last4: Some("4242".into()), brand: None };
        let mut tenders = vec![card_tender(30_000, card)];
        assert_eq!(balance(100_000, &tenders), 70_000);
        tenders.push(cash_tender(balance(100_000, &tenders), 20_000));
        assert_eq!((balance(100_000, &tenders), change_due(100_000, 100, &tenders)), (50_000, 0));
        tenders.push(cash_tender(balance(100_000, &tenders), 50_000));
        assert_eq!((balance(100_000, &tenders), change_due(100_000, 100, &tenders)), (0, 0));
    }

    fn entry(name: &str) -> MenuEntry {
        MenuEntry {
            id: Uuid::new_v4(),
            name: name.into(),
            code: None,
            description: String::new(),
            price_minor: 1,
            image_url: None,
            modifier_groups: vec![],
        }
    }

    /// A menu of `items` in one category, and its search index.
    fn searched(items: Vec<MenuEntry>) -> (Menu, SearchIndex) {
        let menu = Menu {
            outlet: None,
            currency: "IDR".into(),
            categories: vec![MenuCategory { id: Uuid::new_v4(), name: "Semua".into(), items }],
        };
        let index = SearchIndex::new(&menu);
        (menu, index)
    }

    /// The names `q` finds, in order.
    fn found(menu: &Menu, index: &SearchIndex, q: &str) -> Vec<String> {
        index.find(q, 10).into_iter().map(|(c, i)| menu.categories[c].items[i].name.clone()).collect()
    }

    #[test]
    fn search_finds_every_word_prefixes_first() {
        let (menu, index) = searched(["Es Teh Manis", "Teh Tarik", "Kopi Susu", "Nasi Goreng Teh"].map(entry).to_vec());
        let names = |q: &str| found(&menu, &index, q);
        assert_eq!(names("teh"), ["Teh Tarik", "Es Teh Manis", "Nasi Goreng Teh"]);
        assert_eq!(names("TEH man"), ["Es Teh Manis"]);
        assert!(names("  ").is_empty() && names("rendang").is_empty());
    }

    #[test]
    fn an_exact_code_comes_first_and_code_prefixes_match() {
        let coded = |name: &str, code: &str| MenuEntry { code: Some(code.into()), ..entry(name) };
        let items = vec![
            coded("Teh Tarik", "T-10"),
            coded("Es Teh Manis", "T-1"),
            coded("Kopi Susu", "KS.01"),
            entry("T-1 Special"),
            coded("Nasi Goreng", "ng"),
        ];
        let (menu, index) = searched(items);
        let names = |q: &str| found(&menu, &index, q);
        // Exactly T-1 (any case) first; then the name starting with it; then code T-10.
        assert_eq!(names("t-1"), ["Es Teh Manis", "T-1 Special", "Teh Tarik"]);
        assert_eq!(names(" KS.01 "), ["Kopi Susu"]);
        assert_eq!(names("ks"), ["Kopi Susu"], "a code prefix");
        assert_eq!(names("NG"), ["Nasi Goreng"]);
        assert_eq!(
            index.exact_code("ks.01").map(|(c, i)| menu.categories[c].items[i].name.as_str()),
            Some("Kopi Susu")
        );
        assert_eq!(index.exact_code("ks.0"), None);
        // Several words search names only.
        assert!(names("t-1 x").is_empty());
        assert_eq!(index.find("t-1", 1).len(), 1);
    }
}
