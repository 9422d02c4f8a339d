//! `pos-bench`: load figures for the issues' benchmarks. Needs a running
//! server, `wrk` and `pgbench`; `tests/bench/run.sh` sets all of that up.
//!
//! ```text
//! pos-bench outlets --base http://127.0.0.1:18080 --db-url postgres://pos_app:...@127.0.0.1:5432/pos
//!                   [--connections 32] [--seconds 15]
//! ```
//! Compares authenticated `GET /api/v1/outlets` over HTTP with `pgbench`
//! running the same scoped SQL the server runs for that request.

use std::{collections::HashMap, path::Path, process::Command};

use anyhow::{Context, bail};
use serde_json::{Value, json};

struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn args() -> HashMap<String, String> {
    let raw: Vec<String> = std::env::args().skip(2).collect();
    raw.chunks(2)
        .filter_map(|c| Some((c[0].trim_start_matches("--").to_string(), c.get(1)?.clone())))
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        Some("outlets") => outlets(args()).await,
        _ => bail!(
            "usage: pos-bench outlets --base URL --db-url URL [--connections N] [--seconds S]"
        ),
    }
}

async fn outlets(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a
        .get("base")
        .context("--base")?
        .trim_end_matches('/')
        .to_string();
    let db_url = a.get("db-url").context("--db-url")?;
    let conns: u32 = a.get("connections").map_or(Ok(32), |v| v.parse())?;
    let secs: u32 = a.get("seconds").map_or(Ok(15), |v| v.parse())?;

    let client = reqwest::Client::new();
    let email = format!("bench-{}@bench.example", uuid::Uuid::now_v7().simple());
    let signup: Value = client
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&json!({"brand_name": "Bench", "owner_name": "Bench", "email": email, "password": "bench-password"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = signup["access_token"]
        .as_str()
        .context("token")?
        .to_string();
    let tenant = signup["tenant_id"].as_str().context("tenant")?.to_string();
    let user = signup["user_id"].as_str().context("user")?.to_string();
    for i in 0..10 {
        client
            .post(format!("{base}/api/v1/outlets"))
            .bearer_auth(&token)
            .json(&json!({"name": format!("Outlet {i}")}))
            .send()
            .await?
            .error_for_status()?;
    }
    // Warm up, then measure.
    run_wrk(&base, &token, conns, 3)?;
    let http = run_wrk(&base, &token, conns, secs)?;
    let sql = run_pgbench(db_url, &tenant, &user, conns, secs)?;

    println!("GET /api/v1/outlets (10 outlets), {conns} connections, {secs} s each, same machine");
    println!(
        "{:<28} {:>12} {:>10} {:>10}",
        "", "requests/s", "p50 ms", "p99 ms"
    );
    println!(
        "{:<28} {:>12.0} {:>10.2} {:>10.2}",
        "HTTP (wrk)", http.rps, http.p50_ms, http.p99_ms
    );
    println!(
        "{:<28} {:>12.0} {:>10.2} {:>10.2}",
        "same SQL (pgbench)", sql.rps, sql.p50_ms, sql.p99_ms
    );
    println!("ratio HTTP/pgbench throughput: {:.2}", http.rps / sql.rps);
    Ok(())
}

fn run_wrk(base: &str, token: &str, conns: u32, secs: u32) -> anyhow::Result<Figures> {
    let out = Command::new("wrk")
        .args([
            "-t",
            "2",
            "-c",
            &conns.to_string(),
            "-d",
            &format!("{secs}s"),
            "--latency",
        ])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        .arg(format!("{base}/api/v1/outlets"))
        .output()
        .context("running wrk")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if text.contains("Non-2xx") {
        bail!("wrk saw errors:\n{text}");
    }
    let mut f = Figures {
        rps: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
    };
    for line in text.lines().map(str::trim) {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some("Requests/sec:"), Some(v)) => f.rps = v.parse()?,
            (Some("50%"), Some(v)) => f.p50_ms = ms(v)?,
            (Some("99%"), Some(v)) => f.p99_ms = ms(v)?,
            _ => {}
        }
    }
    if f.rps == 0.0 {
        bail!("could not read wrk's output:\n{text}");
    }
    Ok(f)
}

fn ms(v: &str) -> anyhow::Result<f64> {
    let (num, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).context("unit")?);
    let n: f64 = num.parse()?;
    Ok(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        other => bail!("unit {other}"),
    })
}

/// The statements the server runs for one authenticated `GET /api/v1/outlets`.
fn pgbench_script(tenant: &str, user: &str) -> String {
    format!(
        "BEGIN;\n\
         SELECT set_config('app.tenant_id', '{tenant}', true), set_config('app.outlet_ids', '', true), \
                set_config('app.user_id', '{user}', true), set_config('app.device_id', '', true);\n\
         SELECT role, ARRAY(SELECT m.outlet_id FROM user_outlets m WHERE m.user_id = u.id ORDER BY m.outlet_id) AS outlet_ids \
           FROM users u WHERE u.id = '{user}' AND u.active;\n\
         SELECT set_config('app.outlet_ids', '*', true);\n\
         SELECT id, name, address, timezone, tax_rate_bp, service_charge_bp, is_open, created_at, updated_at \
           FROM outlets WHERE archived_at IS NULL AND (NULL::uuid IS NULL OR id > NULL) ORDER BY id LIMIT 51;\n\
         COMMIT;\n"
    )
}

fn run_pgbench(
    db_url: &str,
    tenant: &str,
    user: &str,
    conns: u32,
    secs: u32,
) -> anyhow::Result<Figures> {
    let dir = std::env::temp_dir().join(format!("pos-pgbench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let script = dir.join("outlets.sql");
    std::fs::write(&script, pgbench_script(tenant, user))?;
    let out = Command::new("pgbench")
        .current_dir(&dir)
        .args([
            "-n",
            "-M",
            "prepared",
            "-j",
            "2",
            "-c",
            &conns.to_string(),
            "-T",
            &secs.to_string(),
            "-l",
        ])
        .arg("-f")
        .arg(&script)
        .arg(db_url)
        .output()
        .context("running pgbench")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        bail!(
            "pgbench failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let tps = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .context("pgbench tps")?
        .parse()?;
    let mut lat = latencies_ms(&dir)?;
    std::fs::remove_dir_all(&dir).ok();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| lat[((lat.len() as f64 - 1.0) * p).round() as usize];
    Ok(Figures {
        rps: tps,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
    })
}

/// Per-transaction latencies from pgbench's `-l` logs (third column, µs).
fn latencies_ms(dir: &Path) -> anyhow::Result<Vec<f64>> {
    let mut lat = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("pgbench_log"))
        {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line
                .split_whitespace()
                .nth(2)
                .and_then(|v| v.parse::<f64>().ok())
            {
                lat.push(us / 1000.0);
            }
        }
    }
    if lat.is_empty() {
        bail!("pgbench wrote no latency log");
    }
    Ok(lat)
}
