-- Sign-in that resists guessing, sessions that can be ended, and streams
-- that end with them.
--
-- 1. Login by email looks accounts up by their password hash. Staff
--    passwords are hashed with a salt derived from the email and a server
--    key (see backend/src/auth/password.rs), so the server computes one hash
--    and asks for the accounts that have it: any number of brands signed up
--    with someone's email can neither hide their account nor make their
--    sign-in slower. Hashes made otherwise (before this migration, or kept
--    through an email change) are still checked one by one, a bounded number
--    of them, oldest accounts first, and replaced on the next sign-in.
DROP FUNCTION app.login_candidates(text);

-- Active accounts of p_email whose stored hash is exactly p_hash.
CREATE FUNCTION app.login_matches(p_email text, p_hash text, p_tenant uuid)
  RETURNS TABLE (tenant_id uuid, user_id uuid, tenant_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, t.name
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.password_hash = p_hash AND u.active
       AND (p_tenant IS NULL OR u.tenant_id = p_tenant)
     ORDER BY u.created_at
  $$;

-- Active accounts of p_email whose hash was not made the current way
-- (p_prefix: algorithm, parameters and this email's salt), at most p_limit.
CREATE FUNCTION app.login_legacy_candidates(p_email text, p_prefix text, p_tenant uuid, p_limit integer)
  RETURNS TABLE (tenant_id uuid, user_id uuid, password_hash text, tenant_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT u.tenant_id, u.id, u.password_hash, t.name
      FROM users u JOIN tenants t ON t.id = u.tenant_id
     WHERE u.email = lower(p_email) AND u.active AND NOT starts_with(u.password_hash, p_prefix)
       AND (p_tenant IS NULL OR u.tenant_id = p_tenant)
     ORDER BY u.created_at
     LIMIT least(greatest(p_limit, 0), 50)
  $$;

ALTER FUNCTION app.login_matches(text, text, uuid) OWNER TO pos_xt;
ALTER FUNCTION app.login_legacy_candidates(text, text, uuid, integer) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.login_matches(text, text, uuid), app.login_legacy_candidates(text, text, uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.login_matches(text, text, uuid), app.login_legacy_candidates(text, text, uuid, integer) TO pos_app;

-- 2. Admin sessions end this long after sign-in whatever their use (the
--    server sets it; the default covers rows from before).
ALTER TABLE admin_sessions ADD COLUMN absolute_expires_at timestamptz NOT NULL DEFAULT now() + interval '12 hours';
UPDATE admin_sessions SET absolute_expires_at = created_at + interval '12 hours';

-- 3. Managers manage only staff whose outlets all lie within their own.
--    Their transaction sees only their outlets' memberships, so whether a
--    person also works elsewhere is asked here: a yes or no, in the
--    caller's tenant, about someone the caller can already see.
CREATE FUNCTION app.works_beyond_scope(p_user uuid) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT EXISTS (
      SELECT 1 FROM user_outlets m
       WHERE m.tenant_id = app.current_tenant() AND m.user_id = p_user
         AND NOT (app.all_outlets() OR m.outlet_id = ANY (app.current_outlets())))
  $$;
ALTER FUNCTION app.works_beyond_scope(uuid) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.works_beyond_scope(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.works_beyond_scope(uuid) TO pos_app;

-- 4. Open event streams whose credential no longer holds. Each process
--    asks this every few seconds about all of its streams at once (one
--    statement however many brands they belong to): element i describes
--    stream i (its tenant, outlet, kind 'staff' | 'admin' | 'device', the
--    user or device, and the session: the refresh token an access token was
--    issued with, or the admin session). Returns the positions (1-based) of
--    the streams to end. It reveals nothing but that, about credentials the
--    process was handed.
CREATE FUNCTION app.ended_streams(p_tenant uuid[], p_outlet uuid[], p_kind text[], p_principal uuid[], p_session uuid[])
  RETURNS SETOF integer
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public
  AS $$
    SELECT s.i::integer
      FROM unnest(p_tenant, p_outlet, p_kind, p_principal, p_session)
           WITH ORDINALITY AS s(tenant_id, outlet_id, kind, principal, session, i)
     WHERE NOT CASE s.kind
       WHEN 'device' THEN EXISTS (
         SELECT 1 FROM devices d
          WHERE d.tenant_id = s.tenant_id AND d.id = s.principal AND d.outlet_id = s.outlet_id
            AND d.paired_at IS NOT NULL AND d.revoked_at IS NULL)
       WHEN 'staff' THEN EXISTS (
         SELECT 1 FROM users u
          WHERE u.tenant_id = s.tenant_id AND u.id = s.principal AND u.active
            AND (u.role = 'owner' OR EXISTS (SELECT 1 FROM user_outlets m
                                              WHERE m.tenant_id = s.tenant_id AND m.user_id = u.id
                                                AND m.outlet_id = s.outlet_id)))
         AND EXISTS (
         SELECT 1 FROM refresh_tokens r
          WHERE r.tenant_id = s.tenant_id AND r.id = s.session AND r.user_id = s.principal
            AND r.revoked_at IS NULL)
       WHEN 'admin' THEN EXISTS (
         SELECT 1 FROM users u
          WHERE u.tenant_id = s.tenant_id AND u.id = s.principal AND u.active
            AND (u.role = 'owner' OR (u.role = 'manager' AND EXISTS (SELECT 1 FROM user_outlets m
                                              WHERE m.tenant_id = s.tenant_id AND m.user_id = u.id
                                                AND m.outlet_id = s.outlet_id))))
         AND EXISTS (
         SELECT 1 FROM admin_sessions a
          WHERE a.tenant_id = s.tenant_id AND a.id = s.session AND a.user_id = s.principal
            AND a.revoked_at IS NULL AND a.expires_at > now() AND a.absolute_expires_at > now())
       ELSE false
     END
  $$;

GRANT SELECT ON refresh_tokens, admin_sessions TO pos_xt;
ALTER FUNCTION app.ended_streams(uuid[], uuid[], text[], uuid[], uuid[]) OWNER TO pos_xt;
REVOKE ALL ON FUNCTION app.ended_streams(uuid[], uuid[], text[], uuid[], uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.ended_streams(uuid[], uuid[], text[], uuid[], uuid[]) TO pos_app;
