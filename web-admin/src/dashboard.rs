//! The first page after signing in: counts and quick links.

use askama::Template;
use askama_web::WebTemplate;
use pos_backend::tenancy::devices;

use crate::{
    error::AdminError,
    outlets::all_outlets,
    session::{Admin, Ctx},
    staff::all_users,
};

#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard.html")]
pub(crate) struct Dashboard {
    ctx: Ctx,
    outlets: usize,
    open_outlets: usize,
    staff: usize,
    active_staff: usize,
    devices: usize,
    paired_devices: usize,
    /// (id, name) of each outlet, for its live board link.
    boards: Vec<(uuid::Uuid, String)>,
}

pub async fn show(Admin { tx, actor, ctx }: Admin) -> Result<Dashboard, AdminError> {
    let outlets = all_outlets(&tx).await?;
    let users = all_users(&tx, &actor).await?;
    let (mut devices_total, mut paired) = (0, 0);
    for o in &outlets {
        let list = devices::list_for_outlet(&tx, &actor, o.id).await?;
        devices_total += list.iter().filter(|d| d.status != "revoked").count();
        paired += list.iter().filter(|d| d.status == "paired").count();
    }
    tx.commit().await?;
    Ok(Dashboard {
        ctx: ctx.at("dashboard"),
        outlets: outlets.len(),
        open_outlets: outlets.iter().filter(|o| o.is_open).count(),
        staff: users.len(),
        active_staff: users.iter().filter(|u| u.active).count(),
        devices: devices_total,
        paired_devices: paired,
        boards: outlets.into_iter().map(|o| (o.id, o.name)).collect(),
    })
}
