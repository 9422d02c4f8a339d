//! The live OpenAPI document (`/api/v1/openapi.json`) and a docs UI
//! (`/api/docs`, Swagger UI served from `static/vendor`).

use actix_web::{HttpResponse, http::StatusCode, web};
use utoipa::{
    Modify, OpenApi,
    openapi::{
        Content, Ref, RefOr, ResponseBuilder,
        header::HeaderBuilder,
        path::{Operation, ParameterIn, PathItem},
        schema::{ObjectBuilder, Type},
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

use crate::{auth, catalog, events::http::EventKindsDoc, tenancy};

#[derive(OpenApi)]
#[openapi(
    info(title = "POS platform API", version = "1", description = "See API.md for the contract."),
    paths(
        auth::http::signup, auth::http::login, auth::http::refresh, auth::http::logout,
        auth::http::request_password_reset, auth::http::set_password,
        auth::http::verify_email, auth::http::resend_verification,
        tenancy::outlets::http::list_outlets, tenancy::outlets::http::create_outlet,
        tenancy::outlets::http::get_outlet, tenancy::outlets::http::update_outlet,
        tenancy::outlets::http::archive_outlet,
        tenancy::users::http::list_users, tenancy::users::http::create_user, tenancy::users::http::get_user,
        tenancy::users::http::update_user, tenancy::users::http::delete_user,
        tenancy::devices::http::create_device, tenancy::devices::http::list_devices,
        tenancy::devices::http::revoke_device, tenancy::devices::http::pair_device,
        tenancy::devices::http::device_me,
        tenancy::audit::http::list_audit_log,
        tenancy::brand::http::get_brand, tenancy::brand::http::update_brand,
        catalog::http::list_categories, catalog::http::create_category, catalog::http::get_category,
        catalog::http::update_category, catalog::http::delete_category,
        catalog::http::list_items, catalog::http::create_item, catalog::http::get_item,
        catalog::http::update_item, catalog::http::delete_item,
        catalog::http::outlet_menu, catalog::http::update_outlet_item, catalog::http::sync_pull,
        catalog::http::upload_image,
        crate::orders::http::create_order, crate::orders::http::list_orders, crate::orders::http::get_order,
        crate::orders::http::change_order_status, crate::orders::http::void_order,
        crate::receipts::http::order_receipt, crate::receipts::http::email_receipt, crate::payments::refunds::http::create_refund,
        crate::kitchen::http::list_tickets, crate::kitchen::http::bump_ticket, crate::kitchen::http::recall_ticket,
        crate::pickup::http::pickup_board,
        crate::sync::sync_push, crate::events::http::outlet_events,
        crate::payments::http::create_payment, crate::payments::http::cancel,
        crate::payments::http::midtrans_notification,
        crate::shifts::http::open, crate::shifts::http::list, crate::shifts::http::get_shift,
        crate::shifts::http::cash_movement, crate::shifts::http::close, crate::shifts::http::report,
        crate::shifts::http::report_html,
        crate::orders::discounts::http::create_discount, crate::orders::discounts::http::delete_discount,
        crate::orders::checks::http::create_round, crate::orders::checks::http::move_check,
        crate::orders::checks::http::set_guests,
        crate::orders::checks::http::merge_checks, crate::orders::checks::http::split,
        crate::orders::checks::http::split_evenly, crate::orders::checks::http::rounds,
        crate::tables::http::list_areas, crate::tables::http::create_area, crate::tables::http::update_area,
        crate::tables::http::archive_area, crate::tables::http::list_tables, crate::tables::http::create_table,
        crate::tables::http::get_table, crate::tables::http::update_table, crate::tables::http::archive_table,
        crate::till::http::till_staff, crate::till::http::till_sign_in, crate::till::http::till_sign_out, crate::till::http::approval_key,
        crate::reports::http::sales, crate::reports::http::summary, crate::reports::http::kitchen,
        crate::reports::http::adjustments_report,
        crate::reports::stock::http::stock_on_hand, crate::reports::stock::http::stock_movements,
        crate::reports::stock::http::stock_usage, crate::reports::stock::http::food_cost_report,
        crate::stock::http::list_ingredients, crate::stock::http::create_ingredient, crate::stock::http::get_ingredient,
        crate::stock::http::update_ingredient, crate::stock::http::delete_ingredient, crate::stock::http::get_recipe,
        crate::stock::http::put_recipe, crate::stock::http::put_option_recipe, crate::stock::http::outlet_stock,
        crate::stock::http::create_movement, crate::stock::http::put_threshold,
        crate::stock::listing::http::list_movements,
    ),
    components(schemas(pos_wire::Problem, pos_wire::LiveEvent)),
    modifiers(&BearerAuth, &EventKindsDoc, &Refusals),
)]
pub struct ApiDoc;

/// The media type of every error answer (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Declares on every operation the refusals any request to it can meet, so
/// that a client generated from the document knows every answer: 401 and
/// 403 where a token is required (a pickup board's token is refused
/// everywhere but its own few paths), 404 where the path names an object
/// (also another brand's or outlet's), 400, 408, 413, 415 and 422 where a
/// body is read, 422 where a query is parsed, and 503 while PostgreSQL is
/// away. Every error answer is a problem document (`application/problem+json`).
struct Refusals;

impl Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in operations_mut(item) {
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let params = op.parameters.as_deref().unwrap_or_default();
                let in_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
                let in_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
                let body = op.request_body.as_ref().map(|b| b.content.keys().any(|t| t.ends_with("json")));
                let mut add = |status: StatusCode, why: &str| {
                    op.responses
                        .responses
                        .entry(status.as_str().to_string())
                        .or_insert_with(|| ResponseBuilder::new().description(why).build().into());
                };
                if secured {
                    add(StatusCode::UNAUTHORIZED, "No valid token (or it was revoked, or its session ended).");
                    add(StatusCode::FORBIDDEN, "The token's role or device kind may not do this.");
                }
                if in_path {
                    add(StatusCode::NOT_FOUND, "No such object (also for another brand's or outlet's).");
                }
                if let Some(json) = body {
                    if json {
                        add(StatusCode::BAD_REQUEST, "The body is not valid JSON.");
                        add(StatusCode::UNSUPPORTED_MEDIA_TYPE, "The body is not sent as application/json.");
                    } else {
                        add(StatusCode::BAD_REQUEST, "The body could not be read.");
                    }
                    add(StatusCode::REQUEST_TIMEOUT, "The body did not arrive in time.");
                    add(StatusCode::PAYLOAD_TOO_LARGE, "The body is larger than the limit.");
                    add(StatusCode::UNPROCESSABLE_ENTITY, "Some fields are not valid (see `errors`).");
                }
                if in_query {
                    add(StatusCode::UNPROCESSABLE_ENTITY, "Some parameters are not valid (see `errors`).");
                }
                add(StatusCode::SERVICE_UNAVAILABLE, "PostgreSQL is unavailable; try again after Retry-After.");
                for (status, response) in op.responses.responses.iter_mut() {
                    if let RefOr::T(response) = response {
                        describe_refusal(status, response);
                    }
                }
            }
        }
    }
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
}

/// An error answer's body is a problem document, with `Retry-After` on 429
/// and 503 and `WWW-Authenticate` on 401.
fn describe_refusal(status: &str, response: &mut utoipa::openapi::Response) {
    let Ok(code) = status.parse::<StatusCode>() else { return };
    if !(code.is_client_error() || code.is_server_error()) {
        return;
    }
    if response.description.is_empty() {
        response.description = code.canonical_reason().unwrap_or("Error").to_string();
    }
    response.content.clear();
    response.content.insert(PROBLEM_JSON.to_string(), Content::new(Some(Ref::from_schema_name("Problem"))));
    let header = |name: &str, why: &str, kind: Type| {
        (
            name.to_string(),
            HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(kind)).description(Some(why)).build(),
        )
    };
    let (name, h) = match code {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            header("Retry-After", "Seconds to wait before trying again.", Type::Integer)
        }
        StatusCode::UNAUTHORIZED => header("WWW-Authenticate", "`Bearer`.", Type::String),
        _ => return,
    };
    response.headers.entry(name).or_insert(h);
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/v1/openapi.json", web::get().to(document))
        .route("/api/docs", web::get().to(docs_ui))
        .route("/api/docs/", web::get().to(docs_ui));
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

pub async fn docs_ui() -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(DOCS_HTML)
}

const DOCS_HTML: &str = r##"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>POS API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({url: "/api/v1/openapi.json", dom_id: "#docs"});</script>
</body></html>"##;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn operations() -> Vec<(String, Operation)> {
        let mut doc = ApiDoc::openapi();
        let mut out = Vec::new();
        for (path, item) in doc.paths.paths.iter_mut() {
            out.extend(operations_mut(item).map(|op| (path.clone(), op.clone())));
        }
        out
    }

    #[test]
    fn every_path_parameter_is_declared() {
        for (path, op) in operations() {
            let wanted: BTreeSet<&str> = path.split('{').skip(1).filter_map(|rest| rest.split('}').next()).collect();
            let declared: BTreeSet<&str> = op
                .parameters
                .iter()
                .flatten()
                .filter(|p| p.parameter_in == ParameterIn::Path)
                .map(|p| p.name.as_str())
                .collect();
            assert_eq!(wanted, declared, "{path} {:?}", op.operation_id);
        }
    }

    #[test]
    fn every_error_answer_is_a_problem_document() {
        for (path, op) in operations() {
            for (status, response) in &op.responses.responses {
                let RefOr::T(response) = response else { continue };
                if status.starts_with('4') || status.starts_with('5') {
                    let types: Vec<&String> = response.content.keys().collect();
                    assert_eq!(types, [PROBLEM_JSON], "{path} {status}");
                }
            }
            assert!(op.responses.responses.contains_key("503"), "{path}: every operation may meet an outage");
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                assert!(op.responses.responses.contains_key("401"), "{path}");
            }
        }
    }
}
