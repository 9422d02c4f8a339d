//! Backups restored: WAL archived by `docker/backup/pos-wal-archive`, a base
//! backup taken by `pos-backup base`, more orders written, and
//! `pos-restore` bringing a new cluster to a moment between two batches of
//! orders. The restored brand has exactly the orders committed before that
//! moment (those from before the base backup included), none after.

use std::{
    collections::BTreeSet,
    process::Command,
    time::{Duration, Instant},
};

use pos_backend::config::Secret;
use pos_tests::{TestApp, free_port, menu_item, order_body};
use serde_json::{Value, json};
use uuid::Uuid;

use pos_cluster_tests::{PgNode, REPO, as_postgres, postgres_scratch, run};

/// Places `n` orders from `template`; their client ids.
async fn orders(app: &TestApp, token: &str, template: &Value, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let mut order = template.clone();
        let id = Uuid::now_v7().to_string();
        order["client_order_id"] = json!(id);
        app.post("/api/v1/orders", Some(token), order).await.expect(201);
        ids.push(id);
    }
    ids
}

#[tokio::test]
async fn a_point_in_time_restore_has_exactly_the_orders_committed_before_it() {
    let backups = postgres_scratch("backups");
    let wal = backups.path("wal");
    as_postgres(&mut Command::new("mkdir")).arg(&wal).status().unwrap();
    let primary = PgNode::primary(&format!(
        "archive_mode = on\narchive_command = '{REPO}/docker/backup/pos-wal-archive %p %f {}'\n",
        wal.display()
    ))
    .await;
    let app = TestApp::spawn_with(|s| {
        s.database_url = Secret::new(primary.app_url());
        s.redis_url = None;
    })
    .await;
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    let item = menu_item(&app, &t.token, "Kopi").await;
    let template = serde_json::to_value(order_body(&app, &t.token, outlet, item, 1).await).unwrap();

    let before_backup = orders(&app, &t.token, &template, 5).await;
    let taken = Instant::now();
    let out = run(as_postgres(&mut Command::new(format!("{REPO}/docker/backup/pos-backup")))
        .args(["base", "--dir", backups.0.to_str().unwrap()])
        .env("PGHOST", &primary.data)
        .env("PGPORT", primary.port.to_string())
        .env("PGUSER", "postgres"));
    println!("base backup {} in {:?}", out.trim(), taken.elapsed());
    let first = orders(&app, &t.token, &template, 10).await;
    let target = primary.psql("postgres", "SELECT clock_timestamp()");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let second = orders(&app, &t.token, &template, 10).await;
    // Archive the WAL holding the second batch (archive_timeout does this in production).
    let segment = primary.psql("postgres", "SELECT pg_walfile_name(pg_switch_wal())");
    let archived =
        pos_fault_tests::eventually(Duration::from_secs(20), async || wal.join(format!("{segment}.gz")).exists()).await;
    assert!(archived, "WAL segment {segment} reached the archive:\n{}", primary.log());

    // Restore into a new cluster, to the moment between the batches.
    let restored_dir = postgres_scratch("restored");
    let port = free_port();
    let started = Instant::now();
    run(Command::new(format!("{REPO}/docker/backup/pos-restore"))
        .args(["--dir", backups.0.to_str().unwrap()])
        .args(["--data", restored_dir.path("pgdata").to_str().unwrap()])
        .args(["--target-time", &target, "--port", &port.to_string(), "--start", "--timeout", "120"]));
    let restored = PgNode::adopt(restored_dir, "pgdata", port);
    println!("restored to {target} in {:?}", started.elapsed());
    assert!(!restored.in_recovery(), "the restored cluster was promoted");

    let sql = format!("SELECT client_order_id FROM orders WHERE tenant_id = '{}' ORDER BY 1", t.tenant_id);
    let found: BTreeSet<String> = restored.psql("pos", &sql).lines().map(str::to_string).collect();
    let expected: BTreeSet<String> = before_backup.iter().chain(&first).cloned().collect();
    let late: Vec<&String> = second.iter().filter(|id| found.contains(*id)).collect();
    assert!(late.is_empty(), "nothing committed after the target: {late:?}");
    assert_eq!(found, expected, "exactly the orders committed before the target");
    // The restored database serves: the app role signs in and sees its brand through RLS.
    let scope =
        format!("SELECT set_config('app.tenant_id', '{}', true), set_config('app.outlet_ids', '*', true)", t.tenant_id);
    let as_app = Command::new("psql")
        .args(["-X", "-At", "-c", "BEGIN", "-c", &scope, "-c", "SELECT count(*) FROM orders", "-c", "COMMIT"])
        .arg(format!("postgres://pos_app:{}@127.0.0.1:{port}/pos", pos_cluster_tests::APP_PW))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&as_app.stdout);
    assert!(stdout.lines().any(|l| l.trim() == "15"), "{stdout}{}", String::from_utf8_lossy(&as_app.stderr));

    // Retention: with a second backup, pruning to one removes the first and
    // the WAL only it needed; what is left is reported healthy.
    let tool = |args: &[&str]| {
        run(as_postgres(&mut Command::new(format!("{REPO}/docker/backup/pos-backup")))
            .args(args)
            .args(["--dir", backups.0.to_str().unwrap()])
            .env("PGHOST", &primary.data)
            .env("PGPORT", primary.port.to_string())
            .env("PGUSER", "postgres"))
    };
    let second_base = tool(&["base"]).trim().to_string();
    let segments = || -> BTreeSet<String> {
        std::fs::read_dir(&wal).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    };
    let before_prune = segments();
    tool(&["prune", "--keep-days", "0", "--keep-min", "1"]);
    let left: Vec<String> =
        std::fs::read_dir(backups.path("base")).unwrap().map(|e| e.unwrap().path().display().to_string()).collect();
    assert_eq!(left, std::slice::from_ref(&second_base), "only the newest base backup is kept");
    let start_wal = std::fs::read_to_string(format!("{second_base}/start-wal")).unwrap().trim().to_string();
    let after_prune = segments();
    assert!(after_prune.len() < before_prune.len(), "old WAL went");
    assert!(
        after_prune.iter().filter(|f| f.len() == 27).all(|f| f[..24] >= *start_wal),
        "no WAL older than the kept backup's start ({start_wal}) is left: {after_prune:?}"
    );
    assert!(after_prune.contains(&format!("{start_wal}.gz")) || after_prune.iter().any(|f| f[..24] > *start_wal));
    println!("{}", tool(&["status"]).trim());
}
