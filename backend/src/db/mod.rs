//! Database access. Every request's work runs in one [`ScopedTx`]: a
//! transaction whose first statement sets the tenant and outlet scope with
//! `set_config(..., true)` (transaction-local, so it can never leak to the
//! next user of a pooled connection). Domain functions take a `ScopedTx`;
//! there is no way to query tenant tables from a bare pool.
//!
//! The few operations that must cross tenants live in [`cross_tenant`].

pub mod cross_tenant;
mod rows;

use std::time::Duration;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    FromQueryResult, QueryResult, Statement, TransactionTrait, Value,
};
use uuid::Uuid;

pub use rows::{opt_row, rows};

use crate::error::Result;

/// Which outlets of the tenant the transaction may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutletScope {
    All,
    Only(Vec<Uuid>),
}

impl OutletScope {
    pub fn contains(&self, outlet_id: Uuid) -> bool {
        match self {
            OutletScope::All => true,
            OutletScope::Only(ids) => ids.contains(&outlet_id),
        }
    }

    fn setting(&self) -> String {
        match self {
            OutletScope::All => "*".into(),
            OutletScope::Only(ids) => ids.iter().map(Uuid::to_string).collect::<Vec<_>>().join(","),
        }
    }
}

/// Who the transaction acts for, as far as the database policies need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalId {
    User(Uuid),
    Device(Uuid),
    /// Work without a signed-in principal (signup, refresh, seeding).
    System,
}

/// The connection pool of the app role. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbErr> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            .sqlx_logging(false);
        Ok(Db { conn: Database::connect(opts).await? })
    }

    /// Opens a transaction scoped to one tenant, a set of its outlets, and a principal.
    pub async fn begin_scoped(
        &self,
        tenant_id: Uuid,
        outlets: OutletScope,
        principal: PrincipalId,
    ) -> Result<ScopedTx> {
        let txn = self.conn.begin().await?;
        let (user, device) = match principal {
            PrincipalId::User(id) => (id.to_string(), String::new()),
            PrincipalId::Device(id) => (String::new(), id.to_string()),
            PrincipalId::System => (String::new(), String::new()),
        };
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT set_config('app.tenant_id', $1, true), set_config('app.outlet_ids', $2, true), \
                    set_config('app.user_id', $3, true), set_config('app.device_id', $4, true)",
            [tenant_id.to_string().into(), outlets.setting().into(), user.into(), device.into()],
        ))
        .await?;
        Ok(ScopedTx { txn, tenant_id, outlets })
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    /// The cross-tenant path; see [`cross_tenant`].
    pub fn cross_tenant(&self) -> cross_tenant::CrossTenant<'_> {
        cross_tenant::CrossTenant::new(&self.conn)
    }
}

/// A transaction that can only see one tenant (and the outlets in scope).
pub struct ScopedTx {
    txn: DatabaseTransaction,
    tenant_id: Uuid,
    outlets: OutletScope,
}

impl ScopedTx {
    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    pub fn outlets(&self) -> &OutletScope {
        &self.outlets
    }

    /// Narrows (or sets) the outlet scope for the rest of the transaction.
    pub async fn set_outlets(&mut self, outlets: OutletScope) -> Result<()> {
        self.execute("SELECT set_config('app.outlet_ids', $1, true)", [outlets.setting().into()]).await?;
        self.outlets = outlets;
        Ok(())
    }

    pub async fn commit(self) -> Result<()> {
        Ok(self.txn.commit().await?)
    }

    pub async fn execute(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Result<ExecResult> {
        Ok(self.txn.execute_raw(stmt(sql, values)).await?)
    }

    pub async fn query_one<T: FromQueryResult>(
        &self,
        sql: &str,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Option<T>> {
        Ok(T::find_by_statement(stmt(sql, values)).one(&self.txn).await?)
    }

    pub async fn query_all<T: FromQueryResult>(
        &self,
        sql: &str,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<T>> {
        Ok(T::find_by_statement(stmt(sql, values)).all(&self.txn).await?)
    }

    pub async fn query_raw(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Result<Vec<QueryResult>> {
        Ok(self.txn.query_all_raw(stmt(sql, values)).await?)
    }

    /// A savepoint; its own failure does not abort the outer transaction.
    pub async fn savepoint(&self) -> Result<DatabaseTransaction> {
        Ok(self.txn.begin().await?)
    }
}

pub(crate) fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}
