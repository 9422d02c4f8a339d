//! `pos-server`: the JSON API, the web admin and the device apps in one process.
//!
//! ```text
//! pos-server serve [--migrate]   serve on POS_BIND (default 127.0.0.1:8080)
//! pos-server migrate             apply migrations (needs POS_OWNER_DATABASE_URL)
//! pos-server seed-demo           create or refresh the demo brand, print its logins
//! pos-server prune-events [--keep-days 7] [--keep-last 20000] [--outlet ID]
//!                                trim the outlet event logs (owner role; run daily)
//! pos-server gen-keys            print fresh secrets for production
//! pos-server healthcheck         exit 0 when the server on POS_BIND is ready
//!                                (for container health checks; no curl needed)
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
    if command == "healthcheck" {
        return pos_backend::ops::health::probe(settings.bind, std::time::Duration::from_secs(3))
            .map_err(|e| anyhow::anyhow!("not ready: {e}"));
    }
    telemetry::init(settings.log_json);
    match command.as_str() {
        "migrate" => startup::migrate(&settings).await,
        "prune-events" => {
            let flag = |name: &str, default: i64| -> anyhow::Result<i64> {
                match flags.iter().position(|f| f == name) {
                    Some(i) => flags
                        .get(i + 1)
                        .with_context(|| format!("{name} needs a number"))?
                        .parse()
                        .with_context(|| format!("{name} needs a number")),
                    None => Ok(default),
                }
            };
            let keep_days = i32::try_from(flag("--keep-days", 7)?).context("--keep-days is too large")?;
            let outlet = match flags.iter().position(|f| f == "--outlet") {
                Some(i) => {
                    Some(flags.get(i + 1).context("--outlet needs an id")?.parse().context("--outlet needs an id")?)
                }
                None => None,
            };
            let pruned = startup::prune_events(&settings, keep_days, flag("--keep-last", 20_000)?, outlet).await?;
            println!("pruned {pruned} events");
            Ok(())
        }
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
            let server = startup::server(state.clone(), listener, pos_web_admin::MOUNT)?;
            startup::run_until_signal(server, state).await?;
            Ok(())
        }
        other => {
            anyhow::bail!(
                "unknown command {other:?}; use serve, migrate, seed-demo, prune-events, gen-keys or healthcheck"
            )
        }
    }
}
