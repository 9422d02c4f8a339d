//! Fault tests: real processes killed and restarted. Each test starts what
//! it kills (its own `pos-server` processes, and its own PostgreSQL cluster
//! or Redis when those are what fails), so the tests sharing the test
//! command's database and Redis are never disturbed. Set-up and read-back go
//! through an in-process app on the shared database where that is enough.

mod image;
mod logs;
mod postgres_restart;
mod redis_down;
mod sigkill_push;

use pos_tests::TestApp;
use uuid::Uuid;

/// The `client_order_id`s of the outlet's stored orders, newest first
/// (every page, or only the first `limit`).
pub async fn stored_orders(app: &TestApp, token: &str, outlet: Uuid, limit: Option<u32>) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page_size = limit.unwrap_or(200);
        let after = cursor.as_ref().map(|c| format!("&cursor={c}")).unwrap_or_default();
        let page =
            app.get(&format!("/api/v1/orders?outlet_id={outlet}&limit={page_size}{after}"), token).await.expect(200);
        out.extend(
            page.body["items"].as_array().unwrap().iter().map(|o| o["client_order_id"].as_str().unwrap().into()),
        );
        match page.body["next_cursor"].as_str() {
            Some(c) if limit.is_none() => cursor = Some(c.to_string()),
            _ => return out,
        }
    }
}
