//! Start-up: state from settings, migrations, and the HTTP server.

use std::{net::TcpListener, path::PathBuf};

use actix_web::{
    App, HttpMessage, HttpResponse, HttpServer,
    body::{EitherBody, MessageBody},
    dev::{Server, ServiceRequest, ServiceResponse},
    http::header::{self, HeaderName, HeaderValue},
    middleware::{Compress, DefaultHeaders, ErrorHandlerResponse, ErrorHandlers, Next, from_fn},
    web,
};
use anyhow::Context;
use pos_migrations::{Migrator, MigratorTrait};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::{
    auth::{self, jwt::Keyring, rate_limit::RateLimiter},
    catalog,
    config::Settings,
    db::Db,
    device_apps,
    error::{Code, CodedError, Error, FieldErrors},
    http::{
        body::{BodyRules, read_body_first},
        json::JsonLimit,
        problem::{code_of_status, problem_response},
    },
    ops,
    state::AppState,
    telemetry::PosRootSpan,
    tenancy,
};

/// Connects to PostgreSQL (and Redis when configured) and builds the shared state.
pub async fn build_state(settings: Settings) -> anyhow::Result<web::Data<AppState>> {
    let events = std::sync::Arc::new(crate::events::EventBus::default());
    let redis = match &settings.redis_url {
        Some(url) => Some(
            deadpool_redis::Config::from_url(url.expose())
                .create_pool(Some(deadpool_redis::Runtime::Tokio1))
                .context("POS_REDIS_URL")?,
        ),
        None => None,
    };
    let epochs = match (&redis, &settings.redis_url) {
        (Some(pool), Some(url)) => {
            crate::db::epochs::Epochs::new(pool.clone(), url.expose()).context("POS_REDIS_URL")?
        }
        _ => crate::db::epochs::Epochs::default(),
    };
    let mut db = Db::connect(settings.database_url.expose(), settings.db_max_connections)
        .await
        .context("connecting to PostgreSQL as the app role (POS_DATABASE_URL)")?
        .with_bus(events.clone())
        .with_epochs(std::sync::Arc::new(epochs));
    if let Some(url) = &settings.replica_database_url {
        db = db.with_replica(url.expose(), settings.db_max_connections).await.context("POS_REPLICA_DATABASE_URL")?;
    }
    let menu_stamps = std::sync::Arc::new(crate::catalog::menu_stamps::MenuStamps::default());
    events.watch(menu_stamps.clone());
    catalog::images::prepare_media_dir(&settings.media_dir)?;
    let keyring = Keyring::from_settings(&settings);
    let limiter = RateLimiter::new(redis.clone());
    ops::metrics::handle();
    if let (Some(pool), Some(url)) = (&redis, &settings.redis_url) {
        crate::events::redis_fanout::start(&events, pool.clone(), url.expose().clone());
    }
    events.spawn_sweeper(db.clone(), settings.event_sweep_interval);
    ops::memory::spawn_trimmer(std::time::Duration::from_secs(5), events.shutdown.clone());
    let stream_slots = crate::events::slots::StreamSlots::new(redis.clone());
    let stream_guard = std::sync::Arc::new(auth::stream_guard::StreamGuard::default());
    stream_guard.spawn(db.clone(), settings.stream_recheck_interval, events.shutdown.clone());
    let gateway = payment_gateway(&settings)?;
    let mailer = crate::email::transport::Mailer::from_settings(&settings)?;
    let approval_keys =
        std::sync::Arc::new(crate::till::approval_seal::ApprovalKeyPair::derive(settings.token_secret.expose()));
    let state = web::Data::new(AppState {
        approval_keys,
        settings,
        db,
        keyring,
        limiter,
        redis,
        menu_cache: Default::default(),
        menu_stamps,
        principals: Default::default(),
        events,
        stream_slots,
        stream_guard,
        gateway,
    });
    let stop = state.events.shutdown.clone();
    crate::jobs::spawn(state.clone().into_inner(), state.settings.payment_reconcile_interval, stop.clone());
    match mailer {
        Some(mailer) => crate::email::worker::spawn(
            state.clone().into_inner(),
            std::sync::Arc::new(mailer),
            state.settings.mail_poll_interval,
            stop,
        ),
        None => tracing::info!("no SMTP server configured (POS_SMTP_URL): mails wait in the outbox"),
    }
    Ok(state)
}

/// The QRIS gateway when its base URL and server key are configured.
fn payment_gateway(
    settings: &Settings,
) -> anyhow::Result<Option<std::sync::Arc<dyn crate::payments::gateway::PaymentGateway>>> {
    let (Some(base), Some(key)) = (&settings.midtrans_base_url, &settings.midtrans_server_key) else {
        tracing::info!("no payment gateway configured (POS_MIDTRANS_BASE_URL, POS_MIDTRANS_SERVER_KEY): QRIS is off");
        return Ok(None);
    };
    let midtrans =
        crate::payments::gateway::midtrans::Midtrans::new(base, key.clone(), settings.payment_notification_url.clone())
            .context("the payment gateway client")?;
    Ok(Some(std::sync::Arc::new(midtrans)))
}

/// Applies pending migrations as the owner role.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let url = settings
        .owner_database_url
        .as_ref()
        .context("POS_OWNER_DATABASE_URL is needed to migrate (the owner role, not the app role)")?;
    let conn = sea_orm::Database::connect(url.expose().as_str()).await.context("connecting as the owner role")?;
    Migrator::up(&conn, None).await.context("applying migrations")?;
    conn.close().await.ok();
    Ok(())
}

/// Trims every outlet's event log (see migration 0005) as the owner role;
/// returns how many events went. `outlet` limits it to one outlet. Meant to
/// run daily (cron, a systemd timer).
pub async fn prune_events(
    settings: &Settings,
    keep_days: i32,
    keep_last: i64,
    outlet: Option<uuid::Uuid>,
) -> anyhow::Result<i64> {
    let url = settings
        .owner_database_url
        .as_ref()
        .context("POS_OWNER_DATABASE_URL is needed to prune events (the owner role, not the app role)")?;
    let conn = sea_orm::Database::connect(url.expose().as_str()).await.context("connecting as the owner role")?;
    let row = sea_orm::ConnectionTrait::query_one_raw(
        &conn,
        sea_orm::Statement::from_sql_and_values(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT app.prune_outlet_events($1, $2, $3) AS pruned",
            [keep_days.into(), keep_last.into(), outlet.into()],
        ),
    )
    .await
    .context("pruning the event log")?;
    conn.close().await.ok();
    let pruned: i64 = row.map(|r| r.try_get("", "pruned")).transpose()?.unwrap_or(0);
    Ok(pruned)
}

/// Every JSON API route under `/api/v1`.
pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(auth::http::routes)
        .configure(tenancy::outlets::http::routes)
        .configure(tenancy::users::http::routes)
        .configure(tenancy::devices::http::routes)
        .configure(tenancy::audit::http::routes)
        .configure(tenancy::brand::http::routes)
        .configure(catalog::http::routes)
        .configure(crate::orders::http::routes)
        .configure(crate::kitchen::http::routes)
        .configure(crate::reports::http::routes)
        .configure(crate::reports::stock::http::routes)
        .configure(crate::pickup::http::routes)
        .configure(crate::sync::routes)
        .configure(crate::payments::http::routes)
        .configure(crate::events::http::routes)
        .configure(crate::payments::refunds::http::routes)
        .configure(crate::receipts::http::routes)
        .configure(crate::shifts::http::routes)
        .configure(crate::orders::discounts::http::routes)
        .configure(crate::orders::checks::http::routes)
        .configure(crate::tables::http::routes)
        .configure(crate::till::http::routes)
        .configure(crate::stock::http::routes);
}

/// Where `static/`, `templates/` and the built kiosk live: `POS_ASSETS_DIR`,
/// or the source tree this binary was built from.
pub fn assets_dir() -> PathBuf {
    std::env::var_os("POS_ASSETS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")))
}

/// Routes another crate adds to the server (the web admin).
#[derive(Clone, Copy)]
pub struct Mount {
    pub routes: fn(&mut web::ServiceConfig),
    /// Its upload routes (see [`crate::http::body`]): `POST` paths whose
    /// handlers authorise before reading the body.
    pub uploads: &'static [&'static str],
}

/// The API's upload routes (see [`crate::http::body`]).
const API_UPLOADS: &[&str] = &["/api/v1/images"];

/// Builds the server on `listener`, with `extra`'s routes.
pub fn server(state: web::Data<AppState>, listener: TcpListener, extra: Mount) -> std::io::Result<Server> {
    let settings = &state.settings;
    let json_limit = web::Data::new(JsonLimit(settings.json_body_limit));
    let body_rules = web::Data::new(
        BodyRules::new(
            settings.json_body_limit,
            settings.body_timeout,
            catalog::images::UPLOAD_LIMIT,
            settings.upload_timeout,
        )
        .with_uploads(API_UPLOADS)
        .with_uploads(extra.uploads),
    );
    let header_timeout = settings.header_timeout;
    let assets = assets_dir();
    let media = state.settings.media_dir.clone();
    let server = HttpServer::new(move || {
        App::new()
            // Innermost: every body is in memory (or bounded, for uploads)
            // before routing, so no extractor waits on a client.
            .wrap(from_fn(read_body_first))
            .wrap(ErrorHandlers::new().default_handler(problem_for_bare_errors))
            .wrap(from_fn(ops::metrics::record))
            .wrap(from_fn(request_id_header))
            .wrap(TracingLogger::<PosRootSpan>::new())
            // Outermost: `?access_token=` leaves the URI before anything logs it.
            .wrap(from_fn(auth::query_token::take_query_token))
            .app_data(state.clone())
            .app_data(json_limit.clone())
            .app_data(body_rules.clone())
            .app_data(web::PathConfig::default().error_handler(|_, _| Error::NotFound.into()))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                Error::field("query", CodedError::parser(Code::InvalidValue, strip_prefix(&e.to_string()))).into()
            }))
            .configure(ops::health::routes)
            .configure(ops::metrics::routes)
            .configure(ops::openapi::routes)
            // JSON is gzipped for clients that ask; the event stream marks
            // itself `Content-Encoding: identity`, which the compressor leaves alone.
            .service(
                web::scope("/api/v1")
                    .wrap(from_fn(tenancy::devices::board::refuse_elsewhere))
                    .wrap(Compress::default())
                    .configure(api_routes),
            )
            .configure(extra.routes)
            .configure(|cfg| device_apps::routes(cfg, &assets))
            .service(
                web::scope("/media")
                    .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "public, max-age=31536000, immutable")))
                    .service(actix_files::Files::new("", &media)),
            )
            .service(
                web::scope("/static")
                    .wrap(Compress::default())
                    .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "public, max-age=3600")))
                    .service(actix_files::Files::new("", assets.join("static")).use_etag(true)),
            )
            .default_service(web::to(not_found))
    })
    // A client that dribbles its headers is cut off (408) after this.
    .client_request_timeout(header_timeout)
    // A client that closes its side is gone: its live streams end (and free
    // their slots) at once, not at their next write.
    .h1_allow_half_closed(false)
    .listen(listener)?
    .shutdown_timeout(10)
    .disable_signals()
    .run();
    Ok(server)
}

/// Runs `server` until Ctrl-C or SIGTERM, then ends the live event streams
/// (which would otherwise hold the shutdown for its whole timeout) and stops
/// gracefully.
pub async fn run_until_signal(server: Server, state: web::Data<AppState>) -> std::io::Result<()> {
    let handle = server.handle();
    let events = state.events.clone();
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
        #[cfg(unix)]
        let terminated = term.recv();
        #[cfg(not(unix))]
        let terminated = std::future::pending::<Option<()>>();
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminated => {}
        }
        tracing::info!("shutting down");
        events.shutdown.cancel();
        handle.stop(true).await;
    });
    server.await
}

fn strip_prefix(message: &str) -> String {
    message.trim_start_matches("Query deserialize error: ").to_string()
}

async fn not_found() -> Result<HttpResponse, Error> {
    Err(Error::NotFound)
}

/// Echoes the request id (also on every log line) as `X-Request-Id`.
async fn request_id_header(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(|id| id.to_string());
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// Errors raised by the framework itself (405, a body the router refused...)
/// come without a problem document; give them one.
fn problem_for_bare_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Anything that already has a body of its own (problem documents, the
    // readiness report, admin pages) is left alone.
    if res.headers().contains_key(header::CONTENT_TYPE) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (req, old) = res.into_parts();
    let mut fresh = problem_response(status, &code_of_status(status), &FieldErrors::new());
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(v) = old.headers().get(&name) {
            fresh.headers_mut().insert(name, v.clone());
        }
    }
    let res: ServiceResponse<EitherBody<B>> = ServiceResponse::new(req, fresh).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}
