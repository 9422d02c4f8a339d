//! The customer's cart and choices, as plain data: modifier rules (min/max
//! per group), line prices, and the order the kiosk saves and sends.

use pos_wire::{Channel, CreateOrder, ModifierGroup, OrderLineRequest};
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

/// The order as saved and sent, from the cart as shown (priced from the
/// menu of the `priced_from` pull cursor).
pub fn order_body(
    client_order_id: Uuid,
    outlet_id: Uuid,
    number: Option<String>,
    pickup: &PickupBy,
    lines: &[CartLine],
    priced_from: Option<String>,
) -> CreateOrder {
    let (customer_name, table) = match pickup {
        PickupBy::Name(name) => (Some(name.trim().to_owned()), None),
        PickupBy::Table(table) => (None, Some(table.trim().to_owned())),
    };
    CreateOrder {
        client_order_id,
        outlet_id,
        channel: Channel::Kiosk,
        customer_name,
        table,
        created_at_client: crate::clock::now_utc(),
        items: lines
            .iter()
            .map(|line| OrderLineRequest {
                menu_item_id: line.item_id,
                qty: line.qty,
                modifier_option_ids: line.options.iter().map(|o| o.id).collect(),
                note: None,
                shown_unit_price_minor: Some(line.unit_price_minor),
                shown_name: Some(line.name.clone()),
            })
            .collect(),
        number,
        priced_from,
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
}
