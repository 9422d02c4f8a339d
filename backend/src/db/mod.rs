//! Database access. Every request's work runs in one [`ScopedTx`]: a
//! transaction whose first statement sets the tenant and outlet scope with
//! `set_config(..., true)` (transaction-local, so it can never leak to the
//! next user of a pooled connection). Domain functions take a `ScopedTx`;
//! there is no way to query tenant tables from a bare pool.
//!
//! The few operations that must cross tenants live in [`cross_tenant`].
//! While PostgreSQL is unreachable, both fail at once with 503 (see
//! [`availability`]). Lag-tolerant reads may run on a read replica (see
//! [`replica`]), under the same scope and policies.

pub mod availability;
pub mod cross_tenant;
pub mod epochs;
pub mod replica;
mod rows;

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use pos_wire::LiveEvent;

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    FromQueryResult, QueryResult, Statement, TransactionTrait, Value,
};
use uuid::Uuid;

pub use availability::Availability;
pub use rows::{opt_row, rows};

use crate::{
    error::{Error, Result},
    events::{EventBus, OutletEvent},
};

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
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    /// Where committed events go; absent in tools that serve no one.
    bus: Option<Arc<EventBus>>,
    availability: Arc<Availability>,
    /// The read replica, when one is configured.
    replica: Option<Arc<replica::Replica>>,
    /// What commits that end principals or change menus bump (see [`epochs`]).
    epochs: Arc<epochs::Epochs>,
}

impl Db {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbErr> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            // A connection used within this long is handed out without a
            // ping first: the default pings on every checkout, a round trip
            // more for every request. One that broke meanwhile (PostgreSQL
            // restarted) fails its first statement, which `Availability`
            // turns into a 503 and the pool then replaces.
            .test_before_acquire_if_idle_for(Duration::from_secs(5))
            .sqlx_logging(false);
        let conn = Database::connect(opts).await?;
        Ok(Db {
            availability: Availability::watch(url)?,
            conn,
            bus: None,
            replica: None,
            epochs: Arc::new(epochs::Epochs::default()),
        })
    }

    /// Lets lag-tolerant reads use the replica at `url` (see [`replica`]).
    /// It need not answer yet: until it does, those reads use the primary.
    pub async fn with_replica(mut self, url: &str, max_connections: u32) -> Result<Db, DbErr> {
        self.replica = Some(Arc::new(replica::Replica::connect(url, max_connections).await?));
        Ok(self)
    }

    /// The read replica, if one is configured.
    pub fn replica(&self) -> Option<&Arc<replica::Replica>> {
        self.replica.as_ref()
    }

    /// Routes the events of every committed transaction to `bus`.
    pub fn with_bus(mut self, bus: Arc<EventBus>) -> Db {
        self.bus = Some(bus);
        self
    }

    /// Keeps the tenants' cache epochs in `epochs` (see [`epochs`]).
    pub fn with_epochs(mut self, epochs: Arc<epochs::Epochs>) -> Db {
        self.epochs = epochs;
        self
    }

    /// The tenants' cache epochs.
    pub fn epochs(&self) -> &epochs::Epochs {
        &self.epochs
    }

    /// Opens a transaction scoped to one tenant, a set of its outlets, and a principal.
    pub async fn begin_scoped(
        &self,
        tenant_id: Uuid,
        outlets: OutletScope,
        principal: PrincipalId,
    ) -> Result<ScopedTx> {
        let scope = Scope { tenant_id, outlets, principal, read_only: false };
        let mut tx = open_scoped(&self.conn, &self.availability, self.bus.clone(), scope).await?;
        tx.epochs = Some(self.epochs.clone());
        Ok(tx)
    }

    /// A round trip of at most `timeout`, for readiness checks; false at
    /// once while the database is known to be down.
    pub async fn ping(&self, timeout: Duration) -> bool {
        self.availability.ping(&self.conn, timeout).await
    }

    /// True while PostgreSQL is known to be unreachable.
    pub fn is_down(&self) -> bool {
        self.availability.is_down()
    }

    /// The cross-tenant path; see [`cross_tenant`].
    pub fn cross_tenant(&self) -> cross_tenant::CrossTenant<'_> {
        cross_tenant::CrossTenant::new(&self.conn, &self.availability)
    }
}

/// What a scoped transaction is opened with.
struct Scope {
    tenant_id: Uuid,
    outlets: OutletScope,
    principal: PrincipalId,
    /// `transaction_read_only` for the whole transaction (replica reads).
    read_only: bool,
}

/// Opens a transaction on `conn` whose first statement sets its scope.
async fn open_scoped(
    conn: &DatabaseConnection,
    availability: &Arc<Availability>,
    bus: Option<Arc<EventBus>>,
    scope: Scope,
) -> Result<ScopedTx> {
    let txn = availability.guard(conn.begin()).await?;
    let (user, device) = match scope.principal {
        PrincipalId::User(id) => (id.to_string(), String::new()),
        PrincipalId::Device(id) => (String::new(), id.to_string()),
        PrincipalId::System => (String::new(), String::new()),
    };
    // Read-only as well on a replica: a misconfigured replica URL (a
    // primary) must still never take a write through this path.
    let sql = if scope.read_only {
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.outlet_ids', $2, true), \
                set_config('app.user_id', $3, true), set_config('app.device_id', $4, true), \
                set_config('transaction_read_only', 'on', true)"
    } else {
        "SELECT set_config('app.tenant_id', $1, true), set_config('app.outlet_ids', $2, true), \
                set_config('app.user_id', $3, true), set_config('app.device_id', $4, true)"
    };
    let set = txn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [scope.tenant_id.to_string().into(), scope.outlets.setting().into(), user.into(), device.into()],
        ))
        .await;
    availability.observe(set)?;
    Ok(ScopedTx {
        txn,
        tenant_id: scope.tenant_id,
        outlets: scope.outlets,
        principal: scope.principal,
        events: Mutex::new(Vec::new()),
        bus,
        availability: availability.clone(),
        epochs: None,
        narrows_principals: AtomicBool::new(false),
        changes_menus: AtomicBool::new(false),
    })
}

/// A transaction that can only see one tenant (and the outlets in scope).
pub struct ScopedTx {
    txn: DatabaseTransaction,
    tenant_id: Uuid,
    outlets: OutletScope,
    principal: PrincipalId,
    /// Events appended in this transaction, published once it commits.
    events: Mutex<Vec<OutletEvent>>,
    bus: Option<Arc<EventBus>>,
    availability: Arc<Availability>,
    /// Bumped after commit when a flag below is set (absent on replicas).
    epochs: Option<Arc<epochs::Epochs>>,
    narrows_principals: AtomicBool,
    changes_menus: AtomicBool,
}

/// Appends a batch of one outlet's events (`$2`, a JSON array of
/// `{"kind", "data"}`) to its log, in order: their sequence numbers, the
/// device of the order each names, and the time. The function runs row by
/// row in ordinality order, so sequences follow the batch. Public for the
/// benchmark's pgbench script, which runs it as the server does.
pub const APPEND_EVENTS: &str = "SELECT a.seq, a.order_device_id, now() AS at \
                                   FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, ord) \
                                   CROSS JOIN LATERAL app.append_outlet_event($1, e.value->>'kind', e.value->'data') a \
                                  ORDER BY e.ord";

impl ScopedTx {
    /// Marks this transaction as one that may end or narrow a principal (a
    /// device revoked, a session ended, a user deactivated, a role or a
    /// membership changed): once it commits, no server process uses a
    /// principal of the tenant it cached before (see [`epochs`]).
    pub fn narrows_principals(&self) {
        self.narrows_principals.store(true, Ordering::Relaxed);
    }

    /// Marks this transaction as one that changes outlets' menus without a
    /// menu event (an outlet archived); menu events mark it themselves.
    pub fn changes_menus(&self) {
        self.changes_menus.store(true, Ordering::Relaxed);
    }

    pub fn tenant_id(&self) -> Uuid {
        self.tenant_id
    }

    pub fn outlets(&self) -> &OutletScope {
        &self.outlets
    }

    pub fn principal(&self) -> PrincipalId {
        self.principal
    }

    /// Narrows (or sets) the outlet scope for the rest of the transaction.
    pub async fn set_outlets(&mut self, outlets: OutletScope) -> Result<()> {
        self.execute("SELECT set_config('app.outlet_ids', $1, true)", [outlets.setting().into()]).await?;
        self.outlets = outlets;
        Ok(())
    }

    /// Records a scope that a statement of this transaction has already set
    /// (saving [`ScopedTx::set_outlets`]' round trip): `setting` is what
    /// that statement wrote to `app.outlet_ids`, and must be `outlets`'
    /// own setting, or the transaction's idea of its scope would differ
    /// from the policies'.
    pub fn outlets_were_set(&mut self, outlets: OutletScope, setting: &str) -> Result<()> {
        if outlets.setting() != setting {
            return Err(Error::internal("a statement set another outlet scope than the one recorded"));
        }
        self.outlets = outlets;
        Ok(())
    }

    /// Commits, makes every process's caches the change made stale
    /// unusable (see [`epochs`]), then hands the transaction's events to the
    /// live subscribers: a device that refetches on an event finds the
    /// caches already forgotten.
    pub async fn commit(self) -> Result<()> {
        self.availability.observe(self.txn.commit().await)?;
        let events = self.events.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut stale = Vec::new();
        if self.narrows_principals.into_inner() {
            stale.push(epochs::Epoch::Auth);
        }
        if self.changes_menus.into_inner() || events.iter().any(OutletEvent::changes_menu) {
            stale.push(epochs::Epoch::Menu);
        }
        if let (Some(epochs), false) = (&self.epochs, stale.is_empty()) {
            epochs.bump(self.tenant_id, &stale).await;
        }
        if let Some(bus) = &self.bus {
            bus.publish(self.tenant_id, events);
        }
        Ok(())
    }

    /// Appends an event to the outlet's log (the outbox) in this transaction;
    /// it reaches subscribers only if and when the transaction commits.
    pub async fn append_event(&self, outlet_id: Uuid, event: LiveEvent) -> Result<i64> {
        let seqs = self.append_events(outlet_id, vec![event]).await?;
        seqs.last().copied().ok_or_else(|| crate::Error::internal("no event sequence"))
    }

    /// Appends several events of one outlet in one round trip, in order;
    /// returns their sequence numbers.
    pub async fn append_events(&self, outlet_id: Uuid, events: Vec<LiveEvent>) -> Result<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        // `{"kind", "data"}` is the event's own JSON form.
        let batch = serde_json::to_value(&events).map_err(anyhow::Error::from)?;
        #[derive(sea_orm::FromQueryResult)]
        struct Appended {
            seq: i64,
            order_device_id: Option<Uuid>,
            at: chrono::DateTime<chrono::Utc>,
        }
        let appended: Vec<Appended> = self.query_all(APPEND_EVENTS, [outlet_id.into(), batch.into()]).await?;
        if appended.len() != events.len() {
            return Err(crate::Error::internal("event batch not fully appended"));
        }
        let seqs = appended.iter().map(|a| a.seq).collect();
        let mut pending = self.events.lock().unwrap_or_else(|p| p.into_inner());
        for (event, a) in events.into_iter().zip(appended) {
            pending.push(OutletEvent {
                seq: a.seq,
                outlet_id,
                at: a.at,
                order_device_id: a.order_device_id,
                event: Some(event),
            });
        }
        Ok(seqs)
    }

    pub async fn execute(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Result<ExecResult> {
        self.availability.observe(self.txn.execute_raw(stmt(sql, values)).await)
    }

    pub async fn query_one<T: FromQueryResult>(
        &self,
        sql: &str,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Option<T>> {
        self.availability.observe(T::find_by_statement(stmt(sql, values)).one(&self.txn).await)
    }

    pub async fn query_all<T: FromQueryResult>(
        &self,
        sql: &str,
        values: impl IntoIterator<Item = Value>,
    ) -> Result<Vec<T>> {
        self.availability.observe(T::find_by_statement(stmt(sql, values)).all(&self.txn).await)
    }

    pub async fn query_raw(&self, sql: &str, values: impl IntoIterator<Item = Value>) -> Result<Vec<QueryResult>> {
        self.availability.observe(self.txn.query_all_raw(stmt(sql, values)).await)
    }
}

pub(crate) fn stmt(sql: &str, values: impl IntoIterator<Item = Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}
