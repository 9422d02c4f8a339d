//! Outlets: list, create, edit (rates typed as percent), open/closed
//! toggle and archive.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use pos_backend::{
    db::ScopedTx,
    tenancy::{names::Name, outlets},
};
use pos_wire::{CreateOutlet, KitchenRelease, Outlet, UpdateOutlet, problem::Code};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::AdminForm,
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    i18n::Tr,
    money::format_money,
    percent::{format_percent, parse_percent},
    render::invalid,
    session::{Admin, Ctx, NoticeQuery},
};

/// Suggestions for the time zone field (any IANA zone is accepted).
pub const TIMEZONES: &[&str] = &[
    "Asia/Jakarta",
    "Asia/Makassar",
    "Asia/Jayapura",
    "Asia/Singapore",
    "Asia/Kuala_Lumpur",
    "Asia/Bangkok",
    "Asia/Manila",
    "Asia/Ho_Chi_Minh",
    "Australia/Perth",
    "UTC",
];

/// The cash rounding steps an outlet may choose, in minor units (0: none).
pub const ROUNDING_STEPS: [i32; 4] = [0, 100, 500, 1000];

/// A choice of the rounding step as the form offers it: value and label.
pub struct StepChoice {
    pub value: String,
    pub label: String,
}

/// The steps in the brand's currency ("Rp 1.000"); 0 reads "no rounding".
fn step_choices(currency: &str, tr: Tr) -> Vec<StepChoice> {
    ROUNDING_STEPS
        .iter()
        .map(|&step| StepChoice {
            value: step.to_string(),
            label: if step == 0 {
                tr.t("outlets.rounding_none").to_string()
            } else {
                format_money(i64::from(step), currency, tr)
            },
        })
        .collect()
}

/// An outlet as the list shows it.
pub struct OutletView {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub timezone: String,
    pub tax: String,
    pub service: String,
    pub is_open: bool,
}

impl From<Outlet> for OutletView {
    fn from(o: Outlet) -> OutletView {
        OutletView {
            id: o.id,
            name: o.name,
            address: o.address,
            timezone: o.timezone,
            tax: format_percent(o.tax_rate_bp),
            service: format_percent(o.service_charge_bp),
            is_open: o.is_open,
        }
    }
}

/// Every outlet in the caller's scope, in creation order.
pub async fn all_outlets(tx: &ScopedTx) -> pos_backend::Result<Vec<Outlet>> {
    crate::paging::every(|q| async move { outlets::list(tx, &q).await }).await
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/outlets/list.html")]
pub(crate) struct OutletList {
    ctx: Ctx,
    outlets: Vec<OutletView>,
}

pub async fn list(Admin { tx, ctx, .. }: Admin, q: web::Query<NoticeQuery>) -> Result<OutletList, AdminError> {
    let outlets = all_outlets(&tx).await?;
    tx.commit().await?;
    Ok(OutletList {
        ctx: ctx.at("outlets").with_notice(&q),
        outlets: outlets.into_iter().map(OutletView::from).collect(),
    })
}

/// The outlet form as typed: strings, so nothing typed is lost on errors.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OutletForm {
    pub name: String,
    pub address: String,
    pub timezone: String,
    pub tax_percent: String,
    pub service_percent: String,
    pub is_open: Option<String>,
    /// Minor units as a number: `0`, `100`, `500` or `1000`.
    pub cash_rounding_step: String,
    /// `on_place` or `on_paid`.
    pub kiosk_kitchen_release: String,
    /// Absent (a client that predates the field) keeps it; empty clears it.
    pub tax_number: Option<String>,
    /// Discounts above this percentage need a manager's PIN; absent keeps it.
    pub discount_limit_percent: String,
}

impl OutletForm {
    fn blank() -> OutletForm {
        OutletForm {
            timezone: "Asia/Jakarta".into(),
            tax_percent: format_percent(outlets::DEFAULT_TAX_RATE_BP),
            service_percent: "0".into(),
            is_open: Some("on".into()),
            cash_rounding_step: "0".into(),
            kiosk_kitchen_release: KitchenRelease::OnPlace.as_str().into(),
            discount_limit_percent: "10".into(),
            ..OutletForm::default()
        }
    }

    fn of(o: &Outlet) -> OutletForm {
        OutletForm {
            name: o.name.clone(),
            address: o.address.clone(),
            timezone: o.timezone.clone(),
            tax_percent: format_percent(o.tax_rate_bp),
            service_percent: format_percent(o.service_charge_bp),
            is_open: o.is_open.then(|| "on".into()),
            cash_rounding_step: o.cash_rounding_step.to_string(),
            kiosk_kitchen_release: o.kiosk_kitchen_release.as_str().into(),
            tax_number: o.tax_number.clone(),
            discount_limit_percent: format_percent(o.discount_limit_bp),
        }
    }

    /// The admin's own checks (percent syntax); the domain checks the rest.
    fn parse(&self, errors: &mut FormErrors) -> Option<UpdateOutlet> {
        let mut rate = |field: &str, raw: &str| match parse_percent(raw) {
            Ok(bp) => Some(bp),
            Err(key) => {
                errors.add_key(field, key);
                None
            }
        };
        let tax = rate("tax_percent", &self.tax_percent);
        let service = rate("service_percent", &self.service_percent);
        let discount_limit = match self.discount_limit_percent.trim() {
            "" => None,
            raw => rate("discount_limit_percent", raw),
        };
        // A select and radio buttons: anything else was not chosen by a
        // person, but still gets its message next to the field. Absent
        // (a client that predates them) leaves them as they are.
        let mut refused = pos_backend::error::FieldErrors::new();
        let step = match self.cash_rounding_step.trim() {
            "" => None,
            raw => {
                let step = raw.parse::<i32>().ok().filter(|s| ROUNDING_STEPS.contains(s));
                if step.is_none() {
                    refused.add("cash_rounding_step", Code::CashRoundingStepInvalid);
                }
                step
            }
        };
        let release = match self.kiosk_kitchen_release.as_str() {
            "" => None,
            raw => {
                let release = KitchenRelease::try_from(raw).ok();
                if release.is_none() {
                    errors.add_key("kiosk_kitchen_release", "outlets.release_invalid");
                }
                release
            }
        };
        errors.merge(refused);
        if !errors.is_empty() {
            // Show the name's problem too, rather than one error per submit.
            if let Err(m) = Name::parse(&self.name, 120) {
                let mut fe = pos_backend::error::FieldErrors::new();
                fe.add("name", m);
                errors.merge(fe);
            }
            return None;
        }
        Some(UpdateOutlet {
            name: Some(self.name.clone()),
            address: Some(self.address.clone()),
            timezone: Some(self.timezone.trim().to_string()),
            tax_rate_bp: tax,
            service_charge_bp: service,
            is_open: Some(self.is_open.is_some()),
            cash_rounding_step: step,
            kiosk_kitchen_release: release,
            tax_number: self.tax_number.clone(),
            discount_limit_bp: discount_limit,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/outlets/form.html")]
pub(crate) struct OutletFormPage {
    ctx: Ctx,
    /// `None` while creating.
    id: Option<Uuid>,
    form: OutletForm,
    errors: FormErrors,
    timezones: &'static [&'static str],
    steps: Vec<StepChoice>,
}

impl OutletFormPage {
    fn new(ctx: Ctx, id: Option<Uuid>, form: OutletForm, errors: FormErrors) -> OutletFormPage {
        let steps = step_choices(&ctx.currency, ctx.tr);
        OutletFormPage { ctx: ctx.at("outlets"), id, form, errors, timezones: TIMEZONES, steps }
    }

    fn other_errors(&self) -> Vec<&String> {
        self.errors.others(&[
            "name",
            "address",
            "timezone",
            "tax_percent",
            "service_percent",
            "cash_rounding_step",
            "kiosk_kitchen_release",
            "tax_number",
        ])
    }

    fn releases(&self) -> [(&'static str, &'static str, &'static str); 2] {
        [
            (
                KitchenRelease::OnPlace.as_str(),
                self.ctx.t("outlets.release_on_place"),
                self.ctx.t("outlets.release_on_place_hint"),
            ),
            (
                KitchenRelease::OnPaid.as_str(),
                self.ctx.t("outlets.release_on_paid"),
                self.ctx.t("outlets.release_on_paid_hint"),
            ),
        ]
    }

    fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/admin/outlets/{id}"),
            None => "/admin/outlets".into(),
        }
    }
}

pub async fn new_form(Admin { tx, ctx, .. }: Admin) -> Result<OutletFormPage, AdminError> {
    if !ctx.is_owner() {
        return Err(AdminError::forbidden());
    }
    tx.commit().await?;
    let errors = FormErrors::new(ctx.tr);
    Ok(OutletFormPage::new(ctx, None, OutletForm::blank(), errors))
}

pub async fn create(post: AdminForm<OutletForm>) -> Result<HttpResponse, AdminError> {
    save(post, None).await
}

pub async fn edit_form(Admin { tx, ctx, .. }: Admin, id: web::Path<String>) -> Result<OutletFormPage, AdminError> {
    let id = parse_id(&id)?;
    let outlet = outlets::get(&tx, id).await?;
    tx.commit().await?;
    let errors = FormErrors::new(ctx.tr);
    Ok(OutletFormPage::new(ctx, Some(id), OutletForm::of(&outlet), errors))
}

pub async fn update(post: AdminForm<OutletForm>, id: web::Path<String>) -> Result<HttpResponse, AdminError> {
    save(post, Some(parse_id(&id)?)).await
}

/// Create (`id` None) or update an outlet from the posted form.
async fn save(
    AdminForm { tx, actor, ctx, form }: AdminForm<OutletForm>,
    id: Option<Uuid>,
) -> Result<HttpResponse, AdminError> {
    let mut errors = FormErrors::new(ctx.tr);
    let Some(parsed) = form.parse(&mut errors) else {
        return invalid(&OutletFormPage::new(ctx, id, form, errors));
    };
    let saved = match id {
        None => {
            let req = CreateOutlet {
                name: parsed.name.unwrap_or_default(),
                address: parsed.address,
                timezone: parsed.timezone,
                tax_rate_bp: parsed.tax_rate_bp,
                service_charge_bp: parsed.service_charge_bp,
                is_open: parsed.is_open,
                cash_rounding_step: parsed.cash_rounding_step,
                kiosk_kitchen_release: parsed.kiosk_kitchen_release,
                tax_number: parsed.tax_number,
                discount_limit_bp: parsed.discount_limit_bp,
            };
            outlets::create(&tx, &actor, req).await
        }
        Some(id) => outlets::update(&tx, &actor, id, parsed).await,
    };
    match saved {
        Ok(_) => {
            tx.commit().await?;
            let notice = if id.is_some() { "outlet_saved" } else { "outlet_created" };
            Ok(htmx::see_other(&format!("/admin/outlets?notice={notice}")))
        }
        Err(e) => {
            // The form asks for percentages where the domain takes basis points.
            let mut errors = FormErrors::from_domain(ctx.tr, field_errors(e)?);
            errors.rename("tax_rate_bp", "tax_percent");
            errors.rename("service_charge_bp", "service_percent");
            invalid(&OutletFormPage::new(ctx, id, form, errors))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/outlets/row.html")]
pub(crate) struct OutletRow {
    ctx: Ctx,
    o: OutletView,
}

#[derive(Debug, Default, Deserialize)]
pub struct OpenForm {
    open: Option<String>,
}

/// The open/closed switch of a row: htmx swaps the row, plain forms return
/// to the list.
pub async fn set_open(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<OpenForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let change = UpdateOutlet { is_open: Some(form.open.as_deref() == Some("true")), ..UpdateOutlet::default() };
    let outlet = outlets::update(&tx, &actor, id, change).await?;
    tx.commit().await?;
    if htmx::wants_fragment(&req) {
        let row = OutletRow { ctx, o: outlet.into() };
        crate::render::render_with_status(&row, actix_web::http::StatusCode::OK)
    } else {
        Ok(htmx::see_other("/admin/outlets?notice=outlet_saved"))
    }
}

/// Archives the outlet (owners); its devices stop working.
pub async fn archive(
    AdminForm { tx, actor, .. }: AdminForm<crate::csrf::NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    outlets::archive(&tx, &actor, id).await?;
    tx.commit().await?;
    Ok(htmx::see_other("/admin/outlets?notice=outlet_archived"))
}
