//! Modifier groups of an item: parsed and checked once, stored as JSON on the
//! item. Group and option ids are kept when sent (orders refer to them) and
//! made otherwise.

use std::collections::HashSet;

use pos_wire::{ModifierGroup, ModifierOption};
use uuid::Uuid;

use crate::error::{Code, CodedError, FieldErrors};

pub const MAX_GROUPS: usize = 20;
pub const MAX_OPTIONS: usize = 30;
/// An option adds at most this much to an item's price (or takes it off).
pub const MAX_OPTION_PRICE: i64 = 1_000_000_000;

/// Checks every rule, reporting each fault under its path
/// (`modifier_groups[1].max`), and fills in missing ids.
pub fn parse_groups(groups: Vec<ModifierGroup>, errors: &mut FieldErrors) -> Vec<ModifierGroup> {
    if groups.len() > MAX_GROUPS {
        errors.add("modifier_groups", CodedError::too_many(Code::TooManyGroups, MAX_GROUPS));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(groups.len());
    for (gi, g) in groups.into_iter().enumerate() {
        let at = |f: &str| format!("modifier_groups[{gi}].{f}");
        let name = g.name.trim().to_string();
        if name.is_empty() || name.chars().count() > 60 {
            errors.add(&at("name"), CodedError::length_out_of_range(1, 60));
        }
        if g.options.is_empty() {
            errors.add(&at("options"), Code::OptionsRequired);
        }
        if g.options.len() > MAX_OPTIONS {
            errors.add(&at("options"), CodedError::too_many(Code::TooManyOptions, MAX_OPTIONS));
        }
        if g.max == 0 {
            errors.add(&at("max"), CodedError::too_small(1));
        }
        if g.min > g.max {
            errors.add(&at("min"), Code::MinAboveMax);
        }
        if !g.options.is_empty() && g.max as usize > g.options.len() {
            errors.add(&at("max"), Code::MaxAboveOptions);
        }
        let id = g.id.unwrap_or_else(Uuid::now_v7);
        if !seen.insert(id) {
            errors.add(&at("id"), Code::UsedTwice);
        }
        let mut options = Vec::with_capacity(g.options.len());
        for (oi, o) in g.options.into_iter().enumerate() {
            let at = |f: &str| format!("modifier_groups[{gi}].options[{oi}].{f}");
            let oname = o.name.trim().to_string();
            if oname.is_empty() || oname.chars().count() > 60 {
                errors.add(&at("name"), CodedError::length_out_of_range(1, 60));
            }
            if !(-MAX_OPTION_PRICE..=MAX_OPTION_PRICE).contains(&o.price_minor) {
                errors.add(&at("price_minor"), CodedError::out_of_range(-MAX_OPTION_PRICE, MAX_OPTION_PRICE));
            }
            let oid = o.id.unwrap_or_else(Uuid::now_v7);
            if !seen.insert(oid) {
                errors.add(&at("id"), Code::UsedTwice);
            }
            options.push(ModifierOption { id: Some(oid), name: oname, price_minor: o.price_minor });
        }
        out.push(ModifierGroup { id: Some(id), name, min: g.min, max: g.max, options });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(min: u32, max: u32, options: usize) -> ModifierGroup {
        ModifierGroup {
            id: None,
            name: "Sugar".into(),
            min,
            max,
            options: (0..options).map(|i| ModifierOption { id: None, name: format!("O{i}"), price_minor: 0 }).collect(),
        }
    }

    fn faults(groups: Vec<ModifierGroup>) -> Vec<String> {
        let mut e = FieldErrors::new();
        parse_groups(groups, &mut e);
        e.0.keys().cloned().collect()
    }

    #[test]
    fn valid_groups_get_ids() {
        let mut e = FieldErrors::new();
        let g = parse_groups(vec![group(1, 1, 3), group(0, 2, 2)], &mut e);
        assert!(e.is_empty());
        assert!(g.iter().all(|g| g.id.is_some() && g.options.iter().all(|o| o.id.is_some())));
    }

    #[test]
    fn rules_are_enforced_per_field() {
        assert_eq!(faults(vec![group(2, 1, 3)]), ["modifier_groups[0].min"]);
        assert_eq!(faults(vec![group(0, 0, 3)]), ["modifier_groups[0].max"]);
        assert_eq!(faults(vec![group(0, 4, 3)]), ["modifier_groups[0].max"]);
        assert_eq!(faults(vec![group(0, 1, 0)]), ["modifier_groups[0].options"]);
        let mut dup = group(0, 1, 2);
        let id = Uuid::now_v7();
        dup.options[0].id = Some(id);
        dup.options[1].id = Some(id);
        assert_eq!(faults(vec![dup]), ["modifier_groups[0].options[1].id"]);
    }

    #[test]
    fn option_prices_are_bounded_at_both_ends() {
        for price in [i64::MIN, -1_000_000_001, 1_000_000_001, i64::MAX] {
            let mut g = group(0, 1, 1);
            g.options[0].price_minor = price;
            assert_eq!(faults(vec![g]), ["modifier_groups[0].options[0].price_minor"], "{price}");
        }
    }

    #[test]
    fn ids_sent_are_kept() {
        let mut g = group(0, 1, 1);
        let id = Uuid::now_v7();
        g.options[0].id = Some(id);
        let mut e = FieldErrors::new();
        assert_eq!(parse_groups(vec![g], &mut e)[0].options[0].id, Some(id));
    }
}
