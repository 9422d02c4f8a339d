//! `pos-server`: the JSON API, the web admin and the device apps in one
//! process. `pos-server --help` lists the commands; without one it serves.

use std::net::TcpListener;

use anyhow::Context;
use clap::{Parser, Subcommand};
use pos_backend::{config::Settings, startup, telemetry};
use uuid::Uuid;

/// Configuration comes from the environment (and an optional `.env`); see the README.
#[derive(Debug, Parser)]
#[command(name = "pos-server", version, about = "The POS platform's server: JSON API, web admin and device apps")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve on POS_BIND (default 127.0.0.1:8080); the default command.
    Serve {
        /// Apply migrations first (needs POS_OWNER_DATABASE_URL).
        #[arg(long)]
        migrate: bool,
    },
    /// Apply migrations (needs POS_OWNER_DATABASE_URL).
    Migrate,
    /// Create or refresh the demo brand and print its logins (not in production).
    SeedDemo,
    /// Trim the outlet event logs (owner role; run daily).
    ///
    /// Per outlet, removes the oldest events that are both older than
    /// --keep-days and not among the newest --keep-last. A device resuming
    /// from before what is left is told to reload.
    PruneEvents {
        /// Keep every event younger than this many days.
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(i32).range(0..))]
        keep_days: i32,
        /// Keep at least this many of each outlet's newest events.
        #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(i64).range(0..))]
        keep_last: i64,
        /// Only this outlet (default: every outlet).
        #[arg(long, value_name = "ID")]
        outlet: Option<Uuid>,
    },
    /// Print fresh secrets (POS_JWT_KEYS, POS_TOKEN_SECRET, POS_SESSION_SECRET) for production.
    GenKeys,
    /// Exit 0 when the server on POS_BIND is ready (for container health checks; no curl needed).
    Healthcheck,
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let command = Cli::parse().command.unwrap_or(Command::Serve { migrate: false });
    if let Command::GenKeys = command {
        println!("POS_JWT_KEYS={}", pos_backend::config::generate_jwt_key_line("k1"));
        println!("POS_TOKEN_SECRET={}", pos_backend::config::generate_secret_hex());
        println!("POS_SESSION_SECRET={}", pos_backend::config::generate_secret_hex());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    if let Command::Healthcheck = command {
        return pos_backend::ops::health::probe(settings.bind, std::time::Duration::from_secs(3))
            .map_err(|e| anyhow::anyhow!("not ready: {e}"));
    }
    telemetry::init(settings.log_json);
    match command {
        Command::Migrate => startup::migrate(&settings).await,
        Command::PruneEvents { keep_days, keep_last, outlet } => {
            let pruned = startup::prune_events(&settings, keep_days, keep_last, outlet).await?;
            println!("pruned {pruned} events");
            Ok(())
        }
        Command::SeedDemo => {
            let state = startup::build_state(settings).await?;
            let demo = pos_backend::demo::seed(&state).await?;
            println!("{}", demo.summary());
            Ok(())
        }
        Command::Serve { migrate } => {
            if migrate {
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
        Command::GenKeys | Command::Healthcheck => unreachable!("handled before the settings are read"),
    }
}
