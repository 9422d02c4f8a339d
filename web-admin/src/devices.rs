//! Kiosks and kitchen displays per outlet: create one (its pairing code,
//! large and as a QR code, is shown once), list them with their status,
//! revoke them.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Utc};
use pos_backend::{db::ScopedTx, state::AppState, tenancy::devices};
use pos_wire::{CreateDevice, Device, DeviceKind, Outlet};
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    csrf::{AdminForm, NoFields},
    error::{AdminError, field_errors, parse_id},
    fields::FormErrors,
    htmx,
    i18n::format_utc,
    outlets::all_outlets,
    qr,
    render::{invalid, render_with_status},
    session::{Admin, Ctx, NoticeQuery},
};

/// A device as the list shows it.
pub struct DeviceView {
    pub id: Uuid,
    pub name: String,
    pub kind: &'static str,
    /// `pending`, `paired`, `expired` or `revoked`.
    pub status: String,
    pub last_seen: Option<DateTime<Utc>>,
}

impl DeviceView {
    pub fn revocable(&self) -> bool {
        self.status != "revoked"
    }

    pub fn status_key(&self) -> &'static str {
        match self.status.as_str() {
            "pending" => "device.status_pending",
            "paired" => "device.status_paired",
            "expired" => "device.status_expired",
            _ => "device.status_revoked",
        }
    }

    pub fn last_seen_text(&self) -> Option<String> {
        self.last_seen.as_ref().map(format_utc)
    }
}

impl From<Device> for DeviceView {
    fn from(d: Device) -> DeviceView {
        DeviceView { id: d.id, name: d.name, kind: kind_key(d.kind), status: d.status, last_seen: d.last_seen_at }
    }
}

fn kind_key(kind: DeviceKind) -> &'static str {
    match kind {
        DeviceKind::Kiosk => "device.kiosk",
        DeviceKind::Kds => "device.kds",
        DeviceKind::Board => "device.board",
        DeviceKind::Till => "device.till",
    }
}

/// The new-device form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeviceForm {
    pub kind: String,
    pub name: String,
}

/// One outlet's devices and its new-device form.
pub struct DeviceGroup {
    pub outlet_id: Uuid,
    pub outlet_name: String,
    pub devices: Vec<DeviceView>,
    pub form: DeviceForm,
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/devices/list.html")]
pub(crate) struct DevicesPage {
    ctx: Ctx,
    groups: Vec<DeviceGroup>,
    /// Set when the page shows one outlet.
    single: bool,
}

async fn group(
    tx: &ScopedTx,
    ctx: &Ctx,
    admin: &pos_backend::auth::Actor,
    outlet: Outlet,
) -> pos_backend::Result<DeviceGroup> {
    let list = devices::list_for_outlet(tx, admin, outlet.id).await?;
    Ok(DeviceGroup {
        outlet_id: outlet.id,
        outlet_name: outlet.name,
        devices: list.into_iter().map(DeviceView::from).collect(),
        form: DeviceForm { kind: "kiosk".into(), name: String::new() },
        errors: FormErrors::new(ctx.tr),
    })
}

/// Every outlet in scope with its devices.
pub async fn overview(Admin { tx, actor, ctx }: Admin, q: web::Query<NoticeQuery>) -> Result<DevicesPage, AdminError> {
    let mut groups = Vec::new();
    for outlet in all_outlets(&tx).await? {
        groups.push(group(&tx, &ctx, &actor, outlet).await?);
    }
    tx.commit().await?;
    Ok(DevicesPage { ctx: ctx.at("devices").with_notice(&q), groups, single: false })
}

/// One outlet's devices.
pub async fn for_outlet(
    Admin { tx, actor, ctx }: Admin,
    id: web::Path<String>,
    q: web::Query<NoticeQuery>,
) -> Result<DevicesPage, AdminError> {
    let id = parse_id(&id)?;
    let outlet = pos_backend::tenancy::outlets::get(&tx, id).await?;
    let group = group(&tx, &ctx, &actor, outlet).await?;
    tx.commit().await?;
    Ok(DevicesPage { ctx: ctx.at("devices").with_notice(&q), groups: vec![group], single: true })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/devices/pairing.html")]
pub(crate) struct PairingPage {
    ctx: Ctx,
    outlet_id: Uuid,
    outlet_name: String,
    device_name: String,
    kind: &'static str,
    code: String,
    expires_at: DateTime<Utc>,
    minutes_left: i64,
    qr: Option<String>,
    pair_url: String,
}

impl PairingPage {
    /// "ABCD-EFGH": easier to read aloud; the devices ignore the dash.
    fn code_display(&self) -> String {
        let (a, b) = self.code.split_at(self.code.len() / 2);
        format!("{a}-{b}")
    }

    fn expires_text(&self) -> String {
        format_utc(&self.expires_at)
    }
}

/// Creates a device and shows its pairing code once (it is stored hashed).
pub async fn create(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, form }: AdminForm<DeviceForm>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let outlet_id = parse_id(&id)?;
    let state = crate::session::state_of(&req)?;
    let outlet = pos_backend::tenancy::outlets::get(&tx, outlet_id).await?;
    let mut errors = FormErrors::new(ctx.tr);
    let kind = DeviceKind::parse(&form.kind);
    if kind.is_none() {
        errors.add_key("kind", "field.choose_one");
    }
    let created = match kind {
        Some(kind) => {
            let result = devices::create(
                &tx,
                &actor,
                state.settings.token_secret.expose(),
                state.settings.pairing_code_ttl.as_secs(),
                outlet_id,
                CreateDevice { kind, name: form.name.clone() },
            )
            .await;
            match result {
                Ok(code) => Some((kind, code)),
                Err(e) => {
                    errors.merge(field_errors(e)?);
                    None
                }
            }
        }
        None => None,
    };
    let Some((kind, code)) = created else {
        return invalid_form(tx, actor, ctx, outlet, form, errors).await;
    };
    tx.commit().await?;
    let pair_url = pair_url(&req, &state, kind, &code.pairing_code);
    let page = PairingPage {
        ctx: ctx.at("devices"),
        outlet_id,
        outlet_name: outlet.name,
        device_name: form.name.trim().to_string(),
        kind: kind_key(kind),
        // Rounded up: a fresh 15-minute code says 15, not 14.
        minutes_left: ((code.expires_at - Utc::now()).num_seconds().max(0) + 59) / 60,
        expires_at: code.expires_at,
        qr: qr::svg_data_uri(&pair_url),
        code: code.pairing_code,
        pair_url,
    };
    // Never cached, never in htmx's history: the code is a secret until used.
    let mut res = render_with_status(&page, StatusCode::OK)?;
    res.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("hx-push-url"),
        actix_web::http::header::HeaderValue::from_static("false"),
    );
    Ok(res)
}

async fn invalid_form(
    tx: ScopedTx,
    actor: pos_backend::auth::Actor,
    ctx: Ctx,
    outlet: Outlet,
    form: DeviceForm,
    errors: FormErrors,
) -> Result<HttpResponse, AdminError> {
    // Validation failed before any write, so the transaction is usable.
    let mut g = group(&tx, &ctx, &actor, outlet).await?;
    drop(tx);
    g.form = form;
    g.errors = errors;
    invalid(&DevicesPage { ctx: ctx.at("devices"), groups: vec![g], single: true })
}

/// What the QR code opens on a tablet: the device app, with the code.
fn pair_url(req: &HttpRequest, state: &AppState, kind: DeviceKind, code: &str) -> String {
    let info = req.connection_info();
    let scheme = if state.settings.mode == pos_backend::config::RunMode::Production { "https" } else { info.scheme() };
    let app = match kind {
        DeviceKind::Kiosk => "kiosk",
        DeviceKind::Kds => "kds",
        DeviceKind::Board => "kds/board",
        DeviceKind::Till => "pos",
    };
    format!("{scheme}://{}/{app}/?pair={code}", info.host())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/devices/row.html")]
pub(crate) struct DeviceRow {
    ctx: Ctx,
    d: DeviceView,
}

/// Revokes a device: htmx swaps its row; plain forms go back to the outlet.
pub async fn revoke(
    req: HttpRequest,
    AdminForm { tx, actor, ctx, .. }: AdminForm<NoFields>,
    id: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    devices::revoke(&tx, &actor, id).await?;
    let device = devices::get(&tx, id).await?;
    tx.commit().await?;
    if htmx::wants_fragment(&req) {
        render_with_status(&DeviceRow { ctx, d: device.into() }, StatusCode::OK)
    } else {
        Ok(htmx::see_other(&format!("/admin/outlets/{}/devices?notice=device_revoked", device.outlet_id)))
    }
}
