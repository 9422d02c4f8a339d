//! The customer's cart and choices, as plain data: modifier rules (min/max
//! per group), line prices, the totals the counter asks for, and the order
//! the kiosk saves and sends.

use chrono::{DateTime, Utc};
use pos_wire::{Channel, CreateOrder, ModifierGroup, OrderLineRequest, pricing::Totals};
use uuid::Uuid;

use crate::{
    menu::{Menu, MenuEntry},
    money,
};

/// One chosen option, with what it was shown at.
#[derive(Debug, Clone, PartialEq)]
pub struct ChosenOption {
    pub id: Uuid,
    pub name: String,
    pub price_minor: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CartLine {
    /// Tells lines of the same item with different options apart.
    pub key: Uuid,
    pub item_id: Uuid,
    pub name: String,
    pub options: Vec<ChosenOption>,
    pub unit_price_minor: i64,
    pub qty: i32,
}

impl CartLine {
    pub fn line_total_minor(&self) -> i64 {
        self.unit_price_minor * i64::from(self.qty)
    }

    /// The line as sent, with the name and unit price the customer saw (no note).
    pub fn request(&self) -> OrderLineRequest {
        OrderLineRequest {
            menu_item_id: self.item_id,
            qty: self.qty,
            modifier_option_ids: self.options.iter().map(|o| o.id).collect(),
            note: None,
            shown_unit_price_minor: Some(self.unit_price_minor),
            shown_name: Some(self.name.clone()),
        }
    }
}

/// Most of one line (the server's limit).
pub const MAX_QTY: i32 = 99;

pub fn subtotal(lines: &[CartLine]) -> i64 {
    lines.iter().map(CartLine::line_total_minor).sum()
}

pub fn item_count(lines: &[CartLine]) -> i32 {
    lines.iter().map(|l| l.qty).sum()
}

/// Adds a line, or more of an identical one (same item, same options).
pub fn add_line(lines: &mut Vec<CartLine>, line: CartLine) {
    let same_options = |a: &CartLine| {
        let mut x: Vec<Uuid> = a.options.iter().map(|o| o.id).collect();
        let mut y: Vec<Uuid> = line.options.iter().map(|o| o.id).collect();
        x.sort();
        y.sort();
        x == y
    };
    match lines.iter_mut().find(|l| l.item_id == line.item_id && same_options(l)) {
        Some(existing) => existing.qty = (existing.qty + line.qty).min(MAX_QTY),
        None => lines.push(line),
    }
}

/// Changes a line's quantity by `delta`; at zero the line goes.
pub fn change_qty(lines: &mut Vec<CartLine>, key: Uuid, delta: i32) {
    if let Some(line) = lines.iter_mut().find(|l| l.key == key) {
        line.qty = (line.qty + delta).min(MAX_QTY);
    }
    lines.retain(|l| l.qty > 0);
}

/// Brings the cart in line with the menu now: lines whose item or option is
/// gone are removed (their names returned, to tell the customer), prices
/// follow the menu.
pub fn follow_menu(lines: &mut Vec<CartLine>, menu: &Menu) -> Vec<String> {
    let mut removed = Vec::new();
    lines.retain_mut(|line| {
        let Some(item) = menu.item(line.item_id) else {
            removed.push(line.name.clone());
            return false;
        };
        let mut deltas = Vec::new();
        for chosen in &mut line.options {
            match find_option(&item.modifier_groups, chosen.id) {
                Some(price) => {
                    chosen.price_minor = price;
                    deltas.push(price);
                }
                None => {
                    removed.push(line.name.clone());
                    return false;
                }
            }
        }
        line.unit_price_minor = money::unit_price(item.price_minor, deltas);
        true
    });
    removed
}

fn find_option(groups: &[ModifierGroup], id: Uuid) -> Option<i64> {
    groups.iter().flat_map(|g| &g.options).find(|o| o.id == Some(id)).map(|o| o.price_minor)
}

/// What the customer picked in the item sheet: option ids per group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Selection {
    pub chosen: Vec<Uuid>,
}

impl Selection {
    /// Taps an option: with `max == 1` it replaces the group's choice; else
    /// it toggles, refusing to go over `max`.
    pub fn tap(&mut self, group: &ModifierGroup, option: Uuid) {
        let in_group: Vec<Uuid> = group.options.iter().filter_map(|o| o.id).collect();
        if self.chosen.contains(&option) {
            self.chosen.retain(|id| *id != option);
            return;
        }
        if group.max == 1 {
            self.chosen.retain(|id| !in_group.contains(id));
            self.chosen.push(option);
        } else if self.count_in(group) < group.max as usize {
            self.chosen.push(option);
        }
    }

    pub fn count_in(&self, group: &ModifierGroup) -> usize {
        group.options.iter().filter(|o| o.id.is_some_and(|id| self.chosen.contains(&id))).count()
    }

    pub fn is_chosen(&self, option: Uuid) -> bool {
        self.chosen.contains(&option)
    }

    /// A group is done when it has at least `min` choices.
    pub fn group_done(&self, group: &ModifierGroup) -> bool {
        self.count_in(group) >= group.min as usize
    }

    pub fn complete(&self, item: &MenuEntry) -> bool {
        item.modifier_groups.iter().all(|g| self.group_done(g))
    }

    /// The chosen options in menu order, with their prices.
    pub fn options(&self, item: &MenuEntry) -> Vec<ChosenOption> {
        item.modifier_groups
            .iter()
            .flat_map(|g| &g.options)
            .filter_map(|o| {
                let id = o.id?;
                self.chosen.contains(&id).then(|| ChosenOption { id, name: o.name.clone(), price_minor: o.price_minor })
            })
            .collect()
    }

    pub fn unit_price(&self, item: &MenuEntry) -> i64 {
        money::unit_price(item.price_minor, self.options(item).iter().map(|o| o.price_minor))
    }
}

/// Who collects the order: a name for takeaway, or a table number.
#[derive(Debug, Clone, PartialEq)]
pub enum PickupBy {
    Name(String),
    Table(String),
}

/// What the counter will ask for `lines`: their subtotal, the outlet's
/// service charge and tax on it (the server's rules), and the total.
pub fn totals(lines: &[CartLine], menu: &Menu) -> Totals {
    let (service_charge_bp, tax_rate_bp) =
        menu.outlet.as_ref().map_or((0, 0), |o| (o.service_charge_bp, o.tax_rate_bp));
    money::totals(subtotal(lines), service_charge_bp, tax_rate_bp)
}

/// What the counter will ask for `lines` with `discounts` (on the whole
/// order, given offline) taken off before service charge and tax: the
/// function the server prices the order with at replay.
pub fn discounted_totals(lines: &[CartLine], menu: &Menu, discounts: &[pos_wire::QueuedDiscount]) -> Totals {
    let (service_charge_bp, tax_rate_bp) =
        menu.outlet.as_ref().map_or((0, 0), |o| (o.service_charge_bp, o.tax_rate_bp));
    let terms: Vec<pos_wire::DiscountTerms> = discounts.iter().map(pos_wire::QueuedDiscount::terms).collect();
    let lines: Vec<(Uuid, i64)> = lines.iter().map(|l| (l.key, l.line_total_minor())).collect();
    pos_wire::discounted_order(&lines, &terms, service_charge_bp, tax_rate_bp).1
}

/// The cart as the customer confirmed it at checkout.
#[derive(Debug, Clone, Copy)]
pub struct Checkout<'a> {
    pub lines: &'a [CartLine],
    /// The menu the lines were priced from (its currency, service charge and tax).
    pub menu: &'a Menu,
    pub pickup: &'a PickupBy,
    /// The pull cursor of that menu (see `MenuSync::priced_from`).
    pub priced_from: Option<&'a str>,
    /// `kiosk`, or `counter` at a till.
    pub channel: Channel,
}

impl Checkout<'_> {
    /// The order as saved and sent, from the cart as shown: each line with
    /// the name and unit price the customer saw.
    pub fn order_body(
        &self,
        client_order_id: Uuid,
        outlet_id: Uuid,
        number: Option<String>,
        created_at_client: DateTime<Utc>,
    ) -> CreateOrder {
        let (customer_name, table) = match self.pickup {
            PickupBy::Name(name) => (Some(name.trim().to_owned()), None),
            PickupBy::Table(table) => (None, Some(table.trim().to_owned())),
        };
        CreateOrder {
            client_order_id,
            outlet_id,
            channel: self.channel,
            customer_name,
            table,
            table_id: None,
            guest_count: None,
            created_at_client,
            items: self.lines.iter().map(CartLine::request).collect(),
            number,
            priced_from: self.priced_from.map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests {
    use pos_wire::ModifierOption;

    use super::*;

    fn group(min: u32, max: u32, n: usize) -> ModifierGroup {
        ModifierGroup {
            id: Some(Uuid::new_v4()),
            name: "g".into(),
            min,
            max,
            options: (0..n)
                .map(|i| ModifierOption {
                    id: Some(Uuid::new_v4()),
                    name: format!("o{i}"),
                    price_minor: 1000 * i as i64,
                })
                .collect(),
        }
    }

    fn ids(g: &ModifierGroup) -> Vec<Uuid> {
        g.options.iter().filter_map(|o| o.id).collect()
    }

    #[test]
    fn single_choice_replaces() {
        let g = group(1, 1, 3);
        let o = ids(&g);
        let mut s = Selection::default();
        assert!(!s.group_done(&g));
        s.tap(&g, o[0]);
        s.tap(&g, o[2]);
        assert_eq!(s.chosen, vec![o[2]]);
        assert!(s.group_done(&g));
    }

    #[test]
    fn multi_choice_stops_at_max() {
        let g = group(0, 2, 3);
        let o = ids(&g);
        let mut s = Selection::default();
        assert!(s.group_done(&g), "optional group");
        for id in &o {
            s.tap(&g, *id);
        }
        assert_eq!(s.count_in(&g), 2);
        assert!(!s.is_chosen(o[2]));
        s.tap(&g, o[0]);
        assert_eq!(s.chosen, vec![o[1]]);
    }

    #[test]
    fn identical_lines_merge_and_zero_removes() {
        let item = Uuid::new_v4();
        let line = |qty| CartLine {
            key: Uuid::new_v4(),
            item_id: item,
            name: "x".into(),
            options: vec![],
            unit_price_minor: 5000,
            qty,
        };
        let mut lines = vec![];
        add_line(&mut lines, line(1));
        add_line(&mut lines, line(2));
        assert_eq!(lines.len(), 1);
        assert_eq!(subtotal(&lines), 15_000);
        let key = lines[0].key;
        change_qty(&mut lines, key, -3);
        assert!(lines.is_empty());
    }

    fn line(price: i64, qty: i32) -> CartLine {
        CartLine {
            key: Uuid::new_v4(),
            item_id: Uuid::new_v4(),
            name: format!("item at {price}"),
            options: vec![ChosenOption { id: Uuid::new_v4(), name: "pedas".into(), price_minor: 0 }],
            unit_price_minor: price,
            qty,
        }
    }

    fn menu_with_charges(service_charge_bp: i32, tax_rate_bp: i32) -> Menu {
        Menu {
            outlet: Some(crate::menu::OutletInfo {
                name: "Kemang".into(),
                is_open: true,
                tax_rate_bp,
                service_charge_bp,
                kitchen_release: pos_wire::KitchenRelease::OnPlace,
                cash_rounding_step: 1,
                discount_limit_bp: 0,
            }),
            currency: "IDR".into(),
            categories: vec![],
        }
    }

    #[test]
    fn totals_add_the_outlet_service_charge_then_tax() {
        let lines = [line(45_000, 2), line(8_000, 1)];
        // 98.000 + 5% service (4.900) + 11% tax on both (11.319), as the counter asks.
        let t = totals(&lines, &menu_with_charges(500, 1100));
        assert_eq!(
            (t.subtotal_minor, t.service_charge_minor, t.tax_minor, t.total_minor),
            (98_000, 4_900, 11_319, 114_219)
        );
        assert_eq!(totals(&lines, &Menu::default()).total_minor, 98_000, "no outlet yet: no charges");
    }

    #[test]
    fn the_order_body_carries_what_the_customer_was_shown() {
        let lines = [line(45_000, 2), line(8_000, 1)];
        let menu = menu_with_charges(0, 0);
        let pickup = PickupBy::Table(" 12 ".into());
        let checkout =
            Checkout { lines: &lines, menu: &menu, pickup: &pickup, priced_from: Some("c-7"), channel: Channel::Kiosk };
        let (id, outlet) = (Uuid::now_v7(), Uuid::new_v4());
        let at = chrono::DateTime::from_timestamp_millis(1_790_000_000_000).unwrap();
        let body = checkout.order_body(id, outlet, Some("K1-4".into()), at);
        assert_eq!((body.client_order_id, body.outlet_id, body.channel), (id, outlet, Channel::Kiosk));
        assert_eq!((body.customer_name, body.table.as_deref()), (None, Some("12")));
        assert_eq!((body.number.as_deref(), body.priced_from.as_deref()), (Some("K1-4"), Some("c-7")));
        assert_eq!(body.created_at_client, at);
        assert_eq!(body.items.len(), 2);
        assert_eq!(body.items[0].menu_item_id, lines[0].item_id);
        assert_eq!(body.items[0].qty, 2);
        assert_eq!(body.items[0].shown_unit_price_minor, Some(45_000));
        assert_eq!(body.items[0].shown_name.as_deref(), Some("item at 45000"));
        assert_eq!(body.items[0].modifier_option_ids, vec![lines[0].options[0].id]);
    }
}
