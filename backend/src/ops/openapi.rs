//! The live OpenAPI document (`/api/v1/openapi.json`) and a docs UI
//! (`/api/docs`, Swagger UI served from `static/vendor`).

use actix_web::{HttpResponse, web};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::{auth, catalog, events::http::EventKindsDoc, tenancy};

#[derive(OpenApi)]
#[openapi(
    info(title = "POS platform API", version = "1", description = "See API.md for the contract."),
    paths(
        auth::http::signup, auth::http::login, auth::http::refresh, auth::http::logout,
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
        crate::orders::http::change_order_status,
        crate::kitchen::http::list_tickets, crate::kitchen::http::bump_ticket, crate::kitchen::http::recall_ticket,
        crate::pickup::http::pickup_board,
        crate::sync::sync_push, crate::events::http::outlet_events,
    ),
    components(schemas(pos_wire::Problem)),
    modifiers(&BearerAuth, &EventKindsDoc),
)]
pub struct ApiDoc;

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
