//! Who hears about an outlet: its brand's owners and the managers who work
//! there (active accounts only), each in their own language.

use pos_wire::Locale;
use sea_orm::FromQueryResult;
use uuid::Uuid;

use crate::{auth::Email, db::ScopedTx, error::Result};

pub struct Recipient {
    pub email: Email,
    pub name: String,
    pub locale: Locale,
}

#[derive(FromQueryResult)]
struct Row {
    email: String,
    name: String,
    locale: String,
}

/// The owners and the outlet's managers, oldest account first.
pub async fn of_outlet(tx: &ScopedTx, outlet_id: Uuid) -> Result<Vec<Recipient>> {
    let rows: Vec<Row> = tx
        .query_all(
            "SELECT u.email, u.name, u.locale FROM users u \
              WHERE u.active AND (u.role = 'owner' OR (u.role = 'manager' AND EXISTS \
                    (SELECT 1 FROM user_outlets uo WHERE uo.user_id = u.id AND uo.outlet_id = $1))) \
              ORDER BY u.created_at",
            [outlet_id.into()],
        )
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let email = Email::parse(&r.email).ok()?;
            Some(Recipient { email, name: r.name, locale: Locale::parse(&r.locale).unwrap_or(Locale::Id) })
        })
        .collect())
}
