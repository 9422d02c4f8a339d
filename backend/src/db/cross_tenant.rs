//! The narrow cross-tenant path, reviewed as such.
//!
//! Before a request knows its tenant, it can do exactly these things, each
//! through one `SECURITY DEFINER` function owned by the `pos_xt` role (see
//! the foundation migration): look up login candidates by email, and claim
//! a device pairing code. Nothing else in the server reads a tenant table
//! without a tenant scope.

use std::sync::Arc;

use sea_orm::{DatabaseConnection, FromQueryResult};
use uuid::Uuid;

use super::{Availability, stmt};
use crate::error::Result;

pub struct CrossTenant<'a> {
    conn: &'a DatabaseConnection,
    availability: &'a Arc<Availability>,
}

/// An active account that might be the one logging in.
#[derive(Debug, Clone, FromQueryResult)]
pub struct LoginCandidate {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub password_hash: String,
    pub tenant_name: String,
}

/// The device a pairing code belonged to, now claimed.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ClaimedDevice {
    pub tenant_id: Uuid,
    pub device_id: Uuid,
    pub outlet_id: Uuid,
    pub kind: String,
}

impl<'a> CrossTenant<'a> {
    pub(super) fn new(conn: &'a DatabaseConnection, availability: &'a Arc<Availability>) -> Self {
        CrossTenant { conn, availability }
    }

    /// Every active account with this email, in any tenant (at most 10).
    pub async fn login_candidates(&self, email: &str) -> Result<Vec<LoginCandidate>> {
        let query = LoginCandidate::find_by_statement(stmt(
            "SELECT tenant_id, user_id, password_hash, tenant_name FROM app.login_candidates($1)",
            [email.into()],
        ));
        self.availability.guard(query.all(self.conn)).await
    }

    /// Claims an unexpired, unused pairing code (by its hash) exactly once.
    pub async fn claim_pairing_code(&self, code_hash: Vec<u8>) -> Result<Option<ClaimedDevice>> {
        let query = ClaimedDevice::find_by_statement(stmt(
            "SELECT tenant_id, device_id, outlet_id, kind FROM app.claim_pairing_code($1)",
            [code_hash.into()],
        ));
        self.availability.guard(query.one(self.conn)).await
    }
}
