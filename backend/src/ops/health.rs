use actix_web::{HttpResponse, web};
use deadpool_redis::redis;
use serde_json::json;

use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz)).route("/readyz", web::get().to(readyz));
}

/// 200 while the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 when PostgreSQL (and Redis, when configured) answer; 503 otherwise.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let timeout = std::time::Duration::from_secs(2);
    let db_ok = matches!(tokio::time::timeout(timeout, state.db.ping()).await, Ok(Ok(())));
    let redis_ok = match &state.redis {
        None => None,
        Some(pool) => Some(
            tokio::time::timeout(timeout, async {
                let mut conn = pool.get().await.ok()?;
                redis::cmd("PING").query_async::<String>(&mut *conn).await.ok()
            })
            .await
            .ok()
            .flatten()
            .is_some(),
        ),
    };
    let ready = db_ok && redis_ok.unwrap_or(true);
    let body = json!({
        "status": if ready { "ready" } else { "unavailable" },
        "postgres": if db_ok { "ok" } else { "down" },
        "redis": match redis_ok { None => "not configured", Some(true) => "ok", Some(false) => "down" },
    });
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().insert_header(("Retry-After", "5")).json(body)
    }
}
