//! Database migrations. Each migration is plain SQL (tables, row-level
//! security policies, grants) applied by SeaORM's migrator as the owner role.
//!
//! `sql/bootstrap-roles.sql` creates the roles these migrations expect; it is
//! run once per cluster by a superuser, not by the migrator.

use sea_orm_migration::prelude::*;

mod sql_migration;

pub use sea_orm_migration::MigratorTrait;
pub use sql_migration::SqlMigration;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(SqlMigration {
                name: "m20261122_000001_foundation",
                up: include_str!("../sql/0001_foundation.up.sql"),
                down: include_str!("../sql/0001_foundation.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261122_000002_admin_sessions",
                up: include_str!("../sql/0002_admin_sessions.up.sql"),
                down: include_str!("../sql/0002_admin_sessions.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261122_000003_catalog",
                up: include_str!("../sql/0003_catalog.up.sql"),
                down: include_str!("../sql/0003_catalog.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261122_000004_orders",
                up: include_str!("../sql/0004_orders.up.sql"),
                down: include_str!("../sql/0004_orders.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261123_000005_event_retention",
                up: include_str!("../sql/0005_event_retention.up.sql"),
                down: include_str!("../sql/0005_event_retention.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261124_000006_price_history",
                up: include_str!("../sql/0006_price_history.up.sql"),
                down: include_str!("../sql/0006_price_history.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261124_000007_stream_audiences",
                up: include_str!("../sql/0007_stream_audiences.up.sql"),
                down: include_str!("../sql/0007_stream_audiences.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261124_000008_auth_hardening",
                up: include_str!("../sql/0008_auth_hardening.up.sql"),
                down: include_str!("../sql/0008_auth_hardening.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000009_payments",
                up: include_str!("../sql/0009_payments.up.sql"),
                down: include_str!("../sql/0009_payments.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000010_till_devices",
                up: include_str!("../sql/0010_till_devices.up.sql"),
                down: include_str!("../sql/0010_till_devices.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000011_shifts",
                up: include_str!("../sql/0011_shifts.up.sql"),
                down: include_str!("../sql/0011_shifts.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000012_discounts_tables",
                up: include_str!("../sql/0012_discounts_tables.up.sql"),
                down: include_str!("../sql/0012_discounts_tables.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000014_payment_followups",
                up: include_str!("../sql/0014_payment_followups.up.sql"),
                down: include_str!("../sql/0014_payment_followups.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000015_email",
                up: include_str!("../sql/0015_email.up.sql"),
                down: include_str!("../sql/0015_email.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000017_sales_rollups",
                up: include_str!("../sql/0017_sales_rollups.up.sql"),
                down: include_str!("../sql/0017_sales_rollups.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000019_jobs_and_verification",
                up: include_str!("../sql/0019_jobs_and_verification.up.sql"),
                down: include_str!("../sql/0019_jobs_and_verification.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000020_item_codes_guest_count",
                up: include_str!("../sql/0020_item_codes_guest_count.up.sql"),
                down: include_str!("../sql/0020_item_codes_guest_count.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000021_intake_rollups",
                up: include_str!("../sql/0021_intake_rollups.up.sql"),
                down: include_str!("../sql/0021_intake_rollups.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000022_stock",
                up: include_str!("../sql/0022_stock.up.sql"),
                down: include_str!("../sql/0022_stock.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000023_stock_reports",
                up: include_str!("../sql/0023_stock_reports.up.sql"),
                down: include_str!("../sql/0023_stock_reports.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000024_offline_discounts",
                up: include_str!("../sql/0024_offline_discounts.up.sql"),
                down: include_str!("../sql/0024_offline_discounts.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000025_event_order_lookup",
                up: include_str!("../sql/0025_event_order_lookup.up.sql"),
                down: include_str!("../sql/0025_event_order_lookup.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261203_000026_stock_ledger_keys",
                up: include_str!("../sql/0026_stock_ledger_keys.up.sql"),
                down: include_str!("../sql/0026_stock_ledger_keys.down.sql"),
            }),
            Box::new(SqlMigration {
                name: "m20261204_000027_event_append_plpgsql",
                up: include_str!("../sql/0027_event_append_plpgsql.up.sql"),
                down: include_str!("../sql/0027_event_append_plpgsql.down.sql"),
            }),
        ]
    }
}
