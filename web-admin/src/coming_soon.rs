//! LEAD: nav slots for the catalogue ("Menu") and the live order board
//! ("Orders"). Replace these handlers (and `templates/admin/coming_soon.html`)
//! when those pages land; the nav already links to `/admin/menu` and
//! `/admin/orders`.

use askama::Template;
use askama_web::WebTemplate;

use crate::{
    error::{AdminError, OrPage},
    session::{Admin, Ctx},
};

#[derive(Template, WebTemplate)]
#[template(path = "admin/coming_soon.html")]
pub(crate) struct ComingSoon {
    ctx: Ctx,
    title: &'static str,
}

async fn coming(admin: Admin, section: &'static str) -> Result<ComingSoon, AdminError> {
    let tr = admin.ctx.tr;
    admin.tx.commit().await.or_page(tr)?;
    let ctx = admin.ctx.at(section);
    Ok(ComingSoon { title: ctx.t(if section == "menu" { "nav.menu" } else { "nav.orders" }), ctx })
}

pub async fn menu(admin: Admin) -> Result<ComingSoon, AdminError> {
    coming(admin, "menu").await
}

pub async fn orders(admin: Admin) -> Result<ComingSoon, AdminError> {
    coming(admin, "orders").await
}
