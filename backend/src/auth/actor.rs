use pos_wire::{DeviceKind, Role};
use uuid::Uuid;

use crate::error::{Code, Error, Result};

/// The authenticated caller of a request, as the database knows it now
/// (role and memberships are read afresh every request, not from the token).
#[derive(Debug, Clone)]
pub struct Actor {
    pub tenant_id: Uuid,
    pub kind: ActorKind,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorKind {
    Staff { user_id: Uuid, role: Role },
    Device { device_id: Uuid, outlet_id: Uuid, kind: DeviceKind },
}

impl Actor {
    /// Staff with one of `roles`; everyone else gets 403.
    pub fn require_role(&self, roles: &[Role]) -> Result<Role> {
        match &self.kind {
            ActorKind::Staff { role, .. } if roles.contains(role) => Ok(*role),
            _ => Err(Error::Forbidden(Code::RoleNotAllowed)),
        }
    }

    pub fn role(&self) -> Option<Role> {
        match &self.kind {
            ActorKind::Staff { role, .. } => Some(*role),
            ActorKind::Device { .. } => None,
        }
    }

    pub fn user_id(&self) -> Option<Uuid> {
        match &self.kind {
            ActorKind::Staff { user_id, .. } => Some(*user_id),
            ActorKind::Device { .. } => None,
        }
    }

    /// ("user" | "device", id), for the audit log.
    pub fn audit_identity(&self) -> (&'static str, Uuid) {
        match &self.kind {
            ActorKind::Staff { user_id, .. } => ("user", *user_id),
            ActorKind::Device { device_id, .. } => ("device", *device_id),
        }
    }
}
