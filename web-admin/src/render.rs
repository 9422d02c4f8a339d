//! Rendering a page with a status other than 200 (validation errors,
//! refused logins), which `WebTemplate` responses cannot carry.

use actix_web::{HttpResponse, http::StatusCode};
use askama::Template;

use crate::error::AdminError;

pub fn render_with_status<T: Template>(page: &T, status: StatusCode) -> Result<HttpResponse, AdminError> {
    let html = page.render().map_err(|e| AdminError::internal(format!("rendering a page: {e}")))?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html))
}

/// A re-rendered form with field errors: 422, which htmx is told to swap.
pub fn invalid<T: Template>(page: &T) -> Result<HttpResponse, AdminError> {
    render_with_status(page, StatusCode::UNPROCESSABLE_ENTITY)
}
