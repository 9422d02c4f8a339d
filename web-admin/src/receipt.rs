//! An order's printable receipt inside the admin (the session cookie, not a
//! bearer token): the receipts domain renders it; this page only gives it a
//! Content-Security-Policy of its own, since the receipt is one
//! self-contained document with its print CSS inline and a print button.

use actix_web::{HttpResponse, http::header, web};
use pos_backend::receipts::{self, http::ReceiptQuery};

use crate::{
    error::{AdminError, parse_id},
    session::Admin,
};

/// Inline styles only, and the one inline handler of the print button
/// (`window.print()`, by its hash); nothing is loaded from anywhere.
pub(crate) const RECEIPT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     script-src 'unsafe-hashes' 'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='; img-src data:; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// `GET /admin/orders/{id}/receipt?lang=id|en&width=80|58`.
pub async fn show(
    Admin { tx, actor, .. }: Admin,
    id: web::Path<String>,
    q: web::Query<ReceiptQuery>,
) -> Result<HttpResponse, AdminError> {
    let id = parse_id(&id)?;
    let opts = q.options()?;
    let html = receipts::render(&tx, &actor, id, opts).await?;
    tx.commit().await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, RECEIPT_CSP))
        .body(html))
}
