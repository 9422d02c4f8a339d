//! Pricing one order line from what the server knows: pure functions over
//! the item as it is now and, for an offline line whose shown price is not
//! today's, the item's price history. Names, option names and prices on the
//! line always come from here, never from the device.

use std::collections::{BTreeMap, HashSet};

use pos_wire::{ModifierGroup, OrderLine, OrderLineRequest, OrderModifier, pricing};
use uuid::Uuid;

use super::{
    intake::Intake,
    shown_price::{ItemHistory, ShownWhen, find_shown_price},
};
use crate::{
    catalog::{
        items::MAX_PRICE_MINOR,
        modifiers::{MAX_GROUPS, MAX_OPTIONS},
    },
    error::{Code, CodedError},
};

pub const MAX_QTY: i32 = 99;
/// No item can have more options chosen than it has options.
pub const MAX_CHOICES: usize = MAX_GROUPS * MAX_OPTIONS;

/// An item as the outlet sells it now.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentItem {
    pub id: Uuid,
    pub name: String,
    /// The outlet's own price, else the item's.
    pub price_minor: i64,
    pub available: bool,
    pub deleted: bool,
    pub groups: Vec<ModifierGroup>,
    /// The kitchen station of its category.
    pub station: Option<String>,
}

/// What became of one line.
#[derive(Debug, Clone, PartialEq)]
pub enum LineOutcome {
    Priced {
        line: OrderLine,
        flags: Vec<&'static str>,
    },
    /// Refused, with the field (of the line) and why.
    Refused {
        field: &'static str,
        error: CodedError,
    },
    /// An offline line whose shown price is not today's: only the price
    /// history can tell whether to honour it.
    NeedsHistory,
}

fn refused(field: &'static str, error: impl Into<CodedError>) -> LineOutcome {
    LineOutcome::Refused { field, error: error.into() }
}

/// The history a line is checked against, and the moments that count.
#[derive(Debug, Clone, Copy)]
pub struct PastPrices<'a> {
    pub history: &'a ItemHistory,
    pub when: &'a ShownWhen,
    /// For the refusal's parameters.
    pub window_hours: i64,
}

/// Prices `req` (its note already checked). Online lines must be sellable
/// now at the price shown, if one is; offline lines are charged today's
/// price, or the shown one when [`find_shown_price`] honours it.
pub fn price_line(
    req: &OrderLineRequest,
    note: Option<String>,
    item: Option<&CurrentItem>,
    intake: Intake,
    past: Option<PastPrices<'_>>,
) -> LineOutcome {
    if !(1..=MAX_QTY).contains(&req.qty) {
        return refused("qty", CodedError::qty_out_of_range(1, MAX_QTY));
    }
    if req.modifier_option_ids.len() > MAX_CHOICES {
        return refused("modifier_option_ids", CodedError::too_many(Code::TooManyOptions, MAX_CHOICES));
    }
    if let Some(shown) = req.shown_unit_price_minor
        && !(0..=MAX_PRICE_MINOR).contains(&shown)
    {
        return refused("shown_unit_price_minor", CodedError::out_of_range(0, MAX_PRICE_MINOR));
    }
    let Some(item) = item else { return refused("menu_item_id", Code::ItemNotFound) };
    let now = (!item.deleted).then(|| chosen_modifiers(&item.groups, &req.modifier_option_ids));
    let line = |name: &str, unit: i64, modifiers: Vec<OrderModifier>| OrderLine {
        line_id: Uuid::now_v7(),
        menu_item_id: item.id,
        name: name.to_owned(),
        qty: req.qty,
        unit_price_minor: unit,
        line_total_minor: unit * i64::from(req.qty),
        discount_minor: 0,
        modifiers,
        note: note.clone(),
        station: item.station.clone(),
    };
    let unit_of =
        |modifiers: &[OrderModifier]| pricing::unit_price(item.price_minor, modifiers.iter().map(|m| m.price_minor));

    if intake == Intake::Online {
        let modifiers = match now {
            None => return refused("menu_item_id", Code::ItemRemoved),
            Some(_) if !item.available => return refused("menu_item_id", Code::ItemSoldOut),
            Some(Err(why)) => return refused("modifier_option_ids", why),
            Some(Ok(modifiers)) => modifiers,
        };
        let unit = unit_of(&modifiers);
        if let Some(shown) = req.shown_unit_price_minor
            && shown != unit
        {
            return refused("shown_unit_price_minor", CodedError::price_changed(unit, shown));
        }
        return LineOutcome::Priced { line: line(&item.name, unit, modifiers), flags: Vec::new() };
    }

    let mut flags = Vec::new();
    if item.deleted {
        flags.push("item_deleted");
    } else if !item.available {
        flags.push("item_unavailable");
    }
    let today = match &now {
        Some(Ok(modifiers)) => Some(unit_of(modifiers)),
        _ => None,
    };
    let Some(shown) = req.shown_unit_price_minor.filter(|shown| Some(*shown) != today) else {
        // Today's price (the device showed it, or showed none).
        return match now {
            None => refused("menu_item_id", Code::ItemRemoved),
            Some(Err(why)) => refused("modifier_option_ids", why),
            Some(Ok(modifiers)) => {
                LineOutcome::Priced { line: line(&item.name, unit_of(&modifiers), modifiers), flags }
            }
        };
    };
    let Some(past) = past else { return LineOutcome::NeedsHistory };
    match find_shown_price(past.history, &req.modifier_option_ids, shown, past.when) {
        Some(honoured) => {
            match now {
                Some(Ok(_)) => flags.push("price_changed"),
                Some(Err(_)) => flags.push("modifiers_changed"),
                None => {}
            }
            LineOutcome::Priced { line: line(&honoured.name, shown, honoured.modifiers), flags }
        }
        None => refused("shown_unit_price_minor", CodedError::price_not_offered(&item.name, shown, past.window_hours)),
    }
}

/// The chosen options, checked against the item's groups (each option known
/// and chosen once; each group within its min and max).
pub fn chosen_modifiers(groups: &[ModifierGroup], chosen: &[Uuid]) -> Result<Vec<OrderModifier>, CodedError> {
    let mut per_group: BTreeMap<usize, u32> = BTreeMap::new();
    let mut seen = HashSet::with_capacity(chosen.len());
    let mut out = Vec::with_capacity(chosen.len());
    for option_id in chosen {
        if !seen.insert(*option_id) {
            return Err(Code::OptionChosenTwice.into());
        }
        let found = groups
            .iter()
            .enumerate()
            .find_map(|(gi, g)| g.options.iter().find(|o| o.id == Some(*option_id)).map(|o| (gi, g, o)));
        let Some((gi, group, option)) = found else {
            return Err(CodedError::option_unknown(option_id));
        };
        *per_group.entry(gi).or_default() += 1;
        out.push(OrderModifier {
            option_id: *option_id,
            group: group.name.clone(),
            name: option.name.clone(),
            price_minor: option.price_minor,
        });
    }
    for (gi, group) in groups.iter().enumerate() {
        let n = per_group.get(&gi).copied().unwrap_or(0);
        if n < group.min {
            return Err(CodedError::choose_at_least(group.min, &group.name));
        }
        if n > group.max {
            return Err(CodedError::choose_at_most(group.max, &group.name));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};
    use pos_wire::ModifierOption;

    use super::*;
    use crate::orders::shown_price::{ItemState, Span};

    fn groups() -> (Vec<ModifierGroup>, [Uuid; 4]) {
        let ids = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
        let opt = |i: usize, price| ModifierOption { id: Some(ids[i]), name: format!("o{i}"), price_minor: price };
        (
            vec![
                ModifierGroup {
                    id: Some(Uuid::now_v7()),
                    name: "Ice".into(),
                    min: 1,
                    max: 1,
                    options: vec![opt(0, 0), opt(1, 0)],
                },
                ModifierGroup {
                    id: Some(Uuid::now_v7()),
                    name: "Extra".into(),
                    min: 0,
                    max: 1,
                    options: vec![opt(2, 6000), opt(3, 8000)],
                },
            ],
            ids,
        )
    }

    #[test]
    fn modifier_rules() {
        let (g, ids) = groups();
        assert_eq!(chosen_modifiers(&g, &[ids[0]]).unwrap().len(), 1);
        assert_eq!(chosen_modifiers(&g, &[ids[1], ids[3]]).unwrap()[1].price_minor, 8000);
        let why = |chosen: &[Uuid]| chosen_modifiers(&g, chosen).unwrap_err();
        assert_eq!(why(&[]), CodedError::choose_at_least(1, "Ice"));
        assert_eq!(why(&[ids[0], ids[1]]), CodedError::choose_at_most(1, "Ice"));
        assert_eq!(why(&[ids[0], ids[2], ids[3]]), CodedError::choose_at_most(1, "Extra"));
        assert_eq!(why(&[ids[0], ids[0]]).code, Code::OptionChosenTwice);
        assert!(why(&[ids[0], Uuid::now_v7()]).to_string().contains("not an option"));
    }

    /// "Es Teh" at 10,000 now (Ice required, Extra optional); it was 8,000
    /// (with the same options) until version 5, an hour ago.
    fn es_teh() -> (CurrentItem, ItemHistory, [Uuid; 4]) {
        let (groups, ids) = groups();
        let item = CurrentItem {
            id: Uuid::now_v7(),
            name: "Es Teh".into(),
            price_minor: 10_000,
            available: true,
            deleted: false,
            groups: groups.clone(),
            station: Some("bar".into()),
        };
        let hour_ago = Utc::now() - Duration::hours(1);
        let state = |from, to, price, valid_from, valid_to| ItemState {
            span: Span { version_from: from, version_to: to, valid_from, valid_to },
            name: if price == 8_000 { "Es Teh Lama".into() } else { "Es Teh".into() },
            price_minor: price,
            groups: groups.clone(),
        };
        let history = ItemHistory {
            states: vec![
                state(1, Some(5), 8_000, hour_ago - Duration::hours(1), Some(hour_ago)),
                state(5, None, 10_000, hour_ago, None),
            ],
            outlet_prices: vec![],
        };
        (item, history, ids)
    }

    fn line(item: &CurrentItem, options: &[Uuid], shown: Option<i64>) -> OrderLineRequest {
        OrderLineRequest {
            menu_item_id: item.id,
            qty: 2,
            modifier_option_ids: options.to_vec(),
            note: None,
            shown_unit_price_minor: shown,
            shown_name: Some("Free Lunch".into()),
        }
    }

    fn when(menu: i64) -> ShownWhen {
        ShownWhen { menu_version: Some(menu), taken_at: Utc::now(), not_before: Utc::now() - Duration::hours(72) }
    }

    fn priced(outcome: LineOutcome) -> (OrderLine, Vec<&'static str>) {
        match outcome {
            LineOutcome::Priced { line, flags } => (line, flags),
            other => panic!("not priced: {other:?}"),
        }
    }

    /// The field and the refusal in English.
    fn refusal(outcome: LineOutcome) -> (&'static str, String) {
        match outcome {
            LineOutcome::Refused { field, error } => (field, error.to_string()),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn online_lines_are_sold_now_at_the_price_shown_or_refused() {
        let (mut item, _, ids) = es_teh();
        let (l, flags) =
            priced(price_line(&line(&item, &[ids[0], ids[2]], Some(16_000)), None, Some(&item), Intake::Online, None));
        assert_eq!((l.unit_price_minor, l.line_total_minor, l.name.as_str()), (16_000, 32_000, "Es Teh"));
        assert!(flags.is_empty());
        assert_eq!(
            priced(price_line(&line(&item, &[ids[0]], None), None, Some(&item), Intake::Online, None))
                .0
                .unit_price_minor,
            10_000
        );
        let (field, msg) =
            refusal(price_line(&line(&item, &[ids[0]], Some(8_000)), None, Some(&item), Intake::Online, None));
        assert_eq!(field, "shown_unit_price_minor");
        assert!(msg.contains("10000"), "{msg}");
        assert_eq!(
            refusal(price_line(&line(&item, &[], None), None, Some(&item), Intake::Online, None)).0,
            "modifier_option_ids"
        );
        assert_eq!(
            refusal(price_line(&line(&item, &[ids[0]], None), None, None, Intake::Online, None)).0,
            "menu_item_id"
        );
        item.available = false;
        assert!(
            refusal(price_line(&line(&item, &[ids[0]], None), None, Some(&item), Intake::Online, None))
                .1
                .contains("sold out")
        );
        item.deleted = true;
        assert!(
            refusal(price_line(&line(&item, &[ids[0]], None), None, Some(&item), Intake::Online, None))
                .1
                .contains("no longer")
        );
    }

    #[test]
    fn hostile_values_are_refused_before_anything_else() {
        let (item, _, ids) = es_teh();
        let mut l = line(&item, &[ids[0]], Some(-1));
        assert_eq!(refusal(price_line(&l, None, Some(&item), Intake::Offline, None)).0, "shown_unit_price_minor");
        l.shown_unit_price_minor = None;
        l.qty = 0;
        assert_eq!(refusal(price_line(&l, None, Some(&item), Intake::Offline, None)).0, "qty");
        l.qty = 1;
        l.modifier_option_ids = vec![ids[0]; MAX_CHOICES + 1];
        assert_eq!(refusal(price_line(&l, None, Some(&item), Intake::Offline, None)).0, "modifier_option_ids");
    }

    #[test]
    fn offline_lines_at_todays_price_need_no_history() {
        let (mut item, _, ids) = es_teh();
        let (l, flags) =
            priced(price_line(&line(&item, &[ids[0]], Some(10_000)), None, Some(&item), Intake::Offline, None));
        assert_eq!((l.unit_price_minor, l.name.as_str()), (10_000, "Es Teh"), "the server's name, not the device's");
        assert!(flags.is_empty());
        item.available = false;
        let (_, flags) = priced(price_line(&line(&item, &[ids[0]], None), None, Some(&item), Intake::Offline, None));
        assert_eq!(flags, ["item_unavailable"]);
        assert_eq!(
            price_line(&line(&item, &[ids[0]], Some(0)), None, Some(&item), Intake::Offline, None),
            LineOutcome::NeedsHistory
        );
    }

    #[test]
    fn offline_lines_at_a_past_price_are_honoured_only_when_history_proves_it() {
        let (item, history, ids) = es_teh();
        let (before, after) = (when(3), when(6));
        let past =
            |menu| PastPrices { history: &history, when: if menu == 3 { &before } else { &after }, window_hours: 72 };
        let (l, flags) =
            priced(price_line(&line(&item, &[ids[0]], Some(8_000)), None, Some(&item), Intake::Offline, Some(past(3))));
        assert_eq!((l.unit_price_minor, l.line_total_minor), (8_000, 16_000));
        assert_eq!(l.name, "Es Teh Lama", "the name it had then");
        assert_eq!(flags, ["price_changed"]);
        // A menu pulled after the change could not have shown 8,000.
        let (field, msg) = refusal(price_line(
            &line(&item, &[ids[0]], Some(8_000)),
            None,
            Some(&item),
            Intake::Offline,
            Some(past(6)),
        ));
        assert_eq!(field, "shown_unit_price_minor");
        assert!(msg.contains("Es Teh") && msg.contains("8000") && msg.contains("72 h"), "{msg}");
        // Free is never a price it had.
        refusal(price_line(&line(&item, &[ids[0]], Some(0)), None, Some(&item), Intake::Offline, Some(past(3))));
        // Deleted since: honoured and flagged; with no shown price, refused.
        let mut gone = item.clone();
        gone.deleted = true;
        let (_, flags) =
            priced(price_line(&line(&gone, &[ids[0]], Some(8_000)), None, Some(&gone), Intake::Offline, Some(past(3))));
        assert_eq!(flags, ["item_deleted"]);
        refusal(price_line(&line(&gone, &[ids[0]], None), None, Some(&gone), Intake::Offline, None));
        // Groups changed since (no valid choice today): honoured under the old ones.
        let mut regrouped = item.clone();
        regrouped.groups.clear();
        let (l, flags) = priced(price_line(
            &line(&regrouped, &[ids[0]], Some(8_000)),
            None,
            Some(&regrouped),
            Intake::Offline,
            Some(past(3)),
        ));
        assert_eq!(flags, ["modifiers_changed"]);
        assert_eq!(l.modifiers[0].group, "Ice");
    }
}
