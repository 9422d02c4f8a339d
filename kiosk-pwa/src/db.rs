//! The device's IndexedDB database (through rexie): the menu cache and its
//! pull cursor, the outgoing order queue, and the kitchen's queued bumps.
//! Values are stored as plain JSON objects (so they are readable in the
//! browser's tools and from tests), converted with serde_json.

use std::{cell::RefCell, rc::Rc};

use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "pos";
const DB_VERSION: u32 = 1;

/// Cached catalogue rows, keyed `"<entity>:<id>"` (see `menu`).
pub const MENU: &str = "menu";
/// Small values, keyed by name: the pull cursor and the outlet it is for.
pub const META: &str = "meta";
/// The kiosk's orders, keyed by `client_order_id` (see `queue`).
pub const ORDERS: &str = "orders";
/// The kitchen display's bumps and recalls not yet sent, keyed by `id`.
pub const KITCHEN_MOVES: &str = "kitchen_moves";

#[derive(Debug, Clone, PartialEq)]
pub struct DbError(pub String);

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IndexedDB: {}", self.0)
    }
}

impl From<rexie::Error> for DbError {
    fn from(e: rexie::Error) -> Self {
        DbError(e.to_string())
    }
}

pub type DbResult<T> = Result<T, DbError>;

thread_local! {
    static OPEN: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
}

/// The database, opened (and created or upgraded) on first use.
async fn database() -> DbResult<Rc<Rexie>> {
    if let Some(db) = OPEN.with(|open| open.borrow().clone()) {
        return Ok(db);
    }
    let db = Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(MENU).key_path("key"))
        .add_object_store(ObjectStore::new(META).key_path("key"))
        .add_object_store(ObjectStore::new(ORDERS).key_path("client_order_id"))
        .add_object_store(ObjectStore::new(KITCHEN_MOVES).key_path("id"))
        .build()
        .await?;
    let db = Rc::new(db);
    OPEN.with(|open| *open.borrow_mut() = Some(db.clone()));
    Ok(db)
}

pub fn to_js<T: Serialize>(value: &T) -> DbResult<JsValue> {
    let json = serde_json::to_string(value).map_err(|e| DbError(e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| DbError("JSON.parse".into()))
}

pub fn from_js<T: DeserializeOwned>(value: &JsValue) -> DbResult<T> {
    let json: String = js_sys::JSON::stringify(value).map_err(|_| DbError("JSON.stringify".into()))?.into();
    serde_json::from_str(&json).map_err(|e| DbError(e.to_string()))
}

/// Every row of `store`; rows that no longer parse are skipped, not fatal.
pub async fn all<T: DeserializeOwned>(store: &str) -> DbResult<Vec<T>> {
    let db = database().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let rows = tx.store(store)?.get_all(None, None).await?;
    tx.done().await?;
    Ok(rows.iter().filter_map(|row| from_js(row).ok()).collect())
}

pub async fn get<T: DeserializeOwned>(store: &str, key: &str) -> DbResult<Option<T>> {
    let db = database().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadOnly)?;
    let row = tx.store(store)?.get(JsValue::from_str(key)).await?;
    tx.done().await?;
    row.map(|row| from_js(&row)).transpose()
}

/// Writes `rows` in one transaction and returns only once it has committed.
pub async fn put_all<T: Serialize>(store: &str, rows: &[T]) -> DbResult<()> {
    let db = database().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadWrite)?;
    let object_store = tx.store(store)?;
    for row in rows {
        object_store.put(&to_js(row)?, None).await?;
    }
    committed(tx).await
}

pub async fn put<T: Serialize>(store: &str, row: &T) -> DbResult<()> {
    put_all(store, std::slice::from_ref(row)).await
}

pub async fn delete(store: &str, key: &str) -> DbResult<()> {
    let db = database().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadWrite)?;
    tx.store(store)?.delete(JsValue::from_str(key)).await?;
    committed(tx).await
}

async fn committed(tx: rexie::Transaction) -> DbResult<()> {
    match tx.done().await? {
        rexie::TransactionResult::Committed => Ok(()),
        rexie::TransactionResult::Aborted => Err(DbError("transaction aborted".into())),
    }
}

/// A named value in [`META`].
#[derive(serde::Serialize, serde::Deserialize)]
struct Meta<T> {
    key: String,
    value: T,
}

pub async fn meta<T: DeserializeOwned>(key: &str) -> DbResult<Option<T>> {
    Ok(get::<Meta<T>>(META, key).await?.map(|m| m.value))
}

pub async fn set_meta<T: Serialize>(key: &str, value: &T) -> DbResult<()> {
    put(META, &Meta { key: key.to_owned(), value }).await
}

/// Applies one page of catalogue changes and moves the cursor, atomically:
/// a page is either all in the cache with its cursor, or not at all.
pub async fn apply_menu_page<T: Serialize>(
    upserts: &[T],
    deletes: &[String],
    cursor_key: &str,
    cursor: &str,
) -> DbResult<()> {
    let db = database().await?;
    let tx = db.transaction(&[MENU, META], TransactionMode::ReadWrite)?;
    let menu = tx.store(MENU)?;
    for key in deletes {
        menu.delete(JsValue::from_str(key)).await?;
    }
    for row in upserts {
        menu.put(&to_js(row)?, None).await?;
    }
    tx.store(META)?.put(&to_js(&Meta { key: cursor_key.to_owned(), value: cursor })?, None).await?;
    committed(tx).await
}

/// Empties `store` (the menu cache when the device moves to another outlet).
pub async fn clear(store: &str) -> DbResult<()> {
    let db = database().await?;
    let tx = db.transaction(&[store], TransactionMode::ReadWrite)?;
    tx.store(store)?.clear().await?;
    committed(tx).await
}
