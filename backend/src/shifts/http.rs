//! Shifts over HTTP: thin handlers over the domain functions.

use actix_web::{HttpResponse, http::header, web};
use pos_wire::{CashMovement, CloseShift, CreateCashMovement, Locale, OpenShift, Page, Shift, ShiftQuery, ShiftReport};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    close::close_shift,
    list::list_shifts,
    movements::{Recorded, record_cash_movement},
    open::{Opened, open_shift},
    report::{render_html, shift_report},
};
use crate::{
    auth::principal::Scoped,
    error::{Code, Error, Result},
    http::json::Json,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/shifts").route(web::get().to(list)).route(web::post().to(open)))
        .service(web::resource("/shifts/{id}").route(web::get().to(get_shift)))
        .service(web::resource("/shifts/{id}/cash-movements").route(web::post().to(cash_movement)))
        .service(web::resource("/shifts/{id}/close").route(web::post().to(close)))
        .service(web::resource("/shifts/{id}/report").route(web::get().to(report)))
        .service(web::resource("/shifts/{id}/report.html").route(web::get().to(report_html)));
}

/// Opens a shift on a till with a float: 201; 200 with the same shift for a
/// replay of its `client_shift_id`; 409 when the till has an open shift
/// (`shift_already_open`, with its `shift_id`); 422 when the device is not
/// a till of the caller's outlets.
#[utoipa::path(post, path = "/api/v1/shifts", tag = "shifts", request_body = OpenShift,
    responses((status = 201, body = Shift), (status = 200, body = Shift, description = "replay"),
              (status = 409, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn open(s: Scoped, body: Json<OpenShift>) -> Result<HttpResponse> {
    let opened = open_shift(&s.tx, &s.actor, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(match opened {
        Opened::Created(shift) => HttpResponse::Created().json(shift),
        Opened::Duplicate(shift) => HttpResponse::Ok().json(shift),
    })
}

/// Shifts of the caller's outlets, newest first.
#[utoipa::path(get, path = "/api/v1/shifts", tag = "shifts", params(ShiftQuery),
    responses((status = 200, body = Page<Shift>)), security(("bearer" = [])))]
pub async fn list(s: Scoped, q: web::Query<ShiftQuery>) -> Result<web::Json<Page<Shift>>> {
    let page = list_shifts(&s.tx, &s.actor, &q).await?;
    s.tx.commit().await?;
    Ok(web::Json(page))
}

/// One shift; an open shift's `expected_minor` is the drawer as it stands.
#[utoipa::path(get, path = "/api/v1/shifts/{id}", tag = "shifts",
    params(("id" = Uuid, Path, description = "The shift")),
    responses((status = 200, body = Shift)), security(("bearer" = [])))]
pub async fn get_shift(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<Shift>> {
    let shift = super::get(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(shift))
}

/// Cash in or out of the drawer with a reason: 201; 200 for a replay of its
/// `client_movement_id`; 409 once the shift is closed; 422 for more cash out
/// than the drawer should hold.
#[utoipa::path(post, path = "/api/v1/shifts/{id}/cash-movements", tag = "shifts", request_body = CreateCashMovement,
    params(("id" = Uuid, Path, description = "The shift")),
    responses((status = 201, body = CashMovement), (status = 200, body = CashMovement, description = "replay"),
              (status = 409, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn cash_movement(s: Scoped, id: web::Path<Uuid>, body: Json<CreateCashMovement>) -> Result<HttpResponse> {
    let recorded = record_cash_movement(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(match recorded {
        Recorded::Created(m) => HttpResponse::Created().json(m),
        Recorded::Duplicate(m) => HttpResponse::Ok().json(m),
    })
}

/// Closes the shift with the drawer's count (a total or by denomination):
/// expected, counted and variance. The same close again answers the same;
/// another count on a closed shift is 409.
#[utoipa::path(post, path = "/api/v1/shifts/{id}/close", tag = "shifts", request_body = CloseShift,
    params(("id" = Uuid, Path, description = "The shift")),
    responses((status = 200, body = Shift), (status = 409, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn close(s: Scoped, id: web::Path<Uuid>, body: Json<CloseShift>) -> Result<web::Json<Shift>> {
    let shift = close_shift(&s.tx, &s.actor, *id, body.into_inner()).await?;
    s.tx.commit().await?;
    Ok(web::Json(shift))
}

/// The X report of an open shift, or the stored Z report of a closed one.
#[utoipa::path(get, path = "/api/v1/shifts/{id}/report", tag = "shifts",
    params(("id" = Uuid, Path, description = "The shift")),
    responses((status = 200, body = ShiftReport)), security(("bearer" = [])))]
pub async fn report(s: Scoped, id: web::Path<Uuid>) -> Result<web::Json<ShiftReport>> {
    let report = shift_report(&s.tx, &s.actor, *id).await?;
    s.tx.commit().await?;
    Ok(web::Json(report))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `id` (default) or `en`.
    #[param(pattern = "^(id|en)$")]
    pub lang: Option<String>,
}

impl ReportQuery {
    pub fn locale(&self) -> Result<Locale> {
        match self.lang.as_deref() {
            None => Ok(Locale::Id),
            Some(l) => Locale::parse(l).ok_or_else(|| Error::field("lang", Code::LanguageInvalid)),
        }
    }
}

/// The report as a printable page for an 80 mm roll.
#[utoipa::path(get, path = "/api/v1/shifts/{id}/report.html", tag = "shifts",
    params(("id" = Uuid, Path, description = "The shift"), ReportQuery),
    responses((status = 200, content_type = "text/html", body = String, description = "The report page")),
    security(("bearer" = [])))]
pub async fn report_html(s: Scoped, id: web::Path<Uuid>, q: web::Query<ReportQuery>) -> Result<HttpResponse> {
    let locale = q.locale()?;
    let html = render_html(&s.tx, &s.actor, *id, locale).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(html))
}
