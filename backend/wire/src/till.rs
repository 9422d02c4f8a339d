//! Cashiers at a till (issue 12): who may sign in on it, and signing in
//! with a personal PIN. The answer is a staff access token bound to the
//! till, valid for a shift; there is no refresh token (the cashier signs in
//! again with their PIN).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Role;

/// Someone who may sign in on the till: an active owner, manager or cashier
/// of its outlet with a PIN set. Nothing else about them (no email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TillStaff {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TillSignIn {
    pub user_id: Uuid,
    /// 4 to 6 digits.
    pub pin: String,
}

impl std::fmt::Debug for TillSignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TillSignIn").field("user_id", &self.user_id).field("pin", &"***").finish()
    }
}

/// A staff access token bound to the till that asked for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TillSession {
    pub access_token: String,
    /// Seconds.
    pub expires_in: u64,
    pub user: TillStaff,
}
