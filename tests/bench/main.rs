//! `pos-bench`: load figures for the issues' benchmarks. Needs a running
//! server, `wrk` and `pgbench`; `tests/bench/run.sh` sets all of that up.
//!
//! ```text
//! pos-bench outlets --base URL --db-url URL [--connections 32] [--seconds 15]
//! pos-bench menu    --base URL [--connections 32] [--seconds 15] [--items 200]
//! pos-bench pull    --base URL --db-url URL [--items 20000] [--page 2000]
//! pos-bench orders  --base URL --db-url URL [--connections 32] [--seconds 15] [--compare-recipes R]
//! pos-bench fanout  --base URL [--subscribers 1000] [--orders 20] [--server-pid PID]
//! pos-bench admin-page --base URL [--path /admin/menu] [--connections 32] [--seconds 15]
//! pos-bench stream-check --db-url URL [--streams 10000] [--tenants 500]
//! pos-bench qris-paid --base URL --gateway-key KEY [--payments 50]
//! ```
//! `qris-paid` times the gateway's notification that a QRIS charge was paid
//! (posted to the webhook signed as the gateway signs it) -> the kiosk's
//! live stream showing that payment `paid`, for charges made at the gateway
//! stand-in the server is configured with.
//! `stream-check` times one pass of the per-process check that ends event
//! streams whose credential was revoked (the query every process runs every
//! `POS_STREAM_RECHECK_MS` for all its open streams), over synthetic brands.
//! `orders` compares create-order over HTTP with `pgbench` running the same
//! statements (the server's insert and event statements themselves, with
//! the data the server stored for one of the orders); with
//! `--compare-recipes R` it then gives the item a recipe of five stocked
//! ingredients and measures create-order again (stock
//! depleted in the order's transaction), in the same run: R rounds with the
//! recipe on and off alternately, medians compared. `fanout` measures create-order response → receipt by each of
//! N SSE subscribers of one outlet, and the server's memory meanwhile (see `fanout.rs`).
//! `outlets` compares authenticated `GET /api/v1/outlets` over HTTP with
//! `pgbench` running the same scoped SQL the server runs for that request.
//! `menu` loads an outlet's effective menu cold and with `If-None-Match`.
//! `pull` times a device's full `sync/pull` of a large catalogue.

mod fanout;
mod reports;

use std::{collections::HashMap, path::Path, process::Command};

use anyhow::{Context, bail};
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use pos_tests::fixtures;
use pos_wire::{CreateMenuItem, DeviceKind, SignupRequest};
use serde_json::{Value, json};

struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn args() -> HashMap<String, String> {
    let raw: Vec<String> = std::env::args().skip(2).collect();
    raw.chunks(2).filter_map(|c| Some((c[0].trim_start_matches("--").to_string(), c.get(1)?.clone()))).collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match std::env::args().nth(1).as_deref() {
        Some("outlets") => outlets(args()).await,
        Some("menu") => menu(args()).await,
        Some("pull") => pull(args()).await,
        Some("orders") => orders(args()).await,
        Some("fanout") => fanout::fanout(args()).await,
        Some("admin-page") => admin_page(args()).await,
        Some("stream-check") => stream_check(args()).await,
        Some("qris-paid") => qris_paid(args()).await,
        Some("reports") => reports::reports(args()).await,
        _ => bail!("usage: pos-bench outlets|menu|pull --base URL [--db-url URL] [--connections N] [--seconds S]"),
    }
}

/// A fresh brand: (client, access token, tenant id, user id).
async fn bench_brand(base: &str) -> anyhow::Result<(reqwest::Client, String, String, String)> {
    let client = reqwest::Client::new();
    let email = format!("bench-{}@bench.example", uuid::Uuid::now_v7().simple());
    let signup: Value = client
        .post(format!("{base}/api/v1/auth/signup"))
        .json(&SignupRequest {
            brand_name: "Bench".into(),
            owner_name: "Bench".into(),
            ..fixtures::signup(&email, "bench-password")
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let field = |k: &str| signup[k].as_str().map(str::to_string).context("signup answer");
    Ok((client, field("access_token")?, field("tenant_id")?, field("user_id")?))
}

async fn post(
    client: &reqwest::Client,
    url: String,
    token: &str,
    body: impl serde::Serialize,
) -> anyhow::Result<Value> {
    Ok(client.post(url).bearer_auth(token).json(&body).send().await?.error_for_status()?.json().await?)
}

fn print_row(label: &str, f: &Figures) {
    println!("{label:<28} {:>12.0} {:>10.2} {:>10.2}", f.rps, f.p50_ms, f.p99_ms);
}

async fn outlets(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let db_url = a.get("db-url").context("--db-url")?;
    let conns: u32 = a.get("connections").map_or(Ok(32), |v| v.parse())?;
    let secs: u32 = a.get("seconds").map_or(Ok(15), |v| v.parse())?;

    let (client, token, tenant, user) = bench_brand(&base).await?;
    for i in 0..10 {
        post(&client, format!("{base}/api/v1/outlets"), &token, json!({"name": format!("Outlet {i}")})).await?;
    }
    let url = format!("{base}/api/v1/outlets");
    // Warm up, then measure.
    run_wrk(&url, &token, None, conns, 3)?;
    let http = run_wrk(&url, &token, None, conns, secs)?;
    let sql = run_pgbench(db_url, &tenant, &user, conns, secs)?;

    println!("GET /api/v1/outlets (10 outlets), {conns} connections, {secs} s each, same machine");
    println!("{:<28} {:>12} {:>10} {:>10}", "", "requests/s", "p50 ms", "p99 ms");
    print_row("HTTP (wrk)", &http);
    print_row("same SQL (pgbench)", &sql);
    println!("ratio HTTP/pgbench throughput: {:.2}", http.rps / sql.rps);
    Ok(())
}

fn run_wrk(url: &str, token: &str, if_none_match: Option<&str>, conns: u32, secs: u32) -> anyhow::Result<Figures> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t", "2", "-c", &conns.to_string(), "-d", &format!("{secs}s"), "--latency"])
        .args(["-H", &format!("Authorization: Bearer {token}")]);
    if let Some(etag) = if_none_match {
        cmd.args(["-H", &format!("If-None-Match: {etag}")]);
    }
    let out = cmd.arg(url).output().context("running wrk")?;
    // 304s count as "non-2xx" for wrk; only plain loads must be all 2xx.
    parse_wrk(&String::from_utf8_lossy(&out.stdout), if_none_match.is_none())
}

fn parse_wrk(text: &str, all_2xx: bool) -> anyhow::Result<Figures> {
    if all_2xx && text.contains("Non-2xx") {
        bail!("wrk saw errors:\n{text}");
    }
    let mut f = Figures { rps: 0.0, p50_ms: 0.0, p99_ms: 0.0 };
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

/// The statement that scopes a transaction to the brand's owner, as the
/// server sets it once the owner's principal is cached (no trailing `;`).
fn owner_scope(tenant: &str, user: &str) -> String {
    format!(
        "SELECT set_config('app.tenant_id', '{tenant}', true), set_config('app.outlet_ids', '*', true), \
                set_config('app.user_id', '{user}', true), set_config('app.device_id', '', true)"
    )
}

/// The statements the server runs for one authenticated `GET /api/v1/outlets`
/// once the owner's principal is cached (`auth::principal_cache`): the
/// scope is set from memory, no staff lookup.
fn pgbench_script(tenant: &str, user: &str) -> String {
    format!(
        "BEGIN;\n\
         {scope};\n\
         SELECT id, name, address, timezone, tax_rate_bp, service_charge_bp, is_open, created_at, updated_at \
           FROM outlets WHERE archived_at IS NULL AND (NULL::uuid IS NULL OR id > NULL) ORDER BY id LIMIT 51;\n\
         COMMIT;\n",
        scope = owner_scope(tenant, user)
    )
}

fn run_pgbench(db_url: &str, tenant: &str, user: &str, conns: u32, secs: u32) -> anyhow::Result<Figures> {
    let script = std::env::temp_dir().join(format!("pos-bench-outlets-{}.sql", std::process::id()));
    std::fs::write(&script, pgbench_script(tenant, user))?;
    let figures = run_pgbench_file(db_url, &script, conns, secs);
    std::fs::remove_file(&script).ok();
    figures
}

/// Runs a pgbench script file; p50 and p99 from its per-transaction log.
fn run_pgbench_file(db_url: &str, script: &Path, conns: u32, secs: u32) -> anyhow::Result<Figures> {
    let dir =
        std::env::temp_dir().join(format!("pos-pgbench-{}-{}", std::process::id(), uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir)?;
    let out = Command::new("pgbench")
        .current_dir(&dir)
        .args(["-n", "-M", "prepared", "-j", "2", "-c", &conns.to_string(), "-T", &secs.to_string(), "-l"])
        .arg("-f")
        .arg(script)
        .arg(db_url)
        .output()
        .context("running pgbench")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    if !out.status.success() {
        bail!("pgbench failed: {}{}", text, String::from_utf8_lossy(&out.stderr));
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
    Ok(Figures { rps: tps, p50_ms: pct(0.50), p99_ms: pct(0.99) })
}

/// Per-transaction latencies from pgbench's `-l` logs (third column, µs).
fn latencies_ms(dir: &Path) -> anyhow::Result<Vec<f64>> {
    let mut lat = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if !path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("pgbench_log")) {
            continue;
        }
        for line in std::fs::read_to_string(&path)?.lines() {
            if let Some(us) = line.split_whitespace().nth(2).and_then(|v| v.parse::<f64>().ok()) {
                lat.push(us / 1000.0);
            }
        }
    }
    if lat.is_empty() {
        bail!("pgbench wrote no latency log");
    }
    Ok(lat)
}

/// A brand whose menu has `n_items` items with modifiers, 20 per category:
/// (client, owner token, outlet id).
async fn menu_brand(base: &str, n_items: usize) -> anyhow::Result<(reqwest::Client, String, String)> {
    let (client, token, _, _) = bench_brand(base).await?;
    let outlet = post(&client, format!("{base}/api/v1/outlets"), &token, fixtures::outlet("Bench")).await?;
    let outlet = outlet["id"].as_str().context("outlet id")?.to_string();
    let mut category = String::new();
    for i in 0..n_items {
        if i % 20 == 0 {
            let c = post(
                &client,
                format!("{base}/api/v1/categories"),
                &token,
                fixtures::category(&format!("Category {i}"), None),
            )
            .await?;
            category = c["id"].as_str().context("category id")?.to_string();
        }
        let item = CreateMenuItem {
            description: "A realistic description of a dish".into(),
            modifier_groups: vec![
                fixtures::size_group(),
                fixtures::group("Extra", 0, 2, &[("Cheese", 4000), ("Egg", 5000)]),
            ],
            ..fixtures::item(category.parse()?, &format!("Item {i}"), 25_000 + i as i64 * 500)
        };
        post(&client, format!("{base}/api/v1/menu-items"), &token, item).await?;
    }
    Ok((client, token, outlet))
}

/// p50/p99 of an admin page (default: the menu page) for a 200-item menu,
/// signed in as the owner through the admin's own login form.
async fn admin_page(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let conns: u32 = a.get("connections").map_or(Ok(32), |v| v.parse())?;
    let secs: u32 = a.get("seconds").map_or(Ok(15), |v| v.parse())?;
    let path = a.get("path").cloned().unwrap_or_else(|| "/admin/menu".into());
    let (client, token, _) = menu_brand(&base, 200).await?;
    let me: Value = client.get(format!("{base}/api/v1/users")).bearer_auth(&token).send().await?.json().await?;
    let email = me["items"][0]["email"].as_str().context("owner email")?.to_string();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    let cookie = pos_tests::admin_sign_in(&no_redirect, &base, &email, "bench-password")
        .await
        .map_err(|r| anyhow::anyhow!("the admin login answered {}", r.status))?;
    let page = no_redirect.get(format!("{base}{path}")).header("cookie", &cookie).send().await?;
    if page.status() != 200 {
        bail!("{path} answered {}", page.status());
    }
    let bytes = page.bytes().await?.len();
    let run = |seconds: u32| -> anyhow::Result<Figures> {
        let out = Command::new("wrk")
            .args(["-t", "2", "-c", &conns.to_string(), "-d", &format!("{seconds}s"), "--latency"])
            .args(["-H", &format!("Cookie: {cookie}")])
            .arg(format!("{base}{path}"))
            .output()?;
        parse_wrk(&String::from_utf8_lossy(&out.stdout), true)
    };
    run(3)?;
    let f = run(secs)?;
    println!("admin page {path} for a 200-item menu ({bytes} bytes of HTML), {conns} connections, {secs} s");
    println!("{:<28} {:>12} {:>10} {:>10}", "", "requests/s", "p50 ms", "p99 ms");
    print_row("admin page", &f);
    Ok(())
}

async fn menu(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let conns: u32 = a.get("connections").map_or(Ok(32), |v| v.parse())?;
    let secs: u32 = a.get("seconds").map_or(Ok(15), |v| v.parse())?;
    let n_items: usize = a.get("items").map_or(Ok(200), |v| v.parse())?;
    let (client, token, outlet) = menu_brand(&base, n_items).await?;
    let url = format!("{base}/api/v1/outlets/{outlet}/menu");
    let first = client.get(&url).bearer_auth(&token).send().await?.error_for_status()?;
    let etag = first.headers().get("etag").context("etag")?.to_str()?.to_string();
    let bytes = first.bytes().await?.len();
    run_wrk(&url, &token, None, conns, 3)?;
    let cold = run_wrk(&url, &token, None, conns, secs)?;
    let cached = run_wrk(&url, &token, Some(&etag), conns, secs)?;
    println!(
        "GET /api/v1/outlets/{{id}}/menu, {n_items} items ({bytes} bytes of JSON), {conns} connections, {secs} s each"
    );
    println!("{:<28} {:>12} {:>10} {:>10}", "", "requests/s", "p50 ms", "p99 ms");
    print_row("full menu", &cold);
    print_row("If-None-Match (304)", &cached);
    Ok(())
}

async fn pull(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let db_url = a.get("db-url").context("--db-url")?;
    let n_items: i64 = a.get("items").map_or(Ok(20_000), |v| v.parse())?;
    let page: u32 = a.get("page").map_or(Ok(2000), |v| v.parse())?;
    let (client, token, tenant, _) = bench_brand(&base).await?;
    let outlet = post(&client, format!("{base}/api/v1/outlets"), &token, fixtures::outlet("Bench")).await?;
    let outlet = outlet["id"].as_str().context("outlet id")?.to_string();
    let device = post(
        &client,
        format!("{base}/api/v1/outlets/{outlet}/devices"),
        &token,
        fixtures::device(DeviceKind::Kiosk, "Bench"),
    )
    .await?;
    let paired: Value = client
        .post(format!("{base}/api/v1/devices/pair"))
        .json(&fixtures::pairing(device["pairing_code"].as_str().unwrap()))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let device_token = paired["device_token"].as_str().context("device token")?.to_string();

    // Bulk-load the catalogue as the app role, under the tenant's scope.
    let seed = format!(
        "BEGIN;\n\
         SELECT set_config('app.tenant_id', '{tenant}', true), set_config('app.outlet_ids', '*', true);\n\
         INSERT INTO categories (tenant_id, id, name, position, version) \
           SELECT '{tenant}', gen_random_uuid(), 'Category ' || g, g, app.next_catalog_version(1) FROM generate_series(1, 100) g;\n\
         INSERT INTO menu_items (tenant_id, id, category_id, name, description, price_minor, position, modifier_groups, version) \
           SELECT '{tenant}', gen_random_uuid(), c.id, 'Item ' || g, 'A realistic description of a dish', 20000 + g, g, \
                  '[{{\"id\":\"0190a0a0-0000-7000-8000-000000000001\",\"name\":\"Size\",\"min\":1,\"max\":1,\"options\":[{{\"id\":\"0190a0a0-0000-7000-8000-000000000002\",\"name\":\"Regular\",\"price_minor\":0}},{{\"id\":\"0190a0a0-0000-7000-8000-000000000003\",\"name\":\"Large\",\"price_minor\":5000}}]}}]', \
                  app.next_catalog_version(1) \
             FROM generate_series(1, {n_items}) g \
             JOIN LATERAL (SELECT id FROM categories WHERE position = 1 + g % 100 LIMIT 1) c ON true;\n\
         COMMIT;\n"
    );
    let out = Command::new("psql").args(["-X", "-q", "-v", "ON_ERROR_STOP=1", db_url, "-c", &seed]).output()?;
    if !out.status.success() {
        bail!("seeding failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let started = std::time::Instant::now();
    let mut since: Option<String> = None;
    let (mut pages, mut rows, mut bytes) = (0, 0usize, 0usize);
    loop {
        let mut url = format!("{base}/api/v1/sync/pull?outlet_id={outlet}&limit={page}");
        if let Some(s) = &since {
            url.push_str(&format!("&since={s}"));
        }
        let body = client.get(&url).bearer_auth(&device_token).send().await?.error_for_status()?.bytes().await?;
        bytes += body.len();
        let v: Value = serde_json::from_slice(&body)?;
        pages += 1;
        rows += v["changes"].as_array().map_or(0, Vec::len);
        since = v["cursor"].as_str().map(str::to_string);
        if !v["has_more"].as_bool().unwrap_or(false) {
            break;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "full sync/pull of {n_items} items: {rows} rows in {pages} pages of {page}, {:.1} MB, {secs:.2} s ({:.0} rows/s)",
        bytes as f64 / 1e6,
        rows as f64 / secs
    );
    Ok(())
}

/// A brand with an outlet and one simple item: (client, token, tenant, user, outlet, item).
async fn order_shop(base: &str) -> anyhow::Result<(reqwest::Client, String, String, String, String, String)> {
    let (client, token, tenant, user) = bench_brand(base).await?;
    let outlet = post(&client, format!("{base}/api/v1/outlets"), &token, fixtures::outlet("Bench")).await?;
    let cat =
        post(&client, format!("{base}/api/v1/categories"), &token, fixtures::category("Kopi", Some("bar"))).await?;
    let item = post(
        &client,
        format!("{base}/api/v1/menu-items"),
        &token,
        fixtures::item(cat["id"].as_str().context("category id")?.parse()?, "Kopi Susu", 25000),
    )
    .await?;
    let id = |v: &Value| v["id"].as_str().map(str::to_string).context("id");
    Ok((client, token, tenant, user, id(&outlet)?, id(&item)?))
}

async fn orders(a: HashMap<String, String>) -> anyhow::Result<()> {
    // `--outlets 1,16`: the whole measurement at each number of outlets
    // (each request picks one at random).
    let counts: Vec<usize> =
        a.get("outlets").map_or("1", String::as_str).split(',').map(|v| v.trim().parse()).collect::<Result<_, _>>()?;
    for n in counts {
        orders_at(&a, n.max(1)).await?;
    }
    Ok(())
}

/// Vacuums the database before a measurement: otherwise autovacuum works
/// through the rows the last one wrote (thousands of orders and events)
/// while the next one runs, and whichever comes second pays for it.
fn vacuum() -> anyhow::Result<()> {
    let owner = std::env::var("POS_OWNER_DATABASE_URL").context("POS_OWNER_DATABASE_URL")?;
    psql(&owner, "VACUUM ANALYZE").map(drop)
}

/// Turns the reports' rollup writes off (`on == false`) or back on, as the
/// owner (POS_OWNER_DATABASE_URL): the triggers on orders and payments and,
/// when intake writes a new order's rollups itself
/// (`app.rollup_placed_order`), that function (a no-op while off).
struct RollupSwitch {
    owner: String,
    /// The function's definition, to restore it.
    saved: Option<String>,
}

const ROLLUP_FUNCTION: &str = "SELECT p.oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
                               WHERE n.nspname = 'app' AND p.proname = 'rollup_placed_order'";

fn psql(url: &str, sql: &str) -> anyhow::Result<String> {
    let out = Command::new("psql").args(["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", url, "-c", sql]).output()?;
    if !out.status.success() {
        bail!("psql: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}

/// A JSON value the server stored, read under the brand's scope (`sql`
/// selects one jsonb value), as a SQL expression for a pgbench script:
/// base64, so that pgbench sees neither quotes nor `:name` in it.
fn stored_json(db_url: &str, tenant: &str, user: &str, sql: &str) -> anyhow::Result<String> {
    let out = psql(
        db_url,
        &format!(
            "{}; SELECT translate(encode(convert_to(({sql})::text, 'UTF8'), 'base64'), E'\\n', '')",
            owner_scope(tenant, user)
        ),
    )?;
    let b64 = out.lines().last().unwrap_or_default().trim();
    if b64.is_empty() {
        bail!("nothing stored for: {sql}");
    }
    Ok(format!("convert_from(decode('{b64}', 'base64'), 'UTF8')::jsonb"))
}

/// `statement` for a pgbench script: its comments dropped, on one line, and
/// each parameter `$n` replaced by `literals[n - 1]` (a SQL expression).
fn with_literals(statement: &str, literals: &[&str]) -> String {
    let text = statement
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text.as_str();
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let digits = rest[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
        match rest[at + 1..at + 1 + digits].parse::<usize>() {
            Ok(n) if (1..=literals.len()).contains(&n) => {
                out.push('(');
                out.push_str(literals[n - 1]);
                out.push(')');
            }
            _ => out.push_str(&rest[at..at + 1 + digits]),
        }
        rest = &rest[at + 1 + digits..];
    }
    out.push_str(rest);
    out
}

impl RollupSwitch {
    fn set(&mut self, on: bool) -> anyhow::Result<()> {
        let verb = if on { "ENABLE" } else { "DISABLE" };
        psql(
            &self.owner,
            &format!(
                "DO $$ DECLARE t record; BEGIN \
                   FOR t IN SELECT tgrelid::regclass AS tbl, tgname FROM pg_trigger \
                             WHERE tgrelid IN ('orders'::regclass, 'payments'::regclass) AND tgname LIKE '%rollup%' LOOP \
                     EXECUTE format('ALTER TABLE %s {verb} TRIGGER %I', t.tbl, t.tgname); \
                   END LOOP; END $$"
            ),
        )?;
        if !on {
            let def = psql(&self.owner, &format!("SELECT pg_get_functiondef(oid) FROM ({ROLLUP_FUNCTION}) f"))?;
            if def.trim().is_empty() {
                return Ok(());
            }
            self.saved = Some(def);
            psql(
                &self.owner,
                &format!(
                    "DO $$ BEGIN EXECUTE (SELECT format('CREATE OR REPLACE FUNCTION app.rollup_placed_order(%s) \
                       RETURNS void LANGUAGE sql AS ''SELECT 1''', pg_get_function_identity_arguments(oid)) \
                       FROM ({ROLLUP_FUNCTION}) f); END $$"
                ),
            )?;
        } else if let Some(def) = self.saved.take() {
            psql(&self.owner, &def)?;
        }
        Ok(())
    }
}

/// The median of `v` (sorted in place).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

async fn orders_at(a: &HashMap<String, String>, n_outlets: usize) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let db_url = a.get("db-url").context("--db-url")?;
    let conns: u32 = a.get("connections").map_or(Ok(32), |v| v.parse())?;
    let secs: u32 = a.get("seconds").map_or(Ok(15), |v| v.parse())?;
    let (client, token, tenant, user, first, item) = order_shop(&base).await?;
    let mut outlets = vec![first];
    for i in 1..n_outlets {
        let o =
            post(&client, format!("{base}/api/v1/outlets"), &token, fixtures::outlet(&format!("Bench {i}"))).await?;
        outlets.push(o["id"].as_str().context("outlet id")?.to_string());
    }
    let quoted = |q: &str| outlets.iter().map(|o| format!("{q}{o}{q}")).collect::<Vec<_>>().join(",");

    let dir = std::env::temp_dir().join(format!("pos-bench-orders-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    // wrk: every request a fresh client_order_id, at a random outlet.
    let lua = format!(
        r#"math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
local function uuid()
  return string.format("%08x-%04x-4%03x-%04x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0x8000, 0xbfff), math.random(0, 0xffffffffffff))
end
local outlets = {{{list}}}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = '{{"client_order_id":"' .. uuid() .. '","outlet_id":"' .. outlets[math.random(#outlets)] ..
    '","channel":"counter","created_at_client":"' .. os.date("!%Y-%m-%dT%H:%M:%SZ") ..
    '","items":[{{"menu_item_id":"{item}","qty":2}}]}}'
  return wrk.format(nil, nil, nil, body)
end
"#,
        list = quoted("\"")
    );
    let script = dir.join("orders.lua");
    std::fs::write(&script, lua)?;
    let url = format!("{base}/api/v1/orders");
    let wrk = |seconds: u32| -> anyhow::Result<Figures> {
        let out = Command::new("wrk")
            .args(["-t", "2", "-c", &conns.to_string(), "-d", &format!("{seconds}s"), "--latency", "-s"])
            .arg(&script)
            .args(["-H", &format!("Authorization: Bearer {token}")])
            .arg(&url)
            .output()?;
        parse_wrk(&String::from_utf8_lossy(&out.stdout), true)
    };
    wrk(3)?;
    vacuum()?;
    let http = wrk(secs)?;
    // `--compare-rollups R`: R rounds of the same with the reports' rollup
    // writes off and on, alternating ABBA so that a drift in the machine's
    // load (it is shared) falls on both alike; medians are compared.
    let rounds: usize = a.get("compare-rollups").map_or(Ok(0), |v| v.parse())?;
    let mut on = vec![http.rps];
    let mut off = Vec::new();
    if rounds > 0 {
        let owner = std::env::var("POS_OWNER_DATABASE_URL").context("POS_OWNER_DATABASE_URL")?;
        let mut switch = RollupSwitch { owner, saved: None };
        for round in 0..2 * rounds {
            // on was first: off, on, on, off, off, on, ...
            let rollups = round % 4 == 1 || round % 4 == 2;
            if !rollups {
                switch.set(false)?;
            }
            let measured = wrk(secs);
            if !rollups {
                switch.set(true)?;
            }
            if rollups { &mut on } else { &mut off }.push(measured?.rps);
        }
    }

    // `--compare-recipes R`: the same item with a recipe of five stocked
    // ingredients, so every order locks and updates five balance rows of
    // the outlet (its hot rows) and writes its ledger rows; R rounds, the
    // recipe on and off alternately (with, without, without, with, ...),
    // so that neither side runs only later, on a brand with more orders,
    // or only when the shared machine is busier. Medians are compared.
    let recipe_rounds: usize = a.get("compare-recipes").map_or(Ok(0), |v| v.parse())?;
    let mut with_recipes = Vec::new();
    let mut without = vec![http.rps];
    let mut first_with = None;
    if recipe_rounds > 0 {
        let recipe = stock_recipe(&client, &base, &token, &outlets, 5).await?;
        for round in 0..2 * recipe_rounds {
            let on = round % 4 == 0 || round % 4 == 3;
            set_recipe(&client, &base, &token, &item, if on { &recipe } else { &[] }).await?;
            wrk(3)?;
            let measured = wrk(secs)?;
            if on {
                with_recipes.push(measured.rps);
                first_with.get_or_insert(measured);
            } else {
                without.push(measured.rps);
            }
        }
    }

    // pgbench: the statements the server runs for one new order with the
    // owner's principal cached (scope set from memory; same lock, reads, the
    // rollups when intake writes them, the server's own statement for
    // counter + order + tickets + stock, then its own statement for both
    // events), each transaction a new order. The data are what the server
    // stored for one of the orders above (its lines, its two events' payloads
    // with the new order's id, so the event log finds that order as it does
    // for the server's), so every statement handles the same sizes.
    let outlet = format!("(ARRAY[{}]::uuid[])[:o]", quoted("'"));
    let stored = |sql: &str| stored_json(db_url, &tenant, &user, sql);
    let lines = stored("SELECT lines FROM orders ORDER BY created_at DESC LIMIT 1")?;
    let order_event = stored("SELECT data FROM outlet_events WHERE kind = 'order.created' ORDER BY seq DESC LIMIT 1")?;
    let ticket_event =
        stored("SELECT data FROM outlet_events WHERE kind = 'ticket.created' ORDER BY seq DESC LIMIT 1")?;
    let order_id = "md5(:k::text || 'order')::uuid";
    let client_order_id = "md5(:k::text || 'client')::uuid";
    let insert = with_literals(
        pos_backend::orders::intake::insert_order_statement(),
        &[
            &format!("'{tenant}'::uuid"),
            order_id,
            &outlet,
            client_order_id,
            "'\\x00'::bytea",
            "NULL::text",
            "current_date",
            "'counter'::text",
            "NULL::text",
            "NULL::text",
            &lines,
            "50000::int8",
            "0::int8",
            "5500::int8",
            "55500::int8",
            "'IDR'::text",
            "'{}'::text[]",
            "NULL::uuid",
            &format!("'{user}'::uuid"),
            "now()",
            &format!(
                "jsonb_build_array(jsonb_build_object('id', gen_random_uuid(), 'station', 'bar', 'lines', {lines}))"
            ),
            "true",
            "NULL::uuid",
            "NULL::int4",
            "gen_random_uuid()",
            "'{0}'::int8[]",
            "ARRAY[gen_random_uuid()]",
            &format!("ARRAY['{item}'::uuid]"),
            "ARRAY['00000000-0000-0000-0000-000000000000'::uuid]",
            "'{2}'::int8[]",
        ],
    );
    let events = with_literals(
        pos_backend::db::APPEND_EVENTS,
        &[
            &outlet,
            &format!(
                "jsonb_build_array(\
                   jsonb_build_object('kind', 'order.created', 'data', jsonb_set({order_event}, '{{id}}', to_jsonb({order_id}))), \
                   jsonb_build_object('kind', 'ticket.created', 'data', \
                     jsonb_set({ticket_event}, '{{order_id}}', to_jsonb({order_id}))))"
            ),
        ],
    );
    let intake_call = if psql(db_url, &format!("SELECT count(*) FROM ({ROLLUP_FUNCTION}) f"))?.trim() == "1" {
        format!("SELECT app.rollup_placed_order({order_id}, {outlet}, 'counter', 50000, 5500, 0, {lines});\n")
    } else {
        String::new()
    };
    let scope = owner_scope(&tenant, &user);
    let script = |rollups: &str| {
        format!(
            "BEGIN;\n\
         {scope};\n\
         \\set k random(1, 2000000000)\n\
         \\set o random(1, {n_outlets})\n\
         SELECT pg_advisory_xact_lock(hashtextextended(:k::text, 0));\n\
         SELECT id FROM orders WHERE client_order_id = {client_order_id};\n\
         SELECT o.is_open, o.tax_rate_bp, o.service_charge_bp, o.timezone, t.currency::text, (now() AT TIME ZONE o.timezone)::date FROM outlets o JOIN tenants t ON t.id = o.tenant_id WHERE o.id = {outlet} AND o.archived_at IS NULL;\n\
         SELECT i.id, i.name, coalesce(o.price_minor, i.price_minor), (o.available IS DISTINCT FROM false OR o.unavailable_until <= now()) IS TRUE, i.deleted_at IS NOT NULL, i.modifier_groups, c.station FROM menu_items i JOIN categories c ON c.tenant_id = i.tenant_id AND c.id = i.category_id LEFT JOIN outlet_item_overrides o ON o.tenant_id = i.tenant_id AND o.outlet_id = {outlet} AND o.item_id = i.id AND o.deleted_at IS NULL WHERE i.id = ANY(ARRAY['{item}'::uuid]);\n\
         {rollups}\
         {insert};\n\
         {events};\n\
         COMMIT;\n"
        )
    };
    let pgbench = |name: &str, rollups: &str| -> anyhow::Result<Figures> {
        let file = dir.join(format!("orders-{name}.sql"));
        std::fs::write(&file, script(rollups))?;
        run_pgbench_file(db_url, &file, conns, secs)
    };
    vacuum()?;
    let pg = pgbench("server", &intake_call)?;
    // With `--compare-rollups` and intake's own call: the same SQL with the
    // rollups written by intake before the number is taken, by the insert
    // trigger inside the numbering statement (0017's way), and not at all,
    // rotating so that each sees the machine's load alike.
    let mut sql_ways: [(&str, Vec<f64>); 3] = [
        ("rollups by intake, before the number", Vec::new()),
        ("rollups by the insert trigger (0017)", Vec::new()),
        ("no rollup writes", Vec::new()),
    ];
    if rounds > 0 && !intake_call.is_empty() {
        let owner = std::env::var("POS_OWNER_DATABASE_URL").context("POS_OWNER_DATABASE_URL")?;
        let mut switch = RollupSwitch { owner, saved: None };
        for round in 0..rounds {
            for i in 0..3 {
                let way = (round + i) % 3;
                let measured = match way {
                    0 => pgbench("intake", &intake_call),
                    1 => pgbench("trigger", ""),
                    _ => {
                        switch.set(false)?;
                        let measured = pgbench("none", "");
                        switch.set(true)?;
                        measured
                    }
                };
                sql_ways[way].1.push(measured?.rps);
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();

    println!("POST /api/v1/orders (1 line) at {n_outlets} outlet(s), {conns} connections, {secs} s each, same machine");
    println!("{:<28} {:>12} {:>10} {:>10}", "", "requests/s", "p50 ms", "p99 ms");
    print_row("HTTP (wrk)", &http);
    if !off.is_empty() {
        let (with, without) = (median(&mut on), median(&mut off));
        let list = |v: &[f64]| v.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(" ");
        println!("HTTP with rollup writes, req/s: median {with:.0} of [{}]", list(&on));
        println!("HTTP, no rollup writes, req/s:  median {without:.0} of [{}]", list(&off));
        println!("rollup cost: {:.1} % of create-order throughput (medians)", 100.0 * (1.0 - with / without));
    }
    if let Some(first_with) = &first_with {
        print_row("HTTP, 5-ingredient recipe", first_with);
        let list = |v: &[f64]| v.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(" ");
        let (with, plain) = (median(&mut with_recipes.clone()), median(&mut without.clone()));
        println!("HTTP without recipes, req/s: median {plain:.0} of [{}]", list(&without));
        println!("HTTP, 5-ingredient recipe, req/s: median {with:.0} of [{}]", list(&with_recipes));
        println!("recipe cost: {:.1} % of create-order throughput (medians)", 100.0 * (1.0 - with / plain));
    }
    print_row("same SQL (pgbench)", &pg);
    println!("ratio HTTP/pgbench throughput: {:.2}", http.rps / pg.rps);
    if !sql_ways[2].1.is_empty() {
        let none = median(&mut sql_ways[2].1.clone());
        for (name, tps) in &mut sql_ways {
            let m = median(tps);
            let list = tps.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(" ");
            println!("pgbench, {name:<38} tps: median {m:.0} of [{list}], cost {:.1} %", 100.0 * (1.0 - m / none));
        }
    }
    Ok(())
}

/// A recipe of `n` new ingredients, each received in plenty at every outlet.
async fn stock_recipe(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    outlets: &[String],
    n: usize,
) -> anyhow::Result<Vec<Value>> {
    let mut lines = Vec::with_capacity(n);
    for i in 0..n {
        let body = json!({"name": format!("Bahan {i}"), "unit": "g", "cost_per_unit_minor": 10});
        let ingredient = post(client, format!("{base}/api/v1/ingredients"), token, body).await?;
        let id = ingredient["id"].as_str().context("ingredient id")?.to_string();
        for outlet in outlets {
            let receive = json!({"client_movement_id": uuid::Uuid::now_v7(), "ingredient_id": id, "kind": "receive",
                                 "qty": 900_000_000});
            post(client, format!("{base}/api/v1/outlets/{outlet}/stock-movements"), token, receive).await?;
        }
        lines.push(json!({"ingredient_id": id, "qty": 1 + i}));
    }
    Ok(lines)
}

/// Replaces `item`'s recipe with `lines` (none: no recipe).
async fn set_recipe(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    item: &str,
    lines: &[Value],
) -> anyhow::Result<()> {
    client
        .put(format!("{base}/api/v1/menu-items/{item}/recipe"))
        .bearer_auth(token)
        .json(&json!({ "lines": lines }))
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

/// One pass of [`pos_backend::auth::stream_guard::StreamGuard::recheck`] over
/// `streams` open streams (half staff tokens, half devices) of `tenants` brands.
async fn stream_check(a: HashMap<String, String>) -> anyhow::Result<()> {
    use pos_backend::{
        auth::stream_guard::{Credential, StreamGuard},
        db::{Db, OutletScope, PrincipalId},
    };
    let db_url = a.get("db-url").context("--db-url")?;
    let streams: usize = a.get("streams").map_or(Ok(10_000), |v| v.parse())?;
    let tenants: usize = a.get("tenants").map_or(Ok(500), |v| v.parse())?.max(1);
    let per_tenant = streams.div_ceil(tenants);
    let db = Db::connect(db_url, 8).await?;
    let guard = std::sync::Arc::new(StreamGuard::default());
    let mut leases = Vec::with_capacity(streams);
    let mut devices = Vec::new();
    let ends_at = Some(chrono::Utc::now() + chrono::Duration::hours(1));
    for _ in 0..tenants {
        let (tenant, outlet, user) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let tx = db.begin_scoped(tenant, OutletScope::All, PrincipalId::System).await?;
        tx.execute("INSERT INTO tenants (id, name) VALUES ($1, 'Bench streams')", [tenant.into()]).await?;
        tx.execute(
            "INSERT INTO outlets (tenant_id, id, name) VALUES ($1, $2, 'Outlet')",
            [tenant.into(), outlet.into()],
        )
        .await?;
        tx.execute(
            "INSERT INTO users (tenant_id, id, email, name, password_hash, role) \
             VALUES ($1, $2, 'bench@bench.example', 'Bench', 'x', 'owner')",
            [tenant.into(), user.into()],
        )
        .await?;
        let staff = tx
            .query_raw(
                "INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, token_hash, expires_at) \
                 SELECT $1, gen_random_uuid(), gen_random_uuid(), $2, decode(md5(random()::text || g), 'hex'), \
                        now() + interval '1 day' FROM generate_series(1, $3) g RETURNING id",
                [tenant.into(), user.into(), ((per_tenant / 2) as i32).into()],
            )
            .await?;
        let kds = tx
            .query_raw(
                "INSERT INTO devices (tenant_id, id, outlet_id, kind, name, paired_at) \
                 SELECT $1, gen_random_uuid(), $2, 'kds', 'Bench', now() \
                   FROM generate_series(1, $3) RETURNING id",
                [tenant.into(), outlet.into(), ((per_tenant - per_tenant / 2) as i32).into()],
            )
            .await?;
        tx.commit().await?;
        for session_id in pos_backend::db::rows::<uuid::Uuid>(&staff, "id")? {
            leases.push(guard.watch(tenant, outlet, Credential::Staff { user_id: user, session_id }, ends_at));
        }
        for device_id in pos_backend::db::rows::<uuid::Uuid>(&kds, "id")? {
            leases.push(guard.watch(tenant, outlet, Credential::Device { device_id }, ends_at));
            devices.push((tenant, device_id));
        }
    }
    let mut ms = Vec::new();
    for _ in 0..7 {
        let started = std::time::Instant::now();
        let ended = guard.recheck(&db).await?;
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if ended != 0 {
            bail!("{ended} valid streams were ended");
        }
    }
    // The check does find a revoked one.
    let (tenant, device) = devices[devices.len() / 2];
    let tx = db.begin_scoped(tenant, OutletScope::All, PrincipalId::System).await?;
    tx.execute("UPDATE devices SET revoked_at = now() WHERE id = $1", [device.into()]).await?;
    tx.commit().await?;
    let ended = guard.recheck(&db).await?;
    ms.sort_by(f64::total_cmp);
    println!(
        "stream credential check: {} open streams of {tenants} brands, one query per pass: \
         median {:.1} ms, fastest {:.1} ms, slowest {:.1} ms (7 passes); a revoked device found: {}",
        guard.open_count(),
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1],
        ended == 1
    );
    drop(leases);
    Ok(())
}

/// A kiosk paired at `outlet`: its device token.
async fn bench_kiosk(client: &reqwest::Client, base: &str, token: &str, outlet: &str) -> anyhow::Result<String> {
    let device = post(
        client,
        format!("{base}/api/v1/outlets/{outlet}/devices"),
        token,
        fixtures::device(DeviceKind::Kiosk, "Bench kiosk"),
    )
    .await?;
    let code = device["pairing_code"].as_str().context("pairing code")?;
    let paired: Value = client
        .post(format!("{base}/api/v1/devices/pair"))
        .json(&fixtures::pairing(code))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    paired["device_token"].as_str().map(str::to_string).context("device token")
}

async fn qris_paid(a: HashMap<String, String>) -> anyhow::Result<()> {
    use pos_backend::payments::gateway::midtrans::signature;
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let key = a.get("gateway-key").context("--gateway-key (the stand-in's server key)")?.clone();
    let rounds: usize = a.get("payments").map_or(Ok(50), |v| v.parse())?;
    let (client, token, _, _, outlet, item) = order_shop(&base).await?;
    let kiosk = bench_kiosk(&client, &base, &token, &outlet).await?;

    // The kiosk's stream: (payment id, status) as each payment.updated arrives.
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(String, String, std::time::Instant)>();
    let res = client.get(format!("{base}/api/v1/outlets/{outlet}/events")).bearer_auth(&kiosk).send().await?;
    tokio::spawn(async move {
        let mut events = res.bytes_stream().eventsource();
        while let Some(Ok(event)) = events.next().await {
            let now = std::time::Instant::now();
            if event.event == "payment.updated" {
                let data: Value = serde_json::from_str(&event.data).unwrap_or_default();
                let (id, status) = (data["payment"]["id"].as_str(), data["payment"]["status"].as_str());
                let _ = tx.send((id.unwrap_or("").into(), status.unwrap_or("").into(), now));
            }
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let (mut to_kiosk, mut webhook) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
    for _ in 0..rounds {
        let body = fixtures::kiosk_order(outlet.parse()?, vec![fixtures::line(item.parse()?, 1)]);
        let order = post(&client, format!("{base}/api/v1/orders"), &kiosk, body).await?;
        let (order_id, total) =
            (order["id"].as_str().context("order id")?, order["total_minor"].as_i64().context("total")?);
        let qris = json!({"client_payment_id": uuid::Uuid::now_v7(), "method": "qris", "amount_minor": total});
        let payment = post(&client, format!("{base}/api/v1/orders/{order_id}/payments"), &kiosk, qris).await?;
        let payment_id = payment["id"].as_str().context("payment id")?.to_string();
        let gateway_order_id = format!("pay-{payment_id}");
        let gross = format!("{total}.00");
        let notification = json!({
            "transaction_status": "settlement", "status_code": "200", "order_id": gateway_order_id,
            "gross_amount": gross, "payment_type": "qris", "currency": "IDR", "fraud_status": "accept",
            "transaction_id": payment["gateway_ref"],
            "signature_key": signature(&gateway_order_id, "200", &gross, &key),
        });
        let sent = std::time::Instant::now();
        client
            .post(format!("{base}/api/v1/payments/webhooks/midtrans"))
            .json(&notification)
            .send()
            .await?
            .error_for_status()?;
        webhook.push(sent.elapsed().as_secs_f64() * 1000.0);
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((id, status, at))) if id == payment_id && status == "paid" => {
                    to_kiosk.push(at.saturating_duration_since(sent).as_secs_f64() * 1000.0);
                    break;
                }
                Ok(Some(_)) => {}
                _ => bail!("the kiosk never saw payment {payment_id} paid"),
            }
        }
    }
    let pct = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[((v.len() as f64 - 1.0) * p).round() as usize]
    };
    println!("QRIS paid: gateway notification -> the kiosk's stream shows the payment paid ({rounds} payments)");
    println!(
        "  p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; the webhook itself answered in p50 {:.2} ms, p99 {:.2} ms",
        pct(&mut to_kiosk, 0.5),
        pct(&mut to_kiosk, 0.99),
        pct(&mut to_kiosk, 1.0),
        pct(&mut webhook, 0.5),
        pct(&mut webhook, 0.99),
    );
    Ok(())
}
