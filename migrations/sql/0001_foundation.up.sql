-- Foundation: tenants, outlets, staff, memberships, refresh-token families,
-- devices and the audit log, all isolated by row-level security.
--
-- Scope is read from transaction-local settings that the server sets with
-- set_config(..., true) at the start of every request's transaction:
--   app.tenant_id   the tenant (brand) the request acts for
--   app.outlet_ids  '*' for every outlet of the tenant, or a comma list
--   app.user_id / app.device_id  the principal, for its own rows
-- A missing or empty setting means "nothing": every policy fails closed.

CREATE SCHEMA app AUTHORIZATION pos_owner;
REVOKE ALL ON SCHEMA app FROM PUBLIC;
GRANT USAGE ON SCHEMA app TO pos_app, pos_xt;
GRANT CREATE ON SCHEMA app TO pos_xt;
GRANT USAGE ON SCHEMA public TO pos_app, pos_xt;

CREATE FUNCTION app.current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION app.current_user_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

CREATE FUNCTION app.current_device_id() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT NULLIF(current_setting('app.device_id', true), '')::uuid $$;

CREATE FUNCTION app.all_outlets() RETURNS boolean
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(current_setting('app.outlet_ids', true) = '*', false) $$;

CREATE FUNCTION app.current_outlets() RETURNS uuid[]
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT CASE
      WHEN coalesce(current_setting('app.outlet_ids', true), '') IN ('', '*') THEN '{}'::uuid[]
      ELSE string_to_array(current_setting('app.outlet_ids', true), ',')::uuid[]
    END
  $$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA app TO pos_app, pos_xt;

CREATE TABLE tenants (
  id           uuid PRIMARY KEY,
  name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  currency     char(3) NOT NULL DEFAULT 'IDR',
  locale       text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outlets (
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                 uuid NOT NULL,
  name               text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  address            text NOT NULL DEFAULT '',
  timezone           text NOT NULL DEFAULT 'Asia/Jakarta',
  tax_rate_bp        integer NOT NULL DEFAULT 1100 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  service_charge_bp  integer NOT NULL DEFAULT 0 CHECK (service_charge_bp BETWEEN 0 AND 10000),
  is_open            boolean NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  archived_at        timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX outlets_name_per_tenant ON outlets (tenant_id, lower(name)) WHERE archived_at IS NULL;

CREATE TABLE users (
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id             uuid NOT NULL,
  email          text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('owner', 'manager', 'cashier', 'kitchen')),
  locale         text NOT NULL DEFAULT 'id' CHECK (locale IN ('id', 'en')),
  active         boolean NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX users_email_per_tenant ON users (tenant_id, email);
-- Login looks a user up by email before it knows the tenant.
CREATE INDEX users_email ON users (email);

CREATE TABLE user_outlets (
  tenant_id  uuid NOT NULL,
  user_id    uuid NOT NULL,
  outlet_id  uuid NOT NULL,
  PRIMARY KEY (tenant_id, user_id, outlet_id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX user_outlets_by_outlet ON user_outlets (tenant_id, outlet_id);

CREATE TABLE refresh_tokens (
  tenant_id   uuid NOT NULL,
  id          uuid NOT NULL,
  family_id   uuid NOT NULL,
  parent_id   uuid,
  user_id     uuid NOT NULL,
  token_hash  bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX refresh_tokens_hash ON refresh_tokens (tenant_id, token_hash);
CREATE INDEX refresh_tokens_family ON refresh_tokens (tenant_id, family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (tenant_id, user_id);

CREATE TABLE devices (
  tenant_id           uuid NOT NULL,
  id                  uuid NOT NULL,
  outlet_id           uuid NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('kiosk', 'kds')),
  name                text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
  pairing_code_hash   bytea,
  pairing_expires_at  timestamptz,
  paired_at           timestamptz,
  last_seen_at        timestamptz,
  revoked_at          timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX devices_by_outlet ON devices (tenant_id, outlet_id);
-- Pairing looks a code up before it knows the tenant.
CREATE INDEX devices_pairing_code ON devices (pairing_code_hash) WHERE pairing_code_hash IS NOT NULL;

CREATE TABLE audit_log (
  tenant_id    uuid NOT NULL,
  id           uuid NOT NULL,
  at           timestamptz NOT NULL DEFAULT now(),
  actor_kind   text NOT NULL CHECK (actor_kind IN ('user', 'device', 'system')),
  actor_id     uuid,
  action       text NOT NULL,
  entity       text NOT NULL,
  entity_id    uuid,
  outlet_id    uuid,
  before       jsonb,
  after        jsonb,
  request_id   text,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_recent ON audit_log (tenant_id, at DESC);

-- Row-level security: ENABLE + FORCE everywhere, USING and WITH CHECK alike.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'outlets', 'users', 'user_outlets', 'refresh_tokens', 'devices', 'audit_log']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
  END LOOP;
END $$;

CREATE POLICY tenant_isolation ON tenants
  USING (id = (SELECT app.current_tenant()))
  WITH CHECK (id = (SELECT app.current_tenant()));

-- Outlets: the tenant, narrowed to the outlets in scope.
CREATE POLICY outlet_isolation ON outlets
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR id = ANY ((SELECT app.current_outlets())::uuid[])))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR id = ANY ((SELECT app.current_outlets())::uuid[])));

CREATE POLICY tenant_isolation ON users
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));

-- Memberships: those of outlets in scope, plus the signed-in user's own
-- (read before the outlet scope is known).
CREATE POLICY outlet_isolation ON user_outlets
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])
              OR user_id = (SELECT app.current_user_id())))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])));

CREATE POLICY tenant_isolation ON refresh_tokens
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));

-- Devices: those of outlets in scope, plus the calling device itself.
CREATE POLICY outlet_isolation ON devices
  USING (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])
              OR id = (SELECT app.current_device_id())))
  WITH CHECK (tenant_id = (SELECT app.current_tenant())
         AND ((SELECT app.all_outlets()) OR outlet_id = ANY ((SELECT app.current_outlets())::uuid[])
              OR id = (SELECT app.current_device_id())));

CREATE POLICY tenant_isolation ON audit_log
  USING (tenant_id = (SELECT app.current_tenant()))
  WITH CHECK (tenant_id = (SELECT app.current_tenant()));

GRANT SELECT, INSERT, UPDATE ON tenants TO pos_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON outlets, users, user_outlets, refresh_tokens, devices TO pos_app;
-- The audit log is append-only for the server.
GRANT SELECT, INSERT ON audit_log TO pos_app;

-- The narrow cross-tenant path. Each function does one thing, is owned by
-- pos_xt (BYPASSRLS, cannot log in) and is the only way the server reaches
-- rows before it knows their tenant.
GRANT SELECT ON tenants, users, user_outlets TO pos_xt;
GRANT SELECT, UPDATE ON devices TO pos_xt;

-- Login: every active account with this email, in any tenant.
CREATE FUNCTION app.login_candidates(p_email text)
  RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text, tenant_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, u.password_hash, t.name
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.active
     ORDER BY u.created_at
     LIMIT 10
  $$;

-- Pairing: claims an unexpired, unused code once; returns the device.
CREATE FUNCTION app.claim_pairing_code(p_code_hash bytea)
  RETURNS TABLE (tenant_id uuid, device_id uuid, outlet_id uuid, kind text)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    UPDATE devices d
       SET paired_at = now(), pairing_code_hash = NULL, pairing_expires_at = NULL
     WHERE d.pairing_code_hash = p_code_hash
       AND d.pairing_expires_at > now()
       AND d.paired_at IS NULL
       AND d.revoked_at IS NULL
    RETURNING d.tenant_id, d.id, d.outlet_id, d.kind
  $$;

ALTER FUNCTION app.login_candidates(text) OWNER TO pos_xt;
ALTER FUNCTION app.claim_pairing_code(bytea) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.login_candidates(text), app.claim_pairing_code(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.login_candidates(text), app.claim_pairing_code(bytea) TO pos_app;
