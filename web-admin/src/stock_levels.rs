//! An outlet's stock (issue 14): on hand per ingredient (a negative figure
//! stays visible, a level at or under its alert level is marked), the
//! outlet's own alert levels, and the forms that record what happened:
//! a delivery, waste, a count (whose variance shows once saved), a
//! transfer out to another outlet of the brand, and receiving a transfer
//! sent here. Every movement form carries a `client_movement_id` made when
//! the page was rendered, so a double submit records once.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    Error,
    auth::Actor,
    db::ScopedTx,
    stock::{levels, movements},
};
use pos_wire::{CreateStockMovement, PutThreshold, StockMovement, StockMovementKind};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::AdminForm,
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    localtime::{date_time, zone},
    outlets::all_outlets,
    problem_text::refusal_message,
    render::{invalid, render_with_status},
    session::{Admin, Ctx, NoticeQuery},
    stock_forms::{fresh_admin, kind_key, parse_qty, qty_with_unit, signed_with_unit},
};

/// The kinds a person records here, in the form's order.
pub const RECORDED_KINDS: [StockMovementKind; 4] =
    [StockMovementKind::Receive, StockMovementKind::Waste, StockMovementKind::Count, StockMovementKind::TransferOut];

/// The movement form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MovementForm {
    pub client_movement_id: String,
    pub kind: String,
    pub ingredient_id: String,
    pub qty: String,
    pub to_outlet_id: String,
    pub note: String,
}

impl MovementForm {
    fn fresh() -> MovementForm {
        MovementForm {
            client_movement_id: Uuid::now_v7().to_string(),
            kind: "receive".into(),
            ..MovementForm::default()
        }
    }

    /// The request, or the form's own errors (ids, numbers); the domain checks the rest.
    fn request(&self, errors: &mut FormErrors) -> Option<CreateStockMovement> {
        let client_movement_id = Uuid::parse_str(self.client_movement_id.trim()).ok();
        let kind = StockMovementKind::try_from(self.kind.as_str()).ok().filter(|k| RECORDED_KINDS.contains(k));
        if kind.is_none() {
            errors.add_key("kind", "field.choose_one");
        }
        let ingredient_id = Uuid::parse_str(self.ingredient_id.trim()).ok();
        if ingredient_id.is_none() {
            errors.add_key("ingredient_id", "field.choose_one");
        }
        let qty = parse_qty(&self.qty).unwrap_or_else(|key| {
            errors.add_key("qty", key);
            None
        });
        let to_outlet_id = match self.to_outlet_id.trim() {
            "" => None,
            raw => {
                let id = Uuid::parse_str(raw).ok();
                if id.is_none() {
                    errors.add_key("to_outlet_id", "field.choose_one");
                }
                id
            }
        };
        let note = Some(self.note.trim().to_string()).filter(|n| !n.is_empty());
        if !errors.is_empty() {
            return None;
        }
        Some(CreateStockMovement {
            // A form posted without its id (not one of ours) still records at most once per submit.
            client_movement_id: client_movement_id.unwrap_or_else(Uuid::now_v7),
            ingredient_id: ingredient_id?,
            kind: kind?,
            qty,
            note,
            to_outlet_id: to_outlet_id.filter(|_| kind == Some(StockMovementKind::TransferOut)),
            transfer_id: None,
        })
    }
}

/// A transfer's receive form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReceiveForm {
    pub client_movement_id: String,
    pub ingredient_id: String,
    pub qty: String,
}

/// The alert level form as typed (empty: the brand's level).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ThresholdForm {
    pub threshold: String,
}

/// One ingredient at the outlet.
pub struct LevelRow {
    pub id: Uuid,
    pub name: String,
    pub unit: &'static str,
    pub on_hand: String,
    pub negative: bool,
    pub low: bool,
    /// The outlet's (or the brand's) alert level, as typed in the form.
    pub threshold: String,
}

/// A transfer waiting to be received here.
pub struct IncomingRow {
    pub id: Uuid,
    pub ingredient_id: Uuid,
    pub ingredient: String,
    pub qty: String,
    pub from: String,
    pub sent_at: String,
    /// Made when the page was rendered: a double submit receives once.
    pub client_movement_id: Uuid,
}

pub struct Choice {
    pub id: Uuid,
    pub name: String,
}

/// What was just recorded, shown above the forms.
pub struct Recorded {
    pub kind: &'static str,
    pub ingredient: String,
    pub qty: String,
    pub on_hand: String,
    /// A count: what was counted and the variance.
    pub counted: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/outlet.html")]
pub(crate) struct OutletStockPage {
    ctx: Ctx,
    outlet_id: Uuid,
    outlet_name: String,
    rows: Vec<LevelRow>,
    incoming: Vec<IncomingRow>,
    destinations: Vec<Choice>,
    form: MovementForm,
    errors: FormErrors,
    /// The row whose alert level or transfer was refused, and why.
    row_errors: Option<(Uuid, Vec<String>)>,
    problem: Option<String>,
    recorded: Option<Recorded>,
}

impl OutletStockPage {
    fn row_errors_of(&self, id: &Uuid) -> &[String] {
        self.row_errors.as_ref().filter(|(r, _)| r == id).map_or(&[], |(_, m)| m.as_slice())
    }

    fn others(&self) -> Vec<&String> {
        self.errors.others(&["kind", "ingredient_id", "qty", "to_outlet_id", "note"])
    }

    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        RECORDED_KINDS.iter().map(|k| (k.as_str(), self.ctx.t(kind_key(*k)))).collect()
    }
}

async fn page(tx: &ScopedTx, actor: &Actor, ctx: Ctx, outlet_id: Uuid) -> Result<OutletStockPage, AdminError> {
    let stock = levels::outlet_stock(tx, actor, outlet_id).await?;
    let outlets = all_outlets(tx).await?;
    let names: HashMap<Uuid, &str> = outlets.iter().map(|o| (o.id, o.name.as_str())).collect();
    let outlet = outlets.iter().find(|o| o.id == outlet_id).ok_or_else(AdminError::not_found)?;
    let tz = zone(&outlet.timezone);
    let units: HashMap<Uuid, (&str, &'static str)> =
        stock.items.iter().map(|l| (l.ingredient_id, (l.name.as_str(), l.unit.as_str()))).collect();
    let rows = stock
        .items
        .iter()
        .map(|l| LevelRow {
            id: l.ingredient_id,
            name: l.name.clone(),
            unit: l.unit.as_str(),
            on_hand: qty_with_unit(l.on_hand, l.unit.as_str()),
            negative: l.on_hand < 0,
            low: l.low,
            threshold: l.low_stock_threshold.map(|t| t.to_string()).unwrap_or_default(),
        })
        .collect();
    let incoming = stock
        .incoming_transfers
        .iter()
        .map(|t| {
            let (name, unit) = units.get(&t.ingredient_id).copied().unwrap_or(("", ""));
            IncomingRow {
                id: t.id,
                ingredient_id: t.ingredient_id,
                ingredient: name.to_string(),
                qty: qty_with_unit(t.qty, unit),
                from: names.get(&t.from_outlet_id).map(|n| n.to_string()).unwrap_or_default(),
                sent_at: date_time(&t.sent_at, tz),
                client_movement_id: Uuid::now_v7(),
            }
        })
        .collect();
    let destinations =
        outlets.iter().filter(|o| o.id != outlet_id).map(|o| Choice { id: o.id, name: o.name.clone() }).collect();
    let errors = FormErrors::new(ctx.tr);
    Ok(OutletStockPage {
        ctx: ctx.at("stock"),
        outlet_id,
        outlet_name: outlet.name.clone(),
        rows,
        incoming,
        destinations,
        form: MovementForm::fresh(),
        errors,
        row_errors: None,
        problem: None,
        recorded: None,
    })
}

fn recorded_view(ctx: &Ctx, m: &StockMovement, ingredient: &str, unit: &str) -> Recorded {
    Recorded {
        kind: ctx.t(kind_key(m.kind)),
        ingredient: ingredient.to_string(),
        qty: signed_with_unit(m.qty, unit),
        on_hand: qty_with_unit(m.on_hand_after, unit),
        counted: m.counted.map(|c| (qty_with_unit(c, unit), signed_with_unit(m.variance.unwrap_or_default(), unit))),
    }
}

/// `?recorded=<movement id>` after a movement was saved.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ShowQuery {
    pub recorded: String,
    pub notice: Option<String>,
}

/// `GET /admin/outlets/{id}/stock`.
pub async fn show(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
    q: web::Query<ShowQuery>,
) -> Result<OutletStockPage, AdminError> {
    let outlet_id = parse_id(&id)?;
    let ctx = ctx.with_notice(&NoticeQuery { notice: q.notice.clone() });
    let mut p = page(&tx, &actor, ctx, outlet_id).await?;
    if let Ok(recorded) = Uuid::parse_str(&q.recorded) {
        // Only a movement of this outlet (row security hides other outlets' anyway).
        if let Ok(m) = movements::get_movement(&tx, recorded).await
            && m.outlet_id == outlet_id
        {
            let level = p.rows.iter().find(|r| r.id == m.ingredient_id);
            let (name, unit) = level.map_or((String::new(), ""), |r| (r.name.clone(), r.unit));
            p.recorded = Some(recorded_view(&p.ctx, &m, &name, unit));
        }
    }
    tx.commit().await?;
    Ok(p)
}

/// The page again with why a write was refused (nothing was written: the
/// transaction is rolled back and the page read in a new one). `Conflict`s
/// show at the top with 409.
async fn refused(
    req: &HttpRequest,
    tx: ScopedTx,
    ctx: Ctx,
    outlet_id: Uuid,
    e: Error,
    mut with: impl FnMut(&mut OutletStockPage, FormErrors),
) -> Result<HttpResponse, AdminError> {
    let Admin { tx, actor, .. } = fresh_admin(req, tx).await?;
    let mut p = page(&tx, &actor, ctx, outlet_id).await?;
    tx.commit().await?;
    match e {
        Error::Conflict(detail) => {
            p.problem = Some(refusal_message(p.ctx.tr, &detail));
            render_with_status(&p, StatusCode::CONFLICT)
        }
        e => {
            let errors = FormErrors::from_domain(p.ctx.tr, field_errors(e)?);
            with(&mut p, errors);
            invalid(&p)
        }
    }
}

/// The page with `messages` under row `id` (an alert level, a transfer).
async fn row_refused(
    tx: ScopedTx,
    actor: Actor,
    ctx: Ctx,
    outlet_id: Uuid,
    id: Uuid,
    key: &str,
) -> Result<HttpResponse, AdminError> {
    let mut p = page(&tx, &actor, ctx, outlet_id).await?;
    drop(tx);
    p.row_errors = Some((id, vec![p.ctx.t(key).to_string()]));
    invalid(&p)
}

/// Puts every refusal of a row's form under that row.
fn under_row(id: Uuid) -> impl FnMut(&mut OutletStockPage, FormErrors) {
    move |p, errors| p.row_errors = Some((id, errors.others(&[]).into_iter().cloned().collect()))
}

/// Records `req`: to the page with what was recorded (also for a replay of
/// its `client_movement_id`: a double submit records once), or back with why not.
async fn save_movement(
    http: &HttpRequest,
    tx: ScopedTx,
    actor: Actor,
    ctx: Ctx,
    outlet_id: Uuid,
    req: CreateStockMovement,
    with: impl FnMut(&mut OutletStockPage, FormErrors),
) -> Result<HttpResponse, AdminError> {
    match movements::record_movement(&tx, &actor, outlet_id, req).await {
        Ok(movements::Recorded::Created(m) | movements::Recorded::Duplicate(m)) => {
            tx.commit().await?;
            Ok(htmx::see_other(&format!("/admin/outlets/{outlet_id}/stock?recorded={}", m.id)))
        }
        Err(e) => refused(http, tx, ctx, outlet_id, e, with).await,
    }
}

/// `POST /admin/outlets/{id}/stock/movements`: a delivery, waste, a count or a transfer out.
pub async fn record(
    http: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<MovementForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let outlet_id = parse_id(&id)?;
    let mut errors = FormErrors::new(ctx.tr);
    let Some(req) = form.request(&mut errors) else {
        let mut p = page(&tx, &actor, ctx, outlet_id).await?;
        drop(tx);
        p.errors = errors;
        p.form = form;
        return invalid(&p);
    };
    save_movement(&http, tx, actor, ctx, outlet_id, req, |p, errors| {
        p.errors = errors;
        p.form = form.clone();
    })
    .await
}

/// `POST /admin/outlets/{id}/stock/transfers/{transfer}/receive`: all that
/// was sent, or the quantity typed (what arrived). The domain checks that
/// the transfer is pending, comes here and is of that ingredient.
pub async fn receive_transfer(
    http: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<ReceiveForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let outlet_id = parse_id(&path.0)?;
    let transfer_id = parse_id(&path.1)?;
    let ingredient_id = parse_id(&form.ingredient_id)?;
    let qty = match parse_qty(&form.qty) {
        Ok(q) => q,
        Err(key) => return row_refused(tx, actor, ctx, outlet_id, transfer_id, key).await,
    };
    let req = CreateStockMovement {
        client_movement_id: Uuid::parse_str(form.client_movement_id.trim()).unwrap_or_else(|_| Uuid::now_v7()),
        ingredient_id,
        kind: StockMovementKind::TransferIn,
        qty,
        note: None,
        to_outlet_id: None,
        transfer_id: Some(transfer_id),
    };
    save_movement(&http, tx, actor, ctx, outlet_id, req, under_row(transfer_id)).await
}

/// `POST /admin/outlets/{id}/stock/{ingredient}/threshold` (empty: the brand's level).
pub async fn set_threshold(
    http: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<ThresholdForm>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AdminError> {
    let outlet_id = parse_id(&path.0)?;
    let ingredient_id = parse_id(&path.1)?;
    let level = match parse_qty(&form.threshold) {
        Ok(level) => level,
        Err(key) => return row_refused(tx, actor, ctx, outlet_id, ingredient_id, key).await,
    };
    let req = PutThreshold { low_stock_threshold: level };
    match levels::put_threshold(&tx, &actor, outlet_id, ingredient_id, req).await {
        Ok(_) => {
            tx.commit().await?;
            Ok(htmx::see_other(&format!("/admin/outlets/{outlet_id}/stock?notice=threshold_saved")))
        }
        Err(e) => refused(&http, tx, ctx, outlet_id, e, under_row(ingredient_id)).await,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/stock/index.html")]
pub(crate) struct StockIndexPage {
    ctx: Ctx,
    outlets: Vec<Choice>,
}

/// `GET /admin/stock`: the outlets in scope, each with its stock and ledger.
pub async fn index(Admin { tx, ctx, .. }: Admin) -> Result<StockIndexPage, AdminError> {
    let outlets = all_outlets(&tx).await?;
    tx.commit().await?;
    let outlets = outlets.into_iter().map(|o| Choice { id: o.id, name: o.name }).collect();
    Ok(StockIndexPage { ctx: ctx.at("stock"), outlets })
}
