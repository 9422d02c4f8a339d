//! `pos-bench reports`: loads `--orders` orders (default 1,000,000, with a
//! payment and a bumped kitchen ticket each) into one brand of `--outlets`
//! outlets (default 10), spread over 2026, through SQL as the server's role
//! (so the rollup triggers run as they do for real orders), then times the
//! reports API: one outlet's month and the whole brand's month, by day, by
//! item and the summary, before and after the rollups' compaction.

use std::{collections::HashMap, process::Command, time::Instant};

use anyhow::{Context, bail};
use serde_json::Value;

use super::{bench_brand, post};

/// Orders per seeding transaction.
const BATCH: u64 = 50_000;

pub async fn reports(a: HashMap<String, String>) -> anyhow::Result<()> {
    let base = a.get("base").context("--base")?.trim_end_matches('/').to_string();
    let db_url = a.get("db-url").context("--db-url")?;
    let total: u64 = a.get("orders").map_or(Ok(1_000_000), |v| v.parse())?;
    let n_outlets: usize = a.get("outlets").map_or(Ok(10), |v| v.parse())?;
    let runs: usize = a.get("runs").map_or(Ok(20), |v| v.parse())?;
    let (client, token, tenant, _) = bench_brand(&base).await?;
    let owner_email: String = {
        let me: Value = client.get(format!("{base}/api/v1/users")).bearer_auth(&token).send().await?.json().await?;
        me["items"][0]["email"].as_str().context("the owner's email")?.to_string()
    };
    let mut outlets = Vec::new();
    for i in 0..n_outlets {
        let o = post(
            &client,
            format!("{base}/api/v1/outlets"),
            &token,
            pos_tests::fixtures::outlet(&format!("Outlet {i}")),
        )
        .await?;
        outlets.push(o["id"].as_str().context("outlet id")?.to_string());
    }

    let started = Instant::now();
    let mut done = 0;
    while done < total {
        let n = BATCH.min(total - done);
        psql(db_url, &seed_sql(&tenant, &outlets, done, n, total))?;
        done += n;
        eprint!("\rseeded {done} orders");
    }
    eprintln!();
    let seeded = started.elapsed();
    let rows = psql_value(
        db_url,
        &format!(
            "BEGIN; SELECT set_config('app.tenant_id', '{tenant}', true), set_config('app.outlet_ids', '*', true) \\g /dev/null\n\
             SELECT (SELECT count(*) FROM sales_rollup) || ' sales, ' || (SELECT count(*) FROM item_rollup) || ' item, ' \
                    || (SELECT count(*) FROM payment_rollup) || ' payment rollup rows'; COMMIT;"
        ),
    )?;
    println!("seeded {total} orders ({n_outlets} outlets, 2026) in {:.1} s; {rows}", seeded.as_secs_f64());

    // Seeding outlives an access token: sign in again.
    let login: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&pos_tests::fixtures::login(&owner_email, "bench-password"))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = login["access_token"].as_str().context("access token")?.to_string();
    let outlet = &outlets[0];
    let month = "from=2026-11-01&to=2026-11-30";
    let cases = [
        ("outlet month, by day", format!("/api/v1/reports/sales?outlet_id={outlet}&{month}&group_by=day")),
        ("outlet month, by item", format!("/api/v1/reports/sales?outlet_id={outlet}&{month}&group_by=item")),
        ("outlet month, summary", format!("/api/v1/reports/summary?outlet_id={outlet}&{month}")),
        ("outlet month, kitchen", format!("/api/v1/reports/kitchen?outlet_id={outlet}&{month}")),
        ("brand month, by day", format!("/api/v1/reports/sales?{month}&group_by=day")),
        ("brand month, by outlet", format!("/api/v1/reports/sales?{month}&group_by=outlet")),
        ("brand month, by item", format!("/api/v1/reports/sales?{month}&group_by=item")),
        ("brand month, summary", format!("/api/v1/reports/summary?{month}")),
        ("brand month, kitchen", format!("/api/v1/reports/kitchen?{month}")),
        ("brand year, by day", "/api/v1/reports/sales?from=2026-01-01&to=2026-12-31&group_by=day".to_string()),
    ];
    let check: Value = client
        .get(format!("{base}{}", cases[4].1))
        .bearer_auth(&token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    println!("brand, November: {} orders, net {}", check["totals"]["orders"], check["totals"]["net_minor"]);

    for phase in ["deltas as written", "after compaction"] {
        if phase == "after compaction" {
            let t = Instant::now();
            let folded = psql_value(db_url, "SELECT app.compact_sales_rollups();")?;
            println!("\ncompaction folded {folded} rows in {:.1} s", t.elapsed().as_secs_f64());
            psql(db_url, "ANALYZE sales_rollup; ANALYZE item_rollup; ANALYZE payment_rollup;").ok();
        }
        println!("\nGET, {runs} runs each ({phase}), one connection, same machine");
        println!("{:<28} {:>10} {:>10} {:>10}", "", "p50 ms", "p95 ms", "max ms");
        for (label, path) in &cases {
            let mut ms = Vec::with_capacity(runs);
            for _ in 0..runs + 2 {
                let t = Instant::now();
                let res = client.get(format!("{base}{path}")).bearer_auth(&token).send().await?;
                if !res.status().is_success() {
                    bail!("{path}: {}", res.status());
                }
                res.bytes().await?;
                ms.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            let mut ms = ms.split_off(2); // warm-up
            ms.sort_by(|a, b| a.total_cmp(b));
            let pct = |p: f64| ms[((ms.len() as f64 - 1.0) * p).round() as usize];
            println!("{label:<28} {:>10.1} {:>10.1} {:>10.1}", pct(0.5), pct(0.95), ms[ms.len() - 1]);
        }
    }
    Ok(())
}

/// One transaction of `n` orders from number `from` of `total`, spread
/// evenly over 2026 (Jakarta time): 1 to 3 of one of 20 items, every third
/// with a paid option; paid in cash or by card; one kitchen ticket, ready
/// 3 to 12 minutes after the order.
fn seed_sql(tenant: &str, outlets: &[String], from: u64, n: u64, total: u64) -> String {
    let outlets = outlets.iter().map(|o| format!("'{o}'::uuid")).collect::<Vec<_>>().join(",");
    format!(
        "BEGIN;
SELECT set_config('app.tenant_id', '{tenant}', true), set_config('app.outlet_ids', '*', true) \\g /dev/null
WITH g AS (
  SELECT g, (ARRAY[{outlets}])[1 + g % {n_outlets}] AS outlet,
         timestamptz '2026-01-01 00:00:00+07' + (g::float8 / {total} * 365) * interval '1 day' AS at,
         1 + g % 20 AS item, 1 + (g / 7) % 3 AS qty, g % 3 = 0 AS extra
    FROM generate_series({from}, {last}) g
), l AS (
  SELECT g.*, 10000 + item * 1000 AS price,
         (10000 + item * 1000 + CASE WHEN extra THEN 5000 ELSE 0 END) * qty AS subtotal
    FROM g
), o AS (
  INSERT INTO orders (tenant_id, id, outlet_id, client_order_id, payload_hash, number, business_date, status, channel,
                      lines, subtotal_minor, service_charge_minor, tax_minor, total_minor, currency, created_at_client,
                      created_at, updated_at, payment_status, paid_minor, paid_at)
  SELECT '{tenant}', gen_random_uuid(), outlet, gen_random_uuid(), '\\x00', 'b' || g, (at AT TIME ZONE 'Asia/Jakarta')::date,
         'completed', (ARRAY['kiosk', 'counter', 'table'])[1 + g % 3],
         jsonb_build_array(jsonb_build_object(
           'line_id', gen_random_uuid(), 'menu_item_id', md5('item' || item)::uuid, 'name', 'Item ' || item, 'qty', qty,
           'unit_price_minor', subtotal / qty, 'line_total_minor', subtotal, 'discount_minor', 0, 'note', NULL,
           'station', 'kitchen',
           'modifiers', CASE WHEN extra THEN jsonb_build_array(jsonb_build_object(
             'option_id', md5('extra')::uuid, 'group', 'Tambahan', 'name', 'Extra shot', 'price_minor', 5000))
             ELSE '[]'::jsonb END)),
         subtotal, 0, subtotal / 10, subtotal + subtotal / 10, 'IDR', at, at, at, 'paid', subtotal + subtotal / 10, at
    FROM l
  RETURNING tenant_id, id, outlet_id, total_minor, created_at
), p AS (
  INSERT INTO payments (tenant_id, id, outlet_id, order_id, client_payment_id, payload_hash, method, status, amount_minor,
                        card_approval_code, created_at, updated_at, paid_at)
  SELECT tenant_id, gen_random_uuid(), outlet_id, id, gen_random_uuid(), '\\x00',
         CASE WHEN total_minor % 2 = 0 THEN 'cash' ELSE 'card' END, 'paid', total_minor,
         CASE WHEN total_minor % 2 = 0 THEN NULL ELSE 'A1' END, created_at, created_at, created_at
    FROM o
)
INSERT INTO tickets (tenant_id, id, order_id, outlet_id, station, status, lines, created_at, bumped_at)
SELECT tenant_id, gen_random_uuid(), id, outlet_id, 'kitchen', 'bumped', '[]', created_at,
       created_at + (180 + (total_minor % 540)) * interval '1 second'
  FROM o;
COMMIT;
",
        n_outlets = outlets.split(',').count(),
        last = from + n - 1,
    )
}

/// Runs `sql` through psql's standard input (so `\g` works), as the role of `db_url`.
fn psql_output(db_url: &str, sql: &str) -> anyhow::Result<String> {
    use std::io::Write;
    let mut child = Command::new("psql")
        .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", db_url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    child.stdin.take().context("psql stdin")?.write_all(sql.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("psql: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn psql(db_url: &str, sql: &str) -> anyhow::Result<()> {
    psql_output(db_url, sql).map(|_| ())
}

fn psql_value(db_url: &str, sql: &str) -> anyhow::Result<String> {
    psql_output(db_url, sql)
}
