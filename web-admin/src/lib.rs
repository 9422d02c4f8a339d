//! The server-rendered web admin (askama + htmx), mounted at `/admin`.
//! This crate holds the admin's handlers; templates live in `templates/`.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

/// Mounts the admin's routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(home))
        .route("/", web::get().to(home));
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/home.html")]
struct Home {
    version: &'static str,
}

async fn home() -> Home {
    Home {
        version: env!("CARGO_PKG_VERSION"),
    }
}
