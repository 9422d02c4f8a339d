//! The demo brand that `pos-server seed-demo` creates (and refreshes when run
//! again): two outlets, staff of every role, and fresh pairing codes for a
//! kiosk and a kitchen display, and an Indonesian café menu of about 30 items
//! with modifiers. It goes through the same domain functions as
//! the API, as the app role, so it is also a smoke test of the real path.

use pos_wire::{
    CreateCategory, CreateDevice, CreateMenuItem, CreateOutlet, CreateUser, DeviceKind, ModifierGroup, ModifierOption,
    PageQuery, Role, SignupRequest,
};
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind, Email, sessions},
    catalog::{categories, items},
    config::RunMode,
    db::{OutletScope, PrincipalId, ScopedTx},
    state::AppState,
    tenancy::{devices, outlets, users},
};

pub const BRAND: &str = "Kopi Nusantara";
pub const PASSWORD: &str = "nusantara-demo";
pub const OWNER_EMAIL: &str = "owner@kopinusantara.id";

const OUTLETS: [(&str, &str, i32, i32); 2] = [
    ("Kopi Nusantara Kemang", "Jl. Kemang Raya No. 8, Jakarta Selatan", 1000, 500),
    ("Kopi Nusantara Braga", "Jl. Braga No. 41, Bandung", 1000, 0),
];

const STAFF: [(&str, &str, Role); 3] = [
    ("manager@kopinusantara.id", "Sari Wulandari", Role::Manager),
    ("cashier@kopinusantara.id", "Budi Santoso", Role::Cashier),
    ("kitchen@kopinusantara.id", "Agus Pratama", Role::Kitchen),
];

pub struct Demo {
    pub tenant_id: Uuid,
    pub outlet_ids: Vec<Uuid>,
    pub kiosk_code: String,
    pub kds_code: String,
}

impl Demo {
    pub fn summary(&self) -> String {
        let mut s = format!("Demo brand: {BRAND} (tenant {})\n", self.tenant_id);
        s += &format!("  owner    {OWNER_EMAIL} / {PASSWORD}\n");
        for (email, _, role) in STAFF {
            s += &format!("  {:<8} {email} / {PASSWORD}\n", role.as_str());
        }
        s += &format!("  kiosk pairing code (15 min): {}\n", self.kiosk_code);
        s += &format!("  KDS pairing code (15 min):   {}", self.kds_code);
        s
    }
}

/// Creates what is missing of the demo brand; safe to run again. Refused in
/// production: its logins have a published password.
pub async fn seed(state: &AppState) -> anyhow::Result<Demo> {
    if state.settings.mode == RunMode::Production {
        anyhow::bail!(
            "seed-demo refuses to run in production (POS_ENV=production or unset): the demo logins have a \
             published password. Seed a development or test database (POS_ENV=development) instead"
        );
    }
    let owner_email = Email::parse(OWNER_EMAIL).map_err(anyhow::Error::msg)?;
    let existing = sessions::find_accounts(state, &owner_email, PASSWORD, None).await?;
    let (tenant_id, owner_id) = match existing.first() {
        Some(c) => (c.tenant_id, c.user_id),
        None => {
            let s = sessions::sign_up(
                state,
                SignupRequest {
                    brand_name: BRAND.into(),
                    owner_name: "Dewi Lestari".into(),
                    email: OWNER_EMAIL.into(),
                    password: PASSWORD.into(),
                },
            )
            .await?;
            (s.tenant_id, s.user_id)
        }
    };
    let owner = Actor {
        tenant_id,
        kind: ActorKind::Staff { user_id: owner_id, role: Role::Owner, till: None },
        request_id: None,
    };
    let tx = state.db.begin_scoped(tenant_id, OutletScope::All, PrincipalId::User(owner_id)).await?;

    let present = outlets::list(&tx, &PageQuery { limit: Some(200), cursor: None }).await?.items;
    let mut outlet_ids = Vec::new();
    for (name, address, tax, service) in OUTLETS {
        let id = match present.iter().find(|o| o.name == name) {
            Some(o) => o.id,
            None => {
                let req = CreateOutlet {
                    name: name.into(),
                    address: Some(address.into()),
                    timezone: Some("Asia/Jakarta".into()),
                    tax_rate_bp: Some(tax),
                    service_charge_bp: Some(service),
                    is_open: Some(true),
                    cash_rounding_step: Some(100),
                    kiosk_kitchen_release: None,
                    tax_number: Some("01.234.567.8-012.000".into()),
                    discount_limit_bp: None,
                };
                outlets::create(&tx, &owner, req).await?.id
            }
        };
        outlet_ids.push(id);
    }

    let people = users::list(&tx, &owner, &PageQuery { limit: Some(200), cursor: None }).await?.items;
    for (email, name, role) in STAFF {
        if people.iter().any(|u| u.email == email) {
            continue;
        }
        let req = CreateUser {
            email: email.into(),
            name: name.into(),
            password: Some(PASSWORD.into()),
            role,
            outlet_ids: if role == Role::Manager { outlet_ids.clone() } else { vec![outlet_ids[0]] },
            locale: None,
        };
        users::create(&tx, &owner, state.salt_key(), users::PublicUrl(&state.settings.public_url), req).await?;
    }

    seed_menu(&tx, &owner).await?;
    for outlet_id in &outlet_ids {
        seed_floor(&tx, &owner, *outlet_id).await?;
    }
    crate::demo_stock::seed_stock(&tx, &owner, &outlet_ids).await?;

    let ttl = state.settings.pairing_code_ttl.as_secs();
    let key = state.settings.token_secret.expose();
    let code = |kind: DeviceKind, name: &str| {
        let req = CreateDevice { kind, name: name.into() };
        devices::create(&tx, &owner, key, ttl, outlet_ids[0], req)
    };
    let kiosk_code = code(DeviceKind::Kiosk, "Kiosk 1").await?.pairing_code;
    let kds_code = code(DeviceKind::Kds, "Kitchen display").await?.pairing_code;
    tx.commit().await?;
    Ok(Demo { tenant_id, outlet_ids, kiosk_code, kds_code })
}

/// (category, station, [(item, description, price in rupiah, modifier set)]).
type MenuSection = (&'static str, &'static str, &'static [(&'static str, &'static str, i64, Mods)]);

#[derive(Clone, Copy)]
enum Mods {
    None,
    Coffee,
    Tea,
    Rice,
    Spicy,
    Sweet,
}

const MENU: &[MenuSection] = &[
    (
        "Kopi",
        "bar",
        &[
            ("Kopi Susu Gula Aren", "Espresso, fresh milk and palm sugar", 28_000, Mods::Coffee),
            ("Es Kopi Susu", "Iced coffee with condensed milk", 25_000, Mods::Coffee),
            ("Americano", "Double espresso, hot water", 24_000, Mods::Coffee),
            ("Cappuccino", "Espresso, steamed milk, foam", 30_000, Mods::Coffee),
            ("Kopi Tubruk", "Traditional Javanese coffee, grounds in the cup", 18_000, Mods::Sweet),
            ("V60 Gayo", "Pour-over of Aceh Gayo single origin", 35_000, Mods::None),
            ("Kopi Pandan Latte", "Latte with house pandan syrup", 32_000, Mods::Coffee),
        ],
    ),
    (
        "Non-Kopi",
        "bar",
        &[
            ("Es Teh Manis", "Sweet iced jasmine tea", 12_000, Mods::Tea),
            ("Teh Tarik", "Pulled milk tea", 20_000, Mods::Tea),
            ("Es Jeruk", "Fresh-squeezed orange", 18_000, Mods::Sweet),
            ("Matcha Latte", "Matcha and fresh milk", 32_000, Mods::Sweet),
            ("Cokelat Panas", "Hot chocolate", 28_000, Mods::Sweet),
            ("Es Kelapa Muda", "Young coconut, served in the shell", 22_000, Mods::Sweet),
        ],
    ),
    (
        "Makanan",
        "kitchen",
        &[
            ("Nasi Goreng Kampung", "Village fried rice, fried egg, kerupuk", 38_000, Mods::Rice),
            ("Mie Goreng Jawa", "Javanese fried noodles", 36_000, Mods::Spicy),
            ("Nasi Ayam Geprek", "Smashed fried chicken, sambal bawang, rice", 35_000, Mods::Spicy),
            ("Sate Ayam", "Ten chicken skewers, peanut sauce, lontong", 40_000, Mods::Spicy),
            ("Soto Ayam", "Turmeric chicken soup with rice", 32_000, Mods::Rice),
            ("Gado-Gado", "Vegetables, tofu, tempeh, peanut sauce", 30_000, Mods::Spicy),
            ("Nasi Uduk Komplit", "Coconut rice, chicken, egg, tempeh", 38_000, Mods::Rice),
            ("Indomie Goreng Telur", "Fried instant noodles with egg", 22_000, Mods::Spicy),
        ],
    ),
    (
        "Camilan",
        "kitchen",
        &[
            ("Pisang Goreng", "Fried banana, palm sugar dip", 18_000, Mods::Sweet),
            ("Tahu Crispy", "Crispy tofu, chilli salt", 16_000, Mods::Spicy),
            ("Singkong Goreng", "Fried cassava, sambal", 16_000, Mods::Spicy),
            ("Roti Bakar Cokelat Keju", "Toast with chocolate and cheese", 24_000, Mods::None),
            ("Kentang Goreng", "French fries", 20_000, Mods::None),
        ],
    ),
    (
        "Kue & Dessert",
        "bar",
        &[
            ("Klepon", "Pandan rice cake, palm sugar, coconut", 15_000, Mods::None),
            ("Es Cendol", "Rice-flour jelly, coconut milk, palm sugar", 20_000, Mods::None),
            ("Martabak Manis Mini", "Sweet thick pancake, chocolate and peanut", 26_000, Mods::None),
            ("Bolu Pandan", "Pandan chiffon slice", 18_000, Mods::None),
        ],
    ),
];

fn option(name: &str, price_minor: i64) -> ModifierOption {
    ModifierOption { id: None, name: name.into(), price_minor }
}

fn group(name: &str, min: u32, max: u32, options: Vec<ModifierOption>) -> ModifierGroup {
    ModifierGroup { id: None, name: name.into(), min, max, options }
}

fn modifier_groups(mods: Mods) -> Vec<ModifierGroup> {
    let sugar = || group("Gula", 1, 1, vec![option("Normal", 0), option("Less sugar", 0), option("No sugar", 0)]);
    let ice = || group("Es", 1, 1, vec![option("Normal ice", 0), option("Less ice", 0), option("Hot", 0)]);
    match mods {
        Mods::None => vec![],
        Mods::Coffee => vec![
            ice(),
            sugar(),
            group(
                "Extra",
                0,
                3,
                vec![option("Extra shot", 6_000), option("Oat milk", 8_000), option("Vanilla syrup", 5_000)],
            ),
        ],
        Mods::Tea => vec![ice(), sugar()],
        Mods::Sweet => vec![sugar()],
        Mods::Rice => vec![
            group("Telur", 0, 1, vec![option("Telur ceplok", 5_000), option("Telur dadar", 5_000)]),
            group("Pedas", 1, 1, vec![option("Tidak pedas", 0), option("Sedang", 0), option("Pedas", 0)]),
        ],
        Mods::Spicy => {
            vec![group("Pedas", 1, 1, vec![option("Tidak pedas", 0), option("Sedang", 0), option("Pedas", 0)])]
        }
    }
}

/// The demo café menu (about 30 items), created once.
/// The dining room of each outlet, once: an area inside with six tables
/// and a terrace with four, for checks on the till.
async fn seed_floor(tx: &ScopedTx, owner: &Actor, outlet_id: uuid::Uuid) -> Result<(), crate::Error> {
    if !crate::tables::list_areas(tx, owner, outlet_id).await?.is_empty() {
        return Ok(());
    }
    for (position, (area, labels)) in
        [("Dalam", ["1", "2", "3", "4", "5", "6"].as_slice()), ("Teras", ["T1", "T2", "T3", "T4"].as_slice())]
            .into_iter()
            .enumerate()
    {
        let req = pos_wire::CreateArea { name: area.into(), position: Some(position as i32) };
        let area = crate::tables::create_area(tx, owner, outlet_id, req).await?;
        for (i, label) in labels.iter().enumerate() {
            let req = pos_wire::CreateTable {
                area_id: area.id,
                label: (*label).into(),
                seats: Some(if i % 3 == 0 { 2 } else { 4 }),
                position: Some(i as i32),
            };
            crate::tables::create_table(tx, owner, outlet_id, req).await?;
        }
    }
    Ok(())
}

async fn seed_menu(tx: &ScopedTx, owner: &Actor) -> Result<(), crate::Error> {
    if !categories::list(tx).await?.is_empty() {
        return Ok(());
    }
    for (position, (name, station, dishes)) in MENU.iter().enumerate() {
        let category = categories::create(
            tx,
            owner,
            CreateCategory { name: (*name).into(), position: Some(position as i32), station: Some((*station).into()) },
        )
        .await?;
        for (i, (dish, description, rupiah, mods)) in dishes.iter().enumerate() {
            let req = CreateMenuItem {
                category_id: category.id,
                name: (*dish).into(),
                code: None,
                description: (*description).into(),
                price_minor: *rupiah,
                image_url: None,
                position: Some(i as i32),
                modifier_groups: modifier_groups(*mods),
            };
            items::create(tx, owner, req).await?;
        }
    }
    Ok(())
}
