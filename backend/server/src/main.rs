//! `pos-server`: the JSON API, the web admin and the device apps in one process.
//!
//! ```text
//! pos-server serve [--migrate]   serve on POS_BIND (default 127.0.0.1:8080)
//! pos-server migrate             apply migrations (needs POS_OWNER_DATABASE_URL)
//! pos-server seed-demo           create or refresh the demo brand, print its logins
//! pos-server gen-keys            print fresh secrets for production
//! ```

use std::net::TcpListener;

use anyhow::Context;
use pos_backend::{config::Settings, startup, telemetry};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    let flags: Vec<String> = std::env::args().skip(2).collect();
    if command == "gen-keys" {
        println!("POS_JWT_KEYS={}", pos_backend::config::generate_jwt_key_line("k1"));
        println!("POS_TOKEN_SECRET={}", pos_backend::config::generate_secret_hex());
        println!("POS_SESSION_SECRET={}", pos_backend::config::generate_secret_hex());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    telemetry::init(settings.log_json);
    match command.as_str() {
        "migrate" => startup::migrate(&settings).await,
        "seed-demo" => {
            let state = startup::build_state(settings).await?;
            let demo = pos_backend::demo::seed(&state).await?;
            println!("{}", demo.summary());
            Ok(())
        }
        "serve" => {
            if flags.iter().any(|f| f == "--migrate") {
                startup::migrate(&settings).await?;
            }
            let bind = settings.bind;
            let listener = TcpListener::bind(bind).with_context(|| format!("binding {bind}"))?;
            let state = startup::build_state(settings).await?;
            tracing::info!(%bind, "serving");
            let server = startup::server(state.clone(), listener, pos_web_admin::configure)?;
            startup::run_until_signal(server, state).await?;
            Ok(())
        }
        other => {
            anyhow::bail!("unknown command {other:?}; use serve, migrate, seed-demo or gen-keys")
        }
    }
}
