//! `pos-gateway-standin`: the local payment gateway for the demo and tests.

use std::{net::TcpListener, time::Duration};

use clap::Parser;
use pos_gateway_standin::{Config, server};

#[derive(Parser)]
#[command(about = "A local stand-in for Midtrans' Core API (QRIS), for the POS demo and tests")]
struct Args {
    /// Address to serve on.
    #[arg(long, env = "STANDIN_BIND", default_value = "127.0.0.1:8090")]
    bind: String,
    /// The server key the POS is configured with (basic-auth user; signs notifications).
    #[arg(long, env = "STANDIN_SERVER_KEY")]
    server_key: String,
    /// Where to POST notifications (the POS webhook URL).
    #[arg(long, env = "STANDIN_NOTIFICATION_URL")]
    notification_url: Option<String>,
    /// How long a QR code can be paid, in seconds.
    #[arg(long, env = "STANDIN_QR_LIFETIME_SECS", default_value_t = 900)]
    qr_lifetime_secs: i64,
    /// First retry delay of an unaccepted notification, in milliseconds.
    #[arg(long, env = "STANDIN_RETRY_BASE_MS", default_value_t = 1000)]
    retry_base_ms: u64,
    #[arg(long, env = "STANDIN_MERCHANT_NAME", default_value = "POS demo merchant")]
    merchant_name: String,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter(std::env::var("STANDIN_LOG").unwrap_or_else(|_| "info".into())).init();
    let args = Args::parse();
    let listener = TcpListener::bind(&args.bind)?;
    let mut config = Config::new(args.server_key);
    config.notification_url = args.notification_url;
    config.qr_lifetime = chrono::Duration::seconds(args.qr_lifetime_secs.max(1));
    config.retry_base = Duration::from_millis(args.retry_base_ms.max(1));
    config.merchant_name = args.merchant_name;
    tracing::info!("payment gateway stand-in on http://{}", listener.local_addr()?);
    server(config, listener)?.await?;
    Ok(())
}
