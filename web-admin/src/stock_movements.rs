//! An outlet's stock ledger (issue 14), newest first, a page at a time:
//! who, why, what kind, how much and when (in the outlet's local time),
//! filtered by ingredient, kind and a range of the outlet's local dates.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use pos_backend::stock::{ingredients, listing};
use pos_wire::{StockLedgerEntry, StockMovementKind, StockMovementQuery};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    error::{AdminError, parse_id},
    fields::FormErrors,
    localtime::{date_time, zone},
    session::{Admin, Ctx},
    stock_forms::{kind_key, qty_with_unit, signed_with_unit},
    stock_levels::Choice,
};

const ALL_KINDS: [StockMovementKind; 8] = [
    StockMovementKind::Sale,
    StockMovementKind::Refund,
    StockMovementKind::Cancel,
    StockMovementKind::Receive,
    StockMovementKind::Waste,
    StockMovementKind::Count,
    StockMovementKind::TransferOut,
    StockMovementKind::TransferIn,
];

/// `?ingredient_id=&kind=&from=&to=&cursor=` as typed (empty means any).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LedgerFilter {
    pub ingredient_id: String,
    pub kind: String,
    /// First local date, `YYYY-MM-DD`.
    pub from: String,
    /// Last local date, included.
    pub to: String,
    pub cursor: String,
}

impl LedgerFilter {
    /// The query, or the filter's own errors (dates).
    fn query(&self, tz: Tz, errors: &mut FormErrors) -> StockMovementQuery {
        let mut day = |field: &str, raw: &str, days_after: i64| -> Option<DateTime<Utc>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok();
            let start = date.and_then(|d| d.checked_add_signed(chrono::TimeDelta::days(days_after))).and_then(|d| {
                tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).earliest().map(|t| t.with_timezone(&Utc))
            });
            if start.is_none() {
                errors.add_key(field, "stock.date_format");
            }
            start
        };
        let from = day("from", &self.from, 0);
        let to = day("to", &self.to, 1);
        StockMovementQuery {
            ingredient_id: Uuid::parse_str(self.ingredient_id.trim()).ok(),
            kind: StockMovementKind::try_from(self.kind.as_str()).ok().map(|k| k.as_str().to_string()),
            from,
            to,
            limit: Some(50),
            cursor: Some(self.cursor.clone()).filter(|c| Uuid::parse_str(c).is_ok()),
        }
    }

    /// This filter's link to the page after `cursor`.
    fn next_link(&self, outlet_id: Uuid, cursor: &str) -> String {
        let q = serde_html_form::to_string([
            ("ingredient_id", self.ingredient_id.as_str()),
            ("kind", self.kind.as_str()),
            ("from", self.from.as_str()),
            ("to", self.to.as_str()),
            ("cursor", cursor),
        ])
        .unwrap_or_default();
        format!("/admin/outlets/{outlet_id}/stock/movements?{q}")
    }
}

/// One movement as a row.
pub struct EntryRow {
    pub id: Uuid,
    pub at: String,
    pub kind: &'static str,
    pub kind_name: &'static str,
    pub ingredient: String,
    pub qty: String,
    pub taken: bool,
    pub on_hand_after: String,
    /// A count: counted quantity.
    pub counted: String,
    pub who: String,
    /// Why: the note, the order, the other outlet of a transfer.
    pub why: String,
    pub order_id: Option<Uuid>,
}

fn entry_row(ctx: &Ctx, e: &StockLedgerEntry, tz: Tz) -> EntryRow {
    let m = &e.movement;
    let unit = e.unit.as_str();
    let mut why: Vec<String> = Vec::new();
    if let Some(number) = &e.order_number {
        why.push(format!("{} #{number}", ctx.t("stock.order")));
    }
    if let Some(other) = &e.other_outlet_name {
        let key = if m.kind == StockMovementKind::TransferOut { "stock.to" } else { "stock.from" };
        why.push(format!("{} {other}", ctx.t(key)));
    }
    if let Some(note) = &m.note {
        why.push(note.clone());
    }
    EntryRow {
        id: m.id,
        at: date_time(&m.created_at, tz),
        kind: m.kind.as_str(),
        kind_name: ctx.t(kind_key(m.kind)),
        ingredient: e.ingredient_name.clone(),
        qty: signed_with_unit(m.qty, unit),
        taken: m.qty < 0,
        on_hand_after: qty_with_unit(m.on_hand_after, unit),
        counted: m.counted.map(|c| qty_with_unit(c, unit)).unwrap_or_default(),
        who: e
            .user_name
            .clone()
            .or_else(|| e.device_name.clone())
            .unwrap_or_else(|| ctx.t("stock.by_system").to_string()),
        why: why.join(" · "),
        order_id: m.order_id,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/movements.html")]
pub(crate) struct MovementsPage {
    ctx: Ctx,
    outlet_id: Uuid,
    outlet_name: String,
    filter: LedgerFilter,
    ingredients: Vec<Choice>,
    rows: Vec<EntryRow>,
    next: Option<String>,
    errors: FormErrors,
}

impl MovementsPage {
    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        ALL_KINDS.iter().map(|k| (k.as_str(), self.ctx.t(kind_key(*k)))).collect()
    }
}

/// `GET /admin/outlets/{id}/stock/movements`.
pub async fn list(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
    q: web::Query<LedgerFilter>,
) -> Result<MovementsPage, AdminError> {
    let outlet_id = parse_id(&id)?;
    let outlet = pos_backend::tenancy::outlets::get(&tx, outlet_id).await?;
    let tz = zone(&outlet.timezone);
    let filter = q.into_inner();
    let mut errors = FormErrors::new(ctx.tr);
    let query = filter.query(tz, &mut errors);
    let ingredients = ingredients::list(&tx, &actor).await?;
    let page = if errors.is_empty() {
        listing::list_movements(&tx, &actor, outlet_id, &query).await?
    } else {
        pos_wire::Page { items: Vec::new(), next_cursor: None }
    };
    tx.commit().await?;
    let rows = page.items.iter().map(|e| entry_row(&ctx, e, tz)).collect();
    let next = page.next_cursor.map(|c| filter.next_link(outlet_id, &c));
    Ok(MovementsPage {
        ctx: ctx.at("stock"),
        outlet_id,
        outlet_name: outlet.name,
        filter,
        ingredients: ingredients.into_iter().map(|i| Choice { id: i.id, name: i.name }).collect(),
        rows,
        next,
        errors,
    })
}
