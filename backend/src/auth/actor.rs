use pos_wire::{DeviceKind, Role};
use uuid::Uuid;

use crate::{
    db::PrincipalId,
    error::{Code, Error, Result},
};

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
    /// `till`: signed in on a till with a PIN (issue 12); everything they
    /// do is then done at that till, in its outlet only.
    Staff {
        user_id: Uuid,
        role: Role,
        till: Option<TillBinding>,
    },
    Device {
        device_id: Uuid,
        outlet_id: Uuid,
        kind: DeviceKind,
    },
}

/// The till a staff token was signed in on, as the database knows it now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TillBinding {
    pub device_id: Uuid,
    pub outlet_id: Uuid,
}

impl Actor {
    /// The till this staff member signed in on with their PIN, if any.
    pub fn till(&self) -> Option<TillBinding> {
        match &self.kind {
            ActorKind::Staff { till, .. } => *till,
            ActorKind::Device { .. } => None,
        }
    }

    /// The device id of [`Actor::till`].
    pub fn till_device_id(&self) -> Option<Uuid> {
        self.till().map(|t| t.device_id)
    }

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

    /// Who the database's policies act for in this caller's transactions.
    pub fn principal_id(&self) -> PrincipalId {
        match self.kind {
            ActorKind::Staff { user_id, .. } => PrincipalId::User(user_id),
            ActorKind::Device { device_id, .. } => PrincipalId::Device(device_id),
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
