//! `GET /api/v1/orders/{id}/receipt?lang=id|en&width=80|58`.

use actix_web::{HttpResponse, http::header, web};
use pos_wire::Locale;
use serde::Deserialize;
use uuid::Uuid;

use super::{ReceiptOptions, Width, render};
use crate::{
    auth::principal::Scoped,
    error::{Code, Error, FieldErrors, Result},
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders/{id}/receipt").route(web::get().to(order_receipt)))
        .service(web::resource("/orders/{id}/receipt/email").route(web::post().to(email_receipt)));
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReceiptQuery {
    /// `id` (default) or `en`.
    #[param(pattern = "^(id|en)$")]
    pub lang: Option<String>,
    /// Paper width in mm: `80` (default) or `58`.
    #[param(pattern = "^(80|58)$")]
    pub width: Option<String>,
}

impl ReceiptQuery {
    pub fn options(&self) -> Result<ReceiptOptions> {
        let mut errors = FieldErrors::new();
        let locale = match self.lang.as_deref() {
            None => Some(Locale::Id),
            Some(l) => Locale::parse(l).or_else(|| {
                errors.add("lang", Code::LanguageInvalid);
                None
            }),
        };
        let width = match self.width.as_deref() {
            None => Some(Width::Mm80),
            Some(w) => Width::parse(w).or_else(|| {
                errors.add("width", Code::ReceiptWidthInvalid);
                None
            }),
        };
        errors.finish()?;
        match (locale, width) {
            (Some(locale), Some(width)) => Ok(ReceiptOptions { locale, width }),
            _ => Err(Error::internal("receipt options")),
        }
    }
}

/// The order's printable receipt (HTML, print CSS for 80 and 58 mm rolls);
/// before it is fully paid, a bill marked as not paid.
#[utoipa::path(get, path = "/api/v1/orders/{id}/receipt", tag = "orders",
    params(("id" = Uuid, Path, description = "The order"), ReceiptQuery),
    responses((status = 200, content_type = "text/html", body = String, description = "The receipt page")),
    security(("bearer" = [])))]
pub async fn order_receipt(s: Scoped, id: web::Path<Uuid>, q: web::Query<ReceiptQuery>) -> Result<HttpResponse> {
    let opts = q.options()?;
    let html = render(&s.tx, &s.actor, *id, opts).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(html))
}

/// Mails the receipt of a fully paid order to the address a customer gave
/// (at most three times per order; a bounded number per device an hour).
#[utoipa::path(post, path = "/api/v1/orders/{id}/receipt/email", tag = "orders",
    params(("id" = Uuid, Path, description = "The order")), request_body = pos_wire::SendReceipt,
    responses((status = 202, description = "the receipt is on its way"), (status = 403), (status = 404),
              (status = 409, body = pos_wire::Problem, description = "the order is not fully paid"),
              (status = 422, body = pos_wire::Problem), (status = 429, body = pos_wire::Problem)),
    security(("bearer" = [])))]
pub async fn email_receipt(
    state: web::Data<crate::state::AppState>,
    s: Scoped,
    id: web::Path<Uuid>,
    body: crate::http::json::Json<pos_wire::SendReceipt>,
) -> Result<HttpResponse> {
    super::email::send_receipt(&state, &s.tx, &s.actor, *id, &body.0).await?;
    s.tx.commit().await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({})))
}
