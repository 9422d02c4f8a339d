//! The server-rendered web admin (askama + htmx), mounted at `/admin`.
//!
//! Pages are plain HTML forms that work without JavaScript; htmx boosts
//! links and forms (no full reloads, validation errors re-rendered in
//! place) and swaps single rows for toggles. Every page runs in the
//! signed-in user's scoped transaction, so the database decides what an
//! owner or a manager sees. Templates live in `templates/admin/`, assets
//! in `static/`.

mod audit;
mod availability;
mod brand;
mod charts;
mod csrf;
mod dashboard;
mod devices;
mod error;
mod fields;
mod floor;
mod htmx;
pub mod i18n;
mod item_form;
mod locale;
mod localtime;
mod login;
mod menu;
pub mod money;
mod order_detail;
mod order_money;
mod orders;
mod outlets;
mod paging;
mod password;
mod percent;
mod posted;
mod problem_text;
mod qr;
mod receipt;
mod refund_form;
mod render;
mod reports;
mod session;
mod shifts;
mod staff;
mod stock_forms;
mod stock_i18n;
mod stock_ingredients;
mod stock_levels;
mod stock_movements;
mod stock_recipes;
mod stock_reports;

pub use csrf::LOGIN_COOKIE;

use actix_web::{
    http::header,
    middleware::{DefaultHeaders, from_fn},
    web,
};

/// No inline script or style anywhere in the admin; QR codes are `data:` images.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The admin, as the server mounts it: its routes, and its upload routes
/// (forms with an image, whose handlers read the body themselves).
pub const MOUNT: pos_backend::startup::Mount =
    pos_backend::startup::Mount { routes: configure, uploads: &["/admin/menu/items", "/admin/menu/items/{id}"] };

/// Mounts the admin's routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(pos_backend::http::body::RefusalPage(error::refused_body));
    cfg.route("/", web::get().to(|| async { htmx::see_other("/admin") })).service(
        web::scope("/admin")
            .app_data(web::PayloadConfig::new(csrf::BODY_LIMIT))
            .app_data(
                web::FormConfig::default()
                    .limit(csrf::BODY_LIMIT)
                    .error_handler(|_, _| error::AdminError::bad_request().into()),
            )
            // Inside the default headers, so a page written again keeps them.
            .wrap(from_fn(error::in_request_language))
            .wrap(
                DefaultHeaders::new()
                    // Pages carry the CSRF token and, once, pairing codes.
                    .add((header::CACHE_CONTROL, "no-store"))
                    .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add((header::VARY, "HX-Request")),
            )
            .route("", web::get().to(dashboard::show))
            .route("/", web::get().to(dashboard::show))
            .route("/login", web::get().to(login::login_form))
            .route("/login", web::post().to(login::login))
            .route("/logout", web::post().to(login::logout))
            .route("/password/forgot", web::get().to(password::forgot_form))
            .route("/password/forgot", web::post().to(password::forgot))
            .route("/password/set", web::get().to(password::set_form))
            .route("/password/set", web::post().to(password::set))
            .route("/verify-email", web::get().to(password::verify_form))
            .route("/verify-email", web::post().to(password::verify))
            .route("/locale", web::post().to(locale::switch))
            .route("/brand", web::get().to(brand::show))
            .route("/brand", web::post().to(brand::update))
            .route("/outlets", web::get().to(outlets::list))
            .route("/outlets", web::post().to(outlets::create))
            .route("/outlets/new", web::get().to(outlets::new_form))
            .route("/outlets/{id}", web::get().to(outlets::edit_form))
            .route("/outlets/{id}", web::post().to(outlets::update))
            .route("/outlets/{id}/open", web::post().to(outlets::set_open))
            .route("/outlets/{id}/archive", web::post().to(outlets::archive))
            .route("/outlets/{id}/devices", web::get().to(devices::for_outlet))
            .route("/outlets/{id}/devices", web::post().to(devices::create))
            .route("/outlets/{id}/tables", web::get().to(floor::show))
            .route("/outlets/{id}/tables", web::post().to(floor::create_table))
            .route("/outlets/{id}/areas", web::post().to(floor::create_area))
            .route("/areas/{id}", web::post().to(floor::rename_area))
            .route("/areas/{id}/delete", web::post().to(floor::delete_area))
            .route("/tables/{id}", web::post().to(floor::update_table))
            .route("/tables/{id}/delete", web::post().to(floor::delete_table))
            .route("/devices", web::get().to(devices::overview))
            .route("/devices/{id}/revoke", web::post().to(devices::revoke))
            .route("/staff", web::get().to(staff::list))
            .route("/staff", web::post().to(staff::create))
            .route("/staff/new", web::get().to(staff::new_form))
            .route("/staff/{id}", web::get().to(staff::edit_form))
            .route("/staff/{id}", web::post().to(staff::update))
            .route("/staff/{id}/active", web::post().to(staff::set_active))
            .route("/staff/{id}/delete", web::post().to(staff::delete))
            .route("/audit", web::get().to(audit::list))
            .route("/shifts", web::get().to(shifts::list))
            .route("/reports", web::get().to(reports::show))
            .route("/reports/csv", web::get().to(reports::csv))
            .route("/stock-reports", web::get().to(stock_reports::show))
            .route("/stock-reports/csv", web::get().to(stock_reports::csv))
            .route("/dashboard/today/{id}", web::get().to(dashboard::today))
            .route("/shifts/{id}", web::get().to(shifts::show))
            .route("/shifts/{id}/print", web::get().to(shifts::print))
            .route("/menu", web::get().to(menu::show))
            .route("/menu/categories", web::post().to(menu::create_category))
            .route("/menu/categories/{id}", web::post().to(menu::update_category))
            .route("/menu/categories/{id}/items", web::get().to(menu::category_items))
            .route("/menu/categories/{id}/move", web::post().to(menu::move_category))
            .route("/menu/categories/{id}/delete", web::post().to(menu::delete_category))
            .route("/menu/items/new", web::get().to(menu::new_item))
            .route("/menu/items", web::post().to(menu::create_item))
            .route("/menu/items/{id}", web::get().to(menu::edit_item))
            .route("/menu/items/{id}", web::post().to(menu::update_item))
            .route("/menu/items/{id}/delete", web::post().to(menu::delete_item))
            .route("/stock", web::get().to(stock_levels::index))
            .route("/stock/ingredients", web::get().to(stock_ingredients::list))
            .route("/stock/ingredients", web::post().to(stock_ingredients::create))
            .route("/stock/ingredients/{id}", web::get().to(stock_ingredients::edit_form))
            .route("/stock/ingredients/{id}", web::post().to(stock_ingredients::update))
            .route("/stock/ingredients/{id}/delete", web::post().to(stock_ingredients::delete))
            .route("/stock/recipes", web::get().to(stock_recipes::list))
            .route("/menu/items/{id}/recipe", web::get().to(stock_recipes::edit))
            .route("/menu/items/{id}/recipe", web::post().to(stock_recipes::save))
            .route("/outlets/{id}/stock", web::get().to(stock_levels::show))
            .route("/outlets/{id}/stock/movements", web::get().to(stock_movements::list))
            .route("/outlets/{id}/stock/movements", web::post().to(stock_levels::record))
            .route("/outlets/{id}/stock/transfers/{transfer}/receive", web::post().to(stock_levels::receive_transfer))
            .route("/outlets/{id}/stock/{ingredient}/threshold", web::post().to(stock_levels::set_threshold))
            .route("/availability", web::get().to(availability::index))
            .route("/outlets/{id}/availability", web::get().to(availability::show))
            .route("/outlets/{id}/availability/{item}/toggle", web::post().to(availability::toggle))
            .route("/outlets/{id}/availability/{item}/price", web::post().to(availability::set_price))
            .route("/orders", web::get().to(orders::index))
            .route("/orders/{id}", web::get().to(order_detail::detail))
            .route("/orders/{id}/body", web::get().to(order_detail::detail_body))
            .route("/orders/{id}/receipt", web::get().to(receipt::show))
            .route("/orders/{id}/status", web::post().to(orders::set_status))
            .route("/payments/{id}/refunds", web::post().to(refund_form::create))
            .route("/outlets/{id}/orders", web::get().to(orders::list))
            .route("/outlets/{id}/orders/rows", web::get().to(orders::list_table))
            .route("/outlets/{id}/board", web::get().to(orders::board))
            .route("/outlets/{id}/board/columns", web::get().to(orders::board_columns))
            .default_service(web::to(error::no_such_page)),
    );
}
