use deadpool_redis::Pool;

use crate::{
    auth::{
        jwt::Keyring, password::SaltKey, rate_limit::RateLimiter, refresh::RefreshPolicy, stream_guard::StreamGuard,
    },
    config::Settings,
    db::Db,
};

/// What every handler can reach; shared as `web::Data<AppState>`.
pub struct AppState {
    pub settings: Settings,
    pub db: Db,
    pub keyring: Keyring,
    pub limiter: RateLimiter,
    pub redis: Option<Pool>,
    pub menu_cache: crate::catalog::menu::MenuCache,
    /// Outlets' current menu stamps (told of menu events by the bus).
    pub menu_stamps: std::sync::Arc<crate::catalog::menu_stamps::MenuStamps>,
    /// Devices and staff sessions resolved recently.
    pub principals: crate::auth::principal_cache::PrincipalCache,
    pub events: std::sync::Arc<crate::events::EventBus>,
    /// Live event streams held per device and per staff member.
    pub stream_slots: std::sync::Arc<crate::events::slots::StreamSlots>,
    /// The open event streams of this process, re-checked every few seconds.
    pub stream_guard: std::sync::Arc<StreamGuard>,
    /// The QRIS payment gateway, when configured (cash and card work without).
    pub gateway: Option<std::sync::Arc<dyn crate::payments::gateway::PaymentGateway>>,
    /// What tills seal a manager's PIN to while offline (from the token secret).
    pub approval_keys: std::sync::Arc<crate::till::approval_seal::ApprovalKeyPair>,
}

impl AppState {
    pub fn refresh_policy(&self) -> RefreshPolicy<'_> {
        RefreshPolicy {
            key: self.settings.token_secret.expose(),
            ttl_secs: self.settings.refresh_token_ttl.as_secs() as i64,
            grace_secs: self.settings.refresh_grace.as_secs() as i64,
        }
    }

    /// The key staff password salts are derived from (see [`crate::auth::password`]).
    pub fn salt_key(&self) -> SaltKey<'_> {
        SaltKey(self.settings.token_secret.expose())
    }

    pub fn access_ttl_secs(&self) -> u64 {
        self.settings.access_token_ttl.as_secs()
    }
}
