//! The demo brand that `pos-server seed-demo` creates (and refreshes when run
//! again): two outlets, staff of every role, and fresh pairing codes for a
//! kiosk and a kitchen display. It goes through the same domain functions as
//! the API, as the app role, so it is also a smoke test of the real path.

use pos_wire::{
    CreateDevice, CreateOutlet, CreateUser, DeviceKind, PageQuery, Role, SignupRequest,
};
use uuid::Uuid;

use crate::{
    auth::{Actor, ActorKind, sessions},
    db::{OutletScope, PrincipalId},
    state::AppState,
    tenancy::{devices, outlets, users},
};

pub const BRAND: &str = "Kopi Nusantara";
pub const PASSWORD: &str = "nusantara-demo";
pub const OWNER_EMAIL: &str = "owner@kopinusantara.id";

const OUTLETS: [(&str, &str, i32, i32); 2] = [
    (
        "Kopi Nusantara Kemang",
        "Jl. Kemang Raya No. 8, Jakarta Selatan",
        1100,
        500,
    ),
    ("Kopi Nusantara Braga", "Jl. Braga No. 41, Bandung", 1100, 0),
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

/// Creates what is missing of the demo brand; safe to run again.
pub async fn seed(state: &AppState) -> anyhow::Result<Demo> {
    let existing = state
        .db
        .cross_tenant()
        .login_candidates(OWNER_EMAIL)
        .await?;
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
        kind: ActorKind::Staff {
            user_id: owner_id,
            role: Role::Owner,
        },
        request_id: None,
    };
    let tx = state
        .db
        .begin_scoped(tenant_id, OutletScope::All, PrincipalId::User(owner_id))
        .await?;

    let present = outlets::list(
        &tx,
        &PageQuery {
            limit: Some(200),
            cursor: None,
        },
    )
    .await?
    .items;
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
                };
                outlets::create(&tx, &owner, req).await?.id
            }
        };
        outlet_ids.push(id);
    }

    let people = users::list(
        &tx,
        &owner,
        &PageQuery {
            limit: Some(200),
            cursor: None,
        },
    )
    .await?
    .items;
    for (email, name, role) in STAFF {
        if people.iter().any(|u| u.email == email) {
            continue;
        }
        let req = CreateUser {
            email: email.into(),
            name: name.into(),
            password: PASSWORD.into(),
            role,
            outlet_ids: if role == Role::Manager {
                outlet_ids.clone()
            } else {
                vec![outlet_ids[0]]
            },
            locale: None,
        };
        users::create(&tx, &owner, req).await?;
    }

    let ttl = state.settings.pairing_code_ttl.as_secs();
    let key = state.settings.token_secret.expose();
    let code = |kind: DeviceKind, name: &str| {
        let req = CreateDevice {
            kind,
            name: name.into(),
        };
        devices::create(&tx, &owner, key, ttl, outlet_ids[0], req)
    };
    let kiosk_code = code(DeviceKind::Kiosk, "Kiosk 1").await?.pairing_code;
    let kds_code = code(DeviceKind::Kds, "Kitchen display").await?.pairing_code;
    tx.commit().await?;
    Ok(Demo {
        tenant_id,
        outlet_ids,
        kiosk_code,
        kds_code,
    })
}
