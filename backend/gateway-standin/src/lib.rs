//! A local stand-in for the payment gateway: it speaks Midtrans' Core API
//! over HTTP (QRIS charge, status, cancel, expire, refund; basic auth with
//! the server key; signed HTTP notifications to the merchant's URL), keeps
//! its charges in memory, expires unpaid QR codes, and has a page where a
//! person plays the paying customer. The demo and the tests use it; nothing
//! of ours ever calls a real gateway.

pub mod api;
pub mod charges;
pub mod control;
pub mod notify;
pub mod qris;

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{App, HttpServer, dev::Server, web};

#[derive(Debug, Clone)]
pub struct Config {
    /// Accepted as the basic-auth user and used to sign notifications.
    pub server_key: String,
    /// Where notifications go unless a charge overrides it.
    pub notification_url: Option<String>,
    /// This stand-in's own base URL, for the QR image links it hands out.
    pub public_url: String,
    pub merchant_id: String,
    pub merchant_name: String,
    /// How long a QR code can be paid.
    pub qr_lifetime: chrono::Duration,
    /// First retry delay of a notification the merchant did not accept.
    pub retry_base: Duration,
    pub max_attempts: u32,
}

impl Config {
    pub fn new(server_key: impl Into<String>) -> Config {
        Config {
            server_key: server_key.into(),
            notification_url: None,
            public_url: "http://127.0.0.1".into(),
            merchant_id: "G000000001".into(),
            merchant_name: "POS demo merchant".into(),
            qr_lifetime: chrono::Duration::minutes(15),
            retry_base: Duration::from_secs(1),
            max_attempts: 6,
        }
    }
}

pub struct State {
    pub config: Config,
    pub charges: Mutex<charges::Charges>,
    pub deliveries: Mutex<Vec<notify::Delivery>>,
    pub http: reqwest::Client,
}

/// Builds the server on `listener` and starts the expiry sweep (each second,
/// pending QR codes past their expiry become `expire` and are notified).
/// Must be called within a Tokio runtime.
pub fn server(mut config: Config, listener: TcpListener) -> std::io::Result<Server> {
    if config.public_url == "http://127.0.0.1" {
        config.public_url = format!("http://{}", listener.local_addr()?);
    }
    let state = Arc::new(State {
        config,
        charges: Mutex::default(),
        deliveries: Mutex::default(),
        http: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(std::io::Error::other)?,
    });
    tokio::spawn(expire_loop(state.clone()));
    let data = web::Data::new(state);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .configure(api::routes)
            .configure(control::routes)
    })
    .workers(1)
    .listen(listener)?
    .run())
}

async fn expire_loop(state: Arc<State>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let expired = state.charges.lock().expect("charges lock").expire_due(chrono::Utc::now());
        for charge in expired {
            tracing::info!(order_id = %charge.order_id, "QRIS charge expired");
            notify::send(
                state.clone(),
                charge.notify_urls.clone(),
                notify::body(&charge, charge.status, &state.config.merchant_id, &state.config.server_key),
            );
        }
    }
}

/// Starts a stand-in on a free loopback port in the current runtime;
/// returns its base URL (for tests).
pub fn spawn(config: Config) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = server(config, listener)?;
    tokio::spawn(server);
    Ok(base)
}
