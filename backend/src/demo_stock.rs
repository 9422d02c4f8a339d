//! The demo brand's stock (issue 14), created once with the ingredients:
//! what the coffee bar uses, recipes for its milk drinks (and what an extra
//! shot, oat milk or vanilla adds), opening stock at both outlets and
//! low-stock levels. Kemang gets little milk on purpose: a dozen lattes
//! sell it out, so the "Done when" story of issue 14 can be played (receive
//! milk, sell lattes until it runs out, watch the latte go sold out on the
//! kiosk, receive more and see it come back).

use pos_wire::{
    CreateIngredient, CreateStockMovement, PageQuery, PutRecipe, PutThreshold, RecipeLine, StockMovementKind, StockUnit,
};
use uuid::Uuid;

use crate::{
    auth::Actor,
    catalog::items,
    db::ScopedTx,
    stock::{ingredients, levels, movements, recipes},
};

/// (name, unit, cost per unit in rupiah, the brand's low-stock level).
const INGREDIENTS: &[(&str, StockUnit, i64, Option<i64>)] = &[
    ("Susu segar", StockUnit::Ml, 25, Some(1_000)),
    ("Biji kopi", StockUnit::G, 300, Some(500)),
    ("Gula aren cair", StockUnit::Ml, 40, Some(300)),
    ("Susu kental manis", StockUnit::Ml, 30, Some(300)),
    ("Oat milk", StockUnit::Ml, 60, Some(500)),
    ("Sirup vanila", StockUnit::Ml, 80, Some(100)),
    ("Sirup pandan", StockUnit::Ml, 70, Some(100)),
    ("Bubuk matcha", StockUnit::G, 900, Some(50)),
    ("Bubuk cokelat", StockUnit::G, 200, Some(200)),
    ("Gelas plastik", StockUnit::Pcs, 1_500, Some(50)),
];

/// (menu item, [(ingredient, qty for one portion)]).
const RECIPES: &[(&str, &[(&str, i64)])] = &[
    ("Kopi Susu Gula Aren", &[("Biji kopi", 18), ("Susu segar", 150), ("Gula aren cair", 20), ("Gelas plastik", 1)]),
    ("Es Kopi Susu", &[("Biji kopi", 18), ("Susu segar", 120), ("Susu kental manis", 30), ("Gelas plastik", 1)]),
    ("Americano", &[("Biji kopi", 18), ("Gelas plastik", 1)]),
    ("Cappuccino", &[("Biji kopi", 18), ("Susu segar", 180)]),
    ("Kopi Pandan Latte", &[("Biji kopi", 18), ("Susu segar", 200), ("Sirup pandan", 15), ("Gelas plastik", 1)]),
    ("Matcha Latte", &[("Bubuk matcha", 5), ("Susu segar", 200), ("Gelas plastik", 1)]),
    ("Cokelat Panas", &[("Bubuk cokelat", 25), ("Susu segar", 200)]),
];

/// (modifier option, what choosing it adds) for every item that has it.
const OPTION_RECIPES: &[(&str, &[(&str, i64)])] = &[
    ("Extra shot", &[("Biji kopi", 9)]),
    ("Oat milk", &[("Oat milk", 150)]),
    ("Vanilla syrup", &[("Sirup vanila", 15)]),
];

/// Opening stock per outlet, in the order of the demo's outlets: Kemang
/// (little milk: about a dozen lattes), then Braga.
const OPENING: [&[(&str, i64)]; 2] = [
    &[
        ("Susu segar", 2_400),
        ("Biji kopi", 3_000),
        ("Gula aren cair", 1_000),
        ("Susu kental manis", 1_000),
        ("Oat milk", 1_000),
        ("Sirup vanila", 500),
        ("Sirup pandan", 500),
        ("Bubuk matcha", 250),
        ("Bubuk cokelat", 1_000),
        ("Gelas plastik", 300),
    ],
    &[
        ("Susu segar", 10_000),
        ("Biji kopi", 5_000),
        ("Gula aren cair", 2_000),
        ("Susu kental manis", 2_000),
        ("Oat milk", 2_000),
        ("Sirup vanila", 1_000),
        ("Sirup pandan", 1_000),
        ("Bubuk matcha", 500),
        ("Bubuk cokelat", 2_000),
        ("Gelas plastik", 500),
    ],
];

/// Kemang warns earlier about milk than the brand's default.
const KEMANG_MILK_LEVEL: i64 = 1_200;

/// Seeds the demo's stock once (nothing when the brand has ingredients).
pub async fn seed_stock(tx: &ScopedTx, owner: &Actor, outlet_ids: &[Uuid]) -> Result<(), crate::Error> {
    if !ingredients::list(tx, owner).await?.is_empty() {
        return Ok(());
    }
    let mut ids = std::collections::HashMap::new();
    for (name, unit, rupiah, level) in INGREDIENTS {
        let req = CreateIngredient {
            name: (*name).into(),
            unit: *unit,
            cost_per_unit_minor: *rupiah,
            low_stock_threshold: *level,
        };
        ids.insert(*name, ingredients::create(tx, owner, req).await?.id);
    }
    let lines = |recipe: &[(&str, i64)]| PutRecipe {
        lines: recipe.iter().map(|(name, qty)| RecipeLine { ingredient_id: ids[name], qty: *qty }).collect(),
    };
    let menu = items::list(tx, None, &PageQuery { limit: Some(200), cursor: None }).await?.items;
    for item in &menu {
        if let Some((_, recipe)) = RECIPES.iter().find(|(name, _)| *name == item.name) {
            recipes::put(tx, owner, item.id, None, lines(recipe)).await?;
        }
        for option in item.modifier_groups.iter().flat_map(|g| &g.options) {
            let found = OPTION_RECIPES.iter().find(|(name, _)| *name == option.name);
            if let (Some((_, recipe)), Some(option_id)) = (found, option.id) {
                recipes::put(tx, owner, item.id, Some(option_id), lines(recipe)).await?;
            }
        }
    }
    for (outlet_id, opening) in outlet_ids.iter().zip(OPENING) {
        for (name, qty) in opening {
            let req = CreateStockMovement {
                client_movement_id: Uuid::now_v7(),
                ingredient_id: ids[name],
                kind: StockMovementKind::Receive,
                qty: Some(*qty),
                note: Some("Stok awal".into()),
                to_outlet_id: None,
                transfer_id: None,
            };
            movements::record_movement(tx, owner, *outlet_id, req).await?;
        }
    }
    if let Some(kemang) = outlet_ids.first() {
        let level = PutThreshold { low_stock_threshold: Some(KEMANG_MILK_LEVEL) };
        levels::put_threshold(tx, owner, *kemang, ids["Susu segar"], level).await?;
    }
    Ok(())
}
