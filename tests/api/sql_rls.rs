//! Row-level security at the SQL level, as the server's own database role.

use pos_tests::{TestApp, fixtures, scope_to};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, TransactionTrait};
use uuid::Uuid;

async fn app_role(max: u32) -> DatabaseConnection {
    let mut opts = ConnectOptions::new(std::env::var("POS_DATABASE_URL").expect("POS_DATABASE_URL"));
    opts.max_connections(max).min_connections(1).sqlx_logging(false);
    Database::connect(opts).await.unwrap()
}

fn sql(s: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, s.to_string())
}

async fn count<C: ConnectionTrait>(c: &C, query: &str) -> i64 {
    let row = c.query_one_raw(sql(query)).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn tenant_tables(c: &DatabaseConnection) -> Vec<String> {
    c.query_all_raw(sql("SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'seaql_migrations' ORDER BY 1"))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// Tables only the database's own triggers write: the app role may not even try.
/// (The gateway's notification log is written through a definer function only.)
const READ_ONLY: [&str; 3] = ["item_price_history", "outlet_price_history", "gateway_notifications"];

/// An insert refused as it must be: by row-level security, or by privileges
/// for the tables the app role only reads.
fn refused_as_expected(table: &str, err: &str) -> bool {
    err.contains("row-level security") || (READ_ONLY.contains(&table) && err.contains("permission denied"))
}

/// One valid-looking row per table, owned by `tenant`.
fn insert_for(table: &str, tenant: Uuid) -> String {
    let id = Uuid::now_v7();
    match table {
        "tenants" => format!("INSERT INTO tenants (id, name) VALUES ('{tenant}', 'X')"),
        "outlets" => {
            format!("INSERT INTO outlets (tenant_id, id, name) VALUES ('{tenant}', '{id}', 'X')")
        }
        "users" => format!(
            "INSERT INTO users (tenant_id, id, email, name, password_hash, role) VALUES ('{tenant}', '{id}', 'x@y.z', 'X', 'h', 'owner')"
        ),
        "user_outlets" => {
            format!("INSERT INTO user_outlets (tenant_id, user_id, outlet_id) VALUES ('{tenant}', '{id}', '{id}')")
        }
        "refresh_tokens" => format!(
            "INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, token_hash, expires_at) VALUES ('{tenant}', '{id}', '{id}', '{id}', '\\x00', now())"
        ),
        "devices" => format!(
            "INSERT INTO devices (tenant_id, id, outlet_id, kind, name) VALUES ('{tenant}', '{id}', '{id}', 'kiosk', 'X')"
        ),
        "admin_sessions" => format!(
            "INSERT INTO admin_sessions (tenant_id, id, user_id, token_hash, csrf_token, expires_at) VALUES ('{tenant}', '{id}', '{id}', '\\x00', 'x', now())"
        ),
        "catalog_versions" => {
            format!("INSERT INTO catalog_versions (tenant_id, version) VALUES ('{tenant}', 1)")
        }
        "categories" => {
            format!("INSERT INTO categories (tenant_id, id, name, version) VALUES ('{tenant}', '{id}', 'X', 1)")
        }
        "menu_items" => format!(
            "INSERT INTO menu_items (tenant_id, id, category_id, name, price_minor, version) VALUES ('{tenant}', '{id}', '{id}', 'X', 1, 1)"
        ),
        "outlet_item_overrides" => format!(
            "INSERT INTO outlet_item_overrides (tenant_id, outlet_id, item_id, version) VALUES ('{tenant}', '{id}', '{id}', 1)"
        ),
        "outlet_event_seq" => {
            format!("INSERT INTO outlet_event_seq (tenant_id, outlet_id) VALUES ('{tenant}', '{id}')")
        }
        "outlet_events" => format!(
            "INSERT INTO outlet_events (tenant_id, outlet_id, seq, kind, data) VALUES ('{tenant}', '{id}', 1, 'x', '{{}}')"
        ),
        "order_counters" => format!(
            "INSERT INTO order_counters (tenant_id, outlet_id, business_date) VALUES ('{tenant}', '{id}', current_date)"
        ),
        "orders" => format!(
            "INSERT INTO orders (tenant_id, id, outlet_id, client_order_id, payload_hash, number, business_date, status, channel, \
             lines, subtotal_minor, service_charge_minor, tax_minor, total_minor, currency, created_at_client) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '\\x00', '1', current_date, 'placed', 'kiosk', '[]', 0, 0, 0, 0, 'IDR', now())"
        ),
        "tickets" => format!(
            "INSERT INTO tickets (tenant_id, id, order_id, outlet_id, station, status, lines) VALUES ('{tenant}', '{id}', '{id}', '{id}', 'bar', 'open', '[]')"
        ),
        "audit_log" => format!(
            "INSERT INTO audit_log (tenant_id, id, actor_kind, action, entity) VALUES ('{tenant}', '{id}', 'system', 'x', 'x')"
        ),
        "item_price_history" => format!(
            "INSERT INTO item_price_history (tenant_id, item_id, version_from, valid_from, name, price_minor, modifier_groups) \
             VALUES ('{tenant}', '{id}', 1, now(), 'X', 1, '[]')"
        ),
        "outlet_price_history" => format!(
            "INSERT INTO outlet_price_history (tenant_id, outlet_id, item_id, version_from, valid_from, price_minor) \
             VALUES ('{tenant}', '{id}', '{id}', 1, now(), 1)"
        ),
        "receipt_counters" => {
            format!("INSERT INTO receipt_counters (tenant_id, outlet_id) VALUES ('{tenant}', '{id}')")
        }
        "payments" => format!(
            "INSERT INTO payments (tenant_id, id, outlet_id, order_id, client_payment_id, payload_hash, method, status, amount_minor) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '{id}', '\\x00', 'cash', 'paid', 1)"
        ),
        "refunds" => format!(
            "INSERT INTO refunds (tenant_id, id, outlet_id, order_id, payment_id, client_refund_id, payload_hash, amount_minor, reason, status) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '{id}', '{id}', '\\x00', 1, 'x', 'succeeded')"
        ),
        "shifts" => format!(
            "INSERT INTO shifts (tenant_id, id, outlet_id, device_id, open_payload_hash, status, opening_float_minor) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '\\x00', 'open', 0)"
        ),
        "shift_cash_movements" => format!(
            "INSERT INTO shift_cash_movements (tenant_id, id, outlet_id, shift_id, client_movement_id, payload_hash, kind, amount_minor, reason) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '{id}', '\\x00', 'in', 1, 'x')"
        ),
        "shift_counts" => format!(
            "INSERT INTO shift_counts (tenant_id, shift_id, outlet_id, value_minor, count) VALUES ('{tenant}', '{id}', '{id}', 1000, 1)"
        ),
        "gateway_notifications" => format!(
            "INSERT INTO gateway_notifications (gateway, tenant_id, body, signature_ok, outcome) VALUES ('x', '{tenant}', '{{}}', true, 'x')"
        ),
        "email_outbox" => format!(
            "INSERT INTO email_outbox (tenant_id, id, kind, to_address, subject, text_body, html_body) \
             VALUES ('{tenant}', '{id}', 'password_reset', 'a@b.c', 'x', 'x', 'x')"
        ),
        "account_tokens" => format!(
            "INSERT INTO account_tokens (tenant_id, id, user_id, purpose, token_hash, expires_at) \
             VALUES ('{tenant}', '{id}', '{id}', 'invitation', '\\x00', now())"
        ),
        "areas" => {
            format!("INSERT INTO areas (tenant_id, id, outlet_id, name) VALUES ('{tenant}', '{id}', '{id}', 'X')")
        }
        "dining_tables" => format!(
            "INSERT INTO dining_tables (tenant_id, id, outlet_id, area_id, label) VALUES ('{tenant}', '{id}', '{id}', '{id}', 'X')"
        ),
        "order_discounts" => format!(
            "INSERT INTO order_discounts (tenant_id, id, outlet_id, order_id, client_discount_id, payload_hash, kind, value, reason) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '{id}', '\\x00', 'amount', 1, 'x')"
        ),
        "check_rounds" => format!(
            "INSERT INTO check_rounds (tenant_id, id, outlet_id, order_id, client_round_id, payload_hash, line_ids) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', '{id}', '\\x00', '{{}}')"
        ),
        "daily_summaries" => format!(
            "INSERT INTO daily_summaries (tenant_id, outlet_id, business_date, recipients) VALUES ('{tenant}', '{id}', '2026-01-01', 0)"
        ),
        "sales_rollup" => format!(
            "INSERT INTO sales_rollup (tenant_id, outlet_id, local_hour, channel, orders, gross_minor, discount_minor, \
                                       refund_minor, tax_minor, service_charge_minor) \
             VALUES ('{tenant}', '{id}', '2026-12-01 10:00', 'counter', 1, 1, 0, 0, 0, 0)"
        ),
        "item_rollup" => format!(
            "INSERT INTO item_rollup (tenant_id, outlet_id, local_date, kind, ref_id, name, orders, qty, gross_minor, \
                                      discount_minor) \
             VALUES ('{tenant}', '{id}', '2026-12-01', 'item', '{id}', 'X', 1, 1, 1, 0)"
        ),
        "payment_rollup" => format!(
            "INSERT INTO payment_rollup (tenant_id, outlet_id, local_date, method, payments, amount_minor, refund_minor) \
             VALUES ('{tenant}', '{id}', '2026-12-01', 'cash', 1, 1, 0)"
        ),
        "ingredients" => {
            format!("INSERT INTO ingredients (tenant_id, id, name, unit) VALUES ('{tenant}', '{id}', 'X', 'g')")
        }
        "ingredient_thresholds" => format!(
            "INSERT INTO ingredient_thresholds (tenant_id, outlet_id, ingredient_id, threshold) \
             VALUES ('{tenant}', '{id}', '{id}', 1)"
        ),
        "recipe_lines" => format!(
            "INSERT INTO recipe_lines (tenant_id, menu_item_id, ingredient_id, qty) VALUES ('{tenant}', '{id}', '{id}', 1)"
        ),
        "stock_balances" => format!(
            "INSERT INTO stock_balances (tenant_id, outlet_id, ingredient_id, on_hand) VALUES ('{tenant}', '{id}', '{id}', 1)"
        ),
        "stock_transfers" => format!(
            "INSERT INTO stock_transfers (tenant_id, id, from_outlet_id, to_outlet_id, ingredient_id, qty_sent, status) \
             VALUES ('{tenant}', '{id}', '{id}', '{tenant}', '{id}', 1, 'pending')"
        ),
        "stock_movements" => format!(
            "INSERT INTO stock_movements (tenant_id, id, outlet_id, ingredient_id, kind, qty, on_hand_after, client_movement_id) \
             VALUES ('{tenant}', '{id}', '{id}', '{id}', 'receive', 1, 1, '{id}')"
        ),
        "stock_sale_lines" => format!(
            "INSERT INTO stock_sale_lines (tenant_id, outlet_id, order_id, line_id, menu_item_id, ingredient_id, units, qty, \
             unit_cost_minor, created_at) VALUES ('{tenant}', '{id}', '{id}', '{id}', '{id}', '{id}', 1, 1, 0, now())"
        ),
        other => panic!("table {other} has no insert in the RLS suite: add one"),
    }
}

#[tokio::test]
async fn every_table_forces_rls_and_shows_nothing_without_a_scope() {
    let app = TestApp::spawn().await;
    // Make sure every table holds rows of some tenant.
    let t = app.signup().await;
    let outlet = app.create_outlet(&t.token, "Main").await;
    app.create_staff(&t.token, "cashier", &[outlet]).await;
    app.pair_device(&t.token, outlet, "kds").await;
    let item = pos_tests::menu_item(&app, &t.token, "Kopi").await;
    app.patch(&format!("/api/v1/outlets/{outlet}/menu-items/{item}"), &t.token, fixtures::availability(false))
        .await
        .expect(200);

    let c = app_role(2).await;
    let tables = tenant_tables(&c).await;
    assert!(tables.len() >= 7, "{tables:?}");
    for table in &tables {
        let flags = c
            .query_one_raw(sql(&format!(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = 'public.{table}'::regclass"
            )))
            .await
            .unwrap()
            .unwrap();
        assert!(flags.try_get_by_index::<bool>(0).unwrap(), "{table}: RLS not enabled");
        assert!(flags.try_get_by_index::<bool>(1).unwrap(), "{table}: RLS not forced");
        assert_eq!(count(&c, &format!("SELECT count(*) FROM {table}")).await, 0, "{table} visible without scope");

        // With an empty (reset) setting: still nothing, and no cast error.
        let tx = c.begin().await.unwrap();
        tx.execute_unprepared("SELECT set_config('app.tenant_id', '', true)").await.unwrap();
        assert_eq!(count(&tx, &format!("SELECT count(*) FROM {table}")).await, 0);
        tx.rollback().await.unwrap();

        let err = c.execute_unprepared(&insert_for(table, t.tenant_id)).await.unwrap_err().to_string();
        assert!(refused_as_expected(table, &err), "{table}: insert without scope: {err}");
    }
    // Scoped, the same tables do hold rows.
    let tx = c.begin().await.unwrap();
    scope_to(&tx, t.tenant_id).await;
    for table in ["tenants", "outlets", "users", "user_outlets", "refresh_tokens", "devices", "audit_log"] {
        assert!(
            count(&tx, &format!("SELECT count(*) FROM {table}")).await > 0,
            "{table} empty under its tenant's scope"
        );
    }
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn a_scope_cannot_write_into_another_tenant() {
    let app = TestApp::spawn().await;
    let a = app.signup().await;
    let b = app.signup().await;
    app.create_outlet(&b.token, "B's").await;
    let c = app_role(2).await;
    for table in tenant_tables(&c).await {
        let tx = c.begin().await.unwrap();
        scope_to(&tx, a.tenant_id).await;
        let err = tx.execute_unprepared(&insert_for(&table, b.tenant_id)).await.unwrap_err().to_string();
        assert!(refused_as_expected(&table, &err), "{table}: cross-tenant insert: {err}");
        tx.rollback().await.unwrap();
    }
    // Updates and deletes of B's rows under A's scope touch nothing.
    let tx = c.begin().await.unwrap();
    scope_to(&tx, a.tenant_id).await;
    let upd = tx
        .execute_unprepared(&format!("UPDATE outlets SET name = 'pwned' WHERE tenant_id = '{}'", b.tenant_id))
        .await
        .unwrap();
    assert_eq!(upd.rows_affected(), 0);
    let del = tx.execute_unprepared(&format!("DELETE FROM users WHERE tenant_id = '{}'", b.tenant_id)).await.unwrap();
    assert_eq!(del.rows_affected(), 0);
    // Moving an own row into B is refused too.
    let err = tx
        .execute_unprepared(&format!(
            "UPDATE users SET tenant_id = '{}' WHERE tenant_id = '{}'",
            b.tenant_id, a.tenant_id
        ))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("row-level security") || err.contains("foreign key"), "{err}");
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn the_scope_never_outlives_its_transaction() {
    let app = TestApp::spawn().await;
    let t = app.signup().await;
    // One connection: whatever the next "request" gets is the same session.
    let c = app_role(1).await;
    let tx = c.begin().await.unwrap();
    scope_to(&tx, t.tenant_id).await;
    assert_eq!(count(&tx, "SELECT count(*) FROM tenants").await, 1);
    tx.commit().await.unwrap();
    assert_eq!(count(&c, "SELECT count(*) FROM tenants").await, 0, "scope leaked past commit");
    assert_eq!(count(&c, "SELECT count(*) FROM users").await, 0);
}

#[tokio::test]
async fn the_app_role_cannot_escape() {
    let c = app_role(1).await;
    let me = c
        .query_one_raw(sql("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"))
        .await
        .unwrap()
        .unwrap();
    assert!(!me.try_get_by_index::<bool>(0).unwrap(), "app role is superuser");
    assert!(!me.try_get_by_index::<bool>(1).unwrap(), "app role bypasses RLS");
    assert_eq!(
        count(&c, "SELECT count(*) FROM pg_tables WHERE tableowner = current_user").await,
        0,
        "app role owns tables"
    );

    for attempt in [
        "SET ROLE pos_owner",
        "SET ROLE pos_xt",
        "SET ROLE postgres",
        "SET SESSION AUTHORIZATION pos_owner",
        "ALTER TABLE outlets DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE outlets NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY outlet_isolation ON outlets",
        "CREATE POLICY open_door ON outlets USING (true)",
        "SELECT * FROM seaql_migrations",
        "DELETE FROM audit_log",
        "UPDATE audit_log SET action = 'x'",
    ] {
        let tx = c.begin().await.unwrap();
        let r = tx.execute_unprepared(attempt).await;
        assert!(r.is_err(), "the app role could run: {attempt}");
        tx.rollback().await.unwrap();
    }
    // Turning row security off makes queries on protected tables fail, not open.
    let tx = c.begin().await.unwrap();
    tx.execute_unprepared("SET LOCAL row_security = off").await.unwrap();
    let err = tx.execute_unprepared("SELECT * FROM outlets").await.unwrap_err().to_string();
    assert!(err.contains("row-level security"), "{err}");
    tx.rollback().await.unwrap();
}

/// A request dropped while its `BEGIN` is on the wire (a client that hangs
/// up, a timeout) must not leave the pooled connection inside a transaction:
/// the next user's statements would run in it, and its scope and locks would
/// outlive the request (sqlx before 0.9.1 did exactly that).
#[tokio::test]
async fn a_begin_cut_short_leaves_no_transaction_behind() {
    let c = app_role(1).await;
    let mut cut_short = 0;
    // Dropped after 1, 2, ... polls: at some of them the connection has been
    // taken and BEGIN sent, and its answer not read yet.
    for polls in (1..=8).cycle().take(48) {
        let mut begin = Box::pin(c.begin());
        let mut pending = true;
        for _ in 0..polls {
            pending = std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx).is_pending())).await;
            if !pending {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_micros(300)).await;
        }
        cut_short += usize::from(pending);
        drop(begin);
        // Outside a transaction block each statement is its own transaction;
        // inside a leftover one, both statements share its id.
        let xact = "SELECT pg_current_xact_id()::text::int8";
        let (first, second) = (count(&c, xact).await, count(&c, xact).await);
        assert_ne!(first, second, "the pooled connection was handed out inside an open transaction");
    }
    assert!(cut_short > 0, "no BEGIN was cut short: the test proves nothing");
}
