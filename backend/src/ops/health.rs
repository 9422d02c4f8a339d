//! Liveness (`/healthz`), readiness (`/readyz`) and the `pos-server
//! healthcheck` probe that container health checks run.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    time::Duration,
};

use actix_web::{HttpResponse, web};
use deadpool_redis::redis;
use serde_json::json;

use crate::state::AppState;

/// The longest a dependency may take to answer a readiness check.
const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz)).route("/readyz", web::get().to(readyz));
}

/// 200 while the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// 200 when PostgreSQL answers, 503 (with `Retry-After`) when it does not.
/// Redis being away makes the server `degraded`, not unready: live events
/// then reach other processes through the event-log sweep and sign-in limits
/// count in process memory, so taking every instance out of a load balancer
/// because of Redis would turn a degraded service into an outage. Answers
/// within about a second even while a dependency hangs, and at once while
/// PostgreSQL is known to be down.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let (db_ok, redis_ok) = tokio::join!(state.db.ping(CHECK_TIMEOUT), redis_answers(&state));
    let status = match (db_ok, redis_ok) {
        (false, _) => "unavailable",
        (true, Some(false)) => "degraded",
        (true, _) => "ready",
    };
    let body = json!({
        "status": status,
        "postgres": if db_ok { "ok" } else { "down" },
        "redis": match redis_ok { None => "not configured", Some(true) => "ok", Some(false) => "down" },
    });
    if db_ok {
        HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(body)
    } else {
        HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", "5"))
            .insert_header(("Cache-Control", "no-store"))
            .json(body)
    }
}

/// `None` when Redis is not configured.
async fn redis_answers(state: &AppState) -> Option<bool> {
    let pool = state.redis.as_ref()?;
    let ping = async {
        let mut conn = pool.get().await.ok()?;
        redis::cmd("PING").query_async::<String>(&mut *conn).await.ok()
    };
    Some(tokio::time::timeout(CHECK_TIMEOUT, ping).await.ok().flatten().is_some())
}

/// `pos-server healthcheck`: asks the server listening on `bind` for
/// `/readyz`. For container health checks, so it needs nothing in the image
/// but the binary itself (no curl); a wildcard bind address is reached on
/// loopback.
pub fn probe(bind: SocketAddr, timeout: Duration) -> Result<(), String> {
    let mut target = bind;
    if target.ip().is_unspecified() {
        target.set_ip(if bind.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
    }
    let mut stream =
        TcpStream::connect_timeout(&target, timeout).map_err(|e| format!("connecting to {target}: {e}"))?;
    stream
        .set_read_timeout(Some(timeout))
        .and_then(|()| stream.set_write_timeout(Some(timeout)))
        .map_err(|e| e.to_string())?;
    stream
        .write_all(format!("GET /readyz HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n").as_bytes())
        .map_err(|e| format!("asking {target}: {e}"))?;
    let mut response = Vec::new();
    stream.take(64 * 1024).read_to_end(&mut response).map_err(|e| format!("reading from {target}: {e}"))?;
    let response = String::from_utf8_lossy(&response);
    let status_line = response.lines().next().unwrap_or_default();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.trim()).unwrap_or_default();
    match status_line.split_whitespace().nth(1) {
        Some("200") => Ok(()),
        Some(code) => Err(format!("/readyz answered {code}: {body}")),
        None => Err(format!("{target} did not answer HTTP")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_reports_a_closed_port() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let err = probe(format!("0.0.0.0:{port}").parse().unwrap(), Duration::from_secs(1)).unwrap_err();
        assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    }

    #[test]
    fn probe_reads_the_status() {
        for (answer, ok) in [("HTTP/1.1 200 OK\r\n\r\n{}", true), ("HTTP/1.1 503 Service Unavailable\r\n\r\n{}", false)]
        {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let server = std::thread::spawn(move || {
                let (mut s, _) = listener.accept().unwrap();
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).unwrap();
                s.write_all(answer.as_bytes()).unwrap();
            });
            assert_eq!(probe(addr, Duration::from_secs(2)).is_ok(), ok, "{answer}");
            server.join().unwrap();
        }
    }
}
